"""Reading jobs: one shape for the API, the WebSocket and the pages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from .models import JobProgress, JobRun


def job_list(*, user) -> QuerySet[JobRun]:
    jobs = JobRun.objects.select_related("workbook")
    return jobs if user.is_staff else jobs.filter(created_by=user)


def job_get(job_id, *, user) -> JobRun | None:
    """The job if this user may see it (its owner, or staff); None otherwise."""
    try:
        return job_list(user=user).get(pk=job_id)
    except (JobRun.DoesNotExist, ValueError, ValidationError):  # not a UUID: no such job
        return None


def progress_events(job_id, *, after: int = 0, limit: int | None = None) -> list[dict]:
    rows = JobProgress.objects.filter(job_id=job_id, id__gt=after).order_by("id")
    if limit:
        rows = rows[:limit]
    return [event(row) for row in rows]


def recent_events(job_id, *, limit: int = 20) -> list[dict]:
    """The job's last `limit` progress events, oldest first."""
    rows = JobProgress.objects.filter(job_id=job_id).order_by("-id")[:limit]
    return [event(row) for row in reversed(rows)]


def event(row: JobProgress) -> dict:
    return {
        "id": row.id,
        "stage": row.stage,
        "percent": round(row.percent, 2),
        "message": row.message,
        "time": row.created_at.isoformat(),
    }


def job_state(job: JobRun) -> dict:
    """The job as every interface shows it (no traceback: that stays in the admin)."""
    error = None
    if job.error:
        error = {k: job.error.get(k) for k in ("stage", "code", "message")}
    return {
        "id": str(job.id),
        "kind": job.kind,
        "status": job.status,
        "stage": job.stage,
        "percent": round(job.percent, 2),
        "message": job.message,
        "file": job.original_filename,
        "workbook_id": job.workbook_id,
        "created_at": job.created_at.isoformat(),
        "started_at": job.started_at.isoformat() if job.started_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        "result": job.result,
        "error": error,
        "cancel_requested": job.cancel_requested,
        "worker": job.worker,
        "attempts": job.attempts,
    }
