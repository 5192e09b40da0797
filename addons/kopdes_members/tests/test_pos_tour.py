from datetime import date

from odoo.tests import new_test_user, tagged
from odoo.tests.common import TransactionCase

from .common import KopdesMembersCommon, KopdesPosDemoShopCase

POS_MEMBER_FIELDS = ("kopdes_member_number", "kopdes_member_state")


@tagged("post_install", "-at_install")
class TestPosMemberData(KopdesMembersCommon):
    """What the Point of Sale reads about members, on cooperatives of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.cashier = new_test_user(
            cls.env,
            login="kopdes_pos_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, (cls.company | cls.other_company).ids)],
        )
        cls.active_member = cls._create_member(101, name="Anggota Aktif", state="active")
        cls.suspended_member = cls._create_member(102, name="Anggota Dibekukan", state="active")
        cls.suspended_member._kopdes_change_state("suspended", date.today(), "Tunggakan wajib.")
        cls.member_pricelist = cls.company.kopdes_member_pricelist_id

    def _pos_read(self, partners, company):
        fields = self.env["res.partner"]._load_pos_data_fields(False)
        rows = (
            self.env["res.partner"]
            .with_user(self.cashier)
            .with_company(company)
            .search_read([("id", "in", partners.ids)], fields, load=False)
        )
        return {row["id"]: row for row in rows}

    def test_member_fields_are_loaded_for_pos(self):
        fields = self.env["res.partner"]._load_pos_data_fields(False)
        for field_name in POS_MEMBER_FIELDS + ("barcode", "property_product_pricelist"):
            self.assertIn(field_name, fields)
        partners = (self.active_member | self.suspended_member).partner_id
        rows = self._pos_read(partners, self.company)

        active = rows[self.active_member.partner_id.id]
        self.assertTrue(self.active_member.member_number.startswith("AGT-"))
        self.assertEqual(active["kopdes_member_number"], self.active_member.member_number)
        self.assertEqual(active["kopdes_member_state"], "active")
        self.assertEqual(active["barcode"], self.active_member.member_number)
        self.assertEqual(active["property_product_pricelist"], self.member_pricelist.id)

        suspended = rows[self.suspended_member.partner_id.id]
        self.assertEqual(suspended["kopdes_member_number"], self.suspended_member.member_number)
        self.assertEqual(suspended["kopdes_member_state"], "suspended")
        self.assertNotEqual(suspended["property_product_pricelist"], self.member_pricelist.id)

    def test_member_fields_follow_the_cooperative_of_the_pos(self):
        """One person in two cooperatives: each POS sees its own membership only."""
        person = self.env["res.partner"].create({"name": "Warga Dua Koperasi"})
        in_company = self._create_member(103, partner_id=person.id, state="active")
        in_other = self.env["kopdes.member"].create(
            self._member_vals(103, partner_id=person.id, company_id=self.other_company.id)
        )
        self.assertEqual(in_other.state, "applicant")

        here = self._pos_read(person, self.company)[person.id]
        self.assertEqual(here["kopdes_member_number"], in_company.member_number)
        self.assertEqual(here["kopdes_member_state"], "active")
        there = self._pos_read(person, self.other_company)[person.id]
        self.assertFalse(there["kopdes_member_number"])
        self.assertEqual(there["kopdes_member_state"], "applicant")
        self.assertFalse(there["barcode"])

    def test_member_card_barcode_is_a_customer_barcode(self):
        nomenclature = self.company.nomenclature_id
        self.assertEqual(nomenclature, self.env.ref("barcodes.default_barcode_nomenclature"))
        number = self.active_member.member_number
        parsed = nomenclature.parse_barcode(number)
        self.assertEqual(parsed["type"], "client")
        self.assertEqual(parsed["code"], number)
        self.assertEqual(nomenclature.parse_barcode("AGT-12345")["type"], "client")
        # product barcodes and other codes keep their meaning
        self.assertEqual(nomenclature.parse_barcode("8992761111113")["type"], "product")
        self.assertEqual(nomenclature.parse_barcode("AGTX-00001")["type"], "product")
        self.assertEqual(nomenclature.parse_barcode("0420000000001")["type"], "client")
        # the POS looks the scanned code up among the customers of its cooperative
        Partner = self.env["res.partner"].with_user(self.cashier)
        self.assertEqual(
            Partner.with_company(self.company).search([("barcode", "=", number)]),
            self.active_member.partner_id,
        )
        elsewhere = Partner.with_company(self.other_company).search([("barcode", "=", number)])
        self.assertFalse(elsewhere)

    def test_phone_search_in_local_format(self):
        partner = self.active_member.partner_id
        self.assertEqual(partner.mobile, "+6281200000101")
        Partner = self.env["res.partner"].with_user(self.cashier).with_company(self.company)
        typed_ways = [
            "081200000101",
            "0812-0000-0101",
            "0812 0000 0101",
            "81200000101",
            "6281200000101",
            "+6281200000101",
            "08120000010",  # the start of the number, as the POS searches (ilike 'x%')
        ]
        for typed in typed_ways:
            with self.subTest(typed=typed):
                self.assertIn(partner, Partner.search([("phone_mobile_search", "ilike", typed)]))
        self.assertIn(partner, Partner.search([("phone_mobile_search", "=", "081200000101")]))
        for other in ("081299999999", "0812000001019", "Anggota"):
            with self.subTest(other=other):
                self.assertNotIn(partner, Partner.search([("phone_mobile_search", "ilike", other)]))
        # negative searches are left as they were
        self.assertIn(
            self.suspended_member.partner_id,
            Partner.search([("phone_mobile_search", "not ilike", "081200000101")]),
        )


@tagged("post_install", "-at_install")
class TestPosSessionLoadsMembers(TransactionCase):
    """The demo shop of KKMP Sokoduwet: what its POS session loads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("kopdes_members.demo_company_sokoduwet")
        cls.pos_config = cls.env.ref("kopdes_members.pos_config_sokoduwet")
        cls.cashier = new_test_user(
            cls.env,
            login="kopdes_pos_demo_cashier",
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
        )

    def test_session_loads_member_pricelist_and_member_fields(self):
        config = self.pos_config.with_user(self.cashier).with_company(self.company)
        config.open_ui()
        session = config.current_session_id
        self.assertTrue(session)
        data = session.load_data([])

        member_pricelist = self.company.kopdes_member_pricelist_id
        config_data = data["pos.config"]["data"][0]
        self.assertEqual(config_data["kopdes_member_pricelist_id"], member_pricelist.id)
        self.assertTrue(config_data["use_pricelist"])
        self.assertIn(member_pricelist.id, [p["id"] for p in data["product.pricelist"]["data"]])
        self.assertNotEqual(config_data["pricelist_id"], member_pricelist.id)

        for field_name in POS_MEMBER_FIELDS:
            self.assertIn(field_name, data["res.partner"]["fields"])
        partners = {row["id"]: row for row in data["res.partner"]["data"]}
        slamet = self.env.ref("kopdes_members.member_01")
        teguh = self.env.ref("kopdes_members.member_21")
        self.assertEqual(partners[slamet.partner_id.id]["kopdes_member_number"], "AGT-00001")
        self.assertEqual(partners[slamet.partner_id.id]["kopdes_member_state"], "active")
        self.assertEqual(
            partners[slamet.partner_id.id]["property_product_pricelist"], member_pricelist.id
        )
        self.assertEqual(partners[teguh.partner_id.id]["kopdes_member_state"], "suspended")
        self.assertNotEqual(
            partners[teguh.partner_id.id]["property_product_pricelist"], member_pricelist.id
        )

    def test_demo_member_prices(self):
        member_pricelist = self.company.kopdes_member_pricelist_id
        general = self.pos_config.pricelist_id
        expected = {
            "kopdes_members.product_beras_5kg": (76000, 72500),
            "kopdes_members.product_minyak_goreng_1l": (18000, 17000),
            "kopdes_members.product_gula_pasir_1kg": (18500, 17500),
            "kopdes_members.product_telur_ayam_1kg": (29000, 29000),
        }
        for xmlid, (normal, member) in expected.items():
            product = self.env.ref(xmlid).product_variant_id
            with self.subTest(product=product.name):
                self.assertEqual(product.company_id, self.company)
                self.assertEqual(general._get_product_price(product, 1.0), normal)
                self.assertEqual(member_pricelist._get_product_price(product, 1.0), member)


@tagged("post_install", "-at_install")
class TestPosMemberTour(KopdesPosDemoShopCase):
    """A cashier of KKMP Sokoduwet serves members at the shop (headless Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The POS loads only 100 customers. With these in front, the members are not
        # loaded and are found through the server, as in a cooperative of thousands.
        cls.env["res.partner"].create(
            [{"name": f"Aaa Pelanggan {i:03d}", "company_id": cls.company.id} for i in range(110)]
        )

    def test_pos_member_tour(self):
        self.pos_config.with_user(self.cashier).open_ui()
        self.start_tour(
            f"/pos/ui?config_id={self.pos_config.id}",
            "kopdes_members_pos_member_tour",
            login="kopdes_kasir",
        )
        session = self.pos_config.current_session_id
        paid = session.order_ids.filtered(lambda o: o.state == "paid")
        self.assertEqual(len(paid), 1)
        slamet = self.env.ref("kopdes_members.member_01")
        self.assertEqual(paid.partner_id, slamet.partner_id)
        self.assertEqual(paid.pricelist_id, self.company.kopdes_member_pricelist_id)
        self.assertEqual(paid.amount_total, 72500 + 29000)
        prices = {line.product_id.name: line.price_unit for line in paid.lines}
        self.assertEqual(prices, {"Beras 5 kg": 72500, "Telur Ayam 1 kg": 29000})
