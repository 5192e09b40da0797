from contextlib import contextmanager

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import TransactionCase

# valid NIKs of Kota Pekalongan (3375): men have the real day, women day + 40
NIK_MAN_1985 = "3375041708850001"  # 17-08-1985, man
NIK_WOMAN_1990 = "3375044503900002"  # 05-03-1990, woman
NIK_MAN_2000 = "3375042902000003"  # 29-02-2000, man (leap day)


def make_nik(serial, day=1, month=1, yy=80, female=False, region="337504"):
    """A structurally valid NIK with the given serial number (1..9999)."""
    return f"{region}{day + (40 if female else 0):02d}{month:02d}{yy:02d}{serial:04d}"


class KopdesMembersCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env["res.company"].create(
            {"name": "KKMP Test Kuripan", "country_id": cls.env.ref("base.id").id}
        )
        cls.other_company = cls.env["res.company"].create(
            {"name": "KKMP Test Banyurip", "country_id": cls.env.ref("base.id").id}
        )
        cls.Member = cls.env["kopdes.member"].with_company(cls.company)
        common = {"company_id": cls.company.id, "company_ids": [(6, 0, cls.company.ids)]}
        cls.user_petugas = new_test_user(
            cls.env,
            login="kopdes_petugas",
            groups="kopdes_members.group_kopdes_user",
            **common,
        )
        cls.user_loan_officer = new_test_user(
            cls.env,
            login="kopdes_loan_officer",
            groups="kopdes_members.group_kopdes_loan_officer",
            **common,
        )
        cls.user_pengurus = new_test_user(
            cls.env,
            login="kopdes_pengurus",
            groups="kopdes_members.group_kopdes_manager",
            **common,
        )
        cls.user_akuntan = new_test_user(
            cls.env,
            login="kopdes_akuntan",
            groups="kopdes_members.group_kopdes_accountant",
            **common,
        )
        cls.user_other_company = new_test_user(
            cls.env,
            login="kopdes_other_pengurus",
            groups="kopdes_members.group_kopdes_manager",
            company_id=cls.other_company.id,
            company_ids=[(6, 0, cls.other_company.ids)],
        )

    @contextmanager
    def assertRaisesMessage(self, exception, fragment):
        """assertRaises (which rolls back to a savepoint) plus a check of the message."""
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(fragment, str(caught.exception))

    @classmethod
    def _member_vals(cls, serial, **overrides):
        vals = {
            "name": f"Anggota Uji {serial}",
            "nik": make_nik(serial),
            "mobile": f"0812{serial:08d}",
            "village": "Kuripan Kidul",
            "company_id": cls.company.id,
        }
        vals.update(overrides)
        return vals

    @classmethod
    def _create_member(cls, serial, **overrides):
        return cls.Member.create(cls._member_vals(serial, **overrides))


class KopdesPosDemoShopCase(HttpCase):
    """The demo shop of KKMP Sokoduwet and a cashier of its own (``cashier_login``)."""

    cashier_login = "kopdes_kasir"
    cashier_name = "Kasir Gerai"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.ref("kopdes_members.demo_company_sokoduwet")
        cls.pos_config = cls.env.ref("kopdes_members.pos_config_sokoduwet")
        cls.cashier = new_test_user(
            cls.env,
            login=cls.cashier_login,
            password=cls.cashier_login,
            name=cls.cashier_name,
            groups="base.group_user,point_of_sale.group_pos_user",
            company_id=cls.company.id,
            company_ids=[(6, 0, cls.company.ids)],
            tz="Asia/Jakarta",
        )
