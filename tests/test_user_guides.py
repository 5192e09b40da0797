"""Every menu path the user guides name exists: readme/USAGE.md of each addon (Indonesian,
what the staff read) against the menus of the Indonesian interface, readme/USAGE.en.md
against the English one. A path is written in italics with arrows, *Koperasi → Simpanan →
Setoran*; a path that starts with a top-level menu must exist as it is written."""

import os
import re

from odoo.tests import tagged
from odoo.tests.common import TransactionCase

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ADDONS_DIR = os.path.join(ROOT, "addons")
ITALIC = re.compile(r"(?<![*\w])\*([^*]+)\*(?![*\w])")
SEPARATOR = re.compile(r"\s*(?:→|>)\s*")
GUIDES = {"USAGE.md": "id_ID", "USAGE.en.md": "en_US"}


def guide_paths(text):
    """The menu-like paths of a guide: italic text with at least one separator."""
    for match in ITALIC.finditer(text):
        words = " ".join(match.group(1).split())
        parts = SEPARATOR.split(words)
        if len(parts) > 1 and all(parts):
            yield words, tuple(parts)


@tagged("post_install", "-at_install")
class TestUserGuideMenus(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("id_ID")
        modules = cls.env["ir.module.module"].search([("state", "=", "installed")])
        cls.env["ir.module.module"]._load_module_terms(modules.mapped("name"), ["id_ID"])

    def _menu_paths(self, lang):
        menus = self.env["ir.ui.menu"].with_context(lang=lang).search([])
        names = {menu.id: menu.name for menu in menus}
        paths = set()
        for menu in menus:
            path, node = [], menu
            while node:
                path.append(names.get(node.id, node.name))
                node = node.parent_id
            paths.add(tuple(reversed(path)))
        return paths

    def test_guides_name_real_menus(self):
        checked = 0
        for lang in GUIDES.values():
            menus = self._menu_paths(lang)
            roots = {path[0] for path in menus if len(path) == 1}
            for addon in sorted(os.listdir(ADDONS_DIR)):
                for guide, guide_lang in GUIDES.items():
                    path = os.path.join(ADDONS_DIR, addon, "readme", guide)
                    if guide_lang != lang or not os.path.isfile(path):
                        continue
                    with open(path, encoding="utf-8") as handle:
                        text = handle.read()
                    for words, parts in guide_paths(text):
                        if parts[0] not in roots and parts[0] not in ("Koperasi", "POS"):
                            continue  # a button followed by its menu item, e.g. Cetak → ...
                        checked += 1
                        with self.subTest(guide=f"{addon}/readme/{guide}", path=words):
                            self.assertTrue(
                                parts in menus, f"{addon}/readme/{guide}: no menu *{words}*"
                            )
        self.assertGreater(checked, 20)

    def test_every_addon_has_an_indonesian_guide(self):
        for addon in sorted(os.listdir(ADDONS_DIR)):
            if not os.path.isfile(os.path.join(ADDONS_DIR, addon, "__manifest__.py")):
                continue
            with self.subTest(addon=addon):
                with open(
                    os.path.join(ADDONS_DIR, addon, "readme", "USAGE.md"), encoding="utf-8"
                ) as handle:
                    text = handle.read()
                self.assertIn("Koperasi → ", text)
                # the guide is in Indonesian: the staff's words, not the English menus
                for english in ("Savings", "Members", "Financing", "Reporting", "Deposit"):
                    self.assertNotIn(f"→ {english}", text)
                    self.assertNotIn(f"> {english}", text)
