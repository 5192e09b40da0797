"""Purchases per member: the one aggregate of the POS orders linked to members."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .kopdes_system import kopdes_today, kopdes_tz, kopdes_utc_bounds

# POS order states that count as a purchase
PURCHASE_STATES = ("paid", "done", "invoiced")
PURCHASE_GROUPBY = ("member", "month", "category", "payment_method_id")


class KopdesMember(models.Model):
    _inherit = "kopdes.member"

    _sql_constraints = [
        (
            "partner_company_uniq",
            "unique(partner_id, company_id)",
            "This person already has a membership in this cooperative.",
        ),
    ]

    kopdes_currency_id = fields.Many2one(
        related="company_id.currency_id", string="Cooperative Currency"
    )
    purchase_amount_12m = fields.Monetary(
        string="Purchases (12 Months)",
        currency_field="kopdes_currency_id",
        compute="_compute_purchase_amount_12m",
        help="Point of Sale purchases of the member in the last twelve months, tax included, "
        "net of refunds.",
    )

    def _compute_purchase_amount_12m(self):
        today = kopdes_today(self.env)
        totals = {}
        for company in self.company_id:
            members = self.filtered(lambda m, c=company: m.company_id == c and m.id)
            rows = self._kopdes_purchases(
                today - relativedelta(years=1) + timedelta(days=1), today, company, members
            )
            totals.update({row["member_id"]: row["amount_total"] for row in rows})
        for member in self:
            member.purchase_amount_12m = totals.get(member.id, 0.0)

    def action_view_purchases(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_members.kopdes_purchase_report_action"
        )
        action["domain"] = [("member_id", "=", self.id)]
        action["context"] = {"search_default_filter_last_12_months": 1}
        action["display_name"] = _("Purchases of %(member)s", member=self.display_name)
        return action

    @api.model
    def _kopdes_purchases(self, date_from, date_to, company, members=None, groupby=("member",)):
        """Point of Sale purchases per member of ``company`` from ``date_from`` to ``date_to``
        (dates, both included, in the cooperative's time zone), in ONE SQL aggregate.

        ``members``: a ``kopdes.member`` recordset to restrict to (default: every member).
        ``groupby``: any of ``"member"`` (always implied), ``"month"`` (first day of the
        month, a date), ``"category"`` (``product.category.kopdes_shop_category``) and
        ``"payment_method_id"`` (an id; each order's lines are split over its payment
        methods in proportion to the amounts paid, change deducted).

        Returns a list of dicts ``{"member_id": id, <groupby keys>, "amount_total",
        "amount_untaxed", "order_count", "refund_count"}``: amounts tax included/excluded
        net of refunds (rounded to the currency), the number of sales and of refunds (orders
        with a negative total) in the group. Only orders in state paid, done or invoiced.
        """
        unknown = set(groupby) - set(PURCHASE_GROUPBY)
        if unknown:
            raise UserError(
                _(
                    "Purchases cannot be grouped by %(keys)s.",
                    keys=", ".join(sorted(unknown)),
                )
            )
        if members is not None and not members:
            return []
        date_from = fields.Date.to_date(date_from)
        date_to = fields.Date.to_date(date_to)
        if date_to < date_from:
            return []
        self.env["pos.order"].flush_model()
        self.env["pos.order.line"].flush_model()
        self.env["pos.payment"].flush_model()
        self.env["product.category"].flush_model(["kopdes_shop_category"])
        query = self._kopdes_purchases_query(date_from, date_to, company, members, groupby)
        digits = company.currency_id.decimal_places  # read before: it may run a query
        self.env.cr.execute(query)
        rows = self.env.cr.dictfetchall()
        for row in rows:
            row["amount_total"] = round(float(row["amount_total"] or 0.0), digits)
            row["amount_untaxed"] = round(float(row["amount_untaxed"] or 0.0), digits)
        return rows

    @api.model
    def _kopdes_purchases_query(self, date_from, date_to, company, members, groupby):
        tz = kopdes_tz(self.env, company)
        start, end = kopdes_utc_bounds(self.env, company, date_from, date_to)

        def where(alias):
            order = SQL.identifier(alias)
            conditions = [
                SQL("%s.company_id = %s", order, company.id),
                SQL("%s.member_id IS NOT NULL", order),
                SQL("%s.state IN %s", order, PURCHASE_STATES),
                SQL("%s.date_order >= %s", order, start),
                SQL("%s.date_order < %s", order, end),
            ]
            if members is not None:
                conditions.append(SQL("%s.member_id = ANY(%s)", order, list(members.ids)))
            return SQL(" AND ").join(conditions)

        keys = [SQL("o.member_id AS member_id")]
        group = [SQL("o.member_id")]
        joins = [SQL("JOIN pos_order_line l ON l.order_id = o.id")]
        share = SQL("1.0")
        if "month" in groupby:
            month = SQL(
                "date_trunc('month', (o.date_order AT TIME ZONE 'UTC') AT TIME ZONE %s)::date",
                tz.zone,
            )
            keys.append(SQL("%s AS month", month))
            group.append(month)
        if "category" in groupby:
            joins.append(
                SQL(
                    """JOIN product_product pp ON pp.id = l.product_id
                       JOIN product_template pt ON pt.id = pp.product_tmpl_id
                       LEFT JOIN product_category pc ON pc.id = pt.categ_id"""
                )
            )
            category = SQL("COALESCE(pc.kopdes_shop_category, 'other')")
            keys.append(SQL("%s AS category", category))
            group.append(category)
        if "payment_method_id" in groupby:
            # each order's payments per method and their sum: the share of each method
            joins.append(
                SQL(
                    """LEFT JOIN LATERAL (
                        SELECT p.payment_method_id, SUM(p.amount) AS amount,
                               SUM(SUM(p.amount)) OVER () AS paid
                          FROM pos_payment p
                         WHERE p.pos_order_id = o.id
                      GROUP BY p.payment_method_id
                    ) pay ON pay.paid <> 0"""
                )
            )
            share = SQL("COALESCE(pay.amount / pay.paid, 1)")
            keys.append(SQL("pay.payment_method_id AS payment_method_id"))
            group.append(SQL("pay.payment_method_id"))
        return SQL(
            """
            SELECT %(keys)s,
                   SUM(l.price_subtotal_incl * %(share)s) AS amount_total,
                   SUM(l.price_subtotal * %(share)s) AS amount_untaxed,
                   COUNT(DISTINCT o.id) FILTER (WHERE o.amount_total >= 0) AS order_count,
                   COUNT(DISTINCT o.id) FILTER (WHERE o.amount_total < 0) AS refund_count
              FROM pos_order o
              %(joins)s
             WHERE %(where)s
          GROUP BY %(group)s
          ORDER BY %(group)s
            """,
            keys=SQL(", ").join(keys),
            share=share,
            joins=SQL(" ").join(joins),
            where=where("o"),
            group=SQL(", ").join(group),
        )
