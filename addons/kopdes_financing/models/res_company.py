from odoo import Command, _, api, fields, models

from ..tools import collectability as collectability_tools

# field on res.company: (code, name, account type) of the account made when missing
DEFAULT_ACCOUNTS = {
    "kopdes_loan_principal_account_id": ("11230010", "Piutang Pinjaman Anggota", "asset_current"),
    "kopdes_loan_interest_receivable_account_id": (
        "11230020",
        "Piutang Bunga dan Denda Pinjaman",
        "asset_current",
    ),
    "kopdes_loan_provision_account_id": (
        "11230090",
        "Penyisihan Penghapusan Pinjaman (PPAP)",
        "asset_current",
    ),
    "kopdes_loan_interest_income_account_id": (
        "41100010",
        "Pendapatan Bunga Pinjaman",
        "income",
    ),
    "kopdes_loan_margin_income_account_id": (
        "41100020",
        "Pendapatan Margin Murabahah",
        "income",
    ),
    "kopdes_loan_fee_income_account_id": (
        "41100030",
        "Pendapatan Administrasi Pinjaman",
        "income",
    ),
    "kopdes_loan_late_fee_account_id": ("41100040", "Pendapatan Denda Pinjaman", "income"),
    "kopdes_loan_social_fund_account_id": (
        "21900010",
        "Dana Kebajikan (Denda Murabahah)",
        "liability_current",
    ),
    "kopdes_loan_clearing_account_id": (
        "11230099",
        "Transit Angsuran dari Simpanan",
        "asset_current",
    ),
    "kopdes_loan_provision_expense_account_id": (
        "68100010",
        "Beban Penyisihan Penghapusan Pinjaman",
        "expense",
    ),
}

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

    def _kopdes_setup_financing(self):
        """Sequences, collectability classes and approval limits; accounts and the
        financing journal when the company has a chart of accounts."""
        for company in self:
            company._kopdes_loan_sequences()
            company._kopdes_loan_default_classes()
            company._kopdes_loan_default_limits()
            company._kopdes_loan_default_accounts()
            company._kopdes_loan_journal()

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

    def _kopdes_has_chart(self):
        self.ensure_one()
        return bool(
            self.chart_template
            or self.env["account.account"]
            .sudo()
            .search_count([("company_ids", "in", self.id)], limit=1)
        )

    def _kopdes_loan_default_accounts(self):
        """``{product field: account}``: the company's default financing accounts, made
        the first time they are needed when the company has a chart of accounts."""
        self.ensure_one()
        company = self.sudo()
        if company._kopdes_has_chart():
            Account = self.env["account.account"].sudo().with_company(company)
            for field_name, (code, name, account_type) in DEFAULT_ACCOUNTS.items():
                if company[field_name]:
                    continue
                account = Account.search(
                    [("company_ids", "in", company.id), ("code", "=", code)], limit=1
                )
                if not account:
                    account = Account.create(
                        {
                            "code": code,
                            "name": name,
                            "account_type": account_type,
                            "company_ids": [Command.set(company.ids)],
                        }
                    )
                company[field_name] = account
        return {
            product_field: company[company_field]
            for product_field, company_field in PRODUCT_DEFAULTS.items()
        }

    def _kopdes_loan_journal(self):
        self.ensure_one()
        company = self.sudo()
        if company.kopdes_loan_journal_id or not company._kopdes_has_chart():
            return company.kopdes_loan_journal_id
        Journal = self.env["account.journal"].sudo()
        journal = Journal.search([("company_id", "=", company.id), ("code", "=", "PMB")], limit=1)
        if not journal:
            journal = Journal.create(
                {
                    "name": _("Financing"),
                    "code": "PMB",
                    "type": "general",
                    "company_id": company.id,
                }
            )
        company.kopdes_loan_journal_id = journal
        self._kopdes_translate_setup_names()
        return journal

    def _kopdes_setup_names(self):
        names = super()._kopdes_setup_names()
        for company in self.sudo().filtered("kopdes_loan_journal_id"):
            names.append((company.kopdes_loan_journal_id, "name", "Financing", "kopdes_financing"))
        return names

    def _kopdes_loan_cash_journal(self):
        """The first cash journal of the cooperative (default for loan money)."""
        self.ensure_one()
        return self.env["account.journal"].search(
            [("company_id", "=", self.id), ("type", "=", "cash")], limit=1
        ) or self.env["account.journal"].search(
            [("company_id", "=", self.id), ("type", "=", "bank")], limit=1
        )

    def _kopdes_loan_clearing_account(self):
        self.ensure_one()
        self._kopdes_loan_default_accounts()
        return self.sudo().kopdes_loan_clearing_account_id
