"""Report submission: grid workers' patrol reports and residents' snap-and-report (随手拍), with photos."""

from __future__ import annotations

import re
from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel

from jiexiang.core.errors import NotFound
from jiexiang.core.geo import CoordinateSystem
from jiexiang.core.http import ClockDep, SessionDep, SettingsDep
from jiexiang.domains.accounts.dependencies import CurrentUser
from jiexiang.ingest.photos import store_photos
from jiexiang.ingest.submission import ReceiptRead, Submission, submit

router = APIRouter(tags=["上报"])
_HEX = re.compile(r"[0-9a-f]+")


@router.post(
    "/api/reports", response_model=ReceiptRead, status_code=201, summary="上报问题（巡查上报 / 随手拍），可带照片"
)
def create_report(
    user: CurrentUser,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    clock: ClockDep,
    text: Annotated[str, Form(description="问题描述")] = "",
    category: Annotated[str | None, Form(description="问题类别代码（可不填，按描述判断）")] = None,
    lon: Annotated[float | None, Form(description="经度")] = None,
    lat: Annotated[float | None, Form(description="纬度")] = None,
    crs: Annotated[CoordinateSystem, Form(description="坐标系")] = CoordinateSystem.wgs84,
    address: Annotated[str | None, Form(description="地址（没有经纬度时用）")] = None,
    client_id: Annotated[str | None, Form(description="客户端生成的唯一编号，重试时不会重复上报")] = None,
    photos: Annotated[list[UploadFile] | None, File(description="照片（JPEG/PNG/WebP，每张不超过 10 MB）")] = None,
) -> ReceiptRead:
    files = [(p.filename or "photo", p.file.read()) for p in photos or []]
    submission = Submission(
        text=text,
        category=category or None,
        lon=lon,
        lat=lat,
        crs=crs,
        address=address or None,
        client_id=client_id or None,
        photos=files,
    )
    return submit(
        session,
        reference=request.app.state.read_session_factory,
        submission=submission,
        user=user,
        settings=settings,
        clock=clock,
    )


class PhotosRead(BaseModel):
    photos: list[str]


@router.post(
    "/api/photos",
    response_model=PhotosRead,
    status_code=201,
    summary="上传照片（处置前后对比等），返回可在办理案件时引用的名称",
)
def upload_photos(
    user: CurrentUser,
    settings: SettingsDep,
    photos: Annotated[list[UploadFile], File(description="照片（JPEG/PNG/WebP，每张不超过 10 MB）")],
) -> PhotosRead:
    return PhotosRead(
        photos=store_photos([(p.filename or "photo", p.file.read()) for p in photos], media_dir=settings.media_dir)
    )


@router.get("/media/{folder}/{name}", include_in_schema=False, response_class=FileResponse)
def photo(folder: str, name: str, settings: SettingsDep) -> FileResponse:
    """A stored photo. Its name is its content's SHA-256, so the link itself is the permission to see it
    (as for the photo links Open311 publishes); nothing else is reachable through this route."""
    if not (_HEX.fullmatch(folder) and name.endswith(".jpg") and _HEX.fullmatch(name[:-4]) and name.startswith(folder)):
        raise NotFound("照片不存在")
    path = settings.media_dir / folder / name
    if not path.is_file():
        raise NotFound("照片不存在")
    return FileResponse(path, media_type="image/jpeg", headers={"Cache-Control": "public, max-age=31536000, immutable"})
