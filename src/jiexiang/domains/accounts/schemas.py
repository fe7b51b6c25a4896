"""Pydantic shapes of accounts for the API and the CLI."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from jiexiang.core.paging import Page
from jiexiang.core.time import LocalDateTime
from jiexiang.domains.accounts.enums import Role, UnitKind

USERNAME_PATTERN = r"^[A-Za-z0-9_.\-]{2,64}$"


class UnitCreate(BaseModel):
    name: str = Field(min_length=1, max_length=120, title="单位名称")
    kind: UnitKind = Field(default=UnitKind.department, title="单位类型")
    contact_phone: str | None = Field(default=None, max_length=32, title="联系电话")


class UnitRead(UnitCreate):
    model_config = ConfigDict(from_attributes=True)
    id: int


class UserCreate(BaseModel):
    username: str = Field(pattern=USERNAME_PATTERN, title="用户名")
    password: str = Field(min_length=8, max_length=128, title="密码")
    full_name: str = Field(min_length=1, max_length=64, title="姓名")
    role: Role = Field(title="角色")
    phone: str | None = Field(default=None, max_length=32, title="电话")
    unit_id: int | None = Field(default=None, title="所属单位")
    limited_to_unit: bool = False
    community_ids: list[int] = Field(default_factory=list, title="限定社区")
    alley_ids: list[int] = Field(default_factory=list, title="限定街巷")


class UserUpdate(BaseModel):
    password: str | None = Field(default=None, min_length=8, max_length=128)
    full_name: str | None = Field(default=None, min_length=1, max_length=64)
    role: Role | None = None
    phone: str | None = Field(default=None, max_length=32)
    unit_id: int | None = None
    limited_to_unit: bool | None = None
    is_active: bool | None = None
    community_ids: list[int] | None = None
    alley_ids: list[int] | None = None


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    username: str
    full_name: str
    role: Role
    role_label: str
    phone: str | None
    unit_id: int | None
    unit_name: str | None
    limited_to_unit: bool
    is_active: bool
    community_ids: list[int]
    alley_ids: list[int]
    created_at: LocalDateTime


class MeRead(UserRead):
    """The logged-in account with what its role may do, so that clients show only what works for it."""

    permissions: list[str]


class UserPage(Page[UserRead]):
    pass


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int
