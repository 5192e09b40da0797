import base64
import io
from datetime import date, timedelta
from fractions import Fraction

import openpyxl

from odoo.exceptions import AccessError, UserError, ValidationError

from .common import YEAR, KopdesShuCommon, hamilton


class TestShu(KopdesShuCommon):
    def independent(self, rule):
        """The SHU of every member straight from the raw tables (day by day savings
        balances, POS orders by customer, loan allocations), with an independent
        largest-remainder split: what the distribution must equal to the rupiah."""
        cr = self.env.cr
        self.env.flush_all()
        start, end = date(YEAR, 1, 1), date(YEAR, 12, 31)
        cr.execute(
            """
            SELECT COALESCE(SUM(l.balance), 0) FROM account_move_line l
              JOIN account_account a ON a.id = l.account_id
             WHERE l.company_id = %s AND l.parent_state = 'posted'
               AND l.date BETWEEN %s AND %s
               AND a.account_type IN ('income', 'income_other', 'expense',
                                      'expense_depreciation', 'expense_direct_cost')
            """,
            (self.company.id, start, end),
        )
        shu = -Fraction(str(cr.fetchone()[0]))
        whole = int(shu)
        pct = {
            "reserve": rule.pct_reserve,
            "capital": rule.pct_capital,
            "patronage": rule.pct_patronage,
            "management": rule.pct_management,
            "staff": rule.pct_staff,
            "education": rule.pct_education,
            "social": rule.pct_social,
            "development": rule.pct_development,
            "other": rule.pct_other,
        }
        pools = hamilton(whole, {k: Fraction(str(v)) for k, v in pct.items()})
        sub = hamilton(
            pools["patronage"],
            {
                "pos": Fraction(str(rule.patronage_pos_weight)),
                "loan": Fraction(str(rule.patronage_loan_weight)),
            },
        )
        # members of the year
        cr.execute(
            "SELECT id, partner_id, state, state_date FROM kopdes_member WHERE company_id = %s",
            (self.company.id,),
        )
        members = {}
        for mid, pid, state, state_date in cr.fetchall():
            if state in ("resigned", "deceased") and state_date < start:
                continue
            if state in ("resigned", "deceased") and rule.leaver_policy == "excluded":
                continue
            if state not in ("active", "suspended", "resigned", "deceased"):
                continue
            members[mid] = pid
        # capital: the end-of-day balance, day by day
        kinds = (
            ("pokok", "wajib", "sukarela") if rule.capital_includes_sukarela else ("pokok", "wajib")
        )
        cr.execute(
            "SELECT member_id, date, signed_amount FROM kopdes_savings_transaction "
            "WHERE company_id = %s AND state = 'posted' AND kind IN %s",
            (self.company.id, kinds),
        )
        txs = cr.fetchall()
        capital = {}
        day = start
        while day <= end:
            for mid, tx_day, amount in txs:
                if tx_day <= day and mid in members:
                    capital[mid] = capital.get(mid, 0) + Fraction(str(amount))
            day += timedelta(days=1)
        # purchases: orders of the member's contact, dated in the cooperative's time zone
        cr.execute(
            "SELECT partner_id, amount_total, date_order FROM pos_order "
            "WHERE company_id = %s AND state IN ('paid', 'done', 'invoiced')",
            (self.company.id,),
        )
        by_partner, sales_all = {}, Fraction(0)
        for pid, amount, when in cr.fetchall():
            local = (when + timedelta(hours=7)).date()  # Asia/Jakarta, no DST
            if start <= local <= end:
                sales_all += Fraction(str(amount))
                if pid:
                    by_partner[pid] = by_partner.get(pid, 0) + Fraction(str(amount))
        purchases = {m: by_partner.get(p, 0) for m, p in members.items()}
        cr.execute(
            "SELECT l.member_id, a.interest, a.late_fee FROM kopdes_loan_allocation a "
            "JOIN kopdes_loan l ON l.id = a.loan_id WHERE a.company_id = %s "
            "AND a.kind = 'payment' AND a.date BETWEEN %s AND %s",
            (self.company.id, start, end),
        )
        interest = {}
        for mid, amount, fee in cr.fetchall():
            interest[mid] = interest.get(mid, 0) + Fraction(str(amount)) + Fraction(str(fee))
        pos_pool = sub["pos"]
        member_sales = sum(purchases.values())
        if rule.exclude_non_member_surplus and sales_all:
            pos_pool = int(Fraction(pos_pool) * member_sales / sales_all)
        shares = {
            "capital": hamilton(pools["capital"], {m: v for m, v in capital.items() if v > 0}),
            "pos": hamilton(pos_pool, {m: v for m, v in purchases.items() if v > 0}),
            "loan": hamilton(sub["loan"], {m: v for m, v in interest.items() if v > 0}),
        }
        return shu, pools, pos_pool, shares, capital

    def lines(self, dist=None):
        return {line.member_id.id: line for line in (dist or self.dist).line_ids}

    def test_preview_equals_independent_calculation(self):
        self.dist.action_compute()
        shu, pools, pos_pool, shares, capital = self.independent(self.rule)
        self.assertEqual(self.dist.state, "computed")
        self.assertAlmostEqual(self.dist.shu_amount, float(shu), places=2)
        for pool in (
            "reserve",
            "capital",
            "patronage",
            "management",
            "staff",
            "education",
            "social",
            "development",
            "other",
        ):
            self.assertEqual(self.dist[f"pool_{pool}"], pools.get(pool, 0), pool)
        self.assertEqual(self.dist.pool_patronage_pos, pos_pool)
        lines = self.lines()
        for member_id, line in lines.items():
            self.assertEqual(line.capital_share, shares["capital"].get(member_id, 0))
            self.assertEqual(line.pos_share, shares["pos"].get(member_id, 0))
            self.assertEqual(line.loan_share, shares["loan"].get(member_id, 0))
            self.assertAlmostEqual(
                line.capital_base, float(capital.get(member_id, 0) / 365), places=2
            )
            self.assertEqual(line.pph, (int(line.total) * 10 + 50) // 100)  # 10 %, half up
            self.assertEqual(line.net, line.total - line.pph)
        # everyone with savings, purchases or interest has a line; e (sukarela only) none
        self.assertIn(self.member_d.id, lines)
        self.assertTrue(lines[self.member_d.id].is_leaver)
        self.assertNotIn(self.member_e.id, lines)
        self.assertGreater(lines[self.member_c.id].loan_share, 0)
        self.assertEqual(lines[self.member_a.id].loan_share, 0)
        # 2024's order and the one of 1 January (WIB) do not count: a bought 4 × 50.000
        self.assertEqual(lines[self.member_a.id].purchases, 200000)
        self.assertEqual(lines[self.member_c.id].purchases, 200000)  # 5 bought, 1 refunded

    def test_shares_sum_exactly_to_pools(self):
        self.dist.action_compute()
        lines = self.dist.line_ids
        self.assertEqual(sum(lines.mapped("capital_share")), self.dist.pool_capital)
        self.assertEqual(sum(lines.mapped("pos_share")), self.dist.pool_patronage_pos)
        self.assertEqual(sum(lines.mapped("loan_share")), self.dist.pool_patronage_loan)
        self.assertEqual(
            self.dist.pool_patronage_pos
            + self.dist.non_member_part
            + self.dist.pool_patronage_loan,
            self.dist.pool_patronage,
        )
        pools = sum(
            self.dist[f"pool_{p}"]
            for p in (
                "reserve",
                "capital",
                "patronage",
                "management",
                "staff",
                "education",
                "social",
                "development",
                "other",
            )
        )
        self.assertEqual(pools + (self.dist.unallocated), self.dist.shu_amount)
        # walk-in buyers bought 8 of the 24 units sold in the year: their part is kept out
        self.assertGreater(self.dist.non_member_part, 0)
        self.assertEqual(self.dist.pos_sales_total, 24 * 50000)
        self.assertEqual(self.dist.pos_sales_members, 16 * 50000)
        self.assertEqual(
            self.dist.pool_patronage_pos,
            int((self.dist.pool_patronage_pos + self.dist.non_member_part) * 16 / 24),
        )
        for line in lines:
            self.assertEqual(line.total, line.capital_share + line.pos_share + line.loan_share)
            self.assertEqual(line.total, int(line.total))

    def test_twice_the_purchases_twice_the_patronage(self):
        self.dist.action_compute()
        lines = self.lines()
        a, b = lines[self.member_a.id], lines[self.member_b.id]
        self.assertEqual(b.purchases, 2 * a.purchases)
        self.assertEqual(a.capital_base, b.capital_base)
        self.assertEqual(a.capital_share, b.capital_share)
        self.assertLessEqual(abs(b.pos_share - 2 * a.pos_share), 1)
        quota = (
            Fraction(int(self.dist.pool_patronage_pos))
            * Fraction(int(a.purchases))
            / Fraction(int(self.dist.pos_sales_members))
        )
        self.assertLessEqual(abs(a.pos_share - quota), 1)

    def test_sukarela_as_capital_and_excluded_leavers(self):
        rule = self.rule.copy(
            {
                "capital_includes_sukarela": True,
                "leaver_policy": "excluded",
                "exclude_non_member_surplus": False,
                "approval_date": date(YEAR + 1, 3, 2),
                "minutes_ref": "RAT/2026/002",
            }
        )
        rule.with_user(self.user_pengurus).action_approve()
        self.assertEqual(self.rule.state, "superseded")
        self.assertEqual(rule.version, 2)
        dist = self.env["kopdes.shu.distribution"].create({"rule_id": rule.id})
        dist.action_compute()
        shu, pools, pos_pool, shares, capital = self.independent(rule)
        lines = self.lines(dist)
        self.assertNotIn(self.member_d.id, lines)
        self.assertIn(self.member_e.id, lines)  # sukarela counts now
        self.assertEqual(dist.non_member_part, 0)
        for member_id, line in lines.items():
            self.assertEqual(line.capital_share, shares["capital"].get(member_id, 0))
            self.assertEqual(line.pos_share, shares["pos"].get(member_id, 0))

    def test_post_and_pay(self):
        self.dist.action_compute()
        close = self.close_december()
        self.assertTrue(close)
        self.dist.with_user(self.user_pengurus).action_post()
        move = self.dist.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(self.dist.state, "posted")
        payable = self.company.kopdes_shu_payable_account_id
        unaffected = self.company.get_unaffected_earnings_account()
        self.assertAlmostEqual(
            sum(move.line_ids.filtered(lambda ln: ln.account_id == unaffected).mapped("debit")),
            self.dist.shu_amount,
            places=2,
        )
        for line in self.dist.line_ids.filtered("total"):
            self.assertEqual(-self.gl(payable, line.partner_id), line.total)
        reserve = self.company.kopdes_shu_reserve_account_id
        self.assertAlmostEqual(-self.gl(reserve), self.dist.reserve_total, places=2)
        self.assertEqual(
            -self.gl(self.company.kopdes_shu_education_account_id), self.dist.pool_education
        )
        # cannot be undone from Accounting
        with self.assertRaisesMessage(UserError, "cannot be reset"):
            move.button_draft()
        # pay out: members to sukarela by default, the leaver in cash (rule), PPh withheld
        balances_before = {
            line.member_id.id: self._acc(line.member_id, "sukarela").balance
            for line in self.dist.line_ids.filtered(lambda ln: not ln.is_leaver)
        }
        self.dist.with_user(self.user_pengurus).action_pay()
        self.assertEqual(self.dist.state, "paid")
        for line in self.dist.line_ids.filtered("total"):
            self.assertEqual(line.payout_state, "paid")
            self.assertAlmostEqual(self.gl(payable, line.partner_id), 0.0, places=2)
            if not line.is_leaver:
                self.assertEqual(
                    self._acc(line.member_id, "sukarela").balance,
                    balances_before[line.member_id.id] + line.net,
                )
        self.assertEqual(
            -self.gl(self.company.kopdes_shu_pph_account_id), sum(self.dist.line_ids.mapped("pph"))
        )
        # the year is distributed once
        again = self.env["kopdes.shu.distribution"].create({"rule_id": self.rule.id})
        again.action_compute()
        with (
            self.assertBooksUnchanged(),
            self.assertRaisesMessage(UserError, "already been distributed"),
        ):
            again.with_user(self.user_pengurus).action_post()
        with self.assertRaisesMessage(UserError, "already been distributed"):
            self.rule.copy({"approval_date": date(YEAR + 1, 4, 1), "minutes_ref": "X"}).with_user(
                self.user_pengurus
            ).action_approve()

    def test_refusals(self):
        Rule = self.env["kopdes.shu.rule"]
        with self.assertRaisesMessage(ValidationError, "100 %"):
            Rule.create({"fiscal_year": YEAR, "pct_reserve": 30.0})
        with self.assertRaisesMessage(ValidationError, "100 %"):
            Rule.create({"fiscal_year": YEAR, "patronage_pos_weight": 50.0})
        with self.assertRaisesMessage(UserError, "cannot be changed"):
            self.rule.write({"pct_reserve": 20.0, "pct_capital": 25.0})
        with self.assertRaisesMessage(UserError, "cannot be changed"):
            self.rule.with_user(self.user_pengurus).write({"minutes_ref": "lain"})
        self.assertEqual(self.rule.pct_reserve, 25.0)
        draft = Rule.create({"fiscal_year": YEAR + 1})
        with self.assertRaisesMessage(UserError, "RAT"):
            draft.with_user(self.user_pengurus).action_approve()
        # before December is closed
        self.dist.action_compute()
        with (
            self.assertBooksUnchanged(),
            self.assertRaisesMessage(UserError, "Close the last month"),
        ):
            self.dist.with_user(self.user_pengurus).action_post()
        self.assertEqual(self.dist.state, "computed")
        # a leaver's share without the rule saying how: nothing paid
        rule = self.rule.copy(
            {
                "leaver_payout": False,
                "approval_date": date(YEAR + 1, 3, 5),
                "minutes_ref": "RAT/2026/003",
            }
        )
        rule.with_user(self.user_pengurus).action_approve()
        dist = self.env["kopdes.shu.distribution"].create({"rule_id": rule.id})
        dist.action_compute()
        self.close_december()
        dist.with_user(self.user_pengurus).action_post()
        with (
            self.assertBooksUnchanged(),
            self.assertRaisesMessage(UserError, "left during the year"),
        ):
            dist.with_user(self.user_pengurus).action_pay()
        self.assertEqual(dist.state, "posted")
        self.assertEqual(set(dist.line_ids.mapped("payout_state")), {"pending"})
        # forged context does not make anyone the system
        with self.assertRaises(UserError):
            dist.line_ids[:1].with_user(self.user_pengurus).with_context(
                kopdes_shu_posting=True
            ).write({"total": 1})

    def test_roles(self):
        akuntan, petugas, pengurus = self.user_akuntan, self.user_petugas, self.user_pengurus
        self.dist.with_user(akuntan).action_compute()
        with self.assertRaises(AccessError):
            self.dist.with_user(petugas).action_compute()
        self.close_december()
        with self.assertBooksUnchanged(), self.assertRaises(AccessError):
            self.dist.with_user(akuntan).action_post()
        draft = (
            self.env["kopdes.shu.rule"]
            .with_user(akuntan)
            .create(
                {"fiscal_year": YEAR + 1, "approval_date": date(YEAR + 2, 3, 1), "minutes_ref": "R"}
            )
        )
        with self.assertRaises(AccessError):
            draft.with_user(akuntan).action_approve()
        with self.assertRaises(AccessError):
            self.env["kopdes.shu.rule"].with_user(petugas).create({"fiscal_year": YEAR + 1})
        draft.with_user(pengurus).action_approve()
        self.assertEqual(draft.approved_by_id, pengurus)
        self.assertIn("RAT", draft.message_ids[0].body)
        # a member's payout choice is the only thing staff can change on a line
        line = self.dist.line_ids.filtered(lambda ln: not ln.is_leaver)[:1]
        line.with_user(akuntan).payout_method = "cash"
        with self.assertRaises(UserError):
            line.with_user(akuntan).write({"total": 999})

    def test_queries_do_not_grow_with_members(self):
        self.dist.action_compute()
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.dist.action_compute()
        self.env.flush_all()
        few = self.env.cr.sql_log_count - before
        for serial in range(9120, 9130):
            member = self._create_member(serial, f"Anggota Tambahan {serial}")
            self._acc(member, "pokok")._kopdes_deposit(100000, date=date(YEAR, 2, 1))
            self._order(member, 2, __import__("datetime").datetime(YEAR, 3, 1, 3))
        self.dist.action_compute()  # warm the caches as for the first count
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.env.cr.sql_log_count
        self.dist.action_compute()
        self.env.flush_all()
        many = self.env.cr.sql_log_count - before
        self.assertEqual(len(self.dist.line_ids), 14)
        self.assertEqual(many, few)

    def test_slip(self):
        self.dist.action_compute()
        line = self.lines()[self.member_c.id]
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("kopdes_shu.report_shu_slip", line.ids)[0]
            .decode()
        )
        self.assertIn(self.member_c.name, html)
        self.assertIn("kopdes-slip-total", html)

    # ------------------------------------------------------------ RAT report pack

    def wizard(self, pack="rat"):
        return self.env["kopdes.rat.report.wizard"].create(
            {"company_id": self.company.id, "fiscal_year": YEAR, "pack": pack}
        )

    def table(self, data, key):
        return next(t for t in data["tables"] if t["key"] == key)

    def test_rat_pack_from_the_ledger(self):
        self.dist.action_compute()
        data = self.wizard()._kopdes_rat_data()
        keys = [t["key"] for t in data["tables"]]
        self.assertEqual(
            keys, ["neraca", "phu", "ekuitas", "shu", "simpanan", "pinjaman", "anggota"]
        )
        neraca = self.table(data, "neraca")
        totals = {row["cells"][0]: row["cells"][1] for row in neraca["rows"] if row.get("bold")}
        assets = next(v for k, v in totals.items() if k.startswith("Total Assets"))
        liabilities = next(v for k, v in totals.items() if k.startswith("Total Liabilities"))
        equity = next(v for k, v in totals.items() if k.startswith("Total Equity"))
        self.assertAlmostEqual(assets, liabilities + equity, places=2)
        phu = self.table(data, "phu")
        self.assertAlmostEqual(phu["rows"][-1]["cells"][1], self.dist.shu_amount, places=2)
        shu = self.table(data, "shu")
        self.assertEqual(shu["rows"][0]["cells"][1], self.dist.shu_amount)
        savings = self.table(data, "simpanan")
        balances = self.env["kopdes.savings.account"]._kopdes_balances_as_of(
            f"{YEAR}-12-31", self.company, groupby="kind"
        )
        self.assertEqual(savings["rows"][-1]["cells"][2], sum(balances.values()))
        members = self.table(data, "anggota")
        total = members["rows"][-1]["cells"]
        self.assertEqual(total[2], 1)  # d resigned in the year
        self.assertEqual(total[1], 0)  # the test members joined in 2024

    def test_pdf_and_xlsx(self):
        wizard = self.wizard()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("kopdes_shu.report_rat_pack", wizard.ids)[0]
            .decode()
        )
        self.assertIn("kopdes-rat-table", html)
        wizard.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(wizard.xlsx_file)))
        self.assertEqual(
            book.sheetnames, ["neraca", "phu", "ekuitas", "shu", "simpanan", "pinjaman", "anggota"]
        )
        bank = self.wizard("bank")
        bank.action_export_xlsx()
        book = openpyxl.load_workbook(io.BytesIO(base64.b64decode(bank.xlsx_file)))
        self.assertEqual(book.sheetnames, ["bank", "pinjaman", "neraca"])

    def test_staff_cannot_print(self):
        with self.assertRaises(AccessError):
            self.wizard().with_user(self.user_petugas).action_export_xlsx()
