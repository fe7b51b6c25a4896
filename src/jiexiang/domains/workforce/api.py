"""Field force routes: position intake in the protocols existing apps speak (Traccar Client / OsmAnd,
OwnTracks HTTP, the project's own page), the live view and its event stream, devices and shifts."""

from __future__ import annotations

import base64
import binascii
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Body, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, PlainTextResponse
from sqlalchemy.orm import Session

from jiexiang.core.errors import DomainError, InvalidInput, NotAuthenticated, NotFound, PermissionDenied
from jiexiang.core.http import ClockDep, SessionDep, WriteSessionDep
from jiexiang.core.time import ensure_aware, to_local
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.dependencies import CurrentUser, require, sign_in
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.places import service as places
from jiexiang.domains.places.spatial import SpatialIndex
from jiexiang.domains.workforce import coverage, owntracks, service, traccar
from jiexiang.domains.workforce.enums import PositionSource
from jiexiang.domains.workforce.models import Device
from jiexiang.domains.workforce.protocols import (
    Fix,
    from_osmand,
    from_owntracks,
    from_traccar_json,
    osmand_device,
    parse_time,
    traccar_json_device,
)
from jiexiang.domains.workforce.schemas import (
    AreasUpdate,
    CoverageRead,
    DeviceCreate,
    DeviceRead,
    FixCreate,
    LiveWorkerRead,
    ShiftCreate,
    ShiftRead,
    TrackRead,
    WorkerAlertRead,
)

router = APIRouter(tags=["外勤"])
_readers = require(Permission.workforce_read)
_trackers = require(Permission.workforce_track)
_managers = require(Permission.workforce_manage)
MAX_BATCH = 1000


# ---- Traccar Client / OsmAnd -----------------------------------------------------------------------


async def track_osmand(request: Request, session: WriteSessionDep) -> Response:
    """Query or form parameters (`id`, `timestamp`, `lat`, `lon`, `speed` in knots …), or the JSON body of newer
    Traccar Clients. An unknown device is 400 for the parameter forms and 404 for JSON, as Traccar answers."""
    is_json = request.headers.get("content-type", "").startswith("application/json")
    try:
        if is_json:
            body = await request.json()
            if not isinstance(body, dict):
                raise InvalidInput("JSON 应为一个对象", code="bad_json")
            device_id, fix = traccar_json_device(body), from_traccar_json(body)
        else:
            params = dict(request.query_params)
            if request.method == "POST":
                async with request.form() as form:
                    params |= {k: v for k, v in form.items() if isinstance(v, str)}
            device_id, fix = osmand_device(params), from_osmand(params)
    except (DomainError, ValueError) as error:
        message = error.message if isinstance(error, DomainError) else "请求体不是有效的 JSON"
        return PlainTextResponse(message, status_code=400)

    def store() -> Response:
        tally = traccar.apply(session, device_id=device_id, fix=fix, now=request.app.state.clock.now())
        if tally is None:
            return PlainTextResponse(f"未登记的设备 {device_id}", status_code=404 if is_json else 400)
        return PlainTextResponse("" if tally.accepted else "、".join(tally.rejected), status_code=200)

    return await run_in_threadpool(store)


# One handler for both methods; each gets its own OpenAPI operation (one id for two methods is invalid).
for _method in ("GET", "POST"):
    router.add_api_route(
        "/api/track/osmand",
        track_osmand,
        methods=[_method],
        summary="定位上报：Traccar Client / OsmAnd 协议",
        operation_id=f"track_osmand_{_method.lower()}",
    )

# Traccar Client's default server address is http://host:5055 and it sends to "/": the same handler,
# mounted by `jiexiang serve --osmand-port 5055` on a port of its own.
osmand_root = APIRouter()
osmand_root.add_api_route("/", track_osmand, methods=["GET", "POST"], include_in_schema=False)


# ---- OwnTracks over HTTP ---------------------------------------------------------------------------

_credentials = owntracks.CredentialCache()


def _basic_credentials(request: Request) -> tuple[str, str]:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic" or not encoded:
        raise NotAuthenticated("需要 HTTP Basic 认证（本人账号和密码）", code="basic_auth_required")
    try:
        username, _, password = base64.b64decode(encoded, validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise NotAuthenticated("Basic 认证格式错误", code="basic_auth_required") from None
    return username, password


def _unauthorised(error: NotAuthenticated) -> JSONResponse:
    """401 with the challenge OwnTracks answers with its stored user name and password."""
    return JSONResponse(
        {"code": error.code, "message": error.message},
        status_code=401,
        headers={"WWW-Authenticate": 'Basic realm="jiexiang"'},
    )


@router.post("/api/track/owntracks", summary="定位上报：OwnTracks（HTTP 模式，Basic 认证用本人账号）")
async def track_owntracks(request: Request, session: SessionDep) -> Response:
    try:
        username, password = _basic_credentials(request)
        payload = await request.json()
        if not isinstance(payload, dict):
            raise InvalidInput("JSON 应为一个对象", code="bad_json")
        parsed = from_owntracks(payload)
    except NotAuthenticated as error:
        return _unauthorised(error)
    except (DomainError, ValueError) as error:
        message = error.message if isinstance(error, DomainError) else "请求体不是有效的 JSON"
        return JSONResponse({"code": "bad_request", "message": message}, status_code=400)
    device = request.headers.get("x-limit-d") or None
    claimed = request.headers.get("x-limit-u")

    def store() -> list[dict[str, str]]:
        user = _credentials.user(
            username,
            password,
            sessions=request.app.state.read_session_factory,
            sign_in=lambda name, secret: sign_in(request, username=name, password=secret),  # throttled
        )
        _must_report_positions(user)
        if claimed and claimed != user.username:
            raise PermissionDenied("X-Limit-U 与登录账号不一致", code="owntracks_user_mismatch")
        owntracks.apply(session, user_id=user.id, device=device, parsed=parsed, now=request.app.state.clock.now())
        locate = request.app.state.locate_requests.take(user.id)
        return [{"_type": "cmd", "action": "reportLocation"}] if locate else []

    try:
        return JSONResponse(await run_in_threadpool(store))
    except NotAuthenticated as error:
        return _unauthorised(error)


@router.post(
    "/api/workers/{user_id}/locate",
    status_code=202,
    dependencies=[_managers],
    summary="请某位外勤人员的 OwnTracks 立即上报位置（在其下次上报的回复中下达）",
)
def request_location(user_id: int, request: Request, session: SessionDep) -> dict[str, str]:
    if session.get(User, user_id) is None:
        raise NotFound(f"用户 {user_id} 不存在")
    request.app.state.locate_requests.ask(user_id)
    return {"status": "pending"}


# ---- the project's own page ------------------------------------------------------------------------


def _must_report_positions(user: User) -> None:
    if not can(user.role, Permission.positions_report):
        raise PermissionDenied("只有外勤人员（网格员、街巷长、处置单位、准物业）上报定位", code="not_field_staff")


@router.post("/api/track/batch", response_model=TrackRead, summary="定位批量上报（本系统手机页面）")
def track_batch(
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    fixes: Annotated[list[FixCreate], Body(max_length=MAX_BATCH)],
) -> TrackRead:
    _must_report_positions(user)
    incoming = [
        service.Incoming(
            user.id,
            PositionSource.app,
            None,
            Fix(
                recorded_at=parse_time(f.timestamp),
                lon=f.lon,
                lat=f.lat,
                accuracy_m=f.accuracy,
                speed_mps=f.speed,
                heading=f.heading,
                altitude_m=f.altitude,
                battery=f.battery,
            ),
        )
        for f in fixes
    ]
    tally = service.record_positions(session, incoming=incoming, now=request.app.state.clock.now())
    return TrackRead(accepted=len(tally.accepted), rejected=dict(tally.rejected))


# ---- live view -------------------------------------------------------------------------------------


@router.get(
    "/api/workers/live", response_model=list[LiveWorkerRead], dependencies=[_trackers], summary="外勤人员实时位置"
)
def workers_live(session: SessionDep, clock: ClockDep) -> list[LiveWorkerRead]:
    return service.live_workers(session, now=clock.now())


@router.get(
    "/api/workers/trails",
    response_model=None,
    dependencies=[_trackers],
    summary="外勤人员当日轨迹（GeoJSON 线，北京时间的一天）",
)
def worker_trails(
    session: SessionDep,
    clock: ClockDep,
    day: Annotated[date | None, Query(description="日期（北京时间），默认今天")] = None,
) -> dict[str, object]:
    return service.trails(session, day=day or to_local(clock.now()).date())


# ---- patrol coverage -------------------------------------------------------------------------------


@router.get(
    "/api/coverage", response_model=CoverageRead, dependencies=[_readers], summary="巡查覆盖：哪些街巷谁走过、谁没走过"
)
def coverage_of_day(
    user: CurrentUser,
    session: SessionDep,
    clock: ClockDep,
    day: Annotated[date | None, Query(description="日期（北京时间），默认今天")] = None,
) -> CoverageRead:
    day = day or to_local(clock.now()).date()
    within = places.alley_ids_in(session, scope=accounts.scope_of(user))  # a 街巷长: their own alleys
    alleys = coverage.alley_coverage(session, day=day, alleys=within)
    return CoverageRead(
        day=day.isoformat(),
        alleys=alleys,
        unwalked=[a.alley_name for a in alleys if not a.walked],
        workers=coverage.worker_coverage(session, day=day, alleys=within),
        chiefs=coverage.chief_coverage(session, day=day, alleys=within),
    )


@router.get(
    "/api/workers/alerts",
    response_model=list[WorkerAlertRead],
    dependencies=[_trackers],
    summary="在班人员告警：停止上报、离开责任区",
)
def worker_alerts(session: SessionDep, clock: ClockDep) -> list[WorkerAlertRead]:
    now = clock.now()
    return coverage.alerts(
        session,
        index=SpatialIndex.for_session(session),
        on_duty=service.on_duty_ids(session, at=now),
        now=now,
    )


@router.put("/api/workers/{user_id}/areas", status_code=204, dependencies=[_managers], summary="设定责任街巷和网格")
def set_areas(user_id: int, body: AreasUpdate, session: SessionDep) -> Response:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"用户 {user_id} 不存在")
    service.set_areas(session, user=user, alley_ids=body.alley_ids, grid_cell_ids=body.grid_cell_ids)
    return Response(status_code=204)


# ---- devices and shifts ----------------------------------------------------------------------------


def _device_read(device: Device) -> DeviceRead:
    return DeviceRead(
        id=device.id,
        device_id=device.device_id,
        user_id=device.user_id,
        username=device.user.username,
        full_name=device.user.full_name,
        label=device.label,
        last_seen_at=device.last_seen_at,
    )


def _user_named(session: Session, username: str) -> User:
    user = accounts.user_by_username(session, username=username)
    if user is None:
        raise NotFound(f"账号 {username} 不存在")
    return user


@router.get("/api/devices", response_model=list[DeviceRead], dependencies=[_managers], summary="定位设备")
def list_devices(session: SessionDep) -> list[DeviceRead]:
    return [_device_read(d) for d in service.list_devices(session)]


@router.post(
    "/api/devices", response_model=DeviceRead, status_code=201, dependencies=[_managers], summary="登记定位设备"
)
def add_device(body: DeviceCreate, session: SessionDep, clock: ClockDep) -> DeviceRead:
    user = _user_named(session, body.username)
    return _device_read(service.add_device(session, user=user, device_id=body.device_id, label=body.label, clock=clock))


@router.delete("/api/devices/{device_id}", status_code=204, dependencies=[_managers], summary="注销定位设备")
def remove_device(device_id: int, session: SessionDep) -> Response:
    service.remove_device(session, device_id=device_id)
    return Response(status_code=204)


@router.post("/api/shifts", response_model=ShiftRead, status_code=201, dependencies=[_managers], summary="排班")
def add_shift(body: ShiftCreate, session: SessionDep, clock: ClockDep) -> ShiftRead:
    user = _user_named(session, body.username)
    shift = service.add_shift(
        session, user=user, starts_at=ensure_aware(body.starts_at), ends_at=ensure_aware(body.ends_at), clock=clock
    )
    return ShiftRead(
        id=shift.id, user_id=user.id, full_name=user.full_name, starts_at=shift.starts_at, ends_at=shift.ends_at
    )
