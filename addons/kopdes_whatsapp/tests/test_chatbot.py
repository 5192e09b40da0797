"""The chatbot end to end: inbound webhook payloads of the local fake Cloud API are stored
and processed as the webhook does, the replies go through the outbox to the fake over real
HTTP on 127.0.0.1, and the tests read what the fake received."""

import re
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError

from odoo.addons.kopdes_financing.tools import schedule as schedule_tools
from odoo.addons.kopdes_members.models.kopdes_format import kopdes_format_amount


def digits_groups(text):
    """Every amount written in ``text`` as an int (``Rp 1.234.500`` → 1234500)."""
    return {int(re.sub(r"\D", "", m)) for m in re.findall(r"\d[\d.,]*\d|\d", text)}


class ChatbotTests:
    """The chatbot's tests, run by ``test_portal.TestChatbotAndPortal`` on the portal's
    fixture (one cooperative set up for both)."""

    def chat_env(self):
        """The test's environment in the language the chatbot answers in (Indonesian when
        that is loaded, else English), whatever the test user's language."""
        conversation = self.env["kopdes.wa.conversation"].new({"company_id": self.company.id})
        return self.env(context=dict(self.env.context, lang=conversation._kopdes_lang()))

    def fmt(self, amount):
        """``amount`` as the chatbot writes it (``Rp 1.234.500`` in Indonesian)."""
        return kopdes_format_amount(self.chat_env(), amount, self.company.currency_id)

    # ------------------------------------------------------------ the verified owner

    def test_owner_gets_balances_equal_to_the_books(self):
        reply = self.chat(self.wa(self.owner), "brp saldo simpenan sy?")
        accounts = self.env["kopdes.savings.account"].search([("member_id", "=", self.owner.id)])
        self.assertEqual(len(accounts), 3)
        for account in accounts:
            posted = self.env["kopdes.savings.transaction"].search(
                [("account_id", "=", account.id), ("state", "=", "posted")]
            )
            books = sum(posted.mapped("signed_amount"))
            self.assertEqual(account.balance, books)
            self.assertIn(f"{account.product_id.name} ", reply)
            self.assertIn(self.fmt(books), reply)
            # the account number is masked: never written in full
            self.assertNotIn(account.name, reply)
            self.assertIn(re.sub(r"\W", "", account.name)[-4:], reply)
        self.assertNotIn(self.owner.nik, reply)
        log = self.env["kopdes.member.disclosure"].search([("member_id", "=", self.owner.id)])
        self.assertEqual(log.mapped("subject"), ["balance"])
        self.assertEqual(log.channel, "whatsapp")
        self.assertEqual(log.number, self.owner.mobile)

    def test_owner_gets_next_installment_and_remaining_loan(self):
        lines = self.env["kopdes.loan.line"].search(
            [("loan_id", "=", self.loan.id), ("rescheduled", "=", False)], order="due_date"
        )
        upcoming = lines.filtered(lambda line: line.due_date > self.today)[:1]
        overdue = lines.filtered(lambda line: line.due_date <= self.today)
        self.assertTrue(upcoming and overdue, "the fixture has one installment overdue")
        reply = self.chat(self.wa(self.owner), "Cicilan pembiayaan jatuh tempo kapan?")
        self.assertIn(upcoming.due_date.strftime("%d-%m-%Y"), reply)
        self.assertIn(self.fmt(upcoming.amount_residual), reply)
        self.assertIn(self.fmt(sum(overdue.mapped("amount_residual"))), reply)

        reply = self.chat(self.wa(self.owner), "utangku kari piro")
        principal_left = sum(lines.mapped("principal")) - sum(lines.mapped("principal_settled"))
        self.assertEqual(principal_left, 3_000_000)
        self.assertIn(self.fmt(principal_left), reply)
        self.assertIn(self.fmt(self.loan.with_context(date=False).payoff_amount), reply)
        self.assertIn(str(len(lines)), reply)
        subjects = (
            self.env["kopdes.member.disclosure"]
            .search([("member_id", "=", self.owner.id)])
            .mapped("subject")
        )
        self.assertEqual(sorted(subjects), ["installment", "loan_remaining"])

    def test_after_a_payment_the_answer_follows_the_books(self):
        overdue = self.loan.with_context(date=False).amount_overdue
        self.pay(self.loan, overdue, self.today)
        self.loan.invalidate_recordset()
        loan = self.loan.with_context(date=False)
        self.assertLess(loan.amount_overdue, overdue)
        reply = self.chat(self.wa(self.owner), "kapan bayar angsuran")
        self.assertIn(self.fmt(loan.next_due_amount), reply)
        if loan.amount_overdue:
            self.assertIn(self.fmt(loan.amount_overdue), reply)
        reply = self.chat(self.wa(self.owner), "sisa pinjaman saya")
        self.assertIn(self.fmt(self.loan.principal_residual), reply)
        self.assertLess(self.loan.principal_residual, 3_000_000)

    # ------------------------------------------------------------ nobody else

    def test_unknown_unverified_and_shared_numbers_get_nothing(self):
        questions = ["saldo simpanan saya", "kapan jatuh tempo", "sisa utang", "1", "2", "3"]
        numbers = [self.unknown_wa, self.wa(self.unverified), self.wa(self.shared)]
        for question in questions:
            replies = {self.chat(number, question) for number in numbers}
            # one and the same answer for all three: it does not even reveal membership
            self.assertEqual(len(replies), 1, question)
            reply = replies.pop()
            self.assertTrue(reply)
            for member in (self.unverified, self.shared, self.shared_2):
                self.assertNotIn(member.name, reply)
            self.assertFalse(digits_groups(reply) & {500_000, 800_000, 100_000})
            self.assertNotIn("Rp", reply)
        self.assertFalse(
            self.env["kopdes.member.disclosure"].search_count(
                [("member_id", "in", (self.unverified | self.shared | self.shared_2).ids)]
            )
        )

    def test_verification_lapses_when_the_mobile_changes(self):
        self.assertTrue(self.owner.wa_phone_verified)
        old = self.wa(self.owner)
        self.owner.mobile = "081355550000"
        self.assertFalse(self.owner.wa_phone_verified)
        self.assertNotIn("1.234.500", self.chat(old, "saldo"))
        self.assertNotIn("1.234.500", self.chat("6281355550000", "saldo"))
        # a resigned or suspended member is told nothing either
        self.owner.mobile = "+" + old
        self.assertTrue(self.owner.wa_phone_verified)
        self.owner.sudo().with_context(kopdes_state_change=True).write({"state": "suspended"})
        self.assertNotIn("1.234.500", self.chat(old, "saldo"))

    def test_code_verification_at_the_teller(self):
        number = self.wa(self.unverified)
        self.chat(number, "halo")  # the member writes first: the 24-hour window opens
        before = len(self.fake.sent_to(number))
        member = self.unverified.with_user(self.user_petugas)
        member.action_wa_send_code()
        self.env["kopdes.wa.message"]._kopdes_process_queue(now=fields.Datetime.now())
        sent = self.fake.sent_to(number)[before:]
        self.assertEqual(len(sent), 1)
        code = re.search(r"\b(\d{6})\b", sent[0]["text"]["body"]).group(1)
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        self.assertFalse(member.action_wa_enter_code(wrong))
        self.assertEqual(member.sudo().wa_code_attempts, 1)
        self.assertFalse(member.wa_phone_verified)
        self.assertTrue(member.action_wa_enter_code(code))
        self.assertTrue(member.wa_phone_verified)
        self.assertEqual(member.wa_verification_method, "code")
        self.assertEqual(member.wa_verified_by_id, self.user_petugas)
        self.assertIn(self.fmt(500_000), self.chat(number, "saldo"))
        # the code cannot be used twice
        with self.assertRaises(UserError):
            member.action_wa_enter_code(code)

    def test_staff_only_verify(self):
        cashier = self.env["res.users"].create(
            {
                "name": "Kasir",
                "login": "kasir_chatbot",
                "company_id": self.company.id,
                "company_ids": [(6, 0, self.company.ids)],
                "groups_id": [(6, 0, [self.env.ref("point_of_sale.group_pos_user").id])],
            }
        )
        with self.assertRaises(AccessError):
            self.unverified.with_user(cashier).action_wa_confirm_phone()
        with self.assertRaises(AccessError):
            self.unverified.with_user(cashier).action_wa_send_code()
        self.assertFalse(self.unverified.wa_phone_verified)
        # the verification fields cannot be written directly, even by staff
        with self.assertRaises(AccessError):
            self.unverified.with_user(self.user_petugas).write(
                {"wa_verified_phone": self.unverified.mobile}
            )

    # ------------------------------------------------------------ opt-out

    def test_stop_stops_notifications_and_mulai_restarts_them(self):
        number = self.wa(self.owner)
        Message = self.env["kopdes.wa.message"]
        reply = self.chat(number, "STOP")
        self.assertIn("MULAI", reply)
        contact = self.env["kopdes.wa.contact"].search([("wa_id", "=", number)])
        self.assertTrue(contact.opted_out)
        queued = Message._kopdes_notify(self.owner, "service", "test-reminder", body="Pengingat")
        self.assertFalse(queued)
        self.assertEqual(queued.env.context["kopdes_wa_skipped"], {"opted_out": 1})
        # questions are still answered: the member asked
        self.assertIn(self.fmt(1_234_500), self.chat(number, "saldo"))
        self.chat(number, "MULAI")
        self.assertFalse(contact.opted_out)
        queued = Message._kopdes_notify(self.owner, "service", "test-reminder-2", body="Pengingat")
        self.assertEqual(len(queued), 1)
        self.chat(number, "berhenti")
        self.assertTrue(contact.opted_out)

    # ------------------------------------------------------------ public answers

    def test_simulation_uses_the_product_schedule(self):
        reply = self.chat(self.unknown_wa, "kalau pinjam 5jt 12 bln cicilannya brp?")
        expected = schedule_tools.compute(5_000_000, 12, 12, "flat")
        first = expected[0].principal + expected[0].interest
        self.assertIn(self.flat.name, reply)
        self.assertIn(self.fmt(first), reply)
        self.assertIn(self.fmt(sum(i.principal + i.interest for i in expected)), reply)
        self.assertIn(self.fmt(self.flat._kopdes_admin_fee(5_000_000)), reply)
        # an amount no product offers: a clear answer, nothing invented
        reply = self.chat(self.unknown_wa, "pinjam 500 juta 12 bulan")
        self.assertNotIn(self.fmt(first), reply)
        self.assertIn(self.fmt(500_000_000), reply)
        reply = self.chat(self.unknown_wa, "simulasi pinjaman")
        self.assertIn("5 juta", reply)

    def test_products_and_menu(self):
        reply = self.chat(self.unknown_wa, "produk apa aja yang ada?")
        for name in (self.flat.name, self.murabahah.name, self.sukarela.name):
            self.assertIn(name, reply)
        menu = self.chat(self.unknown_wa, "halo")
        self.assertIn("1.", menu)
        self.assertIn("8.", menu)
        self.assertIn("STOP", menu)

    def test_meeting_schedule_from_published_meetings(self):
        Meeting = self.env["kopdes.member.meeting"]
        rat = Meeting.create(
            {
                "name": "RAT Tahun Buku 2026",
                "kind": "rat",
                "date": fields.Datetime.now() + timedelta(days=7),
                "place": "Balai Desa Sokoduwet",
            }
        )
        self.assertNotIn(rat.name, self.chat(self.unknown_wa, "kapan rapat anggota"))
        rat.action_publish()
        Meeting.create(
            {
                "name": "Pelatihan lama",
                "date": fields.Datetime.now() - timedelta(days=7),
                "place": "Kantor",
                "state": "published",
            }
        )
        reply = self.chat(self.unknown_wa, "jadwal rat kpn?")
        self.assertIn(rat.name, reply)
        self.assertIn(rat.place, reply)
        self.assertNotIn("Pelatihan lama", reply)

    # ------------------------------------------------------------ join, staff, limits

    def test_join_collects_name_village_business_without_nik(self):
        number = "6281377777777"
        replies = [
            self.chat(number, "mau daftar jadi anggota"),
            self.chat(number, "Siti Aminah"),
            self.chat(number, "Desa Sokoduwet"),
        ]
        for reply in replies:
            self.assertNotIn("NIK", reply)
        done = self.chat(number, "warung sembako")
        self.assertIn("KTP", done)
        application = self.env["kopdes.member.application"].search([("mobile", "=", "+" + number)])
        self.assertEqual(
            (application.name, application.village, application.business, application.state),
            ("Siti Aminah", "Desa Sokoduwet", "warung sembako", "new"),
        )
        self.assertEqual(application.company_id, self.company)
        self.assertTrue(application.activity_ids)
        # staff register the applicant from it: the form is filled in, the NIK is typed there
        action = application.with_user(self.user_petugas).action_register()
        ctx = action["context"]
        member = (
            self.env["kopdes.member"]
            .with_user(self.user_petugas)
            .with_context(**ctx)
            .create(
                {"nik": "3321015001900001".replace("5001", "0101"), "name": ctx["default_name"]}
            )
        )
        self.assertEqual(member.state, "applicant")
        self.assertEqual(member.village, "Desa Sokoduwet")
        self.assertEqual(application.state, "registered")
        self.assertEqual(application.member_id, member)

    def test_join_can_be_cancelled(self):
        number = "6281377777778"
        self.chat(number, "daftar")
        self.chat(number, "batal")
        self.chat(number, "Budi")
        self.assertFalse(
            self.env["kopdes.member.application"].search([("mobile", "=", "+" + number)])
        )

    def test_talk_to_staff_makes_an_activity_and_posts_the_conversation(self):
        number = self.wa(self.owner)
        self.chat(number, "saldo")
        self.chat(number, "saya mau bicara dengan petugas")
        activity = self.owner.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertIn(number, activity.summary)
        note = self.owner.message_ids.filtered(lambda m: number in (m.body or ""))
        self.assertTrue(note)
        self.assertIn("saldo", note[0].body)

    def test_rate_limit_per_number(self):
        self.company.kopdes_wa_bot_hourly_limit = 3
        number = self.wa(self.owner)
        for _i in range(3):
            self.assertIn(self.fmt(1_234_500), self.chat(number, "saldo"))
        limited = self.chat(number, "saldo")
        self.assertTrue(limited)
        self.assertNotIn(self.fmt(1_234_500), limited)
        self.assertEqual(self.chat(number, "saldo"), "")
        # other numbers are not limited
        self.assertTrue(self.chat(self.unknown_wa, "halo"))
        self.assertEqual(
            self.env["kopdes.member.disclosure"].search_count([("member_id", "=", self.owner.id)]),
            3,
        )

    def test_conversation_is_logged_and_linked(self):
        self.chat(self.wa(self.owner), "halo")
        self.chat(self.wa(self.owner), "saldo")
        conversation = self.env["kopdes.wa.conversation"].search(
            [("wa_id", "=", self.wa(self.owner))]
        )
        self.assertEqual(conversation.member_id, self.owner)
        self.assertTrue(conversation.verified)
        self.assertEqual(conversation.line_ids.mapped("direction"), ["in", "out", "in", "out"])
        self.assertEqual(conversation.line_ids[2].intent, "balance")
        self.assertTrue(
            all(conversation.line_ids.filtered(lambda line: line.direction == "out").message_id)
        )
        shared = self.env["kopdes.wa.conversation"]._kopdes_get(
            self.wa_account, self.wa(self.shared)
        )
        self.assertFalse(shared.member_id)
        self.assertFalse(shared.verified)
