from odoo import fields, models, tools
from odoo.tools import SQL

from ..models.kopdes_system import KOPDES_DEFAULT_TZ
from ..models.product_category import SHOP_CATEGORIES


class KopdesPurchaseReport(models.Model):
    """Members' Point of Sale purchases for the pivot and graph views: one row per order line
    and payment method of the order, the line split in proportion to the payments (the same
    rule as ``kopdes.member._kopdes_purchases``)."""

    _name = "kopdes.purchase.report"
    _description = "Member Purchases"
    _auto = False
    _rec_name = "order_id"
    _order = "date desc, id desc"

    date = fields.Date(readonly=True, help="The day of the order in the cooperative's time zone.")
    member_id = fields.Many2one("kopdes.member", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    company_id = fields.Many2one("res.company", string="Cooperative", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    order_id = fields.Many2one("pos.order", readonly=True)
    config_id = fields.Many2one("pos.config", string="Point of Sale", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one("product.category", string="Product Category", readonly=True)
    shop_category = fields.Selection(SHOP_CATEGORIES, readonly=True)
    payment_method_id = fields.Many2one("pos.payment.method", readonly=True)
    is_refund = fields.Boolean(string="Refund", readonly=True)
    amount_total = fields.Monetary(string="Total (Tax Incl.)", readonly=True)
    amount_untaxed = fields.Monetary(string="Total (Tax Excl.)", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
            SELECT ROW_NUMBER() OVER (ORDER BY l.id, pay.payment_method_id) AS id,
                   ((o.date_order AT TIME ZONE 'UTC')
                        AT TIME ZONE COALESCE(NULLIF(cp.tz, ''), %s))::date
                        AS date,
                   o.member_id, o.partner_id, o.company_id, c.currency_id,
                   o.id AS order_id, s.config_id, l.product_id, pt.categ_id,
                   COALESCE(pc.kopdes_shop_category, 'other') AS shop_category,
                   pay.payment_method_id,
                   o.amount_total < 0 AS is_refund,
                   l.price_subtotal_incl * COALESCE(pay.amount / pay.paid, 1) AS amount_total,
                   l.price_subtotal * COALESCE(pay.amount / pay.paid, 1) AS amount_untaxed
              FROM pos_order o
              JOIN pos_order_line l ON l.order_id = o.id
              JOIN res_company c ON c.id = o.company_id
              JOIN res_partner cp ON cp.id = c.partner_id
              LEFT JOIN pos_session s ON s.id = o.session_id
              LEFT JOIN product_product pp ON pp.id = l.product_id
              LEFT JOIN product_template pt ON pt.id = pp.product_tmpl_id
              LEFT JOIN product_category pc ON pc.id = pt.categ_id
              LEFT JOIN LATERAL (
                  SELECT p.payment_method_id, SUM(p.amount) AS amount,
                         SUM(SUM(p.amount)) OVER () AS paid
                    FROM pos_payment p
                   WHERE p.pos_order_id = o.id
                GROUP BY p.payment_method_id
              ) pay ON pay.paid <> 0
             WHERE o.member_id IS NOT NULL AND o.state IN ('paid', 'done', 'invoiced')
            )
            """,
                SQL.identifier(self._table),
                KOPDES_DEFAULT_TZ,
            )
        )
