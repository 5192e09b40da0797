import logging
import random
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..tools import periods
from .account_chart_template import SAVINGS_ACCOUNTS

_logger = logging.getLogger(__name__)

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
    kopdes_savings_pph_threshold = fields.Monetary(
        string="Interest Tax Threshold",
        currency_field="currency_id",
        default=240000.0,
        help="PPh final on savings interest (PP 15/2009): no tax when a member's interest of "
        "the month is at most this amount; above it the rate applies to the whole interest.",
    )
    kopdes_savings_pph_rate = fields.Float(
        string="Interest Tax Rate (%)",
        default=10.0,
        help="Rate of the PPh final withheld on a member's whole interest of the month when "
        "it is above the threshold.",
    )
    kopdes_savings_pph_account_id = fields.Many2one(
        "account.account",
        string="Interest Tax Payable Account",
        check_company=True,
        help="Liability account credited with the PPh final withheld on savings interest "
        "(PPh Pasal 4 ayat 2 terutang).",
    )
    kopdes_savings_sequence_id = fields.Many2one(
        "ir.sequence", string="Savings Transaction Numbers", copy=False
    )

    @api.constrains("kopdes_savings_pph_threshold", "kopdes_savings_pph_rate")
    def _check_kopdes_savings_pph(self):
        for company in self:
            if company.kopdes_savings_pph_threshold < 0:
                raise ValidationError(_("The interest tax threshold cannot be negative."))
            if not 0 <= company.kopdes_savings_pph_rate < 100:
                raise ValidationError(
                    _("The interest tax rate must be at least 0 % and below 100 %.")
                )

    @api.model
    def _kopdes_savings_setup_all(self):
        """Install step: set up every cooperative that has a chart of accounts, and open the
        pokok and wajib accounts of the active members."""
        self.sudo().search([])._kopdes_savings_setup()
        members = self.env["kopdes.member"].search([("state", "=", "active")])
        members._kopdes_savings_open_accounts()

    def _kopdes_savings_setup(self):
        """The transaction sequence, the POS payment method and the four standard products
        of companies that have a chart of accounts and no savings products yet.

        The accounts and the journal come from the chart templates
        (``account_chart_template.py``), for any chart; a branch uses those of its root
        company; for a chart loaded before this addon was installed, they are added here.
        Idempotent: companies that already have savings products are left alone.
        """
        self.env["account.chart.template"].sudo()._kopdes_load_missing_templates(
            self.sudo(),
            SAVINGS_ACCOUNTS,
            "_get_kopdes_savings_account_journal",
            "_get_kopdes_savings_res_company",
        )
        Product = self.env["kopdes.savings.product"].sudo()
        for company in self.sudo():
            if not company.chart_template:
                continue
            company._kopdes_savings_transaction_sequence()
            company._kopdes_savings_pos_payment_method()
            if Product.with_context(active_test=False).search_count(
                [("company_id", "=", company.id)], limit=1
            ):
                continue
            ChartTemplate = self.env["account.chart.template"].with_company(company)
            accounts = {
                xmlid.removeprefix("kopdes_savings_"): ChartTemplate.ref(
                    xmlid, raise_if_not_found=False
                )
                for xmlid in SAVINGS_ACCOUNTS
            }
            journal = company.kopdes_savings_journal_id
            if not journal or not all(accounts.values()):
                _logger.warning("%s has no savings accounts or journal: no products", company.name)
                continue
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
            company._kopdes_translate_setup_names()
            _logger.info("Savings products set up for %s", company.name)

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

    def _kopdes_setup_names(self):
        names = super()._kopdes_setup_names()
        for company in self.filtered("kopdes_savings_journal_id"):
            names.append(
                (company.kopdes_savings_journal_id, "name", "Member Savings", "kopdes_savings")
            )
        return names

    def _kopdes_savings_cash_journal(self):
        """The default cash or bank journal of money paid at the counter (savings, loans):
        the company's teller journal, or its first cash, then bank journal."""
        self.ensure_one()
        Journal = self.env["account.journal"]
        journal = self.sudo().kopdes_savings_cash_journal_id
        if not journal:
            domain = Journal._check_company_domain(self)
            journal = Journal.sudo().search(
                [*domain, ("type", "=", "cash")], limit=1
            ) or Journal.sudo().search([*domain, ("type", "=", "bank")], limit=1)
        return Journal.browse(journal.id)

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

    # ------------------------------------------------------------------ demo

    @api.model
    def _kopdes_savings_demo(self, company_ids, pos_config_xmlid=None):
        """Demo data: a year of savings for the active members of the demo cooperatives.

        Deterministic (seeded): pokok on joining, wajib every month with a few members in
        arrears, sukarela deposits and withdrawals, two time deposits, a corrected mistake,
        the month-end interest of each finished month and one large withdrawal waiting for
        approval. Also adds the "Simpanan Sukarela" payment method to the demo shop.
        """
        companies = self.browse(company_ids).with_context(tracking_disable=True)
        for company in companies:
            company._kopdes_savings_setup()
            if not self.env["kopdes.savings.product"].search_count(
                [("company_id", "=", company.id)]
            ):
                continue
            company.with_company(company)._kopdes_savings_demo_history()
        config = pos_config_xmlid and self.env.ref(pos_config_xmlid, raise_if_not_found=False)
        if config:
            method = config.company_id._kopdes_savings_pos_payment_method()
            config.payment_method_ids = [(4, method.id)]

    def _kopdes_savings_demo_history(self):
        self.ensure_one()
        rng = random.Random(2026)
        env = self.env(context=dict(self.env.context, allowed_company_ids=self.ids))
        today = fields.Date.context_today(env["kopdes.savings.transaction"])
        first = periods.add_months(periods.period_start(today), -11)
        Member = env["kopdes.member"]
        members = Member.search(
            [("company_id", "=", self.id), ("state", "=", "active")],
            order="member_number",
        )
        members._kopdes_savings_open_accounts()
        Due = env["kopdes.savings.due"]
        months = periods.periods_between(first, today)
        for month in months:
            Due._kopdes_generate(self, month)
        wajib_product = env["kopdes.savings.product"].search(
            [("company_id", "=", self.id), ("kind", "=", "wajib")], limit=1
        )
        late_payers = set(members[3::7].ids)  # a few members stopped paying a while ago
        for member in members:
            start = max(member.join_date or first, first)
            pokok = member._kopdes_savings_account("pokok")
            if not pokok:
                continue
            pokok_account_start = max(start, pokok.open_date)
            pokok._kopdes_deposit(pokok.product_id.amount, date=pokok_account_start)
            wajib = member._kopdes_savings_account("wajib")
            for month in months:
                day = max(month + timedelta(days=rng.randint(0, 9)), wajib.open_date)
                if day > today or day < start:
                    continue
                if member.id in late_payers and month >= periods.add_months(
                    periods.period_start(today), -rng.randint(2, 4)
                ):
                    continue
                wajib._kopdes_deposit(wajib_product.amount, date=day, ref="Setoran bulanan")
            if rng.random() < 0.7 or member.member_number in ("AGT-00001",):
                sukarela = member._kopdes_savings_account("sukarela", create=True, open_date=start)
                balance = 0.0
                day = start
                while True:
                    day += timedelta(days=rng.randint(12, 45))
                    if day > today:
                        break
                    if balance > 100000 and rng.random() < 0.35:
                        amount = rng.randint(1, int(balance * 0.6) // 5000 + 1) * 5000
                        amount = min(amount, balance)
                        sukarela._kopdes_withdraw(amount, date=day, ref="Penarikan tunai")
                        balance -= amount
                    else:
                        amount = rng.choice((50000, 100000, 150000, 250000, 500000))
                        sukarela._kopdes_deposit(amount, date=day, ref="Setoran tunai")
                        balance += amount
        # two time deposits and a teller's mistake, corrected by a reversal
        for member in members[1:3]:
            opened = periods.add_months(today, -5)
            if member.join_date and member.join_date > opened:
                continue
            deposit = member._kopdes_savings_account("berjangka", create=True, open_date=opened)
            deposit._kopdes_deposit(5000000, date=opened, ref="Deposito 12 bulan")
        sukarela = members[:1]._kopdes_savings_account("sukarela")
        if sukarela:
            mistake = sukarela._kopdes_deposit(
                1000000, date=today - timedelta(days=3), ref="Salah ketik: 100.000"
            )
            mistake.action_reverse(reason="Setoran sebenarnya Rp 100.000")
            sukarela._kopdes_deposit(100000, date=today - timedelta(days=3), ref="Setoran tunai")
        # month-end interest of every finished month, in order
        Batch = env["kopdes.savings.interest.batch"]
        for month in months[:-1]:
            Batch._kopdes_run(self, month)
        # a large withdrawal waiting for a manager
        self.kopdes_savings_approval_limit = 1000000
        richest = env["kopdes.savings.account"].search(
            [("company_id", "=", self.id), ("kind", "=", "sukarela"), ("balance", ">=", 1100000)],
            order="balance desc",
            limit=1,
        )
        if richest:
            request = env["kopdes.savings.transaction"].create(
                {
                    "account_id": richest.id,
                    "type": "withdrawal",
                    "amount": 1100000,
                    "ref": "Biaya sekolah anak",
                }
            )
            request._kopdes_check_posting()
            request.with_context(kopdes_savings_posting=True).write({"state": "to_approve"})
            request._kopdes_request_approval()
