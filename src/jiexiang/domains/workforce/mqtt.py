"""OwnTracks over MQTT: subscribe to `<base>/+/+` (and `<base>/+/+/event`) on the broker and take each
message as the worker named by the topic's user. The broker's ACL must let each account publish only under
its own name (Mosquitto: `pattern write owntracks/%u/#`), as OwnTracks' own deployment guide sets it up."""

from __future__ import annotations

import json
import logging
import ssl
import threading
from typing import Any
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from paho.mqtt.enums import CallbackAPIVersion
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from jiexiang.core.db import unit_of_work
from jiexiang.core.errors import DomainError
from jiexiang.core.time import Clock
from jiexiang.domains.accounts.models import User
from jiexiang.domains.workforce import owntracks
from jiexiang.domains.workforce.models import Device
from jiexiang.domains.workforce.protocols import from_owntracks

log = logging.getLogger(__name__)


class OwnTracksSubscriber:
    def __init__(
        self,
        url: str,
        *,
        base_topic: str,
        session_factory: sessionmaker[Session],
        clock: Clock,
    ) -> None:
        """`session_factory` should deliver events to a bus that relays them to the maps (`core.live.relay`)."""
        self.base = base_topic.strip("/")
        self.session_factory, self.clock = session_factory, clock
        self.subscribed = threading.Event()
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
            raise ValueError(f"JIEXIANG_MQTT_URL should look like mqtt://user:password@host:1883, not {url!r}")
        self.host, self.port = parts.hostname, parts.port or (8883 if parts.scheme == "mqtts" else 1883)
        self.client = mqtt.Client(
            callback_api_version=CallbackAPIVersion.VERSION2, client_id="", protocol=mqtt.MQTTv311
        )
        if parts.username:
            self.client.username_pw_set(unquote(parts.username), unquote(parts.password or ""))
        if parts.scheme == "mqtts":
            self.client.tls_set(cert_reqs=ssl.CERT_REQUIRED)
        self.client.on_connect = self._on_connect
        self.client.on_subscribe = self._on_subscribe
        self.client.on_message = self._on_message
        self.client.reconnect_delay_set(min_delay=1, max_delay=30)

    def start(self) -> None:
        """Connect and consume in paho's own thread (reconnecting by itself)."""
        self.client.connect_async(self.host, self.port, keepalive=60)
        self.client.loop_start()

    def stop(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def run_forever(self) -> None:
        self.client.connect(self.host, self.port, keepalive=60)
        self.client.loop_forever(retry_first_connection=True)

    def _on_connect(self, client: mqtt.Client, _userdata: Any, _flags: Any, reason: Any, _props: Any) -> None:
        if reason.is_failure:
            log.error("MQTT: connecting to %s:%s failed: %s", self.host, self.port, reason)
            return
        # A shared subscription: with several server processes each message is taken by one of them.
        client.subscribe([(f"$share/jiexiang/{self.base}/+/+", 1), (f"$share/jiexiang/{self.base}/+/+/event", 1)])

    def _on_subscribe(self, _client: mqtt.Client, _userdata: Any, _mid: int, reasons: Any, _props: Any) -> None:
        # Only now does the broker deliver: a message published before this would not reach us.
        if any(reason.is_failure for reason in reasons):
            log.error("MQTT: the broker refused the subscription to %s/+/+: %s", self.base, reasons)
            return
        log.info("MQTT: subscribed to %s/+/+ on %s:%s", self.base, self.host, self.port)
        self.subscribed.set()

    def _on_message(self, _client: mqtt.Client, _userdata: Any, message: mqtt.MQTTMessage) -> None:
        try:
            self.handle(message.topic, bytes(message.payload))
        except Exception:  # one bad message must not stop the consumer
            log.exception("MQTT: message on %s could not be applied", message.topic)

    def handle(self, topic: str, payload: bytes) -> None:
        parts = topic.split("/")
        if len(parts) not in (3, 4) or parts[0] != self.base or not payload:
            return  # an empty payload is a retained message being cleared
        username, device = parts[1], parts[2]
        try:
            data = json.loads(payload)
            parsed = from_owntracks(data) if isinstance(data, dict) else None
        except (ValueError, DomainError) as error:
            log.warning("MQTT: unreadable OwnTracks message on %s: %s", topic, error)
            return
        if parsed is None:
            return
        with unit_of_work(self.session_factory) as session:
            # The broker's ACL lets each account publish only under its own name; the device must be one the
            # platform registered to that account, so a stray or forgotten phone is not taken for a worker.
            user_id = session.scalar(
                select(User.id)
                .join(Device, Device.user_id == User.id)
                .where(User.username == username, User.is_active.is_(True), Device.device_id == device)
            )
            if user_id is None:
                log.warning("MQTT: topic %s names no active account with that registered device", topic)
                return
            owntracks.apply(session, user_id=user_id, device=device, parsed=parsed, now=self.clock.now())
