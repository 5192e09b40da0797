from odoo import models

from odoo.addons.account.models.chart_template import template

# template xml id -> (code prefix, number, name, account type), as in kopdes_savings
BANK_ACCOUNTS = {
    # what the partner banks owe the cooperative (positive) or the cooperative owes them
    # for the cash it took in and paid out at its counter; one partner per bank
    "kopdes_agent_settlement": (
        "1129",
        10,
        "Rekening Penyelesaian Agen Bank",
        "asset_current",
    ),
    "kopdes_agent_fee_income": ("4190", 10, "Pendapatan Komisi Agen Bank", "income"),
}


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template(model="account.account")
    def _get_kopdes_bank_account_account(self, template_code):
        return self._kopdes_template_accounts(template_code, BANK_ACCOUNTS)

    @template(model="account.journal")
    def _get_kopdes_bank_account_journal(self, template_code):
        return {}

    @template(model="res.company")
    def _get_kopdes_bank_res_company(self, template_code):
        return {
            self.env.company.id: {
                "kopdes_agent_settlement_account_id": "kopdes_agent_settlement",
                "kopdes_agent_fee_account_id": "kopdes_agent_fee_income",
            }
        }
