"""Live events (workers' positions, case changes) fanned out to every open map stream.

In one server process the hub hands events straight to its subscribers. With several processes (or a
separate MQTT consumer) set `JIEXIANG_REDIS_URL`: every process publishes to one Redis channel and each
delivers what arrives on it to its own subscribers, so a position received by any process reaches every map."""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import redis
import redis.asyncio as redis_async

from jiexiang.core.events import EventBus, LiveEvent

log = logging.getLogger(__name__)
CHANNEL = "jiexiang:live"
QUEUE_SIZE = 1000  # per subscriber; a map that cannot keep up loses the oldest events, not the server


class LiveHub:
    def __init__(self, redis_url: str | None = None, *, channel: str = CHANNEL) -> None:
        self.redis_url, self.channel = redis_url, channel
        self._subscribers: dict[asyncio.Queue[dict[str, Any]], Callable[[dict[str, Any]], bool]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._listener: asyncio.Task[None] | None = None
        self._publisher = redis.Redis.from_url(redis_url, socket_timeout=2) if redis_url else None

    async def start(self) -> None:
        """Called by the server at start-up, on its event loop."""
        self._loop = asyncio.get_running_loop()
        if self.redis_url:
            ready = asyncio.Event()
            self._listener = asyncio.create_task(self._listen(ready))
            await asyncio.wait_for(ready.wait(), timeout=5)

    async def stop(self) -> None:
        if self._listener is not None:
            self._listener.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._listener
        self.close()

    def close(self) -> None:
        """Release the Redis connection used to publish (all a command-line hub needs to do at the end)."""
        if self._publisher is not None:
            self._publisher.close()

    def publish(self, kind: str, data: dict[str, Any]) -> None:
        """Send an event to every map. Safe from any thread; never raises (a lost live event is logged)."""
        event = {"type": kind, "data": data}
        if self._publisher is not None:
            try:
                self._publisher.publish(self.channel, json.dumps(event, ensure_ascii=False, default=str))
            except redis.RedisError:
                log.exception("live event not sent: Redis is unavailable")
            return
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._deliver, event)

    @contextlib.asynccontextmanager
    async def subscribe(
        self, accepts: Callable[[dict[str, Any]], bool] = lambda _event: True
    ) -> AsyncIterator[asyncio.Queue[dict[str, Any]]]:
        """A queue of the events `accepts` lets through (each connection sees only what its account may)."""
        queue: asyncio.Queue[dict[str, Any]] = asyncio.Queue(maxsize=QUEUE_SIZE)
        self._subscribers[queue] = accepts
        try:
            yield queue
        finally:
            self._subscribers.pop(queue, None)

    def _deliver(self, event: dict[str, Any]) -> None:
        for queue, accepts in list(self._subscribers.items()):
            try:
                wanted = accepts(event)
            except Exception:  # a filter's bug must not stop the others' events
                log.exception("live event filter failed on %s", event.get("type"))
                continue
            if not wanted:
                continue
            if queue.full():
                queue.get_nowait()
            queue.put_nowait(event)

    async def _listen(self, ready: asyncio.Event) -> None:
        """Deliver what arrives on the Redis channel; reconnect after a failure."""
        assert self.redis_url is not None
        while True:
            try:
                client = redis_async.Redis.from_url(self.redis_url)
                async with client.pubsub() as pubsub:
                    await pubsub.subscribe(self.channel)
                    ready.set()
                    async for message in pubsub.listen():
                        if message.get("type") == "message":
                            self._deliver(json.loads(message["data"]))
            except asyncio.CancelledError:
                raise
            except Exception:
                log.exception("live events: Redis subscription failed; retrying in 2 s")
                ready.set()
                await asyncio.sleep(2)


def relay(bus: EventBus, hub: LiveHub) -> None:
    """Send every committed `LiveEvent` to the maps."""
    bus.subscribe(LiveEvent, lambda event: hub.publish(event.live_kind, event.live_data()))
