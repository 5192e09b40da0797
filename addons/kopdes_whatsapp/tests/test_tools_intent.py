"""Plain-Python tests of tools/intent.py: normaliser, command rules, and the classifier's
accuracy on the held-out part of the shipped phrase set (printed, and asserted)."""

import logging

from odoo.tests import BaseCase

from odoo.addons.kopdes_whatsapp.tools import intent

_logger = logging.getLogger(__name__)


class TestIntent(BaseCase):
    def test_phrase_set(self):
        phrases = intent.load_phrases()
        counts = {}
        for name, _phrase in phrases:
            counts[name] = counts.get(name, 0) + 1
        self.assertEqual(set(counts), set(intent.INTENTS))
        for name, count in counts.items():
            self.assertGreaterEqual(count, 40, f"too few phrases for {name}")
        self.assertEqual(len(phrases), len(set(p.lower() for _i, p in phrases)), "duplicates")

    def test_normalize(self):
        self.assertEqual(intent.normalize("Brp saldo sy??"), "berapa saldo saya")
        self.assertEqual(intent.normalize("simpenan kulo piro"), "simpanan saya berapa")
        self.assertEqual(intent.normalize("BRAPAAAA utangku"), "berapa hutang saya")
        self.assertEqual(intent.normalize("pinjem 5jt 12 bln"), "pinjam nominal tenor")
        self.assertEqual(intent.normalize("kpn bayar 🙏"), "kapan bayar")
        self.assertEqual(intent.normalize(""), "")

    def test_commands_and_menu(self):
        for text in ("STOP", "stop", " Stop. ", "BERHENTI", "berhenti!", "unsubscribe"):
            self.assertEqual(intent.classify(text), intent.STOP, text)
        for text in ("MULAI", "mulai", "Start", "mulai lagi"):
            self.assertEqual(intent.classify(text), intent.START, text)
        for number, expected in intent.MENU.items():
            self.assertEqual(intent.classify(number), expected)
            self.assertEqual(intent.classify(f" {number}. "), expected)
        self.assertEqual(intent.classify("9"), intent.UNKNOWN)

    def test_examples_of_the_issue(self):
        examples = {
            "Berapa sisa simpanan saya?": intent.BALANCE,
            "Cicilan pembiayaan jatuh tempo kapan?": intent.INSTALLMENT,
            "simpenan sy piro": intent.BALANCE,
            "utang sy kari piro": intent.LOAN_REMAINING,
            "kapan bayar": intent.INSTALLMENT,
            "brp saldo sukarela": intent.BALANCE,
            "pinjam 5 juta 12 bulan": intent.SIMULATION,
            "mau daftar jadi anggota": intent.JOIN,
            "halo": intent.UNKNOWN,
            "": intent.UNKNOWN,
            "qwrtzp": intent.UNKNOWN,
        }
        for text, expected in examples.items():
            self.assertEqual(intent.classify(text), expected, text)

    def test_phrasings_not_in_the_set(self):
        """Sentences written for this test only, none of them in the phrase set."""
        phrases = {p.lower() for _i, p in intent.load_phrases()}
        unseen = {
            "tolong infokan saldo tabungan saya sekarang": intent.BALANCE,
            "simpanan sukarelaku isih piro to": intent.BALANCE,
            "kapan sy hrs bayar angsuran bulan depan": intent.INSTALLMENT,
            "kalau mau pinjam 4 jt buat 10 bulan brp cicilannya": intent.SIMULATION,
            "hutang saya di koperasi masih sisa berapa": intent.LOAN_REMAINING,
            "rapat anggota tahun depan kapan ya": intent.MEETING,
            "bisa bicara langsung dengan pengurus?": intent.STAFF,
            "saya ingin daftar jadi anggota koperasi desa": intent.JOIN,
            "jenis simpanan di koperasi apa saja ya": intent.PRODUCTS,
        }
        for text, expected in unseen.items():
            self.assertNotIn(text, phrases)
            self.assertEqual(intent.classify(text), expected, text)

    def test_held_out_accuracy(self):
        result = intent.evaluate(holdout=5)
        _logger.warning(  # shown in the test output: the figure the readme reports
            f"\nintent accuracy on {result['total']} held-out phrases: "
            f"{result['accuracy']:.1%}; per intent: "
            + ", ".join(f"{k} {v:.0%}" for k, v in sorted(result["per_intent"].items()))
        )
        self.assertGreaterEqual(result["total"], 100)
        self.assertGreaterEqual(result["accuracy"], 0.85, result["errors"])
        self.assertTrue(all(v >= 0.6 for v in result["per_intent"].values()), result)
