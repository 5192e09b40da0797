from odoo import api, fields, models

from .account_chart_template import SHU_ACCOUNTS


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_shu_reserve_account_id = fields.Many2one(
        "account.account", string="SHU Reserve Account", check_company=True
    )
    kopdes_shu_payable_account_id = fields.Many2one(
        "account.account",
        string="Members' SHU Payable Account",
        check_company=True,
        help="What the cooperative owes each member of the SHU until it is paid out.",
    )
    kopdes_shu_management_account_id = fields.Many2one(
        "account.account", string="SHU Management Fund Account", check_company=True
    )
    kopdes_shu_staff_account_id = fields.Many2one(
        "account.account", string="SHU Staff Fund Account", check_company=True
    )
    kopdes_shu_education_account_id = fields.Many2one(
        "account.account", string="SHU Education Fund Account", check_company=True
    )
    kopdes_shu_social_account_id = fields.Many2one(
        "account.account", string="SHU Social Fund Account", check_company=True
    )
    kopdes_shu_development_account_id = fields.Many2one(
        "account.account", string="SHU Local Development Fund Account", check_company=True
    )
    kopdes_shu_other_account_id = fields.Many2one(
        "account.account", string="SHU Other Fund Account", check_company=True
    )
    kopdes_shu_pph_account_id = fields.Many2one(
        "account.account",
        string="PPh Final on SHU Account",
        check_company=True,
        help="Tax withheld on the SHU paid to members, owed to the state.",
    )

    @api.model
    def _kopdes_shu_setup_all(self):
        """Install step: the SHU accounts for every company."""
        self.sudo().search([])._kopdes_shu_setup()

    def _kopdes_shu_setup(self):
        """The SHU accounts come from the chart templates; for a chart loaded before this
        addon was installed they are added here (or adopted)."""
        self.env["account.chart.template"].sudo()._kopdes_load_missing_templates(
            self.sudo(),
            SHU_ACCOUNTS,
            "_get_kopdes_shu_account_journal",
            "_get_kopdes_shu_res_company",
        )
