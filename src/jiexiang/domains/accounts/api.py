"""Accounts routes: the OAuth2 password flow, who am I, and user and unit administration."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response
from fastapi.security import OAuth2PasswordRequestForm

from jiexiang.core.http import ClockDep, DbSlot, PagingDep, SessionDep, SettingsDep
from jiexiang.domains.accounts import service
from jiexiang.domains.accounts.dependencies import CurrentUser, require, sign_in
from jiexiang.domains.accounts.permissions import Permission
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

router = APIRouter(prefix="/api", tags=["账号"])


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
    users, total = service.list_users(session, paging=paging)
    return UserPage.of([service.to_read(u) for u in users], total, paging)


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


# Dispatchers pick the unit a case goes to, operators the unit a proactive task belongs to: they read the list.
@router.get("/units", response_model=list[UnitRead], dependencies=[require(Permission.units_read)], summary="单位列表")
def list_units(session: SessionDep) -> list[UnitRead]:
    return [UnitRead.model_validate(u) for u in service.list_units(session)]


@router.post("/units", response_model=UnitRead, status_code=201, dependencies=[_admin], summary="新建单位")
def create_unit(data: UnitCreate, session: SessionDep, clock: ClockDep) -> UnitRead:
    return UnitRead.model_validate(service.create_unit(session, data=data, clock=clock))
