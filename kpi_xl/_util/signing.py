"""A form's hidden facts signed with the office's key: what only kpi-xl could have written.

The meta sheet of a form says whose form it is. Anyone can unhide it and change the person,
so kpi-xl signs it: HMAC-SHA256, keyed by a secret kept beside the ledger (ledger.py), over
every other key and value of the meta. A changed, added or removed entry, or a form made
with another office's key, no longer matches its signature.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from collections.abc import Mapping

KEY_BYTES = 32  # HMAC-SHA256's block of security: 256 random bits
SIGNATURE = "signature"  # the meta key holding it
_DOMAIN = b"kpi-xl form meta 1\n"  # what is signed; another use of the key can never match


def new_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def _canonical(values: Mapping[str, str]) -> bytes:
    """Every entry but the signature, sorted, as a cell gives it back (surrounding spaces are
    not kept by the reader, so they are not signed)."""
    items = sorted((str(k).strip(), str(v).strip()) for k, v in values.items() if str(k).strip() != SIGNATURE)
    return _DOMAIN + json.dumps(items, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign(values: Mapping[str, str], key: bytes) -> str:
    """The signature of `values` (hex), whatever entries they hold."""
    if not isinstance(key, bytes) or len(key) != KEY_BYTES:
        raise ValueError(f"a signing key is {KEY_BYTES} bytes")
    return hmac.new(key, _canonical(values), hashlib.sha256).hexdigest()


def signed_by(values: Mapping[str, str], key: bytes) -> bool:
    """True when `values` carry a signature that `key` made over exactly these entries."""
    given = values.get(SIGNATURE, "")
    # as bytes: compare_digest refuses text that is not ASCII, and a forger chooses the text
    return bool(given) and hmac.compare_digest(str(given).strip().lower().encode(), sign(values, key).encode())
