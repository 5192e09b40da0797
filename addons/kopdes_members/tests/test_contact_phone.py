from odoo.tests import Form, new_test_user, tagged

from .common import KopdesMembersCommon


@tagged("post_install", "-at_install")
class TestContactPhones(KopdesMembersCommon):
    """Phones are stored in E.164 wherever a contact's number is written, not only on the
    member form: contact form, plain create/write (POS, RPC), import."""

    def setUp(self):
        super().setUp()
        self.Partner = self.env["res.partner"].with_user(self.user_petugas)

    def test_create_and_write(self):
        partner = self.Partner.create(
            {"name": "Warung Bu Sri", "mobile": "0812 3456 7890", "phone": "0285-421234"}
        )
        self.assertEqual((partner.mobile, partner.phone), ("+6281234567890", "+62285421234"))
        partner.write({"mobile": "62857 1234 5678"})
        self.assertEqual(partner.mobile, "+6285712345678")
        # another country's number in that country's own writing
        partner.write({"country_id": self.env.ref("base.my").id, "phone": "03-2345 6789"})
        self.assertEqual(partner.phone, "+60323456789")
        # what cannot be read stays as typed on an ordinary contact (members are refused)
        supplier = self.Partner.create({"name": "Pemasok", "phone": "ext. 12"})
        self.assertEqual(supplier.phone, "ext. 12")

    def test_contact_form(self):
        form = Form(self.Partner)
        form.name = "Pak Darto"
        form.mobile = "081298765432"
        self.assertEqual(form.mobile, "+6281298765432")  # not "+62 812-9876-5432"
        form.phone = "(0285) 421 234"
        self.assertEqual(form.save().phone, "+62285421234")

    def test_import(self):
        result = self.Partner.with_context(import_file=True).load(
            ["name", "mobile"], [["Bu Ani", "0813-1111-2222"], ["Pak Budi", "6281322223333"]]
        )
        self.assertFalse(result["messages"], result["messages"])
        partners = self.env["res.partner"].browse(result["ids"])
        self.assertEqual(partners.mapped("mobile"), ["+6281311112222", "+6281322223333"])

    def test_pos_cashier_creates_customer(self):
        cashier = new_test_user(
            self.env,
            login="kopdes_kasir_phone",
            groups="base.group_user,base.group_partner_manager,point_of_sale.group_pos_user",
            company_id=self.company.id,
            company_ids=[(6, 0, self.company.ids)],
        )
        # the POS saves a new customer with an ordinary create over RPC
        partner = (
            self.env["res.partner"]
            .with_user(cashier)
            .create({"name": "Pelanggan Baru", "mobile": "0878 5555 6666"})
        )
        self.assertEqual(partner.mobile, "+6287855556666")
        # and finds it by the number as the cashier types it
        found = (
            self.env["res.partner"]
            .with_user(cashier)
            .search([("phone_mobile_search", "=", "087855556666")])
        )
        self.assertIn(partner, found)
