"""Plain-Python tests of the local QRIS test provider (real HTTP on 127.0.0.1): it speaks the
protocol l10n_id's QRIS code expects, so the Odoo tests exercise Odoo's own request shapes."""

import requests

from odoo.tests import BaseCase

from odoo.addons.kopdes_bank.tools.fake_qris import FakeQrisProvider


class TestFakeQrisProvider(BaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.provider = FakeQrisProvider(api_key="k", merchant_id="m").start()
        cls.addClassCleanup(cls.provider.stop)

    def get(self, path, **params):
        return requests.get(self.provider.url + path, params=params, timeout=5).json()

    def test_create_check_pay(self):
        created = self.get(
            "show_qris.php",
            do="create-invoice",
            apikey="k",
            mID="m",
            cliTrxNumber="X1",
            cliTrxAmount=15000,
        )
        self.assertEqual(created["status"], "success")
        data = created["data"]
        self.assertTrue(data["qris_content"].startswith("000201"))
        self.assertRegex(data["qris_request_date"], r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$")
        check = {"do": "checkStatus", "apikey": "k", "mID": "m", "invid": data["qris_invoiceid"]}
        self.assertEqual(
            self.get("checkpaid_qris.php", trxvalue=15000, **check)["data"]["qris_status"],
            "unpaid",
        )
        self.provider.pay(data["qris_invoiceid"])
        self.assertEqual(
            self.get("checkpaid_qris.php", trxvalue=15000, **check)["data"]["qris_status"], "paid"
        )
        # another amount for the same invoice is not this payment
        self.assertEqual(
            self.get("checkpaid_qris.php", trxvalue=15001, **check)["data"]["qris_status"],
            "unpaid",
        )

    def test_refusals(self):
        wrong_key = self.get(
            "show_qris.php", do="create-invoice", apikey="x", mID="m", cliTrxAmount=1000
        )
        self.assertEqual(wrong_key["status"], "failed")
        zero = self.get("show_qris.php", do="create-invoice", apikey="k", mID="m", cliTrxAmount=0)
        self.assertEqual(zero["status"], "failed")
        response = requests.get(self.provider.url + "nothing.php", timeout=5)
        self.assertEqual(response.status_code, 404)
