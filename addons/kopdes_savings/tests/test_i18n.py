import os

import polib

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import KopdesSavingsCommon

I18N = os.path.join(os.path.dirname(os.path.dirname(__file__)), "i18n")


@tagged("post_install", "-at_install")
class TestIndonesianTranslation(KopdesSavingsCommon):
    def test_po_is_complete(self):
        pot = polib.pofile(os.path.join(I18N, "kopdes_savings.pot"))
        po = polib.pofile(os.path.join(I18N, "id.po"))
        self.assertEqual({e.msgid for e in po}, {e.msgid for e in pot})
        self.assertFalse([e.msgid for e in po if not e.msgstr.strip()])
        self.assertFalse([e.msgid for e in po if "fuzzy" in e.flags])

    def test_tellers_read_indonesian(self):
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(["kopdes_savings"], ["id_ID"])
        self.user_petugas.lang = "id_ID"
        account = self.account(self.member_a, "sukarela")
        account._kopdes_deposit(10000)
        with self.assertRaisesMessage(UserError, "tidak cukup"):
            account.with_user(self.user_petugas)._kopdes_withdraw(20000)
        with self.assertRaisesMessage(UserError, "hanya dapat ditarik ketika anggota keluar"):
            self.account(self.member_a, "wajib").with_user(self.user_petugas)._kopdes_withdraw(1)
        labels = (
            self.env["kopdes.savings.transaction"]
            .with_context(lang="id_ID")
            .fields_get(["type", "amount"])
        )
        self.assertEqual(labels["amount"]["string"], "Jumlah")
        self.assertIn(("withdrawal", "Penarikan"), labels["type"]["selection"])
