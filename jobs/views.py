"""The live job page, its polling fallback (JSON) and cancelling a job."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from imports.services.stages import Stage

from .models import JobRun
from .selectors import job_get, job_state, progress_events
from .services import job_cancel

EVENTS_PER_POLL = 500
MODEL_ID = 987654321  # a placeholder in the model URL template


def job_or_404(request, job_id) -> JobRun:
    job = job_get(job_id, user=request.user)
    if job is None:
        raise Http404("No such job.")
    return job


def stages_of(job: JobRun) -> list[tuple[str, str]]:
    """The stages the page lists: all ten for an import, validate alone for a re-validation."""
    if job.kind == JobRun.Kind.VALIDATION:
        return [(Stage.VALIDATE.value, Stage.VALIDATE.label)]
    return list(Stage.choices)


def live_config(job: JobRun) -> dict:
    """What static/js/job.js needs: the job, the events so far, the stages and the URLs."""
    return {
        "job": job_state(job),
        "events": progress_events(job.pk),
        "stages": stages_of(job),
        "socket": f"/ws/import/{job.pk}",
        "eventsUrl": reverse("pages:job_events", args=[job.pk]),
        # "{id}" is replaced by the model's id once the import has made one.
        "modelUrl": reverse("pages:workbook_detail", args=[MODEL_ID]).replace(
            str(MODEL_ID), "{id}"
        ),
    }


@login_required
def job_detail(request, job_id):
    job = job_or_404(request, job_id)
    context = {"job": job, "stages": stages_of(job), "config": live_config(job)}
    return render(request, "jobs/job_detail.html", context)


@login_required
def job_events(request, job_id):
    """The polling fallback of the WebSocket: the job and the events after ?after=<id>."""
    job = job_or_404(request, job_id)
    try:
        after = max(0, int(request.GET.get("after", 0)))
    except ValueError:
        after = 0
    # The job before its events: every event written before it finished is then included.
    events = progress_events(job.pk, after=after, limit=EVENTS_PER_POLL)
    more = len(events) == EVENTS_PER_POLL
    return JsonResponse({"job": job_state(job), "events": events, "more": more})


@login_required
@require_POST
def job_stop(request, job_id):
    job = job_or_404(request, job_id)
    job = job_cancel(job)
    if job.status == JobRun.Status.CANCELLED:
        messages.info(request, "The job was cancelled.")
    elif not job.is_finished:
        messages.info(request, "Cancelling: the job stops at the end of its current stage.")
    return redirect("pages:job_detail", job_id=job.pk)
