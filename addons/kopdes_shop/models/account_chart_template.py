from odoo import _, models

from odoo.addons.account.models.chart_template import template

# template xml id -> (code prefix, number, name, account type), see kopdes_savings
SHOP_ACCOUNTS = {
    "kopdes_kasbon_receivable": ("113", 1, "Piutang Kasbon Anggota", "asset_receivable"),
}


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template(model="account.account")
    def _get_kopdes_shop_account_account(self, template_code):
        return self._kopdes_template_accounts(template_code, SHOP_ACCOUNTS)

    def _kopdes_template_accounts(self, template_code, specs, taken=()):
        accounts = super()._kopdes_template_accounts(template_code, specs, taken=taken)
        for xmlid in SHOP_ACCOUNTS:
            if xmlid in accounts:
                accounts[xmlid]["reconcile"] = True  # reconciled with its repayments
        return accounts

    @template(model="account.journal")
    def _get_kopdes_shop_account_journal(self, template_code):
        return {
            "kopdes_kasbon": {
                "name": _("Member Shop Credit"),
                "code": "KSBN",
                "type": "general",
                "sequence": 22,
                "show_on_dashboard": False,
            },
        }

    @template(model="res.company")
    def _get_kopdes_shop_res_company(self, template_code):
        return {
            self.env.company.id: {
                "kopdes_kasbon_journal_id": "kopdes_kasbon",
                "kopdes_kasbon_account_id": "kopdes_kasbon_receivable",
            }
        }

    def _load(self, template_code, company, install_demo):
        """After a chart is loaded, the company gets its "Kasbon Anggota" POS method."""
        res = super()._load(template_code, company, install_demo)
        env = self.env()
        if "kopdes_kasbon_payment" in env["pos.payment.method"]._fields:
            env["res.company"].browse(company.id)._kopdes_kasbon_pos_payment_method()
        return res
