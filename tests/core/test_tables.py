"""Tables in and out: CSV quoted as RFC 4180 says (and rows that cannot be read told apart, not shifted), and
exports that a spreadsheet opens without running anything."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from jiexiang.core.errors import InvalidInput
from jiexiang.core.tables import BadRow, csv_bytes, open_table, read_csv_rows, xlsx_bytes

QUOTED = '编号,内容,地址\nW1,"居民说""快来,这里""",光明胡同1号\nW2,普通,力学胡同\n'


def test_doubled_quotes_inside_a_quoted_field_do_not_shift_the_columns(tmp_path: Path) -> None:
    path = tmp_path / "quoted.csv"
    path.write_text(QUOTED, "utf-8")
    with open_table(path) as (header, rows):
        assert header == ["编号", "内容", "地址"]
        assert list(rows) == [(2, ["W1", '居民说"快来,这里"', "光明胡同1号"]), (3, ["W2", "普通", "力学胡同"])]
    assert read_csv_rows(QUOTED.encode())[1] == ["W1", '居民说"快来,这里"', "光明胡同1号"]


def test_rows_that_cannot_be_read_as_the_header_says_are_told_apart(tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_text('编号;内容;地址\nW1;多了一列;光明胡同;多余\nW2;"引号"没关好;力学胡同\nW3;好的;府右街\n', "gb18030")
    with open_table(path) as (_, rows):
        read = list(rows)
    assert [number for number, _ in read] == [2, 3, 4]
    assert isinstance(read[0][1], BadRow) and "有 4 个字段，表头有 3 个" in read[0][1].problem
    assert isinstance(read[1][1], BadRow) and "引号" in read[1][1].problem
    assert read[2][1] == ["W3", "好的", "府右街"]  # reading goes on after a bad row
    with pytest.raises(InvalidInput, match="第 2 行"):
        read_csv_rows(b"a,b\n1,2,3\n")  # a small table (places) is all or nothing


def test_csv_exports_keep_formula_looking_text_as_text() -> None:
    rows = [
        ["名称", "数量"],
        ['=HYPERLINK("http://x")', 3],
        ["+86 138", -5],
        ["@SUM(A1)", 1.5],
        ["\tTAB", 0],
        ["正常", 1],
    ]
    read = list(csv.reader(io.StringIO(csv_bytes(rows).decode("utf-8-sig"))))
    assert [r[0] for r in read[1:]] == ['\'=HYPERLINK("http://x")', "'+86 138", "'@SUM(A1)", "'\tTAB", "正常"]
    assert read[2][1] == "-5"  # numbers stay numbers


def test_xlsx_exports_take_control_characters_and_formulas_as_text(tmp_path: Path) -> None:
    data = xlsx_bytes([("表", [["内容"], ["坏字符\x00\x07在此"], ["=1+1"]])])
    (tmp_path / "out.xlsx").write_bytes(data)
    sheet = load_workbook(tmp_path / "out.xlsx").active
    assert sheet is not None
    assert (
        sheet["A2"].value == "坏字符\ufffd\ufffd在此" and sheet["A3"].value == "=1+1" and sheet["A3"].data_type == "s"
    )


def test_sheet_names_follow_excel_s_rules(tmp_path: Path) -> None:
    name = "按日按专题统计的案件数量与超期情况一览表格（含全部社区和街巷）"  # longer than 31 characters
    (tmp_path / "out.xlsx").write_bytes(xlsx_bytes([(name, [["a"]]), (name, [["b"]]), ("考核:11/月", [["c"]])]))
    titles = load_workbook(tmp_path / "out.xlsx").sheetnames
    assert titles == [name[:31], name[:27] + " (2)", "考核-11-月"]
