"""Starting, cancelling and watching jobs: everything that knows about Django-Q lives in jobs/.

Services take plain arguments; views, the API, the admin and the CLI call them.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django_q.tasks import async_task

from .models import JobProgress, JobRun


# A processing job whose heartbeat is older than this is taken as dead (the worker was
# killed): the heartbeat thread beats every few seconds whatever the stage is doing.
def stale_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "DCMODEL_STALE_AFTER", 60))


MAX_ATTEMPTS = 3  # deliveries of one job before it is failed as a poison pill


def import_job_start(
    upload,
    *,
    user=None,
    filename: str | None = None,
    name: str = "",
    abs_tol: float | None = None,
    rel_tol: float | None = None,
    force: bool = False,
) -> JobRun:
    """Save the upload, create a pending import job, and queue it once the row is committed.

    `upload` is an uploaded file (or any file object) or a path on disk.
    """
    original = filename or Path(getattr(upload, "name", None) or str(upload)).name
    stored = _save_upload(upload)
    job = JobRun.objects.create(
        kind=JobRun.Kind.IMPORT,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        upload=stored,
        original_filename=original[:255],
        options={"name": name, "abs_tol": abs_tol, "rel_tol": rel_tol, "force": force},
    )
    _enqueue("jobs.tasks.import_job_run", job)
    return job


def validation_job_start(workbook, *, user=None, abs_tol=None, rel_tol=None) -> JobRun:
    """Re-validate a stored workbook with other tolerances, in the background."""
    job = JobRun.objects.create(
        kind=JobRun.Kind.VALIDATION,
        created_by=user if getattr(user, "is_authenticated", False) else None,
        workbook=workbook,
        original_filename=workbook.original_filename,
        options={"abs_tol": abs_tol, "rel_tol": rel_tol},
    )
    _enqueue("jobs.tasks.validation_job_run", job)
    return job


def _enqueue(task: str, job: JobRun) -> None:
    # Pass the id, never the instance: the worker reads the committed row.
    job_id = str(job.pk)
    transaction.on_commit(lambda: async_task(task, job_id, task_name=f"{job.kind}-{job_id}"))


def _save_upload(upload) -> str:
    target = f"uploads/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.xlsx"
    if isinstance(upload, str | Path):
        with open(upload, "rb") as handle:
            return default_storage.save(target, File(handle))
    if hasattr(upload, "seek"):
        upload.seek(0)
    return default_storage.save(target, File(upload))


def job_cancel(job: JobRun) -> JobRun:
    """Cancel a job: a pending one at once, a running one at its next stage boundary."""
    if job.is_finished:
        return job
    updated = JobRun.objects.filter(pk=job.pk, status=JobRun.Status.PENDING).update(
        status=JobRun.Status.CANCELLED,
        cancel_requested=True,
        finished_at=timezone.now(),
        message="Cancelled before it started.",
    )
    if not updated:
        JobRun.objects.filter(pk=job.pk).update(cancel_requested=True)
    else:
        job_progress_note(job.pk, "Cancelled before it started.")
        _discard_upload(job.pk)
    job.refresh_from_db()
    from .progress import wake

    wake(job.pk)
    return job


def job_progress_note(job_id, message: str, percent: float | None = None) -> None:
    """A progress event that ends or explains a job, at the stage it reached."""
    job = JobRun.objects.only("percent", "stage", "kind").get(pk=job_id)
    JobProgress.objects.create(
        job_id=job_id,
        stage=job.stage or ("validate" if job.kind == JobRun.Kind.VALIDATION else "hash"),
        percent=job.percent if percent is None else percent,
        message=message[:500],
    )


def job_fail_stale(*, now=None) -> int:
    """Fail every processing job whose worker stopped beating (killed, out of memory).

    Run every minute by a Django-Q schedule. The pipeline stores atomically, so a job
    that died left no rows; its upload stays so the user can retry.
    """
    from django.db import connection

    now = now or timezone.now()
    stale = JobRun.objects.filter(
        status=JobRun.Status.PROCESSING, heartbeat_at__lt=now - stale_after()
    )
    if connection.vendor == "sqlite":
        # SQLite has one writer: while a big workbook is stored, the heartbeat waits for
        # the store transaction. Those stages get a longer lease.
        stale = stale.exclude(
            stage__in=["store", "validate"], heartbeat_at__gte=now - 10 * stale_after()
        )
    failed = 0
    for job in stale:
        message = "The worker running this job stopped responding (killed or out of memory)."
        count = JobRun.objects.filter(pk=job.pk, status=JobRun.Status.PROCESSING).update(
            status=JobRun.Status.FAILED,
            finished_at=now,
            message=message,
            error={"stage": job.stage, "message": message, "code": "worker_lost"},
        )
        if count:
            failed += 1
            job_progress_note(job.pk, message)
            from .progress import wake

            wake(job.pk)
    return failed


def _discard_upload(job_id) -> None:
    job = JobRun.objects.get(pk=job_id)
    if job.upload and job.kind == JobRun.Kind.IMPORT:
        default_storage.delete(job.upload.name)


def upload_path(job: JobRun) -> Path:
    return Path(settings.MEDIA_ROOT) / job.upload.name
