from odoo import _, api, fields, models

from ..tools import collectability as collectability_tools
from .account_chart_template import FINANCING_ACCOUNTS

# product field: company field of its default
PRODUCT_DEFAULTS = {
    "account_principal_id": "kopdes_loan_principal_account_id",
    "account_interest_receivable_id": "kopdes_loan_interest_receivable_account_id",
    "account_interest_income_id": "kopdes_loan_interest_income_account_id",
    "account_fee_income_id": "kopdes_loan_fee_income_account_id",
    "account_late_fee_id": "kopdes_loan_late_fee_account_id",
}


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_loan_journal_id = fields.Many2one(
        "account.journal",
        string="Financing Journal",
        check_company=True,
        domain="[('type', '=', 'general')]",
        help="Journal of interest accruals, late fees, provisions and write-offs.",
    )
    kopdes_loan_principal_account_id = fields.Many2one(
        "account.account", string="Default Loan Receivable Account", check_company=True
    )
    kopdes_loan_interest_receivable_account_id = fields.Many2one(
        "account.account", string="Default Interest Receivable Account", check_company=True
    )
    kopdes_loan_interest_income_account_id = fields.Many2one(
        "account.account", string="Default Interest Income Account", check_company=True
    )
    kopdes_loan_margin_income_account_id = fields.Many2one(
        "account.account", string="Default Murabahah Margin Account", check_company=True
    )
    kopdes_loan_fee_income_account_id = fields.Many2one(
        "account.account", string="Default Admin Fee Income Account", check_company=True
    )
    kopdes_loan_late_fee_account_id = fields.Many2one(
        "account.account", string="Default Late Fee Income Account", check_company=True
    )
    kopdes_loan_social_fund_account_id = fields.Many2one(
        "account.account", string="Social Fund Account", check_company=True
    )
    kopdes_loan_provision_account_id = fields.Many2one(
        "account.account",
        string="Loan Loss Provision Account (PPAP)",
        check_company=True,
        help="Contra-asset account of the provision for loan losses.",
    )
    kopdes_loan_provision_expense_account_id = fields.Many2one(
        "account.account", string="Provision Expense Account", check_company=True
    )
    kopdes_loan_clearing_account_id = fields.Many2one(
        "account.account",
        string="Savings-to-Loan Clearing Account",
        check_company=True,
        help="Transit account of repayments taken from voluntary savings; always back to zero.",
    )
    kopdes_loan_block_overdue = fields.Boolean(
        string="Block New Loans of Late Members",
        default=True,
        help="A member with an overdue loan gets a new loan only with a manager's override.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._kopdes_setup_financing()
        return companies

    @api.model
    def _kopdes_financing_setup_all(self):
        """Install step: set up every company."""
        self.sudo().search([])._kopdes_setup_financing()

    def _kopdes_setup_financing(self):
        """Sequences, collectability classes and approval limits. The financing accounts
        and journal come from the chart templates (``account_chart_template.py``); for a
        chart loaded before this addon was installed, they are added here."""
        self.env["account.chart.template"].sudo()._kopdes_load_missing_templates(
            self.sudo(),
            FINANCING_ACCOUNTS,
            "_get_kopdes_financing_account_journal",
            "_get_kopdes_financing_res_company",
        )
        for company in self:
            company._kopdes_loan_sequences()
            company._kopdes_loan_default_classes()
            company._kopdes_loan_default_limits()

    def _kopdes_loan_sequences(self):
        self.ensure_one()
        Sequence = self.env["ir.sequence"].sudo()
        for code, name, prefix in (
            ("kopdes.loan", _("Loans of %(company)s", company=self.name), "PB/%(year)s/"),
            (
                "kopdes.loan.payment",
                _("Loan Payments of %(company)s", company=self.name),
                "ANG/%(year)s/",
            ),
        ):
            if not Sequence.search_count([("code", "=", code), ("company_id", "=", self.id)]):
                Sequence.create(
                    {
                        "name": name,
                        "code": code,
                        "prefix": prefix,
                        "padding": 5,
                        "company_id": self.id,
                        "use_date_range": False,
                    }
                )

    def _kopdes_loan_default_classes(self):
        self.ensure_one()
        Class = self.env["kopdes.loan.collectability"].sudo()
        if Class.search_count([("company_id", "=", self.id)]):
            return
        Class.create(
            [
                {
                    "name": cls.name,
                    "code": cls.code,
                    "company_id": self.id,
                    "min_days": cls.min_days,
                    "provision_rate": float(cls.provision_rate),
                    "deduct_collateral": cls.deduct_collateral,
                    "non_performing": cls.non_performing,
                    "color": int(cls.code),
                }
                for cls in collectability_tools.DEFAULT_CLASSES
            ]
        )

    def _kopdes_loan_default_limits(self):
        """Pengurus may approve up to Rp 50.000.000 until the cooperative decides otherwise."""
        self.ensure_one()
        Limit = self.env["kopdes.loan.approval.limit"].sudo()
        group = self.env.ref("kopdes_members.group_kopdes_manager", raise_if_not_found=False)
        if group and not Limit.search_count([("company_id", "=", self.id)]):
            Limit.create({"company_id": self.id, "group_id": group.id, "max_amount": 50_000_000})

    def _kopdes_loan_default_accounts(self):
        """``{product field: account}``: the company's default financing accounts."""
        self.ensure_one()
        company = self.sudo()
        return {
            product_field: company[company_field].sudo(False)
            for product_field, company_field in PRODUCT_DEFAULTS.items()
        }

    def _kopdes_loan_journal(self):
        self.ensure_one()
        return self.sudo().kopdes_loan_journal_id.sudo(False)

    def _kopdes_setup_names(self):
        names = super()._kopdes_setup_names()
        for company in self.sudo().filtered("kopdes_loan_journal_id"):
            names.append((company.kopdes_loan_journal_id, "name", "Financing", "kopdes_financing"))
        return names

    def _kopdes_loan_clearing_account(self):
        self.ensure_one()
        return self.sudo().kopdes_loan_clearing_account_id
