"""Field force benchmarks against a real server process (`jiexiang serve`) on the demo subdistrict.

    .venv/bin/python -m benchmarks.field [--database-url URL] [--workers 300] [--devices 1000]

Measures, on a fresh database (SQLite in a temporary folder unless a PostgreSQL URL is given):
  1. batched position intake: workers posting 500-fix batches to /api/track/batch, positions per second;
  2. devices reporting one fix per request through the Traccar/OsmAnd endpoint: requests per second and
     latency, i.e. how many devices reporting every 10 s one server process carries;
  3. the dispatch decision (ranking every on-duty worker by walking distance) for one urgent case;
  4. end to end: a resident's urgent report accepted → the nearest worker offered, over HTTP.
The load generator runs in this process and the server in another; both share the machine's cores.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import select
from sqlalchemy.engine import make_url

from jiexiang import migrations
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import SystemClock
from jiexiang.demo.build import build_demo
from jiexiang.demo.people import DEMO_PASSWORD
from jiexiang.domains.accounts import service as accounts
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.schemas import UserCreate
from jiexiang.domains.cases.models import Case
from jiexiang.domains.dispatch import service as dispatch
from jiexiang.domains.dispatch.models import DispatchOffer
from jiexiang.domains.dispatch.network import WalkingNetwork
from jiexiang.domains.workforce import service as workforce
from jiexiang.domains.workforce.enums import PositionSource
from jiexiang.domains.workforce.protocols import Fix


def prepare(url: str, *, workers: int, devices: int) -> list[tuple[str, str]]:
    """The demo, plus `workers` field workers on shift with a position each and `devices` registered
    phones. Returns (username, device id) for the devices."""
    settings = Settings(mode=Mode.demo, database_url=url, secret_key="benchmark-secret-" + "x" * 20)
    migrations.upgrade(url)
    engine = create_db_engine(url)
    clock = SystemClock()
    now = clock.now()
    rng = random.Random(5)
    phones = []
    with unit_of_work(create_session_factory(engine)) as session:
        build_demo(session, settings=settings, clock=clock)
        network = WalkingNetwork.for_session(session)
        nodes = list(network.graph.nodes)
        shared = accounts.hash_password(DEMO_PASSWORD, settings=settings)
        for i in range(max(workers, devices)):
            user = accounts.create_user(
                session,
                data=UserCreate(
                    username=f"bench{i:04d}", password=DEMO_PASSWORD, full_name=f"测试{i}", role=Role.grid_worker
                ),
                settings=settings,
                clock=clock,
                password_hash=shared,
            )
            if i < devices:
                workforce.add_device(session, user=user, device_id=f"bench-{i:04d}", label=None, clock=clock)
                phones.append((user.username, f"bench-{i:04d}"))
            if i < workers:
                workforce.add_shift(
                    session,
                    user=user,
                    starts_at=now - timedelta(hours=1),
                    ends_at=now + timedelta(hours=7),
                    clock=clock,
                )
                lon, lat = network.to_lonlat(rng.choice(nodes))
                workforce.record_positions(
                    session,
                    incoming=[
                        workforce.Incoming(
                            user.id, PositionSource.app, None, Fix(now - timedelta(seconds=30), lon, lat, 5.0)
                        )
                    ],
                    now=now,
                )
    engine.dispose()
    return phones


def start_server(url: str, port: int) -> subprocess.Popen[bytes]:
    env = os.environ | {
        "JIEXIANG_DATABASE_URL": url,
        "JIEXIANG_MODE": "demo",
        "JIEXIANG_SECRET_KEY": "benchmark-secret-" + "x" * 20,
        "JIEXIANG_SWEEP_MINUTES": "0",
        "JIEXIANG_ANALYTICS_HOURS": "0",  # no analytics run in the background of a measurement
    }
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "jiexiang"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start")


async def batched(base: str, tokens: list[str], *, batches: int, size: int) -> float:
    """Positions per second through /api/track/batch, a few workers posting at once."""
    rng = random.Random(9)
    start = int(time.time()) - 86_400  # yesterday: every fix is in the accepted window and none repeats

    async def post(client: httpx.AsyncClient, token: str, batch: int) -> None:
        fixes = [
            {
                "timestamp": start + batch * size + i,
                "lat": 39.905 + rng.random() * 0.01,
                "lon": 116.365 + rng.random() * 0.01,
                "accuracy": 5,
            }
            for i in range(size)
        ]
        response = await client.post("/api/track/batch", json=fixes, headers={"Authorization": f"Bearer {token}"})
        response.raise_for_status()

    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        started = time.perf_counter()
        for round_ in range(0, batches, len(tokens)):
            await asyncio.gather(*(post(client, t, round_ + k) for k, t in enumerate(tokens)))
        return batches * size / (time.perf_counter() - started)


async def devices_reporting(
    base: str, phones: list[tuple[str, str]], *, rounds: int, concurrency: int
) -> tuple[float, float, float]:
    """Single-fix OsmAnd requests as fast as the server takes them: (requests/s, p50 ms, p95 ms)."""
    latencies: list[float] = []
    semaphore = asyncio.Semaphore(concurrency)
    now = int(time.time())

    async def one(client: httpx.AsyncClient, device: str, round_: int, index: int) -> None:
        params = {"id": device, "timestamp": now - (rounds - round_) * 10, "lat": f"{39.9 + index * 1e-5:.6f}",
                  "lon": f"{116.37 + round_ * 1e-5:.6f}", "accuracy": 5}  # fmt: skip
        async with semaphore:
            began = time.perf_counter()
            response = await client.get("/api/track/osmand", params=params)
            latencies.append(time.perf_counter() - began)
        response.raise_for_status()

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=60, limits=limits) as client:
        started = time.perf_counter()
        for round_ in range(rounds):
            await asyncio.gather(*(one(client, device, round_, i) for i, (_, device) in enumerate(phones)))
        elapsed = time.perf_counter() - started
    latencies.sort()
    return len(latencies) / elapsed, latencies[len(latencies) // 2] * 1000, latencies[int(len(latencies) * 0.95)] * 1000


def dispatch_decision(url: str, repeat: int = 30) -> tuple[float, int]:
    """Median ms to rank every on-duty worker for an urgent case, and how many were ranked."""
    engine = create_db_engine(url)
    with unit_of_work(create_session_factory(engine)) as session:
        case = session.scalars(select(Case).where(Case.lon.is_not(None)).limit(1)).one()
        now = SystemClock().now()
        rules = dispatch.Rules()
        dispatch.rank(session, case=case, now=now, rules=rules)  # the network is built once per process
        samples = []
        for _ in range(repeat):
            began = time.perf_counter()
            ranked = dispatch.rank(session, case=case, now=now, rules=rules)
            samples.append(time.perf_counter() - began)
    engine.dispose()
    return statistics.median(samples) * 1000, len(ranked)


def report_to_offer(base: str, url: str, repeat: int = 10) -> tuple[float, int]:
    """Median ms from POSTing an urgent report to the response, with the offer made inside it; and how
    many of the reported cases were offered to a worker."""
    token = httpx.post(f"{base}/api/auth/token", data={"username": "resident", "password": DEMO_PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    samples, case_ids = [], []
    for i in range(repeat):
        data = {"text": "井盖丢了", "category": "0117", "lon": f"{116.366 + i * 0.0012:.6f}", "lat": "39.9030"}
        began = time.perf_counter()
        response = httpx.post(f"{base}/api/reports", data=data, headers=headers, timeout=30)
        samples.append(time.perf_counter() - began)
        response.raise_for_status()
        case_ids.append(response.json()["case_id"])
    engine = create_db_engine(url)
    with unit_of_work(create_session_factory(engine)) as session:
        offered = len(set(session.scalars(select(DispatchOffer.case_id).where(DispatchOffer.case_id.in_(case_ids)))))
    engine.dispose()
    return statistics.median(samples) * 1000, offered


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--workers", type=int, default=300)
    parser.add_argument("--devices", type=int, default=1000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jiexiang-field-"))
    url = args.database_url or f"sqlite:///{folder / 'field.db'}"
    backend = make_url(url).get_backend_name()
    started = time.perf_counter()
    phones = prepare(url, workers=args.workers, devices=args.devices)
    print(
        f"[{backend}] prepared demo + {len(phones)} devices, {args.workers} workers on shift "
        f"in {time.perf_counter() - started:.0f} s"
    )
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        tokens = [
            httpx.post(f"{base}/api/auth/token", data={"username": f"bench{i:04d}", "password": DEMO_PASSWORD}).json()[
                "access_token"
            ]
            for i in range(4)
        ]
        rate = asyncio.run(batched(base, tokens, batches=40, size=500))
        print(f"[{backend}] batched intake: 20,000 positions in 500-fix batches, 4 clients: {rate:,.0f} positions/s")
        per_second, p50, p95 = asyncio.run(devices_reporting(base, phones, rounds=5, concurrency=32))
        print(
            f"[{backend}] OsmAnd single-fix requests from {len(phones)} devices: {per_second:,.0f} requests/s "
            f"(p50 {p50:.0f} ms, p95 {p95:.0f} ms) = {per_second * 10:,.0f} devices reporting every 10 s"
        )
        median, ranked = dispatch_decision(url)
        print(
            f"[{backend}] dispatch decision: {ranked} on-duty workers ranked by walking distance "
            f"in {median:.1f} ms (median)"
        )
        e2e, offered = report_to_offer(base, url)
        print(f"[{backend}] urgent report accepted → worker offered: {e2e:.0f} ms (median of 10; {offered}/10 offered)")
    finally:
        server.terminate()
        server.wait(10)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"[{backend}] load generator peak memory {peak:.0f} MiB")


if __name__ == "__main__":
    main()
