"""Live progress through real processes: daphne serving the app, a qcluster running the job,
and a real WebSocket client, with the in-memory channel layer (the consumer polls the
rows) or channels-redis (wake-ups arrive at once), whichever the settings choose."""

import asyncio
import json
import statistics
import time
from datetime import datetime
from pathlib import Path

import pytest
import websockets
from django.conf import settings
from rest_framework.authtoken.models import Token

from jobs.services import import_job_start
from tests.jobs.cluster import qcluster, web_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.cluster]

ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def real_queue(monkeypatch):
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


async def listen(url: str, token: str, origin: str, *, after: int = 0) -> list[tuple[float, dict]]:
    """Every message of one socket, with the time it arrived."""
    received = []
    query = f"?token={token}" + (f"&after={after}" if after else "")
    async with websockets.connect(url + query, origin=origin, open_timeout=20) as socket:
        async for raw in socket:
            received.append((time.time(), json.loads(raw)))
            if received[-1][1]["type"] == "final":
                break
    return received


def test_progress_arrives_live_in_order_and_complete(tmp_path, real_queue, user, corpus_workbook):
    token = Token.objects.create(user=user).key
    with qcluster(tmp_path / "qcluster.log"), web_server(tmp_path / "daphne.log") as base:
        with open(corpus_workbook("ironcalc/ARABIC_ROMAN.xlsx"), "rb") as handle:
            job = import_job_start(handle, user=user, filename="ARABIC_ROMAN.xlsx")
        ws_url = base.replace("http", "ws") + f"/ws/import/{job.pk}"
        messages = asyncio.run(asyncio.wait_for(listen(ws_url, token, base), timeout=300))
    kinds = [m["type"] for _, m in messages]
    assert kinds[0] == "snapshot" and kinds[-1] == "final"
    assert messages[-1][1]["job"]["status"] == "success"
    events = [(at, m) for at, m in messages if m["type"] == "progress"]
    ids = [m["id"] for _, m in events]
    stored = list(job.progress.order_by("id").values_list("id", flat=True))
    assert ids == stored  # every event, once, in order
    assert {m["stage"] for _, m in events} >= {"read_formulas", "evaluate", "store", "validate"}
    # Delay from the worker writing an event to the client receiving it.
    delays = [at - datetime.fromisoformat(m["time"]).timestamp() for at, m in events]
    late = [d for d in delays if d >= 0]
    record_latency(late)
    assert statistics.median(late) < (0.5 if settings.REDIS_URL else 2.0)


def test_reconnecting_loses_nothing(tmp_path, real_queue, user, corpus_workbook):
    token = Token.objects.create(user=user).key
    with qcluster(tmp_path / "qcluster.log"), web_server(tmp_path / "daphne.log") as base:
        with open(corpus_workbook("apache-poi/45544.xlsx"), "rb") as handle:
            job = import_job_start(handle, user=user, filename="45544.xlsx")
        ws_url = base.replace("http", "ws") + f"/ws/import/{job.pk}"
        first = asyncio.run(asyncio.wait_for(listen(ws_url, token, base), timeout=300))
        events = [m for _, m in first if m["type"] == "progress"]
        middle = events[len(events) // 2]["id"]
        second = asyncio.run(
            asyncio.wait_for(listen(ws_url, token, base, after=middle), timeout=60)
        )
    again = [m["id"] for _, m in second if m["type"] == "progress"]
    assert again == [m["id"] for m in events if m["id"] > middle]


def test_a_stranger_is_refused(tmp_path, real_queue, user, django_user_model, corpus_workbook):
    stranger = django_user_model.objects.create_user("stranger", password="pw")
    token = Token.objects.create(user=stranger).key
    with web_server(tmp_path / "daphne.log") as base:
        with open(corpus_workbook("apache-poi/45544.xlsx"), "rb") as handle:
            job = import_job_start(handle, user=user, filename="45544.xlsx")
        ws_url = base.replace("http", "ws") + f"/ws/import/{job.pk}"
        with pytest.raises(websockets.exceptions.InvalidStatus) as refused:
            asyncio.run(listen(ws_url, token, base))
    assert refused.value.response.status_code == 403  # refused at the handshake


def record_latency(delays: list[float]) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    layer = "redis" if settings.REDIS_URL else "in-memory (poll)"
    line = (
        f"{layer}: {len(delays)} events, median {statistics.median(delays) * 1000:.0f} ms, "
        f"max {max(delays) * 1000:.0f} ms\n"
    )
    with open(ARTIFACTS / "ws-latency.txt", "a") as handle:
        handle.write(line)
