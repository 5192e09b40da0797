"""Every term a KopDes addon shows (fields, selections, views, menus, Python and JS strings)
is translated in the addon's i18n/id.po, read from the installed addons as Odoo exports them
(so a stale .pot cannot hide a new string)."""

import os
import re

import polib

from odoo.tests import tagged
from odoo.tests.common import TransactionCase
from odoo.tools.translate import TranslationModuleReader

ADDONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "addons")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")


def kopdes_addons():
    return sorted(
        name
        for name in os.listdir(ADDONS_DIR)
        if os.path.isfile(os.path.join(ADDONS_DIR, name, "__manifest__.py"))
    )


@tagged("post_install", "-at_install")
class TestIndonesianEverywhere(TransactionCase):
    def test_every_addon_fully_translated(self):
        for addon in kopdes_addons():
            with self.subTest(addon=addon):
                po_path = os.path.join(ADDONS_DIR, addon, "i18n", "id.po")
                self.assertTrue(os.path.isfile(po_path), f"{addon} has no i18n/id.po")
                po = polib.pofile(po_path)
                translated = {e.msgid: e.msgstr for e in po if e.msgstr.strip() and not e.fuzzy}
                reader = TranslationModuleReader(self.env.cr, modules=[addon])
                terms = {source for module, _t, _n, _r, source, *_rest in reader if module == addon}
                self.assertTrue(terms, addon)
                missing = sorted(term for term in terms if term not in translated)
                self.assertFalse(missing, f"{addon}: {len(missing)} terms without Indonesian")

    def test_placeholders_kept(self):
        for addon in kopdes_addons():
            po = polib.pofile(os.path.join(ADDONS_DIR, addon, "i18n", "id.po"))
            for entry in po:
                with self.subTest(addon=addon, msgid=entry.msgid[:60]):
                    self.assertEqual(
                        sorted(PLACEHOLDER.findall(entry.msgid)),
                        sorted(PLACEHOLDER.findall(entry.msgstr)),
                    )

    def test_names_given_by_the_setup_in_indonesian(self):
        company = self.env.ref("kopdes_members.demo_company_sokoduwet")
        self.env["res.lang"]._activate_lang("id_ID")
        self.env["ir.module.module"]._load_module_terms(kopdes_addons(), ["id_ID"])
        company = company.with_context(lang="id_ID")
        self.assertEqual(company.kopdes_member_pricelist_id.name, "Harga Anggota")
        self.assertEqual(company.kopdes_savings_journal_id.name, "Simpanan Anggota")
        self.assertEqual(company.kopdes_loan_journal_id.name, "Pembiayaan")
