from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from PIL import Image

from jiexiang.core.config import Settings
from tests.factories import Town
from tests.helpers import login, photo


def test_a_snap_report_with_only_an_exif_located_photo_lands_on_the_right_alley(
    client: TestClient, town: Town, settings: Settings
) -> None:
    headers = login(client, "resident")
    response = client.post(
        "/api/reports",
        headers=headers,
        data={"text": "路灯不亮了"},
        files={"photos": ("p.jpg", photo(116.3720, 39.90203, orientation=6), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    receipt = response.json()
    assert receipt["alley_name"] == "力学胡同" and receipt["category_code"] == "0114"
    assert receipt["lon"] == pytest.approx(116.3720, abs=1e-5) and receipt["outcome"] == "created"
    with Image.open(settings.media_dir / receipt["photos"][0]) as stored:
        assert stored.size == (20, 40)  # turned upright by its EXIF orientation
        assert dict(stored.getexif()) == {}  # and nothing of the metadata kept
    detail = client.get(f"/api/cases/{receipt['case_id']}", headers=login(client, "operator")).json()
    assert detail["reports"][0]["source"] == "snap" and detail["reports"][0]["photos"] == receipt["photos"]
    assert detail["reports"][0]["submitted_by_name"] == town.users["resident"].full_name


def test_a_retried_upload_is_not_a_second_report(client: TestClient, town: Town) -> None:
    headers = login(client, "grid_worker")
    form = {"text": "光明胡同有人占道经营", "lon": "116.368", "lat": "39.90201", "client_id": "app-42"}
    first = client.post("/api/reports", headers=headers, data=form).json()
    second = client.post("/api/reports", headers=headers, data=form).json()
    assert first["outcome"] == "created" and second["outcome"] == "unchanged"
    assert first["report_id"] == second["report_id"] and first["category_code"] == "1503"


@pytest.mark.parametrize(
    ("form", "files", "code"),
    [
        ({"text": "有垃圾"}, None, "report_location"),
        ({"text": "有垃圾", "lon": "116.50", "lat": "39.95"}, None, "report_outside_area"),
        ({"text": "有垃圾", "lon": "116.368"}, None, "report_location"),
        ({"text": "今天天气很好", "lon": "116.368", "lat": "39.90201"}, None, "report_unknown_category"),
        ({"text": "", "category": "9999", "lon": "116.368", "lat": "39.90201"}, None, "unknown_category"),
        ({"text": "垃圾" * 1001, "lon": "116.368", "lat": "39.90201"}, None, "report_too_long"),
        ({"text": "有垃圾", "lon": "116.368", "lat": "39.90201"}, {"photos": ("a.jpg", b"not an image")}, "photo_type"),
    ],
)
def test_unusable_reports_are_refused_in_chinese(
    client: TestClient, town: Town, form: dict[str, str], files: dict[str, tuple[str, bytes]] | None, code: str
) -> None:
    response = client.post("/api/reports", headers=login(client, "resident"), data=form, files=files)
    assert response.status_code == 422, response.text
    assert response.json()["code"] == code and response.json()["message"]


def test_reporting_needs_an_account(client: TestClient, town: Town) -> None:
    assert client.post("/api/reports", data={"text": "x"}).status_code == 401


def test_a_second_report_of_the_same_problem_nearby_joins_the_open_case(client: TestClient, town: Town) -> None:
    first = client.post(
        "/api/reports",
        headers=login(client, "resident"),
        data={"text": "路面有个大坑", "lon": "116.3680", "lat": "39.90201"},
    ).json()
    second = client.post(
        "/api/reports",
        headers=login(client, "grid_worker"),
        data={"text": "这里路面破损", "lon": "116.3681", "lat": "39.90203"},
    ).json()
    far = client.post(
        "/api/reports",
        headers=login(client, "grid_worker"),
        data={"text": "路面破损", "lon": "116.3725", "lat": "39.90203"},
    ).json()
    assert (first["outcome"], second["outcome"], far["outcome"]) == ("created", "merged", "created")
    assert second["case_id"] == first["case_id"] != far["case_id"]
