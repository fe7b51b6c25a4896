"""Field force API shapes."""

from __future__ import annotations

from pydantic import BaseModel, Field

from jiexiang.core.time import LocalDateTime
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.workforce.enums import PositionSource


class LiveWorkerRead(BaseModel):
    user_id: int
    username: str
    full_name: str
    role: Role
    on_duty: bool
    lon: float
    lat: float
    recorded_at: LocalDateTime
    age_seconds: int
    stale: bool  # no fix for a while: the phone may be off or out of reach
    accuracy_m: float | None
    speed_mps: float | None
    battery: float | None
    source: PositionSource
    alley_id: int | None
    alley_name: str | None


class DeviceCreate(BaseModel):
    username: str
    device_id: str = Field(min_length=1, max_length=64)
    label: str | None = None


class DeviceRead(BaseModel):
    id: int
    device_id: str
    user_id: int
    username: str
    full_name: str
    label: str | None
    last_seen_at: LocalDateTime | None


class ShiftCreate(BaseModel):
    username: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime


class ShiftRead(BaseModel):
    id: int
    user_id: int
    full_name: str
    starts_at: LocalDateTime
    ends_at: LocalDateTime


class FixCreate(BaseModel):
    """One fix from the project's own mobile page (browser geolocation)."""

    timestamp: float | str  # seconds or milliseconds since 1970, or ISO 8601
    lat: float
    lon: float
    accuracy: float | None = None
    speed: float | None = None  # m/s, as the browser gives it
    heading: float | None = None
    altitude: float | None = None
    battery: float | None = None  # percent


class TrackRead(BaseModel):
    accepted: int
    rejected: dict[str, int]


class AlleyCoverageRead(BaseModel):
    alley_id: int
    alley_name: str
    length_m: float
    is_back_alley: bool
    chief_name: str | None
    walked: bool  # on the day asked about
    walked_by: list[str]
    last_walked_at: LocalDateTime | None
    last_walked_by: str | None


class WorkerCoverageRead(BaseModel):
    user_id: int
    full_name: str
    alleys_walked: list[str]
    metres: float  # of alley centre line covered


class ChiefCoverageRead(BaseModel):
    user_id: int
    full_name: str
    walked: list[str]  # their own alleys they walked that day
    missed: list[str]  # and those they did not


class CoverageRead(BaseModel):
    day: str
    alleys: list[AlleyCoverageRead]
    unwalked: list[str]  # alleys nobody walked that day
    workers: list[WorkerCoverageRead]
    chiefs: list[ChiefCoverageRead]


class WorkerAlertRead(BaseModel):
    user_id: int
    full_name: str
    kind: str  # silent: no fix for a while; left_area: outside the assigned alleys and grid cells
    since: LocalDateTime | None


class AreasUpdate(BaseModel):
    alley_ids: list[int] = []
    grid_cell_ids: list[int] = []
