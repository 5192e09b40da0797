import hmac
import json
import logging

from odoo import http
from odoo.http import request

from ..tools import signature

_logger = logging.getLogger(__name__)


class KopdesWhatsappWebhook(http.Controller):
    """The one webhook of every cooperative on the instance: Meta names the phone number
    (``metadata.phone_number_id``) and the account of that number gives the app secret."""

    @http.route(
        "/kopdes/whatsapp/webhook",
        type="http",
        auth="public",
        methods=["GET"],
        csrf=False,
        save_session=False,
    )
    def verify(self, **kw):
        mode = kw.get("hub.mode")
        token = kw.get("hub.verify_token") or ""
        challenge = kw.get("hub.challenge") or ""
        if mode == "subscribe" and token and challenge:
            accounts = (
                request.env["kopdes.wa.account"].sudo().search([("verify_token", "!=", False)])
            )

            if any(hmac.compare_digest(a.verify_token.encode(), token.encode()) for a in accounts):
                return request.make_response(challenge, headers=[("Content-Type", "text/plain")])
        return request.make_response("Forbidden", status=403)

    @http.route(
        "/kopdes/whatsapp/webhook",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def receive(self, **kw):
        raw = request.httprequest.get_data(cache=True)
        header = request.httprequest.headers.get("X-Hub-Signature-256")
        if signature.parse_header(header) is None:
            return self._refuse(403, "missing or malformed signature")
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return self._refuse(400, "malformed JSON")
        numbers = _phone_number_ids(data)
        if numbers is None or not numbers:
            return self._refuse(400, "not a WhatsApp webhook")
        accounts = (
            request.env["kopdes.wa.account"]
            .sudo()
            .with_context(active_test=False)
            .search([("phone_number_id", "in", list(numbers))])
        )
        if len(accounts) != len(numbers):
            return self._refuse(403, "unknown phone number")
        for account in accounts:
            if not signature.verify(account.app_secret or "", raw, header):
                return self._refuse(403, "wrong signature")
        Event = request.env["kopdes.wa.event"].sudo()
        stored = Event.browse()
        for account in accounts:
            stored |= Event._kopdes_store(account, raw, data)
        if stored:
            Event._kopdes_trigger_processing()
        return request.make_response("OK", headers=[("Content-Type", "text/plain")])

    def _refuse(self, status, reason):
        _logger.warning("WhatsApp webhook refused (%s): %s", status, reason)
        return request.make_response("Refused", status=status)


def _phone_number_ids(data):
    """The phone number ids a webhook names, or ``None`` when it is not shaped like one."""
    if not isinstance(data, dict) or data.get("object") != "whatsapp_business_account":
        return None
    entries = data.get("entry")
    if not isinstance(entries, list):
        return None
    numbers = set()
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("changes"), list):
            return None
        for change in entry["changes"]:
            value = change.get("value") if isinstance(change, dict) else None
            if not isinstance(value, dict):
                return None
            metadata = value.get("metadata")
            if not isinstance(metadata, dict) or not metadata.get("phone_number_id"):
                return None
            numbers.add(str(metadata["phone_number_id"]))
    return numbers
