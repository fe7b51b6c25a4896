from __future__ import annotations

import csv
import io
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.cases.models import Case
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.conftest import NOW
from tests.factories import Town, make_town
from tests.helpers import act, login, photo

ORDERS = """工单编号,受理时间,诉求内容,事发地址,问题分类,来电人,联系电话,经度,纬度
H1,2026-11-20 09:00,光明胡同门口堆了杂物,光明胡同1号,堆物堆料,张三,13812345678,,
H2,2026-11-21 09:00,杂物还在,光明胡同1号,堆物堆料,李四,13900001111,,
H3,2026-11-22 09:00,力学胡同路灯不亮,力学胡同2号院,路灯不亮,,,,
H4,2026-11-22 10:00,某处有人摆摊,不知道哪里,占道经营,,,,
H5,2026-11-22 10:00,,光明胡同,堆物堆料,,,,
"""


@pytest.fixture
def town(session: Session, settings: Settings, clock: FixedClock, tmp_path: Path) -> Town:
    town = make_town(session, settings, clock)
    path = tmp_path / "orders.csv"
    path.write_text(ORDERS, encoding="utf-8")
    intake = Intake(session, settings=settings, clock=clock, file_name=path.name)
    for item in hotline.read(path):
        intake.apply(item)
    session.commit()
    return town


def test_case_list_filters_and_geojson(client: TestClient, town: Town) -> None:
    headers = login(client, "operator")
    page = client.get("/api/cases", headers=headers).json()
    assert page["total"] == 3
    assert [c["report_count"] for c in page["items"]] == [1, 1, 2]  # newest first
    debris = next(c for c in page["items"] if c["category_code"] == "1101")
    assert debris["category_name"] == "乱堆物堆料" and debris["status_label"] == "采集"
    assert debris["reported_at"] == "2026-11-20T09:00:00+08:00" and debris["alley_name"] == "光明胡同"
    assert client.get("/api/cases?category=street_light", headers=headers).json()["total"] == 1
    assert client.get("/api/cases?needs_review=true", headers=headers).json()["total"] == 1
    assert client.get("/api/cases?start=2026-11-21T00:00:00", headers=headers).json()["total"] == 2
    assert client.get("/api/cases?bbox=116.366,39.900,116.370,39.904", headers=headers).json()["total"] == 1
    geo = client.get("/api/cases?format=geojson", headers=headers).json()
    assert geo["type"] == "FeatureCollection" and geo["numberMatched"] == 3
    assert sum(f["geometry"] is None for f in geo["features"]) == 1  # the unplaced one


def test_case_detail_masks_caller_data_for_roles_without_the_right(client: TestClient, town: Town) -> None:
    operator = login(client, "operator")
    case_id = next(
        c["id"] for c in client.get("/api/cases", headers=operator).json()["items"] if c["report_count"] == 2
    )
    clear = client.get(f"/api/cases/{case_id}", headers=operator).json()
    assert [r["external_id"] for r in clear["reports"]] == ["H1", "H2"]
    assert clear["reports"][0]["reporter_phone"] == "13812345678" and clear["reports"][0]["reporter_name"] == "张三"
    # Provenance: which file and row each report came from.
    assert [(r["file_name"], r["row_number"]) for r in clear["reports"]] == [("orders.csv", 2), ("orders.csv", 3)]
    masked = client.get(f"/api/cases/{case_id}", headers=login(client, "dispatcher")).json()
    assert masked["reports"][0]["reporter_phone"] == "138****5678" and masked["reports"][0]["reporter_name"] == "张*"


def test_scope_and_roles_on_cases(client: TestClient, town: Town) -> None:
    east_chief = login(client, "a2_chief")  # limited to 力学胡同
    items = client.get("/api/cases", headers=east_chief).json()["items"]
    assert [c["category_code"] for c in items] == ["0114"]
    assert client.get("/api/cases", headers=login(client, Role.resident.value)).status_code == 403


def test_quarantine_is_listed_and_exported_for_operators(client: TestClient, town: Town) -> None:
    operator = login(client, "operator")
    page = client.get("/api/intake/quarantine", headers=operator).json()
    assert page["total"] == 1 and page["items"][0]["reason_code"] == "empty_text"
    assert page["items"][0]["raw"]["工单编号"] == "H5"
    exported = client.get("/api/intake/quarantine?format=csv", headers=operator)
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig"))))
    assert rows[0][0] == "ID" and rows[1][2] == "H5"
    assert client.get("/api/intake/quarantine", headers=login(client, "dispatcher")).status_code == 403


def test_a_case_waiting_for_its_address_is_placed_by_hand(client: TestClient, town: Town) -> None:
    operator = login(client, "operator")
    waiting = client.get("/api/cases?needs_review=true", headers=operator).json()["items"][0]
    placed = client.put(
        f"/api/cases/{waiting['id']}/location", headers=operator, json={"lon": 116.3721, "lat": 39.9021}
    )
    assert placed.status_code == 200, placed.text
    assert placed.json()["alley_name"] == "力学胡同" and placed.json()["review_reason"] is None
    assert client.get("/api/cases?needs_review=true", headers=operator).json()["total"] == 0
    outside = client.put(f"/api/cases/{waiting['id']}/location", headers=operator, json={"lon": 116.5, "lat": 39.95})
    assert outside.status_code == 422 and outside.json()["code"] == "outside_area"
    refused = client.put(
        f"/api/cases/{waiting['id']}/location",
        headers=login(client, "grid_worker"),
        json={"lon": 116.3721, "lat": 39.9021},
    )
    assert refused.status_code == 403


def test_the_desk_sorts_by_deadline_with_overdue_cases_first(client: TestClient, town: Town, session: Session) -> None:
    operator = login(client, "operator")
    items = client.get("/api/cases", headers=operator).json()["items"]  # newest first: H3/H4, then H1
    ids = [c["id"] for c in items]
    due = [NOW + timedelta(hours=2), NOW - timedelta(hours=5), NOW + timedelta(days=1)]
    for case_id, when in zip(ids, due, strict=True):
        case = session.get(Case, case_id)
        assert case is not None
        case.register_due_at, case.close_due_at = when, when + timedelta(days=10)
    session.commit()
    by_deadline = client.get("/api/cases?sort=deadline", headers=operator).json()["items"]
    assert [c["id"] for c in by_deadline] == [ids[1], ids[0], ids[2]]
    assert by_deadline[0]["overdue"] is True and by_deadline[1]["overdue"] is False
    oldest = client.get("/api/cases?sort=oldest", headers=operator).json()["items"]
    assert oldest[0]["id"] == ids[-1]
    assert client.get("/api/cases?sort=sideways", headers=operator).status_code == 422


def test_comments_and_attachments_join_the_history_without_moving_the_case(client: TestClient, town: Town) -> None:
    worker = login(client, "grid_worker")
    case_id = client.get("/api/cases", headers=worker).json()["items"][0]["id"]
    uploaded = client.post("/api/photos", headers=worker, files={"photos": ("p.jpg", photo(), "image/jpeg")}).json()[
        "photos"
    ]
    response = client.post(
        f"/api/cases/{case_id}/comments", headers=worker, json={"note": "现场复看，仍未清理", "photos": uploaded}
    )
    assert response.status_code == 200, response.text
    detail = response.json()
    event = detail["events"][-1]
    assert (event["action"], event["action_label"], event["note"], event["photos"]) == (
        "comment",
        "备注",
        "现场复看，仍未清理",
        uploaded,
    )
    assert event["from_status"] == event["to_status"] == detail["status"] == "reported"
    empty = client.post(f"/api/cases/{case_id}/comments", headers=worker, json={"note": "  "})
    assert empty.status_code == 422 and empty.json()["code"] == "comment_empty"
    forged = client.post(f"/api/cases/{case_id}/comments", headers=worker, json={"photos": ["../../etc/passwd"]})
    assert forged.status_code == 422
    resident = login(client, Role.resident.value)
    assert client.post(f"/api/cases/{case_id}/comments", headers=resident, json={"note": "x"}).status_code == 403


def test_residents_follow_their_own_reports(client: TestClient, town: Town) -> None:
    resident = login(client, Role.resident.value)
    sent = client.post(
        "/api/reports", headers=resident, data={"text": "路灯不亮", "lon": "116.3720", "lat": "39.90203"}
    ).json()
    mine = client.get("/api/my/reports", headers=resident).json()
    assert mine["total"] == 1
    report = mine["items"][0]
    assert (report["case_id"], report["status_label"], report["progress"]) == (sent["case_id"], "采集", [])
    act(client, sent["case_id"], "operator", "register")
    client.post(f"/api/cases/{sent['case_id']}/comments", headers=login(client, "operator"), json={"note": "内部"})
    report = client.get("/api/my/reports", headers=resident).json()["items"][0]
    assert report["status_label"] == "立案" and [p["action_label"] for p in report["progress"]] == ["立案"]
    assert "内部" not in str(report)  # staff notes stay inside
    assert client.get("/api/my/reports", headers=login(client, "grid_worker")).json()["total"] == 0


def test_map_points_and_dashboard_statistics_follow_filters_and_scope(client: TestClient, town: Town) -> None:
    operator = login(client, "operator")
    points = client.get("/api/cases/points", headers=operator).json()
    assert len(points["id"]) == 2  # the located cases only; the one waiting for an address is not on the map
    assert set(points) == {"id", "lon", "lat", "category", "topic", "status", "overdue"}
    debris = points["category"].index("1101")
    assert points["topic"][debris] == "debris" and points["status"][debris] == "reported"
    assert len(client.get("/api/cases/points?category=street_light", headers=operator).json()["id"]) == 1
    assert client.get("/api/cases/points?start=2026-11-23T00:00:00", headers=operator).json()["id"] == []
    assert client.get("/api/cases/points", headers=login(client, "a2_chief")).json()["category"] == ["0114"]

    stats = client.get("/api/cases/stats", headers=operator).json()
    assert stats["total"] == 3 and stats["by_status"] == {"reported": 3}
    assert stats["by_source"] == {"hotline": 3}
    assert {(d["day"], d["topic"], d["count"]) for d in stats["by_day"]} == {
        ("2026-11-20", "debris", 1),
        ("2026-11-22", "street_light", 1),
        ("2026-11-22", "street_vending", 1),
    }
    assert [(a["name"], a["count"]) for a in stats["top_alleys"]] == [("光明胡同", 1), ("力学胡同", 1)]
    assert client.get("/api/cases/stats", headers=login(client, Role.resident.value)).status_code == 403


def test_vocabulary_names_what_clients_show(client: TestClient) -> None:
    words = client.get("/api/vocabulary").json()
    lights = next(c for c in words["categories"] if c["topic"] == "street_light")
    assert lights["name"] and words["topics"]["street_light"]
    assert words["statuses"]["closed"] == "结案" and words["sources"]["hotline"] == "12345热线"
    assert words["actions"]["dispatch"] == "派遣"


def test_dispatchers_read_the_units_they_dispatch_to(client: TestClient, town: Town) -> None:
    assert client.get("/api/units", headers=login(client, "dispatcher")).status_code == 200
    assert client.get("/api/units", headers=login(client, "operator")).status_code == 200  # owners of tasks
    assert client.get("/api/units", headers=login(client, "grid_worker")).status_code == 403
    assert (
        "cases.read" not in client.get("/api/auth/me", headers=login(client, Role.resident.value)).json()["permissions"]
    )
