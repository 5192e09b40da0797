from collections import defaultdict
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import KopdesFinancingCommon


@tagged("post_install", "-at_install")
class TestLoanSnapshot(KopdesFinancingCommon):
    """Each month-end keeps every loan active at its period end as a snapshot (days past
    due, class, outstanding, provision as of that day); a re-run replaces them with the
    same figures and later periods add their own."""

    def close(self, day):
        return (
            self.env["kopdes.loan.month.end"]
            .with_user(self.user_akuntan)
            ._kopdes_close(day, self.company)
        )

    def snapshots(self, run):
        self.env.invalidate_all()
        return self.env["kopdes.loan.snapshot"].search([("month_end_id", "=", run.id)])

    def figures(self, snapshots):
        return sorted(
            (
                snap.loan_id.id,
                snap.member_id.id,
                snap.product_id.id,
                snap.date,
                snap.days_past_due,
                snap.collectability_id.code,
                snap.non_performing,
                snap.outstanding,
                snap.provision_required,
            )
            for snap in snapshots
        )

    def test_month_end_keeps_a_snapshot_per_loan(self):
        late = self.active_loan(member=self.member_a, amount=1_200_000, term=12)  # 31/01/2025
        macet = self.active_loan(
            member=self.member_b, amount=3_000_000, term=6, day=date(2024, 6, 15)
        )
        with freeze_time("2025-04-02"):
            run = self.close(date(2025, 3, 31))
            snapshots = self.snapshots(run)
            self.assertEqual(snapshots.loan_id, late | macet)
            self.assertEqual(set(snapshots.mapped("date")), {date(2025, 3, 31)})
            self.assertEqual(snapshots.company_id, self.company)
            by_loan = {snap.loan_id: snap for snap in snapshots}
            # first installment of the late loan due 28/02: 31 days, DPK 3 %
            self.assertEqual(by_loan[late].days_past_due, 31)
            self.assertEqual(by_loan[late].collectability_id.code, "2")
            self.assertEqual(by_loan[late].outstanding, 1_200_000)
            self.assertEqual(by_loan[late].provision_required, 36_000)
            self.assertEqual(by_loan[late].member_id, self.member_a)
            self.assertEqual(by_loan[late].product_id, late.product_id)
            self.assertFalse(by_loan[late].non_performing)
            self.assertEqual(by_loan[macet].collectability_id.code, "5")
            self.assertTrue(by_loan[macet].non_performing)
            # the snapshots add up to the month-end's class lines
            by_class = defaultdict(lambda: [0, 0, 0])
            for snap in snapshots:
                total = by_class[snap.collectability_id]
                total[0] += 1
                total[1] += snap.outstanding
                total[2] += snap.provision_required
            self.assertEqual(
                {cls: tuple(total) for cls, total in by_class.items()},
                {
                    line.collectability_id: (
                        line.loan_count,
                        line.outstanding,
                        line.provision_required,
                    )
                    for line in run.class_line_ids
                },
            )
            self.assertEqual(run.snapshot_count, 2)
            self.assertEqual(late.snapshot_count, 1)
            march = self.figures(snapshots)

            # later activity: the arrears are paid and a new loan is disbursed on 2 April
            # two installments of 112.000 and the late fees
            self.pay(late, 300_000, date(2025, 4, 2))
            new = self.active_loan(
                member=self.member_c, amount=2_000_000, term=10, day=date(2025, 4, 2)
            )
            again = self.close(date(2025, 3, 31))
            self.assertEqual(again, run)
            self.assertEqual(self.figures(self.snapshots(again)), march)
        with freeze_time("2025-05-02"):
            april = self.close(date(2025, 4, 30))
            april_snapshots = self.snapshots(april)
            self.assertEqual(april_snapshots.loan_id, late | macet | new)
            by_loan = {snap.loan_id: snap for snap in april_snapshots}
            # paid on 2 April, the late loan is current at the end of April
            self.assertEqual(by_loan[late].days_past_due, 0)
            self.assertEqual(by_loan[late].collectability_id.code, "1")
            # March is kept as it was
            self.assertEqual(self.figures(self.snapshots(run)), march)
            self.assertEqual(
                self.env["kopdes.loan.snapshot"].search_count([("loan_id", "=", late.id)]), 2
            )
            action = late.action_view_snapshots()
            self.assertEqual(
                self.env["kopdes.loan.snapshot"].search(action["domain"]).mapped("date"),
                [date(2025, 4, 30), date(2025, 3, 31)],
            )

    def test_reached_90_days_although_current_now(self):
        late = self.active_loan(member=self.member_a, amount=1_200_000, term=12)  # 31/01/2025
        good = self.active_loan(
            member=self.member_b, amount=1_000_000, term=10, day=date(2025, 6, 15)
        )
        Snapshot = self.env["kopdes.loan.snapshot"]
        with freeze_time("2025-07-01"):
            run = self.close(date(2025, 6, 30))
            snap = self.snapshots(run).filtered(lambda s: s.loan_id == late)
            # first installment due 28/02 unpaid at 30/06: 122 days, non-performing
            self.assertEqual(snap.days_past_due, 122)
            # five installments of 112.000 and the late fees: current again
            self.pay(late, 800_000, date(2025, 7, 1))
            late.invalidate_recordset()
            self.assertEqual(late.days_past_due, 0)
            loans = late | good
            self.assertEqual(Snapshot._kopdes_reached(loans), late)
            self.assertEqual(Snapshot._kopdes_reached(loans, days=150), late)  # non-performing
            # 30/06 is more than three months after the disbursement of 31/01
            self.assertFalse(Snapshot._kopdes_reached(loans, months=3))
            self.assertFalse(Snapshot._kopdes_reached(good))
            self.assertFalse(Snapshot._kopdes_reached(loans.browse()))

    def test_snapshots_are_read_only_and_per_cooperative(self):
        loan = self.active_loan(member=self.member_a, amount=1_200_000, term=12)
        with freeze_time("2025-04-02"):
            run = self.close(date(2025, 3, 31))
        snapshot = self.snapshots(run)
        self.assertEqual(len(snapshot), 1)
        before = self.figures(snapshot)
        Snapshot = self.env["kopdes.loan.snapshot"]
        vals = {
            "month_end_id": run.id,
            "company_id": self.company.id,
            "loan_id": loan.id,
            "date": date(2025, 2, 28),
            "days_past_due": 0,
        }
        for user in (self.user_officer, self.user_akuntan):
            with self.assertRaises(AccessError):
                Snapshot.with_user(user).create(vals)
            with self.assertRaises(AccessError):
                snapshot.with_user(user).write({"days_past_due": 0})
            with self.assertRaises(AccessError):
                snapshot.with_user(user).unlink()
        # superuser mode without the posting key is refused too
        with self.assertRaises(AccessError):
            snapshot.sudo().write({"days_past_due": 0})
        with self.assertRaises(AccessError):
            Snapshot.sudo().create(vals)
        self.assertEqual(self.figures(self.snapshots(run)), before)
        self.assertEqual(Snapshot.search_count([("loan_id", "=", loan.id)]), 1)
        # the officer reads them; a user of another cooperative sees none
        self.assertEqual(Snapshot.with_user(self.user_officer).search([]), snapshot)
        other = self.env["res.company"].create({"name": "KKMP Lain (snapshot)"})
        stranger = new_test_user(
            self.env,
            login="snapshot_stranger",
            groups="kopdes_members.group_kopdes_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )
        context = {"allowed_company_ids": other.ids}
        self.assertFalse(Snapshot.with_user(stranger).with_context(**context).search([]))
        with self.assertRaises(AccessError):
            snapshot.with_user(stranger).with_context(**context).read(["outstanding"])
