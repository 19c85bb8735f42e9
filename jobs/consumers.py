"""WS /ws/import/<job_id>: a snapshot, then every progress event in order, then the outcome.

The progress rows in the database are the truth. The consumer sends the rows it has
not sent yet: on connect, on every `job.wakeup` (instant with channels-redis; the
in-memory layer never carries one from the worker process) and on a one-second poll.
So it behaves the same with and without Redis, and a client reconnecting with
?after=<last event id> loses nothing.
"""

from __future__ import annotations

import asyncio
from urllib.parse import parse_qs

from channels.db import aclose_old_connections, database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .models import JobRun
from .progress import group_name
from .selectors import job_get, job_state, progress_events

POLL_SECONDS = 1.0
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403


class ImportProgressConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        user = self.scope.get("user")
        self.poller = None
        self.group = None
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        self.job_id = str(self.scope["url_route"]["kwargs"]["job_id"])
        job = await database_sync_to_async(job_get)(self.job_id, user=user)
        if job is None:  # someone else's job, or none: the same answer
            await self.close(code=CLOSE_FORBIDDEN)
            return
        query = parse_qs(self.scope.get("query_string", b"").decode())
        self.last_id = _int(query.get("after", ["0"])[0])
        self.lock = asyncio.Lock()
        self.done = False
        await self.accept()
        self.group = group_name(self.job_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.send_json({"type": "snapshot", "job": job_state(job)})
        await self.send_new()
        if not self.done:
            self.poller = asyncio.create_task(self.poll())

    async def disconnect(self, code):
        if self.poller is not None:
            self.poller.cancel()
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        pass  # the client only listens

    async def job_wakeup(self, event):
        await self.send_new()

    async def poll(self):
        while not self.done:
            await asyncio.sleep(POLL_SECONDS)
            await aclose_old_connections()
            await self.send_new()

    async def send_new(self):
        async with self.lock:
            if self.done:
                return
            events, job = await database_sync_to_async(self._read)()
            for event in events:
                await self.send_json({"type": "progress", **event})
                self.last_id = event["id"]
            if job.is_finished:
                self.done = True
                await self.send_json({"type": "final", "job": job_state(job)})
                await self.close()

    def _read(self):
        # The job first: every event written before it finished is then in the rows read.
        job = JobRun.objects.get(pk=self.job_id)
        return progress_events(self.job_id, after=self.last_id), job


def _int(text: str) -> int:
    try:
        return max(0, int(text))
    except ValueError:
        return 0
