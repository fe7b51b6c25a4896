"""The one typed Settings object; read from `JIEXIANG_*` environment variables only when asked."""

from __future__ import annotations

from enum import StrEnum
from functools import lru_cache
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Literal

from pydantic import Field, NonNegativeInt
from pydantic_settings import BaseSettings, SettingsConfigDict

# A secret everybody can read in the source code; only acceptable for the demo and development.
DEFAULT_SECRET_KEY = "jiexiang-insecure-default-secret-change-me"


class Mode(StrEnum):
    demo = "demo"
    dev = "dev"
    production = "production"


class Settings(BaseSettings):
    """Everything configurable about one installation."""

    model_config = SettingsConfigDict(env_prefix="JIEXIANG_", extra="ignore")

    mode: Mode = Mode.production
    database_url: str = Field(
        default="sqlite:///./var/jiexiang.db",
        description="SQLAlchemy URL; e.g. postgresql+psycopg://user@host/db for production.",
    )
    # Requests each server process works on at once (the rest wait their turn without holding a connection),
    # and how long a writer waits for what another holds (SQLite's write lock, a PostgreSQL row lock) before
    # the request is answered 503 "busy, retry".
    db_pool_size: int = Field(default=20, ge=1, le=200)
    db_busy_seconds: float = Field(default=30, gt=0)
    secret_key: str = DEFAULT_SECRET_KEY
    # Earlier secret keys, comma separated, newest first: personal data sealed under them can still be read
    # (and is re-sealed under the current key by `jiexiang secrets rotate`). Tokens they signed are not accepted.
    previous_secret_keys: str = ""
    # Reverse proxies (addresses or networks, comma separated) whose X-Forwarded-For is believed; from anybody
    # else the header is ignored and the connecting address is the client's.
    trusted_proxies: str = ""
    # Failed logins: an account is locked for a while after this many in a row, an address after more (an
    # office behind one NAT shares it); each further failure doubles the lock, up to an hour.
    login_max_failures: int = Field(default=5, ge=1)
    login_max_failures_per_address: int = Field(default=30, ge=1)
    access_token_minutes: int = Field(default=12 * 60, ge=1)
    timezone: str = "Asia/Shanghai"
    # Working periods for 工作时 arithmetic, local time, comma separated.
    working_hours: str = "08:30-12:00,13:30-17:30"
    # The deadline sweep: how often the server runs it (0: never), and how near a deadline is "due soon".
    sweep_minutes: float = Field(default=10, ge=0)
    due_soon_hours: float = Field(default=4, gt=0)
    # Where report photos are stored (content-addressed JPEGs, metadata stripped).
    media_dir: Path = Path("./var/media")
    # Extra folder of yearly calendar files (YYYY.toml) that add to or override the shipped ones.
    calendar_dir: Path | None = None
    # An optional raster basemap under the command centre's own vector data: an XYZ tile URL template in Web
    # Mercator ({z}/{x}/{y}), e.g. 天地图's vec_w/img_w with your tk key, or any WMTS served that way; its
    # datum (gcj02 for AutoNavi-style Chinese basemaps, whose tiles are offset), and the credit it requires.
    basemap_url: str | None = None
    basemap_crs: Literal["wgs84", "gcj02"] = "wgs84"
    basemap_attribution: str = ""
    # The built command centre (index.html and assets/); by default the one built into the package.
    web_dir: Path | None = None
    # Redis (e.g. redis://127.0.0.1:6379/0): shared state between server processes, such as API rate
    # limits. Without it each process keeps its own counts, which is right for a single process.
    redis_url: str | None = None
    # The MQTT broker OwnTracks apps publish to (mqtt://user:password@host:1883, or mqtts:// for TLS); when
    # set, the server subscribes to <mqtt_base_topic>/+/+ (the topic's user is the worker's account name).
    mqtt_url: str | None = None
    mqtt_base_topic: str = "owntracks"
    # How often the server recomputes hotspots, forecasts and warnings (0: never; `jobs analytics` by hand).
    analytics_hours: float = Field(default=24, ge=0)
    # Workers' raw position fixes are kept this many days, then thinned to the shape of each day's track.
    positions_raw_days: int = Field(default=30, ge=1)
    # Urgent cases are offered to the nearest field worker on duty, who has this long to acknowledge before
    # the next is asked; after this many offers the dispatcher is alerted. The server checks every few seconds.
    dispatch_ack_seconds: int = Field(default=180, ge=10)
    dispatch_max_offers: int = Field(default=3, ge=1)
    dispatch_sweep_seconds: float = Field(default=15, ge=0)
    # Open311 requests per API key per minute (POSTs and GETs together).
    open311_rate_limit: int = Field(default=60, ge=1)
    # Parking permit allocation rules (TOML like domains/parking/data/rules.toml); the shipped ones by default.
    parking_rules: Path | None = None
    # Parking outside a permit's hours: minutes forgiven, then fines that escalate with each violation of a plate
    # within `parking_violation_days` (元; 0 is a warning; the last applies to every later one), and the plate's
    # permits suspended for `parking_suspend_days` from the `parking_suspend_after`-th violation on.
    parking_grace_minutes: int = Field(default=15, ge=0)
    parking_fines: list[NonNegativeInt] = Field(default=[0, 50, 100], min_length=1)
    parking_violation_days: int = Field(default=90, ge=1)
    parking_suspend_after: int = Field(default=3, ge=1)
    parking_suspend_days: int = Field(default=30, ge=1)
    # Garbage-sorting points rules (TOML like domains/waste/data/points.toml); the shipped ones by default.
    waste_points: Path | None = None
    # Ballots on alley rules: more than `quorum` of those entitled must take part and more than `majority` of those
    # taking part must agree (the Organic Law of Residents' Committees: more than half, and more than half).
    # A ballot keeps the values in force when it opened.
    ballot_quorum: float = Field(default=0.5, ge=0, lt=1)
    ballot_majority: float = Field(default=0.5, ge=0, lt=1)
    # The public base URL (e.g. https://jiexiang.example.gov.cn), for Open311 discovery and media links;
    # by default taken from each request.
    public_url: str | None = None
    # Argon2 cost; lower only in tests, where hashing speed matters more than resistance.
    password_time_cost: int = Field(default=3, ge=1)
    password_memory_kib: int = Field(default=65536, ge=8)

    @property
    def uses_default_secret(self) -> bool:
        return self.secret_key == DEFAULT_SECRET_KEY

    @property
    def previous_keys(self) -> tuple[str, ...]:
        return tuple(key.strip() for key in self.previous_secret_keys.split(",") if key.strip())

    @property
    def trusted_proxy_networks(self) -> tuple[IPv4Network | IPv6Network, ...]:
        try:
            return tuple(ip_network(part.strip()) for part in self.trusted_proxies.split(",") if part.strip())
        except ValueError as exc:
            raise ValueError(f"JIEXIANG_TRUSTED_PROXIES: {exc}") from exc


@lru_cache
def get_settings() -> Settings:
    """Settings from the environment, read once, on first use (never at import time)."""
    return Settings()
