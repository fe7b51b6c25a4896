"""What every route asks of the request about its caller: the signed-in account (`CurrentUser`), a permission
(`require`), and a throttled password sign-in (`sign_in`, for the token endpoint and OwnTracks' Basic auth)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.security import OAuth2PasswordBearer

from jiexiang.core.db import unit_of_work
from jiexiang.core.errors import NotAuthenticated, PermissionDenied
from jiexiang.core.http import ClockDep, DbSlot, SettingsDep, client_address
from jiexiang.domains.accounts import logins, service
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can

_bearer = OAuth2PasswordBearer(tokenUrl="/api/auth/token", auto_error=False)


def _current_user(
    request: Request,
    _slot: DbSlot,
    settings: SettingsDep,
    clock: ClockDep,
    token: Annotated[str | None, Depends(_bearer)],
) -> User:
    """The signed-in account, read in a short transaction of its own: the request's own transaction (which on
    SQLite may hold the write lock) starts only when the route needs it."""
    if token is None:
        raise NotAuthenticated("请先登录", code="not_authenticated")
    with request.app.state.read_session_factory() as session:
        return service.user_from_token(session, token=token, settings=settings, clock=clock)


CurrentUser = Annotated[User, Depends(_current_user)]


def require(permission: Permission) -> Any:
    """A dependency that lets the request through only if the caller's role grants `permission`."""

    def check(user: CurrentUser) -> User:
        if not can(user.role, permission):
            raise PermissionDenied("您的角色无权进行此操作", code="forbidden")
        return user

    return Depends(check)


def sign_in(request: Request, *, username: str, password: str) -> User:
    """A password sign-in (the token endpoint, OwnTracks' Basic auth): throttled per account and address; the
    password is checked between two short transactions, never inside one. Needs the request's `DbSlot`."""
    state = request.app.state
    now = state.clock.now()
    with state.read_session_factory() as session:
        attempt = logins.begin(session, username=username, address=client_address(request), now=now)
    ok = logins.check_password(attempt, password, settings=state.settings)
    with unit_of_work(state.session_factory) as session:
        user = logins.finish(session, attempt=attempt, ok=ok, settings=state.settings, now=now)
    if user is None:
        raise logins.failure()
    return user
