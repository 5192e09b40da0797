"""Plain-Python tests of tools/nik.py (no database)."""

import datetime

from odoo.tests import BaseCase

from odoo.addons.kopdes_members.tools import nik

TODAY = datetime.date(2026, 12, 1)


class TestNikParse(BaseCase):
    def assertNikError(self, number, code, **kwargs):
        with self.assertRaises(nik.NikError) as caught:
            nik.validate(number, **kwargs)
        self.assertEqual(caught.exception.code, code, number)

    def test_valid_men_and_women(self):
        cases = {
            # number: (gender, day, month, yy)
            "3375041708450001": ("male", 17, 8, 45),
            "3375045708850001": ("female", 17, 8, 85),
            "3375040101000001": ("male", 1, 1, 0),
            "3375043112990001": ("male", 31, 12, 99),
            "3375044101020001": ("female", 1, 1, 2),
            "3375047112990001": ("female", 31, 12, 99),
            "3171011708450001": ("male", 17, 8, 45),  # Jakarta Pusat
            "3326016505800123": ("female", 25, 5, 80),  # Kabupaten Pekalongan
        }
        for number, (gender, day, month, yy) in cases.items():
            with self.subTest(number=number):
                parts = nik.parse(number)
                self.assertEqual(
                    (parts["gender"], parts["day"], parts["month"], parts["yy"]),
                    (gender, day, month, yy),
                )
                self.assertEqual(nik.validate(number), number)

    def test_separators_are_removed(self):
        self.assertEqual(nik.validate(" 3375.0417-0845 0001 "), "3375041708450001")

    def test_structure_errors(self):
        self.assertNikError("", nik.EMPTY)
        self.assertNikError("33750417084500", nik.LENGTH)
        self.assertNikError("33750417084500012", nik.LENGTH)
        self.assertNikError("33750417084500A1", nik.FORMAT)
        self.assertNikError("3375-0417-0845-OOO1", nik.FORMAT)  # letter O for zero
        # full-width digits (typed on some phones) are read as digits
        self.assertEqual(nik.validate("３３７５０４１７０８４５０００１"), "3375041708450001")

    def test_day_out_of_range(self):
        for day in ("00", "32", "39", "40", "72", "80", "81", "99"):
            with self.subTest(day=day):
                self.assertNikError(f"337504{day}0885" + "0001", nik.DAY)

    def test_month_out_of_range(self):
        for month in ("00", "13", "20", "99"):
            with self.subTest(month=month):
                self.assertNikError(f"33750417{month}85" + "0001", nik.MONTH)

    def test_impossible_dates(self):
        self.assertNikError("3375043102850001", nik.DATE)  # 31 February
        self.assertNikError("3375047102850001", nik.DATE)  # 31 February, woman
        self.assertNikError("3375043104850001", nik.DATE)  # 31 April
        self.assertNikError("3375042902010001", nik.DATE)  # 29 Feb 1901 and 2001: no leap year

    def test_leap_days(self):
        # 29 February exists in 1976 and 2000 (and 1900 does not, which settles the century)
        self.assertEqual(nik.parse("3375042902760001")["day"], 29)
        self.assertEqual(nik.parse("3375046902000001")["gender"], "female")
        self.assertEqual(
            nik.birth_date("3375042902000001", today=TODAY), datetime.date(2000, 2, 29)
        )
        self.assertEqual(
            nik.birth_date("3375046902760001", today=TODAY), datetime.date(1976, 2, 29)
        )

    def test_unknown_regions(self):
        for number in (
            "9971011708450001",
            "0001011708450001",
            "3399011708450001",
            "1999011708450001",
        ):
            with self.subTest(number=number):
                self.assertNikError(number, nik.REGION)

    def test_serial_zero(self):
        self.assertNikError("3375041708450000", nik.SERIAL)

    def test_birth_date_century(self):
        self.assertEqual(
            nik.birth_date("3375041708450001", today=TODAY), datetime.date(1945, 8, 17)
        )
        self.assertEqual(
            nik.birth_date("3375041708200001", today=TODAY), datetime.date(2020, 8, 17)
        )
        # a two-digit year after today's is taken from the last century
        self.assertEqual(
            nik.birth_date("3375041708300001", today=TODAY), datetime.date(1930, 8, 17)
        )
        self.assertEqual(
            nik.birth_date("3375040112260001", today=TODAY), datetime.date(2026, 12, 1)
        )
        self.assertEqual(
            nik.birth_date("3375040212260001", today=TODAY), datetime.date(1926, 12, 2)
        )

    def test_cross_check_birth_date(self):
        number = "3375045708850001"
        self.assertEqual(nik.validate(number, birth_date=datetime.date(1985, 8, 17)), number)
        self.assertNikError(number, nik.BIRTH_DATE_MISMATCH, birth_date=datetime.date(1985, 8, 18))
        self.assertNikError(number, nik.BIRTH_DATE_MISMATCH, birth_date=datetime.date(1985, 9, 17))
        # the birth date settles the century: 1985 fits, 2085 and 1885 do not
        self.assertNikError(number, nik.BIRTH_DATE_MISMATCH, birth_date=datetime.date(1986, 8, 17))
        self.assertEqual(nik.validate(number, birth_date=datetime.date(1885, 8, 17)), number)

    def test_cross_check_gender(self):
        self.assertEqual(nik.validate("3375045708850001", gender="female"), "3375045708850001")
        self.assertNikError("3375045708850001", nik.GENDER_MISMATCH, gender="male")
        self.assertNikError("3375041708850001", nik.GENDER_MISMATCH, gender="female")

    def test_region_name(self):
        self.assertEqual(nik.region_name("3375041708450001"), "PEKALONGAN")
        self.assertEqual(nik.region_name("3399011708450001"), "")

    def test_gender_helper(self):
        self.assertEqual(nik.gender("3375041708450001"), "male")
        self.assertEqual(nik.gender("3375045708450001"), "female")
