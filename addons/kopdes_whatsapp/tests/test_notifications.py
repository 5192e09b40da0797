"""Notifications raised by the lower addons' hooks and crons, through the fake Cloud API."""

from datetime import date, timedelta

from odoo.exceptions import AccessError


class NotificationChecks:
    """The notifications (run by ``test_whatsapp.TestWhatsapp``)."""

    def make_loan_of_a(self):
        self.loan = self.active_loan(self.member_a, day=date(2025, 1, 31))
        self.first = self.loan.line_ids.sorted("due_date")[0]

    def reminders(self, today):
        return self.env["kopdes.loan.line"]._kopdes_wa_reminders(self.company, today=today)

    def test_installment_reminders_created_twice_sent_once(self):
        self.make_loan_of_a()
        due = self.first.due_date
        before = self.reminders(due - timedelta(days=3))
        self.assertEqual(len(before), 1)
        self.assertFalse(self.reminders(due - timedelta(days=3)))  # the cron ran again
        self.assertEqual(before.template_id.name, "pengingat_angsuran")
        self.assertEqual(before.res_model, "kopdes.loan.line")
        self.assertEqual(before.res_id, self.first.id)
        self.assertIn(self.loan.name, before.body)
        # the installment (1.200.000 over 12 months plus 1 % interest) and its due date
        self.assertIn(f"sebesar Rp 112.000 jatuh tempo pada {due:%d-%m-%Y}.", before.body)
        self.assertEqual(self.first.amount_residual, 112_000)
        self.assertEqual(
            before.idempotency_key,
            f"reminder:{self.first.id}:{due - timedelta(days=3)}:pengingat_angsuran:"
            f"{self.member_a.id}",
        )
        self.send()
        self.send()
        self.assertEqual(len(self.fake.sent_to(self.wa_id(self.member_a))), 1)
        on_due = self.reminders(due)
        overdue_1 = self.reminders(due + timedelta(days=1))
        overdue_7 = self.reminders(due + timedelta(days=7))
        self.assertEqual(on_due.template_id.name, "pengingat_angsuran")
        self.assertEqual(overdue_1.template_id.name, "angsuran_terlambat")
        self.assertEqual(overdue_7.template_id.name, "angsuran_terlambat")
        self.assertFalse(self.reminders(due + timedelta(days=2)))  # no stage that day
        # switched off per cooperative
        self.company.kopdes_wa_remind_overdue_7 = False
        self.assertFalse(self.reminders(due + timedelta(days=7 + 31)))
        self.company.kopdes_wa_remind_before = False
        self.assertFalse(self.reminders(self.first.due_date + timedelta(days=28)))

    def test_paid_installment_not_reminded(self):
        self.make_loan_of_a()
        self.pay(self.loan, self.first.total, self.first.due_date - timedelta(days=5))
        self.assertFalse(self.reminders(self.first.due_date - timedelta(days=3)))

    def test_savings_receipt(self):
        transaction = self.deposit(self.member_a, "sukarela", 75_000, day=date(2025, 2, 3))
        message = self.env["kopdes.wa.message"].search(
            [("res_model", "=", transaction._name), ("res_id", "=", transaction.id)]
        )
        self.assertEqual(len(message), 1)
        self.assertEqual(
            (message.template_id.name, message.notification),
            ("bukti_transaksi_simpanan", "receipt"),
        )
        self.assertIn("75.000", message.body)
        self.assertEqual(self.send(), 1)
        # no consent: no receipt; switched off: no receipt
        other = self.deposit(self.member_c, "sukarela", 10_000, day=date(2025, 2, 3))
        self.company.kopdes_wa_receipt_savings = False
        third = self.deposit(self.member_b, "sukarela", 10_000, day=date(2025, 2, 3))
        self.assertFalse(
            self.env["kopdes.wa.message"].search_count(
                [("res_model", "=", transaction._name), ("res_id", "in", (other | third).ids)]
            )
        )

    def test_loan_payment_receipt(self):
        self.make_loan_of_a()
        payment = self.pay(self.loan, 150_000, date(2025, 2, 20))
        message = self.env["kopdes.wa.message"].search(
            [("res_model", "=", payment._name), ("res_id", "=", payment.id)]
        )
        self.assertEqual(message.template_id.name, "bukti_pembayaran_angsuran")
        self.assertIn("150.000", message.body)

    def test_a_broken_template_never_blocks_the_posting(self):
        template = self.templates.filtered(lambda t: t.name == "bukti_transaksi_simpanan")
        template.variable_ids[1].expression = "{{ object.no_such_field.name }}"
        transaction = self.deposit(self.member_a, "sukarela", 20_000, day=date(2025, 2, 3))
        self.assertEqual(transaction.state, "posted")
        self.assertFalse(
            self.env["kopdes.wa.message"].search(
                [("res_id", "=", transaction.id), ("res_model", "=", transaction._name)]
            )
        )

    def test_wajib_dues_reminders(self):
        for member in self.member_a | self.member_b | self.member_c:
            self.account(member, "wajib")
        self.env["kopdes.savings.due"]._kopdes_generate(self.company, day=date(2025, 2, 1))
        messages = self.env["kopdes.wa.message"].search([("notification", "=", "dues")])
        self.assertEqual(messages.member_id, self.member_a | self.member_b)  # c has no consent
        self.assertEqual(set(messages.template_id.mapped("name")), {"tagihan_simpanan_wajib"})

    def test_announcements(self):
        self.grant(self.member_c, "whatsapp_promotion")
        template = self.templates.filtered(lambda t: t.name == "pengumuman_anggota")
        meeting = self.env["kopdes.wa.broadcast"].create(
            {
                "name": "Rapat Anggota Tahunan 2025",
                "kind": "meeting",
                "text": "Pembahasan laporan tahunan dan SHU.",
                "place": "Balai Desa Sokoduwet",
                "event_date": "2025-03-15 02:00:00",
                "template_id": template.id,
            }
        )
        with self.assertRaises(AccessError):
            meeting.with_user(self.user_petugas).action_send()
        meeting.with_user(self.user_pengurus).action_send()
        messages = self.env["kopdes.wa.message"].search(
            [("res_model", "=", meeting._name), ("res_id", "=", meeting.id)]
        )
        self.assertEqual(messages.member_id, self.member_a | self.member_b)
        self.assertIn("Balai Desa Sokoduwet", messages[0].body)
        self.assertEqual(meeting.queued_count, 2)
        meeting.with_user(self.user_pengurus).action_send()  # again: nothing new
        self.assertEqual(meeting.message_count, 2)
        promo = self.env["kopdes.wa.broadcast"].create(
            {
                "name": "Promo minyak goreng",
                "kind": "promotion",
                "text": "Diskon 10% minggu ini.",
                "template_id": self.templates.filtered(lambda t: t.name == "promo_gerai").id,
            }
        )
        promo.with_user(self.user_pengurus).action_send()
        promo_messages = self.env["kopdes.wa.message"].search(
            [("res_model", "=", promo._name), ("res_id", "=", promo.id)]
        )
        self.assertEqual(promo_messages.member_id, self.member_c)  # only the promotion consent
        self.assertEqual(promo_messages.kind, "promotion")
