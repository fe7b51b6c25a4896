"""Signing in that holds against guessing: back-off and lockout per account and per address, the same answer and
the same work for unknown names, tokens that end with a new password or a deactivation, an admin always left,
and addresses taken from X-Forwarded-For only when a trusted proxy sends it."""

from __future__ import annotations

from datetime import timedelta

import jwt
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from starlette.requests import Request

from jiexiang.core.config import Settings
from jiexiang.core.http import client_address
from jiexiang.core.time import FixedClock
from jiexiang.domains.accounts import logins
from jiexiang.domains.accounts.enums import Role
from tests.factories import PASSWORD, make_user


@pytest.fixture
def accounts(session: Session, settings: Settings, clock: FixedClock) -> None:
    make_user(session, settings, clock, username="boss", role=Role.admin)
    make_user(session, settings, clock, username="worker", role=Role.grid_worker)
    session.commit()


def attempt(client: TestClient, username: str, password: str) -> tuple[int, dict[str, object], str | None]:
    answer = client.post("/api/auth/token", data={"username": username, "password": password})
    return answer.status_code, answer.json(), answer.headers.get("retry-after")


def bearer(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    status, body, _ = attempt(client, username, password)
    assert status == 200, body
    return {"Authorization": f"Bearer {body['access_token']}"}


def test_an_account_is_locked_after_five_failures_then_for_twice_as_long(
    client: TestClient, accounts: None, clock: FixedClock
) -> None:
    for _ in range(4):
        assert attempt(client, "worker", "guess-1234")[0] == 401
    status, body, _ = attempt(client, "worker", "guess-1234")
    assert status == 401  # the fifth failure itself is answered as a failure, and locks the account
    status, body, retry = attempt(client, "worker", PASSWORD)  # even the right password now
    assert status == 429 and body["code"] == "login_locked" and body["message"] == "登录失败次数过多，请 1 分钟后再试"
    assert retry == "61"
    clock.advance(timedelta(seconds=61))
    assert attempt(client, "worker", "guess-1234")[0] == 401  # the sixth: locked for two minutes
    clock.advance(timedelta(seconds=61))
    assert attempt(client, "worker", PASSWORD)[0] == 429
    clock.advance(timedelta(seconds=60))
    assert attempt(client, "worker", PASSWORD)[0] == 200  # success clears the account's count
    for _ in range(4):
        assert attempt(client, "worker", "guess-1234")[0] == 401
    assert attempt(client, "worker", PASSWORD)[0] == 200
    assert attempt(client, "boss", PASSWORD)[0] == 200  # other accounts were never affected


def test_unknown_names_get_the_same_answer_and_cost_the_same_work(
    client: TestClient, accounts: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    checked: list[str] = []
    real = logins.verify_password

    def watching(password_hash: str, password: str, *, settings: Settings) -> bool:
        checked.append(password_hash.split("$")[3])  # the argon2 parameters: m=…,t=…,p=…
        return real(password_hash, password, settings=settings)

    monkeypatch.setattr(logins, "verify_password", watching)
    known = attempt(client, "worker", "guess-1234")
    unknown = attempt(client, "nobody-here", "guess-1234")
    assert (
        known[:2] == unknown[:2] == (401, {"code": "bad_credentials", "message": "用户名或密码错误", "details": None})
    )
    assert len(checked) == 2 and checked[0] == checked[1]  # one argon2 check each, with the same parameters
    for _ in range(4):
        attempt(client, "nobody-here", "guess-1234")
    assert attempt(client, "nobody-here", "guess-1234")[0] == 429  # locked like a real account: no tell


def test_an_address_is_locked_after_many_failures_across_accounts(
    client: TestClient, accounts: None, settings: Settings
) -> None:
    for n in range(settings.login_max_failures_per_address):
        assert attempt(client, f"user{n}", "guess-1234")[0] == 401
    status, body, _ = attempt(client, "worker", PASSWORD)
    assert status == 429 and body["code"] == "login_locked"


def test_owntracks_basic_auth_is_throttled_too(client: TestClient, accounts: None) -> None:
    fix = {"_type": "location", "lat": 39.902, "lon": 116.368, "tst": 1764122400, "acc": 10}
    for _ in range(5):
        answer = client.post("/api/track/owntracks", json=fix, auth=("worker", "guess-1234"))
        assert answer.status_code == 401
    answer = client.post("/api/track/owntracks", json=fix, auth=("worker", PASSWORD))
    assert answer.status_code == 429 and answer.headers["retry-after"]


def test_a_new_password_or_a_deactivation_ends_the_tokens_issued_before(client: TestClient, accounts: None) -> None:
    admin = bearer(client, "boss")
    worker = bearer(client, "worker")
    me = client.get("/api/users", headers=admin).json()["items"]
    worker_id = next(u["id"] for u in me if u["username"] == "worker")
    assert client.patch(f"/api/users/{worker_id}", headers=admin, json={"full_name": "改名"}).status_code == 200
    assert client.get("/api/auth/me", headers=worker).status_code == 200  # other changes keep the session
    assert (
        client.patch(f"/api/users/{worker_id}", headers=admin, json={"password": "new-password-1"}).status_code == 200
    )
    refused = client.get("/api/auth/me", headers=worker)
    assert refused.status_code == 401 and refused.json()["code"] == "token_revoked"
    worker = bearer(client, "worker", "new-password-1")
    assert client.patch(f"/api/users/{worker_id}", headers=admin, json={"is_active": False}).status_code == 200
    assert client.patch(f"/api/users/{worker_id}", headers=admin, json={"is_active": True}).status_code == 200
    assert client.get("/api/auth/me", headers=worker).status_code == 401  # reactivation does not revive it


def test_the_last_active_admin_stays_an_admin(client: TestClient, accounts: None) -> None:
    admin = bearer(client, "boss")
    boss_id = client.get("/api/auth/me", headers=admin).json()["id"]
    for change in ({"role": "operator"}, {"is_active": False}):
        refused = client.patch(f"/api/users/{boss_id}", headers=admin, json=change)
        assert refused.status_code == 409 and refused.json()["code"] == "last_admin"
    refused = client.delete(f"/api/users/{boss_id}", headers=admin)
    assert refused.status_code == 409
    created = client.post(
        "/api/users",
        headers=admin,
        json={"username": "deputy", "password": "long-enough-1", "full_name": "副手", "role": "admin"},
    )
    assert created.status_code == 201
    assert client.patch(f"/api/users/{boss_id}", headers=admin, json={"role": "operator"}).status_code == 200


def _request(app: FastAPI, peer: str, forwarded: str | None) -> Request:
    headers = [(b"x-forwarded-for", forwarded.encode())] if forwarded else []
    return Request({"type": "http", "app": app, "client": (peer, 5000), "headers": headers})


def test_forwarded_addresses_are_believed_only_from_trusted_proxies(app: FastAPI, settings: Settings) -> None:
    assert client_address(_request(app, "203.0.113.9", "1.2.3.4")) == "203.0.113.9"  # nobody is trusted
    app.state.settings = settings.model_copy(update={"trusted_proxies": "10.0.0.0/8, 127.0.0.1"})
    assert client_address(_request(app, "203.0.113.9", "1.2.3.4")) == "203.0.113.9"  # not from a proxy
    assert client_address(_request(app, "10.1.2.3", "1.2.3.4")) == "1.2.3.4"
    # A client's own made-up entry stays to the left of what our proxies appended.
    assert client_address(_request(app, "127.0.0.1", "6.6.6.6, 198.51.100.7, 10.0.0.5")) == "198.51.100.7"
    assert client_address(_request(app, "10.1.2.3", None)) == "10.1.2.3"


@pytest.mark.parametrize(
    "claims",
    [
        {"sub": "abc", "exp": 4102444800},
        {"sub": "9" * 30, "exp": 4102444800},
        {"sub": "1", "exp": "soon"},
        {"sub": "1", "exp": True},
        {"sub": 1, "exp": 4102444800},
        {"exp": 4102444800},
    ],
)
def test_tokens_with_odd_claims_are_refused_not_crashed_on(
    client: TestClient, accounts: None, settings: Settings, claims: dict[str, object]
) -> None:
    token = jwt.encode(claims, settings.secret_key, algorithm="HS256")
    answer = client.get("/api/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert answer.status_code == 401 and answer.json()["code"] == "invalid_token"
