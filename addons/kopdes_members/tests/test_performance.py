from lxml import etree

from odoo.tests import tagged

from .common import KopdesMembersCommon, make_nik


@tagged("post_install", "-at_install")
class TestMemberListQueries(KopdesMembersCommon):
    """The member list costs the same number of queries for 100 or 5,000 members."""

    def _list_spec(self):
        arch = self.Member.get_views([(False, "list")])["views"]["list"]["arch"]
        names = etree.fromstring(arch).xpath("/list/field/@name")
        self.assertIn("member_number", names)
        return {name: {} for name in names} | {
            "business_type_id": {"fields": {"display_name": {}}},
            "company_id": {"fields": {"display_name": {}}},
        }

    def _make_members(self, start, count):
        vals = [
            {
                "name": f"Anggota Massal {n}",
                "nik": make_nik(n % 9999 + 1, day=n % 28 + 1, month=n // 9999 % 12 + 1),
                "mobile": f"0813{n:08d}",
                "village": ("Sokoduwet", "Banyurip", "Jenggot")[n % 3],
                "business_type_id": self.env.ref("kopdes_members.business_type_batik").id,
                "company_id": self.company.id,
                "state": "active",
            }
            for n in range(start, start + count)
        ]
        return self.Member.with_context(tracking_disable=True, mail_create_nolog=True).create(vals)

    def _count_list_queries(self):
        spec = self._list_spec()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        result = self.Member.web_search_read(
            [("company_id", "=", self.company.id)], spec, limit=80, count_limit=10001
        )
        queries = self.cr.sql_log_count - before
        self.assertEqual(len(result["records"]), 80)
        return queries, result["length"]

    def test_list_queries_do_not_grow(self):
        self._make_members(1, 100)
        small, length = self._count_list_queries()
        self.assertEqual(length, 100)
        self._make_members(101, 4900)
        large, length = self._count_list_queries()
        self.assertEqual(length, 5000)
        self.assertEqual(small, large)
        self.assertLess(large, 15)
