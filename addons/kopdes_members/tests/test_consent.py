from datetime import datetime, timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import KopdesMembersCommon


@tagged("post_install", "-at_install")
class TestConsent(KopdesMembersCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.member = cls._create_member(400)
        cls.other = cls._create_member(401)
        cls.Consent = cls.env["kopdes.consent"]

    def _record(self, member, purpose, action, when):
        return self.Consent.create(
            {"member_id": member.id, "purpose": purpose, "action": action, "date": when}
        )

    def test_latest_entry_decides(self):
        t0 = datetime(2026, 1, 1, 9, 0)
        self.assertFalse(self.member._kopdes_has_consent("credit_scoring"))
        self._record(self.member, "credit_scoring", "granted", t0)
        self.assertTrue(self.member._kopdes_has_consent("credit_scoring"))
        self.assertFalse(self.member._kopdes_has_consent("whatsapp_promotion"))
        self._record(self.member, "credit_scoring", "withdrawn", t0 + timedelta(days=30))
        self.assertFalse(self.member._kopdes_has_consent("credit_scoring"))
        # what was true at a date in the past
        self.assertTrue(
            self.member._kopdes_has_consent("credit_scoring", at=t0 + timedelta(days=1))
        )
        self.assertFalse(
            self.member._kopdes_has_consent("credit_scoring", at=t0 - timedelta(days=1))
        )
        self._record(self.member, "credit_scoring", "granted", t0 + timedelta(days=60))
        self.assertTrue(self.member.consent_credit_scoring)
        self.assertEqual(self.member.consent_count, 3)

    def test_batch_helper(self):
        t0 = datetime(2026, 2, 1, 9, 0)
        self._record(self.member, "whatsapp_service", "granted", t0)
        self._record(self.other, "whatsapp_service", "granted", t0)
        self._record(self.other, "whatsapp_service", "withdrawn", t0 + timedelta(hours=1))
        members = self.member | self.other
        self.assertEqual(members._kopdes_consent_granted("whatsapp_service"), self.member)
        self.assertEqual(members.mapped("consent_whatsapp_service"), [True, False])

    def test_ledger_is_immutable(self):
        consent = self._record(self.member, "bank_sharing", "granted", datetime(2026, 3, 1))
        with self.assertRaisesMessage(UserError, "ledger"):
            consent.write({"action": "withdrawn"})
        with self.assertRaisesMessage(UserError, "ledger"):
            consent.unlink()
        self.assertEqual(consent.action, "granted")

    def test_staff_records_consent_with_evidence(self):
        consent = self.Consent.with_user(self.user_petugas).create(
            {
                "member_id": self.member.id,
                "purpose": "whatsapp_promotion",
                "channel": "paper",
                "evidence": "UERGIGZvcm11bGly",
                "evidence_name": "formulir.pdf",
            }
        )
        self.assertEqual(consent.recorded_by_id, self.user_petugas)
        self.assertTrue(consent.evidence)
        with self.assertRaises(AccessError):
            self.Consent.with_user(self.user_other_company).create(
                {"member_id": self.member.id, "purpose": "credit_scoring"}
            )

    def test_future_date_refused(self):
        with self.assertRaisesMessage(UserError, "future"):
            self._record(self.member, "credit_scoring", "granted", datetime(2999, 1, 1))
