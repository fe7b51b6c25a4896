"""The command centre's built front end (`web/`, built into `jiexiang/web/dist`): its hashed assets, and
index.html for every page a browser may open directly (/map, /cases/12 …), so that reloads and shared
links work. Paths the server itself owns (/api, /open311, /media, /docs) never fall through to the page."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles

from jiexiang.core.errors import NotFound

DIST = Path(__file__).resolve().parent.parent / "web" / "dist"
SERVER_PATHS = frozenset({"api", "open311", "media", "docs", "redoc", "openapi.json", "assets"})


def is_built(dist: Path) -> bool:
    return (dist / "index.html").is_file()


def install(app: FastAPI, dist: Path) -> None:
    """Serve the built front end; call after every other route, since its pages match any other path."""
    index = dist / "index.html"
    app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @app.get("/{page:path}", include_in_schema=False)
    def page(page: str) -> FileResponse:
        if page.split("/", 1)[0] in SERVER_PATHS:
            raise NotFound("没有这个地址", code="not_found")
        # The page itself must not be cached: it names the assets of the current build.
        return FileResponse(index, headers={"Cache-Control": "no-cache"})
