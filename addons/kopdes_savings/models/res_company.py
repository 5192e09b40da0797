import logging

from odoo import _, api, fields, models

_logger = logging.getLogger(__name__)

# default accounts: key -> (code prefix, name, account type)
DEFAULT_ACCOUNTS = {
    "pokok": ("313", "Simpanan Pokok Anggota", "equity"),
    "wajib": ("314", "Simpanan Wajib Anggota", "equity"),
    "sukarela": ("215", "Simpanan Sukarela Anggota", "liability_current"),
    "berjangka": ("216", "Simpanan Berjangka Anggota", "liability_current"),
    "interest": ("915", "Beban Jasa Simpanan Anggota", "expense"),
}

# default products: kind -> values (amounts in rupiah)
DEFAULT_PRODUCTS = {
    "pokok": {"name": "Simpanan Pokok", "code": "SP", "sequence": 10, "amount": 100000.0},
    "wajib": {
        "name": "Simpanan Wajib",
        "code": "SW",
        "sequence": 20,
        "amount": 20000.0,
        "period": "monthly",
    },
    "sukarela": {
        "name": "Simpanan Sukarela",
        "code": "SS",
        "sequence": 30,
        "interest_rate": 3.0,
        "interest_base": "minimum",
        "interest_min_balance": 50000.0,
    },
    "berjangka": {
        "name": "Simpanan Berjangka",
        "code": "SB",
        "sequence": 40,
        "interest_rate": 5.0,
        "interest_base": "average",
        "term_months": 12,
    },
}


class ResCompany(models.Model):
    _inherit = "res.company"

    kopdes_savings_journal_id = fields.Many2one(
        "account.journal",
        string="Savings Journal",
        check_company=True,
        help="Journal of the savings entries (deposits, withdrawals, interest, exits).",
    )
    kopdes_savings_cash_journal_id = fields.Many2one(
        "account.journal",
        string="Teller Cash Journal",
        check_company=True,
        help="Default cash or bank journal of deposits and withdrawals at the counter.",
    )
    kopdes_savings_approval_limit = fields.Monetary(
        string="Withdrawal Approval Limit",
        currency_field="currency_id",
        help="Withdrawals above this amount wait for the approval of a manager (Pengurus). "
        "Zero: no approval needed.",
    )
    kopdes_savings_sequence_id = fields.Many2one(
        "ir.sequence", string="Savings Transaction Numbers", copy=False
    )

    @api.model
    def _kopdes_savings_setup_all(self):
        """Install step: set up every cooperative that has a chart of accounts."""
        self.search([])._kopdes_savings_setup()
        members = self.env["kopdes.member"].search([("state", "=", "active")])
        members._kopdes_savings_open_accounts()

    def _kopdes_savings_setup(self):
        """Create the default savings accounts, journal, sequence and the four standard
        products for companies that have a chart of accounts and no savings products yet.

        Works on top of any chart (Indonesian l10n_id, generic, ...): account codes follow
        the length of the chart's codes and are taken from the first free code.
        Idempotent: companies that already have savings products are left alone.
        """
        Product = self.env["kopdes.savings.product"].sudo()
        for company in self.sudo():
            if not company.chart_template and not self.env["account.account"].sudo().search_count(
                [("company_ids", "in", company.id)], limit=1
            ):
                continue
            company._kopdes_savings_transaction_sequence()
            journal = company._kopdes_savings_journal()
            if not company.kopdes_savings_cash_journal_id:
                company.kopdes_savings_cash_journal_id = self.env["account.journal"].search(
                    [("company_id", "=", company.id), ("type", "=", "cash")], limit=1
                ) or self.env["account.journal"].search(
                    [("company_id", "=", company.id), ("type", "=", "bank")], limit=1
                )
            company._kopdes_savings_pos_payment_method()
            if Product.with_context(active_test=False).search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                continue
            accounts = {
                key: company._kopdes_savings_new_account(*spec)
                for key, spec in DEFAULT_ACCOUNTS.items()
            }
            factor = 1.0 if company.currency_id.name == "IDR" else 0.0001
            vals_list = []
            for kind, defaults in DEFAULT_PRODUCTS.items():
                vals = dict(defaults, kind=kind, company_id=company.id, journal_id=journal.id)
                for money in ("amount", "interest_min_balance"):
                    if money in vals:
                        vals[money] = company.currency_id.round(vals[money] * factor)
                vals["account_id"] = accounts[kind].id
                if vals.get("interest_rate"):
                    vals["interest_account_id"] = accounts["interest"].id
                vals_list.append(vals)
            Product.with_context(tracking_disable=True).create(vals_list)
            _logger.info("Savings products set up for %s", company.name)

    def _kopdes_savings_new_account(self, prefix, name, account_type):
        """An account named ``name`` of the company, created with a free code if missing."""
        self.ensure_one()
        Account = self.env["account.account"].sudo().with_company(self)
        existing = Account.search(
            [
                ("company_ids", "in", self.id),
                ("name", "=", name),
                ("account_type", "=", account_type),
            ],
            limit=1,
        )
        if existing:
            return existing
        sample = Account.search([("company_ids", "in", self.id)], order="id", limit=1)
        length = len(sample.code) if sample.code and sample.code.isdigit() else 6
        length = max(length, len(prefix) + 2)
        start = prefix + "0" * (length - len(prefix) - 1) + "1"
        code = Account._search_new_account_code(start, cache=set())
        return Account.create(
            {
                "name": name,
                "code": code,
                "account_type": account_type,
                "company_ids": [(6, 0, [self.id])],
                "reconcile": False,
            }
        )

    def _kopdes_savings_pos_payment_method(self):
        """The company's POS payment method "Simpanan Sukarela", created on first use."""
        self.ensure_one()
        Method = self.env["pos.payment.method"].sudo().with_context(active_test=False)
        method = Method.search(
            [("company_id", "=", self.id), ("kopdes_savings_payment", "=", True)], limit=1
        )
        if not method:
            method = Method.create(
                {
                    "name": _("Simpanan Sukarela"),
                    "company_id": self.id,
                    "split_transactions": True,
                    "kopdes_savings_payment": True,
                }
            )
        return method

    def _kopdes_savings_journal(self):
        """The company's savings journal (general), created on first use."""
        self.ensure_one()
        if not self.kopdes_savings_journal_id:
            Journal = self.env["account.journal"].sudo()
            journal = Journal.search(
                [("company_id", "=", self.id), ("code", "=", "SMPN")], limit=1
            ) or Journal.create(
                {
                    "name": _("Member Savings"),
                    "code": "SMPN",
                    "type": "general",
                    "company_id": self.id,
                    "show_on_dashboard": False,
                }
            )
            self.sudo().kopdes_savings_journal_id = journal
        return self.sudo().kopdes_savings_journal_id

    def _kopdes_savings_cash_journal(self):
        """The default teller journal (cash), or the first cash or bank journal."""
        self.ensure_one()
        return self.sudo().kopdes_savings_cash_journal_id or self.env[
            "account.journal"
        ].sudo().search(
            [("company_id", "=", self.id), ("type", "in", ("cash", "bank"))], order="type", limit=1
        )

    def _kopdes_savings_transaction_sequence(self):
        """The company's savings transaction sequence, created on first use."""
        self.ensure_one()
        if not self.sudo().kopdes_savings_sequence_id:
            sequence = (
                self.env["ir.sequence"]
                .sudo()
                .create(
                    {
                        "name": _("Savings Transactions of %(company)s", company=self.name),
                        "code": "kopdes.savings.transaction",
                        "prefix": "SMP/%(year)s/",
                        "padding": 6,
                        "company_id": self.id,
                    }
                )
            )
            self.sudo().kopdes_savings_sequence_id = sequence
        return self.sudo().kopdes_savings_sequence_id
