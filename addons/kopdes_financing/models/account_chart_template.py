from odoo import models


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    def _load(self, template_code, company, install_demo):
        """After a chart of accounts is loaded, add the financing accounts and journal."""
        res = super()._load(template_code, company, install_demo)
        env = self.env()  # the registry may have changed if the chart installed a module
        if "kopdes.loan" in env:
            env["res.company"].browse(company.id)._kopdes_setup_financing()
        return res
