"""JobReporter: the pipeline's progress callback for a background job.

It records JobProgress rows (throttled: every stage start and end is kept, events
within a stage at most every THROTTLE seconds), keeps the job's current stage,
percent and heartbeat, and wakes the job's channel group so open WebSockets send
the new rows at once. The rows are the truth; the wake-up only makes it instant.
"""

from __future__ import annotations

import logging
import threading
import time

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import close_old_connections, connections
from django.utils import timezone

from .models import JobProgress, JobRun

logger = logging.getLogger(__name__)

THROTTLE = 0.5  # seconds between kept events within a stage
HEARTBEAT = 5.0  # seconds between heartbeats while a stage runs without reporting


def progress_database() -> str:
    """The connection progress is written through: its own where the database allows it."""
    return "progress" if "progress" in connections.databases else "default"


def group_name(job_id) -> str:
    return f"job-{job_id}"


def wake(job_id) -> None:
    """Tell the job's WebSocket consumers to look for new rows; never fails the job."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(job_id), {"type": "job.wakeup"})
    except Exception:  # noqa: BLE001 - a lost wake-up is caught by the consumer's poll
        logger.warning("could not wake the channel group of job %s", job_id, exc_info=True)


class JobReporter:
    """Callable `(stage, percent, message)` for run_import, writing to one JobRun."""

    def __init__(self, job: JobRun):
        self.job_id = job.pk
        self.stage = None
        self.last_kept = 0.0
        self.last_event: tuple[str, float, str] | None = None

    def __call__(self, stage: str, percent: float, message: str) -> None:
        now = time.monotonic()
        boundary = stage != self.stage or message.endswith(" done") or message.endswith("…")
        self.last_event = (stage, percent, message)
        if not boundary and now - self.last_kept < THROTTLE:
            return
        self.stage = stage
        self.last_kept = now
        self.record(stage, percent, message)

    def record(self, stage: str, percent: float, message: str) -> None:
        message = message[:500]
        JobProgress.objects.create(
            job_id=self.job_id, stage=stage, percent=percent, message=message
        )
        JobRun.objects.filter(pk=self.job_id).update(
            stage=stage, percent=percent, message=message, heartbeat_at=timezone.now()
        )
        wake(self.job_id)

    def flush(self) -> None:
        """Keep the last event even if it was throttled (the final percent of a stage)."""
        if self.last_event is not None:
            self.record(*self.last_event)


class Heartbeat:
    """A daemon thread that touches heartbeat_at while the job runs.

    One stage (the engine building a million formulas) can run for minutes without
    reporting; the stale-job check must still see the worker alive. A killed worker
    stops beating, which is how its job is found.
    """

    def __init__(self, job_id, interval: float = HEARTBEAT):
        self.job_id = job_id
        self.interval = interval
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, name=f"heartbeat-{job_id}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join(timeout=10)

    def _run(self) -> None:
        from django.db import OperationalError

        try:
            while not self.stopped.wait(self.interval):
                try:
                    JobRun.objects.filter(pk=self.job_id, status=JobRun.Status.PROCESSING).update(
                        heartbeat_at=timezone.now()
                    )
                except OperationalError:  # SQLite busy with the store transaction: next time
                    logger.info("heartbeat of job %s skipped: database busy", self.job_id)
        finally:
            close_old_connections()
