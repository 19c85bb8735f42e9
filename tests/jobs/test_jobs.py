"""Import and validation jobs (Django-Q in sync mode): states, progress, failure, cancel."""

import shutil

import pytest

from imports.models import Cell, Workbook
from jobs import tasks
from jobs.models import JobProgress, JobRun
from jobs.services import import_job_start, job_cancel, job_fail_stale, validation_job_start
from jobs.tasks import import_job_run
from tests import badfiles

pytestmark = pytest.mark.django_db(transaction=True)

SMALL = "apache-poi/57535.xlsx"


def start(path, user, **options):
    with open(path, "rb") as handle:
        return import_job_start(handle, user=user, filename=path.name, **options)


def test_an_import_job_runs_the_pipeline_and_keeps_its_progress(corpus_workbook, user):
    job = start(corpus_workbook(SMALL), user)
    job.refresh_from_db()
    assert job.status == "success", job.error
    assert job.workbook.owner == user
    assert job.result["compared"] == 5 and job.percent == 100.0
    assert job.started_at <= job.finished_at
    stages = list(JobProgress.objects.filter(job=job).values_list("stage", flat=True))
    assert {"hash", "inspect", "read_formulas", "evaluate", "store", "validate"} <= set(stages)
    assert JobProgress.objects.filter(job=job).count() < 200  # throttled


def test_a_failed_import_says_where_and_why_and_stores_nothing(tmp_path, corpus_workbook, user):
    bad = badfiles.encrypted(tmp_path, corpus_workbook(badfiles.GOOD))
    job = start(bad, user)
    job.refresh_from_db()
    assert job.status == "failed"
    assert job.error["stage"] == "inspect"
    assert "password-protected" in job.error["message"]
    assert "Traceback" in job.error["traceback"]
    assert Workbook.objects.count() == 0 and Cell.objects.count() == 0


def test_a_job_delivered_twice_imports_once(corpus_workbook, user):
    job = start(corpus_workbook(SMALL), user)
    again = import_job_run(str(job.pk))  # the broker hands it out again
    assert again["skipped"]
    assert Workbook.objects.count() == 1


@pytest.fixture
def not_queued(monkeypatch):
    """Jobs stay pending: nothing is handed to Django-Q."""
    monkeypatch.setattr("jobs.services._enqueue", lambda task, job: None)


def test_cancel_a_pending_job(corpus_workbook, user, not_queued):
    job = start(corpus_workbook(SMALL), user)
    job_cancel(job)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert import_job_run(str(job.pk))["skipped"]
    assert Workbook.objects.count() == 0


def test_cancel_while_running_stops_at_the_next_stage(corpus_workbook, user, monkeypatch):
    from imports.services import pipeline

    original = pipeline.parse_formulas

    def parse_then_cancel(ctx, *, progress):
        JobRun.objects.update(cancel_requested=True)
        original(ctx, progress=progress)

    stages = [(s, parse_then_cancel if f is original else f) for s, f in pipeline.STAGES]
    monkeypatch.setattr(pipeline, "STAGES", stages)
    # the checker asks the database at most once a second; this small file takes less
    checker = tasks.cancel_checker
    monkeypatch.setattr(tasks, "cancel_checker", lambda job_id: checker(job_id, every=0))
    job = start(corpus_workbook(SMALL), user)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert Workbook.objects.count() == 0 and Cell.objects.count() == 0


def test_stale_jobs_are_failed_with_a_reason(corpus_workbook, user, not_queued):
    from datetime import timedelta

    from django.utils import timezone

    job = start(corpus_workbook(SMALL), user)
    old = timezone.now() - timedelta(minutes=5)
    JobRun.objects.filter(pk=job.pk).update(status="processing", heartbeat_at=old, stage="evaluate")
    assert job_fail_stale() == 1
    job.refresh_from_db()
    assert job.status == "failed" and "stopped responding" in job.message
    assert job.error["stage"] == "evaluate"
    assert import_job_run(str(job.pk))["skipped"]  # a late redelivery does nothing


def test_same_bytes_point_to_the_existing_model(corpus_workbook, user):
    first = start(corpus_workbook(SMALL), user)
    second = start(corpus_workbook(SMALL), user)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.status == "success"
    assert second.workbook_id == first.workbook_id
    assert second.result["duplicate_of"] == first.workbook_id


def test_a_validation_job_revalidates_with_other_tolerances(corpus_workbook, user):
    job = start(corpus_workbook("apache-poi/45544.xlsx"), user)
    job.refresh_from_db()
    validation = validation_job_start(job.workbook, user=user, abs_tol=1.0, rel_tol=0.0)
    validation.refresh_from_db()
    assert validation.status == "success", validation.error
    assert validation.result["abs_tol"] == 1.0
    assert job.workbook.validations.count() == 2


def test_uploads_are_stored_under_random_names(corpus_workbook, user, tmp_path):
    named = tmp_path / "evil name.xlsx"
    shutil.copyfile(corpus_workbook(SMALL), named)
    job = start(named, user)
    job.refresh_from_db()
    assert "evil" not in job.upload.name and job.original_filename == "evil name.xlsx"


def test_an_upload_missing_from_the_workers_storage_fails_the_job_clearly(
    corpus_workbook, user, not_queued
):
    from django.conf import settings

    job = start(corpus_workbook(SMALL), user)
    (settings.MEDIA_ROOT / job.upload.name).unlink()  # a worker on another machine
    import_job_run(str(job.pk))
    job.refresh_from_db()
    assert job.status == "failed" and job.error["code"] == "upload_missing"
    assert "DCMODEL_MEDIA_ROOT" in job.message and Workbook.objects.count() == 0
