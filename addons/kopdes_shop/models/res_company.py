from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from .account_chart_template import SHOP_ACCOUNTS

KASBON_LIMIT_MODES = [
    ("savings", "Multiple of voluntary savings"),
    ("fixed", "Fixed amount"),
]


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_kasbon_journal_id = fields.Many2one(
        "account.journal",
        string="Shop Credit Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of the entries of kasbon sales and repayments.",
    )
    kopdes_kasbon_account_id = fields.Many2one(
        "account.account",
        string="Shop Credit Receivable",
        check_company=True,
        domain="[('account_type', '=', 'asset_receivable')]",
        help="The members' kasbon receivable (partner = member).",
    )
    kopdes_kasbon_limit_mode = fields.Selection(
        KASBON_LIMIT_MODES,
        string="Default Kasbon Limit",
        default="savings",
        required=True,
        help="The kasbon limit of a member without a limit of their own: a multiple of the "
        "member's simpanan sukarela balance, or the same fixed amount for every member.",
    )
    kopdes_kasbon_savings_multiple = fields.Float(
        string="Multiple of Voluntary Savings",
        default=1.0,
        help="With the limit from savings: limit = this multiple x the simpanan sukarela balance.",
    )
    kopdes_kasbon_fixed_limit = fields.Monetary(
        string="Fixed Kasbon Limit",
        currency_field="currency_id",
        default=500000.0,
    )
    kopdes_kasbon_term_days = fields.Integer(
        string="Kasbon Term (Days)",
        default=30,
        help="A kasbon sale is due this many days after the sale.",
    )
    kopdes_kasbon_room_step = fields.Monetary(
        string="Kasbon Room Rounded Down To",
        currency_field="currency_id",
        default=1000.0,
        help="The cashier sees the remaining kasbon room rounded down to this step.",
    )

    @api.constrains(
        "kopdes_kasbon_savings_multiple",
        "kopdes_kasbon_fixed_limit",
        "kopdes_kasbon_term_days",
        "kopdes_kasbon_room_step",
    )
    def _check_kopdes_kasbon(self):
        for company in self:
            if (
                company.kopdes_kasbon_savings_multiple < 0
                or company.kopdes_kasbon_fixed_limit < 0
                or company.kopdes_kasbon_room_step < 0
            ):
                raise ValidationError(_("Kasbon limits cannot be negative."))
            if company.kopdes_kasbon_term_days < 1:
                raise ValidationError(_("The kasbon term is at least one day."))

    @api.model
    def _kopdes_shop_setup_all(self):
        """Install step: the kasbon account, journal and POS payment method of every
        cooperative that has a chart of accounts."""
        companies = self.sudo().search([("chart_template", "!=", False)])
        self.env["account.chart.template"].sudo()._kopdes_load_missing_templates(
            companies,
            SHOP_ACCOUNTS,
            "_get_kopdes_shop_account_journal",
            "_get_kopdes_shop_res_company",
        )
        for company in companies:
            account = company.kopdes_kasbon_account_id
            if account and not account.reconcile:
                account.reconcile = True
            company._kopdes_kasbon_pos_payment_method()

    def _kopdes_kasbon_pos_payment_method(self):
        """The company's POS payment method "Kasbon Anggota", created on first use."""
        self.ensure_one()
        Method = self.env["pos.payment.method"].sudo().with_context(active_test=False)
        method = Method.search(
            [("company_id", "=", self.id), ("kopdes_kasbon_payment", "=", True)], limit=1
        )
        if not method:
            method = Method.create(
                {
                    "name": _("Kasbon Anggota"),
                    "company_id": self.id,
                    "split_transactions": True,
                    "kopdes_kasbon_payment": True,
                }
            )
        return method
