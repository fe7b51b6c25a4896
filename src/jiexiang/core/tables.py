"""Reading the tables people actually send: CSV in UTF-8 (with or without BOM) or GBK/GB18030,
comma, tab or semicolon separated, quoted as RFC 4180 says, and XLSX; small ones whole, large ones streamed. And
writing tables, the one way the platform makes spreadsheets (layer exports, assessment tables, quarantine, what a
screen shows): XLSX or CSV, with text that a spreadsheet would take for a formula kept as text."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from pydantic import BaseModel

from jiexiang.core.errors import InvalidInput


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not) if it decodes, else GB18030 (a superset of GBK, as Chinese Excel saves)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _dialect(sample: str) -> type[csv.Dialect]:
    """RFC 4180 (quotes doubled inside quoted fields) with the separator the header line uses most. Only the
    separator is guessed: csv.Sniffer also guesses the quoting and gets "" inside quotes wrong."""
    first_line = sample.split("\n", 1)[0]
    delimiter = max(",\t;", key=first_line.count)

    class Dialect(csv.excel):
        pass

    Dialect.delimiter = delimiter if first_line.count(delimiter) else ","
    Dialect.strict = True  # a broken quote is an error for that row, not a silently shifted row
    return Dialect


class RejectedRow(BaseModel):
    """A row an import left out, and why (in Chinese, for the people who fix the source)."""

    row: int  # as a spreadsheet numbers it
    problem: str


@dataclass(frozen=True)
class BadRow:
    """A CSV row that cannot be read as the header says: broken quoting, or more or fewer fields."""

    problem: str  # Chinese, for the people who fix the source
    cells: list[str]


def _checked(rows: Iterator[list[str]], width: int) -> Iterator[list[str] | BadRow]:
    """The rows, each bad one replaced by a BadRow; reading goes on after it."""
    while True:
        try:
            cells = next(rows)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadRow(f"引号不成对或格式错误（{exc}）", [])
            continue
        if cells and any(c.strip() for c in cells) and len(cells) != width:
            problem = f"有 {len(cells)} 个字段，表头有 {width} 个（内容里的逗号或引号多半没有按规范加引号）"
            yield BadRow(problem, cells)
            continue
        yield cells


def read_csv_rows(data: bytes) -> list[list[str]]:
    """All rows of a small CSV, header first; a row that cannot be read is an error naming its line."""
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text), _dialect(text[:4096]))
    try:
        header = next(reader)
    except StopIteration:
        return []
    except csv.Error as exc:
        raise InvalidInput(f"CSV 文件格式有误（表头）：{exc}") from exc
    rows: list[list[str]] = [header]
    for number, row in enumerate(_checked(reader, len(header)), start=2):
        if isinstance(row, BadRow):
            raise InvalidInput(f"CSV 文件第 {number} 行：{row.problem}", code="bad_csv_row")
        rows.append(row)
    return rows


# ---- matching the many header spellings of exported tables to the fields a reader needs ----------------------

_NOISE = re.compile(r"[\s（）()【】\[\]:：*＊]")


def _clean(header: str) -> str:
    return _NOISE.sub("", header).lower()


def match_columns(header: Sequence[str], variants: Mapping[str, Sequence[str]]) -> dict[str, int]:
    """field → column index, for every field whose header (any listed variant) is present."""
    cleaned = [_clean(h) for h in header]
    found: dict[str, int] = {}
    for field, names in variants.items():
        for name in names:
            target = _clean(name)
            if target in cleaned:
                found[field] = cleaned.index(target)
                break
    return found


def cell(cells: Sequence[Any], columns: Mapping[str, int], field: str) -> Any:
    index = columns.get(field)
    if index is None or index >= len(cells):
        return None
    value = cells[index]
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def text_of(value: Any) -> str | None:
    """Cell as text; integral floats (Excel numbers) without ".0"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip() or None


def number_of(value: Any) -> float | None:
    """Cell as a number; None when empty; ValueError when it is not a number."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return float(value)


@contextmanager
def open_matched(
    path: Path, variants: Mapping[str, Sequence[str]], *, required: Sequence[str], what: str
) -> Iterator[tuple[dict[str, int], Iterator[tuple[int, list[Any] | BadRow]]]]:
    """`open_table`, its header matched to the fields (`match_columns`): a file without the `required` columns is
    refused, in Chinese, as not being `what` (naming the columns missing and those it has)."""
    with open_table(path) as (header, rows):
        columns = match_columns(header, variants)
        missing = [variants[f][0] for f in required if f not in columns]
        if missing:
            have = "、".join(map(str, header))
            raise InvalidInput(f"不是{what}：缺少列 {'、'.join(missing)}（现有列：{have}）")
        yield columns, rows


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
def open_table(path: Path) -> Iterator[tuple[list[str], Iterator[tuple[int, list[Any] | BadRow]]]]:
    """Header and (spreadsheet row number, cells) of a CSV or the first XLSX sheet, streamed, blank
    rows skipped, a CSV row that cannot be read as a BadRow; the file is closed when the block ends. Row
    numbers are as a spreadsheet shows them."""
    suffix = path.suffix.lower()
    with ExitStack() as stack:
        if suffix == ".csv":
            handle = stack.enter_context(path.open(encoding=_file_encoding(path), newline=""))
            sample = handle.read(8192)
            handle.seek(0)
            reader = csv.reader(handle, _dialect(sample))
            rows: Iterator[Any] = reader
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
            raise InvalidInput(f"CSV 文件格式有误（表头）：{exc}") from exc
        if suffix == ".csv":
            rows = _checked(reader, len(header))

        def body() -> Iterator[tuple[int, list[Any] | BadRow]]:
            for number, cells in enumerate(rows, start=2):
                if isinstance(cells, BadRow) or any(cell is not None and str(cell).strip() for cell in cells):
                    yield number, cells

        yield header, body()


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence[Any]]]]) -> bytes:
    """`sheets` as (name, rows — the first of them the header) written to an XLSX file's bytes: the header
    row frozen, columns wide enough for Chinese headings, and text that starts with "=" kept as text, so that
    opening a file made from people's input runs nothing."""
    book = Workbook()
    book.remove(book.active)
    titles: set[str] = set()
    for name, rows in sheets:
        sheet = book.create_sheet(_sheet_title(name, titles))
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if isinstance(value, str):  # XML 1.0 cannot hold most control characters: shown as �
                    value = _ILLEGAL_IN_XLSX.sub("\ufffd", value)
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


def _sheet_title(name: str, taken: set[str]) -> str:
    """Excel's rules for a sheet name: at most 31 characters, none of []:*?/\\ nor control characters, unique in
    the workbook (a repeated name gets " (2)" and so on)."""
    base = _ILLEGAL_IN_XLSX.sub("", re.sub(r"[\[\]:*?/\\]", "-", name)).strip() or "表"
    title, number = base[:31], 1
    while title.casefold() in taken:
        number += 1
        suffix = f" ({number})"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.casefold())
    return title


# Control characters other than tab, newline and carriage return cannot be written into an XLSX (XML 1.0).
_ILLEGAL_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# What a spreadsheet may run as a formula when it opens a CSV (CWE-1236).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """`value` as a CSV cell that a spreadsheet shows as the text it is: text starting like a formula gets a
    leading apostrophe (numbers stay numbers)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def csv_bytes(rows: Iterable[Sequence[Any]]) -> bytes:
    """Rows (the first of them the header) as CSV bytes for Excel: UTF-8 with BOM, formula-looking text kept as
    text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([csv_safe(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")  # with BOM, so that Excel shows the Chinese right
