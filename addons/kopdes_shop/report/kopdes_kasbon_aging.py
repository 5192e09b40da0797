from odoo import api, fields, models, tools
from odoo.tools import SQL

from odoo.addons.kopdes_members.models.kopdes_system import KOPDES_DEFAULT_TZ

AGING_BUCKETS = [
    ("0_not_due", "Not Due"),
    ("1_30", "1-30 Days"),
    ("2_60", "31-60 Days"),
    ("3_90", "61-90 Days"),
    ("4_over", "Over 90 Days"),
]


class KopdesKasbonAging(models.Model):
    """Open kasbon by days past due, as of today in each cooperative's time zone."""

    _name = "kopdes.kasbon.aging"
    _description = "Kasbon Aging"
    _auto = False
    _order = "days_overdue desc, id"

    @api.depends(
        "kasbon_id",
    )
    def _compute_display_name(self):
        for rec in self:
            rec.display_name = rec.kasbon_id.display_name or rec.member_id.display_name or ""

    kasbon_id = fields.Many2one("kopdes.kasbon", readonly=True)
    member_id = fields.Many2one("kopdes.member", readonly=True)
    company_id = fields.Many2one("res.company", string="Cooperative", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    date = fields.Date(readonly=True)
    due_date = fields.Date(readonly=True)
    amount = fields.Monetary(readonly=True)
    amount_residual = fields.Monetary(string="Open", readonly=True)
    days_overdue = fields.Integer(readonly=True)
    bucket = fields.Selection(AGING_BUCKETS, string="Aging", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
            CREATE OR REPLACE VIEW %s AS (
            SELECT k.id, k.id AS kasbon_id, k.member_id, k.company_id, c.currency_id,
                   k.date, k.due_date, k.amount, k.amount_residual,
                   GREATEST(t.today - k.due_date, 0) AS days_overdue,
                   CASE WHEN t.today - k.due_date <= 0 THEN '0_not_due'
                        WHEN t.today - k.due_date <= 30 THEN '1_30'
                        WHEN t.today - k.due_date <= 60 THEN '2_60'
                        WHEN t.today - k.due_date <= 90 THEN '3_90'
                        ELSE '4_over' END AS bucket
              FROM kopdes_kasbon k
              JOIN res_company c ON c.id = k.company_id
              JOIN res_partner cp ON cp.id = c.partner_id
              CROSS JOIN LATERAL (
                  SELECT (now() AT TIME ZONE COALESCE(NULLIF(cp.tz, ''), %s))::date AS today
              ) t
             WHERE k.state = 'open'
            )
            """,
                SQL.identifier(self._table),
                KOPDES_DEFAULT_TZ,
            )
        )
