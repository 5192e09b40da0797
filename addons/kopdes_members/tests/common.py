import logging
from contextlib import contextmanager
from unittest.mock import patch

from odoo.tests import HttpCase, new_test_user
from odoo.tests.common import ChromeBrowser, TransactionCase

_logger = logging.getLogger(__name__)

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


class KopdesTourCase(HttpCase):
    """Browser tours that give a slow first page time instead of failing at once.

    Odoo's ``browser_js`` waits 60 s for the page to be ready (the tour registered), whatever
    ``timeout`` the tour is given. The test command runs the tours while it installs other
    databases and runs Odoo's own tests in the background on two cores, and once (CI, 2026-12)
    a tour's first page was still not ready after 60 s while the same page is ready in about
    2 s otherwise. Here the page gets ``tour_ready_timeout`` seconds; when it is still not
    ready, the log says where the browser is (address, title, state of the document), the
    page is loaded again once and gets the same time again before the test fails. A tour that
    is not registered at all still fails, after both waits. The tour itself gets
    ``tour_timeout`` seconds.
    """

    tour_ready_timeout = 90
    tour_timeout = 180

    def start_tour(self, url_path, tour_name, step_delay=None, **kwargs):
        kwargs.setdefault("timeout", self.tour_timeout)
        wait_ready = ChromeBrowser._wait_ready
        ready_timeout = self.tour_ready_timeout

        def patient_wait_ready(browser, ready_code=None, timeout=60):
            try:
                if wait_ready(browser, ready_code, timeout=ready_timeout):
                    return True
            except TimeoutError:
                # the browser did not even answer the last check in time (still parsing)
                _logger.info("tour %s: the browser did not answer the ready check", tour_name)
            where = browser._websocket_request(
                "Runtime.evaluate",
                params={
                    "expression": "[location.href, document.title, document.readyState]"
                    ".join(' | ')",
                    "returnByValue": True,
                },
            )
            _logger.warning(
                "tour %s: the page was not ready after %s s (%s); loading it again",
                tour_name,
                ready_timeout,
                (where or {}).get("result", {}).get("value"),
            )
            browser._websocket_request("Page.reload", params={"ignoreCache": False})
            return wait_ready(browser, ready_code, timeout=ready_timeout)

        with patch.object(ChromeBrowser, "_wait_ready", patient_wait_ready):
            return super().start_tour(url_path, tour_name, step_delay=step_delay, **kwargs)


class KopdesPosDemoShopCase(KopdesTourCase):
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
