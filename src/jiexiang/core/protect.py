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
    """AES-256-GCM (authenticated) with a random nonce per value; stored as base64(nonce + ciphertext). Sealed
    under the current secret; earlier secrets (newest first) still open what was sealed under them, until
    `jiexiang secrets rotate` has sealed it again under the current one."""

    def __init__(self, secret: str, previous: tuple[str, ...] = ()) -> None:
        self._aeads = [AESGCM(_derive(b"jiexiang-personal-data:", key)) for key in (secret, *previous)]
        self._mac_key = _derive(b"jiexiang-fingerprint:", secret)

    def seal(self, value: str | None) -> str | None:
        if not value:
            return None
        nonce = os.urandom(_NONCE)
        return base64.b64encode(nonce + self._aeads[0].encrypt(nonce, value.encode(), None)).decode()

    def open(self, token: str | None) -> str | None:
        return self.open_with_key(token)[0]

    def open_with_key(self, token: str | None) -> tuple[str | None, int | None]:
        """The value and which secret opened it (0: the current one, 1: the newest previous …); (None, None)
        when no secret opens it (sealed under a secret not configured, or damaged): unreadable, not a crash."""
        if not token:
            return None, None
        try:
            raw = base64.b64decode(token)
        except ValueError:
            return None, None
        for index, aead in enumerate(self._aeads):
            try:
                return aead.decrypt(raw[:_NONCE], raw[_NONCE:], None).decode(), index
            except (InvalidTag, ValueError):
                continue
        return None, None

    def fingerprint(self, value: str | None) -> str | None:
        if not value:
            return None
        digits = re.sub(r"\D", "", value) or value
        return hmac.new(self._mac_key, digits.encode(), hashlib.sha256).hexdigest()[:32]


def _derive(purpose: bytes, secret: str) -> bytes:
    return hashlib.sha256(purpose + secret.encode()).digest()


@lru_cache(maxsize=4)
def protector(secret: str, previous: tuple[str, ...] = ()) -> Protector:
    return Protector(secret, previous)


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
