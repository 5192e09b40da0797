"""The plain-Python parts: webhook signatures, error classes, backoff, payloads."""

import random
import unittest

from ..tools import cloud_api, signature


class TestSignature(unittest.TestCase):
    body = b'{"object":"whatsapp_business_account","entry":[]}'

    def test_sign_and_verify(self):
        header = signature.sign("secret", self.body)
        self.assertTrue(header.startswith("sha256="))
        self.assertEqual(len(header), len("sha256=") + 64)
        self.assertTrue(signature.verify("secret", self.body, header))
        self.assertTrue(
            signature.verify("secret", self.body, header.upper().replace("SHA256=", "sha256="))
        )

    def test_refused(self):
        header = signature.sign("secret", self.body)
        self.assertFalse(signature.verify("other", self.body, header))
        self.assertFalse(signature.verify("secret", self.body + b" ", header))
        # re-serialised JSON is another body
        self.assertFalse(
            signature.verify(
                "secret", b'{"object": "whatsapp_business_account", "entry": []}', header
            )
        )
        for bad in (
            None,
            "",
            "sha256=",
            "sha1=" + "0" * 40,
            header[7:],
            "sha256=" + "z" * 64,
            header + "0",
        ):
            with self.subTest(header=bad):
                self.assertIsNone(signature.parse_header(bad))
                self.assertFalse(signature.verify("secret", self.body, bad))
        self.assertFalse(signature.verify("", self.body, signature.sign("", self.body)))


class TestCloudApi(unittest.TestCase):
    def test_classify(self):
        for code in (
            130429,
            131056,
            80007,
            4,
            131016,
            131000,
            cloud_api.HTTP_5XX,
            cloud_api.TIMEOUT,
        ):
            self.assertEqual(cloud_api.classify(code), cloud_api.RETRY, code)
        self.assertEqual(cloud_api.classify(131049), cloud_api.RETRY_LATER)
        self.assertEqual(cloud_api.classify(131047), cloud_api.OUTSIDE_WINDOW)
        self.assertEqual(cloud_api.classify(131026), cloud_api.UNDELIVERABLE)
        self.assertEqual(cloud_api.classify(131050), cloud_api.MARKETING_OPT_OUT)
        self.assertEqual(cloud_api.classify(190), cloud_api.TOKEN)
        for code in (132000, 132001, 132015, 132016, 999999, None):
            self.assertEqual(cloud_api.classify(code), cloud_api.PERMANENT, code)
        self.assertEqual(cloud_api.classify(None, http_status=503), cloud_api.RETRY)

    def test_backoff_grows_with_jitter(self):
        rng = random.Random(7)
        for attempts in range(1, cloud_api.MAX_ATTEMPTS):
            delays = [cloud_api.backoff_delay(attempts, rng=rng) for _i in range(50)]
            nxt = [cloud_api.backoff_delay(attempts + 1, rng=rng) for _i in range(50)]
            self.assertLess(max(delays), min(nxt))  # every later delay is longer
            self.assertGreater(len(set(delays)), 1)  # jitter spreads them
            base = cloud_api.BACKOFF_BASE * 2 ** (attempts - 1)
            self.assertTrue(all(base <= d <= base * 1.25 for d in delays))
        self.assertLessEqual(cloud_api.backoff_delay(40), cloud_api.BACKOFF_MAX * 1.25)

    def test_parse_error(self):
        data = {
            "error": {
                "message": "(#131047) Re-engagement message",
                "code": 131047,
                "error_data": {"details": "24h"},
            }
        }
        self.assertEqual(cloud_api.parse_error(400, data), (131047, "24h"))
        self.assertEqual(cloud_api.parse_error(500, None)[0], cloud_api.HTTP_5XX)
        self.assertEqual(cloud_api.parse_error(404, None)[0], None)

    def test_payloads(self):
        payload = cloud_api.template_payload(
            "628123", "pengingat", "id", ["Budi", "Rp 1.000"], key="k:1"
        )
        self.assertEqual(payload["biz_opaque_callback_data"], "k:1")
        self.assertEqual(payload["template"]["language"], {"code": "id"})
        body = payload["template"]["components"][0]
        self.assertEqual([p["text"] for p in body["parameters"]], ["Budi", "Rp 1.000"])
        text = cloud_api.text_payload("628123", "Halo")
        self.assertEqual(text["text"], {"preview_url": False, "body": "Halo"})
        self.assertNotIn("biz_opaque_callback_data", text)
        self.assertEqual(cloud_api.fill_body("A {{1}} B {{2}} {{1}}", ["x", "y"]), "A x B y x")
        self.assertEqual(cloud_api.placeholder_count("a {{1}} {{ 3 }}"), 3)
        self.assertEqual(cloud_api.placeholder_count("none"), 0)


class TestText(unittest.TestCase):
    def test_rupiah_and_dates(self):
        from datetime import date

        from ..tools import text

        self.assertEqual(text.rupiah(1250000), "Rp 1.250.000")
        self.assertEqual(text.rupiah(0), "Rp 0")
        self.assertEqual(text.rupiah(-500), "-Rp 500")
        self.assertEqual(text.rupiah(1234.5, "$", 2), "$ 1.234,50")
        self.assertEqual(text.tanggal(date(2025, 2, 8)), "08-02-2025")
        self.assertEqual(text.tanggal(False), "")
        self.assertEqual(text.bulan(date(2025, 2, 8)), "Februari 2025")
