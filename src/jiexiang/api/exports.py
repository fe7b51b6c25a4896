"""Export what a screen shows to XLSX: the web app sends the tables it displays (already filtered and named
in Chinese), the server writes them with openpyxl — one sheet per table — so that spreadsheets made here
open the same everywhere."""

from __future__ import annotations

import io
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from pydantic import BaseModel, Field

from jiexiang.domains.accounts.api import CurrentUser

router = APIRouter(prefix="/api/exports", tags=["导出"])

Cell = str | int | float | bool | None
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class Sheet(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=31, pattern=r"^[^\[\]:*?/\\]+$")]  # Excel's rules
    columns: Annotated[list[str], Field(min_length=1, max_length=100)]
    rows: Annotated[list[list[Cell]], Field(max_length=100_000)]


class Export(BaseModel):
    file_name: Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[^/\\]+$")]
    sheets: Annotated[list[Sheet], Field(min_length=1, max_length=20)]


@router.post("/xlsx", summary="把页面上显示的表格导出为 Excel（XLSX）", response_class=Response)
def export_xlsx(body: Export, user: CurrentUser) -> Response:  # any logged-in account
    book = Workbook()
    book.remove(book.active)
    for table in body.sheets:
        sheet = book.create_sheet(table.name)
        rows: list[list[Cell]] = [list(table.columns), *table.rows]
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row[: len(table.columns)], start=1):
                cell = sheet.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text: nothing runs when opened
        for i, column in enumerate(table.columns, start=1):
            sheet.column_dimensions[get_column_letter(i)].width = max(10, min(40, len(column) * 2 + 2))
        sheet.freeze_panes = "A2"
    data = io.BytesIO()
    book.save(data)
    name = quote(f"{body.file_name}.xlsx")
    return Response(
        data.getvalue(), media_type=XLSX, headers={"Content-Disposition": f"attachment; filename*=UTF-8''{name}"}
    )
