"""The API's validations and mismatches: re-validate a model, list its runs, review mismatches."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from dcmodel.api import ApiError, PagePagination
from imports.api import (
    REASONS,
    TYPED_VALUE_SCHEMA,
    CellUrlField,
    ValidationSummarySerializer,
    errors,
    finite,
    json_value,
    model_or_404,
    query,
)
from jobs.api import JobSerializer, accepted
from jobs.services import validation_job_start

from .models import Mismatch
from .selectors import (
    ORDERINGS,
    latest_validation,
    mismatch_get,
    mismatch_list,
    validation_get,
    validation_list,
)
from .services import mismatch_mark_reviewed


class ToleranceSerializer(serializers.Serializer):
    abs_tol = serializers.FloatField(
        required=False, min_value=0, help_text="Absolute tolerance (default: the server's)."
    )
    rel_tol = serializers.FloatField(
        required=False, min_value=0, help_text="Relative tolerance (default: the server's)."
    )


class ValidateView(GenericAPIView):
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    serializer_class = ToleranceSerializer
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        operation_id="models_validate",
        request=ToleranceSerializer,
        responses={
            202: OpenApiResponse(JobSerializer, description="Validation job created."),
            **errors(400, 401, 404, 415),
        },
        tags=["validations"],
    )
    def post(self, request, model_id: int):
        """Validate the model again, in the background, with other tolerances."""
        workbook = model_or_404(request.user, model_id)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = validation_job_start(workbook, user=request.user, **serializer.validated_data)
        return accepted(job, request)


class ValidationListView(ListAPIView):
    serializer_class = ValidationSummarySerializer
    pagination_class = PagePagination
    filter_backends: list = []

    @extend_schema(
        operation_id="models_validations_list",
        responses={200: ValidationSummarySerializer(many=True), **errors(400, 401, 404)},
        tags=["validations"],
    )
    def get(self, request, *args, **kwargs):
        """A model's validation runs, newest first, with their totals."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return validation_list(model_or_404(self.request.user, self.kwargs["model_id"]))


class MismatchCellSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sheet = serializers.CharField(source="sheet.name")
    address = serializers.CharField()
    row = serializers.IntegerField()
    column = serializers.IntegerField()
    formula = serializers.CharField(allow_null=True)
    url = CellUrlField()


class MismatchSerializer(serializers.ModelSerializer):
    """One mismatch: the cell, Excel's value (expected) and ours (actual), why, and its review."""

    validation_id = serializers.IntegerField(source="run_id")
    cell = MismatchCellSerializer()
    expected = serializers.SerializerMethodField()
    expected_display = serializers.CharField(source="expected")
    actual = serializers.SerializerMethodField()
    actual_display = serializers.CharField(source="actual")
    difference = serializers.SerializerMethodField()
    relative_difference = serializers.SerializerMethodField()
    reviewed_by = serializers.CharField(
        source="reviewed_by.get_username", allow_null=True, default=None
    )

    class Meta:
        model = Mismatch
        fields = [
            "id",
            "validation_id",
            "cell",
            "kind",
            "expected_type",
            "expected",
            "expected_display",
            "actual_type",
            "actual",
            "actual_display",
            "difference",
            "relative_difference",
            "reason",
            "reason_detail",
            "is_root_cause",
            "review",
            "review_note",
            "reviewed_by",
            "reviewed_at",
        ]

    @extend_schema_field(TYPED_VALUE_SCHEMA)
    def get_expected(self, mismatch: Mismatch) -> Any:
        """Excel's cached value, typed."""
        cell = mismatch.cell
        return json_value(cell.cached_type, cell.cached_number, cell.cached_text)

    @extend_schema_field(TYPED_VALUE_SCHEMA)
    def get_actual(self, mismatch: Mismatch) -> Any:
        """The engine's value, typed."""
        cell = mismatch.cell
        return json_value(cell.calc_type, cell.calc_number, cell.calc_text)

    def get_difference(self, mismatch: Mismatch) -> float | None:
        """|actual - expected| for numbers; null otherwise."""
        return finite(mismatch.difference)

    def get_relative_difference(self, mismatch: Mismatch) -> float | None:
        return finite(mismatch.relative_difference)


class MismatchQuerySerializer(serializers.Serializer):
    validation = serializers.IntegerField(
        required=False, min_value=1, help_text="A validation run's id (default: the latest)."
    )
    kind = serializers.ChoiceField(required=False, choices=Mismatch.Kind.choices)
    sheet = serializers.CharField(required=False, max_length=255)
    root_cause = serializers.BooleanField(required=False, allow_null=True, default=None)
    review = serializers.ChoiceField(required=False, choices=Mismatch.Review.choices)
    reason = serializers.ChoiceField(required=False, choices=REASONS)
    ordering = serializers.ChoiceField(
        required=False,
        choices=list(ORDERINGS),
        default="root",
        help_text="root: root causes first, then by difference (default); difference / "
        "-difference: largest first; +difference: smallest first; position: sheet, row, column.",
    )


class MismatchListView(ListAPIView):
    serializer_class = MismatchSerializer
    pagination_class = PagePagination
    filter_backends: list = []

    @extend_schema(
        operation_id="models_mismatches_list",
        parameters=[MismatchQuerySerializer],
        responses={200: MismatchSerializer(many=True), **errors(400, 401, 404)},
        tags=["validations"],
    )
    def get(self, request, *args, **kwargs):
        """Mismatches of the latest validation (or `validation`), filtered; root causes and
        the largest differences first by default."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query(MismatchQuerySerializer, self.request)
        workbook = model_or_404(self.request.user, self.kwargs["model_id"])
        if "validation" in params:
            run = validation_get(workbook, params.pop("validation"))
            if run is None:
                raise ApiError("The model has no validation with that id.", "not_found", 404)
        else:
            run = latest_validation(workbook)
        if run is None:
            return Mismatch.objects.none()
        return mismatch_list(
            run,
            kind=params.get("kind"),
            sheet=params.get("sheet"),
            root_cause=params["root_cause"],
            review=params.get("review"),
            reason=params.get("reason"),
            order=params["ordering"],
        )


class ReviewSerializer(serializers.Serializer):
    review = serializers.ChoiceField(choices=Mismatch.Review.choices)
    review_note = serializers.CharField(required=False, allow_blank=True, max_length=10_000)


class MismatchDetailView(GenericAPIView):
    serializer_class = MismatchSerializer
    parser_classes = [JSONParser, FormParser, MultiPartParser]
    pagination_class = None
    filter_backends: list = []

    @extend_schema(
        operation_id="models_mismatches_retrieve",
        responses={200: MismatchSerializer, **errors(401, 404)},
        tags=["validations"],
    )
    def get(self, request, model_id: int, mismatch_id: int):
        """One mismatch."""
        return Response(self.get_serializer(self._mismatch(model_id, mismatch_id)).data)

    @extend_schema(
        operation_id="models_mismatches_review",
        request=ReviewSerializer,
        responses={200: MismatchSerializer, **errors(400, 401, 404, 415)},
        tags=["validations"],
    )
    def patch(self, request, model_id: int, mismatch_id: int):
        """Review a mismatch: open, reviewed or explained, with a note."""
        mismatch = self._mismatch(model_id, mismatch_id)
        review = ReviewSerializer(data=request.data)
        review.is_valid(raise_exception=True)
        mismatch_mark_reviewed(
            Mismatch.objects.filter(pk=mismatch.pk),
            user=request.user,
            review=review.validated_data["review"],
            note=review.validated_data.get("review_note", ""),
        )
        return Response(self.get_serializer(self._mismatch(model_id, mismatch_id)).data)

    def _mismatch(self, model_id: int, mismatch_id: int) -> Mismatch:
        mismatch = mismatch_get(model_or_404(self.request.user, model_id), mismatch_id)
        if mismatch is None:
            raise ApiError(
                f"The model has no mismatch {mismatch_id}.", "not_found", status.HTTP_404_NOT_FOUND
            )
        return mismatch
