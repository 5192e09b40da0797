"""A local fake of the WhatsApp Business Cloud API, for the tests and the demo.

Plain Python (standard library only): an HTTP server on 127.0.0.1 that

- accepts ``POST /<version>/<phone_number_id>/messages`` (text and template messages) and
  answers with a message id, or with an error scripted by the test (throughput limit,
  invalid number, outside the 24-hour window, expired token, HTTP 500, a delay that makes
  the client time out), see :meth:`FakeCloudAPI.script`;
- answers ``GET /<version>/<business_account_id>/message_templates`` with the statuses of
  :attr:`FakeCloudAPI.templates`;
- posts signed status webhooks (``sent``, ``delivered``, ``read``, ``failed``) and inbound
  messages back to Odoo's ``/kopdes/whatsapp/webhook`` (:meth:`post_status`,
  :meth:`post_inbound`; automatically after each send with ``auto_status=True``);
- for the demo, ``POST /_fake/inbound`` with ``{"from": "628...", "text": "..."}`` makes the
  fake post an inbound message to Odoo as if a member had written.

Run it on its own (``make run`` does, see scripts/run.sh)::

    python3 addons/kopdes_whatsapp/tools/fake_cloud_api.py --port 8788 \\
        --webhook http://127.0.0.1:8069/kopdes/whatsapp/webhook --app-secret demo-secret
"""

import argparse
import hashlib
import hmac
import itertools
import json
import logging
import threading
import time
import urllib.error
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

VERSION = "v23.0"
ERROR_MESSAGES = {
    130429: "Rate limit hit",
    131000: "Something went wrong",
    131016: "Service unavailable",
    131026: "Message undeliverable",
    131047: "Re-engagement message",
    131049: "This message was not delivered to maintain healthy ecosystem engagement.",
    131050: "User has stopped marketing messages",
    131056: "(Business Account, Consumer Account) pair rate limit hit",
    132001: "Template name does not exist in the translation",
    190: "Error validating access token: Session has expired",
}


def sign(secret, body):
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class FakeCloudAPI:
    """The fake server; ``start()`` serves it in a daemon thread, ``stop()`` ends it."""

    def __init__(
        self,
        port=0,
        token=None,
        app_secret=None,
        webhook_url=None,
        phone_number_id=None,
        auto_status=False,
        host="127.0.0.1",
    ):
        self.host = host
        self.port = port
        self.token = token
        self.app_secret = app_secret
        self.webhook_url = webhook_url
        self.phone_number_id = phone_number_id
        self.auto_status = auto_status
        self.templates = {}  # name -> status ("APPROVED", "REJECTED", "PAUSED", ...)
        self.accepted = []  # payloads answered with a message id: [(message_id, payload)]
        self.requests = []  # every send attempt: payloads, accepted or not
        self.webhook_results = []  # (HTTP status, body) of the webhooks posted to Odoo
        self._rules = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._server = None
        self._thread = None

    # ---------------------------------------------------------------- life cycle

    def start(self):
        fake = self

        class Handler(_Handler):
            api = fake

        self._server = ThreadingHTTPServer((self.host, self.port), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self):
        if self._server:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def base_url(self):
        return f"http://{self.host}:{self.port}/{VERSION}"

    def reset(self):
        with self._lock:
            self.accepted.clear()
            self.requests.clear()
            self.webhook_results.clear()
            self._rules.clear()

    # ---------------------------------------------------------------- scripting

    def script(self, code=131000, http_status=400, times=1, to=None, delay=None):
        """The next ``times`` sends (to ``to``, or to anyone) fail with the error ``code``.

        ``http_status=500`` with ``code=None`` answers a bare HTTP 500 without an error
        body; ``delay`` (seconds) waits before answering, so a client with a shorter timeout
        gives up (the request is not accepted)."""
        with self._lock:
            self._rules.append(
                {"code": code, "status": http_status, "times": times, "to": to, "delay": delay}
            )

    def _take_rule(self, to):
        with self._lock:
            for rule in self._rules:
                if rule["to"] in (None, to) and rule["times"] > 0:
                    rule["times"] -= 1
                    return dict(rule)
        return None

    def sent_to(self, to):
        """The accepted payloads for the number ``to``."""
        with self._lock:
            return [payload for _id, payload in self.accepted if payload.get("to") == to]

    # ---------------------------------------------------------------- webhooks

    def envelope(self, value, phone_number_id=None):
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {
                    "id": "WABA-FAKE",
                    "changes": [
                        {
                            "field": "messages",
                            "value": dict(
                                {
                                    "messaging_product": "whatsapp",
                                    "metadata": {
                                        "display_phone_number": "62215550000",
                                        "phone_number_id": phone_number_id or self.phone_number_id,
                                    },
                                },
                                **value,
                            ),
                        }
                    ],
                }
            ],
        }

    def status_payload(self, statuses, phone_number_id=None):
        """A status webhook for ``statuses``: dicts with ``id``, ``status``, ``recipient_id``
        and optionally ``biz_opaque_callback_data``, ``timestamp``, ``errors``."""
        items = []
        for status in statuses:
            item = {
                "id": status["id"],
                "status": status["status"],
                "timestamp": str(status.get("timestamp") or int(time.time())),
                "recipient_id": status.get("recipient_id", ""),
            }
            if status.get("biz_opaque_callback_data"):
                item["biz_opaque_callback_data"] = status["biz_opaque_callback_data"]
            if status.get("errors"):
                item["errors"] = status["errors"]
            if status["status"] != "failed":
                item["conversation"] = {"id": "CONV-FAKE", "origin": {"type": "utility"}}
                item["pricing"] = {"billable": True, "category": "utility"}
            items.append(item)
        return self.envelope({"statuses": items}, phone_number_id)

    def inbound_payload(self, wa_id, text, name="Anggota", message_id=None, phone_number_id=None):
        message_id = message_id or f"wamid.IN{next(self._ids):08d}"
        return self.envelope(
            {
                "contacts": [{"profile": {"name": name}, "wa_id": wa_id}],
                "messages": [
                    {
                        "from": wa_id,
                        "id": message_id,
                        "timestamp": str(int(time.time())),
                        "type": "text",
                        "text": {"body": text},
                    }
                ],
            },
            phone_number_id,
        )

    def post_webhook(self, payload=None, secret=None, signature=None, url=None, raw=None):
        """POST ``payload`` (or the bytes ``raw``) to Odoo's webhook, signed with ``secret``
        (the app secret by default) unless ``signature`` is given (``False``: unsigned).
        Returns ``(HTTP status, body)``."""
        body = raw if raw is not None else json.dumps(payload).encode()
        headers = {"Content-Type": "application/json"}
        if signature is None:
            signature = sign(secret or self.app_secret, body)
        if signature:
            headers["X-Hub-Signature-256"] = signature
        request = urllib.request.Request(url or self.webhook_url, data=body, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                result = (response.status, response.read().decode())
        except urllib.error.HTTPError as err:
            result = (err.code, err.read().decode(errors="replace"))
        with self._lock:
            self.webhook_results.append(result)
        return result

    def post_status(self, message_id, status, recipient_id="", key=None, errors=None, **kw):
        statuses = [
            {
                "id": message_id,
                "status": status,
                "recipient_id": recipient_id,
                "biz_opaque_callback_data": key,
                "errors": errors,
                "timestamp": kw.pop("timestamp", None),
            }
        ]
        return self.post_webhook(
            self.status_payload(statuses, kw.pop("phone_number_id", None)), **kw
        )

    def post_inbound(self, wa_id, text, **kw):
        payload = self.inbound_payload(
            wa_id,
            text,
            name=kw.pop("name", "Anggota"),
            message_id=kw.pop("message_id", None),
            phone_number_id=kw.pop("phone_number_id", None),
        )
        return self.post_webhook(payload, **kw)

    def _auto_statuses(self, phone_number_id, message_id, payload):
        key = payload.get("biz_opaque_callback_data")
        for status in ("sent", "delivered"):
            self.post_status(
                message_id,
                status,
                recipient_id=payload.get("to", ""),
                key=key,
                phone_number_id=phone_number_id,
            )


class _Handler(BaseHTTPRequestHandler):
    api = None  # set by FakeCloudAPI.start
    protocol_version = "HTTP/1.1"  # keep-alive: the outbox reuses one connection
    disable_nagle_algorithm = True  # headers and body leave at once (no 40 ms delayed ACK)

    def log_message(self, format, *args):  # noqa: A002 - quiet server
        pass

    def _answer(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _error(self, status, code, details=""):
        self._answer(
            status,
            {
                "error": {
                    "message": f"(#{code}) {ERROR_MESSAGES.get(code, 'Error')}",
                    "type": "OAuthException",
                    "code": code,
                    "error_data": {"messaging_product": "whatsapp", "details": details},
                    "fbtrace_id": "FAKE",
                }
            },
        )

    def _read_json(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw or b"{}")
        except ValueError:
            return None

    def do_GET(self):  # noqa: N802 - http.server's naming
        parts = self.path.split("?")[0].strip("/").split("/")
        if len(parts) == 3 and parts[2] == "message_templates":
            data = [
                {"name": name, "status": status, "language": "id", "id": f"TPL-{name}"}
                for name, status in sorted(self.api.templates.items())
            ]
            return self._answer(200, {"data": data})
        if parts == ["_fake", "sent"]:
            return self._answer(200, {"accepted": [p for _i, p in self.api.accepted]})
        return self._answer(404, {"error": {"message": "Unknown path", "code": 100}})

    def do_POST(self):  # noqa: N802
        parts = self.path.split("?")[0].strip("/").split("/")
        payload = self._read_json()
        if parts == ["_fake", "inbound"]:
            if not payload or not payload.get("from") or not payload.get("text"):
                return self._answer(400, {"error": "from and text are required"})
            result = self.api.post_inbound(str(payload["from"]), str(payload["text"]))
            return self._answer(200, {"webhook_status": result[0]})
        if len(parts) != 3 or parts[2] != "messages":
            return self._answer(404, {"error": {"message": "Unknown path", "code": 100}})
        if payload is None or not payload.get("to"):
            return self._error(400, 100, "Invalid JSON or missing 'to'")
        api = self.api
        with api._lock:
            api.requests.append(payload)
        if api.token and self.headers.get("Authorization") != f"Bearer {api.token}":
            return self._error(401, 190, "Invalid OAuth access token")
        rule = api._take_rule(payload["to"])
        if rule:
            if rule["delay"]:
                time.sleep(rule["delay"])
            if rule["code"] is None:
                body = b"Internal Server Error"
                self.send_response(rule["status"])
                self.send_header("Content-Type", "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return None
            return self._error(rule["status"], rule["code"])
        message_id = f"wamid.FAKE{next(api._ids):010d}"
        with api._lock:
            api.accepted.append((message_id, payload))
        self._answer(
            200,
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": payload["to"], "wa_id": payload["to"]}],
                "messages": [{"id": message_id, "message_status": "accepted"}],
            },
        )
        if api.auto_status and api.webhook_url:
            threading.Thread(
                target=api._auto_statuses, args=(parts[1], message_id, payload), daemon=True
            ).start()
        return None


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8788)
    parser.add_argument("--webhook", default="http://127.0.0.1:8069/kopdes/whatsapp/webhook")
    parser.add_argument("--app-secret", default="kopdes-demo-app-secret")
    parser.add_argument("--token", default=None, help="accept only this bearer token")
    parser.add_argument("--phone-number-id", default="100000000000001")
    parser.add_argument("--no-auto-status", action="store_true")
    args = parser.parse_args()
    fake = FakeCloudAPI(
        port=args.port,
        token=args.token,
        app_secret=args.app_secret,
        webhook_url=args.webhook,
        phone_number_id=args.phone_number_id,
        auto_status=not args.no_auto_status,
    )
    fake.templates = {
        name: "APPROVED"
        for name in (
            "pengingat_angsuran",
            "angsuran_terlambat",
            "bukti_setoran_simpanan",
            "bukti_pembayaran_angsuran",
            "tagihan_simpanan_wajib",
            "pengumuman_anggota",
            "promo_gerai",
        )
    }
    fake.start()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("fake_cloud_api").info(
        "Fake WhatsApp Cloud API on %s (webhooks to %s)", fake.base_url, args.webhook
    )
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        fake.stop()


if __name__ == "__main__":
    main()
