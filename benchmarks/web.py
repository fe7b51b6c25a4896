"""Timed runs of the command centre (not part of the test suite).

    .venv/bin/python -m benchmarks.web [--cases 50000]

Builds the demo subdistrict, copies its cases (each moved a few metres) until there are `--cases` of them,
serves it on a free port, and measures the map's API — all cases as points, the dashboard's statistics —
and, in Debian's headless Chromium (web/benchmarks/first-load.mjs), the first load of the map with every
case of the last 30 days, a warm reload and the frame rate while the map moves (software WebGL:
SwiftShader on the CPU, so a lower bound for a real graphics card). Also the built bundle's size."""

from __future__ import annotations

import argparse
import gzip
import json
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import uvicorn
from sqlalchemy import func, insert, select

from benchmarks.places import free_port
from jiexiang import migrations
from jiexiang.api.app import create_app
from jiexiang.api.web import DIST
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import SystemClock
from jiexiang.demo.build import build_demo
from jiexiang.demo.people import DEMO_PASSWORD
from jiexiang.domains.cases.models import Case

WEB = Path(__file__).resolve().parent.parent / "web"


def grow_cases(factory: object, target: int, seed: int = 3) -> int:
    """Copies of the demo's cases, each moved up to ~30 m and spread over the same two years, up to `target`."""
    rng = random.Random(seed)
    with unit_of_work(factory) as session:  # type: ignore[arg-type]
        originals = [
            {c.key: getattr(case, c.key) for c in Case.__table__.columns if c.key != "id"}
            for case in session.scalars(select(Case).where(Case.lon.is_not(None)))
        ]
        have = session.scalar(select(func.count()).select_from(Case)) or 0
        next_id = (session.scalar(select(func.max(Case.id))) or 0) + 1
        copies = []
        while have + len(copies) < target:
            row = dict(rng.choice(originals))
            row["id"] = next_id + len(copies)
            row["lon"] += rng.uniform(-0.0003, 0.0003)
            row["lat"] += rng.uniform(-0.0003, 0.0003)
            copies.append(row)
        for start in range(0, len(copies), 5000):
            session.execute(insert(Case), copies[start : start + 5000])
        return have + len(copies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not (DIST / "index.html").is_file():
        sys.exit("先构建前端：cd web && npm ci && npm run build")
    url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}"
    settings = Settings(mode=Mode.demo, database_url=url, analytics_hours=0, sweep_minutes=0, dispatch_sweep_seconds=0)
    migrations.upgrade(url)
    factory = create_session_factory(create_db_engine(url))
    with unit_of_work(factory) as session:
        build_demo(session, settings=settings, clock=SystemClock())
    total = grow_cases(factory, args.cases)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    base = f"http://127.0.0.1:{port}"
    while not server.started:
        time.sleep(0.1)
    with httpx.Client(base_url=base, timeout=120) as client:
        token = client.post("/api/auth/token", data={"username": "admin", "password": DEMO_PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}", "Accept-Encoding": "gzip"}
        for path in ("/api/cases/points", "/api/cases/stats"):
            samples, size, zipped = [], 0, 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                answer = client.get(path, headers=headers)
                samples.append(time.perf_counter() - started)
                size, zipped = len(answer.content), len(gzip.compress(answer.content))
            print(
                f"{path} over {total:,} cases: {statistics.median(samples) * 1000:.0f} ms (median of {args.repeat}), "
                f"{size / 1e6:.1f} MB, {zipped / 1e6:.2f} MB gzipped"
            )
    browser = subprocess.run(
        ["node", "benchmarks/first-load.mjs", base, "admin", DEMO_PASSWORD],
        cwd=WEB,
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(browser.stdout.strip().splitlines()[-1])
    cold, warm, everything, motion = measured["cold"], measured["warm"], measured["all"], measured["motion"]
    print(
        f"map first load (cold cache, {cold['cases']:,} cases of the last 30 days): {cold['ms']} ms; "
        f"reload: {warm['ms']} ms; assets {measured['asset_bytes'] / 1e6:.2f} MB over the wire"
    )
    print(f"all {everything['cases']:,} cases fetched, clustered and drawn: {everything['ms']} ms")
    print(
        f"with all of them, while panning, zooming and rotating: {motion['fps']:.0f} frames/s, "
        f"longest frame {motion['longest_frame_ms']:.0f} ms (software WebGL)"
    )
    assets = sorted((DIST / "assets").iterdir())
    raw = sum(p.stat().st_size for p in assets)
    zipped = sum(len(gzip.compress(p.read_bytes())) for p in assets if p.suffix in (".js", ".mjs", ".css"))
    print(f"built bundle: {raw / 1e6:.2f} MB in {len(assets)} files ({zipped / 1e6:.2f} MB gzipped)")
    server.should_exit = True


if __name__ == "__main__":
    main()
