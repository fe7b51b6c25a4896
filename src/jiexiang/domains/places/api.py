"""Places routes: every layer as GeoJSON, filtered to the caller's scope; admins change and import."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Query, Response, UploadFile

from jiexiang.core.errors import PermissionDenied
from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.http import XLSX_MEDIA_TYPE, ClockDep, PagingDep, SessionDep, uploaded_table
from jiexiang.core.paging import paginate
from jiexiang.core.protect import mask_name
from jiexiang.core.tables import RejectedRow
from jiexiang.domains.accounts.dependencies import CurrentUser
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import scope_of
from jiexiang.domains.places import fileio, households, service
from jiexiang.domains.places.enums import LAYER_LABELS, Layer
from jiexiang.domains.places.layers import SPECS, to_feature
from jiexiang.domains.places.models import Household
from jiexiang.domains.places.schemas import (
    FeatureCreate,
    HouseholdCreate,
    HouseholdPage,
    HouseholdRead,
    ImportRead,
    PlacePage,
    RollImportRead,
)

router = APIRouter(prefix="/api/places", tags=["地理要素"])

_EXPORT_TYPES = {
    "geojson": "application/geo+json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": XLSX_MEDIA_TYPE,
}


def _reader(layer: Layer, user: CurrentUser) -> User:
    needed = Permission.places_read_public if SPECS[layer].public else Permission.places_read
    if not can(user.role, needed):
        raise PermissionDenied(f"您的角色无权查看{LAYER_LABELS[layer]}", code="forbidden")
    return user


def _writer(user: CurrentUser) -> User:
    if not can(user.role, Permission.places_write):
        raise PermissionDenied("只有系统管理员可以修改地理要素", code="forbidden")
    return user


Reader = Annotated[User, Depends(_reader)]
Writer = Annotated[User, Depends(_writer)]


@router.post("/import", response_model=ImportRead, summary="导入地理要素（GeoJSON / CSV / XLSX，全部成功或全部不导入）")
def import_file(
    session: SessionDep,
    clock: ClockDep,
    _user: Writer,
    file: Annotated[UploadFile, File(description="GeoJSON、CSV 或 XLSX 文件")],
    layer: Annotated[Layer | None, Query(description="图层；XLSX 按工作表名称判断")] = None,
    crs: Annotated[CoordinateSystem, Query(description="文件坐标系")] = CoordinateSystem.wgs84,
) -> ImportRead:
    return fileio.import_places(
        session, data=file.file.read(), filename=file.filename or "upload", layer=layer, crs=crs, clock=clock
    )


@router.get("/{layer}", response_model=PlacePage, summary="要素列表（GeoJSON FeatureCollection）")
def list_places(
    layer: Layer,
    user: Reader,
    session: SessionDep,
    paging: PagingDep,
    community: Annotated[int | None, Query(description="社区 ID")] = None,
    bbox: Annotated[str | None, Query(description="最小经度,最小纬度,最大经度,最大纬度（WGS-84）")] = None,
    q: Annotated[str | None, Query(description="按名称或编码搜索")] = None,
) -> PlacePage:
    return service.list_(
        session,
        layer=layer,
        scope=scope_of(user),
        community_id=community,
        bbox=service.BBox.parse(bbox) if bbox else None,
        q=q,
        paging=paging,
    )


@router.get("/{layer}/export", summary="导出图层（geojson / csv / xlsx）")
def export_layer(
    layer: Layer,
    user: Reader,
    session: SessionDep,
    format: Annotated[str, Query(pattern="^(geojson|csv|xlsx)$")] = "geojson",  # noqa: A002
) -> Response:
    scope = scope_of(user)
    if format == "geojson":
        body = fileio.export_geojson(session, layer=layer, scope=scope)
    elif format == "csv":
        body = fileio.export_csv(session, layer=layer, scope=scope)
    else:
        body = fileio.export_xlsx(session, layers=[layer], scope=scope)
    filename = f"{layer.value}.{format}"
    return Response(
        body, media_type=_EXPORT_TYPES[format], headers={"Content-Disposition": f'attachment; filename="{filename}"'}
    )


@router.get("/{layer}/{place_id}", summary="单个要素（GeoJSON Feature）")
def get_place(layer: Layer, place_id: int, user: Reader, session: SessionDep) -> dict[str, Any]:
    row = service.get(session, layer=layer, place_id=place_id, scope=scope_of(user))
    return to_feature(SPECS[layer], row)


@router.post("/{layer}", status_code=201, summary="新建要素")
def create_place(
    layer: Layer, feature: FeatureCreate, _user: Writer, session: SessionDep, clock: ClockDep
) -> dict[str, Any]:
    return service.create(session, layer=layer, feature=feature, clock=clock)


@router.patch("/{layer}/{place_id}", summary="修改要素（只改所给的属性和/或几何）")
def update_place(
    layer: Layer, place_id: int, feature: FeatureCreate, user: Writer, session: SessionDep, clock: ClockDep
) -> dict[str, Any]:
    return service.update(session, layer=layer, place_id=place_id, feature=feature, scope=scope_of(user), clock=clock)


@router.delete("/{layer}/{place_id}", status_code=204, summary="删除要素")
def delete_place(layer: Layer, place_id: int, user: Writer, session: SessionDep) -> Response:
    service.delete(session, layer=layer, place_id=place_id, scope=scope_of(user))
    return Response(status_code=204)


households_router = APIRouter(prefix="/api/households", tags=["地理要素"])


def _household_read(household: Household, *, user: User) -> HouseholdRead:
    address = household.address
    clear = can(user.role, Permission.personal_data_read)
    return HouseholdRead(
        id=household.id,
        address_id=household.address_id,
        address_name=address.name,
        alley_id=address.alley_id,
        community_id=address.community_id,
        label=household.label,
        head_name=household.head_name if clear else mask_name(household.head_name),
        is_representative=household.is_representative,
        has_account=household.user_id is not None,
        registered_at=household.registered_at,
    )


@households_router.get("", summary="登记户（住户）名册：停车证和街巷表决以户为单位")
def list_households(
    user: CurrentUser,
    session: SessionDep,
    paging: PagingDep,
    address_id: Annotated[int | None, Query()] = None,
    alley_id: Annotated[int | None, Query()] = None,
) -> HouseholdPage:
    _reader(Layer.addresses, user)
    if not can(user.role, Permission.places_read):
        raise PermissionDenied("您的角色无权查看住户名册", code="forbidden")
    query = households.listed(scope_of(user), address_id=address_id, alley_id=alley_id)
    rows, total = paginate(session, query, paging)
    return HouseholdPage.of([_household_read(h, user=user) for h in rows], total, paging)


@households_router.post(
    "/import",
    summary="导入社区住户名册（CSV / XLSX：门牌地址、户、户主，可含联系电话、居民代表、居民账号）；重复导入只改变动",
)
def import_roll(
    _user: Annotated[User, Depends(_writer)],
    session: SessionDep,
    clock: ClockDep,
    file: Annotated[UploadFile, File(description="住户名册（CSV 或 XLSX）")],
) -> RollImportRead:
    with uploaded_table(file) as path:
        summary = households.import_roll(session, path=path, now=clock.now())
    return RollImportRead(
        read=summary.read,
        created=summary.created,
        updated=summary.updated,
        unchanged=summary.unchanged,
        rejected=[RejectedRow(row=row, problem=problem) for row, problem in summary.rejected],
    )


@households_router.post("", status_code=201, summary="登记一户（可同时绑定居民账号）")
def register_household(
    body: HouseholdCreate, user: Annotated[User, Depends(_writer)], session: SessionDep, clock: ClockDep
) -> HouseholdRead:
    return _household_read(households.register(session, data=body, now=clock.now()), user=user)
