"""Late-payment patterns: every installment due, with how late it was paid, by month,
village, business type and product (a SQL view), for the committee to see seasonality
(harvest months, Ramadan)."""

from odoo import api, fields, models, tools
from odoo.tools import SQL, format_date


class KopdesLatePaymentReport(models.Model):
    _name = "kopdes.late.payment.report"
    _description = "Late Payment Patterns"
    _auto = False
    _order = "due_date desc"

    company_id = fields.Many2one("res.company", string="Cooperative", readonly=True)
    loan_id = fields.Many2one("kopdes.loan", readonly=True)
    member_id = fields.Many2one("kopdes.member", readonly=True)
    product_id = fields.Many2one("kopdes.loan.product", readonly=True)
    village = fields.Char(readonly=True)
    business_type_id = fields.Many2one("kopdes.business.type", readonly=True)
    due_date = fields.Date(readonly=True)
    paid_date = fields.Date(readonly=True)
    days_late = fields.Integer(readonly=True, aggregator="avg")
    is_late = fields.Boolean(string="Paid Late", readonly=True)
    late_count = fields.Integer(string="Late Installments", readonly=True, aggregator="sum")
    installment_count = fields.Integer(string="Installments", readonly=True, aggregator="sum")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT line.id, loan.company_id, line.loan_id, loan.member_id,
                           loan.product_id, member.village, member.business_type_id,
                           line.due_date, line.paid_date,
                           GREATEST(COALESCE(line.paid_date, CURRENT_DATE) - line.due_date, 0)
                               AS days_late,
                           COALESCE(line.paid_date, CURRENT_DATE) - line.due_date > 7
                               AS is_late,
                           CASE WHEN COALESCE(line.paid_date, CURRENT_DATE) - line.due_date > 7
                                THEN 1 ELSE 0 END AS late_count,
                           1 AS installment_count
                      FROM kopdes_loan_line line
                      JOIN kopdes_loan loan ON loan.id = line.loan_id
                      JOIN kopdes_member member ON member.id = loan.member_id
                     WHERE line.due_date <= CURRENT_DATE AND NOT line.rescheduled
                )
                """,
                SQL.identifier(self._table),
            )
        )

    @api.depends("loan_id", "due_date")
    def _compute_display_name(self):
        for row in self:
            row.display_name = (
                f"{row.loan_id.name or ''} ({format_date(self.env, row.due_date)})"
                if row.due_date
                else row.loan_id.name or ""
            )
