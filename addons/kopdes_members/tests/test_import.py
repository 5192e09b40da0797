from odoo.tests import tagged

from .common import KopdesMembersCommon, make_nik


@tagged("post_install", "-at_install")
class TestMemberImport(KopdesMembersCommon):
    FIELDS = ["name", "nik", "mobile", "village", "rt", "rw", "business_type_id"]

    def _load(self, rows):
        return self.Member.with_context(import_file=True).load(self.FIELDS, rows)

    def test_import_good_rows(self):
        rows = [
            [
                "Warsini",
                make_nik(501, female=True),
                "0812 1111 0501",
                "Banyurip",
                "1",
                "2",
                "Farming",
            ],
            ["Kasmadi", make_nik(502), "+6281211110502", "Jenggot", "3", "4", "Batik trading"],
        ]
        result = self._load(rows)
        self.assertFalse(result["messages"], result["messages"])
        members = self.Member.browse(result["ids"])
        self.assertEqual(members.mapped("mobile"), ["+6281211110501", "+6281211110502"])
        self.assertEqual(members.mapped("gender"), ["female", "male"])
        self.assertEqual(
            members[0].business_type_id, self.env.ref("kopdes_members.business_type_farming")
        )
        self.assertEqual(members.mapped("rt"), ["001", "003"])

    def test_bad_rows_reported_and_nothing_imported(self):
        rows = [
            ["Baik Satu", make_nik(511), "081211110511", "Banyurip", "", "", ""],
            ["NIK Salah", "3375041713850001", "081211110512", "Banyurip", "", "", ""],
            ["Baik Dua", make_nik(513), "081211110513", "Banyurip", "", "", ""],
            ["Telepon Salah", make_nik(514), "12345", "Banyurip", "", "", ""],
            ["NIK Ganda", make_nik(511), "081211110515", "Banyurip", "", "", ""],
        ]
        before = self.Member.search_count([])
        result = self._load(rows)
        self.assertFalse(result["ids"])
        errors = [m for m in result["messages"] if m["type"] == "error"]
        # Odoo repeats the first error of the failed batch at the top; the rest is per row
        if len(errors) > 1 and errors[0]["message"] in [m["message"] for m in errors[1:]]:
            errors = errors[1:]
        by_row = {m["record"]: m["message"] for m in errors}
        self.assertIn(1, by_row)
        self.assertIn("3375041713850001", by_row[1])
        self.assertIn("month", by_row[1])
        self.assertIn(3, by_row)
        self.assertIn("12345", by_row[3])
        self.assertIn(4, by_row)
        self.assertIn("already registered", by_row[4])
        self.assertNotIn(0, by_row)
        self.assertNotIn(2, by_row)
        self.assertEqual(self.Member.search_count([]), before)
        self.assertFalse(self.Member.search([("name", "in", ["Baik Satu", "Baik Dua"])]))
