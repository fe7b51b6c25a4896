"""OwnTracks over MQTT through the real broker (Mosquitto on 127.0.0.1:1883)."""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

import paho.mqtt.publish as mqtt_publish
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.config import Settings
from jiexiang.core.live import LiveHub
from jiexiang.core.time import FixedClock
from jiexiang.domains.workforce.models import GeofenceTransition
from jiexiang.domains.workforce.mqtt import OwnTracksSubscriber
from tests.api.test_places_api import login
from tests.conftest import NOW
from tests.factories import Town, make_town

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
    with TestClient(app) as client:  # the server's start-up connects the subscriber
        subscriber_ready(client)
        # Rubbish and strangers first: they are logged and skipped, and the consumer carries on.
        mqtt_publish.single(f"{base}/grid_worker/phone", b"not json", hostname=BROKER)
        mqtt_publish.single(f"{base}/nobody/phone", location(), hostname=BROKER)
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
        publish=lambda _kind, _data: None,
    )
    event = {"_type": "transition", "event": "enter", "desc": "力学胡同", "tst": EPOCH, "lat": 39.902, "lon": 116.372}
    subscriber.handle("owntracks/grid_worker/phone/event", json.dumps(event).encode())
    subscriber.handle("owntracks/grid_worker/phone/event", b"")  # a retained message being cleared
    subscriber.handle("elsewhere/grid_worker/phone", location())  # not ours
    row = session.scalars(select(GeofenceTransition)).one()
    assert (row.event, row.region, row.user_id) == ("enter", "力学胡同", town.users["grid_worker"].id)
