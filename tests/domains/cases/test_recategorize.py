"""A hotline complaint nothing could classify becomes a case waiting for an operator to choose its category (not a
quarantined row); choosing it clears the review, counts the deadlines for the new category and is in the history."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.cases.models import Report
from jiexiang.ingest import hotline
from jiexiang.ingest.service import Intake
from tests.factories import Town
from tests.helpers import login


def test_an_operator_chooses_the_category_of_what_nothing_could_classify(
    client: TestClient, session: Session, settings: Settings, clock: FixedClock, town: Town, tmp_path: Path
) -> None:
    path = tmp_path / "orders.csv"
    path.write_text(
        "工单编号,受理时间,诉求内容,事发地址,问题分类\nW7,2026-11-25 09:00,门口那个东西又坏了,光明胡同1号,综合其他\n",
        "utf-8",
    )
    intake = Intake(session, settings=settings, clock=clock)
    for item in hotline.read(path):
        intake.apply(item)
    session.commit()
    assert intake.summary.needs_category == 1 and not intake.summary.quarantined
    case_id = session.scalars(select(Report.case_id).where(Report.external_id == "W7")).one()
    operator = login(client, "operator")
    waiting = client.get("/api/cases", headers=operator, params={"needs_review": "true"}).json()["items"]
    assert [(c["id"], c["category_name"], c["review_reason"]) for c in waiting] == [(case_id, "待分类", "category")]
    assert all(s["service_code"] != "1999" for s in client.get("/open311/v2/services.json").json())

    refused = client.put(
        f"/api/cases/{case_id}/category", headers=login(client, "handler"), json={"category_code": "0101"}
    )
    assert refused.status_code == 403
    unknown = client.put(f"/api/cases/{case_id}/category", headers=operator, json={"category_code": "1999"})
    assert unknown.status_code == 422 and unknown.json()["code"] == "unknown_category"
    chosen = client.put(
        f"/api/cases/{case_id}/category", headers=operator, json={"category_code": "0101", "note": "回访确认是井盖"}
    ).json()
    assert (chosen["category_name"], chosen["review_reason"]) == ("上水井盖", None)
    # A manhole cover: 立案 within 1 urgent hour of the call, 结案 in 2 working days (not the defaults any more).
    assert (chosen["register_due_at"], chosen["close_due_at"]) == (
        "2026-11-25T10:00:00+08:00",
        "2026-11-27T17:30:00+08:00",
    )
    event = chosen["events"][-1]
    assert (event["action"], event["note"]) == ("recategorize", "类别：待分类 → 上水井盖。回访确认是井盖")
    assert client.get("/api/cases", headers=operator, params={"needs_review": "true"}).json()["total"] == 0
