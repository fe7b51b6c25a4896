"""OwnTracks over MQTT through the real broker (Mosquitto on 127.0.0.1:1883)."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import paho.mqtt.publish as mqtt_publish
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from paho.mqtt.exception import MQTTException
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.config import Settings
from jiexiang.core.live import LiveHub, relay
from jiexiang.core.time import FixedClock
from jiexiang.domains.workforce.models import GeofenceTransition
from jiexiang.domains.workforce.mqtt import OwnTracksSubscriber
from jiexiang.domains.workforce.service import add_device
from tests.conftest import NOW
from tests.factories import Town, make_town
from tests.helpers import login

BROKER = "127.0.0.1"
EPOCH = int(NOW.timestamp())


class RecordingHub(LiveHub):
    """The app's hub, also telling the test when a position has been stored and published."""

    def __init__(self) -> None:
        super().__init__()
        self.events: list[dict[str, Any]] = []
        self.arrived = threading.Event()

    def publish(self, kind: str, data: dict[str, Any]) -> None:
        super().publish(kind, data)
        self.events.append(data)
        self.arrived.set()


@pytest.fixture
def town(session: Session, settings: Settings, clock: FixedClock) -> Town:
    town = make_town(session, settings, clock)
    add_device(session, user=town.users["grid_worker"], device_id="phone", label=None, clock=clock)
    session.commit()
    return town


def location(**extra: object) -> bytes:
    return json.dumps(
        {"_type": "location", "lat": 39.90201, "lon": 116.3690, "tst": EPOCH - 30, "acc": 10, "batt": 66} | extra
    ).encode()


def test_an_owntracks_mqtt_message_moves_the_worker_on_the_live_view(
    app: FastAPI, settings: Settings, town: Town
) -> None:
    base = f"owntracks-test-{uuid.uuid4().hex[:8]}"
    app.state.settings = settings.model_copy(update={"mqtt_url": f"mqtt://{BROKER}:1883", "mqtt_base_topic": base})
    hub = app.state.live = RecordingHub()
    relay(app.state.bus, hub)  # the maps' events go to this hub
    with TestClient(app) as client:  # the server's start-up connects the subscriber
        subscriber_ready(client)
        # Rubbish and strangers first: they are logged and skipped, and the consumer carries on.
        mqtt_publish.single(f"{base}/grid_worker/phone", b"not json", hostname=BROKER)
        mqtt_publish.single(f"{base}/nobody/phone", location(), hostname=BROKER)
        mqtt_publish.single(f"{base}/grid_worker/unregistered", location(lat=39.9021), hostname=BROKER)
        mqtt_publish.single(f"{base}/grid_worker/phone", location(), hostname=BROKER, qos=1)
        assert hub.arrived.wait(10), "no position arrived through the broker"
        workers = {w["username"]: w for w in client.get("/api/workers/live", headers=login(client, "operator")).json()}
        assert set(workers) == {"grid_worker"}
        worker = workers["grid_worker"]
        assert (worker["source"], worker["alley_name"], worker["battery"], worker["age_seconds"]) == (
            "owntracks",
            "光明胡同",
            66,
            30,
        )
        assert hub.events[0]["user_id"] == worker["user_id"]


def subscriber_ready(client: TestClient) -> None:
    """Wait until the server's subscription is in place (a message sent before would be missed)."""
    app: Any = client.app
    assert app.state.owntracks is not None and app.state.owntracks.subscribed.wait(10)


def test_region_transitions_arrive_on_the_event_topic(
    session_factory: sessionmaker[Session], session: Session, town: Town, clock: FixedClock
) -> None:
    subscriber = OwnTracksSubscriber(
        f"mqtt://{BROKER}:1883",
        base_topic="owntracks",
        session_factory=session_factory,
        clock=clock,
    )
    event = {"_type": "transition", "event": "enter", "desc": "力学胡同", "tst": EPOCH, "lat": 39.902, "lon": 116.372}
    subscriber.handle("owntracks/grid_worker/phone/event", json.dumps(event).encode())
    subscriber.handle("owntracks/grid_worker/phone/event", b"")  # a retained message being cleared
    subscriber.handle("elsewhere/grid_worker/phone", location())  # not ours
    row = session.scalars(select(GeofenceTransition)).one()
    assert (row.event, row.region, row.user_id) == ("enter", "力学胡同", town.users["grid_worker"].id)


class RecordingSubscriber(OwnTracksSubscriber):
    """The platform's consumer, recording what the broker delivers to it instead of storing it."""

    def __init__(self, url: str) -> None:
        super().__init__(url, base_topic="owntracks", session_factory=None, clock=None)  # type: ignore[arg-type]
        self.topics: list[str] = []
        self.received = threading.Event()

    def handle(self, topic: str, payload: bytes) -> None:
        self.topics.append(topic)
        self.received.set()


@pytest.fixture
def secured_broker(tmp_path: Path) -> Iterator[int]:
    """Mosquitto run with the shipped example (docs/mosquitto): anonymous clients refused, the ACL in force."""
    docs = Path(__file__).resolve().parents[3] / "docs" / "mosquitto"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    passwords = tmp_path / "passwd"
    for create, user, password in (("-c", "jiexiang", "consumer-pw"), ("", "grid_worker", "worker-pw")):
        command = ["mosquitto_passwd", *([create] if create else []), "-b", str(passwords), user, password]
        subprocess.run(command, check=True, capture_output=True)
    shutil.copy(docs / "jiexiang.acl", tmp_path / "acl")
    config = (docs / "jiexiang.conf").read_text("utf-8")
    config = config.replace("listener 1883", f"listener {port} 127.0.0.1")
    config = config.replace("/etc/mosquitto/jiexiang.passwd", str(passwords))
    config = config.replace("/etc/mosquitto/jiexiang.acl", str(tmp_path / "acl"))
    config += "user root\n" if os.geteuid() == 0 else ""  # started as root it would drop to a user who cannot read tmp
    (tmp_path / "mosquitto.conf").write_text(config, "utf-8")
    broker = subprocess.Popen(["mosquitto", "-c", str(tmp_path / "mosquitto.conf")], stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 10
        while not _listening(port):
            assert time.monotonic() < deadline and broker.poll() is None, "mosquitto did not start"
            time.sleep(0.05)
        yield port
    finally:
        broker.terminate()
        broker.wait(5)


def _listening(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def test_the_shipped_broker_config_lets_each_phone_publish_only_as_itself(secured_broker: int) -> None:
    consumer = RecordingSubscriber(f"mqtt://jiexiang:consumer-pw@127.0.0.1:{secured_broker}")
    consumer.start()
    try:
        assert consumer.subscribed.wait(10)
        worker = {"username": "grid_worker", "password": "worker-pw"}
        with pytest.raises(MQTTException):  # anonymous publishing is off
            mqtt_publish.single("owntracks/grid_worker/phone", location(), hostname=BROKER, port=secured_broker)
        mqtt_publish.single("owntracks/chief/phone", location(), hostname=BROKER, port=secured_broker, auth=worker)
        mqtt_publish.single(
            "owntracks/grid_worker/phone", location(), hostname=BROKER, port=secured_broker, auth=worker, qos=1
        )
        assert consumer.received.wait(10)
        time.sleep(0.3)  # anything else the broker was going to deliver has arrived by now
        assert consumer.topics == ["owntracks/grid_worker/phone"]  # not what was sent in the chief's name
    finally:
        consumer.stop()
