from odoo import _, api, fields, models

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
    as_of = fields.Date(
        compute="_compute_figures",
        string="Figures As Of",
        help="Every figure of the dashboard is as of this day (the cooperative's today): "
        "the outstanding, the arrears, the classes, the required provision and the PPAP "
        "balance.",
    )
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
    provision_required = fields.Monetary(
        compute="_compute_figures", help="The provision the portfolio requires on that day."
    )
    provision_booked = fields.Monetary(
        compute="_compute_figures",
        help="The balance of the PPAP account on that day: what the month-ends booked.",
    )
    overdue_count = fields.Integer(string="Loans in Arrears", compute="_compute_figures")

    @api.depends("company_id")
    def _compute_display_name(self):
        for dashboard in self:
            dashboard.display_name = _(
                "Portfolio of %(company)s", company=dashboard.company_id.name
            )

    @api.model
    def action_open(self):
        """Menu entry (path ``/odoo/kopdes-portfolio``): the dashboard of the current
        cooperative as a saved record, so the breadcrumb names it instead of showing an
        unsaved new record. The user's record of the cooperative is reused: opening it
        again creates nothing (its figures are computed when read)."""
        company = self.env.company
        dashboard = self.search(
            [("company_id", "=", company.id), ("create_uid", "=", self.env.uid)],
            order="id desc",
            limit=1,
        ) or self.create({"company_id": company.id})
        dashboard.invalidate_recordset()
        return {
            "type": "ir.actions.act_window",
            "name": dashboard.display_name,
            "res_model": self._name,
            "res_id": dashboard.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "current",
        }

    @api.depends("company_id")
    @api.depends_context("uid")
    def _compute_figures(self):
        for dashboard in self:
            figures = dashboard._kopdes_figures(dashboard.company_id)
            dashboard.update(figures)

    @api.model
    def _kopdes_figures(self, company, date=None):
        """The portfolio as of ``date`` (default: the cooperative's today), from the same
        computation as the month-end of that date
        (``kopdes.loan.month.end._kopdes_portfolio_as_of``): outstanding, days past due,
        classes and required provisions of that day; the provision booked is the PPAP
        balance of the same day."""
        MonthEnd = self.env["kopdes.loan.month.end"].sudo()
        as_of = fields.Date.to_date(date) if date else self.env["kopdes.loan"]._kopdes_today()
        rows = MonthEnd._kopdes_portfolio_as_of(as_of, company).values()
        outstanding = sum(row["outstanding"] for row in rows)

        def at_risk(days):
            return sum(row["outstanding"] for row in rows if row["days_past_due"] >= days)

        par1, par30, par90 = at_risk(1), at_risk(30), at_risk(90)
        npl = sum(row["outstanding"] for row in rows if row["non_performing"])
        return {
            "as_of": as_of,
            "loan_count": len(rows),
            "outstanding": outstanding,
            "par1": par1,
            "par30": par30,
            "par90": par90,
            "npl": npl,
            "par1_ratio": collectability_tools.ratio(par1, outstanding),
            "par30_ratio": collectability_tools.ratio(par30, outstanding),
            "par90_ratio": collectability_tools.ratio(par90, outstanding),
            "npl_ratio": collectability_tools.ratio(npl, outstanding),
            "provision_required": sum(row["provision"] for row in rows),
            "provision_booked": MonthEnd._kopdes_booked_provision(as_of, company),
            "overdue_count": sum(1 for row in rows if row["days_past_due"] >= 1),
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
