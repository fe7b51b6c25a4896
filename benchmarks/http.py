"""Read throughput of a real server process under concurrent load, measured with wrk (Debian package `wrk`).

    .venv/bin/python -m benchmarks.http [--database-url URL] [--seconds 30] [--connections 16]

Builds the demo subdistrict on a fresh database (SQLite in a temporary folder unless a PostgreSQL URL is given),
starts `jiexiang serve` (one process) and runs wrk from this machine over loopback against
  /api/health, /api/places/alleys and /api/cases?page_size=50 (the latter two signed in as admin),
printing requests per second, p50 and p99 latency and every non-2xx answer or socket error. The server and wrk
share the machine's cores.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from sqlalchemy.engine import make_url

from benchmarks.field import start_server
from jiexiang import migrations
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import SystemClock
from jiexiang.demo.build import build_demo
from jiexiang.demo.people import DEMO_PASSWORD

PATHS = ("/api/health", "/api/places/alleys", "/api/cases?page_size=50")
SECRET = "benchmark-secret-" + "x" * 20  # as benchmarks.field starts the server with


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}[unit]


def parse(output: str) -> dict[str, float]:
    """Requests per second, p50/p99 in ms, non-2xx answers and socket errors, from wrk --latency output."""
    latency = dict(re.findall(r"^\s+(50|99)%\s+([\d.]+\w+)", output, re.MULTILINE))
    found = {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),  # type: ignore[union-attr]
        "non_2xx": float(m.group(1)) if (m := re.search(r"Non-2xx or 3xx responses: (\d+)", output)) else 0.0,
        "socket_errors": sum(float(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", output)),
    }
    for pct, text in latency.items():
        number, unit = re.match(r"([\d.]+)(\w+)", text).groups()  # type: ignore[union-attr]
        found[f"p{pct}_ms"] = _ms(number, unit)
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--database-url")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("wrk is needed: apt-get install wrk")
    folder = Path(tempfile.mkdtemp(prefix="jiexiang-http-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    settings = Settings(mode=Mode.demo, database_url=url, secret_key=SECRET, media_dir=folder / "media")
    migrations.upgrade(url)
    engine = create_db_engine(url)
    with unit_of_work(create_session_factory(engine)) as session:
        build_demo(session, settings=settings, clock=SystemClock())
    engine.dispose()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = start_server(url, port)
    base = f"http://127.0.0.1:{port}"
    try:
        login = httpx.post(f"{base}/api/auth/token", data={"username": "admin", "password": DEMO_PASSWORD})
        token = login.json()["access_token"]
        backend = make_url(url).get_backend_name()
        print(f"{backend}: {args.connections} connections, {args.seconds} s each, one server process")
        for path in PATHS:
            run = subprocess.run(
                [
                    "wrk",
                    "-t2",
                    f"-c{args.connections}",
                    f"-d{args.seconds}s",
                    "--latency",
                    "-H",
                    f"Authorization: Bearer {token}",
                    base + path,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            figures = parse(run.stdout)
            print(
                f"  {path:28} {figures['rps']:8.1f} req/s   p50 {figures['p50_ms']:7.1f} ms   "
                f"p99 {figures['p99_ms']:7.1f} ms   non-2xx {figures['non_2xx']:.0f}   "
                f"socket errors {figures['socket_errors']:.0f}"
            )
            time.sleep(1)
    finally:
        server.terminate()
        server.wait(10)
        if not args.database_url:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
