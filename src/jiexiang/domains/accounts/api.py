"""Accounts routes: the OAuth2 password flow, who am I, and user and unit administration."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm

from jiexiang.core.db import unit_of_work
from jiexiang.core.errors import NotAuthenticated, PermissionDenied
from jiexiang.core.http import ClockDep, DbSlot, PagingDep, SessionDep, SettingsDep, client_address
from jiexiang.domains.accounts import logins, service
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.schemas import (
    MeRead,
    Token,
    UnitCreate,
    UnitRead,
    UserCreate,
    UserPage,
    UserRead,
    UserUpdate,
)

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


router = APIRouter(prefix="/api", tags=["账号"])


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


@router.post("/auth/token", response_model=Token, summary="登录，获取访问令牌（OAuth2 密码模式）")
def login(
    request: Request,
    _slot: DbSlot,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    settings: SettingsDep,
    clock: ClockDep,
) -> Token:
    user = sign_in(request, username=form.username, password=form.password)
    token, lifetime = service.issue_token(user=user, settings=settings, clock=clock)
    return Token(access_token=token, expires_in=lifetime)


@router.get("/auth/me", response_model=MeRead, summary="当前登录的账号及其角色的权限")
def me(user: CurrentUser) -> MeRead:
    return service.to_me(user)


_admin = require(Permission.users_manage)


@router.get("/users", response_model=UserPage, dependencies=[_admin], summary="账号列表")
def list_users(session: SessionDep, paging: PagingDep) -> UserPage:
    users, total = service.list_users(session, page=paging.page, page_size=paging.page_size)
    return UserPage(
        items=[service.to_read(u) for u in users], total=total, page=paging.page, page_size=paging.page_size
    )


@router.post("/users", response_model=UserRead, status_code=201, dependencies=[_admin], summary="新建账号")
def create_user(data: UserCreate, session: SessionDep, settings: SettingsDep, clock: ClockDep) -> UserRead:
    return service.to_read(service.create_user(session, data=data, settings=settings, clock=clock))


@router.get("/users/{user_id}", response_model=UserRead, dependencies=[_admin], summary="查看账号")
def get_user(user_id: int, session: SessionDep) -> UserRead:
    return service.to_read(service.get_user(session, user_id=user_id))


@router.patch("/users/{user_id}", response_model=UserRead, dependencies=[_admin], summary="修改账号")
def update_user(user_id: int, data: UserUpdate, session: SessionDep, settings: SettingsDep) -> UserRead:
    return service.to_read(service.update_user(session, user_id=user_id, data=data, settings=settings))


@router.delete("/users/{user_id}", status_code=204, dependencies=[_admin], summary="停用账号")
def delete_user(user_id: int, session: SessionDep) -> Response:
    service.delete_user(session, user=service.get_user(session, user_id=user_id))
    return Response(status_code=204)


# Dispatchers pick the unit a case goes to, so they read the list too.
@router.get(
    "/units", response_model=list[UnitRead], dependencies=[require(Permission.routing_manage)], summary="单位列表"
)
def list_units(session: SessionDep) -> list[UnitRead]:
    return [UnitRead.model_validate(u) for u in service.list_units(session)]


@router.post("/units", response_model=UnitRead, status_code=201, dependencies=[_admin], summary="新建单位")
def create_unit(data: UnitCreate, session: SessionDep, clock: ClockDep) -> UnitRead:
    return UnitRead.model_validate(service.create_unit(session, data=data, clock=clock))
