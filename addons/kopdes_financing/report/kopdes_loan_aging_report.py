from odoo import fields, models, tools
from odoo.tools import SQL


class KopdesLoanAgingReport(models.Model):
    """The collectors' aging list: per active loan, what is overdue by age of the
    installments (as of the last arrears update), with the member's phone and village."""

    _name = "kopdes.loan.aging.report"
    _description = "Loan Aging"
    _auto = False
    _rec_name = "loan_id"
    _order = "days_past_due desc, loan_id"

    loan_id = fields.Many2one("kopdes.loan", readonly=True)
    company_id = fields.Many2one("res.company", string="Cooperative", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    member_id = fields.Many2one("kopdes.member", readonly=True)
    mobile = fields.Char(readonly=True)
    village = fields.Char(readonly=True)
    officer_id = fields.Many2one("res.users", string="Loan Officer", readonly=True)
    product_id = fields.Many2one("kopdes.loan.product", readonly=True)
    collectability_id = fields.Many2one("kopdes.loan.collectability", readonly=True)
    days_past_due = fields.Integer(readonly=True, aggregator="max")
    as_of = fields.Date(readonly=True)
    outstanding = fields.Monetary(readonly=True)
    overdue_1_30 = fields.Monetary(string="1-30 Days", readonly=True)
    overdue_31_60 = fields.Monetary(string="31-60 Days", readonly=True)
    overdue_61_90 = fields.Monetary(string="61-90 Days", readonly=True)
    overdue_91_180 = fields.Monetary(string="91-180 Days", readonly=True)
    overdue_180 = fields.Monetary(string="Over 180 Days", readonly=True)
    late_fees = fields.Monetary(string="Late Fees Due", readonly=True)
    overdue_total = fields.Monetary(string="Total Overdue", readonly=True)

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    WITH due AS (
                        SELECT line.loan_id,
                               loan.dpd_date - line.due_date AS age,
                               line.principal_residual + line.interest_residual AS amount,
                               line.late_fee - line.late_fee_settled AS fee
                          FROM kopdes_loan_line line
                          JOIN kopdes_loan loan ON loan.id = line.loan_id
                         WHERE loan.state = 'active' AND line.rescheduled IS NOT TRUE
                           AND loan.dpd_date IS NOT NULL AND line.due_date < loan.dpd_date
                           AND (line.principal_residual + line.interest_residual > 0
                                OR line.late_fee > line.late_fee_settled)
                    )
                    SELECT loan.id, loan.id AS loan_id, loan.company_id, company.currency_id,
                           loan.member_id, partner.mobile, loan.village, loan.officer_id,
                           loan.product_id, loan.collectability_id, loan.days_past_due,
                           loan.dpd_date AS as_of, loan.principal_residual AS outstanding,
                           SUM(due.amount) FILTER (WHERE due.age BETWEEN 1 AND 30) AS overdue_1_30,
                           SUM(due.amount) FILTER (WHERE due.age BETWEEN 31 AND 60)
                               AS overdue_31_60,
                           SUM(due.amount) FILTER (WHERE due.age BETWEEN 61 AND 90)
                               AS overdue_61_90,
                           SUM(due.amount) FILTER (WHERE due.age BETWEEN 91 AND 180)
                               AS overdue_91_180,
                           SUM(due.amount) FILTER (WHERE due.age > 180) AS overdue_180,
                           SUM(due.fee) AS late_fees,
                           SUM(due.amount + due.fee) AS overdue_total
                      FROM due
                      JOIN kopdes_loan loan ON loan.id = due.loan_id
                      JOIN res_company company ON company.id = loan.company_id
                      JOIN res_partner partner ON partner.id = loan.partner_id
                  GROUP BY loan.id, company.currency_id, partner.mobile
                )
                """,
                SQL.identifier(self._table),
            )
        )
