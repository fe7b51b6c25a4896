"""Exporting what a screen shows: the tables come back as an XLSX workbook, one sheet each."""

from __future__ import annotations

import io
from urllib.parse import unquote

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from tests.factories import Town
from tests.helpers import login


def test_tables_shown_become_sheets(client: TestClient, town: Town) -> None:
    body = {
        "file_name": "统计分析 2026-11",
        "sheets": [
            {"name": "按日", "columns": ["日期", "案件数"], "rows": [["2026-11-26", 3], ["2026-11-27", 5]]},
            {"name": "考核", "columns": ["单位", "结案率"], "rows": [["市政", 0.92], ["水务", None], ["=1+1", 1]]},
        ],
    }
    answer = client.post("/api/exports/xlsx", json=body, headers=login(client, "operator"))
    assert answer.status_code == 200
    assert unquote(answer.headers["content-disposition"]).endswith("统计分析 2026-11.xlsx")
    book = load_workbook(io.BytesIO(answer.content))
    assert book.sheetnames == ["按日", "考核"]
    assert [list(r) for r in book["按日"].iter_rows(values_only=True)] == [
        ["日期", "案件数"],
        ["2026-11-26", 3],
        ["2026-11-27", 5],
    ]
    assert list(book["考核"].iter_rows(values_only=True))[2] == ("水务", None)
    assert book["考核"]["A4"].data_type == "s" and book["考核"]["A4"].value == "=1+1"  # text, not a formula


def test_bad_exports_are_refused_in_chinese(client: TestClient, town: Town) -> None:
    headers = login(client, "operator")
    bad_name = {"file_name": "x", "sheets": [{"name": "a/b", "columns": ["c"], "rows": []}]}
    answer = client.post("/api/exports/xlsx", json=bad_name, headers=headers)
    assert answer.status_code == 422 and answer.json()["message"]
    assert client.post("/api/exports/xlsx", json={"file_name": "x", "sheets": []}, headers=headers).status_code == 422
    assert client.post("/api/exports/xlsx", json=bad_name).status_code == 401
