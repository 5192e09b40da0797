"""A local QRIS provider for tests and the demo: the qris.online REST protocol that Odoo's
Indonesian localisation speaks (``show_qris.php`` to create a dynamic code,
``checkpaid_qris.php`` to check it), served over real HTTP on 127.0.0.1.

No Odoo import. Start it from Python (``FakeQrisProvider().start()``) or as a program::

    python3 -m odoo.addons.kopdes_bank.tools.fake_qris --port 8078

A code is paid with ``provider.pay(invoice_id)`` or, from a browser or curl, with
``GET /pay?invid=<invoice id>`` (the demo's stand-in for a member scanning the code).
"""

import argparse
import datetime
import itertools
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

JAKARTA = datetime.timezone(datetime.timedelta(hours=7))


class FakeQrisProvider:
    """The provider's state: issued invoices, which are paid, and every request received."""

    def __init__(self, api_key="demo-api-key", merchant_id="demo-mid", host="127.0.0.1", port=0):
        self.api_key = api_key
        self.merchant_id = merchant_id
        self.invoices = {}
        self.requests = []
        self._ids = itertools.count(410000001)
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer((host, port), self._handler())
        self.server.daemon_threads = True
        self._thread = None

    @property
    def url(self):
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/"

    def start(self):
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def pay(self, invoice_id, customer="PEMBAYAR QRIS"):
        with self._lock:
            invoice = self.invoices[str(invoice_id)]
            invoice["paid"] = True
            invoice["customer"] = customer

    # ------------------------------------------------------------ protocol

    def create_invoice(self, params):
        if params.get("apikey") != self.api_key or params.get("mID") != self.merchant_id:
            return {"status": "failed", "data": "Invalid API key or merchant ID"}
        try:
            amount = int(params.get("cliTrxAmount", ""))
        except ValueError:
            return {"status": "failed", "data": "Invalid amount"}
        if amount <= 0:
            return {"status": "failed", "data": "Invalid amount"}
        with self._lock:
            invoice_id = str(next(self._ids))
            now = datetime.datetime.now(JAKARTA).replace(microsecond=0, tzinfo=None)
            self.invoices[invoice_id] = {
                "amount": amount,
                "number": params.get("cliTrxNumber"),
                "date": now,
                "paid": False,
            }
        content = (
            f"00020101021226650013ID.CO.QRIS.WWW0215ID10200000000010303UMI"
            f"5204581253033605405{amount}5802ID5913KOPDES DEMO6007CILACAP62{len(invoice_id):02d}"
            f"{invoice_id}6304ABCD"
        )
        return {
            "status": "success",
            "data": {
                "qris_content": content,
                "qris_request_date": now.strftime("%Y-%m-%d %H:%M:%S"),
                "qris_invoiceid": invoice_id,
                "qris_nmid": "ID1020000000001",
            },
        }

    def check_status(self, params):
        if params.get("apikey") != self.api_key or params.get("mID") != self.merchant_id:
            return {"status": "failed", "data": {"qris_status": "unpaid"}}
        with self._lock:
            invoice = self.invoices.get(params.get("invid", ""))
            if not invoice or str(invoice["amount"]) != str(params.get("trxvalue")):
                return {"status": "failed", "data": {"qris_status": "unpaid"}}
            if not invoice["paid"]:
                return {"status": "failed", "data": {"qris_status": "unpaid"}}
            return {
                "status": "success",
                "data": {
                    "qris_status": "paid",
                    "qris_payment_customername": invoice.get("customer"),
                    "qris_payment_methodby": "Sample",
                },
            }

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format, *args):  # noqa: A002 - quiet server
                pass

            def do_GET(self):
                parsed = urlparse(self.path)
                params = {key: values[-1] for key, values in parse_qs(parsed.query).items()}
                provider.requests.append((parsed.path, params))
                if parsed.path.endswith("/show_qris.php") and params.get("do") == "create-invoice":
                    body = provider.create_invoice(params)
                elif parsed.path.endswith("/checkpaid_qris.php"):
                    body = provider.check_status(params)
                elif parsed.path.endswith("/pay") and params.get("invid") in provider.invoices:
                    provider.pay(params["invid"])
                    body = {"status": "success", "data": "paid"}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                payload = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

        return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8078)
    parser.add_argument("--api-key", default="demo-api-key")
    parser.add_argument("--merchant-id", default="demo-mid")
    args = parser.parse_args()
    provider = FakeQrisProvider(args.api_key, args.merchant_id, port=args.port)
    sys.stdout.write(f"QRIS test provider on {provider.url}\n")
    sys.stdout.flush()
    try:
        provider.server.serve_forever()
    except KeyboardInterrupt:
        provider.stop()


if __name__ == "__main__":
    main()
