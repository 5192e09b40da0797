"""What the WhatsApp Cloud API answers mean, and the retry schedule (plain Python).

The numbers come from Meta's documentation (see shared/whatsapp-cloud-api.md): branch on
``error.code``, never on the HTTP status alone.
"""

import random
import re

# what to do with an error code
RETRY = "retry"  # transient: retry with exponential backoff and jitter
RETRY_LATER = "retry_later"  # held back by Meta: not before 24 hours
PERMANENT = "permanent"  # do not retry
UNDELIVERABLE = "undeliverable"  # permanent, and the number cannot receive WhatsApp
MARKETING_OPT_OUT = "marketing_opt_out"  # permanent, the recipient stopped marketing messages
OUTSIDE_WINDOW = "outside_window"  # free text outside the 24-hour window: permanent
TOKEN = "token"  # the access token expired: stop sending for the account, alert admins

TRANSIENT_CODES = {130429, 131056, 80007, 4, 131016, 131000, 2, 1}
CODE_ACTIONS = {
    131049: RETRY_LATER,
    131047: OUTSIDE_WINDOW,
    131026: UNDELIVERABLE,
    131050: MARKETING_OPT_OUT,
    132000: PERMANENT,
    132001: PERMANENT,
    132015: PERMANENT,
    132016: PERMANENT,
    131008: PERMANENT,  # required parameter missing
    131009: PERMANENT,  # parameter value invalid
    100: PERMANENT,  # invalid parameter
    190: TOKEN,
}

# pseudo codes for failures without an API error body
HTTP_5XX = -500
TIMEOUT = -1
CONNECTION = -2
BAD_RESPONSE = -3

BACKOFF_BASE = 60.0  # seconds before the second attempt
BACKOFF_MAX = 6 * 3600.0
RETRY_LATER_DELAY = 24 * 3600.0
MAX_ATTEMPTS = 6


def classify(code, http_status=None):
    """The action (one of the constants above) for an error ``code`` (int or None)."""
    if code in CODE_ACTIONS:
        return CODE_ACTIONS[code]
    if code in TRANSIENT_CODES or code in (HTTP_5XX, TIMEOUT, CONNECTION):
        return RETRY
    if http_status is not None and http_status >= 500:
        return RETRY
    if code == BAD_RESPONSE:
        return RETRY
    return PERMANENT


def backoff_delay(attempts, base=BACKOFF_BASE, maximum=BACKOFF_MAX, rng=random):
    """Seconds to wait after the ``attempts``-th failed attempt (1, 2, ...).

    ``base * 2**(attempts-1)``, capped at ``maximum``, plus up to 25 % random jitter so that
    many messages failing together do not come back together. Every delay is longer than
    the largest possible one before it (the jitter stays below the doubling)."""
    attempts = max(int(attempts), 1)
    delay = min(base * (2 ** (attempts - 1)), maximum)
    return delay * (1.0 + 0.25 * rng.random())


def parse_error(status, data):
    """``(code, title)`` of an error answer (``data`` = the decoded JSON or None)."""
    error = (data or {}).get("error") if isinstance(data, dict) else None
    if isinstance(error, dict):
        code = error.get("code")
        try:
            code = int(code)
        except (TypeError, ValueError):
            code = None
        details = (
            (error.get("error_data") or {}).get("details")
            if isinstance(error.get("error_data"), dict)
            else None
        )
        return code, details or error.get("message") or ""
    if status >= 500:
        return HTTP_5XX, f"HTTP {status}"
    return None, f"HTTP {status}"


def text_payload(to, body, key=None):
    """The JSON of a free-text message (only inside the 24-hour window)."""
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "text",
        "text": {"preview_url": False, "body": body},
    }
    if key:
        payload["biz_opaque_callback_data"] = key
    return payload


def template_payload(to, name, language, params, key=None, header_params=None):
    """The JSON of a template message with positional body parameters ``params``."""
    components = []
    if header_params:
        components.append(
            {"type": "header", "parameters": [{"type": "text", "text": p} for p in header_params]}
        )
    if params:
        components.append(
            {"type": "body", "parameters": [{"type": "text", "text": str(p)} for p in params]}
        )
    payload = {
        "messaging_product": "whatsapp",
        "recipient_type": "individual",
        "to": to,
        "type": "template",
        "template": {"name": name, "language": {"code": language}, "components": components},
    }
    if key:
        payload["biz_opaque_callback_data"] = key
    return payload


def fill_body(body, params):
    """The body of a template with ``{{1}}``, ``{{2}}``... replaced by ``params``."""
    text = body or ""
    for index, value in enumerate(params, start=1):
        text = text.replace(f"{{{{{index}}}}}", str(value))
    return text


def placeholder_count(body):
    """The highest ``{{n}}`` placeholder of a template body (0 when none)."""
    numbers = [int(n) for n in re.findall(r"\{\{\s*(\d+)\s*\}\}", body or "")]
    return max(numbers) if numbers else 0
