"""Plain-Python tests of tools/slots.py: every way members write amounts and terms."""

import itertools

from odoo.tests import BaseCase

from odoo.addons.kopdes_whatsapp.tools import slots

AMOUNTS = {
    "5 juta": 5_000_000,
    "5juta": 5_000_000,
    "5jt": 5_000_000,
    "5 jt": 5_000_000,
    "5JT": 5_000_000,
    "3,5 juta": 3_500_000,
    "3.5 juta": 3_500_000,
    "3,5jt": 3_500_000,
    "1.25 jt": 1_250_000,
    "500rb": 500_000,
    "500 rb": 500_000,
    "500 ribu": 500_000,
    "750 rebu": 750_000,
    "10k": 10_000,
    "Rp 2.000.000": 2_000_000,
    "Rp2.000.000": 2_000_000,
    "rp. 2.000.000": 2_000_000,
    "Rp 2.000.000,00": 2_000_000,
    "2.000.000": 2_000_000,
    "2,000,000": 2_000_000,
    "2000000": 2_000_000,
    "Rp 5 juta": 5_000_000,
    "rp 1,5 jt": 1_500_000,
    "1 M": 1_000_000_000,
    "sejuta": 1_000_000,
    "seribu": 1_000,
    "lima juta": 5_000_000,
    "sepuluh juta": 10_000_000,
    "dua belas juta": 12_000_000,
    "dua puluh lima juta": 25_000_000,
    "dua ratus lima puluh ribu": 250_000,
    "seratus ribu": 100_000,
    "setengah juta": 500_000,
    "satu setengah juta": 1_500_000,
    "2 juta 500 ribu": 2_500_000,
    "limo yuta": 5_000_000,
    "pitung": None,  # not a number
    "": None,
    "12 bulan": None,
    "saldo saya": None,
    "500": None,  # too small without a unit to be an amount
    "0 juta": None,
}

TERMS = {
    "12 bulan": slots.Term(12, slots.MONTH),
    "12bulan": slots.Term(12, slots.MONTH),
    "6 bln": slots.Term(6, slots.MONTH),
    "6bln": slots.Term(6, slots.MONTH),
    "1 tahun": slots.Term(12, slots.MONTH),
    "2 thn": slots.Term(24, slots.MONTH),
    "1,5 tahun": slots.Term(18, slots.MONTH),
    "setahun": slots.Term(12, slots.MONTH),
    "setengah tahun": slots.Term(6, slots.MONTH),
    "sebulan": slots.Term(1, slots.MONTH),
    "dua belas bulan": slots.Term(12, slots.MONTH),
    "10 sasi": slots.Term(10, slots.MONTH),
    "10 minggu": slots.Term(10, slots.WEEK),
    "12x": slots.Term(12, None),
    "12 kali": slots.Term(12, None),
    "0 bulan": None,
    "1,3 tahun": None,  # not a whole number of months
    "5 juta": None,
    "": None,
}


class TestSlots(BaseCase):
    def test_amounts(self):
        for text, expected in AMOUNTS.items():
            with self.subTest(text=text):
                self.assertEqual(slots.parse_amount(text), expected)

    def test_terms(self):
        for text, expected in TERMS.items():
            with self.subTest(text=text):
                self.assertEqual(slots.parse_term(text), expected)

    def test_amount_and_term_in_one_sentence(self):
        """Every amount with every term inside a sentence, in both orders: the amount
        never takes the term's number and the other way round."""
        amounts = {k: v for k, v in AMOUNTS.items() if v}
        terms = {k: v for k, v in TERMS.items() if v}
        for (a_text, a_value), (t_text, t_value) in itertools.product(
            amounts.items(), terms.items()
        ):
            for sentence in (
                f"kalau pinjam {a_text} {t_text} cicilannya berapa?",
                f"mau utang {t_text}, {a_text} ya",
            ):
                with self.subTest(sentence=sentence):
                    self.assertEqual(slots.parse_amount(sentence), a_value)
                    self.assertEqual(slots.parse_term(sentence), t_value)

    def test_mask(self):
        self.assertEqual(
            slots.mask_slots("Pinjam Rp 5.000.000 selama 12 bulan?"),
            "pinjam nominal selama tenor",
        )
        self.assertEqual(slots.mask_slots("pinjam 3,5jt 1 thn"), "pinjam nominal tenor")
