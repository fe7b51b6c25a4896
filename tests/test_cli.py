from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import invoke


def write_collection(path: Path, layer: str, features: list[dict[str, object]]) -> Path:
    path.write_text(json.dumps({"type": "FeatureCollection", "name": layer, "features": features}), "utf-8")
    return path


def polygon(x0: float, y0: float, x1: float, y1: float) -> dict[str, object]:
    return {"type": "Polygon", "coordinates": [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]]}


def test_import_export_and_accounts_from_the_shell(database: str, tmp_path: Path) -> None:
    assert invoke("db", "upgrade")[0] == 0
    code, output = invoke(
        "import",
        "places",
        str(
            write_collection(
                tmp_path / "s.geojson",
                "subdistricts",
                [
                    {
                        "type": "Feature",
                        "properties": {"code": "110102001", "name": "测试街道"},
                        "geometry": polygon(116.36, 39.89, 116.38, 39.91),
                    }
                ],
            )
        ),
    )
    assert code == 0 and "新增 1" in output
    communities = write_collection(
        tmp_path / "c.geojson",
        "communities",
        [
            {
                "type": "Feature",
                "properties": {"code": "110102001001", "name": "甲社区"},
                "geometry": polygon(116.36, 39.89, 116.37, 39.91),
            },
            {
                "type": "Feature",
                "properties": {"code": "110102001002", "name": ""},
                "geometry": polygon(116.37, 39.89, 116.38, 39.91),
            },
        ],
    )
    code, output = invoke("import", "places", str(communities))
    assert code == 1
    assert "社区 第 2 行，字段“社区名称”：必填，不能为空" in output
    code, output = invoke("export", "places", "--layer", "communities", "--out", str(tmp_path / "out.geojson"))
    assert code == 0 and json.loads((tmp_path / "out.geojson").read_text("utf-8"))["features"] == []

    code, output = invoke("units", "create", "--name", "城管办")
    assert code == 0
    code, output = invoke(
        "users", "create", "--username", "op1", "--password", "long-enough-1", "--role", "operator", "--unit", "城管办"
    )
    assert code == 0 and "受理员" in output
    code, output = invoke("users", "create", "--username", "op1", "--password", "long-enough-1", "--role", "operator")
    assert code == 1 and "已被使用" in output
    code, output = invoke(
        "users",
        "create",
        "--username",
        "gw",
        "--password",
        "long-enough-1",
        "--role",
        "grid_worker",
        "--community",
        "110102001009",
    )
    assert code == 1 and "110102001009 不存在" in output
    code, output = invoke("users", "create", "--username", "x", "--password", "short", "--role", "resident")
    assert code == 1 and "密码至少 8 位" in output


def test_serve_refuses_an_unmigrated_database(database: str) -> None:
    code, output = invoke("serve", "--port", "8999")
    assert code == 1 and "jiexiang db upgrade" in output


def test_import_hotline_is_idempotent_and_reports_json(database: str, tmp_path: Path) -> None:
    assert invoke("db", "upgrade")[0] == 0
    assert (
        invoke(
            "import",
            "places",
            str(
                write_collection(
                    tmp_path / "s.geojson",
                    "subdistricts",
                    [
                        {
                            "type": "Feature",
                            "properties": {"code": "110102001", "name": "测试街道"},
                            "geometry": polygon(116.36, 39.89, 116.38, 39.91),
                        }
                    ],
                )
            ),
        )[0]
        == 0
    )
    orders = tmp_path / "12345.csv"
    orders.write_text(
        "工单编号,受理时间,诉求内容,事发地址,问题分类,经度,纬度\n"
        "A1,2026-11-20 09:00,门口乱堆杂物,,堆物堆料,116.37,39.90\n"
        "A2,2026-11-20 10:00,有人摆摊,,占道经营,116.371,39.901\n"
        "A3,2026-11-20 11:00,远处的问题,,占道经营,116.50,39.95\n",
        encoding="utf-8",
    )
    code, output = invoke("import", "hotline", str(orders), "--json")
    assert code == 0, output
    summary = json.loads(output)
    assert (summary["read"], summary["created"], summary["quarantined"]) == (3, 2, 1)
    assert summary["quarantined_by_reason"] == {"outside_area": 1}
    code, output = invoke("import", "hotline", str(orders), "--json")
    assert json.loads(output)["created"] == 0 and json.loads(output)["unchanged"] == 2
    code, output = invoke("import", "hotline", str(orders))
    assert code == 0 and "新增 0" in output and "隔离 1" in output


def test_report_assessment_writes_xlsx_and_csv(database: str, tmp_path: Path) -> None:
    assert invoke("db", "upgrade")[0] == 0
    code, output = invoke("report", "assessment", "--period", "2026-10", "--out", str(tmp_path / "a.xlsx"))
    assert code == 0 and (tmp_path / "a.xlsx").stat().st_size > 0, output
    code, output = invoke(
        "report",
        "assessment",
        "--period",
        "2026-10",
        "--by",
        "community",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "a.csv"),
    )
    assert code == 0 and (tmp_path / "a.csv").read_text(encoding="utf-8-sig").startswith("社区,立案数")
    code, output = invoke("report", "assessment", "--period", "2026-1x", "--out", str(tmp_path / "b.xlsx"))
    assert code == 1 and "格式不对" in output
    assert invoke("jobs", "sla-sweep")[0] == 0
    code, output = invoke("report", "stewardship", "--month", "2026-11", "--out", str(tmp_path / "s.xlsx"))
    assert code == 0 and "（0 家）" in output and (tmp_path / "s.xlsx").stat().st_size > 0, output
    assert invoke("report", "stewardship", "--month", "2026", "--out", str(tmp_path / "s.xlsx"))[0] == 1
    code, output = invoke("jobs", "stewardship-overdue")
    assert code == 0 and "0 个逾期问题已转为案件" in output


def test_open311_keys_are_issued_listed_and_revoked(database: str) -> None:
    from typer.testing import CliRunner

    from jiexiang.cli import app
    from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
    from jiexiang.domains.accounts.service import api_key_for

    assert invoke("db", "upgrade")[0] == 0
    result = CliRunner().invoke(app, ["open311", "keys", "create", "--name", "市民随手拍 App"])
    assert result.exit_code == 0
    key = result.stdout.strip()  # only the key on standard output, for scripts
    assert key.startswith("jx_") and len(key) > 40
    code, listing = invoke("open311", "keys", "list")
    assert (
        code == 0 and "市民随手拍 App" in listing and key[:10] in listing and key not in listing and "有效" in listing
    )
    engine = create_db_engine(database)
    with unit_of_work(create_session_factory(engine)) as session:
        assert api_key_for(session, key=key) is not None
    assert invoke("open311", "keys", "revoke", "1")[0] == 0
    with unit_of_work(create_session_factory(engine)) as session:
        assert api_key_for(session, key=key) is None
    engine.dispose()
    assert "已停用" in invoke("open311", "keys", "list")[1]
    code, output = invoke("open311", "keys", "revoke", "99")
    assert code == 1 and "不存在" in output


def test_field_devices_and_shifts_from_the_shell(database: str) -> None:
    assert invoke("db", "upgrade")[0] == 0
    assert (
        invoke("users", "create", "--username", "gw", "--password", "a-long-password", "--role", "grid_worker")[0] == 0
    )
    code, output = invoke("workers", "add-device", "--username", "gw", "--device-id", "358240051111110")
    assert code == 0 and "已将设备" in output
    code, output = invoke("workers", "add-device", "--username", "gw", "--device-id", "358240051111110")
    assert code == 1 and "已登记" in output
    assert invoke("workers", "add-device", "--username", "nobody", "--device-id", "x")[0] == 1
    code, output = invoke("workers", "devices")
    assert code == 0 and "358240051111110" in output and "从未上报" in output
    assert (
        invoke("workers", "shift", "--username", "gw", "--start", "2026-11-27T08:00", "--end", "2026-11-27T17:00")[0]
        == 0
    )
    code, output = invoke(
        "workers", "shift", "--username", "gw", "--start", "2026-11-27T18:00", "--end", "2026-11-27T08:00"
    )
    assert code == 1 and "晚于" in output
