"""A field-force simulator: field workers walk the alley network and report through the real protocols —
Traccar Client / OsmAnd over HTTP, OwnTracks over HTTP, OwnTracks over MQTT — to a running server, so
that the demo shows live workers and the intake is exercised as real phones exercise it.

It prepares what a real deployment would (a registered device per OsmAnd worker, a shift covering the
walk) directly in the database, then talks to the server only through its public endpoints. With
`speedup` above 1 it replays the walk of the last `minutes` minutes faster than real time."""

from __future__ import annotations

import asyncio
import base64
import json
import math
import random
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import httpx
import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import select
from sqlalchemy.orm import Session

from jiexiang.core.time import Clock
from jiexiang.domains.accounts.enums import Role
from jiexiang.domains.accounts.models import User
from jiexiang.domains.dispatch.network import Node, WalkingNetwork
from jiexiang.domains.workforce import service as workforce
from jiexiang.domains.workforce.models import Device, Shift

PROTOCOLS = ("osmand", "owntracks", "mqtt")
WALKING_MPS = 1.2
GPS_NOISE_M = 4.0


@dataclass
class SimulatedWorker:
    user_id: int
    username: str
    protocol: str
    device_id: str
    path: list[Node]  # network nodes, in metres
    rng: random.Random
    leg: int = 0
    along: float = 0.0

    def step(self, network: WalkingNetwork, metres: float) -> tuple[float, float]:
        """Walk on by `metres` (turning at random at junctions) and return a noisy (lon, lat)."""
        self.along += metres
        while True:
            a, b = self.path[self.leg], self.path[self.leg + 1]
            length = math.dist(a, b)
            if self.along <= length:
                break
            self.along -= length
            self.leg += 1
            if self.leg + 1 >= len(self.path):
                self.path = self.path[-1:] + _wander(network, self.path[-1], self.rng)
                self.leg = 0
        share = self.along / length if length else 0.0
        x = a[0] + (b[0] - a[0]) * share + self.rng.gauss(0, GPS_NOISE_M)
        y = a[1] + (b[1] - a[1]) * share + self.rng.gauss(0, GPS_NOISE_M)
        return network.to_lonlat((x, y))


@dataclass
class Outcome:
    sent: int = 0
    failed: dict[str, int] = field(default_factory=dict)
    by_protocol: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0


def _wander(network: WalkingNetwork, start: Node, rng: random.Random, hops: int = 40) -> list[Node]:
    path, here, previous = [], start, None
    for _ in range(hops):
        choices = [n for n in network.graph.neighbors(here) if n != previous] or list(network.graph.neighbors(here))
        if not choices:
            break
        previous, here = here, rng.choice(choices)
        path.append(here)
    return path


def prepare(
    session: Session, *, workers: int, minutes: float, clock: Clock, seed: int = 7
) -> tuple[WalkingNetwork, list[SimulatedWorker]]:
    """Pick field workers, register an OsmAnd device for each and a shift over the walk; place them."""
    network = WalkingNetwork.for_session(session)
    nodes = [n for n in network.graph.nodes if network.graph.degree(n) > 0]
    if not nodes:
        raise ValueError("没有街巷网络：请先导入街巷（或运行 jiexiang demo）")
    people = list(
        session.scalars(
            select(User)
            .where(User.role.in_([Role.grid_worker, Role.alley_chief]), User.is_active.is_(True))
            .order_by(User.username)
            .limit(workers)
        )
    )
    if not people:
        raise ValueError("没有网格员或街巷长账号")
    now = clock.now()
    rng = random.Random(seed)
    simulated = []
    for i, user in enumerate(people):
        device_id = f"sim-{user.username}"
        if session.scalars(select(Device).where(Device.device_id == device_id)).first() is None:
            workforce.add_device(session, user=user, device_id=device_id, label="模拟器", clock=clock)
        covering = select(Shift).where(
            Shift.user_id == user.id,
            Shift.starts_at <= now - timedelta(minutes=minutes),
            Shift.ends_at >= now + timedelta(hours=1),
        )
        if session.scalars(covering).first() is None:
            start = now - timedelta(minutes=minutes + 5)
            workforce.add_shift(session, user=user, starts_at=start, ends_at=start + timedelta(hours=8), clock=clock)
        walker_rng = random.Random(rng.random())
        origin = walker_rng.choice(nodes)
        simulated.append(
            SimulatedWorker(
                user_id=user.id,
                username=user.username,
                protocol=PROTOCOLS[i % len(PROTOCOLS)],
                device_id=device_id,
                path=[origin, *_wander(network, origin, walker_rng)],
                rng=walker_rng,
            )
        )
    session.flush()
    return network, simulated


async def run(
    network: WalkingNetwork,
    walkers: list[SimulatedWorker],
    *,
    base_url: str,
    password: str,
    minutes: float,
    interval: float = 10.0,
    speedup: float = 1.0,
    mqtt_host: str | None = None,
    mqtt_port: int = 1883,
    mqtt_base: str = "owntracks",
    now: datetime | None = None,
) -> Outcome:
    """Walk for `minutes`, each worker reporting every `interval` seconds of walk. Without an MQTT broker the
    MQTT share reports over OwnTracks HTTP instead."""
    outcome = Outcome()
    started = time.perf_counter()
    ticks = int(minutes * 60 / interval)
    begin = (now or datetime.now().astimezone()) - (timedelta(minutes=minutes) if speedup > 1 else timedelta(0))
    publisher = _mqtt(mqtt_host, mqtt_port) if mqtt_host else None
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    async with httpx.AsyncClient(base_url=base_url, timeout=30, limits=limits) as client:
        for tick in range(ticks):
            at = begin + timedelta(seconds=tick * interval)
            sends = [
                _send(client, publisher, mqtt_base, w, w.step(network, WALKING_MPS * interval), at, password, outcome)
                for w in walkers
            ]
            await asyncio.gather(*sends)
            wait = (tick + 1) * interval / speedup - (time.perf_counter() - started)
            if wait > 0 and tick + 1 < ticks:
                await asyncio.sleep(wait)
    if publisher is not None:
        publisher.loop_stop()
        publisher.disconnect()
    outcome.seconds = time.perf_counter() - started
    return outcome


def _mqtt(host: str, port: int) -> mqtt.Client:
    client = mqtt.Client(callback_api_version=CallbackAPIVersion.VERSION2)
    client.connect(host, port)
    client.loop_start()
    return client


async def _send(
    client: httpx.AsyncClient,
    publisher: mqtt.Client | None,
    mqtt_base: str,
    walker: SimulatedWorker,
    where: tuple[float, float],
    at: datetime,
    password: str,
    outcome: Outcome,
) -> None:
    lon, lat = where
    stamp = int(at.timestamp())
    battery = max(5, 100 - stamp // 600 % 90)
    owntracks = {
        "_type": "location",
        "lat": round(lat, 7),
        "lon": round(lon, 7),
        "tst": stamp,
        "acc": 6,
        "vel": round(WALKING_MPS * 3.6),
        "batt": battery,
        "tid": walker.username[-2:],
    }
    protocol = walker.protocol if (walker.protocol != "mqtt" or publisher is not None) else "owntracks"
    try:
        if protocol == "osmand":
            params: dict[str, str | int] = {
                "id": walker.device_id,
                "timestamp": stamp,
                "lat": f"{lat:.7f}",
                "lon": f"{lon:.7f}",
                "speed": f"{WALKING_MPS / 0.514444:.2f}",
                "accuracy": 6,
                "batt": battery,
            }
            response = await client.get("/api/track/osmand", params=params)
            response.raise_for_status()
        elif protocol == "owntracks":
            auth = base64.b64encode(f"{walker.username}:{password}".encode()).decode()
            headers = {"Authorization": f"Basic {auth}", "X-Limit-U": walker.username, "X-Limit-D": walker.device_id}
            response = await client.post("/api/track/owntracks", json=owntracks, headers=headers)
            response.raise_for_status()
        else:
            assert publisher is not None
            info = publisher.publish(f"{mqtt_base}/{walker.username}/{walker.device_id}", json.dumps(owntracks), qos=1)
            await asyncio.to_thread(info.wait_for_publish, 10)
    except (httpx.HTTPError, RuntimeError, ValueError) as error:
        outcome.failed[type(error).__name__] = outcome.failed.get(type(error).__name__, 0) + 1
        return
    outcome.sent += 1
    outcome.by_protocol[protocol] = outcome.by_protocol.get(protocol, 0) + 1
