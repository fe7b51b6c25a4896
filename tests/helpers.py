"""What many tests share, in one place: signing in and driving the API, photos with EXIF, the live stream's
first event, who sees which case, a synthetic city for the analytics, and an official holiday notice."""

from __future__ import annotations

import io
import threading
from collections.abc import Callable
from pathlib import Path

import h3
import httpx
import numpy as np
import pandas as pd
from fastapi.testclient import TestClient
from PIL import Image

from tests.factories import PASSWORD

CENTRE = h3.latlng_to_cell(39.905, 116.37, 9)

NOTICE_2027 = """# 国务院办公厅关于2027年部分节假日安排的通知（测试）
year = 2027

[[holidays]]
name = "元旦"
start = 2027-01-01
end = 2027-01-04
make_up = [2027-01-09]
"""

ORDERS = """工单编号,受理时间,诉求内容,经度,纬度,问题分类
C1,2026-11-25 09:00,胡同里堆满建筑垃圾,116.3680,39.9020,堆物堆料
C2,2026-11-25 09:10,路灯不亮,116.3720,39.9020,路灯不亮
C3,2026-11-25 09:20,门口乱堆杂物,116.3702,39.9035,乱堆乱放
"""
# Who sees which case: C1 is on 光明胡同 (west) with the water company, C2 on 力学胡同 (east) with the street
# lights office, C3 on 府右街 (east), not dispatched yet. Written out by hand, not derived from the code.
EVERYTHING = {"C1", "C2", "C3"}
SEES = {
    "admin": EVERYTHING,
    "operator": EVERYTHING,
    "dispatcher": EVERYTHING,
    "handler": EVERYTHING,  # a handler not limited to a unit
    "grid_worker": EVERYTHING,
    "chief": EVERYTHING,
    "steward": EVERYTHING,
    "west_worker": {"C1"},  # limited to the west community
    "a2_chief": {"C2"},  # limited to 力学胡同
    "water_handler": {"C1"},  # limited to the water company
    "lights_steward": {"C2"},  # a quasi-property company's account limited to the lights office's cases
}


def login(client: TestClient, username: str) -> dict[str, str]:
    response = client.post("/api/auth/token", data={"username": username, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def act(client: TestClient, case_id: int, username: str, action: str, **extra: object) -> dict[str, object]:
    response = client.post(
        f"/api/cases/{case_id}/transitions", headers=login(client, username), json={"action": action, **extra}
    )
    return {**response.json(), "http": response.status_code}


def only_case(client: TestClient) -> int:
    return int(client.get("/api/cases", headers=login(client, "operator")).json()["items"][0]["id"])


def dms(value: float) -> tuple[float, float, float]:
    degrees = int(value)
    minutes = int((value - degrees) * 60)
    return float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 4)


def photo(lon: float | None = None, lat: float | None = None, *, orientation: int = 1) -> bytes:
    image = Image.new("RGB", (40, 20), "orange")
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "测试手机"  # camera make: must not survive
    if lon is not None and lat is not None:
        exif.get_ifd(0x8825).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lon)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return buffer.getvalue()


def first_event(live_server: str, token: str, trigger: Callable[[], None]) -> list[str]:
    """Open the stream, run `trigger`, and return the stream's lines up to the first event's data."""
    received: list[str] = []
    opened = threading.Event()

    def listen() -> None:
        with httpx.stream("GET", f"{live_server}/api/live/stream", params={"token": token}, timeout=10) as stream:
            for line in stream.iter_lines():
                opened.set()
                received.append(line)
                if line.startswith("data:"):
                    return

    listener = threading.Thread(target=listen, daemon=True)
    listener.start()
    assert opened.wait(5)
    trigger()
    listener.join(5)
    return received


def city(seed: int = 3, days: int = 730) -> pd.DataFrame:
    """Two categories with the structure the models should find: a persistent hotspot (debris), and
    defects fixed once that repeat next door for two weeks (manhole covers)."""
    rng = np.random.default_rng(seed)
    start = pd.Timestamp("2024-01-01", tz="UTC")
    cells = sorted(h3.grid_disk(CENTRE, 6))
    hot = sorted(h3.grid_disk(cells[10], 1))
    rows = []
    for day in range(days):
        for _ in range(rng.poisson(4)):
            cell = hot[rng.integers(len(hot))] if rng.random() < 0.5 else cells[rng.integers(len(cells))]
            rows.append(("debris", start + pd.Timedelta(days=day, hours=float(rng.random() * 24)), cell))
        if rng.random() < 0.3:  # a broken cover somewhere, then its neighbours for a fortnight
            seed_cell = cells[rng.integers(len(cells))]
            rows.append(("manhole", start + pd.Timedelta(days=day), seed_cell))
            for _ in range(rng.poisson(2)):
                near = sorted(h3.grid_disk(seed_cell, 1))[rng.integers(7)]
                rows.append(("manhole", start + pd.Timedelta(days=day + float(rng.random() * 14)), near))
    frame = pd.DataFrame(rows, columns=["category", "occurred_at", "h3_cell"])
    latlng = [h3.cell_to_latlng(c) for c in frame["h3_cell"]]
    return (
        frame.assign(id=range(len(frame)), lat=[p[0] for p in latlng], lon=[p[1] for p in latlng])
        .sort_values("occurred_at", kind="stable")
        .reset_index(drop=True)
    )


def write_csv(events: pd.DataFrame, path: Path) -> Path:
    """`events` as the CSV the command line reads."""
    events.assign(occurred_at=events["occurred_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ")).loc[
        :, ["id", "category", "occurred_at", "lon", "lat"]
    ].to_csv(path, index=False)
    return path
