"""What the web app and operators ask of the system itself: its front-end configuration and its health."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from jiexiang import __version__
from jiexiang.core.config import Mode
from jiexiang.core.http import SessionDep, SettingsDep

router = APIRouter(prefix="/api", tags=["系统"])


class BasemapRead(BaseModel):
    url: str
    crs: Literal["wgs84", "gcj02"]
    attribution: str | None


class ClientConfigRead(BaseModel):
    basemap: BasemapRead | None
    synthetic_data: bool


class HealthRead(BaseModel):
    status: str
    version: str
    mode: str
    database: str
    synthetic_data: bool


@router.get(
    "/client-config", response_model=ClientConfigRead, summary="前端配置：底图地址、坐标系与版权说明（无需登录）"
)
def client_config(settings: SettingsDep) -> ClientConfigRead:
    basemap = None
    if settings.basemap_url:
        basemap = BasemapRead(
            url=settings.basemap_url, crs=settings.basemap_crs, attribution=settings.basemap_attribution
        )
    return ClientConfigRead(basemap=basemap, synthetic_data=settings.mode is Mode.demo)


@router.get("/health", response_model=HealthRead, summary="健康检查")
def health(session: SessionDep, settings: SettingsDep) -> HealthRead:
    session.execute(text("SELECT 1"))
    return HealthRead(
        status="ok",
        version=__version__,
        mode=settings.mode.value,
        database=session.get_bind().dialect.name,
        synthetic_data=settings.mode is Mode.demo,
    )
