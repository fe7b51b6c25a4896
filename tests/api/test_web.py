"""The built command centre is served by the API: assets, and its page for any path the browser opens,
while the server's own paths keep answering as themselves."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from jiexiang.api.app import create_app
from jiexiang.core.config import Settings
from jiexiang.core.time import FixedClock


def built_front_end(folder: Path) -> Path:
    (folder / "assets").mkdir(parents=True)
    (folder / "index.html").write_text('<div id="app"></div><script src="/assets/index-abc.js"></script>')
    (folder / "assets" / "index-abc.js").write_text("console.log('街巷')")
    return folder


def test_pages_assets_and_server_paths(settings: Settings, clock: FixedClock, engine: object, tmp_path: Path) -> None:
    web = built_front_end(tmp_path / "dist")
    app = create_app(settings.model_copy(update={"web_dir": web}), clock=clock, engine=engine)
    with TestClient(app) as client:
        for page in ("/", "/map", "/cases/12"):
            answer = client.get(page)
            assert answer.status_code == 200 and '<div id="app">' in answer.text
            assert answer.headers["cache-control"] == "no-cache"
        asset = client.get("/assets/index-abc.js")
        assert asset.status_code == 200 and "街巷" in asset.text
        assert client.get("/assets/missing.js").status_code == 404
        unknown = client.get("/api/no-such-thing")
        assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"
        assert client.get("/api/health").json()["status"] == "ok"
        assert "openapi" in client.get("/openapi.json").json()


def test_without_a_built_front_end_the_plain_front_page_says_how_to_build_it(
    settings: Settings, clock: FixedClock, engine: object
) -> None:
    with TestClient(create_app(settings, clock=clock, engine=engine)) as client:
        page = client.get("/")
    assert page.status_code == 200 and "npm run build" in page.text


def test_client_config_names_the_basemap_and_its_datum(settings: Settings, clock: FixedClock, engine: object) -> None:
    with TestClient(create_app(settings, clock=clock, engine=engine)) as client:
        assert client.get("/api/client-config").json() == {"basemap": None, "synthetic_data": False}
    amap = settings.model_copy(
        update={
            "basemap_url": "https://webrd01.is.autonavi.com/appmaptile?style=8&x={x}&y={y}&z={z}",
            "basemap_crs": "gcj02",
            "basemap_attribution": "© 高德地图",
        }
    )
    with TestClient(create_app(amap, clock=clock, engine=engine)) as client:
        basemap = client.get("/api/client-config").json()["basemap"]
    assert basemap == {"url": amap.basemap_url, "crs": "gcj02", "attribution": "© 高德地图"}
