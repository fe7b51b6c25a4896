"""Request plumbing every domain's routes share: the session (one request = one transaction, reading or
writing by the method), settings, clock, the working calendar and paging parameters, all read from the app built
by `create_app`."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import contextmanager
from ipaddress import ip_address
from pathlib import Path
from typing import Annotated, Any, Protocol
from urllib.parse import quote

from fastapi import Depends, Query, Request, Response, UploadFile
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.config import Settings
from jiexiang.core.db import unit_of_work
from jiexiang.core.paging import Paging
from jiexiang.core.tables import xlsx_bytes
from jiexiang.core.time import Clock, WorkCalendar


async def _db_slot(request: Request) -> AsyncIterator[None]:
    """One of the server's database slots for this request (see `create_app`), waited for without a thread."""
    async with request.app.state.db_slots:
        yield


DbSlot = Annotated[None, Depends(_db_slot, scope="function")]


def _transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    with unit_of_work(factory) as session:
        yield session


def _session(request: Request, _slot: DbSlot) -> Iterator[Session]:
    """GET and HEAD only read (HTTP's safe methods): they never take SQLite's write lock and run READ ONLY on
    PostgreSQL. Every other method writes. A route that must write on GET (a protocol that sends data that
    way) asks for `WriteSessionDep`."""
    reads = request.method in ("GET", "HEAD")
    yield from _transaction(request.app.state.read_session_factory if reads else request.app.state.session_factory)


def _write_session(request: Request, _slot: DbSlot) -> Iterator[Session]:
    yield from _transaction(request.app.state.session_factory)


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


class CalendarSource(Protocol):
    """Where the server's working calendar comes from (`cases.calendars.CalendarCache`, set by `create_app`)."""

    def current(self, session: Session) -> WorkCalendar: ...


def _calendar(request: Request, session: Annotated[Session, Depends(_session, scope="function")]) -> WorkCalendar:
    source: CalendarSource = request.app.state.calendars
    return source.current(session)


# "function" scope: commit before the response is sent, so a failed commit is reported, not hidden.
SessionDep = Annotated[Session, Depends(_session, scope="function")]
WriteSessionDep = Annotated[Session, Depends(_write_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(_settings)]
ClockDep = Annotated[Clock, Depends(_clock)]
CalendarDep = Annotated[WorkCalendar, Depends(_calendar)]


def _paging(
    page: Annotated[int, Query(ge=1, le=1_000_000, description="页码，从 1 开始")] = 1,
    page_size: Annotated[int, Query(ge=1, le=1000, description="每页条数，默认 500，最多 1000")] = 500,
) -> Paging:
    return Paging(page=page, page_size=page_size)


PagingDep = Annotated[Paging, Depends(_paging)]


def client_address(request: Request) -> str:
    """The client's address: the connecting one, or — when that is a trusted proxy (JIEXIANG_TRUSTED_PROXIES) —
    the nearest address in X-Forwarded-For that is not itself a trusted proxy. A header from anybody else is
    ignored: otherwise any client could claim any address and escape per-address limits."""
    settings: Settings = request.app.state.settings
    trusted = settings.trusted_proxy_networks
    peer = request.client.host if request.client else "unknown"

    def is_trusted(address: str) -> bool:
        try:
            ip = ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in trusted)

    if not is_trusted(peer):
        return peer
    hops = [h.strip() for h in ",".join(request.headers.getlist("x-forwarded-for")).split(",") if h.strip()]
    for hop in reversed(hops):
        if not is_trusted(hop):
            return hop
    return hops[0] if hops else peer


@contextmanager
def uploaded_table(file: UploadFile) -> Iterator[Path]:
    """An uploaded CSV or XLSX as a file the table readers can stream (`core.tables.open_table`), for the block."""
    suffix = Path(file.filename or "").suffix.lower()
    with tempfile.NamedTemporaryFile(suffix=suffix if suffix in (".csv", ".xlsx") else ".csv") as handle:
        shutil.copyfileobj(file.file, handle)
        handle.flush()
        yield Path(handle.name)


XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_download(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]], *, file_name: str) -> Response:
    """A workbook to download under a Chinese file name (RFC 5987 `filename*`, which every browser reads)."""
    name = quote(f"{file_name}.xlsx")
    return Response(
        xlsx_bytes(sheets),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"},
    )
