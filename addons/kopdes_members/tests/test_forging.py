from datetime import datetime, timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.kopdes_members.models.kopdes_system import (
    kopdes_check_group,
    kopdes_is_system,
    kopdes_system,
    kopdes_today,
)

from .common import KopdesMembersCommon

# everything a client could send over RPC to pretend to be the system, or another day
FORGED_CONTEXT = {
    "kopdes_state_change": True,
    "kopdes_savings_posting": True,
    "kopdes_exit_settlement": True,
    "kopdes_loan_posting": True,
    "date": "2099-12-31",
    "tz": "Pacific/Kiritimati",
}


class TestMemberForging(KopdesMembersCommon):
    """Tellers and loan officers calling the ORM directly with any context cannot approve,
    resign or number members; nothing changes when they try."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.applicant = cls._create_member(301)
        cls.active = cls._create_member(302, state="active")

    def forgers(self):
        for user in (self.user_petugas, self.user_loan_officer):
            with self.subTest(user=user.login):
                yield user

    def snapshot(self):
        members = self.applicant | self.active
        members.invalidate_recordset()
        return members.read(
            ["state", "member_number", "join_date", "approved_by_id", "state_date", "active"]
        )

    def test_status_cannot_be_written(self):
        before = self.snapshot()
        for user in self.forgers():
            for member, vals in (
                (self.applicant, {"state": "active"}),
                (self.applicant, {"member_number": "AGT-99999"}),
                (self.applicant, {"approved_by_id": self.user_pengurus.id}),
                (self.active, {"state": "resigned"}),
                (self.active, {"state": "deceased", "state_reason": "x"}),
                (self.active, {"state_date": "2020-01-01"}),
            ):
                with self.subTest(vals=vals), self.assertRaisesMessage(UserError, "buttons"):
                    member.with_user(user).with_context(**FORGED_CONTEXT).write(vals)
            # the manager's buttons check the role, not the context
            with self.assertRaisesMessage(AccessError, "Only a manager"):
                self.applicant.with_user(user).with_context(**FORGED_CONTEXT).action_approve()
            with self.assertRaises(AccessError):
                self.env["kopdes.member.state.wizard"].with_user(user).with_context(
                    **FORGED_CONTEXT
                ).create(
                    {"member_ids": self.active.ids, "new_state": "resigned", "reason": "x"}
                ).action_confirm()
        # nor can a manager write the status around the buttons
        with self.assertRaisesMessage(UserError, "buttons"):
            self.active.with_user(self.user_pengurus).with_context(**FORGED_CONTEXT).write(
                {"state": "resigned"}
            )
        self.assertEqual(self.snapshot(), before)

    def test_member_is_created_as_applicant(self):
        Member = self.env["kopdes.member"]
        count = Member.search_count([])
        for user in self.forgers():
            for serial, vals in (
                (311, {"state": "active"}),
                (312, {"state": "suspended"}),
                (313, {"member_number": "AGT-77777"}),
                (314, {"approved_by_id": user.id, "approved_date": "2026-01-01"}),
            ):
                with self.subTest(vals=vals), self.assertRaises(UserError):
                    Member.with_user(user).with_context(**FORGED_CONTEXT).create(
                        self._member_vals(serial, **vals)
                    )
            with self.assertRaisesMessage(AccessError, "Join Date"):
                Member.with_user(user).create(self._member_vals(315, join_date="2001-01-01"))
            with self.assertRaisesMessage(AccessError, "Join Date"):
                self.applicant.with_user(user).write({"join_date": "2001-01-01"})
        self.assertEqual(Member.search_count([]), count)
        # staff register applicants; what the form leaves at its default is no change
        member = Member.with_user(self.user_petugas).create(
            self._member_vals(316, state="applicant", active=True, join_date=False)
        )
        self.assertEqual(member.state, "applicant")
        self.assertFalse(member.member_number)
        # a manager may set the join date
        self.applicant.with_user(self.user_pengurus).join_date = "2020-05-01"
        self.assertEqual(fields.Date.to_string(self.applicant.join_date), "2020-05-01")
        # and register (import) the cooperative's existing members as active: that is their
        # approval, recorded as such; other states and numbers stay the workflow's
        existing = Member.with_user(self.user_pengurus).create(
            self._member_vals(317, state="active", join_date="2015-02-01")
        )
        self.assertEqual(existing.state, "active")
        self.assertEqual(existing.approved_by_id, self.user_pengurus)
        self.assertTrue(existing.member_number)
        for vals in ({"state": "resigned"}, {"member_number": "AGT-55555"}):
            with self.subTest(vals=vals), self.assertRaises(UserError):
                Member.with_user(self.user_pengurus).create(self._member_vals(318, **vals))

    @freeze_time("2026-03-10 16:30:00")  # 23:30 in Jakarta, already 11 March in Kiritimati
    def test_status_change_not_after_today(self):
        today = kopdes_today(self.env)
        self.assertEqual(today, datetime(2026, 3, 10).date())
        tomorrow = today + timedelta(days=1)
        forged = dict(FORGED_CONTEXT, date=fields.Date.to_string(tomorrow))
        Wizard = self.env["kopdes.member.state.wizard"].with_user(self.user_pengurus)
        self.assertEqual(fields.Date.context_today(Wizard.with_context(**forged)), tomorrow)
        with self.assertRaisesMessage(UserError, "cannot be in the future"):
            Wizard.with_context(**forged).create(
                {
                    "member_ids": self.active.ids,
                    "new_state": "suspended",
                    "reason": "Tunggakan",
                    "change_date": tomorrow,
                }
            )
        self.assertEqual(self.active.state, "active")
        self.assertEqual(Wizard.with_context(**forged).new().change_date, today)


class TestSystemHelper(KopdesMembersCommon):
    def test_key_and_superuser_together(self):
        key = "kopdes_state_change"
        user_env = self.env(user=self.user_pengurus)
        self.assertFalse(kopdes_is_system(user_env, key))
        self.assertFalse(kopdes_is_system(user_env(context={key: True}), key))
        self.assertFalse(kopdes_is_system(user_env(su=True), key))
        self.assertTrue(kopdes_is_system(user_env(su=True, context={key: True}), key))
        system = kopdes_system(self.applicant_member(), key)
        self.assertTrue(system.env.su)
        self.assertTrue(system.env.context[key])
        self.assertEqual(system.env.uid, self.env.uid)

    def applicant_member(self):
        return self._create_member(321)

    def test_role_check(self):
        manager = "kopdes_members.group_kopdes_manager"
        kopdes_check_group(self.env(user=self.user_pengurus), manager, "no")
        kopdes_check_group(self.env(user=self.user_petugas, su=True), manager, "no")
        with self.assertRaisesMessage(AccessError, "not a manager"):
            kopdes_check_group(self.env(user=self.user_petugas), manager, "not a manager")

    @freeze_time("2026-03-10 18:00:00")
    def test_today_is_the_cooperatives(self):
        env = self.env(context={"tz": "Pacific/Kiritimati", "date": "2030-01-01"})
        self.assertEqual(kopdes_today(env), datetime(2026, 3, 11).date())  # WIB: 01:00
        self.company.partner_id.tz = "Asia/Jayapura"  # WIT, UTC+9
        self.assertEqual(kopdes_today(env, self.company), datetime(2026, 3, 11).date())
        self.company.partner_id.tz = "America/Los_Angeles"
        self.assertEqual(kopdes_today(env, self.company), datetime(2026, 3, 10).date())
