"""The only functions Django-Q is given: run one job, by id.

A job is claimed with a conditional UPDATE, so a task delivered twice (the ORM
broker redelivers after `retry`) runs it once; a job whose worker died is picked
up again only after its heartbeat went stale, and given up after MAX_ATTEMPTS.
Expected failures mark the job failed and return normally (no broker retry).
"""

from __future__ import annotations

import logging
import os
import socket
import time
import traceback

from django.db.models import F, Q
from django.utils import timezone

from .models import JobRun
from .progress import Heartbeat, JobReporter, wake
from .services import MAX_ATTEMPTS, job_progress_note, stale_after, upload_path

logger = logging.getLogger(__name__)


def worker_name() -> str:
    """host:pid of this worker process (asked each time: workers are forked)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def claim(job_id: str) -> JobRun | None:
    """Take the job if nobody else runs it; None when it is finished or alive elsewhere."""
    now = timezone.now()
    takeable = Q(status=JobRun.Status.PENDING) | Q(
        status=JobRun.Status.PROCESSING, heartbeat_at__lt=now - stale_after()
    )
    taken = JobRun.objects.filter(takeable, pk=job_id, cancel_requested=False).update(
        status=JobRun.Status.PROCESSING,
        attempts=F("attempts") + 1,
        started_at=now,
        heartbeat_at=now,
        message="Started.",
        worker=worker_name(),
    )
    if not taken:
        return None
    job = JobRun.objects.get(pk=job_id)
    if job.attempts > MAX_ATTEMPTS:
        finish(
            job,
            JobRun.Status.FAILED,
            "The job stopped its worker repeatedly (out of memory?).",
            error={
                "stage": job.stage,
                "code": "poison",
                "message": "gave up after repeated crashes",
            },
        )
        return None
    return job


def finish(job: JobRun, status: str, message: str, *, result=None, error=None, workbook_id=None):
    JobRun.objects.filter(pk=job.pk).update(
        status=status,
        message=message[:500],
        finished_at=timezone.now(),
        result=result,
        error=error,
        workbook_id=workbook_id if workbook_id is not None else job.workbook_id,
        percent=100.0 if status == JobRun.Status.SUCCESS else F("percent"),
    )
    job_progress_note(job.pk, message, percent=100.0 if status == JobRun.Status.SUCCESS else None)
    wake(job.pk)


def cancel_checker(job_id, every: float = 1.0):
    """A should_cancel() for the pipeline that asks the database at most once a second."""
    state = {"at": 0.0, "cancelled": False}

    def should_cancel() -> bool:
        now = time.monotonic()
        if not state["cancelled"] and now - state["at"] >= every:
            state["at"] = now
            state["cancelled"] = JobRun.objects.filter(pk=job_id, cancel_requested=True).exists()
        return state["cancelled"]

    return should_cancel


def import_job_run(job_id: str) -> dict:
    """Import the job's upload through the whole pipeline (the same as the CLI)."""
    job = claim(job_id)
    if job is None:
        return {"job": str(job_id), "skipped": "finished, cancelled, or running elsewhere"}
    from imports.services.pipeline import (
        ImportCancelled,
        ImportContext,
        ImportFailed,
        ImportOptions,
        run_import,
    )

    options = job.options or {}
    path = upload_path(job)
    if not path.is_file():
        message = (
            f"The uploaded file is not on this worker's storage ({path}): the web server and "
            "every worker must share DCMODEL_MEDIA_ROOT (see README, many workers)."
        )
        error = {"stage": "hash", "code": "upload_missing", "message": message}
        finish(job, JobRun.Status.FAILED, message, error=error)
        return {"job": str(job.pk), "status": "failed", "stage": "hash"}
    reporter = JobReporter(job)
    ctx = ImportContext(
        path=path,
        original_filename=job.original_filename or job.upload.name,
        options=ImportOptions(
            name=options.get("name") or "",
            owner_id=job.created_by_id,
            abs_tol=options.get("abs_tol"),
            rel_tol=options.get("rel_tol"),
            force=bool(options.get("force")),
        ),
        should_cancel=cancel_checker(job.pk),
    )
    try:
        with Heartbeat(job.pk):
            run_import(ctx, progress=reporter)
    except ImportCancelled:
        reporter.flush()
        finish(job, JobRun.Status.CANCELLED, "Cancelled; nothing was stored.")
        return {"job": str(job.pk), "status": "cancelled"}
    except ImportFailed as failure:
        reporter.flush()
        error = {
            "stage": failure.stage,
            "code": failure.code,
            "message": failure.message,
            "traceback": traceback.format_exc(),
        }
        finish(
            job, JobRun.Status.FAILED, f"Failed at {failure.stage}: {failure.message}", error=error
        )
        return {"job": str(job.pk), "status": "failed", "stage": failure.stage}
    except BaseException as exc:  # a Django-Q time limit (TimeoutException) lands here too
        reporter.flush()
        message = _describe(exc)
        error = {
            "stage": reporter.stage or "",
            "code": type(exc).__name__,
            "message": message,
            "traceback": traceback.format_exc(),
        }
        finish(job, JobRun.Status.FAILED, message, error=error)
        logger.exception("import job %s failed", job.pk)
        raise
    summary = ctx.summary
    workbook_id = summary.get("workbook_id") or ctx.workbook_id or ctx.duplicate_of
    if ctx.duplicate_of:
        message = f"Same file already imported as model {ctx.duplicate_of}."
    else:
        message = (
            f"Imported: {summary.get('matched', 0):,} of {summary.get('compared', 0):,} matched."
        )
    finish(job, JobRun.Status.SUCCESS, message, result=summary, workbook_id=workbook_id)
    return {"job": str(job.pk), "status": "success", "workbook": workbook_id}


def validation_job_run(job_id: str) -> dict:
    """Re-validate a stored workbook (other tolerances), reporting like an import."""
    job = claim(job_id)
    if job is None:
        return {"job": str(job_id), "skipped": "finished, cancelled, or running elsewhere"}
    from validation.services import validate_workbook

    options = job.options or {}
    reporter = JobReporter(job)
    try:
        with Heartbeat(job.pk):
            reporter("validate", 0.0, "Validate…")
            run = validate_workbook(
                job.workbook_id,
                abs_tol=options.get("abs_tol"),
                rel_tol=options.get("rel_tol"),
                progress=lambda stage, percent, message: reporter("validate", percent, message),
            )
    except BaseException as exc:
        reporter.flush()
        message = _describe(exc)
        finish(
            job,
            JobRun.Status.FAILED,
            message,
            error={
                "stage": "validate",
                "code": type(exc).__name__,
                "message": message,
                "traceback": traceback.format_exc(),
            },
        )
        if isinstance(exc, Exception) and not _expected(exc):
            logger.exception("validation job %s failed", job.pk)
        return {"job": str(job.pk), "status": "failed"}
    rate = run.match_rate
    message = "Validated" + (f": {rate:.2%} matched." if rate is not None else ".")
    finish(job, JobRun.Status.SUCCESS, message, result=run.summary)
    return {"job": str(job.pk), "status": "success", "validation": run.pk}


def _describe(exc: BaseException) -> str:
    name = type(exc).__name__
    if name == "TimeoutException":
        return "The job ran past its time limit and was stopped."
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{name}: {text}" if text else name


def _expected(exc: Exception) -> bool:
    from imports.models import Workbook

    return isinstance(exc, ValueError | Workbook.DoesNotExist)
