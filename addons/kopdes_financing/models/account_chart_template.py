from odoo import _, models

from odoo.addons.account.models.chart_template import template

# template xml id -> (code prefix, number, name, account type), codes as in
# kopdes_savings' SAVINGS_ACCOUNTS: 11230010 in the 8 digits of l10n_id, 112310 in the generic chart
FINANCING_ACCOUNTS = {
    "kopdes_loan_principal": ("1123", 10, "Piutang Pinjaman Anggota", "asset_current"),
    "kopdes_loan_interest_receivable": (
        "1123",
        20,
        "Piutang Bunga dan Denda Pinjaman",
        "asset_current",
    ),
    "kopdes_loan_provision": (
        "1123",
        90,
        "Penyisihan Penghapusan Pinjaman (PPAP)",
        "asset_current",
    ),
    "kopdes_loan_clearing": ("1123", 99, "Transit Angsuran dari Simpanan", "asset_current"),
    "kopdes_loan_interest_income": ("4110", 10, "Pendapatan Bunga Pinjaman", "income"),
    "kopdes_loan_margin_income": ("4110", 20, "Pendapatan Margin Murabahah", "income"),
    "kopdes_loan_fee_income": ("4110", 30, "Pendapatan Administrasi Pinjaman", "income"),
    "kopdes_loan_late_fee": ("4110", 40, "Pendapatan Denda Pinjaman", "income"),
    "kopdes_loan_social_fund": (
        "2190",
        10,
        "Dana Kebajikan (Denda Murabahah)",
        "liability_current",
    ),
    "kopdes_loan_provision_expense": (
        "6810",
        10,
        "Beban Penyisihan Penghapusan Pinjaman",
        "expense",
    ),
}


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    # Declared for every chart (no template code); see kopdes_savings.

    @template(model="account.account")
    def _get_kopdes_financing_account_account(self, template_code):
        return self._kopdes_template_accounts(template_code, FINANCING_ACCOUNTS)

    @template(model="account.journal")
    def _get_kopdes_financing_account_journal(self, template_code):
        return {
            "kopdes_loan": {
                "name": _("Financing"),
                "code": "PMB",
                "type": "general",
                "sequence": 21,
                "show_on_dashboard": False,
            },
        }

    @template(model="res.company")
    def _get_kopdes_financing_res_company(self, template_code):
        return {
            self.env.company.id: {
                "kopdes_loan_journal_id": "kopdes_loan",
                **{f"{xmlid}_account_id": xmlid for xmlid in FINANCING_ACCOUNTS},
            }
        }
