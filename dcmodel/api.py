"""The JSON API: its routes under /api/, the error shape every error takes, pagination.

Every error answers `{"error": {"code": "<machine code>", "message": "<a sentence>"}}`,
with `"fields": {"<name>": ["<problem>", ...]}` added for invalid input. The codes are
DRF's own (not_authenticated, authentication_failed, permission_denied, not_found,
method_not_allowed, not_acceptable, unsupported_media_type, parse_error, throttled,
invalid) and ours (the intake codes of a rejected file, too_large, unsupported_type,
bad_range, unknown_sheet, bad_address, bad_cursor, bad_page_size, already_finished).

The routes are built on first use (see __getattr__ below): the app api modules import
this module for ApiError and the pagination, and DRF imports it through its settings.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.views import APIView
from rest_framework.views import exception_handler as drf_exception_handler


class ApiError(APIException):
    """An error with its own status, machine code and message."""

    def __init__(self, message: str, code: str, status_code: int = status.HTTP_400_BAD_REQUEST):
        super().__init__(detail=message, code=code)
        self.status_code = status_code


def page_size_from(request, default: int, maximum: int) -> int:
    """The `page_size` query parameter, or `default`; anything but a whole number from 1
    to `maximum` is a 400 (`bad_page_size`), never silently replaced."""
    raw = request.query_params.get("page_size")
    if raw is None or raw == "":
        return default
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= maximum:
        raise ApiError(
            f"page_size must be a whole number from 1 to {maximum}, not {raw!r}.",
            "bad_page_size",
        )
    return size


class PagePagination(PageNumberPagination):
    """Page numbers for lists that are counted (models, validations, mismatches)."""

    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        return page_size_from(request, self.page_size, self.max_page_size)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == "page_size":
                parameter["schema"] = {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": self.max_page_size,
                }
                parameter["description"] = (
                    f"Results per page (default {self.page_size}, at most {self.max_page_size})."
                )
        return parameters


def api_exception_handler(exc: Exception, context: dict) -> Any:
    """DRF's handler, then the body reshaped to {"error": {code, message[, fields]}}."""
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django logs it and answers 500
    response.data = {"error": error_body(exc)}
    return response


def error_body(exc: APIException) -> dict:
    if isinstance(exc, ValidationError):
        fields = _plain(exc.detail)
        if not isinstance(fields, dict):
            fields = {"non_field_errors": fields if isinstance(fields, list) else [fields]}
        return {"code": "invalid", "message": _first_problem(fields), "fields": fields}
    detail = exc.detail
    code = getattr(detail, "code", None) or exc.default_code
    return {"code": str(code), "message": str(detail)}


def _translate(exc: Exception) -> Exception:
    """Domain errors (a bad range, a rejected file, an oversized body) as API errors."""
    from imports.selectors import BadRange
    from imports.services.intake import IntakeError
    from imports.uploads import too_large_message

    if isinstance(exc, BadRange):
        return ApiError(str(exc), exc.code)
    if isinstance(exc, IntakeError):
        unsupported = exc.code == "unsupported_type"
        return ApiError(
            str(exc),
            exc.code,
            status.HTTP_415_UNSUPPORTED_MEDIA_TYPE if unsupported else status.HTTP_400_BAD_REQUEST,
        )
    if isinstance(exc, RequestDataTooBig):
        return ApiError(too_large_message(), "too_large", status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, TooManyFilesSent | TooManyFieldsSent):
        return ApiError(
            "The request carries more files or fields than an upload needs.", "too_many_parts"
        )
    return exc


def _plain(detail):
    if isinstance(detail, dict):
        return {str(key): _plain(value) for key, value in detail.items()}
    if isinstance(detail, list):
        return [_plain(value) for value in detail]
    return str(detail)


def _first_problem(fields: dict) -> str:
    for name, problems in fields.items():
        while isinstance(problems, dict | list) and problems:
            problems = next(iter(problems.values())) if isinstance(problems, dict) else problems[0]
        label = "" if name == "non_field_errors" else f"{name}: "
        return f"Invalid input. {label}{problems}"
    return "Invalid input."


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Machine-readable code, e.g. `encrypted`, `not_found`.")
    message = serializers.CharField(help_text="One sentence for a person.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="For `invalid`: the problems of each input field.",
    )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer."""

    error = ErrorDetailSerializer()


class ApiNotFoundView(APIView):
    """Any path under /api/ that names no endpoint: a JSON 404, like every other error."""

    permission_classes = [AllowAny]

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        raise ApiError(f"No API endpoint at {request.path}.", "not_found", 404)

    post = put = patch = delete = get


def _urlpatterns() -> list:
    from django.urls import path, re_path
    from drf_spectacular.views import (
        SpectacularAPIView,
        SpectacularRedocView,
        SpectacularSwaggerView,
    )

    from imports import api as imports_api
    from jobs import api as jobs_api
    from validation import api as validation_api

    model = "models/<int:model_id>"
    return [
        path("import/upload", jobs_api.UploadView.as_view(), name="api-upload"),
        path("import/job/<uuid:job_id>", jobs_api.JobView.as_view(), name="api-job"),
        path(
            "import/job/<uuid:job_id>/cancel",
            jobs_api.JobCancelView.as_view(),
            name="api-job-cancel",
        ),
        path("models", imports_api.ModelListView.as_view(), name="api-models"),
        path(model, imports_api.ModelDetailView.as_view(), name="api-model"),
        path(f"{model}/cells", imports_api.CellListView.as_view(), name="api-cells"),
        path(f"{model}/cells/<str:ref>", imports_api.CellDetailView.as_view(), name="api-cell"),
        path(f"{model}/validate", validation_api.ValidateView.as_view(), name="api-validate"),
        path(
            f"{model}/validations",
            validation_api.ValidationListView.as_view(),
            name="api-validations",
        ),
        path(
            f"{model}/mismatches",
            validation_api.MismatchListView.as_view(),
            name="api-mismatches",
        ),
        path(
            f"{model}/mismatches/<int:mismatch_id>",
            validation_api.MismatchDetailView.as_view(),
            name="api-mismatch",
        ),
        path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
        path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
        re_path(r"^.*$", ApiNotFoundView.as_view()),
    ]


def __getattr__(name: str):
    # Routes on first use, so importing this module never imports the app api modules
    # (which import it): Django reads `urlpatterns` only once the URLconf is loaded.
    if name == "urlpatterns":
        patterns = _urlpatterns()
        globals()["urlpatterns"] = patterns
        return patterns
    raise AttributeError(name)
