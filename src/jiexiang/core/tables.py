"""Reading the tables people actually send: CSV in UTF-8 (with or without BOM) or GBK/GB18030,
comma, tab or semicolon separated, and XLSX; small ones whole, large ones streamed. And writing tables to
XLSX, the one way the platform makes spreadsheets (layer exports, assessment tables, what a screen shows)."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from jiexiang.core.errors import InvalidInput


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not) if it decodes, else GB18030 (a superset of GBK, as Chinese Excel saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def read_csv_rows(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    try:
        return list(csv.reader(io.StringIO(text), dialect))
    except csv.Error as exc:
        raise InvalidInput(f"CSV 文件格式有误：{exc}") from exc


def _file_encoding(path: Path) -> str:
    """utf-8-sig if the whole file decodes as UTF-8, else gb18030 (checked in chunks, without loading it)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    with path.open("rb") as handle:
        try:
            while chunk := handle.read(1 << 20):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8-sig"


@contextmanager
def open_table(path: Path) -> Iterator[tuple[list[str], Iterator[tuple[int, list[Any]]]]]:
    """Header and (spreadsheet row number, cells) of a CSV or the first XLSX sheet, streamed, blank
    rows skipped; the file is closed when the block ends. Row numbers are as a spreadsheet shows them."""
    suffix = path.suffix.lower()
    with ExitStack() as stack:
        if suffix == ".csv":
            handle = stack.enter_context(path.open(encoding=_file_encoding(path), newline=""))
            sample = handle.read(8192)
            handle.seek(0)
            try:
                dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
            except csv.Error:
                dialect = csv.excel
            rows: Iterator[list[Any]] = csv.reader(handle, dialect)
        elif suffix in (".xlsx", ".xlsm"):
            try:
                workbook = load_workbook(path, read_only=True, data_only=True)
            except Exception as exc:  # openpyxl raises many kinds for a damaged file
                raise InvalidInput(f"XLSX 文件无法打开：{exc}") from exc
            stack.callback(workbook.close)
            rows = (list(r) for r in workbook.worksheets[0].iter_rows(values_only=True))
        else:
            raise InvalidInput(f"不支持的文件类型“{suffix}”：请使用 CSV 或 XLSX")
        try:
            header = [str(cell or "").strip().lstrip("\ufeff") for cell in next(rows)]
        except StopIteration as exc:
            raise InvalidInput("文件是空的") from exc
        except csv.Error as exc:
            raise InvalidInput(f"CSV 文件格式有误：{exc}") from exc

        def body() -> Iterator[tuple[int, list[Any]]]:
            try:
                for number, cells in enumerate(rows, start=2):
                    if any(cell is not None and str(cell).strip() for cell in cells):
                        yield number, cells
            except csv.Error as exc:
                raise InvalidInput(f"CSV 文件格式有误：{exc}") from exc

        yield header, body()


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """`sheets` as (name, rows — the first of them the header) written to an XLSX file's bytes: the header
    row frozen, columns wide enough for Chinese headings, and text that starts with "=" kept as text, so that
    opening a file made from people's input runs nothing."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets:
        sheet = book.create_sheet(name)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                cell = sheet.cell(r, c, value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # text that looks like a formula stays text
                if r == 1:
                    width = max(10, min(40, len(str(value or "")) * 2 + 2))
                    sheet.column_dimensions[get_column_letter(c)].width = width
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
