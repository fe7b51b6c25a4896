"""The household register over the API: administrators register households at gazetteer addresses and bind
residents' accounts; names are masked for those without the personal-data permission; scope applies."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.places.models import Address
from tests.factories import Town, make_user
from tests.helpers import login


def test_register_bind_mask_and_scope(
    client: TestClient, session: Session, settings: Settings, clock: FixedClock, town: Town
) -> None:
    make_user(session, settings, clock, username="r1", role=Role.resident)
    session.commit()
    east = session.scalar(select(Address.id).where(Address.name == "力学胡同2号院"))
    west = session.scalar(select(Address.id).where(Address.name == "光明胡同1号"))
    admin = login(client, "admin")
    body = {"address_id": west, "label": "东厢房", "head_name": "王建国", "username": "r1"}
    created = client.post("/api/households", json=body, headers=admin)
    assert created.status_code == 201, created.text
    assert (created.json()["head_name"], created.json()["has_account"]) == ("王建国", True)
    again = client.post("/api/households", json=body, headers=admin)
    assert again.status_code == 409 and "已有同名住户" in again.json()["message"]
    other = client.post("/api/households", json=body | {"address_id": east, "username": "chief"}, headers=admin)
    assert other.status_code == 422 and "居民账号" in other.json()["message"]
    assert client.post("/api/households", json=body, headers=login(client, "operator")).status_code == 403
    client.post("/api/households", json={"address_id": east, "label": "北房", "head_name": "李四"}, headers=admin)

    masked = client.get("/api/households", headers=login(client, "grid_worker")).json()["items"]
    assert {h["head_name"] for h in masked} == {"王**", "李*"}
    seen = client.get("/api/households", headers=login(client, "a2_chief")).json()["items"]
    assert [h["address_name"] for h in seen] == ["力学胡同2号院"]
    assert client.get("/api/households", headers=login(client, "r1")).status_code == 403


ROLL = """门牌地址,户,户主,联系电话,居民代表,居民账号
光明胡同1号,东厢房,王建国,13800000001,是,r1
光明胡同1号,西厢房,李秀英,,否,
力学胡同2号院,北房,张三,,,
不存在的胡同9号,南房,赵六,,,
光明胡同1号,南房,,,,
力学胡同2号院,东房,孙七,,也许,
力学胡同2号院,西房,周八,,,nobody
"""


def test_a_community_roll_is_imported_once_and_a_second_import_changes_only_what_changed(
    client: TestClient, session: Session, settings: Settings, clock: FixedClock, town: Town
) -> None:
    make_user(session, settings, clock, username="r1", role=Role.resident)
    session.commit()
    admin = login(client, "admin")

    def upload(text: str) -> dict[str, object]:
        files = {"file": ("名册.csv", text.encode("gb18030"), "text/csv")}
        answer = client.post("/api/households/import", files=files, headers=admin)
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    first = upload(ROLL)
    assert {k: first[k] for k in ("read", "created", "updated", "unchanged")} == {
        "read": 7, "created": 3, "updated": 0, "unchanged": 0
    }  # fmt: skip
    problems = {r["row"]: r["problem"] for r in first["rejected"]}  # type: ignore[attr-defined]
    assert sorted(problems) == [5, 6, 7, 8]
    assert "地名地址库中没有" in problems[5] and "不能为空" in problems[6]
    assert "无法识别" in problems[7] and "没有用户名为“nobody”" in problems[8]
    second = upload(ROLL.replace("张三,,,", "张三,13900000003,是,"))
    assert (second["created"], second["updated"], second["unchanged"]) == (0, 1, 2)
    roll = client.get("/api/households", headers=admin).json()["items"]
    assert {(h["address_name"], h["label"], h["is_representative"], h["has_account"]) for h in roll} == {
        ("光明胡同1号", "东厢房", True, True),
        ("光明胡同1号", "西厢房", False, False),
        ("力学胡同2号院", "北房", True, False),
    }
    refused = client.post("/api/households/import", files={"file": ("x.csv", b"a,b\n1,2\n")}, headers=admin)
    assert refused.status_code == 422 and "不是住户名册" in refused.json()["message"]
    assert (
        client.post(
            "/api/households/import", files={"file": ("x.csv", b"")}, headers=login(client, "operator")
        ).status_code
        == 403
    )
