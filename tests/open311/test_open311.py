"""Open311 GeoReport v2 conformance, over real HTTP against a running server: a stock client (the
`georeport` package) lists services and reads requests in JSON and XML; posts are sent the way existing
clients send them (form fields, `media` file part, api_key in the body or the query string)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from xml.etree import ElementTree

import httpx
import pytest
from fastapi import FastAPI
from georeport import GeoReport
from sqlalchemy.orm import Session

from jiexiang.core.config import Settings
from jiexiang.core.ratelimit import MemoryRateLimiter
from jiexiang.core.time import FixedClock, WorkCalendar
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.cases import workflow
from jiexiang.domains.cases.enums import Action, ReportSource
from jiexiang.domains.cases.models import Case
from jiexiang.ingest.incoming import IncomingReport
from jiexiang.ingest.service import Intake
from tests.factories import Town
from tests.helpers import photo

GUANGMING = {"lat": "39.90208", "long": "116.3675"}  # 光明胡同1号


@pytest.fixture
def key(session: Session, town: Town, clock: FixedClock) -> str:
    _, key = accounts.issue_api_key(session, name="市民随手拍 App", clock=clock)
    session.commit()
    return key


@pytest.fixture
def base(live_server: str) -> str:
    return f"{live_server}/open311/v2"


@pytest.fixture
def http(live_server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=f"{live_server}/open311/v2", timeout=10) as client:
        yield client


def xml(response: httpx.Response) -> ElementTree.Element:
    assert response.headers["content-type"].startswith("text/xml"), response.headers["content-type"]
    return ElementTree.fromstring(response.content)


def post(http: httpx.Client, key: str | None, fmt: str = "json", **fields: str) -> httpx.Response:
    data = {"api_key": key, **fields} if key is not None else fields
    return http.post(f"/requests.{fmt}", data=data)


def test_a_stock_client_lists_services_and_definitions_in_json_and_xml(base: str, town: Town) -> None:
    as_json, as_xml = GeoReport(base), GeoReport(base, output_format="xml")
    services = as_json.get_service_list()
    assert isinstance(services, list) and len(services) == len(as_xml.get_service_list())
    cover = next(s for s in services if s["service_code"] == "0117")
    assert cover["metadata"] is True and cover["type"] == "realtime" and cover["group"]
    assert next(s for s in as_xml.get_service_list() if s["service_code"] == "0117")["metadata"] == "true"
    definition = as_json.get_service_definition("0117")
    hazard = definition["attributes"][0]
    assert (hazard["code"], hazard["datatype"], hazard["required"], hazard["variable"]) == (
        "hazard",
        "singlevaluelist",
        True,
        True,
    )
    assert [v["key"] for v in hazard["values"]] == ["urgent", "none"]
    in_xml = as_xml.get_service_definition("0117")
    assert in_xml["service_code"] == "0117"
    assert [v["key"] for v in in_xml["attributes"]["attribute"]["values"]["value"]] == ["urgent", "none"]


def test_discovery_in_both_formats(http: httpx.Client) -> None:
    found = http.get("/discovery.json").json()
    endpoint = found["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"].endswith("/open311/v2") and "text/xml" in endpoint["formats"]
    root = xml(http.get("/discovery.xml"))
    assert root.tag == "discovery" and root.findtext("endpoints/endpoint/type") == "production"
    assert [f.text for f in root.findall("endpoints/endpoint/formats/format")] == ["application/json", "text/xml"]


def test_post_a_request_and_read_it_back_with_the_stock_client(
    http: httpx.Client, base: str, key: str, town: Town
) -> None:
    response = post(
        http,
        key,
        service_code="0117",
        description="井盖不见了，很危险",
        first_name="小明",
        last_name="王",
        phone="13812345678",
        email="",  # empty optional parameters are absent
        **{"attribute[hazard]": "urgent"},
        **GUANGMING,
    )
    assert response.status_code == 200, response.text
    created = response.json()
    assert isinstance(created, list) and len(created) == 1
    request_id, token = created[0]["service_request_id"], created[0]["token"]
    assert request_id.isdigit() and created[0]["service_notice"] == "已受理"

    read = GeoReport(base).get_service_request(request_id)
    assert read["service_code"] == "0117" and read["status"] == "open"
    assert read["description"].startswith("井盖不见了，很危险") and "有危险，需立即处置" in read["description"]
    assert read["address"] is not None and read["lat"] == pytest.approx(39.90208)
    assert read["requested_datetime"] == "2026-11-26T10:00:00+08:00"
    assert read["expected_datetime"].endswith("+08:00") and read["status_notes"].startswith("采集")
    assert "13812345678" not in str(read) and "王" not in str(read)
    in_xml = GeoReport(base, output_format="xml").get_service_request(request_id)
    assert in_xml["service_request_id"] == request_id and in_xml["status"] == "open"
    listed = GeoReport(base).get_service_requests(service_request_id=request_id)
    assert [r["service_request_id"] for r in listed] == [request_id]

    assert http.get(f"/tokens/{token}.json").json() == [{"service_request_id": request_id, "token": token}]
    assert xml(http.get(f"/tokens/{token}.xml")).findtext("request/service_request_id") == request_id


def test_post_in_xml_with_the_key_in_the_query_string_and_a_photo_for_the_location(
    http: httpx.Client, live_server: str, key: str, town: Town
) -> None:
    response = http.post(
        f"/requests.xml?api_key={key}",
        data={"service_code": "0114", "description": "路灯不亮"},
        files={"media": ("p.jpg", photo(116.3720, 39.90203), "image/jpeg")},
    )
    assert response.status_code == 200, response.text
    request_id = xml(response).findtext("request/service_request_id")
    assert request_id
    read = http.get(f"/requests/{request_id}.json").json()[0]
    assert read["long"] == pytest.approx(116.3720, abs=1e-5) and read["address"] == "力学胡同"
    picture = httpx.get(read["media_url"])
    assert picture.status_code == 200 and picture.headers["content-type"] == "image/jpeg"
    assert read["media_url"].startswith(live_server)


def test_multi_value_attributes_and_attribute_checks(http: httpx.Client, key: str, town: Town) -> None:
    ok = post(
        http,
        key,
        service_code="1101",
        description="堆了很多东西",
        **GUANGMING,
        **{"attribute[materials][]": "furniture"},
    )
    assert ok.status_code == 200, ok.text
    several = http.post(
        "/requests.json",
        content=(
            f"api_key={key}&service_code=1102&description=x&lat=39.90208&long=116.3675"
            "&attribute[materials][]=construction&attribute[materials][]=other"
        ).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert several.status_code == 200, several.text
    request_id = several.json()[0]["service_request_id"]
    description = http.get(f"/requests/{request_id}.json").json()[0]["description"]
    assert "建筑垃圾/渣土、其他" in description

    missing = post(http, key, service_code="0117", description="井盖坏了", **GUANGMING)
    assert missing.status_code == 400
    assert missing.json()[0]["code"] == 400 and "hazard" in missing.json()[0]["description"]
    wrong = post(http, key, service_code="0117", **GUANGMING, **{"attribute[hazard]": "maybe"})
    assert wrong.status_code == 400 and "maybe" in wrong.json()[0]["description"]
    unknown = post(http, key, service_code="0114", description="灯坏", **GUANGMING, **{"attribute[colour]": "红"})
    assert unknown.status_code == 400
    not_a_number = post(
        http, key, service_code="1401", description="积水", **GUANGMING, **{"attribute[depth_cm]": "深"}
    )
    assert not_a_number.status_code == 400


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_errors_are_open311_error_lists(http: httpx.Client, key: str, town: Town, fmt: str) -> None:
    def error_of(response: httpx.Response) -> tuple[int, int, str]:
        if fmt == "json":
            body = response.json()
            assert isinstance(body, list)
            return response.status_code, body[0]["code"], body[0]["description"]
        root = xml(response)
        assert root.tag == "errors"
        return response.status_code, int(root.findtext("error/code") or 0), root.findtext("error/description") or ""

    assert error_of(post(http, None, fmt, service_code="0114", **GUANGMING))[:2] == (403, 403)
    assert error_of(post(http, "jx_not-a-key", fmt, service_code="0114", **GUANGMING))[:2] == (403, 403)
    assert error_of(post(http, key, fmt, service_code="9999", **GUANGMING))[:2] == (404, 404)
    assert error_of(post(http, key, fmt, service_code="0114"))[:2] == (400, 400)  # nowhere
    assert error_of(post(http, key, fmt, service_code="0114", lat="北纬", long="116.37"))[:2] == (400, 400)
    assert error_of(post(http, key, fmt, service_code="0114", lat="39.95", long="116.50"))[:2] == (400, 400)
    assert error_of(http.get(f"/services/0000.{fmt}"))[:2] == (404, 404)
    assert error_of(http.get(f"/requests/123456.{fmt}"))[:2] == (404, 404)
    assert error_of(http.get(f"/requests/abc.{fmt}"))[:2] == (404, 404)
    assert error_of(http.get(f"/tokens/nope.{fmt}"))[:2] == (404, 404)
    assert error_of(http.get(f"/requests.{fmt}?start_date=yesterday"))[:2] == (400, 400)
    assert error_of(http.get(f"/requests.{fmt}?status=pending"))[:2] == (400, 400)
    assert error_of(http.get(f"/requests.{fmt}?page_size=0"))[:2] == (400, 400)
    # Numbers and dates no database holds are still the client's mistake, answered as Open311 errors.
    assert error_of(http.get(f"/requests/{'9' * 30}.{fmt}"))[0] in (400, 404)
    assert error_of(http.get(f"/requests.{fmt}?service_request_id={'9' * 30}"))[:2] == (400, 400)
    assert error_of(http.get(f"/requests.{fmt}?start_date=0001-01-01&end_date=0001-01-02"))[:2] == (400, 400)
    far = http.get(f"/requests.{fmt}", params={"start_date": "2026-01-01T00:00:00+08:00", "end_date": "2026-11-01"})
    assert error_of(far)[:2] == (400, 400)  # more than 90 days
    garbled = http.post(
        f"/requests.{fmt}", content=b"--x\r\nnot multipart", headers={"content-type": "multipart/form-data; boundary=x"}
    )
    assert error_of(garbled)[0] == 400
    assert http.get("/services.html").status_code == 404


def test_revoked_keys_are_refused(http: httpx.Client, session: Session, town: Town, clock: FixedClock) -> None:
    row, key = accounts.issue_api_key(session, name="旧应用", clock=clock)
    session.commit()
    assert post(http, key, service_code="0114", description="灯坏", **GUANGMING).status_code == 200
    accounts.revoke_api_key(session, key_id=row.id, clock=clock)
    session.commit()
    assert post(http, key, service_code="0114", description="灯坏", **GUANGMING).status_code == 403


def test_request_search_filters_and_what_the_public_sees(
    http: httpx.Client, key: str, town: Town, session: Session, settings: Settings, clock: FixedClock
) -> None:
    # A hotline case: public in Open311, but not what the caller said nor who they are.
    intake = Intake(session, settings=settings, clock=clock)
    intake.apply(
        IncomingReport(
            source=ReportSource.hotline,
            external_id="H1",
            received_at=clock.now() - timedelta(days=3),
            text="我是张三，电话13900001111，门口路灯不亮",
            raw={"id": "H1"},
            source_category="路灯不亮",
            address="力学胡同2号院",
            reporter_name="张三",
            reporter_phone="13900001111",
        )
    )
    session.commit()
    hotline_case = session.query(Case).one()
    workflow.transition(
        session,
        case=hotline_case,
        action=Action.reject,
        actor=town.users["operator"],
        clock=clock,
        calendar=WorkCalendar.load(working_hours=settings.working_hours),
        note="重复",
    )
    session.commit()
    created = post(http, key, service_code="1101", description="杂物堆放", **GUANGMING).json()[0]

    everything = http.get("/requests.json").json()
    assert {r["service_request_id"] for r in everything} == {str(hotline_case.id), created["service_request_id"]}
    public = next(r for r in everything if r["service_request_id"] == str(hotline_case.id))
    assert public["description"] == public["service_name"]
    assert "13900001111" not in str(public) and "张三" not in str(public)
    assert public["status"] == "closed" and public["expected_datetime"] is None

    def ids(**params: str) -> set[str]:
        return {r["service_request_id"] for r in http.get("/requests.json", params=params).json()}

    assert ids(status="closed") == {str(hotline_case.id)}
    assert ids(status="open,closed") == ids() == ids(status="", service_code="")  # empty = absent
    assert ids(service_code="1101,0000") == {created["service_request_id"]}
    assert ids(start_date="2026-11-25T00:00:00+08:00") == {created["service_request_id"]}
    assert ids(end_date="2026-11-25T00:00:00Z") == {str(hotline_case.id)}
    assert ids(start_date="2026-11-20T00:00:00+08:00", end_date="2026-11-24T00:00:00+08:00") == {str(hotline_case.id)}
    assert len(http.get("/requests.json", params={"page_size": "1"}).json()) == 1
    assert ids(page_size="1", page="2") == {str(hotline_case.id)}  # newest first
    assert ids(page="3") == set()
    root = xml(http.get("/requests.xml"))
    assert root.tag == "service_requests" and len(root.findall("request")) == 2
    assert root.find("request/zipcode") is not None  # absent values are empty elements


def test_each_key_is_rate_limited(http: httpx.Client, key: str, town: Town, app: FastAPI) -> None:
    app.state.rate_limiter = MemoryRateLimiter(limit=2)
    for _ in range(2):
        assert http.get("/services.json", params={"api_key": key}).status_code == 200
    limited = http.get("/services.json", params={"api_key": key})
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1
    assert "频繁" in limited.json()[0]["description"]
    assert http.get("/services.json").status_code == 200  # anonymous readers are counted apart
