"""Export what a screen shows to XLSX: the web app sends the tables it displays (already filtered and named
in Chinese) and the server writes them, one sheet per table, so that spreadsheets made here open the same
everywhere."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter
from fastapi.responses import Response
from pydantic import BaseModel, Field

from jiexiang.core.http import xlsx_download
from jiexiang.domains.accounts.dependencies import CurrentUser

router = APIRouter(prefix="/api/exports", tags=["导出"])

Cell = str | int | float | bool | None


class SheetCreate(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=31, pattern=r"^[^\[\]:*?/\\]+$")]  # Excel's rules
    columns: Annotated[list[str], Field(min_length=1, max_length=100)]
    rows: Annotated[list[list[Cell]], Field(max_length=100_000)]


class ExportCreate(BaseModel):
    file_name: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^/\\]+$")]
    sheets: Annotated[list[SheetCreate], Field(min_length=1, max_length=20)]


@router.post("/xlsx", summary="把页面上显示的表格导出为 Excel（XLSX）", response_class=Response)
def export_xlsx(body: ExportCreate, user: CurrentUser) -> Response:  # any logged-in account
    return xlsx_download(
        ((t.name, [t.columns, *(row[: len(t.columns)] for row in t.rows)]) for t in body.sheets),
        file_name=body.file_name,
    )
