from datetime import date

import pandas as pd

from odoo.exceptions import AccessError

from .common import at


class ScoringFeatureChecks:
    """Features per member as of a date, from SQL, with no look-ahead (mixed into
    test_scoring.TestScoring, which shares one set-up)."""

    def test_repayment_and_savings_features(self):
        day = date(2025, 12, 31)
        frame = self.features(self.member_a | self.member_d | self.member_c, day).set_index(
            "member_id"
        )
        a, b, c = (frame.loc[m.id] for m in (self.member_a, self.member_d, self.member_c))
        # A: 11 installments due before the day, 3 on time, one 40 days late, 7 unpaid
        due = self.loan_a.line_ids.filtered(lambda line: line.due_date < day)
        self.assertEqual(a["rep_installments"], len(due))
        oldest_unpaid = min(due.sorted("sequence")[4:].mapped("due_date"))
        self.assertEqual(a["rep_max_dpd"], (day - oldest_unpaid).days)
        self.assertEqual(a["rep_late_count"], len(due) - 3)
        self.assertEqual(a["rep_loans_closed_clean"], 0)
        self.assertEqual(a["sav_wajib_on_time_rate"], 1.0)
        self.assertEqual(a["sav_months_behind"], 0)
        self.assertEqual(a["sav_voluntary_balance"], 800_000)
        self.assertFalse(a["thin_file"])
        # C: wajib paid for 5 of 11 months
        self.assertAlmostEqual(c["sav_wajib_on_time_rate"], 5 / 11)
        self.assertEqual(c["sav_months_behind"], 6)
        self.assertTrue(pd.isna(c["rep_max_dpd"]))
        # D: nothing at all -> thin file, everything missing (not zero)
        self.assertTrue(b["thin_file"])
        for name in ("rep_max_dpd", "sav_wajib_on_time_rate", "sav_voluntary_balance"):
            self.assertTrue(pd.isna(b[name]), name)
        self.assertEqual(b["village"], "SOKODUWET")
        self.assertFalse(c["thin_file"])

    def test_features_as_of_a_date_do_not_see_later_events(self):
        day = date(2025, 6, 15)
        before = self.features(self.member_a | self.member_c, day)
        # after the day: member A pays an installment late, C pays wajib, a deposit,
        # a rescheduling-free late payment and a consent
        lines = self.loan_a.line_ids.sorted("sequence")
        self.pay(self.loan_a, lines[4].total, date(2025, 7, 20))
        self.member_c._kopdes_savings_account("wajib")._kopdes_deposit(
            self.wajib.amount * 6, date=date(2025, 7, 1)
        )
        self.member_a._kopdes_savings_account("sukarela")._kopdes_deposit(
            1_000_000, date=date(2025, 8, 1)
        )
        self.grant(self.member_a, "credit_scoring", at(date(2025, 8, 1)))
        after = self.features(self.member_a | self.member_c, day)
        pd.testing.assert_frame_equal(before, after)
        # the same events are seen from a later date (the test can fail)
        later = self.features(self.member_a | self.member_c, date(2025, 9, 1)).set_index(
            "member_id"
        )
        self.assertEqual(later.loc[self.member_c.id, "sav_months_behind"], 0)
        self.assertTrue(later.loc[self.member_a.id, "shop_consent"])

    def test_one_query_per_family_whatever_the_number_of_members(self):
        day = date(2025, 12, 31)
        members = self.member_a | self.member_b | self.member_c
        self.features(members[:1], day)  # warm the caches
        self.env.invalidate_all()
        with self.assertQueryCount(9):
            self.features(members[:1], day)
        self.env.invalidate_all()
        with self.assertQueryCount(9):
            self.features(members, day)

    def test_shop_features_only_with_consent(self):
        shop = self.open_shop()
        day = date(2026, 11, 30)
        for week in range(10):
            self.shop_order(shop, self.member_a.partner_id, at(date(2026, 9, 1 + week * 3)))
        without = self.features(self.member_a, day).iloc[0]
        self.assertFalse(without["shop_consent"])
        self.assertTrue(pd.isna(without["shop_orders_6m"]))
        score_without = self.env["kopdes.score"]._kopdes_score_members(self.member_a, day)
        # more shop data changes nothing without consent
        self.shop_order(shop, self.member_a.partner_id, at(date(2026, 11, 20)), qty=5)
        again = self.env["kopdes.score"]._kopdes_score_members(self.member_a, day)
        self.assertEqual(again.score, score_without.score)
        self.assertEqual(again.points_detail, score_without.points_detail)
        self.assertFalse(again.shop_used)
        # with consent granted before the date the shop features appear
        self.grant(self.member_a, "credit_scoring", at(date(2026, 1, 5)))
        withc = self.features(self.member_a, day).iloc[0]
        self.assertTrue(withc["shop_consent"])
        self.assertEqual(withc["shop_orders_6m"], 11)
        self.assertEqual(withc["shop_amount_6m"], 70_000 * 15)
        self.assertGreaterEqual(withc["shop_weeks_active"], 4)
        # withdrawn before the date: gone again
        self.env["kopdes.consent"].create(
            {
                "member_id": self.member_a.id,
                "purpose": "credit_scoring",
                "action": "withdrawn",
                "date": at(date(2026, 6, 1)),
            }
        )
        self.assertFalse(self.features(self.member_a, day).iloc[0]["shop_consent"])

    def test_late_payment_patterns_by_month_and_village(self):
        Report = self.env["kopdes.late.payment.report"].with_user(self.user_officer)
        groups = Report._read_group(
            [("loan_id", "=", self.loan_a.id)],
            ["village"],
            ["late_count:sum", "installment_count:sum"],
        )
        (village, late, count), *_rest = groups
        self.assertEqual(village, self.member_a.village)
        due = self.loan_a.line_ids.filtered(lambda line: line.due_date <= date.today())
        self.assertEqual(count, len(due))
        self.assertEqual(late, len(due) - 3)  # three paid on time
        with self.assertRaises(AccessError):
            self.env["kopdes.late.payment.report"].with_user(self.user_teller).search([])
