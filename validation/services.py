"""Validate a stored workbook: compare every computed cell, record the run and mismatches.

One code path for the import's validate stage and for a later re-validation
with other tolerances: cells are read back from the database in a stream, cell
statuses are corrected in bulk, and mismatch rows are inserted in batches.
"""

from __future__ import annotations

import re
from collections import Counter

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from imports.models import Cell, Workbook, typed_value
from imports.services.book import Progress

from .compare import display
from .explain import CellFacts, WorkbookFacts, judge, tolerances_for, workbook_facts
from .models import Mismatch, ValidationRun

BATCH = 5000


def default_tolerances() -> tuple[float, float]:
    return settings.DCMODEL_ABS_TOL, settings.DCMODEL_REL_TOL


def validate_workbook(
    workbook_id: int,
    *,
    abs_tol: float | None = None,
    rel_tol: float | None = None,
    progress: Progress = lambda *call: None,
) -> ValidationRun:
    """Compare every computed cell with its cached value; one transaction."""
    default_abs, default_rel = default_tolerances()
    abs_tol = default_abs if abs_tol is None else abs_tol
    rel_tol = default_rel if rel_tol is None else rel_tol
    _check_tolerances(abs_tol, rel_tol)
    with transaction.atomic():
        workbook = Workbook.objects.get(pk=workbook_id)
        run = ValidationRun.objects.create(workbook=workbook, abs_tol=abs_tol, rel_tol=rel_tol)
        tally = _compare_cells(workbook, run, abs_tol, rel_tol, progress)
        _finish_run(run, workbook, tally)
    return run


def _check_tolerances(abs_tol: float, rel_tol: float) -> None:
    for label, value in (("absolute", abs_tol), ("relative", rel_tol)):
        if not (value >= 0 and value < float("inf")):
            raise ValueError(f"The {label} tolerance must be a finite number >= 0, not {value!r}.")


class _Tally:
    def __init__(self):
        self.formula_cells = 0
        self.compared = 0
        self.matched = 0
        self.not_evaluated: Counter = Counter()
        self.not_compared = 0
        self.excluded: Counter = Counter()
        self.mismatched: Counter = Counter()
        self.mismatch_reasons: Counter = Counter()
        self.reason_changes: dict[tuple[str, str], list[int]] = {}
        self.bad: list[tuple[int, int, int]] = []  # (sheet_id, row, col) mismatched or failed
        self.mismatched_ids: list[int] = []
        self.status_changes: dict[str, list[int]] = {}


def _computed_cells(workbook: Workbook):
    return (
        Cell.objects.filter(workbook=workbook)
        .filter(Q(formula__isnull=False) | ~Q(array_ref=""))
        .order_by("pk")
        .values_list(
            "pk",
            "status",
            "cached_type",
            "cached_number",
            "cached_text",
            "calc_type",
            "calc_number",
            "calc_text",
            "reason",
            "reason_detail",
            "functions",
            "is_volatile",
            "is_random",
            "is_external",
            "after_iteration",
            "sheet_id",
            "row",
            "column",
        )
    )


def _compare_cells(workbook, run, abs_tol, rel_tol, progress) -> _Tally:
    tally = _Tally()
    mismatches: list[Mismatch] = []
    total = max(workbook.formula_count, 1)
    facts = workbook_facts(
        workbook.cache_trusted,
        workbook.cache_trust_note,
        workbook.application,
        workbook.language,
        workbook.calc_mode,
    )
    delta = workbook.iterate_delta if workbook.iterate_enabled else None
    for row in _computed_cells(workbook).iterator(chunk_size=BATCH):
        pk, status = row[0], row[1]
        tally.formula_cells += 1
        cell = CellFacts(row[10], row[11], row[12], row[13], row[14])
        tolerances = tolerances_for(cell, abs_tol=abs_tol, rel_tol=rel_tol, iterate_delta=delta)
        new_status = _classify(tally, row, run, *tolerances, mismatches, facts)
        if new_status != status:
            tally.status_changes.setdefault(new_status, []).append(pk)
        if len(mismatches) >= BATCH:
            Mismatch.objects.bulk_create(mismatches)
            mismatches = []
        if tally.formula_cells % 20000 == 0:
            progress(
                "validate", 90 * tally.formula_cells / total, f"{tally.formula_cells:,} compared"
            )
    Mismatch.objects.bulk_create(mismatches)
    for status, pks in tally.status_changes.items():
        for start in range(0, len(pks), 900):
            Cell.objects.filter(pk__in=pks[start : start + 900]).update(status=status)
    mark_root_causes(workbook, run, tally)
    for (reason, detail), pks in tally.reason_changes.items():
        for start in range(0, len(pks), 900):
            Cell.objects.filter(pk__in=pks[start : start + 900]).update(
                reason=reason, reason_detail=detail
            )
    return tally


def mark_root_causes(workbook, run, tally) -> None:
    """Mismatches that read a mismatching or failed cell are propagated, not root causes."""
    from .rootcause import BadCells, propagated_cells

    propagated = propagated_cells(workbook.pk, tally.mismatched_ids, BadCells(tally.bad))
    ids = sorted(propagated)
    for start in range(0, len(ids), 900):
        Mismatch.objects.filter(run=run, cell_id__in=ids[start : start + 900]).update(
            is_root_cause=False
        )
    tally.root_causes = len(tally.mismatched_ids) - len(propagated)


def _classify(tally, row, run, abs_tol, rel_tol, mismatches, workbook: WorkbookFacts) -> str:
    """Count one computed cell by the verdict of explain.judge()."""
    pk, _status, c_type, c_num, c_text, a_type, a_num, a_text, reason, detail = row[:10]
    cell = CellFacts(row[10], row[11], row[12], row[13], row[14])
    expected, actual = typed_value(c_type, c_num, c_text), typed_value(a_type, a_num, a_text)
    verdict = judge(
        cell,
        workbook,
        cached=expected,
        has_cached=c_type != "empty",
        calculated=actual,
        failure_reason=(reason or "unknown") if a_type is None else None,
        abs_tol=abs_tol,
        rel_tol=rel_tol,
    )
    if verdict.compared:
        tally.compared += 1
    if verdict.status in {"mismatched", "not_evaluated"}:
        tally.bad.append((row[15], row[16], row[17]))
    if verdict.status == "excluded":
        tally.excluded[verdict.reason] += 1
        tally.reason_changes.setdefault((verdict.reason, verdict.detail), []).append(pk)
    elif verdict.status == "not_evaluated":
        tally.not_evaluated[verdict.reason] += 1
    elif verdict.status == "not_compared":
        tally.not_compared += 1
    elif verdict.status == "matched":
        tally.matched += 1
    else:
        tally.mismatched[verdict.kind] += 1
        tally.mismatch_reasons[verdict.reason] += 1
        tally.mismatched_ids.append(pk)
        tally.reason_changes.setdefault((verdict.reason, verdict.detail), []).append(pk)
        mismatches.append(
            Mismatch(
                run=run,
                cell_id=pk,
                kind=verdict.kind,
                expected_type=c_type,
                expected=display(expected),
                actual_type=a_type,
                actual=display(actual),
                difference=verdict.difference,
                relative_difference=verdict.relative_difference,
                reason=verdict.reason,
                reason_detail=verdict.detail,
            )
        )
    return verdict.status


def _finish_run(run: ValidationRun, workbook: Workbook, tally: _Tally) -> None:
    run.formula_cells = tally.formula_cells
    run.compared = tally.compared
    run.matched = tally.matched
    run.mismatched = sum(tally.mismatched.values())
    run.not_evaluated = sum(tally.not_evaluated.values())
    run.not_compared = tally.not_compared
    run.excluded = sum(tally.excluded.values())
    run.excluded_by_reason = dict(tally.excluded.most_common())
    run.mismatched_by_reason = dict(tally.mismatch_reasons.most_common())
    run.root_causes = getattr(tally, "root_causes", 0)
    run.match_rate = tally.matched / tally.compared if tally.compared else None
    run.mismatched_by_kind = dict(tally.mismatched.most_common())
    run.not_evaluated_by_reason = dict(tally.not_evaluated.most_common())
    run.summary = summary_of(run, workbook)
    run.save()


def summary_of(run: ValidationRun, workbook: Workbook) -> dict:
    """The validation summary as the CLI, the API and the job result give it."""
    return {
        "workbook_id": workbook.pk,
        "name": workbook.name,
        "sheets": workbook.sheet_count,
        "cells": workbook.cell_count,
        "formula_cells": run.formula_cells,
        "compared": run.compared,
        "matched": run.matched,
        "mismatched": run.mismatched,
        "mismatched_by_kind": run.mismatched_by_kind,
        "not_evaluated": run.not_evaluated,
        "not_evaluated_by_reason": run.not_evaluated_by_reason,
        "mismatched_by_reason": run.mismatched_by_reason,
        "root_causes": run.root_causes,
        "not_compared": run.not_compared,
        "excluded": run.excluded,
        "excluded_by_reason": run.excluded_by_reason,
        "match_rate": run.match_rate,
        "abs_tol": run.abs_tol,
        "rel_tol": run.rel_tol,
        "cache_trusted": workbook.cache_trusted,
        "cache_trust_note": workbook.cache_trust_note,
        "validation_id": run.pk,
    }


def mismatch_mark_reviewed(mismatches, *, user, review: str, note: str = "") -> int:
    """Mark mismatches reviewed or explained (with a note); returns how many changed."""
    from django.utils import timezone

    if review not in Mismatch.Review.values:
        raise ValueError(f"Unknown review state {review!r}.")
    return mismatches.update(
        review=review, review_note=note, reviewed_by=user, reviewed_at=timezone.now()
    )


# --- Export --------------------------------------------------------------------------

# A spreadsheet opening a CSV runs a field that starts with one of these as a formula
# (CWE-1236, OWASP): such fields get a leading apostrophe (RELIABILITY.md 1.5).
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\0")
PLAIN_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")

EXPORT_HEADER = [
    "model",
    "sheet",
    "cell",
    "formula",
    "kind",
    "excel",
    "dcmodel",
    "difference",
    "relative_difference",
    "reason",
    "reason_detail",
    "root_cause",
    "review",
    "review_note",
    "reviewed_by",
    "reviewed_at",
]


def csv_safe(value) -> str:
    """One CSV field that no spreadsheet will run: trigger characters are escaped with '.

    A plain number such as -30000.5 cannot be a formula and is left as it is.
    """
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_TRIGGERS) and not PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def mismatch_export_rows(mismatches):
    """The header, then one escaped row per mismatch (streamed: any number of rows)."""
    from openpyxl.utils.cell import get_column_letter

    yield EXPORT_HEADER
    rows = mismatches.select_related("cell", "cell__sheet", "run__workbook", "reviewed_by")
    for m in rows.iterator(chunk_size=BATCH):
        cell = m.cell
        fields = [
            m.run.workbook.name,
            cell.sheet.name,
            f"{get_column_letter(cell.column)}{cell.row}",
            cell.formula or "",
            m.kind,
            m.expected,
            m.actual,
            "" if m.difference is None else repr(m.difference),
            "" if m.relative_difference is None else repr(m.relative_difference),
            m.reason,
            m.reason_detail,
            "root cause" if m.is_root_cause else "propagated",
            m.review,
            m.review_note,
            m.reviewed_by.get_username() if m.reviewed_by else "",
            m.reviewed_at.isoformat() if m.reviewed_at else "",
        ]
        yield [csv_safe(field) for field in fields]
