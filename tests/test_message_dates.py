"""Dates in chatter messages follow the reader's language format ("per 01/12/2026"), not
ISO ("2026-12-01")."""

from datetime import date

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestMessageDates(TransactionCase):
    def test_status_change_message_in_indonesian_format(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["kopdes_members"], ["id_ID"])
        member = self.env.ref("kopdes_members.member_03").with_context(lang="id_ID")
        self.assertEqual(member.state, "active")
        member._kopdes_change_state("suspended", date(2026, 12, 1), "Tunggakan iuran wajib.")
        body = member.message_ids[:1].body
        self.assertIn("01/12/2026", body)
        self.assertNotIn("2026-12-01", body)
        self.assertIn("Dibekukan", body)

    def test_demo_records_have_no_untranslated_creation_line(self):
        """The demo is loaded before the model names are translated: its records carry no
        "Cooperative Member dibuat" line, only what happened to them."""
        records = (
            self.env.ref("kopdes_members.member_01")
            | self.env.ref("kopdes_members.member_02")
            | self.env["kopdes.member"].search(
                [("company_id", "=", self.env.ref("kopdes_members.demo_company_sokoduwet").id)]
            )
        )
        loans = self.env["kopdes.loan"].search([("company_id", "in", records.company_id.ids)])
        for record in (records, loans):
            created = self.env["mail.message"].search(
                [
                    ("model", "=", record._name),
                    ("res_id", "in", record.ids),
                    "|",
                    ("body", "ilike", " created<"),
                    ("body", "ilike", " dibuat<"),
                ]
            )
            self.assertFalse(created, created.mapped("body")[:3])
