from odoo import _, api, fields, models
from odoo.tools import SQL

from ..tools import collectability as collectability_tools


class KopdesLoanDashboard(models.TransientModel):
    """Portfolio figures of one cooperative from one aggregate query: outstanding,
    portfolio at risk (PAR 1/30/90), NPL ratio and provisions."""

    _name = "kopdes.loan.dashboard"
    _description = "Loan Portfolio Dashboard"

    company_id = fields.Many2one(
        "res.company", string="Cooperative", required=True, default=lambda self: self.env.company
    )
    currency_id = fields.Many2one(related="company_id.currency_id")
    as_of = fields.Date(compute="_compute_figures", string="Arrears As Of")
    loan_count = fields.Integer(string="Active Loans", compute="_compute_figures")
    outstanding = fields.Monetary(compute="_compute_figures")
    par1 = fields.Monetary(string="PAR 1", compute="_compute_figures")
    par30 = fields.Monetary(string="PAR 30", compute="_compute_figures")
    par90 = fields.Monetary(string="PAR 90", compute="_compute_figures")
    npl = fields.Monetary(string="Non-Performing", compute="_compute_figures")
    par1_ratio = fields.Float(string="PAR 1 (%)", compute="_compute_figures", digits=(16, 2))
    par30_ratio = fields.Float(string="PAR 30 (%)", compute="_compute_figures", digits=(16, 2))
    par90_ratio = fields.Float(string="PAR 90 (%)", compute="_compute_figures", digits=(16, 2))
    npl_ratio = fields.Float(string="NPL Ratio (%)", compute="_compute_figures", digits=(16, 2))
    provision_required = fields.Monetary(compute="_compute_figures")
    provision_booked = fields.Monetary(compute="_compute_figures")
    overdue_count = fields.Integer(string="Loans in Arrears", compute="_compute_figures")

    @api.depends("company_id")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = _(
                "Portfolio of %(company)s", company=dashboard.company_id.name
            )

    @api.model
    def action_open(self):
        """Menu entry: the dashboard of the current cooperative as a saved record, so the
        breadcrumb names it instead of showing an unsaved new record."""
        dashboard = self.create({"company_id": self.env.company.id})
        return {
            "type": "ir.actions.act_window",
            "name": dashboard.display_name,
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "target": "current",
        }

    @api.depends("company_id")
    def _compute_figures(self):
        for dashboard in self:
            figures = dashboard._kopdes_figures(dashboard.company_id)
            dashboard.update(figures)

    @api.model
    def _kopdes_figures(self, company):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                SELECT COUNT(*), COALESCE(SUM(loan.principal_residual), 0),
                       COALESCE(SUM(loan.principal_residual)
                                FILTER (WHERE loan.days_past_due >= 1), 0),
                       COALESCE(SUM(loan.principal_residual)
                                FILTER (WHERE loan.days_past_due >= 30), 0),
                       COALESCE(SUM(loan.principal_residual)
                                FILTER (WHERE loan.days_past_due >= 90), 0),
                       COALESCE(SUM(loan.principal_residual) FILTER (WHERE cls.non_performing), 0),
                       COALESCE(SUM(loan.provision_required), 0),
                       COUNT(*) FILTER (WHERE loan.days_past_due >= 1),
                       MAX(loan.dpd_date)
                  FROM kopdes_loan loan
             LEFT JOIN kopdes_loan_collectability cls ON cls.id = loan.collectability_id
                 WHERE loan.company_id = %s AND loan.state = 'active'
                """,
                company.id,
            )
        )
        count, outstanding, par1, par30, par90, npl, provision, overdue, as_of = (
            self.env.cr.fetchone()
        )
        booked = self.env["kopdes.loan.month.end"]._kopdes_booked_provision(
            as_of or fields.Date.context_today(self), company
        )
        return {
            "as_of": as_of,
            "loan_count": count,
            "outstanding": outstanding,
            "par1": par1,
            "par30": par30,
            "par90": par90,
            "npl": npl,
            "par1_ratio": collectability_tools.ratio(par1, outstanding),
            "par30_ratio": collectability_tools.ratio(par30, outstanding),
            "par90_ratio": collectability_tools.ratio(par90, outstanding),
            "npl_ratio": collectability_tools.ratio(npl, outstanding),
            "provision_required": provision,
            "provision_booked": booked,
            "overdue_count": overdue,
        }

    def action_open_portfolio(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_portfolio_report_action"
        )
        group_by = self.env.context.get("kopdes_group_by")
        if group_by:
            action["context"] = {"group_by": [group_by], "search_default_active": 1}
        return action

    def action_open_aging(self):
        return self.env["ir.actions.act_window"]._for_xml_id(
            "kopdes_financing.kopdes_loan_aging_report_action"
        )
