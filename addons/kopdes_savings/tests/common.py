from contextlib import contextmanager
from datetime import date
from unittest.mock import patch

from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase

from odoo.addons.kopdes_members.tests.common import make_nik

# everything a client could send over RPC to pretend to be the system, or another day
FORGED_CONTEXT = {
    "kopdes_state_change": True,
    "kopdes_savings_posting": True,
    "kopdes_exit_settlement": True,
    "kopdes_savings_dues": True,
    "kopdes_loan_posting": True,
    "date": "2099-12-31",
    "tz": "Pacific/Kiritimati",
}


def books_snapshot(env, company):
    """What must not change when something is refused: entries, lines, transactions, balances."""
    env.flush_all()
    env.cr.execute(
        """
        SELECT (SELECT COUNT(*) FROM account_move WHERE company_id = %(c)s),
               (SELECT COUNT(*) FROM account_move_line WHERE company_id = %(c)s),
               (SELECT COALESCE(SUM(balance), 0) FROM account_move_line
                 WHERE company_id = %(c)s AND parent_state = 'posted'),
               (SELECT COUNT(*) FROM kopdes_savings_transaction WHERE company_id = %(c)s),
               (SELECT COUNT(*) FROM kopdes_savings_transaction
                 WHERE company_id = %(c)s AND state = 'posted'),
               (SELECT COALESCE(SUM(balance), 0) FROM kopdes_savings_account
                 WHERE company_id = %(c)s)
        """,
        {"c": company.id},
    )
    return env.cr.fetchone()


class KopdesSavingsCommon(TransactionCase):
    """A cooperative on the Indonesian chart of accounts (IDR) with staff and members. (The
    generic chart would load ten times faster, but it switches a new company to US dollars
    before the savings products are made, so their rupiah amounts come out wrong.)"""

    chart_template = "id"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls._create_cooperative("KKMP Uji Simpanan")
        cls.env = cls.env(context=dict(cls.env.context, allowed_company_ids=[cls.company.id]))
        cls.company = cls.company.with_env(cls.env)
        Product = cls.env["kopdes.savings.product"]
        cls.pokok = Product.search([("company_id", "=", cls.company.id), ("kind", "=", "pokok")])
        cls.wajib = Product.search([("company_id", "=", cls.company.id), ("kind", "=", "wajib")])
        cls.sukarela = Product.search(
            [("company_id", "=", cls.company.id), ("kind", "=", "sukarela")]
        )
        cls.berjangka = Product.search(
            [("company_id", "=", cls.company.id), ("kind", "=", "berjangka")]
        )
        cls.cash_journal = cls.company.kopdes_savings_cash_journal_id
        common = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.user_petugas = new_test_user(
            cls.env, login="sav_petugas", groups="kopdes_members.group_kopdes_user", **common
        )
        cls.user_officer = new_test_user(
            cls.env,
            login="sav_officer",
            groups="kopdes_members.group_kopdes_loan_officer",
            **common,
        )
        cls.user_pengurus = new_test_user(
            cls.env, login="sav_pengurus", groups="kopdes_members.group_kopdes_manager", **common
        )
        cls.user_akuntan = new_test_user(
            cls.env, login="sav_akuntan", groups="kopdes_members.group_kopdes_accountant", **common
        )
        cls.member_a = cls._create_member(9101, "Anggota Satu")
        cls.member_b = cls._create_member(9102, "Anggota Dua")

    @classmethod
    def _create_cooperative(cls, name, chart_template=None):
        company = cls.env["res.company"].create(
            {
                "name": name,
                "country_id": cls.env.ref("base.id").id,
                "currency_id": cls.env.ref("base.IDR").id,
            }
        )
        cls.env.user.company_ids = [Command.link(company.id)]
        cls.env["account.chart.template"].try_loading(
            chart_template or cls.chart_template, company=company, install_demo=False
        )
        # the generic chart switches a new company to its fiscal country's currency (US
        # dollars); a cooperative keeps the rupiah, as the demo cooperative does
        if company.currency_id != cls.env.ref("base.IDR"):
            company.currency_id = cls.env.ref("base.IDR")
        return company

    @classmethod
    def _create_member(cls, serial, name, company=None, **overrides):
        company = company or cls.company
        vals = {
            "name": name,
            "nik": make_nik(serial),
            "mobile": f"0813{serial:08d}",
            "village": "Sokoduwet",
            "company_id": company.id,
            "state": "active",
            "join_date": date(2024, 1, 15),
        }
        vals.update(overrides)
        return cls.env["kopdes.member"].with_company(company).create(vals)

    @contextmanager
    def assertRaisesMessage(self, exception, fragment):
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(fragment, str(caught.exception))

    @contextmanager
    def assertBooksUnchanged(self, company=None):
        """The block must leave entries, transactions and balances exactly as they were."""
        before = books_snapshot(self.env, company or self.company)
        yield
        self.env.invalidate_all()
        self.assertEqual(books_snapshot(self.env, company or self.company), before)

    def watch(self, model, method):
        """Spy on the hook ``method`` of ``model``: the real method still runs (the mock
        only records its calls, as an extension overriding it would see them)."""
        cls = type(self.env[model])
        return patch.object(cls, method, autospec=True, side_effect=getattr(cls, method))

    def savers(self, nik_prefix, count, start, amount=100000):
        """``count`` new active members (NIKs ``nik_prefix`` + 4 digits) who opened a sukarela
        account on ``start`` and deposited ``amount`` that day."""
        members = self.env["kopdes.member"].create(
            [
                {
                    "name": f"Penabung {nik_prefix[-2:]}-{i}",
                    "nik": f"{nik_prefix}{i:04d}",
                    "company_id": self.company.id,
                    "state": "active",
                    "join_date": start,
                }
                for i in range(1, count + 1)
            ]
        )
        for member in members:
            member._kopdes_savings_account(
                "sukarela", create=True, open_date=start
            )._kopdes_deposit(amount, date=start)
        return members

    def account(self, member, kind):
        return member._kopdes_savings_account(kind, create=True, open_date=date(2024, 1, 15))

    def deposit(self, member, kind, amount, day=None, **vals):
        return self.account(member, kind)._kopdes_deposit(amount, date=day, **vals)

    def withdraw(self, member, kind, amount, day=None, **vals):
        return self.account(member, kind)._kopdes_withdraw(amount, date=day, **vals)

    def gl_balance(self, gl_account, partner=None):
        """Credit balance of a general-ledger account (posted lines), optionally per partner."""
        domain = [("account_id", "=", gl_account.id), ("parent_state", "=", "posted")]
        if partner:
            domain.append(("partner_id", "=", partner.id))
        lines = self.env["account.move.line"].search(domain)
        return -sum(lines.mapped("balance"))
