"""Plain-Python tests of tools/phone.py (no database)."""

from odoo.tests import BaseCase

from odoo.addons.kopdes_members.tools import phone


class TestPhone(BaseCase):
    def test_indonesian_forms(self):
        expected = "+6281234567890"
        for raw in (
            "081234567890",
            "81234567890",
            "6281234567890",
            "+6281234567890",
            "+62 812-3456-7890",
            "0812 3456 7890",
            "(0812) 3456.7890",
            "006281234567890",
            " 0812-3456-7890 ",
        ):
            with self.subTest(raw=raw):
                self.assertEqual(phone.normalize(raw), expected)

    def test_landlines_and_other_operators(self):
        self.assertEqual(phone.normalize("0285 421234"), "+62285421234")  # Pekalongan
        self.assertEqual(phone.normalize("021-5551234"), "+62215551234")  # Jakarta
        self.assertEqual(phone.normalize("0857 1234 5678"), "+6285712345678")
        self.assertEqual(phone.normalize("0895-1234-56789"), "+62895123456789")

    def test_foreign_numbers_with_plus(self):
        self.assertEqual(phone.normalize("+60 12-345 6789"), "+60123456789")  # Malaysia

    def test_invalid(self):
        for raw in (
            "12345",
            "0812",
            "0812345678901234",
            "abc",
            "+62",
            "62",
            "0000000000",
            "08x2345678",
        ):
            with self.subTest(raw=raw):
                with self.assertRaises(phone.PhoneError) as caught:
                    phone.normalize(raw)
                self.assertEqual(caught.exception.code, phone.INVALID)

    def test_empty(self):
        for raw in ("", "   ", None):
            with self.assertRaises(phone.PhoneError) as caught:
                phone.normalize(raw)
            self.assertEqual(caught.exception.code, phone.EMPTY)

    def test_mobile_and_whatsapp_id(self):
        self.assertTrue(phone.is_mobile("+6281234567890"))
        self.assertFalse(phone.is_mobile("+62285421234"))
        self.assertEqual(phone.whatsapp_id("+6281234567890"), "6281234567890")
