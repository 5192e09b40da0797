"""Webhook signatures of the WhatsApp Cloud API (plain Python, no Odoo import).

Meta signs every webhook POST with ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw
body keyed with the app secret>``. The signature is computed over the raw bytes, never over
re-serialised JSON, and compared in constant time.
"""

import hashlib
import hmac
import re

PREFIX = "sha256="
_HEX64 = re.compile(r"^[0-9a-f]{64}$")


def sign(secret, body):
    """The ``X-Hub-Signature-256`` header value of ``body`` (bytes) for ``secret`` (str)."""
    if isinstance(body, str):
        body = body.encode()
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return PREFIX + digest


def parse_header(header):
    """The lower-case hex digest of a header value, or ``None`` when missing or malformed."""
    if not header or not isinstance(header, str):
        return None
    header = header.strip()
    if not header.lower().startswith(PREFIX):
        return None
    digest = header[len(PREFIX) :].lower()
    return digest if _HEX64.match(digest) else None


def verify(secret, body, header):
    """Whether ``header`` is the valid signature of ``body`` (bytes) for ``secret``.

    A missing or malformed header, or an empty secret, is never valid. The comparison is
    ``hmac.compare_digest`` (constant time)."""
    digest = parse_header(header)
    if digest is None or not secret:
        return False
    expected = sign(secret, body)[len(PREFIX) :]
    return hmac.compare_digest(expected.encode(), digest.encode())
