"""WS /ws/import/<job_id> with channels' WebsocketCommunicator (in-memory channel layer)."""

import asyncio
import threading

import pytest
from channels.db import database_sync_to_async
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.contrib.auth.models import AnonymousUser

from jobs.models import JobProgress, JobRun
from jobs.routing import websocket_urlpatterns
from jobs.services import import_job_start
from jobs.tasks import import_job_run

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = "apache-poi/57535.xlsx"


def app():
    return URLRouter(websocket_urlpatterns)


async def connect(job_id, user, query=""):
    communicator = WebsocketCommunicator(app(), f"/ws/import/{job_id}{query}")
    communicator.scope["user"] = user
    connected, code = await communicator.connect()
    return communicator, connected, code


async def receive_all(communicator, timeout=60):
    messages = []
    while True:
        message = await communicator.receive_json_from(timeout=timeout)
        messages.append(message)
        if message["type"] == "final":
            return messages


@pytest.fixture
def pending_job(monkeypatch, corpus_workbook, user):
    monkeypatch.setattr("jobs.services._enqueue", lambda task, job: None)
    with open(corpus_workbook(SMALL), "rb") as handle:
        return import_job_start(handle, user=user, filename="57535.xlsx")


async def test_snapshot_then_every_event_in_order_then_the_outcome(pending_job, user):
    communicator, connected, _ = await connect(pending_job.pk, user)
    assert connected
    snapshot = await communicator.receive_json_from(timeout=10)
    assert snapshot["type"] == "snapshot" and snapshot["job"]["status"] == "pending"
    worker = threading.Thread(target=import_job_run, args=(str(pending_job.pk),))
    worker.start()
    messages = await receive_all(communicator)
    worker.join()
    progress = [m for m in messages if m["type"] == "progress"]
    ids = [m["id"] for m in progress]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    stored = await database_sync_to_async(
        lambda: list(JobProgress.objects.filter(job_id=pending_job.pk).values_list("id", flat=True))
    )()
    assert ids == stored  # nothing lost, nothing twice
    assert messages[-1]["job"]["status"] == "success"
    assert messages[-1]["job"]["workbook_id"]
    assert {m["stage"] for m in progress} >= {"hash", "evaluate", "validate"}
    assert (await communicator.receive_output(timeout=5))["type"] == "websocket.close"


async def test_reconnecting_with_after_loses_nothing(pending_job, user):
    await database_sync_to_async(import_job_run)(str(pending_job.pk))
    communicator, _, _ = await connect(pending_job.pk, user)
    first = [m for m in await receive_all(communicator) if m["type"] == "progress"]
    await communicator.disconnect()
    middle = first[len(first) // 2]["id"]
    again, _, _ = await connect(pending_job.pk, user, f"?after={middle}")
    rest = [m for m in await receive_all(again) if m["type"] == "progress"]
    assert [m["id"] for m in rest] == [m["id"] for m in first if m["id"] > middle]
    await again.disconnect()


async def test_only_the_owner_or_staff_may_connect(pending_job, django_user_model):
    other = await database_sync_to_async(django_user_model.objects.create_user)(
        "other", password="x"
    )
    communicator, connected, code = await connect(pending_job.pk, other)
    assert not connected and code == 4403
    communicator, connected, code = await connect(pending_job.pk, AnonymousUser())
    assert not connected and code == 4401
    staff = await database_sync_to_async(django_user_model.objects.create_user)(
        "staff", password="x", is_staff=True
    )
    communicator, connected, _ = await connect(pending_job.pk, staff)
    assert connected
    await communicator.disconnect()


async def test_unknown_job_is_refused(user):
    communicator, connected, code = await connect("00000000-0000-0000-0000-000000000000", user)
    assert not connected and code == 4403


async def test_a_cancelled_job_ends_with_its_outcome(pending_job, user):
    from jobs.services import job_cancel

    await database_sync_to_async(job_cancel)(pending_job)
    communicator, _, _ = await connect(pending_job.pk, user)
    messages = await receive_all(communicator)
    assert messages[-1]["job"]["status"] == "cancelled"
    assert await database_sync_to_async(JobRun.objects.filter(status="cancelled").count)() == 1
    await asyncio.sleep(0)
