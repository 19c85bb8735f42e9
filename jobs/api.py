"""The API's jobs: upload a workbook (an import job), watch a job, cancel it.

A job answers with the state every interface shows (jobs.selectors.job_state, as the
WebSocket's snapshot), in the API's words (model_id), with its links and its recent
progress events; `?after=<event id>` returns the events after that one instead, so a
client polling after a lost WebSocket resumes without losing any.
"""

from __future__ import annotations

from django.urls import reverse
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import UserRateThrottle
from rest_framework.views import APIView

from dcmodel.api import ApiError
from imports.api import errors, query
from imports.models import Workbook
from imports.services.stages import Stage
from imports.uploads import (
    body_too_large,
    check_upload,
    max_upload_bytes,
    too_large_message,
    upload_on_disk,
    upload_too_large,
)

from .models import JobRun
from .selectors import job_get, job_state, progress_events, recent_events
from .services import import_job_start, job_cancel

RECENT_EVENTS = 20
MAX_EVENTS = 1000


# --- shapes -----------------------------------------------------------------------------


class ProgressEventSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="Increasing; pass as `after` to resume.")
    stage = serializers.ChoiceField(choices=Stage.choices)
    percent = serializers.FloatField(help_text="Of the whole job, 0-100.")
    message = serializers.CharField()
    time = serializers.DateTimeField()


class JobErrorSerializer(serializers.Serializer):
    stage = serializers.CharField(allow_null=True, help_text="The stage that failed.")
    code = serializers.CharField(allow_null=True, help_text="e.g. encrypted, damaged, worker_lost.")
    message = serializers.CharField(allow_null=True)


class ImportSummarySerializer(serializers.Serializer):
    """What a finished job found (the validation summary); more keys may appear."""

    model_id = serializers.IntegerField(required=False)
    duplicate_of = serializers.IntegerField(
        required=False, allow_null=True, help_text="Same bytes already imported as this model."
    )
    name = serializers.CharField(required=False)
    sheets = serializers.IntegerField(required=False)
    cells = serializers.IntegerField(required=False)
    formula_cells = serializers.IntegerField(required=False)
    compared = serializers.IntegerField(required=False)
    matched = serializers.IntegerField(required=False)
    mismatched = serializers.IntegerField(required=False)
    not_evaluated = serializers.IntegerField(required=False)
    match_rate = serializers.FloatField(required=False, allow_null=True)
    validation_id = serializers.IntegerField(required=False)


@extend_schema_field(ImportSummarySerializer(allow_null=True))
class SummaryField(serializers.JSONField):
    pass


class JobSerializer(serializers.Serializer):
    """A job: where it is, what it found or why it failed, and where to follow it."""

    id = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=JobRun.Kind.choices)
    status = serializers.ChoiceField(choices=JobRun.Status.choices)
    stage = serializers.ChoiceField(choices=[("", "not started"), *Stage.choices])
    percent = serializers.FloatField()
    message = serializers.CharField()
    file = serializers.CharField(help_text="The uploaded file's name.")
    model_id = serializers.IntegerField(allow_null=True)
    created_at = serializers.DateTimeField()
    started_at = serializers.DateTimeField(allow_null=True)
    finished_at = serializers.DateTimeField(allow_null=True)
    cancel_requested = serializers.BooleanField()
    worker = serializers.CharField(help_text="host:pid of the worker that took the job.")
    attempts = serializers.IntegerField(help_text="Deliveries to a worker so far.")
    result = SummaryField(allow_null=True)
    error = JobErrorSerializer(allow_null=True)
    url = serializers.URLField()
    ws_url = serializers.CharField(help_text="ws:// or wss:// URL of its live progress.")
    model_url = serializers.URLField(allow_null=True)
    events = ProgressEventSerializer(many=True)
    last_event_id = serializers.IntegerField(
        allow_null=True, help_text="The newest event's id (null: none yet)."
    )


def job_payload(job: JobRun, request, *, after: int | None = None, limit: int = MAX_EVENTS):
    """The job as the API gives it: job_state in the API's words, links, progress events."""
    state = job_state(job)
    model_id = state.pop("workbook_id")
    if model_id is not None and not Workbook.objects.filter(pk=model_id).exists():
        model_id = None  # deleted since
    if after is None:
        events = recent_events(job.pk, limit=RECENT_EVENTS)
    else:
        events = progress_events(job.pk, after=after, limit=limit)
    absolute = request.build_absolute_uri
    scheme = "wss" if request.is_secure() else "ws"
    payload = {
        **state,
        "model_id": model_id,
        "result": _api_words(state["result"]),
        "url": absolute(reverse("api-job", kwargs={"job_id": job.pk})),
        "ws_url": f"{scheme}://{request.get_host()}/ws/import/{job.pk}",
        "model_url": absolute(reverse("api-model", kwargs={"model_id": model_id}))
        if model_id
        else None,
        "events": events,
        "last_event_id": events[-1]["id"] if events else after,
    }
    return _utc_z(payload)


def _api_words(result: dict | None) -> dict | None:
    """The summary as the API names things: a workbook is a model."""
    if not isinstance(result, dict):
        return result
    result = dict(result)
    if "workbook_id" in result:
        result["model_id"] = result.pop("workbook_id")
    return result


def _utc_z(payload: dict) -> dict:
    # job_state writes isoformat() (+00:00); the API writes UTC as Z, as DRF does.
    for key in ("created_at", "started_at", "finished_at"):
        if payload[key]:
            payload[key] = payload[key].replace("+00:00", "Z")
    for event in payload["events"]:
        event["time"] = event["time"].replace("+00:00", "Z")
    return payload


def job_or_404(request, job_id) -> JobRun:
    job = job_get(job_id, user=request.user)
    if job is None:
        raise ApiError(f"No job with id {job_id}.", "not_found", status.HTTP_404_NOT_FOUND)
    return job


def accepted(job: JobRun, request) -> Response:
    """202 with the job, and its URL in Location."""
    job.refresh_from_db()  # a worker may have taken it already (inline in tests)
    payload = job_payload(job, request)
    return Response(payload, status=status.HTTP_202_ACCEPTED, headers={"Location": payload["url"]})


# --- upload -------------------------------------------------------------------------------


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        allow_empty_file=True,  # an empty file gets the intake's own `empty` code
        max_length=255,
        help_text="The .xlsx or .xlsm workbook.",
    )
    name = serializers.CharField(
        required=False, allow_blank=True, max_length=255, help_text="Default: the file name."
    )
    abs_tol = serializers.FloatField(
        required=False, min_value=0, help_text="Absolute tolerance for numbers."
    )
    rel_tol = serializers.FloatField(
        required=False, min_value=0, help_text="Relative tolerance for numbers."
    )
    force = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Import again even when you imported the same bytes before.",
    )


class UploadThrottle(UserRateThrottle):
    """Uploads per user at REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["upload"] (unset: none)."""

    scope = "upload"

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)  # read per request


def too_large_error() -> ApiError:
    return ApiError(too_large_message(), "too_large", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)


class UploadView(APIView):
    parser_classes = [MultiPartParser]
    throttle_classes = [UploadThrottle]

    @extend_schema(
        operation_id="import_upload",
        request={"multipart/form-data": UploadSerializer},
        responses={
            202: OpenApiResponse(JobSerializer, description="Import job created; see Location."),
            **errors(400, 401, 413, 415, 429),
        },
        tags=["import"],
    )
    def post(self, request):
        """Upload a workbook and start its import. The file is checked before anything is
        stored: not a workbook, encrypted, old .xls, .xlsb, damaged, zip bomb and empty files
        get 400 with that code, other extensions 415 `unsupported_type`, files over the limit
        413 `too_large`. The same bytes imported before by you point to the existing model
        (the job's result has `duplicate_of`) unless `force` is true."""
        if body_too_large(request.META):  # refuse before reading the body
            raise too_large_error()
        data = request.data
        if upload_too_large(request._request):
            raise too_large_error()
        serializer = UploadSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        options = serializer.validated_data
        upload = options.pop("file")
        if upload.size > max_upload_bytes():
            raise too_large_error()
        with upload_on_disk(upload) as path:
            check_upload(path, upload.name)
            job = import_job_start(path, user=request.user, filename=upload.name, **options)
        return accepted(job, request)


# --- jobs -----------------------------------------------------------------------------------


class JobQuerySerializer(serializers.Serializer):
    after = serializers.IntegerField(
        required=False,
        min_value=0,
        help_text="Return the events after this event id (in order) instead of the last "
        f"{RECENT_EVENTS}: how a poller resumes.",
    )
    limit = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_EVENTS,
        default=MAX_EVENTS,
        help_text="At most this many events with `after`.",
    )


class JobView(APIView):
    @extend_schema(
        operation_id="import_job_retrieve",
        parameters=[JobQuerySerializer],
        responses={200: JobSerializer, **errors(400, 401, 404)},
        tags=["import"],
    )
    def get(self, request, job_id):
        """A job's status, stage, percent, progress events, and its result or error."""
        params = query(JobQuerySerializer, request)
        job = job_or_404(request, job_id)
        return Response(job_payload(job, request, after=params.get("after"), limit=params["limit"]))


class JobCancelView(APIView):
    @extend_schema(
        operation_id="import_job_cancel",
        request=None,
        responses={
            200: OpenApiResponse(
                JobSerializer,
                description="Cancelled (pending) or cancel requested (running: it stops at "
                "its next stage and stores nothing).",
            ),
            **errors(401, 404, 409),
        },
        tags=["import"],
    )
    def post(self, request, job_id):
        """Cancel a job; 409 `already_finished` when it has finished."""
        job = job_or_404(request, job_id)
        if job.is_finished:
            raise ApiError(
                f"The job has already finished ({job.status}).",
                "already_finished",
                status.HTTP_409_CONFLICT,
            )
        return Response(job_payload(job_cancel(job), request))
