"""Screens staff read all day: amounts and dates in every list of a KopDes screen have the
width they need (Odoo's defaults cut "01/01/2026" to "01/01/20…" and "Rp 5.000.000,00" to
"Rp 5.000.0…" while a status badge takes the rest), the collectors' aging list keeps the
loan, member and phone readable, and the applicant list shows what applicants have."""

from lxml import etree

from odoo.tests import tagged
from odoo.tests.common import TransactionCase


@tagged("post_install", "-at_install")
class TestReadableLists(TransactionCase):
    def _lists(self):
        """(view xml id, model of the list, list element) of every list in a KopDes view."""
        views = self.env["ir.ui.view"].search(
            [("type", "in", ("list", "form")), ("mode", "=", "primary")]
        )
        xmlids = views._get_external_ids()
        for view in views:
            names = [x for x in xmlids.get(view.id, []) if x.split(".")[0].startswith("kopdes_")]
            if not names or view.model not in self.env:
                continue
            arch = self.env[view.model].get_view(view.id, view.type)["arch"]
            root = etree.fromstring(arch)
            for lst in root.iter("list"):
                model, parent = view.model, lst.getparent()
                chain = []
                while parent is not None:
                    if parent.tag == "field" and parent.get("name"):
                        chain.append(parent.get("name"))
                    parent = parent.getparent()
                for fname in reversed(chain):
                    model = self.env[model]._fields[fname].comodel_name
                if model.startswith("kopdes."):  # not Odoo's own lists of journal entries
                    yield names[0], model, lst

    def test_amounts_and_dates_have_their_width(self):
        checked = 0
        for xmlid, model, lst in self._lists():
            for node in lst.findall("field"):
                field = self.env[model]._fields.get(node.get("name"))
                if field is None or field.type not in ("date", "monetary"):
                    continue
                if node.get("column_invisible") in ("1", "True"):
                    continue
                checked += 1
                with self.subTest(view=xmlid, field=field.name):
                    self.assertTrue(node.get("width"), f"{xmlid}: {field.name} has no width")
                    self.assertGreaterEqual(
                        int(node.get("width").removesuffix("px")),
                        100 if field.type == "date" else 125,
                    )
        self.assertGreater(checked, 50)

    def _list_arch(self, xmlid):
        view = self.env.ref(xmlid)
        return etree.fromstring(self.env[view.model].get_view(view.id, "list")["arch"])

    def test_aging_list_for_collectors(self):
        arch = self._list_arch("kopdes_financing.kopdes_loan_aging_report_view_list")
        columns = {
            node.get("name"): node
            for node in arch.iter("field")
            if node.get("column_invisible") not in ("1", "True")
        }
        for name in ("loan_id", "member_id", "mobile", "village", "overdue_total"):
            self.assertNotEqual(columns[name].get("optional"), "hide", name)
        # the age buckets are there for whoever wants them, hidden by default
        shown_money = [
            name
            for name, node in columns.items()
            if self.env["kopdes.loan.aging.report"]._fields[name].type == "monetary"
            and node.get("optional") != "hide"
        ]
        self.assertLessEqual(len(shown_money), 3, shown_money)

    def test_applicant_list(self):
        action = self.env.ref("kopdes_members.kopdes_member_applicant_action")
        list_view = action.view_id
        self.assertEqual(list_view.type, "list")
        arch = self._list_arch(list_view.get_external_id()[list_view.id])
        shown = {
            node.get("name")
            for node in arch.iter("field")
            if node.get("column_invisible") not in ("1", "True") and node.get("optional") != "hide"
        }
        self.assertLessEqual({"applied_date", "name", "mobile", "village"}, shown)
        self.assertFalse({"member_number", "join_date"} & shown)
