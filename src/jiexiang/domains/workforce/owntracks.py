"""OwnTracks, whichever way it arrives (HTTP or MQTT): applying a message, remembering a checked password,
and the "report your location now" requests a dispatcher leaves for a worker's next reply."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime

import redis
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.errors import ServiceUnavailable
from jiexiang.domains.accounts.models import User
from jiexiang.domains.workforce import service
from jiexiang.domains.workforce.enums import PositionSource
from jiexiang.domains.workforce.protocols import Fix, Transition

log = logging.getLogger(__name__)


def apply(
    session: Session, *, user_id: int, device: str | None, parsed: Fix | Transition | None, now: datetime
) -> None:
    """Store a location (a fix) or a region entered or left (a transition); other messages are ignored."""
    if isinstance(parsed, Fix):
        service.record_positions(
            session, incoming=[service.Incoming(user_id, PositionSource.owntracks, device, parsed)], now=now
        )
    elif isinstance(parsed, Transition):
        service.record_transition(session, user_id=user_id, transition=parsed)


class CredentialCache:
    """OwnTracks sends the account's password with every fix. Checking an argon2 hash each time would cost
    more than the rest of the request, so a successful check is remembered for a few minutes (in memory
    only, keyed by a hash, and only while the account's password hash is unchanged)."""

    TTL = 600.0

    def __init__(self) -> None:
        self._seen: dict[str, tuple[int, str, float]] = {}
        self._lock = threading.Lock()

    def user(
        self,
        username: str,
        password: str,
        *,
        sessions: sessionmaker[Session],
        sign_in: Callable[[str, str], User],
    ) -> User:
        """The account these credentials belong to: remembered, or checked by `sign_in` (which throttles)."""
        key = hashlib.sha256(f"{username}\0{password}".encode()).hexdigest()
        with self._lock:
            seen = self._seen.get(key)
        if seen is not None and seen[2] > time.monotonic():
            with sessions() as session:
                known: User | None = session.get(User, seen[0])
            if known is not None and known.is_active and known.password_hash == seen[1]:
                return known
        user = sign_in(username, password)
        with self._lock:
            if len(self._seen) > 10_000:
                self._seen.clear()
            self._seen[key] = (user.id, user.password_hash, time.monotonic() + self.TTL)
        return user


class LocateRequests:
    """Workers asked to report their location now; each is told on their next OwnTracks reply, by whichever
    server process answers it. With Redis configured the requests are shared by every process (a set that
    expires after a day); without, one process keeps them in memory."""

    def __init__(self, redis_url: str | None, *, key: str = "jiexiang:locate") -> None:
        self.key = key
        self._redis = redis.Redis.from_url(redis_url, socket_timeout=2) if redis_url else None
        self._local: set[int] = set()
        self._lock = threading.Lock()

    def ask(self, user_id: int) -> None:
        if self._redis is not None:
            try:
                with self._redis.pipeline() as pipe:
                    pipe.sadd(self.key, user_id)
                    pipe.expire(self.key, 86_400)
                    pipe.execute()
            except redis.RedisError as error:
                log.warning("locate request not stored: Redis is unavailable", exc_info=True)
                raise ServiceUnavailable("暂时无法下达定位请求（Redis 不可用），请稍后重试") from error
            return
        with self._lock:
            self._local.add(user_id)

    def take(self, user_id: int) -> bool:
        """Whether `user_id` was asked (and forget it: the request is answered once)."""
        if self._redis is not None:
            try:
                return bool(self._redis.srem(self.key, user_id))
            except redis.RedisError:  # the fix is stored all the same; the request waits for the next one
                log.warning("locate requests not read: Redis is unavailable", exc_info=True)
                return False
        with self._lock:
            asked = user_id in self._local
            self._local.discard(user_id)
            return asked

    def close(self) -> None:
        if self._redis is not None:
            self._redis.close()
