from odoo import models

from odoo.addons.account.models.chart_template import template

# template xml id -> (code prefix, number, name, account type), codes as in kopdes_savings'
# SAVINGS_ACCOUNTS (the chart's code length, the next free number when taken)
SHU_ACCOUNTS = {
    "kopdes_shu_reserve": ("33", 10, "Cadangan Koperasi", "equity"),
    "kopdes_shu_payable": ("2191", 10, "Utang SHU Anggota", "liability_current"),
    "kopdes_shu_fund_management": ("2192", 10, "Dana Pengurus dan Pengawas", "liability_current"),
    "kopdes_shu_fund_staff": ("2192", 20, "Dana Karyawan", "liability_current"),
    "kopdes_shu_fund_education": ("2192", 30, "Dana Pendidikan", "liability_current"),
    "kopdes_shu_fund_social": ("2192", 40, "Dana Sosial", "liability_current"),
    "kopdes_shu_fund_development": (
        "2192",
        50,
        "Dana Pembangunan Daerah Kerja",
        "liability_current",
    ),
    "kopdes_shu_fund_other": ("2192", 60, "Dana Lain-lain dari SHU", "liability_current"),
    "kopdes_shu_pph": ("2193", 10, "Utang PPh Final atas SHU", "liability_current"),
}

# company field -> template xml id
SHU_COMPANY_ACCOUNTS = {
    "kopdes_shu_reserve_account_id": "kopdes_shu_reserve",
    "kopdes_shu_payable_account_id": "kopdes_shu_payable",
    "kopdes_shu_management_account_id": "kopdes_shu_fund_management",
    "kopdes_shu_staff_account_id": "kopdes_shu_fund_staff",
    "kopdes_shu_education_account_id": "kopdes_shu_fund_education",
    "kopdes_shu_social_account_id": "kopdes_shu_fund_social",
    "kopdes_shu_development_account_id": "kopdes_shu_fund_development",
    "kopdes_shu_other_account_id": "kopdes_shu_fund_other",
    "kopdes_shu_pph_account_id": "kopdes_shu_pph",
}


class AccountChartTemplate(models.AbstractModel):
    _inherit = "account.chart.template"

    @template(model="account.account")
    def _get_kopdes_shu_account_account(self, template_code):
        return self._kopdes_template_accounts(template_code, SHU_ACCOUNTS)

    def _get_kopdes_shu_account_journal(self, template_code):
        """The SHU entries go to the savings journal: no journal of its own."""
        return {}

    @template(model="res.company")
    def _get_kopdes_shu_res_company(self, template_code):
        return {self.env.company.id: dict(SHU_COMPANY_ACCOUNTS)}
