from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo):
        """After a chart of accounts is loaded (new company, first setup), add the savings
        accounts, journal and products on top of it."""
        res = super()._load(template_code, company, install_demo)
        env = self.env()  # the registry may have changed if the chart installed a module
        if "kopdes.savings.product" in env:
            env["res.company"].browse(company.id)._kopdes_savings_setup()
        return res
