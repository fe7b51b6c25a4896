"""A car park gate's export imported end to end: the demo subdistrict, then a GB18030 CSV of N stays at a lender's
spaces (its permit holders, some leaving late, and cars without permits) imported with
`jiexiang import gate`'s own code path, then the same file again (which must change nothing).

    .venv/bin/python -m benchmarks.gate [--rows N] [--database-url URL]

Reports rows per second for the first and the repeated import, the violations found, and peak memory.
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import tempfile
import time
from datetime import timedelta
from pathlib import Path

from sqlalchemy import select

from jiexiang import migrations
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import SystemClock, WorkCalendar, to_local
from jiexiang.demo.build import build_demo
from jiexiang.domains.parking import gate, use
from jiexiang.domains.parking.enums import LotKind
from jiexiang.domains.parking.models import Lot, Permit
from jiexiang.domains.parking.rules import load_rules


def write_export(path: Path, *, lot: Lot, plates: list[str], rows: int, days: int, calendar: WorkCalendar) -> None:
    """`rows` stays over the last `days` days (the permits are older), each inside an opening of the lender's window
    on the working calendar; one in twenty leaves late and one in thirty has no permit."""
    rng = random.Random(7)
    window = lot.agreements[0].window
    today = to_local(SystemClock().now()).date()
    nights = [d for n in range(2, days + 1) if window.opens_on(d := today - timedelta(days=n), calendar)]
    with path.open("w", encoding="gb18030", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["记录编号", "车牌号", "入场时间", "出场时间"])
        for n in range(rows):
            plate = rng.choice(plates) if rng.random() > 1 / 30 else f"京Z{n % 100000:05d}"
            opens, closes = window.opening(rng.choice(nights), calendar.tz)
            arrived = opens + timedelta(minutes=rng.uniform(0, 180))
            late = rng.random() < 0.05
            departed = closes + timedelta(minutes=rng.uniform(20, 120) if late else -rng.uniform(10, 90))
            out.writerow([f"B{n:07d}", plate, f"{arrived:%Y-%m-%d %H:%M:%S}", f"{departed:%Y-%m-%d %H:%M:%S}"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--days", type=int, default=28)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="jiexiang-gate-"))
    url = args.database_url or f"sqlite:///{folder / 'bench.db'}"
    settings = Settings(mode=Mode.demo, database_url=url, secret_key="benchmark-secret-" + "x" * 20)
    migrations.upgrade(url)
    sessions = create_session_factory(create_db_engine(url))
    clock = SystemClock()
    with unit_of_work(sessions) as session:
        build_demo(session, settings=settings, clock=clock)
    cutoff = to_local(clock.now()).date() - timedelta(days=args.days)  # permits older than the export
    with unit_of_work(sessions) as session:
        lot = session.scalars(select(Lot).where(Lot.kind == LotKind.time_shared).order_by(Lot.id)).first()
        assert lot is not None
        lot_id = lot.id
        plates = list(session.scalars(select(Permit.plate).where(Permit.lot_id == lot_id, Permit.valid_from <= cutoff)))
    calendar = WorkCalendar.load(working_hours=settings.working_hours)
    export = folder / "gate.csv"
    with unit_of_work(sessions) as session:
        write_export(
            export, lot=session.get_one(Lot, lot_id), plates=plates, rows=args.rows, days=args.days, calendar=calendar
        )
    judge = use.Judge(calendar, use.Penalties.of(settings))
    for attempt in ("first", "again"):
        started = time.perf_counter()
        records, bad = gate.split(gate.read(export))
        with unit_of_work(sessions) as session:
            found = session.get_one(Lot, lot_id)
            summary = use.import_gate(
                session, lot=found, records=records, rules=load_rules(), judge=judge, now=clock.now()
            )
        spent = time.perf_counter() - started
        print(
            f"{attempt}: {args.rows:,} rows in {spent:.1f} s = {args.rows / spent:,.0f} rows/s; {summary.describe()}"
            f"{f'; {len(bad)} unreadable' if bad else ''}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory {peak:,.0f} MiB (the demo build included); database {url}")


if __name__ == "__main__":
    main()
