import re
from pathlib import Path

import polib

from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

I18N = Path(__file__).resolve().parent.parent / "i18n"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%s")


@tagged("post_install", "-at_install")
class TestFinancingTranslation(TransactionCase):
    def test_indonesian_translation_is_complete(self):
        """Every term the addon shows has an Indonesian translation with the same placeholders."""
        po = {entry.msgid: entry for entry in polib.pofile(str(I18N / "id.po"))}
        reader = TranslationModuleReader(self.env.cr, modules=["kopdes_financing"])
        missing, broken = [], []
        for _module, _type, _name, _res_id, source, _value, _comments in reader:
            entry = po.get(source)
            if not entry or not entry.msgstr or "fuzzy" in entry.flags:
                missing.append(source)
            elif sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(entry.msgstr)):
                broken.append(source)
        self.assertEqual(missing, [], "terms without an Indonesian translation")
        self.assertEqual(broken, [], "translations that lose a placeholder")
