"""End-to-end 12345 hotline import: generate a realistic export for the demo subdistrict (with dirty
rows, and each row's ticket fields: 派单时间, 诉求类型, 主办单位, 首次联系时间) and import it into a fresh SQLite
database with `jiexiang import hotline`'s own code path (reports, cases and tickets).

    .venv/bin/python -m benchmarks.hotline [--rows N] [--keep DIR]

Reports rows per second, peak memory, and the ratio to a bare bulk insert of the same rows into one
plain table (the floor any importer pays to write the data at all).
"""

from __future__ import annotations

import argparse
import csv
import random
import resource
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from jiexiang import migrations
from jiexiang.core.config import Mode, Settings
from jiexiang.core.db import create_db_engine, create_session_factory, unit_of_work
from jiexiang.core.time import SystemClock
from jiexiang.demo import geography
from jiexiang.demo.build import build_demo
from jiexiang.demo.messages import TEMPLATES, message
from jiexiang.domains.places.enums import Layer

HEADER = [
    "工单编号",
    "受理时间",
    "诉求内容",
    "事发地址",
    "问题分类",
    "来电人",
    "联系电话",
    "经度",
    "纬度",
    "派单时间",
    "诉求类型",
    "主办单位",
    "首次联系时间",
]
KINDS = ["投诉", "投诉", "求助", "咨询", "建议"]
UNITS = ["西长安街街道城市管理办公室", "西城区城市管理委员会", "北京市路灯管理中心", "长安物业管理有限公司"]
LABELS = {
    "1101": "堆物堆料",
    "1102": "渣土遗撒",
    "1103": "垃圾堆积",
    "1104": "垃圾清运",
    "1201": "小广告",
    "1301": "违章建筑",
    "1401": "道路积水",
    "1501": "乱停乱放",
    "1502": "停车管理",
    "1503": "店外经营",
    "1504": "无照经营游商",
    "1505": "噪音扰民",
    "1601": "道路破损",
    "1602": "人行道破损",
    "1701": "绿地损坏",
    "0117": "井盖缺失",
    "0114": "路灯不亮",
    "0305": "公共设施损坏",
    "0206": "公共设施损坏",
}


def generate(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    demo = geography.build(20261126)
    addresses = [r.values["name"] for r in demo.rows[Layer.addresses]]
    points = [(r.geometry.x, r.geometry.y) for r in demo.rows[Layer.addresses]]  # type: ignore[union-attr]
    codes = sorted(TEMPLATES)
    start = datetime(2025, 1, 1, 8, 0)
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for i in range(rows):
            code = rng.choice(codes)
            where = rng.randrange(len(addresses))
            place = addresses[where]
            when = start + timedelta(minutes=i * 0.5 + rng.random())
            row = [
                f"GD{when:%Y%m%d}{i:08d}",
                when.strftime("%Y-%m-%d %H:%M:%S"),
                message(rng, code, place),
                place,
                LABELS[code] if rng.random() < 0.8 else "",
                rng.choice("王李张刘陈") + "先生",
                f"13{rng.randint(100000000, 999999999)}",
                "",
                "",
                (when + timedelta(minutes=rng.uniform(5, 60))).strftime("%Y-%m-%d %H:%M:%S"),
                rng.choice(KINDS),
                rng.choice(UNITS),
                (when + timedelta(hours=rng.uniform(1, 30))).strftime("%Y-%m-%d %H:%M:%S")
                if rng.random() < 0.7
                else "",
            ]
            if rng.random() < 0.3:  # a third come with coordinates from the caller's phone
                lon, lat = points[where]
                row[7], row[8] = f"{lon + rng.gauss(0, 0.00005):.6f}", f"{lat + rng.gauss(0, 0.00005):.6f}"
            dirt = rng.random()
            if dirt < 0.005:
                row[1] = "时间不详"
            elif dirt < 0.01:
                row[2] = ""
            elif dirt < 0.015:
                row[4] = "其他事项"
            elif dirt < 0.02:
                row[7], row[8] = "116.50", "39.95"
            writer.writerow(row)


def bare_insert(path: Path) -> float:
    """Seconds to read the same CSV and executemany it into one plain SQLite table."""
    database = path.with_suffix(".bare.db")
    database.unlink(missing_ok=True)
    started = time.perf_counter()
    connection = sqlite3.connect(database)
    connection.execute(f"CREATE TABLE rows ({', '.join(f'c{i} TEXT' for i in range(len(HEADER)))})")
    with path.open(encoding="gb18030", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        connection.executemany(f"INSERT INTO rows VALUES ({', '.join('?' * len(HEADER))})", reader)
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep the generated files in")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="jiexiang-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    export = folder / f"hotline-{args.rows}.csv"
    if not export.exists():
        started = time.perf_counter()
        generate(export, args.rows)
        size = export.stat().st_size / 1e6
        print(f"generated {args.rows:,} rows ({size:.0f} MB) in {time.perf_counter() - started:.0f} s")
    url = f"sqlite:///{folder / 'bench.db'}"
    (folder / "bench.db").unlink(missing_ok=True)
    settings = Settings(mode=Mode.demo, database_url=url, secret_key="benchmark-secret-" + "x" * 20)
    migrations.upgrade(url)
    engine = create_db_engine(url)
    with unit_of_work(create_session_factory(engine)) as session:
        build_demo(session, settings=settings, clock=SystemClock())
    engine.dispose()

    from jiexiang.ingest import hotline
    from jiexiang.ingest.runner import run_import

    started = time.perf_counter()
    summary = run_import(settings, hotline.read(export), file_name=export.name)
    elapsed = time.perf_counter() - started
    bare = bare_insert(export)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(summary.describe())
    print(
        f"import: {args.rows:,} rows in {elapsed:.1f} s = {args.rows / elapsed:,.0f} rows/s; "
        f"peak memory {peak:,.0f} MiB"
    )
    print(
        f"bare bulk insert of the same rows: {bare:.1f} s = {args.rows / bare:,.0f} rows/s; "
        f"import/bare time ratio {elapsed / bare:.1f}"
    )


if __name__ == "__main__":
    main()
