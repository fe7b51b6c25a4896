"""Reading the tables people actually send: CSV in UTF-8 (with or without BOM) or GBK/GB18030,
comma, tab or semicolon separated."""

from __future__ import annotations

import csv
import io
from typing import Any

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
