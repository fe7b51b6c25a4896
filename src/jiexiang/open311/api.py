"""Open311 GeoReport v2 under /open311/v2/, so that existing 311 apps and clients work unchanged: every
resource as .json or .xml, JSON lists as top-level arrays, errors as Open311 error lists (400/403/404),
`api_key` from the form body or the query string, empty optional parameters treated as absent, and a rate
limit per API key (per client address for anonymous reads).

Parameters are read by hand rather than declared, so that every malformed value gets an Open311 error in
the requested format instead of the framework's own error shape."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any
from xml.etree import ElementTree

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from jiexiang import __version__
from jiexiang.core.config import Settings
from jiexiang.core.db import is_busy
from jiexiang.core.errors import (
    DomainError,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    PermissionDenied,
    TooManyRequests,
)
from jiexiang.core.http import SessionDep, client_address
from jiexiang.core.ratelimit import RateLimiter
from jiexiang.core.time import Clock, ensure_aware
from jiexiang.domains.accounts.models import ApiKey
from jiexiang.domains.accounts.service import api_key_for
from jiexiang.open311 import requests as open311
from jiexiang.open311.intake import post_request, read_post

log = logging.getLogger(__name__)
router = APIRouter(prefix="/open311/v2", tags=["Open311 GeoReport v2"])

_CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
# XML element names for the members of lists, by the list's name.
_MEMBERS = {
    "service_requests": "request",
    "services": "service",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
}


# ---- rendering -----------------------------------------------------------------------------------


def _render(fmt: str, root: str, body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    if fmt == "xml":
        element = _element(root, body)
        ElementTree.indent(element)
        content = ElementTree.tostring(element, encoding="unicode", xml_declaration=True)
    else:
        content = json.dumps(body, ensure_ascii=False)
    return Response(content, status_code=status, media_type=_CONTENT_TYPES[fmt], headers=headers)


def _element(tag: str, value: Any) -> ElementTree.Element:
    element = ElementTree.Element(tag)
    if isinstance(value, dict):
        for key, item in value.items():
            element.append(_element(key, item))
    elif isinstance(value, list):
        for item in value:
            element.append(_element(_MEMBERS.get(tag, "item"), item))
    elif isinstance(value, bool):
        element.text = "true" if value else "false"
    elif value is not None:
        element.text = str(value)
    return element


def _error_response(fmt: str, error: DomainError) -> Response:
    status = {NotFound: 404, PermissionDenied: 403, NotAuthenticated: 403, TooManyRequests: 429}.get(type(error), 400)
    headers = {"Retry-After": str(error.retry_after)} if isinstance(error, TooManyRequests) else None
    return _render(fmt, "errors", [{"code": status, "description": error.message}], status, headers)


def _format(fmt: str) -> str:
    if fmt not in _CONTENT_TYPES:
        raise NotFound(f"不支持的格式 .{fmt}：请用 .json 或 .xml", code="format")
    return fmt


async def _answer(
    request: Request, fmt: str, root: str, produce: Callable[[], Any], session: Session | None = None
) -> Response:
    """Run `produce` (in a worker thread: it uses the database) and answer in the asked format, errors
    included; on an error nothing of the request is kept."""
    shown = fmt if fmt in _CONTENT_TYPES else "json"
    try:
        _format(fmt)
        return _render(shown, root, await run_in_threadpool(produce))
    except DomainError as error:
        if session is not None:
            session.rollback()
        log.info("open311 %s %s refused: %s (%s)", request.method, request.url.path, error.message, error.code)
        return _error_response(shown, error)
    except (OverflowError, DataError, OperationalError) as error:  # still an Open311 error list, never a crash
        if session is not None:
            session.rollback()
        log.warning("open311 %s %s: %s", request.method, request.url.path, error)
        if isinstance(error, OperationalError):
            if not is_busy(error):
                raise
            return _render(shown, "errors", [{"code": 503, "description": "系统繁忙，请稍后重试"}], 503)
        return _error_response(shown, InvalidInput("请求中的数值、日期或文字超出允许的范围"))


# ---- shared checks -------------------------------------------------------------------------------


def _limit(request: Request, key: ApiKey | None) -> None:
    limiter: RateLimiter = request.app.state.rate_limiter
    who = f"key:{key.id}" if key is not None else f"ip:{client_address(request)}"
    wait = limiter.hit(who)
    if wait is not None:
        raise TooManyRequests(
            f"请求过于频繁，请 {int(wait) + 1} 秒后再试", retry_after=int(wait) + 1, code="rate_limited"
        )


def _key(session: Session, presented: str | None, *, required: bool) -> ApiKey | None:
    if not presented:
        if required:
            raise PermissionDenied("缺少 api_key：提交服务请求需要街道发放的 API 密钥", code="api_key_missing")
        return None
    key = api_key_for(session, key=presented)
    if key is None:
        raise PermissionDenied("api_key 无效或已停用", code="api_key_invalid")
    return key


def _query(request: Request, name: str) -> str | None:
    value = request.query_params.get(name, "").strip()
    return value or None


def _media_base(request: Request) -> str:
    settings: Settings = request.app.state.settings
    base = settings.public_url or str(request.base_url)
    return base.rstrip("/") + "/media"


# ---- resources -----------------------------------------------------------------------------------


@router.get("/discovery.{fmt}", summary="服务发现（discovery）")
async def discovery(request: Request, fmt: str) -> Response:
    settings: Settings = request.app.state.settings
    base = (settings.public_url or str(request.base_url)).rstrip("/")

    def produce() -> dict[str, Any]:
        return {
            "changeset": __version__,
            "contact": "街道城市管理指挥中心",
            "key_service": "API 密钥由街道管理员发放（jiexiang open311 keys create --name 应用名称）",
            "endpoints": [
                {
                    "specification": open311.SPECIFICATION,
                    "url": f"{base}/open311/v2",
                    "changeset": __version__,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        }

    return await _answer(request, fmt, "discovery", produce)


@router.get("/services.{fmt}", summary="服务（问题类别）列表")
async def list_services(request: Request, fmt: str, session: SessionDep) -> Response:
    def produce() -> list[dict[str, Any]]:
        _limit(request, _key(session, _query(request, "api_key"), required=False))
        return open311.services()

    return await _answer(request, fmt, "services", produce, session)


@router.get("/services/{service_code}.{fmt}", summary="服务定义（附加属性）")
async def service_definition(request: Request, service_code: str, fmt: str, session: SessionDep) -> Response:
    def produce() -> dict[str, Any]:
        _limit(request, _key(session, _query(request, "api_key"), required=False))
        return open311.service_definition(service_code)

    return await _answer(request, fmt, "service_definition", produce, session)


@router.get("/requests.{fmt}", summary="查询服务请求")
async def list_requests(request: Request, fmt: str, session: SessionDep) -> Response:
    def produce() -> list[dict[str, Any]]:
        _limit(request, _key(session, _query(request, "api_key"), required=False))
        clock: Clock = request.app.state.clock
        query = _request_query(request)
        return open311.find_requests(session, query=query, now=clock.now(), media_base=_media_base(request))

    return await _answer(request, fmt, "service_requests", produce, session)


@router.post("/requests.{fmt}", summary="提交服务请求（需要 api_key，可附照片 media）")
async def create_request(request: Request, fmt: str, session: SessionDep) -> Response:
    try:
        async with request.form() as form:
            fields = [(name, value) for name, value in form.multi_items() if isinstance(value, str)]
            uploads = [value for _, value in form.multi_items() if isinstance(value, UploadFile)]
            photos = [(upload.filename or "media", await upload.read()) for upload in uploads]
    except Exception as error:  # a malformed body is the client's mistake, not a server error
        log.info("open311 POST: unreadable form: %s", error)
        return _error_response(fmt if fmt in _CONTENT_TYPES else "json", InvalidInput("请求体无法解析"))
    presented = next((value for name, value in fields if name == "api_key" and value.strip()), None)

    def produce() -> list[dict[str, Any]]:
        with request.app.state.read_session_factory() as reading:  # the writing transaction begins later
            key = _key(reading, (presented or _query(request, "api_key") or "").strip(), required=True)
        assert key is not None
        _limit(request, key)
        report, outcome = post_request(
            session,
            reference=request.app.state.read_session_factory,
            post=read_post(fields, photos),
            api_key=key,
            settings=request.app.state.settings,
            clock=request.app.state.clock,
        )
        notice = "已并入同一位置的同类问题，一并处理" if outcome == "merged" else "已受理"
        return [
            {
                "service_request_id": str(report.case_id),
                "service_notice": notice,
                "account_id": None,
                "token": report.external_id,
            }
        ]

    return await _answer(request, fmt, "service_requests", produce, session)


@router.get("/requests/{service_request_id}.{fmt}", summary="查询一个服务请求")
async def get_request(request: Request, service_request_id: str, fmt: str, session: SessionDep) -> Response:
    def produce() -> list[dict[str, Any]]:
        _limit(request, _key(session, _query(request, "api_key"), required=False))
        if not service_request_id.isdigit():
            raise NotFound(f"服务请求 {service_request_id} 不存在", code="request_not_found")
        return open311.request_by_id(session, case_id=int(service_request_id), media_base=_media_base(request))

    return await _answer(request, fmt, "service_requests", produce, session)


@router.get("/tokens/{token}.{fmt}", summary="由令牌查询服务请求编号")
async def get_token(request: Request, token: str, fmt: str, session: SessionDep) -> Response:
    def produce() -> list[dict[str, Any]]:
        _limit(request, _key(session, _query(request, "api_key"), required=False))
        return open311.request_for_token(session, token=token)

    return await _answer(request, fmt, "service_requests", produce, session)


def _request_query(request: Request) -> open311.RequestQuery:
    ids_text = _query(request, "service_request_id")
    ids: list[int] = []
    if ids_text:
        try:
            ids = [int(part) for part in ids_text.split(",") if part.strip()]
        except ValueError:
            raise InvalidInput("service_request_id 应为以逗号分隔的编号", code="bad_parameter") from None
    statuses = [s.strip() for s in (_query(request, "status") or "").split(",") if s.strip()]
    wrong = [s for s in statuses if s not in ("open", "closed")]
    if wrong:
        raise InvalidInput(f"status 只能是 open 或 closed（收到 {'、'.join(wrong)}）", code="bad_parameter")
    codes = [c.strip() for c in (_query(request, "service_code") or "").split(",") if c.strip()]
    return open311.RequestQuery(
        ids=ids,
        service_codes=codes,
        start=_date(request, "start_date"),
        end=_date(request, "end_date"),
        statuses=statuses,
        page=_positive(request, "page", default=1, most=1_000_000),
        page_size=_positive(request, "page_size", default=open311.MAX_PAGE_SIZE, most=open311.MAX_PAGE_SIZE),
    )


def _date(request: Request, name: str) -> datetime | None:
    text = _query(request, name)
    if text is None:
        return None
    try:
        return ensure_aware(datetime.fromisoformat(text.replace(" ", "+")))  # a '+' in a URL arrives as ' '
    except ValueError:
        raise InvalidInput(f"{name} 应为 W3C 日期时间，如 2026-11-01T00:00:00+08:00", code="bad_parameter") from None


def _positive(request: Request, name: str, *, default: int, most: int) -> int:
    text = _query(request, name)
    if text is None:
        return default
    if not text.isdigit() or not 1 <= int(text) <= most:
        raise InvalidInput(f"{name} 应为 1 到 {most} 之间的整数", code="bad_parameter")
    return int(text)
