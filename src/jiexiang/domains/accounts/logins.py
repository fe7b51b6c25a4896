"""Signing in with a password: back-off and temporary lockout after repeated failures (per account and per address),
the same work and the same answer for unknown and known user names, and the password check kept out of any
transaction (argon2 costs ~0.1 s by design; no transaction should hold SQLite's write lock that long).

A sign-in is three steps: `begin` reads (in a short read transaction), `check_password` computes (in none), `finish`
records the outcome (in a short write transaction)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import cast

from sqlalchemy import Table, case, delete, select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.db import dialect_insert
from jiexiang.core.errors import NotAuthenticated, TooManyRequests
from jiexiang.domains.accounts.models import LoginThrottle, User
from jiexiang.domains.accounts.service import hash_password, verify_password

FORGET_AFTER = timedelta(hours=1)  # failures older than this no longer count
LONGEST_LOCK = timedelta(hours=1)


@dataclass(frozen=True)
class Attempt:
    user: User | None  # None: no such account (the password is still checked, against a stand-in)
    account_key: str
    address_key: str


def _keys(username: str, address: str) -> tuple[str, str]:
    return f"user:{username.strip().casefold()[:100]}", f"addr:{address[:100]}"


def begin(session: Session, *, username: str, address: str, now: datetime) -> Attempt:
    """Refuse at once while the account or the address is locked; otherwise the account to check against."""
    account_key, address_key = _keys(username, address)
    rows = session.scalars(select(LoginThrottle).where(LoginThrottle.key.in_([account_key, address_key])))
    locked_until = max((row.locked_until for row in rows if row.locked_until and row.locked_until > now), default=None)
    if locked_until is not None:
        wait = int((locked_until - now).total_seconds()) + 1
        raise TooManyRequests(
            f"登录失败次数过多，请 {max(1, round(wait / 60))} 分钟后再试", retry_after=wait, code="login_locked"
        )
    user = session.scalar(select(User).where(User.username == username.strip()))
    return Attempt(user=user, account_key=account_key, address_key=address_key)


@lru_cache(maxsize=4)
def _stand_in(time_cost: int, memory_kib: int) -> str:
    """A hash of a random password with the installation's parameters, so that an unknown name costs as much."""
    settings = Settings(password_time_cost=time_cost, password_memory_kib=memory_kib)
    return hash_password(secrets.token_urlsafe(16), settings=settings)


def check_password(attempt: Attempt, password: str, *, settings: Settings) -> bool:
    if attempt.user is None:
        verify_password(
            _stand_in(settings.password_time_cost, settings.password_memory_kib), password, settings=settings
        )
        return False
    return verify_password(attempt.user.password_hash, password, settings=settings)


def finish(session: Session, *, attempt: Attempt, ok: bool, settings: Settings, now: datetime) -> User | None:
    """Record the outcome: the signed-in account, or None after counting the failure (the caller commits that,
    then refuses with `failure()`)."""
    if ok and attempt.user is not None:
        session.execute(delete(LoginThrottle).where(LoginThrottle.key == attempt.account_key))
        if not attempt.user.is_active:
            raise NotAuthenticated("该账号已停用，请联系管理员", code="account_disabled")
        return attempt.user
    for key, limit in (
        (attempt.account_key, settings.login_max_failures),
        (attempt.address_key, settings.login_max_failures_per_address),
    ):
        _count_failure(session, key=key, limit=limit, now=now)
    session.flush()
    return None


def failure() -> NotAuthenticated:
    """The one answer to a wrong password and to an unknown user name alike."""
    return NotAuthenticated("用户名或密码错误", code="bad_credentials")


def _count_failure(session: Session, *, key: str, limit: int, now: datetime) -> None:
    """One more failure for `key`, counted in one statement (concurrent failures all count); from the `limit`-th
    on, locked for a minute, doubling with each further failure up to an hour."""
    table = cast(Table, LoginThrottle.__table__)
    statement = dialect_insert(session, LoginThrottle).values(key=key, failures=1, last_failed_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "failures": case((table.c.last_failed_at < now - FORGET_AFTER, 1), else_=table.c.failures + 1),
            "last_failed_at": now,
        },
    ).returning(table.c.failures)
    failures = int(session.execute(statement).scalar_one())
    if failures >= limit:
        lock = min(timedelta(minutes=2 ** min(failures - limit, 10)), LONGEST_LOCK)
        session.execute(table.update().where(table.c.key == key).values(locked_until=now + lock))
