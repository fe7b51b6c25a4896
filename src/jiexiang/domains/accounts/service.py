"""Accounts service: password hashing (argon2), bearer tokens (JWT), users, units, scopes, and API keys for
outside clients."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

import jwt
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.db import serialize_on
from jiexiang.core.errors import Conflict, InvalidInput, NotAuthenticated, NotFound
from jiexiang.core.paging import Paging, paginate
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.enums import ROLE_LABELS, Role
from jiexiang.domains.accounts.models import ApiKey, Unit, User, UserScope
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.schemas import MeRead, UnitCreate, UserCreate, UserRead, UserUpdate

_TOKEN_ALGORITHM = "HS256"


@dataclass(frozen=True)
class Scope:
    """What part of the subdistrict a user may see. Empty sets and no unit mean: everything."""

    community_ids: frozenset[int] = frozenset()
    alley_ids: frozenset[int] = frozenset()
    unit_id: int | None = None

    @property
    def limited_to_places(self) -> bool:
        return bool(self.community_ids or self.alley_ids)


def scope_of(user: User) -> Scope:
    return Scope(
        community_ids=frozenset(s.community_id for s in user.scopes if s.community_id is not None),
        alley_ids=frozenset(s.alley_id for s in user.scopes if s.alley_id is not None),
        unit_id=user.unit_id if user.limited_to_unit else None,
    )


# ---- passwords and tokens ----------------------------------------------------------------------


@lru_cache(maxsize=4)
def _hasher(time_cost: int, memory_kib: int) -> PasswordHasher:
    return PasswordHasher(time_cost=time_cost, memory_cost=memory_kib)


def hash_password(password: str, *, settings: Settings) -> str:
    return _hasher(settings.password_time_cost, settings.password_memory_kib).hash(password)


def verify_password(password_hash: str, password: str, *, settings: Settings) -> bool:
    try:
        return _hasher(settings.password_time_cost, settings.password_memory_kib).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def issue_token(*, user: User, settings: Settings, clock: Clock) -> tuple[str, int]:
    """A signed bearer token for `user`, and its lifetime in seconds."""
    now = clock.now()
    lifetime = timedelta(minutes=settings.access_token_minutes)
    payload = {
        "sub": str(user.id),
        "role": user.role.value,
        "ver": user.token_version,
        "iat": now,
        "exp": now + lifetime,
    }
    return jwt.encode(payload, settings.secret_key, algorithm=_TOKEN_ALGORITHM), int(lifetime.total_seconds())


def user_from_token(session: Session, *, token: str, settings: Settings, clock: Clock) -> User:
    try:
        payload = jwt.decode(
            token,
            settings.secret_key,
            algorithms=[_TOKEN_ALGORITHM],
            options={"require": ["sub", "exp"], "verify_exp": False, "verify_iat": False},
        )
    except jwt.PyJWTError as exc:
        raise NotAuthenticated("登录凭证无效，请重新登录", code="invalid_token") from exc
    subject, expires = payload.get("sub"), payload.get("exp")
    if not isinstance(expires, int | float) or isinstance(expires, bool):
        raise NotAuthenticated("登录凭证无效，请重新登录", code="invalid_token")
    if not (isinstance(subject, str) and subject.isdigit() and len(subject) <= 9):
        raise NotAuthenticated("登录凭证无效，请重新登录", code="invalid_token")
    # Time claims are checked against the injected clock, not the wall clock, so that replays and tests
    # can move time (PyJWT would compare `iat` and `exp` with the machine's clock).
    if expires <= clock.now().timestamp():
        raise NotAuthenticated("登录已过期，请重新登录", code="token_expired")
    user = session.get(User, int(subject))
    if user is None or not user.is_active:
        raise NotAuthenticated("账号不存在或已停用", code="invalid_token")
    if payload.get("ver", 0) != user.token_version:
        raise NotAuthenticated("密码已修改或账号已变更，请重新登录", code="token_revoked")
    return user


# ---- units -------------------------------------------------------------------------------------


def create_unit(session: Session, *, data: UnitCreate, clock: Clock) -> Unit:
    if session.scalar(select(Unit).where(Unit.name == data.name)) is not None:
        raise Conflict(f"单位“{data.name}”已存在", code="unit_exists")
    unit = Unit(**data.model_dump(), created_at=clock.now())
    session.add(unit)
    session.flush()
    return unit


def list_units(session: Session) -> list[Unit]:
    return list(session.scalars(select(Unit).order_by(Unit.name)))


def unit_by_name(session: Session, *, name: str) -> Unit | None:
    return session.scalar(select(Unit).where(Unit.name == name))


# ---- users -------------------------------------------------------------------------------------


def to_read(user: User) -> UserRead:
    scope = scope_of(user)
    return UserRead(
        id=user.id,
        username=user.username,
        full_name=user.full_name,
        role=user.role,
        role_label=ROLE_LABELS[user.role],
        phone=user.phone,
        unit_id=user.unit_id,
        unit_name=user.unit.name if user.unit else None,
        limited_to_unit=user.limited_to_unit,
        is_active=user.is_active,
        community_ids=sorted(scope.community_ids),
        alley_ids=sorted(scope.alley_ids),
        created_at=user.created_at,
    )


def to_me(user: User) -> MeRead:
    """The account with what its role may do (the grants table stays the only one: clients read it here)."""
    granted = [p.value for p in Permission if can(user.role, p)]
    return MeRead(**to_read(user).model_dump(), permissions=granted)


def _set_scopes(user: User, *, community_ids: list[int], alley_ids: list[int]) -> None:
    user.scopes = [UserScope(community_id=cid) for cid in sorted(set(community_ids))] + [
        UserScope(alley_id=aid) for aid in sorted(set(alley_ids))
    ]


def _check_unit(session: Session, unit_id: int | None) -> None:
    if unit_id is not None and session.get(Unit, unit_id) is None:
        raise InvalidInput(f"所属单位 {unit_id} 不存在", code="unit_not_found")


def _flush_scopes(session: Session) -> None:
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError as exc:
        raise InvalidInput("限定的社区或街巷不存在", code="scope_place_not_found") from exc


def create_user(
    session: Session, *, data: UserCreate, settings: Settings, clock: Clock, password_hash: str | None = None
) -> User:
    """Create an account. `password_hash` (of `data.password`) spares re-hashing when many accounts are
    created with one initial password, as the demo does; argon2 costs ~0.1 s per hash by design, so the hash is
    made before the transaction touches the database."""
    password_hash = password_hash or hash_password(data.password, settings=settings)
    _check_unit(session, data.unit_id)
    if data.limited_to_unit and data.unit_id is None:
        raise InvalidInput("限定到单位的账号必须指定所属单位", code="unit_required")
    user = User(
        username=data.username,
        full_name=data.full_name,
        password_hash=password_hash,
        role=data.role,
        phone=data.phone,
        unit_id=data.unit_id,
        limited_to_unit=data.limited_to_unit,
        is_active=True,
        created_at=clock.now(),
    )
    _set_scopes(user, community_ids=data.community_ids, alley_ids=data.alley_ids)
    try:  # the keys decide, also between two requests at once, whether the name is free and the places exist
        with session.begin_nested():
            session.add(user)
    except IntegrityError as exc:
        if session.scalar(select(User.id).where(User.username == data.username)) is not None:
            raise Conflict(f"用户名“{data.username}”已被使用", code="username_taken") from exc
        raise InvalidInput("限定的社区或街巷不存在", code="scope_place_not_found") from exc
    return user


def get_user(session: Session, *, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在", code="user_not_found")
    return user


def user_by_username(session: Session, *, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def update_user(session: Session, *, user_id: int, data: UserUpdate, settings: Settings) -> User:
    changes = data.model_dump(exclude_unset=True)
    password = changes.pop("password", None)
    # The slow hash first, before the transaction touches the database (on SQLite: takes its write lock).
    password_hash = hash_password(password, settings=settings) if password is not None else None
    user = get_user(session, user_id=user_id)
    if "unit_id" in changes:
        _check_unit(session, changes["unit_id"])
    if password_hash is not None:
        user.password_hash = password_hash
        user.token_version += 1  # signed in elsewhere with the old password: not any more
    community_ids = changes.pop("community_ids", None)
    alley_ids = changes.pop("alley_ids", None)
    for name, value in changes.items():
        if value is None and name in {"full_name", "role", "limited_to_unit", "is_active"}:
            raise InvalidInput(f"字段 {name} 不能为空", code="field_required")
    if changes.get("is_active") is False and user.is_active:
        user.token_version += 1
    _keep_an_admin(session, user=user, role=changes.get("role", user.role), active=changes.get("is_active", True))
    for name, value in changes.items():
        setattr(user, name, value)
    if user.limited_to_unit and user.unit_id is None:
        raise InvalidInput("限定到单位的账号必须指定所属单位", code="unit_required")
    if community_ids is not None or alley_ids is not None:
        current = scope_of(user)
        _set_scopes(
            user,
            community_ids=list(current.community_ids) if community_ids is None else community_ids,
            alley_ids=list(current.alley_ids) if alley_ids is None else alley_ids,
        )
    _flush_scopes(session)
    return user


def _keep_an_admin(session: Session, *, user: User, role: Role, active: bool) -> None:
    """Refuse the change that would leave nobody able to administer the system. Admin changes go one at a
    time, so that two admins demoting each other at once cannot both succeed."""
    if not (user.role is Role.admin and user.is_active) or (role is Role.admin and active):
        return
    serialize_on(session, ["accounts:admins"])
    others = session.scalar(
        select(func.count()).select_from(User).where(User.role == Role.admin, User.is_active, User.id != user.id)
    )
    if not others:
        raise Conflict("这是最后一个在用的系统管理员账号，不能停用或改为其他角色", code="last_admin")


def list_users(session: Session, *, paging: Paging) -> tuple[list[User], int]:
    return paginate(session, select(User).order_by(User.id), paging)


def delete_user(session: Session, *, user: User) -> None:
    """Accounts are deactivated, not deleted, so that history keeps naming who did what."""
    _keep_an_admin(session, user=user, role=user.role, active=False)
    if user.is_active:
        user.is_active = False
        user.token_version += 1
    session.flush()


# ---- API keys ----------------------------------------------------------------------------------

_KEY_PREFIX = "jx_"


def _key_hash(key: str) -> str:
    # A key is 256 random bits, so a plain hash is enough (no slow password hash needed to resist guessing).
    return hashlib.sha256(key.encode()).hexdigest()


def issue_api_key(session: Session, *, name: str, clock: Clock) -> tuple[ApiKey, str]:
    """A new key for the client `name`. Returns the row and the key itself, which is not stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise InvalidInput("请填写 1–100 个字的名称（使用该密钥的应用或单位）", code="api_key_name")
    key = _KEY_PREFIX + secrets.token_urlsafe(32)
    row = ApiKey(name=name, key_hash=_key_hash(key), prefix=key[:10], created_at=clock.now())
    session.add(row)
    session.flush()
    return row, key


def revoke_api_key(session: Session, *, key_id: int, clock: Clock) -> ApiKey:
    row = session.get(ApiKey, key_id)
    if row is None:
        raise NotFound(f"API 密钥 {key_id} 不存在")
    if row.revoked_at is None:
        row.revoked_at = clock.now()
        session.flush()
    return row


def list_api_keys(session: Session) -> list[ApiKey]:
    return list(session.scalars(select(ApiKey).order_by(ApiKey.id)))


def api_key_for(session: Session, *, key: str) -> ApiKey | None:
    """The active key row for a presented key, or None (unknown or revoked)."""
    if not key.startswith(_KEY_PREFIX):
        return None
    return session.scalars(
        select(ApiKey).where(ApiKey.key_hash == _key_hash(key), ApiKey.revoked_at.is_(None))
    ).one_or_none()
