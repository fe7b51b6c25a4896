"""The application factory: `create_app(settings)` wires database, clock, calendar and routes."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import anyio
from fastapi import FastAPI
from fastapi.middleware.gzip import GZipMiddleware
from sqlalchemy.orm import Session, sessionmaker

from jiexiang import __version__
from jiexiang.api import errors, exports, home, live, reports, system, web
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, read_only
from jiexiang.core.errors import ConfigurationError
from jiexiang.core.events import EventBus
from jiexiang.core.jobs import JobContext, Scheduler
from jiexiang.core.live import LiveHub, relay
from jiexiang.core.protect import protector
from jiexiang.core.ratelimit import rate_limiter
from jiexiang.core.time import Clock, SystemClock
from jiexiang.domains.accounts.api import router as accounts_router
from jiexiang.domains.cases.api import router as cases_router
from jiexiang.domains.cases.calendars import CalendarCache
from jiexiang.domains.cases.sealing import check_readable
from jiexiang.domains.dispatch import subscribers as dispatch_subscribers
from jiexiang.domains.dispatch.api import router as dispatch_router
from jiexiang.domains.engagement.api import router as engagement_router
from jiexiang.domains.hotline.api import router as hotline_router
from jiexiang.domains.insights.api import router as insights_router
from jiexiang.domains.parking import subscribers as parking_subscribers
from jiexiang.domains.parking.api import router as parking_router
from jiexiang.domains.parking.use_api import router as parking_use_router
from jiexiang.domains.places.api import households_router
from jiexiang.domains.places.api import router as places_router
from jiexiang.domains.stewardship.api import router as stewardship_router
from jiexiang.domains.waste.api import router as waste_router
from jiexiang.domains.workforce.api import osmand_root
from jiexiang.domains.workforce.api import router as workforce_router
from jiexiang.domains.workforce.mqtt import OwnTracksSubscriber
from jiexiang.domains.workforce.owntracks import LocateRequests
from jiexiang.jobs import scheduled_jobs
from jiexiang.open311 import api as open311

log = logging.getLogger(__name__)


def check_settings(settings: Settings) -> None:
    """Refuse configurations that are unsafe outside a demo or a developer's machine, or unreadable."""
    try:
        settings.trusted_proxy_networks  # noqa: B018 - parsed here so that a typo stops the start, not a request
    except ValueError as exc:
        raise ConfigurationError(f"JIEXIANG_TRUSTED_PROXIES 中有无效的地址或网段：{exc}", code="bad_proxies") from exc
    if settings.mode is Mode.production and settings.uses_default_secret:
        raise ConfigurationError(
            "生产模式下不能使用默认密钥：请设置环境变量 JIEXIANG_SECRET_KEY（一段足够长的随机字符串），"
            "或以演示/开发模式（JIEXIANG_MODE=demo / dev）运行",
            code="default_secret",
        )


def check_stored_data(sessions: sessionmaker[Session], settings: Settings) -> None:
    """Refuse to serve what cannot be read: personal data sealed under a key that is no longer configured."""
    with sessions() as session:
        check_readable(session, protector(settings.secret_key, settings.previous_keys))


def create_app(settings: Settings, *, clock: Clock | None = None, engine: Any = None) -> FastAPI:
    check_settings(settings)
    owns_engine = engine is None
    if engine is None:
        engine = create_db_engine(
            settings.database_url, pool_size=settings.db_pool_size, busy_seconds=settings.db_busy_seconds
        )

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        try:
            await anyio.to_thread.run_sync(check_stored_data, app.state.read_session_factory, settings)
        except BaseException:
            if owns_engine:
                engine.dispose()
            raise
        await app.state.live.start()
        app.state.scheduler.start()
        owntracks = app.state.owntracks = _owntracks_subscriber(app) if app.state.settings.mqtt_url else None
        if owntracks is not None:
            owntracks.start()
        yield
        if owntracks is not None:
            owntracks.stop()
        app.state.scheduler.stop()
        app.state.locate_requests.close()
        await app.state.live.stop()
        if owns_engine:
            engine.dispose()

    app = FastAPI(
        lifespan=lifespan,
        title="街巷 Jiexiang",
        version=__version__,
        description="街道背街小巷治理平台 API。演示模式下的数据均为程序生成的虚拟数据。",
        docs_url="/docs",
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.clock = clock or SystemClock()
    app.state.live = LiveHub(settings.redis_url)
    bus = app.state.bus = EventBus()
    app.state.session_factory = create_session_factory(engine, bus=bus)
    app.state.read_session_factory = create_session_factory(read_only(engine))
    jobs = JobContext(sessions=app.state.session_factory, settings=settings, clock=app.state.clock)
    relay(bus, app.state.live)
    dispatch_subscribers.subscribe(bus, jobs)
    parking_subscribers.subscribe(bus, jobs)
    app.state.scheduler = Scheduler(scheduled_jobs(), jobs)
    app.state.locate_requests = LocateRequests(settings.redis_url)
    # Requests that use the database take a slot first, so that no more of them hold connections than the pool
    # has: a request never waits for a connection while holding a worker thread another one needs to finish.
    app.state.db_slots = anyio.Semaphore(settings.db_pool_size)
    app.state.calendars = CalendarCache(settings)
    app.state.rate_limiter = rate_limiter(redis_url=settings.redis_url, limit=settings.open311_rate_limit)
    errors.install(app)
    # The map's case points and layers are large JSON; compressed they load several times faster.
    app.add_middleware(GZipMiddleware, minimum_size=2048, compresslevel=6)  # 9 costs 6× the time for 1 % less
    web_dir = settings.web_dir or web.DIST
    serve_web = web.is_built(web_dir)
    if not serve_web:
        app.include_router(home.router)  # a plain front page until the front end is built
    app.include_router(accounts_router)
    app.include_router(places_router)
    app.include_router(households_router)
    app.include_router(cases_router)
    app.include_router(reports.router)
    app.include_router(open311.router)
    app.include_router(workforce_router)
    app.include_router(dispatch_router)
    app.include_router(hotline_router)
    app.include_router(parking_router)
    app.include_router(parking_use_router)
    app.include_router(engagement_router)
    app.include_router(waste_router)
    app.include_router(stewardship_router)
    app.include_router(insights_router)
    app.include_router(exports.router)
    app.include_router(live.router)
    app.include_router(system.router)

    if serve_web:
        web.install(app, web_dir)
    return app


def create_osmand_app(app: FastAPI) -> FastAPI:
    """The OsmAnd / Traccar Client endpoint alone at "/", sharing `app`'s database, clock and live hub, to be
    served on a port of its own (5055 by Traccar's convention) beside `app`."""
    osmand = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)
    osmand.state = app.state
    errors.install(osmand)
    osmand.include_router(osmand_root)
    return osmand


def _owntracks_subscriber(app: FastAPI) -> OwnTracksSubscriber:
    settings: Settings = app.state.settings
    assert settings.mqtt_url is not None
    return OwnTracksSubscriber(
        settings.mqtt_url,
        base_topic=settings.mqtt_base_topic,
        session_factory=app.state.session_factory,
        clock=app.state.clock,
    )
