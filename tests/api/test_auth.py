from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from jiexiang.api.app import create_app
from jiexiang.core.config import Mode, Settings
from jiexiang.core.errors import ConfigurationError
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts.enums import Role
from tests.factories import PASSWORD, make_user


@pytest.fixture
def admin(session: Session, settings: Settings, clock: FixedClock) -> None:
    make_user(session, settings, clock, username="boss", role=Role.admin)
    make_user(session, settings, clock, username="worker", role=Role.grid_worker)
    session.commit()


def token(client: TestClient, username: str, password: str = PASSWORD) -> str:
    response = client.post("/api/auth/token", data={"username": username, "password": password})
    assert response.status_code == 200, response.text
    assert response.json()["token_type"] == "bearer"
    return str(response.json()["access_token"])


def test_password_flow_and_me(client: TestClient, admin: None) -> None:
    headers = {"Authorization": f"Bearer {token(client, 'boss')}"}
    me = client.get("/api/auth/me", headers=headers).json()
    assert me["username"] == "boss" and me["role"] == "admin" and me["role_label"] == "系统管理员"
    assert {"users.manage", "cases.read", "workforce.read"} <= set(me["permissions"])  # what the web app offers


def test_wrong_password_is_refused_in_chinese(client: TestClient, admin: None) -> None:
    response = client.post("/api/auth/token", data={"username": "boss", "password": "wrong-one"})
    assert response.status_code == 401
    assert response.json()["message"] == "用户名或密码错误"


def test_tokens_expire_by_the_clock(client: TestClient, admin: None, clock: FixedClock, settings: Settings) -> None:
    headers = {"Authorization": f"Bearer {token(client, 'boss')}"}
    clock.advance(timedelta(minutes=settings.access_token_minutes + 1))
    response = client.get("/api/auth/me", headers=headers)
    assert response.status_code == 401 and response.json()["code"] == "token_expired"


def test_forged_tokens_are_refused(client: TestClient, admin: None) -> None:
    real = token(client, "boss")
    forged = real[:-4] + ("AAAA" if not real.endswith("AAAA") else "BBBB")
    response = client.get("/api/auth/me", headers={"Authorization": f"Bearer {forged}"})
    assert response.status_code == 401 and response.json()["code"] == "invalid_token"


def test_admin_manages_users_and_a_deactivated_user_cannot_log_in(client: TestClient, admin: None) -> None:
    headers = {"Authorization": f"Bearer {token(client, 'boss')}"}
    created = client.post(
        "/api/users",
        headers=headers,
        json={"username": "newbie", "password": "long-enough-1", "full_name": "新人", "role": "operator"},
    )
    assert created.status_code == 201, created.text
    user_id = created.json()["id"]
    assert token(client, "newbie", "long-enough-1")
    duplicate = client.post(
        "/api/users",
        headers=headers,
        json={"username": "newbie", "password": "long-enough-1", "full_name": "新人", "role": "operator"},
    )
    assert duplicate.status_code == 409 and "已被使用" in duplicate.json()["message"]
    patched = client.patch(f"/api/users/{user_id}", headers=headers, json={"role": "dispatcher"})
    assert patched.json()["role"] == "dispatcher"
    assert client.get("/api/users", headers=headers).json()["total"] == 3
    assert client.delete(f"/api/users/{user_id}", headers=headers).status_code == 204
    response = client.post("/api/auth/token", data={"username": "newbie", "password": "long-enough-1"})
    assert response.status_code == 401 and response.json()["code"] == "account_disabled"


def test_scope_places_must_exist(client: TestClient, admin: None) -> None:
    headers = {"Authorization": f"Bearer {token(client, 'boss')}"}
    response = client.post(
        "/api/users",
        headers=headers,
        json={
            "username": "lost",
            "password": "long-enough-1",
            "full_name": "迷路",
            "role": "grid_worker",
            "community_ids": [999999],
        },
    )
    assert response.status_code == 422 and response.json()["code"] == "scope_place_not_found"


def test_non_admins_cannot_manage_users(client: TestClient, admin: None) -> None:
    headers = {"Authorization": f"Bearer {token(client, 'worker')}"}
    assert client.get("/api/users", headers=headers).status_code == 403
    assert client.post("/api/units", headers=headers, json={"name": "x"}).status_code == 403


def test_health_and_unknown_paths(client: TestClient) -> None:
    health = client.get("/api/health").json()
    assert health["status"] == "ok" and health["database"] in ("sqlite", "postgresql")
    missing = client.get("/api/nothing-here")
    assert missing.status_code == 404 and missing.json()["message"] == "请求的地址不存在"


def test_production_refuses_the_default_secret(database_url: str) -> None:
    with pytest.raises(ConfigurationError, match="JIEXIANG_SECRET_KEY"):
        create_app(Settings(mode=Mode.production, database_url=database_url))
    create_app(Settings(mode=Mode.production, database_url=database_url, secret_key="x" * 40))


def test_settings_come_from_jiexiang_environment_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JIEXIANG_DATABASE_URL", "postgresql+psycopg://u@h/db")
    monkeypatch.setenv("JIEXIANG_MODE", "demo")
    settings = Settings()
    assert settings.database_url == "postgresql+psycopg://u@h/db" and settings.mode is Mode.demo
    monkeypatch.delenv("JIEXIANG_DATABASE_URL")
    assert Settings().database_url == "sqlite:///./var/jiexiang.db"


def test_front_page_says_when_data_are_synthetic(
    settings: Settings, clock: FixedClock, engine: object, session_factory: object
) -> None:
    for mode, expected in ((Mode.demo, True), (Mode.dev, False)):
        app = create_app(settings.model_copy(update={"mode": mode}), clock=clock, engine=engine)
        app.state.session_factory = session_factory
        with TestClient(app) as client:
            page = client.get("/")
        assert page.status_code == 200 and "背街小巷治理平台" in page.text
        assert ("虚拟数据" in page.text) is expected
