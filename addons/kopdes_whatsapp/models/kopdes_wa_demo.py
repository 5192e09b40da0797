"""Demo data: an account at the local fake Cloud API, the templates, a month of messages in
every state, announcements and a few messages received (clearly generated: keys ``demo:``)."""

from datetime import datetime, time, timedelta

from odoo import api, fields, models

from odoo.addons.kopdes_members.models.kopdes_system import kopdes_today

DEMO_STATES = [
    ("read", None),
    ("read", None),
    ("delivered", None),
    ("read", None),
    ("delivered", None),
    ("failed", ("undeliverable", 131026)),
    ("read", None),
    ("sent", None),
    ("failed", ("window", 131047)),
    ("cancelled", None),
    ("delivered", None),
    ("failed", ("transient", 131000)),
]
DEMO_INBOUND = [
    "Berapa sisa simpanan saya?",
    "kapan bayar angsuran?",
    "brp utang sy",
    "Pinjam 5 juta 12 bulan berapa cicilannya?",
]


class KopdesWaAccount(models.Model):
    _inherit = "kopdes.wa.account"

    @api.model
    def _kopdes_whatsapp_demo(self, company_ids):
        for company in self.env["res.company"].browse(company_ids):
            self._kopdes_whatsapp_demo_company(company)

    def _kopdes_whatsapp_demo_company(self, company):
        account = self.create(
            {
                "name": f"WhatsApp {company.name}",
                "company_id": company.id,
                "phone_number_id": "100000000000001",
                "display_phone_number": "+62 21 5550 000",
                "business_account_id": "WABA-DEMO",
                "api_base_url": "http://127.0.0.1:8788/v23.0",
                "access_token": "kopdes-demo-token",
                "app_secret": "kopdes-demo-app-secret",
                "verify_token": "kopdes-demo-verify",
            }
        )
        templates = account.action_create_default_templates()
        templates.write({"status": "approved", "status_date": fields.Datetime.now()})
        today = kopdes_today(self.env, company)
        Message = self.env["kopdes.wa.message"]
        Line = self.env["kopdes.loan.line"]
        # a month of installment reminders, as the daily job would have queued them
        for offset in range(30, -1, -1):
            Line._kopdes_wa_reminders(company, today=today - timedelta(days=offset))
        announcement = templates.filtered(lambda t: t.name == "pengumuman_anggota")
        Broadcast = self.env["kopdes.wa.broadcast"]
        broadcasts = Broadcast.create(
            [
                {
                    "name": "Rapat Anggota Tahunan (RAT) Tahun Buku 2025",
                    "kind": "meeting",
                    "company_id": company.id,
                    "text": "Pembahasan laporan pertanggungjawaban pengurus dan pembagian SHU.",
                    "place": "Balai Desa",
                    "event_date": datetime.combine(today + timedelta(days=20), time(2, 0)),
                    "template_id": announcement.id,
                },
                {
                    "name": "Pelatihan Pembukuan Usaha Warung",
                    "kind": "training",
                    "company_id": company.id,
                    "text": "Pelatihan gratis mencatat keuangan warung untuk anggota.",
                    "place": "Kantor Koperasi",
                    "event_date": datetime.combine(today - timedelta(days=10), time(2, 0)),
                    "template_id": announcement.id,
                },
                {
                    "name": "Program Pupuk Bersubsidi",
                    "kind": "government",
                    "company_id": company.id,
                    "text": "Pendaftaran penerima pupuk bersubsidi dibuka di kantor koperasi.",
                    "place": "Kantor Koperasi",
                    "event_date": datetime.combine(today - timedelta(days=20), time(2, 0)),
                    "template_id": announcement.id,
                },
            ]
        )
        broadcasts.action_send()
        Broadcast.create(
            {
                "name": "Promo Beras Premium",
                "kind": "promotion",
                "company_id": company.id,
                "text": "Beras premium 5 kg harga anggota minggu ini.",
                "template_id": templates.filtered(lambda t: t.name == "promo_gerai").id,
            }
        )
        messages = Message.search([("company_id", "=", company.id)], order="id")
        self._kopdes_demo_spread(messages, today)
        self._kopdes_demo_inbound(account, messages, today)
        return account

    def _kopdes_demo_spread(self, messages, today):
        """Date the messages over the last month and give them every state."""
        now = fields.Datetime.now()
        for index, message in enumerate(messages):
            age = (len(messages) - index) * 30 // max(len(messages), 1)
            queued_at = datetime.combine(today - timedelta(days=age), time(1, 0)) + timedelta(
                minutes=index % 240
            )
            if age == 0 or index >= len(messages) - 3:
                state, error = ("sending", None) if index == len(messages) - 1 else ("queued", None)
            else:
                state, error = DEMO_STATES[index % len(DEMO_STATES)]
            vals = {"state": state}
            if state not in ("queued", "cancelled"):
                vals.update(
                    attempts=1,
                    last_attempt=now if state == "sending" else queued_at,
                )
            if state in ("sent", "delivered", "read"):
                vals.update(
                    wa_message_id=f"wamid.DEMO{message.id:08d}",
                    sent_date=queued_at + timedelta(seconds=2),
                )
            if state in ("delivered", "read"):
                vals["delivered_date"] = queued_at + timedelta(minutes=1)
            if state == "read":
                vals["read_date"] = queued_at + timedelta(hours=2)
            if error:
                kind, code = error
                vals.update(
                    error_kind=kind,
                    error_code=code,
                    failed_date=queued_at + timedelta(seconds=2),
                    attempts=6 if kind == "transient" else 1,
                )
            message.write(vals)
            self.env.cr.execute(
                "UPDATE kopdes_wa_message SET create_date = %s, day = %s WHERE id = %s",
                [queued_at, queued_at.date(), message.id],
            )
        undeliverable = messages.filtered(lambda m: m.error_kind == "undeliverable")
        undeliverable.contact_id.write({"undeliverable": True})
        messages.invalidate_recordset(["create_date", "day"])

    def _kopdes_demo_inbound(self, account, messages, today):
        contacts = messages.contact_id.filtered("member_id")[: len(DEMO_INBOUND)]
        Inbound = self.env["kopdes.wa.inbound"]
        for index, (contact, text) in enumerate(zip(contacts, DEMO_INBOUND, strict=False)):
            date = datetime.combine(today - timedelta(days=index), time(3, 15))
            Inbound.create(
                {
                    "company_id": account.company_id.id,
                    "account_id": account.id,
                    "contact_id": contact.id,
                    "wa_id": contact.wa_id,
                    "wamid": f"wamid.DEMOIN{index:04d}",
                    "message_type": "text",
                    "text": text,
                    "date": date,
                }
            )
            contact.write({"last_inbound": date, "profile_name": contact.member_id.name})
