"""The live stream (SSE): each connection receives only what its account may see — workers' positions only for those
who dispatch them, cases only within the account's places or unit, an urgent-case offer only for the worker asked
and the dispatchers, notices to residents only those of their own alley and community (and the subdistrict's)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from jiexiang.core.errors import NotAuthenticated
from jiexiang.core.live import LiveHub
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.models import User
from jiexiang.domains.accounts.permissions import Permission, can
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places import households
from jiexiang.domains.places import service as places

router = APIRouter(tags=["外勤"])


@dataclass(frozen=True)
class Home:
    """Where a resident's household is, as notices are addressed."""

    alley_id: int | None
    community_id: int | None


@dataclass(frozen=True)
class Viewer:
    """What one connection's account may see, worked out once when it connects."""

    user_id: int
    scope: Scope
    alley_ids: set[int] | None  # the alleys of a place-limited account; None: not limited
    sees_positions: bool
    dispatches: bool
    sees_cases: bool
    home: Home | None = None  # a resident's: the notices of its alley and community are theirs

    @classmethod
    def of(cls, user: User, alley_ids: set[int] | None, home: Home | None = None) -> Viewer:
        return cls(
            user_id=user.id,
            scope=accounts.scope_of(user),
            alley_ids=alley_ids,
            sees_positions=can(user.role, Permission.workforce_track),
            dispatches=can(user.role, Permission.workforce_manage),
            sees_cases=can(user.role, Permission.cases_read),
            home=home,
        )

    def _notice_for_me(self, data: dict[str, Any]) -> bool:
        alley_id, community_id = data.get("alley_id"), data.get("community_id")
        if alley_id is None and community_id is None:
            return True  # to the whole subdistrict
        if self.home is not None:
            return alley_id == self.home.alley_id or community_id == self.home.community_id
        return self.sees_cases and self._in_places(alley_id, community_id)

    def _in_places(self, alley_id: int | None, community_id: int | None = None) -> bool:
        if self.alley_ids is None:
            return True
        return alley_id in self.alley_ids or community_id in self.scope.community_ids

    def accepts(self, event: dict[str, Any]) -> bool:
        data = event.get("data") or {}
        kind = event.get("type")
        if kind == "notice":
            return self._notice_for_me(data)
        if not self.sees_cases:
            return False
        if kind == "position":
            return self.sees_positions and self._in_places(data.get("alley_id"))
        if kind == "case":
            unit = self.scope.unit_id
            in_unit = unit is None or data.get("handling_unit_id") == unit
            return in_unit and self._in_places(data.get("alley_id"), data.get("community_id"))
        if kind == "offer":
            return self.dispatches or data.get("user_id") == self.user_id
        if kind == "warning":  # about a cell anywhere in the subdistrict: for accounts that see all of it
            return self.alley_ids is None and self.scope.unit_id is None
        return kind == "analytics"  # only says "results were recomputed": reload what you may see


@router.get(
    "/api/live/stream",
    summary="实时事件流（SSE：人员位置、案件、派单、预警、通知），只含本账号可见的事件；EventSource 用 ?token= 登录",
)
async def live_stream(request: Request, token: Annotated[str | None, Query()] = None) -> StreamingResponse:
    bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip() or token
    if not bearer:
        raise NotAuthenticated("请先登录", code="not_authenticated")

    def viewer() -> Viewer:
        with request.app.state.read_session_factory() as session:
            user = accounts.user_from_token(
                session, token=bearer, settings=request.app.state.settings, clock=request.app.state.clock
            )
            if can(user.role, Permission.cases_read):
                return Viewer.of(user, places.alley_ids_in(session, scope=accounts.scope_of(user)))
            # Anyone else (a resident) hears of the notices for their household's alley and community.
            household = households.of_user(session, user_id=user.id)
            home = Home(household.address.alley_id, household.address.community_id) if household else None
            return Viewer.of(user, set(), home=home)

    watcher = await run_in_threadpool(viewer)
    hub: LiveHub = request.app.state.live
    return StreamingResponse(
        _events(hub, watcher.accepts),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


async def _events(
    hub: LiveHub, accepts: Callable[[dict[str, Any]], bool], heartbeat: float = 15.0
) -> AsyncIterator[str]:
    async with hub.subscribe(accepts) as queue:
        yield ": connected\n\n"
        while True:
            try:
                event = await asyncio.wait_for(queue.get(), timeout=heartbeat)
            except TimeoutError:
                yield ": heartbeat\n\n"  # keeps proxies from closing an idle stream
                continue
            yield f"event: {event['type']}\ndata: {json.dumps(event['data'], ensure_ascii=False)}\n\n"
