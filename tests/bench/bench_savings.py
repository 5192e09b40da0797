"""Benchmark: month-end of a cooperative of 10,000 members (wajib dues and sukarela interest).

Run by ``make bench`` (scripts/bench.sh: fresh database without demo data). Prints the time
and the number of SQL queries of each job for 1,000 and for 10,000 members; the number of
queries must be the same for both sizes (it does not grow with the members), and each job
must finish in well under a minute. ``KOPDES_BENCH_MEMBERS`` changes the large size.
"""

import os
import time
from datetime import date

from odoo import Command
from odoo.fields import Date
from odoo.tests import tagged
from odoo.tests.common import TransactionCase

from odoo.addons.kopdes_savings.tools import periods

LARGE = int(os.environ.get("KOPDES_BENCH_MEMBERS", "10000"))
SMALL = max(LARGE // 10, 1)
LIMIT_SECONDS = 30.0  # "well under a minute" on a 2-core machine


@tagged("post_install", "-at_install")
class BenchSavingsMonthEnd(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(
            context=dict(
                cls.env.context, tracking_disable=True, mail_create_nolog=True, mail_notrack=True
            )
        )
        today = Date.context_today(cls.env["kopdes.savings.due"])
        cls.month = periods.previous_period(today)  # the month that just ended
        cls.opening_day = periods.add_months(cls.month, -1)

    def _cooperative(self, name, size):
        """A cooperative with ``size`` active members, each with a sukarela balance."""
        started = time.monotonic()
        company = self.env["res.company"].create(
            {
                "name": name,
                "country_id": self.env.ref("base.id").id,
                "currency_id": self.env.ref("base.IDR").id,
            }
        )
        self.env.user.company_ids = [Command.link(company.id)]
        l10n_id = self.env["ir.module.module"].search(
            [("name", "=", "l10n_id"), ("state", "=", "installed")]
        )
        self.env["account.chart.template"].try_loading(
            "id" if l10n_id else "generic_coa", company=company, install_demo=False
        )
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        Member = env["kopdes.member"]
        members = Member.browse()
        for start in range(0, size, 2000):
            members |= Member.create(
                [
                    {
                        "name": f"Anggota {i}",
                        "nik": f"3375040101{60 + i // 9999:02d}{i % 9999 + 1:04d}",
                        "company_id": company.id,
                        "state": "active",
                        "join_date": date(2024, 1, 1),
                    }
                    for i in range(start, min(start + 2000, size))
                ]
            )
        sukarela = env["kopdes.savings.product"].search(
            [("company_id", "=", company.id), ("kind", "=", "sukarela")]
        )
        accounts = env["kopdes.savings.account"].create(
            [
                {
                    "member_id": member.id,
                    "product_id": sukarela.id,
                    "company_id": company.id,
                    "open_date": date(2024, 1, 1),
                }
                for member in members
            ]
        )
        self._opening_balances(env, company, sukarela, accounts)
        env.flush_all()
        env.invalidate_all()
        print(f"\n  setup {name}: {size} members in {time.monotonic() - started:.1f} s")
        return company

    def _opening_balances(self, env, company, product, accounts):
        """Opening deposits (100,000 to 1,000,000) as posted transactions with one entry."""
        amounts = [100000.0 * (1 + index % 10) for index in range(len(accounts))]
        cash = company._kopdes_savings_cash_journal().default_account_id
        move = (
            env["account.move"]
            .with_context(kopdes_savings_posting=True)
            .create(
                {
                    "journal_id": product.journal_id.id,
                    "date": self.opening_day,
                    "ref": "Saldo awal",
                    "line_ids": [
                        Command.create(
                            {
                                "account_id": product.account_id.id,
                                "credit": sum(amounts),
                                "debit": 0,
                            }
                        ),
                        Command.create({"account_id": cash.id, "debit": sum(amounts), "credit": 0}),
                    ],
                }
            )
        )
        move._post()
        env.cr.execute(
            """
            INSERT INTO kopdes_savings_transaction (
                name, company_id, member_id, partner_id, kind, account_id, product_id, type,
                origin_type, date, amount, signed_amount, state, counterpart_account_id,
                move_id, balance_after, create_uid, create_date, write_uid, write_date)
            SELECT 'SALDO/' || a.id, a.company_id, a.member_id, a.partner_id, a.kind, a.id,
                   a.product_id, 'deposit', 'deposit', %(day)s, v.amount, v.amount, 'posted',
                   %(cash)s, %(move)s, v.amount, 1, now(), 1, now()
              FROM unnest(%(ids)s::int[], %(amounts)s::numeric[]) AS v(id, amount)
              JOIN kopdes_savings_account a ON a.id = v.id;
            UPDATE kopdes_savings_account a SET balance = v.amount
              FROM unnest(%(ids)s::int[], %(amounts)s::numeric[]) AS v(id, amount)
             WHERE a.id = v.id;
            """,
            {
                "day": self.opening_day,
                "cash": cash.id,
                "move": move.id,
                "ids": accounts.ids,
                "amounts": amounts,
            },
        )
        env.invalidate_all()

    def _measure(self, company):
        results = {}
        env = self.env(context=dict(self.env.context, allowed_company_ids=company.ids))
        for job, run in (
            ("wajib dues", lambda: env["kopdes.savings.due"]._kopdes_generate(company, self.month)),
            (
                "sukarela interest",
                lambda: env["kopdes.savings.interest.batch"]._kopdes_run(company, self.month),
            ),
        ):
            env.flush_all()
            env.invalidate_all()
            queries = env.cr.sql_log_count
            started = time.monotonic()
            outcome = run()
            env.flush_all()
            results[job] = (time.monotonic() - started, env.cr.sql_log_count - queries, outcome)
        return results

    def test_month_end(self):
        small = self._measure(self._cooperative("KKMP Bench Kecil", SMALL))
        large = self._measure(self._cooperative("KKMP Bench Besar", LARGE))
        print(f"\n  {'job':<18} {'members':>8} {'seconds':>8} {'queries':>8}")
        for job in ("wajib dues", "sukarela interest"):
            for size, results in ((SMALL, small), (LARGE, large)):
                seconds, queries, _outcome = results[job]
                print(f"  {job:<18} {size:>8} {seconds:>8.2f} {queries:>8}")
        dues_small, dues_large = small["wajib dues"], large["wajib dues"]
        self.assertEqual(dues_small[2], SMALL)
        self.assertEqual(dues_large[2], LARGE)
        batch_small, batch_large = small["sukarela interest"][2], large["sukarela interest"][2]
        self.assertEqual(batch_small.account_count, SMALL)
        self.assertEqual(batch_large.account_count, LARGE)
        self.assertEqual(len(batch_large.move_ids), 1)
        for job in ("wajib dues", "sukarela interest"):
            with self.subTest(job=job):
                self.assertEqual(small[job][1], large[job][1], "queries grow with the members")
                self.assertLess(large[job][0], LIMIT_SECONDS)
