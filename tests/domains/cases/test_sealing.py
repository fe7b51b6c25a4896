"""A changed secret key: stored names and phones stay readable with the previous key, are sealed again under the
new one by `jiexiang secrets rotate`, and the server refuses to start when no configured key opens them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jiexiang.api.app import create_app
from jiexiang.core.config import get_settings
from jiexiang.core.errors import ConfigurationError
from tests.conftest import invoke

ORDERS = (
    "工单编号,受理时间,诉求内容,事发地址,问题分类,来电人,联系电话\n"
    "W1,2026-11-25 09:00,井盖丢了,光明胡同1号,井盖缺失,张三,13812345678\n"
)


def use_keys(monkeypatch: pytest.MonkeyPatch, current: str, previous: str = "") -> None:
    monkeypatch.setenv("JIEXIANG_SECRET_KEY", current)
    monkeypatch.setenv("JIEXIANG_PREVIOUS_SECRET_KEYS", previous)
    get_settings.cache_clear()


def caller_phone() -> str | None:
    with TestClient(create_app(get_settings())) as client:
        token = client.post("/api/auth/token", data={"username": "boss", "password": "long-enough-1"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        case = client.get("/api/cases", headers=headers).json()["items"][0]
        phone: str | None = client.get(f"/api/cases/{case['id']}", headers=headers).json()["reports"][0][
            "reporter_phone"
        ]
        return phone


def test_rotating_the_secret_key(database: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIEXIANG_MODE", "dev")
    use_keys(monkeypatch, "old-key-" + "a" * 32)
    assert invoke("db", "upgrade")[0] == 0
    assert invoke("users", "create", "--username", "boss", "--password", "long-enough-1", "--role", "admin")[0] == 0
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, "utf-8")
    assert invoke("import", "hotline", str(orders))[0] == 0
    assert caller_phone() == "13812345678"

    use_keys(monkeypatch, "new-key-" + "b" * 32)  # changed, and the old one forgotten: refuse, do not show nothing
    code, said = invoke("serve")
    assert code == 1 and "JIEXIANG_PREVIOUS_SECRET_KEYS" in said
    with (
        pytest.raises(ConfigurationError, match="JIEXIANG_PREVIOUS_SECRET_KEYS"),
        TestClient(create_app(get_settings())),
    ):
        pass  # the server's start-up refuses too

    use_keys(monkeypatch, "new-key-" + "b" * 32, "old-key-" + "a" * 32)
    assert caller_phone() == "13812345678"  # readable with the previous key
    code, said = invoke("secrets", "rotate")
    assert code == 0 and "重新加密 2 项，已是当前密钥 0 项，无法解密 0 项" in said
    assert "重新加密 0 项，已是当前密钥 2 项" in invoke("secrets", "rotate")[1]  # running it again changes nothing

    use_keys(monkeypatch, "new-key-" + "b" * 32)  # the old key can go now
    assert caller_phone() == "13812345678"
