"""The properties of each place layer, as read from API bodies and import files alike.

Fields carry Chinese titles (import headers and error messages use them) and English names (GeoJSON
properties and the API). Anything a file may hold that is derived (length, area, names of parents) is
ignored on the way in, so that an export can be imported again unchanged.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from jiexiang.core.paging import Page
from jiexiang.core.tables import RejectedRow
from jiexiang.domains.places.enums import (
    ADDRESS_KIND_LABELS,
    COMPONENT_STATE_LABELS,
    AddressKind,
    ComponentState,
)

_LIST_SEPARATORS = re.compile(r"[;；,，、|]")
_TRUE = {"true", "1", "yes", "y", "是", "对", "√"}
_FALSE = {"false", "0", "no", "n", "否", "不是", "×"}


class PlaceProps(BaseModel):
    """Common behaviour: blank cells are absent values; unknown columns are ignored."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)

    @model_validator(mode="before")
    @classmethod
    def _blank_is_absent(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if v is not None and not (isinstance(v, str) and not v.strip())}
        return data


def _split_list(value: Any) -> Any:
    if isinstance(value, str):
        return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]
    return value


def _parse_bool(value: Any) -> Any:
    if isinstance(value, str):
        lowered = value.strip().lower()
        if lowered in _TRUE:
            return True
        if lowered in _FALSE:
            return False
        raise ValueError("应填“是”或“否”")
    return value


def _code(value: Any) -> Any:
    # Spreadsheets turn long digit codes into numbers; bring them back to text without ".0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    return value


class SubdistrictProps(PlaceProps):
    code: str = Field(pattern=r"^\d{9}$", title="街道编码", description="9位数字")
    name: str = Field(min_length=1, max_length=64, title="街道名称")

    _code = field_validator("code", mode="before")(_code)


class CommunityProps(PlaceProps):
    code: str = Field(pattern=r"^\d{12}$", title="社区编码", description="12位数字：街道编码+3位")
    name: str = Field(min_length=1, max_length=64, title="社区名称")

    _code = field_validator("code", mode="before")(_code)


class AlleyProps(PlaceProps):
    code: str = Field(pattern=r"^[0-9A-Za-z_\-]{1,32}$", title="街巷编码", description="1–32位字母或数字")
    name: str = Field(min_length=1, max_length=64, title="街巷名称")
    aliases: list[str] = Field(default_factory=list, title="别名")
    is_back_alley: bool = Field(default=True, title="背街小巷")
    community_code: str | None = Field(default=None, pattern=r"^\d{12}$", title="所属社区编码", description="12位数字")
    chief_username: str | None = Field(default=None, max_length=64, title="街巷长账号")

    _code = field_validator("code", "community_code", mode="before")(_code)
    _aliases = field_validator("aliases", mode="before")(_split_list)
    _flag = field_validator("is_back_alley", mode="before")(_parse_bool)


class GridCellProps(PlaceProps):
    code: str = Field(pattern=r"^\d{15}$", title="网格编码", description="15位数字：社区编码+3位顺序码")

    _code = field_validator("code", mode="before")(_code)


class BuildingProps(PlaceProps):
    code: str = Field(pattern=r"^[0-9A-Za-z_\-]{1,32}$", title="建筑编码", description="1–32位字母或数字")
    name: str | None = Field(default=None, max_length=64, title="建筑名称")
    height_m: float = Field(gt=0, le=600, title="高度（米）")
    floors: int | None = Field(default=None, ge=1, le=200, title="层数")

    _code = field_validator("code", mode="before")(_code)


class ComponentProps(PlaceProps):
    code: str = Field(
        pattern=r"^\d{16}$",
        title="部件编码",
        description="16位数字：6位行政区划代码+2位大类+2位小类+6位顺序码",
    )
    name: str | None = Field(default=None, max_length=64, title="部件名称")
    state: ComponentState = Field(default=ComponentState.normal, title="状态")
    owner_unit: str | None = Field(default=None, max_length=120, title="权属单位")
    maintainer_unit: str | None = Field(default=None, max_length=120, title="养护单位")
    alley_code: str | None = Field(default=None, max_length=32, title="所在街巷编码")

    _code = field_validator("code", "alley_code", mode="before")(_code)

    @field_validator("state", mode="before")
    @classmethod
    def _state_label(cls, value: Any) -> Any:
        by_label = {label: state for state, label in COMPONENT_STATE_LABELS.items()}
        return by_label.get(value, value) if isinstance(value, str) else value


class AddressProps(PlaceProps):
    name: str = Field(min_length=1, max_length=128, title="地址名称")
    kind: AddressKind = Field(default=AddressKind.house_number, title="类型")
    house_number: str | None = Field(default=None, max_length=32, title="门牌号")
    aliases: list[str] = Field(default_factory=list, title="别名")
    alley_code: str | None = Field(default=None, max_length=32, title="所在街巷编码")

    _code = field_validator("house_number", "alley_code", mode="before")(_code)
    _aliases = field_validator("aliases", mode="before")(_split_list)

    @field_validator("kind", mode="before")
    @classmethod
    def _kind_label(cls, value: Any) -> Any:
        by_label = {label: kind for kind, label in ADDRESS_KIND_LABELS.items()}
        return by_label.get(value, value) if isinstance(value, str) else value


class FeatureCreate(BaseModel):
    """A GeoJSON Feature as sent to create or change a place (properties per layer)."""

    type: str = Field(default="Feature", pattern="^Feature$")
    properties: dict[str, Any] = Field(default_factory=dict)
    geometry: dict[str, Any] | None = None


class PlacePage(BaseModel):
    """A page of places as a GeoJSON FeatureCollection, with OGC API–style paging members."""

    type: str = "FeatureCollection"
    features: list[dict[str, Any]]
    numberMatched: int  # noqa: N815 - OGC API Features member name
    numberReturned: int  # noqa: N815
    page: int
    page_size: int


class ImportRowErrorRead(BaseModel):
    layer: str
    row: int
    field: str | None
    message: str

    def describe(self) -> str:
        where = f"{self.layer} 第 {self.row} 行"
        return f"{where}，字段“{self.field}”：{self.message}" if self.field else f"{where}：{self.message}"


class LayerCountsRead(BaseModel):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class ImportRead(BaseModel):
    counts: dict[str, LayerCountsRead]


class HouseholdCreate(BaseModel):
    address_id: int
    label: str = Field(min_length=1, max_length=64, description="门牌下哪一户：东厢房、2单元301 …")
    head_name: str = Field(min_length=1, max_length=64)
    phone: str | None = Field(default=None, max_length=32)
    is_representative: bool = Field(default=False, description="居民代表")
    username: str | None = Field(default=None, max_length=64, description="绑定的居民账号（可后补）")


class HouseholdRead(BaseModel):
    id: int
    address_id: int
    address_name: str
    alley_id: int | None
    community_id: int | None
    label: str
    head_name: str | None  # masked (张**) for accounts without the personal-data permission
    is_representative: bool
    has_account: bool
    registered_at: datetime


class HouseholdPage(Page[HouseholdRead]):
    pass


class RollImportRead(BaseModel):
    read: int
    created: int
    updated: int
    unchanged: int
    rejected: list[RejectedRow]
