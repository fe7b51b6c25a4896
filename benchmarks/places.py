"""Timed runs of the foundation's heavy paths on the demo subdistrict (not part of the test suite).

    .venv/bin/python -m benchmarks.places [--database-url URL] [--repeat N]

Measures: building the demo (≈10,000 places), exporting every layer to XLSX, re-importing that workbook
(idempotent: nothing changes), and the places API (GeoJSON pages) over a real HTTP server on loopback.
Prints one line per measurement, and peak memory (max RSS) at the end.
"""

from __future__ import annotations

import argparse
import resource
import socket
import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import uvicorn

from jiexiang import migrations
from jiexiang.api.app import create_app
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import SystemClock
from jiexiang.demo.build import build_demo
from jiexiang.demo.people import DEMO_PASSWORD
from jiexiang.domains.accounts.service import Scope
from jiexiang.domains.places import fileio
from jiexiang.domains.places.enums import Layer


def timed(label: str, action: Callable[[], object], repeat: int = 1) -> None:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    median = statistics.median(samples)
    print(f"{label:<58} {median * 1000:9.1f} ms  (median of {repeat})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None, help="an EMPTY database; default: a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    settings = Settings(mode=Mode.demo, database_url=url)
    migrations.upgrade(url)
    engine = create_db_engine(url)
    factory = create_session_factory(engine)
    clock = SystemClock()

    def build() -> None:
        with unit_of_work(factory) as session:
            build_demo(session, settings=settings, clock=clock)

    timed("build the demo (≈10k places, 51 accounts, ≈4,700 cases over two years)", build)
    workbook: dict[str, bytes] = {}

    def export() -> None:
        with unit_of_work(factory) as session:
            workbook["data"] = fileio.export_xlsx(session, layers=list(Layer), scope=Scope())

    timed("export all layers to one XLSX workbook", export)

    def reimport() -> None:
        with unit_of_work(factory) as session:
            report = fileio.import_places(session, data=workbook["data"], filename="all.xlsx", clock=clock)
        assert all(c.created == c.updated == 0 for c in report.counts.values()), report

    timed("re-import that workbook (validates all, changes nothing)", reimport)

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, engine=engine), port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    with httpx.Client(base_url=f"http://127.0.0.1:{port}") as client:
        token = client.post("/api/auth/token", data={"username": "admin", "password": DEMO_PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}
        for path in (
            "/api/places/alleys?page_size=200",
            "/api/places/components?page_size=1000",
            "/api/places/buildings?bbox=116.368,39.899,116.376,39.906&page_size=1000",
            "/api/places/addresses?q=光明胡同",
        ):
            timed(f"GET {path}", lambda p=path: client.get(p, headers=headers).raise_for_status(), args.repeat)
    server.should_exit = True
    thread.join()
    engine.dispose()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<58} {peak:9.1f} MiB")


if __name__ == "__main__":
    main()
