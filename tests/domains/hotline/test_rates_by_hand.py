"""A small month counted by hand, through the command line as a user would run it: the hotline file and the
callbacks file go in, an appeal is accepted, and `report hotline-rates` must give the hand count."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from jiexiang.core.config import get_settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import SystemClock
from jiexiang.domains.accounts.models import User
from jiexiang.domains.hotline import service
from jiexiang.domains.hotline.enums import TicketAction
from jiexiang.domains.hotline.models import Ticket
from tests.conftest import invoke

HEADER = [
    "工单编号",
    "受理时间",
    "派单时间",
    "诉求类型",
    "紧急程度",
    "诉求内容",
    "问题分类",
    "来电号码",
    "经度",
    "纬度",
    "主办单位",
    "协办单位",
    "首次联系时间",
    "办结时间",
    "办理结果",
]
ROWS = [
    # 城管执法队: T1 contacted in time and finished; T2 contacted one minute past its 24 hours; T3 in time, never
    # called back; T4 appealed (accepted below); T5 the caller of T1 again about the same heap: a repeat.
    [
        "T1",
        "2026-11-02 08:50",
        "2026-11-02 09:00",
        "投诉",
        "",
        "胡同口堆了杂物",
        "堆物堆料",
        "13800000001",
        "116.3680",
        "39.9020",
        "城管执法队",
        "社区居委会、物业",
        "2026-11-02 15:00",
        "2026-11-04 10:00",
        "已解决",
    ],
    [
        "T2",
        "2026-11-03 08:50",
        "2026-11-03 09:00",
        "投诉",
        "",
        "门前乱堆建筑垃圾",
        "堆物堆料",
        "13800000002",
        "116.3600",
        "39.9100",
        "城管执法队",
        "",
        "2026-11-04 09:01",
        "",
        "",
    ],
    [
        "T3",
        "2026-11-05 08:50",
        "2026-11-05 09:00",
        "求助",
        "",
        "楼下堆放旧家具",
        "堆物堆料",
        "13800000003",
        "116.3500",
        "39.9200",
        "城管执法队",
        "",
        "2026-11-05 10:00",
        "",
        "",
    ],
    [
        "T4",
        "2026-11-06 08:50",
        "2026-11-06 09:00",
        "投诉",
        "",
        "要求拆除邻居合法的棚子",
        "堆物堆料",
        "13800000004",
        "116.3400",
        "39.9300",
        "城管执法队",
        "",
        "",
        "",
        "",
    ],
    [
        "T5",
        "2026-11-20 08:50",
        "2026-11-20 09:00",
        "投诉",
        "",
        "胡同口那堆杂物又有了",
        "堆物堆料",
        "13800000001",
        "116.3680",
        "39.9020",
        "城管执法队",
        "",
        "",
        "",
        "",
    ],
    # 房管所: T6 in time; T7 urgent (1 hour) but contacted after two.
    [
        "T6",
        "2026-11-06 08:50",
        "2026-11-06 09:00",
        "投诉",
        "",
        "院里堆满杂物",
        "堆物堆料",
        "13800000006",
        "116.3300",
        "39.9400",
        "房管所",
        "",
        "2026-11-06 11:00",
        "",
        "",
    ],
    [
        "T7",
        "2026-11-07 08:50",
        "2026-11-07 09:00",
        "求助",
        "紧急",
        "院里杂物堵住消防通道",
        "堆物堆料",
        "13800000007",
        "116.3200",
        "39.9500",
        "房管所",
        "",
        "2026-11-07 11:00",
        "",
        "",
    ],
    # October: outside the period.
    [
        "T8",
        "2026-10-30 08:50",
        "2026-10-30 09:00",
        "投诉",
        "",
        "十月的杂物",
        "堆物堆料",
        "13800000008",
        "116.3100",
        "39.9600",
        "房管所",
        "",
        "2026-10-30 10:00",
        "",
        "",
    ],
]
CALLBACKS = [
    ["工单编号", "回访时间", "是否联系", "是否解决", "满意度"],
    ["T1", "2026-11-06 10:00", "是", "是", "满意"],
    ["T2", "2026-11-10 10:00", "是", "否", "不满意"],
    ["T6", "2026-11-12 10:00", "是", "是", "基本满意"],
    ["T7", "2026-11-12 11:00", "否", "否", "不满意"],
    ["T4", "2026-11-12 12:00", "是", "否", "不满意"],  # appealed: counts nowhere
    ["X9", "2026-11-12 12:00", "是", "是", "满意"],  # not one of ours
    ["T3", "2026-11-12 12:00", "是", "是", "很满意"],  # not an answer the city gives: refused
]


def _write(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _accept_appeal(ticket_no: str) -> None:
    engine = create_db_engine(get_settings().database_url)
    try:
        with unit_of_work(create_session_factory(engine)) as session:
            admin = session.scalars(select(User).where(User.username == "boss")).one()
            ticket_id = session.scalars(select(Ticket.id).where(Ticket.ticket_no == ticket_no)).one()
            now = SystemClock().now()
            for action, note in (
                (TicketAction.appeal, "诉求不合理：棚子有合法手续"),
                (TicketAction.accept_appeal, "同意"),
            ):
                service.act(session, ticket_id=ticket_id, step=service.StepCreate(action, note), actor=admin, now=now)
    finally:
        engine.dispose()


@pytest.fixture
def month(database: str, tmp_path: Path) -> Path:
    assert invoke("db", "upgrade")[0] == 0
    code, output = invoke(
        "users",
        "create",
        "--username",
        "boss",
        "--role",
        "admin",
        "--full-name",
        "值班长",
        "--password",
        "a-long-passphrase-1",
    )
    assert code == 0, output
    code, output = invoke("import", "hotline", str(_write(tmp_path / "orders.csv", [HEADER, *ROWS])))
    assert code == 0, output
    _accept_appeal("T4")
    code, output = invoke("import", "callbacks", str(_write(tmp_path / "callbacks.csv", CALLBACKS)))
    assert code == 0, output
    assert "记录 5" in output and "1 行的工单编号不在本系统中（X9）" in output
    assert "第 8 行未导入：满意度“很满意”无法识别" in output
    return tmp_path


def test_the_rates_of_a_month_match_the_hand_count(month: Path) -> None:
    out = month / "rates.csv"
    code, output = invoke(
        "report", "hotline-rates", "--period", "2026-11", "--by", "unit", "--format", "csv", "--out", str(out)
    )
    assert code == 0, output
    rows = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    assert rows[0] == [
        "名称",
        "派单数",
        "响应数",
        "响应率",
        "回访数",
        "解决数",
        "解决率",
        "满意数",
        "基本满意数",
        "不满意数",
        "满意率",
        "综合得分",
        "排名",
    ]
    # 城管执法队: T1, T2, T3 count (T4 appealed, T5 a repeat of T1). Contacted in time: T1, T3 (T2 one minute
    # late). Callbacks T1 (解决, 满意) and T2 (未解决, 不满意); T3 none.
    # 100 × (0.1 × 2/3 + 0.45 × 1/2 + 0.45 × 1/2) = 51.67
    assert rows[1] == ["城管执法队", "3", "2", "0.6667", "2", "1", "0.5", "1", "0", "1", "0.5", "51.67", "1"]
    # 房管所: T6 in time, T7 urgent and late. Callbacks: T6 (解决, 基本满意), T7 (未解决, 不满意).
    # 满意率 = 0.8 / 2; 100 × (0.1 × 0.5 + 0.45 × 0.5 + 0.45 × 0.4) = 45.5
    assert rows[2] == ["房管所", "2", "1", "0.5", "2", "1", "0.5", "0", "1", "1", "0.4", "45.5", "2"]
    assert len(rows) == 3


def test_importing_the_callbacks_again_records_nothing(month: Path) -> None:
    code, output = invoke("import", "callbacks", str(month / "callbacks.csv"))
    assert code == 0 and "记录 0，未变 5" in output, output


def test_the_reply_file_has_the_platform_columns(month: Path) -> None:
    out = month / "replies.xlsx"
    code, output = invoke("hotline", "export-replies", "--from", "2026-11-01", "--to", "2026-11-30", "--out", str(out))
    assert code == 0 and "已导出 1 张工单" in output, output
    sheet = load_workbook(out).active
    assert sheet is not None
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["工单编号", "办理结果", "答复内容", "联系时间", "办结时间", "承办单位", "承办人"],
        ["T1", "已解决", None, "2026-11-02 15:00:00", "2026-11-04 10:00:00", "城管执法队", None],
    ]
    code, output = invoke("hotline", "export-replies", "--from", "2026-11-30", "--to", "2026-11-01", "--out", str(out))
    assert code == 1 and "--to 不能早于 --from" in output
