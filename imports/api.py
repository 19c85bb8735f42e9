"""The API's models (workbooks) and cells: serializers and thin views over the selectors.

Values are typed JSON, one shape everywhere a cell value appears: a number is a
JSON number, text a string, a boolean true/false, an Excel error an object
`{"error": "#N/A"}`, and no value null. A number JSON cannot carry (infinite, NaN)
is the string "Infinity", "-Infinity" or "NaN". The `*_type` fields say which of
number / text / bool / error / empty it is (calculated_type null: not evaluated).
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
)
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.pagination import BasePagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from dcmodel.api import ApiError, ErrorSerializer, PagePagination, page_size_from
from validation.models import Mismatch, ValidationRun
from validation.selectors import latest_validation, mismatch_of_cell, with_latest_validation

from .models import Cell, CycleGroup, NamedRange, Sheet, ValueTypes, Workbook
from .selectors import (
    BAD,
    MAX_LINKS,
    WORKBOOK_ORDERINGS,
    BadRange,
    CellFilters,
    CellKey,
    cell_get,
    cell_key,
    cell_list,
    cell_page,
    dependents,
    precedents,
    root_cause_chain,
    roots_of,
    workbook_get,
    workbook_list,
)
from .services.book import Reason
from .services.workbooks import workbook_delete

MAX_DB_INT = 2**63 - 1


def errors(*codes: int) -> dict:
    """The documented error answers of an operation: the shared error body for each status."""
    text = {
        400: "Invalid input (code `invalid`, or a more specific code).",
        401: "Not authenticated (no or a wrong token or session).",
        404: "Not found, or not yours.",
        409: "Conflict with the resource's state.",
        413: "The upload is larger than the limit (code `too_large`).",
        415: "Unsupported media type or file type.",
        429: "Too many uploads (code `throttled`).",
    }
    return {code: OpenApiResponse(ErrorSerializer, description=text[code]) for code in codes}


# --- typed values ---------------------------------------------------------------


def json_value(kind: str | None, number: float | None, text: str | None) -> Any:
    """A stored typed value as JSON (see the module docstring)."""
    if kind == ValueTypes.NUMBER:
        if number is None or math.isfinite(number):
            return number
        return "NaN" if math.isnan(number) else ("Infinity" if number > 0 else "-Infinity")
    if kind == ValueTypes.BOOL:
        return bool(number)
    if kind == ValueTypes.TEXT:
        return text
    if kind == ValueTypes.ERROR:
        return {"error": text}
    return None


TYPED_VALUE_SCHEMA = {
    "description": (
        "A cell value: number, string (text; or 'Infinity'/'-Infinity'/'NaN' for a "
        'non-finite number), boolean, {"error": "#N/A"} for an Excel error, or null.'
    ),
    "nullable": True,
    "oneOf": [
        {"type": "number"},
        {"type": "string"},
        {"type": "boolean"},
        {
            "type": "object",
            "properties": {"error": {"type": "string", "example": "#DIV/0!"}},
            "required": ["error"],
        },
    ],
}


def finite(value: float | None) -> float | None:
    """A float for JSON: None when missing or not finite (JSON has no Infinity)."""
    return value if value is not None and math.isfinite(value) else None


def cell_url(workbook_id: int, sheet: str, address: str) -> str:
    ref = quote(f"{sheet}!{address}", safe="!")
    return reverse("api-cell", kwargs={"model_id": workbook_id, "ref": "REF"}).replace("REF", ref)


def model_or_404(user, model_id: int) -> Workbook:
    """The workbook if this user may see it; 404 otherwise (someone else's or none)."""
    workbook = workbook_get(model_id, user=user) if 0 < model_id <= MAX_DB_INT else None
    if workbook is None:
        raise ApiError(f"No model with id {model_id}.", "not_found", status.HTTP_404_NOT_FOUND)
    return workbook


# --- cells ----------------------------------------------------------------------------


class CellFlagsSerializer(serializers.Serializer):
    volatile = serializers.BooleanField(help_text="Depends on NOW/TODAY/CELL/INFO.")
    random = serializers.BooleanField(help_text="Depends on RAND/RANDBETWEEN/RANDARRAY.")
    circular = serializers.BooleanField(help_text="In a circular reference.")
    after_iteration = serializers.BooleanField(help_text="In or after an iterated cycle.")
    external = serializers.BooleanField(help_text="Reads another workbook.")
    array_range = serializers.CharField(
        allow_null=True, help_text="The range an array formula fills (anchor cell), e.g. A1:C3."
    )


@extend_schema_field(OpenApiTypes.URI)
class CellUrlField(serializers.Field):
    """The cell's own API URL (absolute when the request is known)."""

    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, cell: Cell) -> str:
        url = cell_url(cell.workbook_id, cell.sheet.name, cell.address)
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class CellLinkSerializer(serializers.Serializer):
    """A cell named by another: where it is and how it fared."""

    sheet = serializers.CharField(source="sheet.name")
    address = serializers.CharField()
    status = serializers.ChoiceField(choices=Cell.Status.choices)
    reason = serializers.CharField()
    url = CellUrlField()


class CellSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sheet = serializers.CharField(source="sheet.name")
    address = serializers.CharField(help_text="A1 style, e.g. B7.")
    row = serializers.IntegerField(help_text="1-based.")
    column = serializers.IntegerField(help_text="1-based (A = 1).")
    formula = serializers.CharField(
        allow_null=True, help_text="As written, with '='; null: constant."
    )
    cached_type = serializers.ChoiceField(
        choices=ValueTypes.choices, help_text="Type of Excel's cached value."
    )
    cached_value = serializers.SerializerMethodField()
    calculated_type = serializers.ChoiceField(
        choices=ValueTypes.choices,
        allow_null=True,
        source="calc_type",
        help_text="Type of the engine's value; null: not calculated (a constant, or see reason).",
    )
    calculated_value = serializers.SerializerMethodField()
    status = serializers.ChoiceField(choices=Cell.Status.choices)
    reason = serializers.CharField(
        help_text="Why not evaluated, not comparable or mismatched (e.g. unsupported_function)."
    )
    reason_detail = serializers.CharField()
    flags = serializers.SerializerMethodField()
    functions = serializers.SerializerMethodField()
    url = CellUrlField()

    @extend_schema_field(TYPED_VALUE_SCHEMA)
    def get_cached_value(self, cell: Cell) -> Any:
        return json_value(cell.cached_type, cell.cached_number, cell.cached_text)

    @extend_schema_field(TYPED_VALUE_SCHEMA)
    def get_calculated_value(self, cell: Cell) -> Any:
        return json_value(cell.calc_type, cell.calc_number, cell.calc_text)

    @extend_schema_field(CellFlagsSerializer)
    def get_flags(self, cell: Cell) -> dict:
        return {
            "volatile": cell.is_volatile,
            "random": cell.is_random,
            "circular": cell.is_circular,
            "after_iteration": cell.after_iteration,
            "external": cell.is_external,
            "array_range": cell.array_ref or None,
        }

    def get_functions(self, cell: Cell) -> list[str]:
        return [name for name in cell.functions.split(",") if name]


class CellMismatchSerializer(serializers.Serializer):
    """The cell's mismatch in the latest validation."""

    id = serializers.IntegerField()
    validation_id = serializers.IntegerField(source="run_id")
    kind = serializers.ChoiceField(choices=Mismatch.Kind.choices)
    difference = serializers.SerializerMethodField()
    is_root_cause = serializers.BooleanField()
    reason = serializers.CharField()
    review = serializers.ChoiceField(choices=Mismatch.Review.choices)

    def get_difference(self, mismatch: Mismatch) -> float | None:
        return finite(mismatch.difference)


class CellDetailSerializer(CellSerializer):
    """A cell with what it reads, what reads it and, when bad, where its problem starts."""

    precedents = CellLinkSerializer(many=True, help_text="Non-empty cells the formula reads.")
    precedents_truncated = serializers.BooleanField(help_text=f"More than {MAX_LINKS} precedents.")
    dependents = CellLinkSerializer(many=True, help_text="Formula cells that read this cell.")
    dependents_truncated = serializers.BooleanField(help_text=f"More than {MAX_LINKS} dependents.")
    mismatch = CellMismatchSerializer(allow_null=True)
    root_cause_chain = CellLinkSerializer(
        many=True,
        allow_null=True,
        help_text="For a mismatched or not-evaluated cell: the bad precedents, breadth first "
        "back to where the problem starts; null for other cells.",
    )
    root_causes = CellLinkSerializer(
        many=True,
        allow_null=True,
        help_text="The cells where the problem starts (this cell when it is one itself).",
    )

    def to_representation(self, cell: Cell) -> dict:
        # The links come computed in the context (cell_links); the rest is a plain cell.
        return {**CellSerializer(cell, context=self.context).data, **self.context["links"]}


class CellQuerySerializer(serializers.Serializer):
    """Filters of GET /api/models/{id}/cells."""

    sheet = serializers.CharField(required=False, max_length=255, help_text="Sheet name.")
    range = serializers.CharField(
        required=False,
        max_length=300,
        help_text="An A1 range, Sheet1!A1:D20 (quote names with spaces: 'My sheet'!A:A); "
        "A1:D20 alone needs `sheet`.",
    )
    formulas_only = serializers.BooleanField(required=False, default=False)
    status = serializers.ChoiceField(required=False, choices=Cell.Status.choices)
    kind = serializers.ChoiceField(
        required=False,
        choices=Mismatch.Kind.choices,
        help_text="Cells with a mismatch of this kind in the latest validation.",
    )
    root_cause = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="Mismatched cells that are (true) or are not (false) root causes.",
    )
    search = serializers.CharField(
        required=False, max_length=200, help_text="Text in the formula (case-insensitive)."
    )


def query(serializer_class: type[serializers.Serializer], request: Request) -> dict:
    """Validated query parameters (400 `invalid` with the fields' problems otherwise)."""
    params = serializer_class(data=request.query_params.dict())
    params.is_valid(raise_exception=True)
    return params.validated_data


class CellCursorPagination(BasePagination):
    """Opaque cursors over the stable (sheet index, row, column, id) order: `next` and
    `previous` links that stay right however deep the page (see selectors.cell_page)."""

    page_size = 100
    max_page_size = 1000

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.size = self._size(request)
        direction, key = decode_cursor(request.query_params.get("cursor"))
        backwards = direction == "p"
        cells, more = cell_page(
            queryset,
            view.workbook,
            after=None if backwards else key,
            before=key if backwards else None,
            size=self.size,
        )
        first, last = (cell_key(cells[0]), cell_key(cells[-1])) if cells else (None, None)
        self.next = last if cells and (more or backwards) else None
        self.previous = first if cells and (backwards and more or not backwards and key) else None
        return cells

    def get_paginated_response(self, data):
        return Response(
            {
                "next": self._link("n", self.next),
                "previous": self._link("p", self.previous),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {"next": link, "previous": link, "results": schema},
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": "cursor",
                "in": "query",
                "required": False,
                "description": "The `next` or `previous` link's cursor (opaque).",
                "schema": {"type": "string"},
            },
            {
                "name": "page_size",
                "in": "query",
                "required": False,
                "description": f"Cells per page (default {self.page_size}, "
                f"at most {self.max_page_size}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": self.max_page_size},
            },
        ]

    def _size(self, request) -> int:
        return page_size_from(request, self.page_size, self.max_page_size)

    def _link(self, direction: str, key: CellKey | None) -> str | None:
        if key is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, "cursor", encode_cursor(direction, key))


def encode_cursor(direction: str, key: CellKey) -> str:
    text = f"{direction}:{':'.join(str(part) for part in key)}"
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> tuple[str, CellKey | None]:
    """('n' | 'p', key) from a cursor; 400 `bad_cursor` for anything we did not write."""
    if not cursor:
        return "n", None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        direction, *parts = base64.urlsafe_b64decode(padded.encode()).decode().split(":")
        key = tuple(int(part) for part in parts)
        if (
            direction not in {"n", "p"}
            or len(key) != 4
            or not all(0 <= part <= MAX_DB_INT for part in key)
        ):
            raise ValueError(cursor)
    except (ValueError, UnicodeError, binascii.Error) as exc:
        raise ApiError(
            "The cursor is not one this API gave out; follow the next/previous links.",
            "bad_cursor",
        ) from exc
    return direction, key  # type: ignore[return-value]


class CellListView(GenericAPIView):
    """Cells of a model in (sheet, row, column) order, filtered, by cursor."""

    serializer_class = CellSerializer
    pagination_class = CellCursorPagination
    filter_backends: list = []

    @extend_schema(
        operation_id="models_cells_list",
        parameters=[CellQuerySerializer],
        responses={200: CellSerializer(many=True), **errors(400, 401, 404)},
        tags=["cells"],
    )
    def get(self, request, model_id: int):
        """List a model's cells: filter by sheet, A1 range, formulas only, status, mismatch kind,
        root cause, or text in the formula. `bad_range` / `unknown_sheet` for a bad range."""
        self.workbook = model_or_404(request.user, model_id)
        cells = cell_list(self.workbook, CellFilters(**query(CellQuerySerializer, request)))
        page = self.paginate_queryset(cells)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class CellDetailView(GenericAPIView):
    serializer_class = CellDetailSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        operation_id="models_cells_retrieve",
        parameters=[
            OpenApiParameter(
                "ref",
                OpenApiTypes.STR,
                OpenApiParameter.PATH,
                description="Sheet!Address with the sheet URL-encoded, e.g. `Sheet1!B7` or "
                "`My%20sheet!B7`.",
            )
        ],
        responses={200: CellDetailSerializer, **errors(400, 401, 404)},
        tags=["cells"],
    )
    def get(self, request, model_id: int, ref: str):
        """One cell with its precedents and dependents; for a mismatched or not-evaluated cell,
        its latest mismatch and the chain back to its root causes."""
        workbook = model_or_404(request.user, model_id)
        cell = self._cell(workbook, ref)
        context = {**self.get_serializer_context(), "links": cell_links(cell, request)}
        return Response(self.get_serializer(cell, context=context).data)

    def _cell(self, workbook: Workbook, ref: str) -> Cell:
        sheet, bang, address = ref.rpartition("!")
        sheet = sheet.strip()
        if len(sheet) >= 2 and sheet[0] == sheet[-1] == "'":
            sheet = sheet[1:-1].replace("''", "'")
        if not bang or not sheet:
            raise ApiError(
                f"{ref!r} is not Sheet!Address, e.g. Sheet1!B7 (URL-encode the sheet).",
                "bad_address",
            )
        try:
            cell = cell_get(workbook, sheet, address)
        except BadRange as exc:
            if exc.code == "unknown_sheet":
                raise ApiError(str(exc), "unknown_sheet", status.HTTP_404_NOT_FOUND) from exc
            raise ApiError(str(exc), "bad_address") from exc
        if cell is None:
            raise ApiError(
                f"{sheet}!{address.upper()} is empty (no value, no formula).",
                "not_found",
                status.HTTP_404_NOT_FOUND,
            )
        return cell


def cell_links(cell: Cell, request: Request) -> dict:
    """Precedents, dependents and, for a bad cell, its mismatch and root-cause chain."""
    before = precedents(cell, limit=MAX_LINKS + 1)
    after = dependents(cell, limit=MAX_LINKS + 1)
    bad = cell.status in BAD

    def links(cells: list[Cell]) -> list:
        return CellLinkSerializer(cells, many=True, context={"request": request}).data

    return {
        "precedents": links(before[:MAX_LINKS]),
        "precedents_truncated": len(before) > MAX_LINKS,
        "dependents": links(after[:MAX_LINKS]),
        "dependents_truncated": len(after) > MAX_LINKS,
        "mismatch": _mismatch(cell),
        "root_cause_chain": links(root_cause_chain(cell)) if bad else None,
        "root_causes": links(roots_of(cell)) if bad else None,
    }


def _mismatch(cell: Cell) -> dict | None:
    mismatch = mismatch_of_cell(cell)
    return CellMismatchSerializer(mismatch).data if mismatch is not None else None


# --- models ---------------------------------------------------------------------------


class ValidationSummarySerializer(serializers.ModelSerializer):
    """A validation run: its tolerances and totals (by mismatch kind and by reason)."""

    match_rate = serializers.SerializerMethodField()

    class Meta:
        model = ValidationRun
        fields = [
            "id",
            "created_at",
            "abs_tol",
            "rel_tol",
            "formula_cells",
            "compared",
            "matched",
            "mismatched",
            "not_evaluated",
            "not_compared",
            "excluded",
            "match_rate",
            "root_causes",
            "mismatched_by_kind",
            "mismatched_by_reason",
            "not_evaluated_by_reason",
            "excluded_by_reason",
        ]

    def get_match_rate(self, run: ValidationRun) -> float | None:
        """matched / compared; null when nothing was compared."""
        return finite(run.match_rate)


class SheetSerializer(serializers.ModelSerializer):
    class Meta:
        model = Sheet
        fields = [
            "index",
            "name",
            "state",
            "cell_count",
            "formula_count",
            "max_row",
            "max_column",
        ]


class NamedRangeSerializer(serializers.ModelSerializer):
    scope = serializers.CharField(
        source="scope.name", allow_null=True, help_text="Sheet of a local name; null: workbook."
    )

    class Meta:
        model = NamedRange
        fields = ["name", "scope", "value", "hidden"]


class CycleGroupSerializer(serializers.ModelSerializer):
    max_change = serializers.SerializerMethodField()

    class Meta:
        model = CycleGroup
        fields = ["index", "size", "cells", "iterated", "iterations", "max_change", "converged"]

    def get_max_change(self, group: CycleGroup) -> float | None:
        return finite(group.max_change)


class ModelSerializer(serializers.ModelSerializer):
    """A model (an imported workbook) as listed."""

    owner = serializers.CharField(source="owner.get_username", allow_null=True, default=None)
    latest_validation_id = serializers.IntegerField(allow_null=True, read_only=True)
    match_rate = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Workbook
        fields = [
            "id",
            "name",
            "original_filename",
            "size_bytes",
            "sha256",
            "owner",
            "created_at",
            "sheet_count",
            "cell_count",
            "formula_count",
            "cache_trusted",
            "latest_validation_id",
            "match_rate",
            "url",
        ]

    def get_match_rate(self, workbook: Workbook) -> float | None:
        """The latest validation's matched / compared."""
        return finite(getattr(workbook, "latest_match_rate", None))

    def get_url(self, workbook: Workbook) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("api-model", kwargs={"model_id": workbook.pk})
        )


class CalculationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Workbook
        fields = [
            "date_system",
            "iterate_enabled",
            "iterate_count",
            "iterate_delta",
            "calc_mode",
            "full_calc_on_load",
            "calc_completed",
        ]


class ModelDetailSerializer(ModelSerializer):
    """A model with its sheets, names, cycles, calculation settings and latest validation."""

    calculation = CalculationSerializer(source="*", help_text="How Excel was told to calculate.")
    sheets = SheetSerializer(many=True)
    named_ranges = NamedRangeSerializer(many=True, source="names")
    cycle_groups = CycleGroupSerializer(many=True)
    latest_validation = serializers.SerializerMethodField()
    functions = serializers.DictField(
        child=serializers.IntegerField(), help_text="Function name -> formula cells using it."
    )
    unsupported_functions = serializers.DictField(
        child=serializers.IntegerField(),
        help_text="Functions the engine lacks -> formula cells using them.",
    )
    links = serializers.SerializerMethodField()

    class Meta(ModelSerializer.Meta):
        fields = [
            *ModelSerializer.Meta.fields,
            "application",
            "language",
            "cache_trust_note",
            "evaluator",
            "calculation",
            "sheets",
            "named_ranges",
            "cycle_groups",
            "functions",
            "unsupported_functions",
            "latest_validation",
            "links",
        ]

    @extend_schema_field(ValidationSummarySerializer(allow_null=True))
    def get_latest_validation(self, workbook: Workbook) -> dict | None:
        run = latest_validation(workbook)
        return ValidationSummarySerializer(run).data if run is not None else None

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                name: {"type": "string", "format": "uri"}
                for name in ("cells", "mismatches", "validations", "validate")
            },
        }
    )
    def get_links(self, workbook: Workbook) -> dict:
        absolute = self.context["request"].build_absolute_uri
        return {
            name: absolute(reverse(f"api-{name}", kwargs={"model_id": workbook.pk}))
            for name in ("cells", "mismatches", "validations", "validate")
        }


class ModelQuerySerializer(serializers.Serializer):
    search = serializers.CharField(
        required=False, max_length=200, help_text="Text in the model's name."
    )
    ordering = serializers.ChoiceField(
        required=False,
        choices=list(WORKBOOK_ORDERINGS),
        default="-created_at",
        help_text="Newest first by default.",
    )


class ModelListView(ListAPIView):
    serializer_class = ModelSerializer
    pagination_class = PagePagination
    filter_backends: list = []

    @extend_schema(
        operation_id="models_list",
        parameters=[ModelQuerySerializer],
        responses={200: ModelSerializer(many=True), **errors(400, 401, 404)},
        tags=["models"],
    )
    def get(self, request, *args, **kwargs):
        """List the models you may see (yours; staff: all), newest first, searchable by name."""
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = query(ModelQuerySerializer, self.request)
        return with_latest_validation(
            workbook_list(
                user=self.request.user, search=params.get("search", ""), order=params["ordering"]
            )
        )


class ModelDetailView(GenericAPIView):
    serializer_class = ModelDetailSerializer
    filter_backends: list = []
    pagination_class = None

    @extend_schema(
        operation_id="models_retrieve",
        responses={200: ModelDetailSerializer, **errors(401, 404)},
        tags=["models"],
    )
    def get(self, request, model_id: int):
        """One model: counts, sheets, named ranges, cycle groups, calculation settings, cache
        trust, functions and unsupported functions, and the latest validation summary."""
        workbook = model_or_404(request.user, model_id)
        workbook = with_latest_validation(Workbook.objects.filter(pk=workbook.pk)).get()
        return Response(self.get_serializer(workbook).data)

    @extend_schema(
        operation_id="models_destroy",
        responses={204: None, **errors(401, 404)},
        tags=["models"],
    )
    def delete(self, request, model_id: int):
        """Delete a model: its cells, validations and stored file (running jobs are cancelled)."""
        workbook_delete(model_or_404(request.user, model_id))
        return Response(status=status.HTTP_204_NO_CONTENT)


REASONS = [code for code, _ in Reason.CHOICES]
