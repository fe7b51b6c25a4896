"""Personal data at rest: encrypted with a key derived from the installation's secret, a keyed
fingerprint for finding the same caller again, and the masked forms shown to people without the right
to see the real ones (138****5678, 张*)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE = 12


class Protector:
    """AES-256-GCM (authenticated) with a random nonce per value; stored as base64(nonce + ciphertext)."""

    def __init__(self, secret: str) -> None:
        self._aead = AESGCM(hashlib.sha256(b"jiexiang-personal-data:" + secret.encode()).digest())
        self._mac_key = hashlib.sha256(b"jiexiang-fingerprint:" + secret.encode()).digest()

    def seal(self, value: str | None) -> str | None:
        if not value:
            return None
        nonce = os.urandom(_NONCE)
        return base64.b64encode(nonce + self._aead.encrypt(nonce, value.encode(), None)).decode()

    def open(self, token: str | None) -> str | None:
        if not token:
            return None
        try:
            raw = base64.b64decode(token)
            return self._aead.decrypt(raw[:_NONCE], raw[_NONCE:], None).decode()
        except (InvalidTag, ValueError):
            return None  # sealed under another secret, or damaged: unreadable, not a crash

    def fingerprint(self, value: str | None) -> str | None:
        if not value:
            return None
        digits = re.sub(r"\D", "", value) or value
        return hmac.new(self._mac_key, digits.encode(), hashlib.sha256).hexdigest()[:32]


@lru_cache(maxsize=4)
def protector(secret: str) -> Protector:
    return Protector(secret)


def mask_phone(phone: str | None) -> str | None:
    if not phone:
        return None
    digits = re.sub(r"\D", "", phone)
    if len(digits) >= 7:
        return f"{digits[:3]}****{digits[-4:]}"
    return "*" * len(digits)


def mask_name(name: str | None) -> str | None:
    if not name:
        return None
    return name[0] + "*" * max(1, len(name) - 1)
