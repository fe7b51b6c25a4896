"""Every error leaves the API as JSON {"code", "message" (Chinese), "details"}; logs keep the precise cause."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException

from jiexiang.core.db import is_busy
from jiexiang.core.errors import DomainError, NotAuthenticated, TooManyRequests

log = logging.getLogger("jiexiang.api")

_HTTP_MESSAGES = {
    404: ("not_found", "请求的地址不存在"),
    405: ("method_not_allowed", "不支持该请求方法"),
}


def _body(code: str, message: str, details: Any = None) -> dict[str, Any]:
    return {"code": code, "message": message, "details": details}


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def domain_error(request: Request, exc: DomainError) -> JSONResponse:
        log.info("%s %s -> %s %s", request.method, request.url.path, exc.code, exc.message)
        headers = None
        if isinstance(exc, NotAuthenticated):
            headers = {"WWW-Authenticate": "Bearer"}
        elif isinstance(exc, TooManyRequests):
            headers = {"Retry-After": str(exc.retry_after)}
        return JSONResponse(_body(exc.code, exc.message, exc.details), status_code=exc.http_status, headers=headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"location": ".".join(str(part) for part in error["loc"]), "type": error["type"], "detail": error["msg"]}
            for error in exc.errors()
        ]
        fields = "、".join(e["location"] for e in errors)
        log.info("%s %s -> validation %s", request.method, request.url.path, errors)
        return JSONResponse(_body("validation_error", f"请求参数有误：{fields}", errors), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code, message = _HTTP_MESSAGES.get(exc.status_code, ("http_error", "请求无法处理"))
        return JSONResponse(_body(code, message, exc.detail), status_code=exc.status_code)

    @app.exception_handler(OperationalError)
    @app.exception_handler(PoolTimeout)
    async def database_busy(request: Request, exc: Exception) -> JSONResponse:
        if not is_busy(exc):
            return await unexpected(request, exc)
        log.warning("%s %s -> 503 database busy: %s", request.method, request.url.path, exc)
        return JSONResponse(
            _body("busy", "系统繁忙，请稍后重试（数据正在被其他操作修改）"),
            status_code=503,
            headers={"Retry-After": "1"},
        )

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def value_out_of_range(request: Request, exc: Exception) -> JSONResponse:
        # A number, date or text the database cannot hold (an id of 40 digits, the year 9999 plus a deadline, a
        # string past its column): the request asked for something impossible, nothing was written.
        log.warning("%s %s -> 422 value out of range: %s", request.method, request.url.path, exc)
        return JSONResponse(_body("value_out_of_range", "请求中的数值、日期或文字超出允许的范围"), status_code=422)

    @app.exception_handler(IntegrityError)
    async def integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        # What a service did not foresee but the database's keys caught (a row deleted meanwhile, a value taken
        # by a request at the same moment): nothing was written; the client may look again and retry.
        log.warning("%s %s -> 409 integrity: %s", request.method, request.url.path, exc.orig)
        return JSONResponse(_body("conflict", "数据已被修改或引用的对象不存在，请刷新后重试"), status_code=409)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return JSONResponse(_body("internal_error", "服务器内部错误，请稍后再试或联系管理员"), status_code=500)
