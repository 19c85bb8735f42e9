"""Pages for models (stored workbooks): upload, list, detail, delete, sheet grid, cell inspector.

Views parse input, call selectors and services, and shape output. Every string that
comes from a workbook or a user reaches the templates unmarked, so Django escapes it.
"""

from __future__ import annotations

from collections import deque

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, OuterRef, Subquery
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from openpyxl.utils.cell import (
    column_index_from_string,
    coordinate_from_string,
    get_column_letter,
)
from openpyxl.utils.exceptions import CellCoordinatesException

from jobs.models import JobRun
from jobs.selectors import job_list
from jobs.services import import_job_start
from validation.models import Mismatch, ValidationRun
from validation.selectors import latest_validation

from .forms import UploadForm, ValidateForm
from .models import Cell, Sheet, Workbook
from .selectors import BAD, dependents, precedents, workbook_get, workbook_list
from .services.book import Reason
from .services.workbooks import workbook_delete
from .uploads import too_large_message, upload_too_large

REASONS = dict(Reason.CHOICES)
STATUS_CODES = {  # the grid's compact status letters (static/js/grid.js)
    Cell.Status.CONSTANT: "c",
    Cell.Status.MATCHED: "m",
    Cell.Status.MISMATCHED: "x",
    Cell.Status.NOT_EVALUATED: "n",
    Cell.Status.NOT_COMPARED: "u",
    Cell.Status.EXCLUDED: "e",
}
TILE_LIMIT = 20_000  # cells one grid request may span (rows x columns)
LINKS_SHOWN = 100  # precedents / dependents listed in the inspector
CHAIN_LIMIT = 200  # cells the root-cause search visits


# --- Values as Excel shows them ----------------------------------------------------


def general(number: float) -> str:
    """A number as Excel's General format shows it in a standard column: at most 11 characters."""
    if number != number or number in (float("inf"), float("-inf")):
        return "#NUM!"
    if number == 0:
        return "0"
    size = abs(number)
    if number == int(number) and size < 1e11:
        return str(int(number))
    if 1e-4 <= size < 1e11:
        for decimals in range(10, -1, -1):
            text = f"{number:.{decimals}f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            if len(text) <= 11:
                return "0" if text in ("-0", "") else text
    mantissa, exponent = f"{number:.5E}".split("E")
    if "." in mantissa:
        mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}E{exponent}"


def shown(kind: str | None, number: float | None, text: str | None) -> str:
    """A typed value (the cached_* or calc_* columns) as the grid shows it."""
    if kind == "number" and number is not None:
        return general(number)
    if kind == "bool":
        return "TRUE" if number else "FALSE"
    if kind in ("text", "error"):
        return text or ""
    return ""


def precise(kind: str | None, number: float | None, text: str | None) -> str:
    """A typed value with full precision, for the inspector."""
    if kind is None:
        return ""
    if kind == "number" and number is not None:
        text = repr(float(number))
        return text[:-2] if text.endswith(".0") else text
    return shown(kind, number, text)


def cached_shown(cell: Cell) -> str:
    return shown(cell.cached_type, cell.cached_number, cell.cached_text)


def calc_shown(cell: Cell) -> str:
    return shown(cell.calc_type, cell.calc_number, cell.calc_text)


def a1(row: int, column: int) -> str:
    return f"{get_column_letter(column)}{row}"


# --- Ownership ---------------------------------------------------------------------


def workbook_or_404(request, pk) -> Workbook:
    """The model if this user may see it; someone else's model is as absent as a missing one."""
    workbook = workbook_get(pk, user=request.user)
    if workbook is None:
        raise Http404("No such model.")
    return workbook


def sheet_or_404(workbook: Workbook, index: int) -> Sheet:
    return get_object_or_404(Sheet, workbook=workbook, index=index)


# --- Upload, list, detail, delete --------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def upload(request):
    posted = request.method == "POST"
    form = UploadForm(request.POST, request.FILES) if posted else UploadForm()
    if posted and upload_too_large(request):
        # SizeLimitUploadHandler stopped reading the body: the file never arrived
        form.is_valid()
        form.errors.pop("file", None)
        form.add_error("file", forms.ValidationError(too_large_message(), code="too_large"))
    elif posted and form.is_valid():
        data = form.cleaned_data
        job = import_job_start(
            data["file"],
            user=request.user,
            filename=data["file"].name,
            name=data["name"],
            abs_tol=data["abs_tol"],
            rel_tol=data["rel_tol"],
            force=data["force"],
        )
        return redirect("pages:job_detail", job_id=job.pk)
    status = 400 if posted else 200
    context = {"form": form, "max_bytes": settings.DCMODEL_MAX_UPLOAD_BYTES}
    return render(request, "imports/upload.html", context, status=status)


@login_required
def workbook_index(request):
    search = request.GET.get("q", "").strip()
    latest = ValidationRun.objects.filter(workbook=OuterRef("pk")).order_by("-created_at", "-id")
    workbooks = workbook_list(user=request.user, search=search).annotate(
        rate=Subquery(latest.values("match_rate")[:1]),
        mismatches=Subquery(latest.values("mismatched")[:1]),
        failures=Subquery(latest.values("not_evaluated")[:1]),
    )
    page = Paginator(workbooks, 50).get_page(request.GET.get("page"))
    for workbook in page:
        if workbook.rate is not None:
            workbook.rate_percent = 100 * workbook.rate
            workbook.matched_text = f"{workbook.rate:.4%} of the compared formulas match Excel"
    active = job_list(user=request.user).filter(created_by=request.user, kind=JobRun.Kind.IMPORT)
    recent_jobs = active.exclude(status=JobRun.Status.SUCCESS).order_by("-created_at")[:5]
    context = {"page": page, "search": search, "recent_jobs": recent_jobs}
    return render(request, "imports/workbook_list.html", context)


@login_required
def workbook_detail(request, pk):
    workbook = workbook_or_404(request, pk)
    run = latest_validation(workbook)
    context = {
        "workbook": workbook,
        "run": run,
        "sheets": sheets_with_counts(workbook, run),
        "names": workbook.names.select_related("scope")[:200],
        "name_count": workbook.names.count(),
        "cycles": workbook.cycle_groups.all()[:50],
        "cycle_count": workbook.cycle_groups.count(),
        "chart": summary_chart(run) if run else None,
        "unsupported": sorted(workbook.unsupported_functions.items(), key=lambda kv: -kv[1]),
        "functions": sorted(workbook.functions.items(), key=lambda kv: (-kv[1], kv[0])),
        "stage_seconds": list(workbook.stage_seconds.items()),
        "validate_form": ValidateForm(
            initial={"abs_tol": run.abs_tol, "rel_tol": run.rel_tol} if run else None
        ),
    }
    return render(request, "imports/workbook_detail.html", context)


def sheets_with_counts(workbook: Workbook, run: ValidationRun | None) -> list[Sheet]:
    sheets = list(workbook.sheets.all())
    counts = {}
    if run is not None:
        counts = dict(
            run.mismatches.values_list("cell__sheet_id").annotate(n=Count("id")).order_by()
        )
    for sheet in sheets:
        sheet.mismatches = counts.get(sheet.pk, 0)
        sheet.dimension = (
            f"A1:{a1(sheet.max_row, sheet.max_column)}"
            if sheet.max_row and sheet.max_column
            else ""
        )
    return sheets


def summary_chart(run: ValidationRun) -> dict:
    """The validation summary as bar segments (share of formula cells) and per-kind lists."""
    total = max(run.formula_cells, 1)
    parts = [
        ("matched", "Matched", run.matched),
        ("mismatched", "Mismatched", run.mismatched),
        ("not_evaluated", "Not evaluated", run.not_evaluated),
        ("excluded", "Not comparable", run.excluded),
        ("not_compared", "No cached value", run.not_compared),
    ]
    segments = [
        {"status": status, "label": label, "count": count, "percent": 100 * count / total}
        for status, label, count in parts
    ]
    kinds = dict(Mismatch.Kind.choices)
    return {
        "rate_text": "" if run.match_rate is None else f"{run.match_rate:.2%}",
        "segments": segments,
        "by_kind": _bars(run.mismatched_by_kind, kinds),
        "by_reason": _bars(run.not_evaluated_by_reason, REASONS),
        "excluded": _bars(run.excluded_by_reason, REASONS),
        "mismatch_reasons": _bars(run.mismatched_by_reason, REASONS),
    }


def _bars(counts: dict, labels: dict) -> list[dict]:
    top = max(counts.values(), default=0) or 1
    return [
        {"key": key, "label": labels.get(key, key), "count": count, "percent": 100 * count / top}
        for key, count in sorted(counts.items(), key=lambda kv: -kv[1])
    ]


@login_required
@require_http_methods(["GET", "POST"])
def workbook_remove(request, pk):
    workbook = workbook_or_404(request, pk)
    if request.method == "POST":
        name = workbook.name
        workbook_delete(workbook)
        messages.success(request, f"Model “{name}” was deleted.")
        return redirect("pages:workbook_list")
    return render(request, "imports/workbook_confirm_delete.html", {"workbook": workbook})


# --- Sheet grid --------------------------------------------------------------------


@login_required
def sheet_grid(request, pk, index):
    workbook = workbook_or_404(request, pk)
    sheet = sheet_or_404(workbook, index)
    statuses = dict(
        Cell.objects.filter(sheet=sheet).values_list("status").annotate(n=Count("id")).order_by()
    )
    mismatched = (
        Cell.objects.filter(sheet=sheet, status=Cell.Status.MISMATCHED)
        .order_by("row", "column")
        .values_list("row", "column")
    )
    config = {
        "rows": max(sheet.max_row, 1),
        "columns": max(sheet.max_column, 1),
        "sheetIndex": sheet.index,
        "cellsUrl": reverse("pages:sheet_cells", args=[workbook.pk, sheet.index]),
        "inspectUrl": reverse("pages:cell_detail", args=[workbook.pk, sheet.index, "A1"]),
        "selected": _position(request.GET.get("cell", "")),
        "mismatches": list(
            mismatched.order_by("row", "column").values_list("row", "column")[:5000]
        ),
    }
    legend = [
        (status, label, statuses.get(status, 0))
        for status, label in Cell.Status.choices
        if status != Cell.Status.NOT_COMPARED or statuses.get(status)
    ]
    context = {
        "workbook": workbook,
        "sheet": sheet,
        "sheets": workbook.sheets.all(),
        "legend": legend,
        "config": config,
    }
    return render(request, "imports/sheet.html", context)


def _position(address: str) -> list[int] | None:
    """[row, column] of an A1 address inside Excel's grid, or None."""
    try:
        letters, row = coordinate_from_string(address.replace("$", "").strip().upper())
        column = column_index_from_string(letters)
    except (CellCoordinatesException, ValueError, TypeError):
        return None
    if not (1 <= row <= 1_048_576 and 1 <= column <= 16_384):
        return None
    return [row, column]


def _bounds(request) -> tuple[int, int, int, int] | None:
    try:
        r0, r1, c0, c1 = (int(request.GET[key]) for key in ("r0", "r1", "c0", "c1"))
    except (KeyError, ValueError):
        return None
    if not (1 <= r0 <= r1 <= 1_048_576 and 1 <= c0 <= c1 <= 16_384):
        return None
    if (r1 - r0 + 1) * (c1 - c0 + 1) > TILE_LIMIT:
        return None
    return r0, r1, c0, c1


@login_required
def sheet_cells(request, pk, index):
    """The non-empty cells of one rectangle of a sheet, compact, for the grid."""
    workbook = workbook_or_404(request, pk)
    sheet = sheet_or_404(workbook, index)
    bounds = _bounds(request)
    if bounds is None:
        return JsonResponse(
            {"error": f"r0, r1, c0, c1: a rectangle of at most {TILE_LIMIT:,} cells."}, status=400
        )
    r0, r1, c0, c1 = bounds
    area = {"row__range": (r0, r1), "column__range": (c0, c1)}
    rows = Cell.objects.filter(sheet=sheet, **area).values_list(
        "row",
        "column",
        "status",
        "formula",
        "cached_type",
        "cached_number",
        "cached_text",
        "calc_type",
        "calc_number",
        "calc_text",
        "array_ref",
    )
    run = latest_validation(workbook)
    roots = set()
    if run is not None:
        roots = set(
            run.mismatches.filter(
                is_root_cause=True, cell__sheet=sheet, **{f"cell__{k}": v for k, v in area.items()}
            ).values_list("cell__row", "cell__column")
        )
    return JsonResponse({"cells": [_grid_cell(row, roots) for row in rows]})


def _grid_cell(row: tuple, roots: set) -> list:
    """[row, column, status letter, Excel's value, dcmodel's value, type, formula, root cause]."""
    r, c, status, formula, c_type, c_num, c_text, a_type, a_num, a_text, array_ref = row
    computed = formula is not None or bool(array_ref)
    excel = shown(c_type, c_num, c_text)
    ours = shown(a_type, a_num, a_text) if computed and a_type is not None else None
    kind = c_type if c_type != "empty" else (a_type or "empty")
    text = (formula or (f"{{array {array_ref}}}" if array_ref else ""))[:1000]
    return [r, c, STATUS_CODES.get(status, "c"), excel, ours, kind, text, int((r, c) in roots)]


# --- Cell inspector ----------------------------------------------------------------


@login_required
def cell_detail(request, pk, index, address):
    workbook = workbook_or_404(request, pk)
    sheet = sheet_or_404(workbook, index)
    position = _position(address)
    if position is None:
        raise Http404("Not a cell address.")
    row, column = position
    cell = Cell.objects.filter(sheet=sheet, row=row, column=column).select_related("sheet").first()
    fragment = bool(request.GET.get("fragment"))
    grid_url = reverse("pages:sheet_grid", args=[workbook.pk, sheet.index])
    context = {
        "workbook": workbook,
        "sheet": sheet,
        "address": a1(row, column),
        "fragment": fragment,
        "grid_url": f"{grid_url}?cell={a1(row, column)}",
        "page_url": request.path,
        # Where a review sends the browser back to: the grid for the panel, else this page.
        "next_url": f"{grid_url}?cell={a1(row, column)}" if fragment else request.path,
    }
    if cell is None:
        empty = Cell(sheet=sheet, workbook=workbook, row=row, column=column)
        context["dependents"] = _links(dependents(empty, limit=LINKS_SHOWN + 1))
    else:
        context.update(inspect(workbook, cell))
    template = "imports/_inspector.html" if fragment else "imports/cell.html"
    return render(request, template, context)


def inspect(workbook: Workbook, cell: Cell) -> dict:
    run = latest_validation(workbook)
    mismatch = run.mismatches.filter(cell=cell).first() if run else None
    facts = {
        "cell": cell,
        "mismatch": mismatch,
        "kind_label": dict(Mismatch.Kind.choices).get(mismatch.kind) if mismatch else "",
        # Full precision, written like the two values it compares (1000000, not 1000000.0).
        "difference": precise("number", mismatch.difference, None)
        if mismatch and mismatch.difference is not None
        else "",
        "cached": precise(cell.cached_type, cell.cached_number, cell.cached_text),
        "calculated": precise(cell.calc_type, cell.calc_number, cell.calc_text),
        "reason_label": REASONS.get(cell.reason, cell.reason),
        "precedents": _links(precedents(cell, limit=LINKS_SHOWN + 1)),
        "dependents": _links(dependents(cell, limit=LINKS_SHOWN + 1)),
        "review_choices": Mismatch.Review.choices,
    }
    if cell.status in BAD:
        facts["chain"] = root_paths(cell, run)
    return facts


def _links(cells: list[Cell]) -> dict:
    """Cells shown as links, with their values; the list is cut at LINKS_SHOWN."""
    return {
        "cells": [_link(cell) for cell in cells[:LINKS_SHOWN]],
        "more": len(cells) > LINKS_SHOWN,
    }


def _link(cell: Cell) -> dict:
    address = a1(cell.row, cell.column)
    return {
        "cell": cell,
        "label": f"{cell.sheet.name}!{address}",
        "address": address,
        "url": reverse("pages:cell_detail", args=[cell.workbook_id, cell.sheet.index, address]),
        "grid_url": reverse("pages:sheet_grid", args=[cell.workbook_id, cell.sheet.index])
        + f"?cell={address}",
        "sheet_index": cell.sheet.index,
        "value": cached_shown(cell) or calc_shown(cell),
        "calculated": calc_shown(cell),
    }


def root_paths(cell: Cell, run: ValidationRun | None) -> dict:
    """The chains from a bad cell back to where its problem starts.

    Breadth-first through precedents that mismatch or failed, remembering who led
    where; a visited cell without bad precedents is a root cause, and the path from
    it to `cell` is the chain a modeller reads.
    """
    parent: dict[int, int | None] = {cell.pk: None}
    nodes = {cell.pk: cell}
    roots: list[Cell] = []
    queue = deque([cell])
    while queue and len(nodes) <= CHAIN_LIMIT:
        current = queue.popleft()
        bad = [p for p in precedents(current) if p.status in BAD and p.pk != current.pk]
        if not bad:
            roots.append(current)
        for precedent in bad:
            if precedent.pk not in parent:
                parent[precedent.pk] = current.pk
                nodes[precedent.pk] = precedent
                queue.append(precedent)
    flagged = set()
    if run is not None:
        flagged = set(
            run.mismatches.filter(cell_id__in=list(nodes), is_root_cause=True).values_list(
                "cell_id", flat=True
            )
        )
    paths = []
    for root in roots[:5]:
        path, pk = [], root.pk
        while pk is not None:
            path.append({**_link(nodes[pk]), "root": pk == root.pk, "flagged": pk in flagged})
            pk = parent[pk]
        paths.append(path)
    return {
        "is_root": roots == [cell],
        "roots": [_link(root) for root in roots],
        "paths": paths,
        "truncated": bool(queue),
        "visited": len(nodes),
    }
