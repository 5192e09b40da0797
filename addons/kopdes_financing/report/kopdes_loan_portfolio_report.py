from odoo import fields, models, tools
from odoo.tools import SQL


class KopdesLoanPortfolioReport(models.Model):
    """The loan portfolio for pivot and graph views: one row per disbursed loan, with the
    amounts at risk (PAR 1/30/90) and non-performing as of the last arrears update."""

    _name = "kopdes.loan.portfolio.report"
    _description = "Loan Portfolio Analysis"
    _auto = False
    _rec_name = "loan_id"
    _order = "disbursement_date desc"

    loan_id = fields.Many2one("kopdes.loan", readonly=True)
    company_id = fields.Many2one("res.company", string="Cooperative", readonly=True)
    currency_id = fields.Many2one("res.currency", readonly=True)
    member_id = fields.Many2one("kopdes.member", readonly=True)
    product_id = fields.Many2one("kopdes.loan.product", readonly=True)
    method = fields.Selection(related="product_id.method", readonly=True)
    officer_id = fields.Many2one("res.users", string="Loan Officer", readonly=True)
    village = fields.Char(readonly=True)
    state = fields.Selection(
        [("active", "Active"), ("closed", "Closed"), ("written_off", "Written Off")],
        readonly=True,
    )
    collectability_id = fields.Many2one("kopdes.loan.collectability", readonly=True)
    disbursement_date = fields.Date(readonly=True)
    loan_count = fields.Integer(string="Loans", readonly=True, aggregator="sum")
    amount = fields.Monetary(string="Disbursed", readonly=True)
    outstanding = fields.Monetary(readonly=True)
    par1 = fields.Monetary(string="PAR 1", readonly=True)
    par30 = fields.Monetary(string="PAR 30", readonly=True)
    par90 = fields.Monetary(string="PAR 90", readonly=True)
    npl = fields.Monetary(string="Non-Performing", readonly=True)
    provision_required = fields.Monetary(string="Required Provision", readonly=True)
    days_past_due = fields.Integer(readonly=True, aggregator="max")

    def init(self):
        tools.drop_view_if_exists(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                """
                CREATE OR REPLACE VIEW %s AS (
                    SELECT loan.id, loan.id AS loan_id, loan.company_id,
                           company.currency_id, loan.member_id, loan.product_id,
                           loan.officer_id, loan.village, loan.state, loan.collectability_id,
                           loan.disbursement_date, 1 AS loan_count, loan.amount,
                           CASE WHEN loan.state = 'active' THEN loan.principal_residual ELSE 0 END
                               AS outstanding,
                           CASE WHEN loan.state = 'active' AND loan.days_past_due >= 1
                                THEN loan.principal_residual ELSE 0 END AS par1,
                           CASE WHEN loan.state = 'active' AND loan.days_past_due >= 30
                                THEN loan.principal_residual ELSE 0 END AS par30,
                           CASE WHEN loan.state = 'active' AND loan.days_past_due >= 90
                                THEN loan.principal_residual ELSE 0 END AS par90,
                           CASE WHEN loan.state = 'active' AND cls.non_performing
                                THEN loan.principal_residual ELSE 0 END AS npl,
                           CASE WHEN loan.state = 'active' THEN loan.provision_required
                                ELSE 0 END AS provision_required,
                           loan.days_past_due
                      FROM kopdes_loan loan
                      JOIN res_company company ON company.id = loan.company_id
                 LEFT JOIN kopdes_loan_collectability cls ON cls.id = loan.collectability_id
                     WHERE loan.state IN ('active', 'closed', 'written_off')
                )
                """,
                SQL.identifier(self._table),
            )
        )
