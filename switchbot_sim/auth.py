"""The cloud's request authentication, written independently of the client under test.

The check is deliberately as strict as the real service is reported to be: the four headers
must be present with lower-case names (mixed-case names have been seen to get HTTP 401), ``t``
must be 13 digits, and ``sign`` must be base64(HMAC-SHA256(secret, token + t + nonce)) in
plain or upper case.
"""

import base64
from collections.abc import Iterable
import hashlib
import hmac
import re
from typing import Final

_AUTH_HEADERS: Final = (b"authorization", b"t", b"nonce", b"sign")
_MILLISECONDS: Final = re.compile(rb"\d{13}")


def is_authorized(raw_headers: Iterable[tuple[bytes, bytes]], token: str, secret: str) -> bool:
    """Return whether headers, as received on the wire, carry a valid token and signature."""
    values: dict[bytes, bytes] = {}
    for name, value in raw_headers:
        if name.lower() in _AUTH_HEADERS:
            if name != name.lower():
                return False
            values[name] = value
    if any(header not in values for header in _AUTH_HEADERS):
        return False
    t, nonce = values[b"t"], values[b"nonce"]
    if not _MILLISECONDS.fullmatch(t):
        return False
    expected = base64.b64encode(
        hmac.new(secret.encode(), token.encode() + t + nonce, hashlib.sha256).digest()
    )
    sign = values[b"sign"]
    return hmac.compare_digest(values[b"authorization"], token.encode()) and (
        hmac.compare_digest(sign, expected) or hmac.compare_digest(sign, expected.upper())
    )
