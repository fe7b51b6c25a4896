"""Callers' sealed names and phones across a change of the secret key: refuse to run when none of the configured
keys opens what is stored (instead of showing nothing), and seal everything again under the current key."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from jiexiang.core.errors import ConfigurationError
from jiexiang.core.protect import Protector
from jiexiang.domains.cases.models import Report

SAMPLE = 50  # the newest sealed values looked at when the server starts
BATCH = 1000


def check_readable(session: Session, protector: Protector) -> None:
    """Refuse to start when stored personal data exists and none of the newest sealed values opens with the current
    key or the previous ones: the key was changed without JIEXIANG_PREVIOUS_SECRET_KEYS."""
    sealed = session.scalars(
        select(Report.reporter_phone_sealed)
        .where(Report.reporter_phone_sealed.is_not(None))
        .order_by(Report.id.desc())
        .limit(SAMPLE)
    ).all()
    if sealed and all(protector.open(value) is None for value in sealed):
        raise ConfigurationError(
            "已存储的来电人信息无法用当前密钥解密：JIEXIANG_SECRET_KEY 已更换，"
            "但 JIEXIANG_PREVIOUS_SECRET_KEYS 中没有原来的密钥。请把原密钥加入该变量，再运行 jiexiang secrets rotate",
            code="secret_key_mismatch",
        )


def reseal(session: Session, protector: Protector, *, commit: Callable[[], None]) -> Counter[str]:
    """Seal every stored name and phone again under the current key (and renew the callers' fingerprints), a batch
    per transaction (`commit`). Returns how many values were resealed, already current, or unreadable."""
    tally: Counter[str] = Counter()
    last_id = 0
    while True:
        reports = session.scalars(
            select(Report)
            .where(
                Report.id > last_id,
                or_(Report.reporter_name_sealed.is_not(None), Report.reporter_phone_sealed.is_not(None)),
            )
            .order_by(Report.id)
            .limit(BATCH)
        ).all()
        if not reports:
            return tally
        for report in reports:
            name, name_key = protector.open_with_key(report.reporter_name_sealed)
            phone, phone_key = protector.open_with_key(report.reporter_phone_sealed)
            for sealed, key in ((report.reporter_name_sealed, name_key), (report.reporter_phone_sealed, phone_key)):
                if sealed:
                    tally["unreadable" if key is None else "current" if key == 0 else "resealed"] += 1
            if name_key:  # opened with a previous key (0 is the current one, None nothing)
                report.reporter_name_sealed = protector.seal(name)
            if phone_key:
                report.reporter_phone_sealed = protector.seal(phone)
                report.reporter_fingerprint = protector.fingerprint(phone)
        last_id = reports[-1].id
        commit()
