"""Request plumbing every domain's routes share: the session (one request = one transaction),
settings, clock and paging parameters, all read from the app built by `create_app`."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Query, Request
from pydantic import BaseModel
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import Clock


def _session(request: Request) -> Iterator[Session]:
    session: Session = request.app.state.session_factory()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _clock(request: Request) -> Clock:
    clock: Clock = request.app.state.clock
    return clock


# "function" scope: commit before the response is sent, so a failed commit is reported, not hidden.
SessionDep = Annotated[Session, Depends(_session, scope="function")]
SettingsDep = Annotated[Settings, Depends(_settings)]
ClockDep = Annotated[Clock, Depends(_clock)]


class Paging(BaseModel):
    page: int
    page_size: int


def _paging(
    page: Annotated[int, Query(ge=1, description="页码，从 1 开始")] = 1,
    page_size: Annotated[int, Query(ge=1, le=1000, description="每页条数，默认 500，最多 1000")] = 500,
) -> Paging:
    return Paging(page=page, page_size=page_size)


PagingDep = Annotated[Paging, Depends(_paging)]
