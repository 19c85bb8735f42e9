"""Reading validation runs and mismatches: the same rows for pages, the API and the admin."""

from __future__ import annotations

from django.db.models import F, OuterRef, QuerySet, Subquery

from .models import Mismatch, ValidationRun

ORDERINGS = {
    "difference": [F("difference").desc(nulls_last=True), "id"],
    "-difference": [F("difference").desc(nulls_last=True), "id"],
    "+difference": [F("difference").asc(nulls_last=True), "id"],
    "position": ["cell__sheet__index", "cell__row", "cell__column", "id"],
    "root": ["-is_root_cause", F("difference").desc(nulls_last=True), "id"],
}


def validation_list(workbook) -> QuerySet[ValidationRun]:
    return workbook.validations.order_by("-created_at", "-id")


def latest_validation(workbook) -> ValidationRun | None:
    return validation_list(workbook).first()


def validation_get(workbook, validation_id) -> ValidationRun | None:
    """One validation run of this workbook; None when it has no run with that id."""
    try:
        return validation_list(workbook).filter(pk=int(validation_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def mismatch_get(workbook, mismatch_id) -> Mismatch | None:
    """One mismatch of any validation run of this workbook, with its cell and sheet."""
    return (
        Mismatch.objects.filter(run__workbook=workbook, pk=mismatch_id)
        .select_related("cell", "cell__sheet", "run", "reviewed_by")
        .first()
    )


def mismatch_of_cell(cell) -> Mismatch | None:
    """The cell's mismatch in its workbook's latest validation, if it has one there."""
    run = latest_validation(cell.workbook)
    return run.mismatches.filter(cell=cell).first() if run is not None else None


def with_latest_validation(workbooks: QuerySet) -> QuerySet:
    """Workbooks annotated with their latest run's id and match rate (one query, no N+1)."""
    latest = ValidationRun.objects.filter(workbook=OuterRef("pk")).order_by("-created_at", "-id")
    return workbooks.annotate(
        latest_validation_id=Subquery(latest.values("pk")[:1]),
        latest_match_rate=Subquery(latest.values("match_rate")[:1]),
    )


def mismatch_list(
    run: ValidationRun,
    *,
    kind: str | None = None,
    sheet: str | None = None,
    root_cause: bool | None = None,
    review: str | None = None,
    reason: str | None = None,
    order: str = "root",
) -> QuerySet[Mismatch]:
    """Mismatches of one validation run; root causes first unless another order is asked."""
    mismatches = run.mismatches.select_related("cell", "cell__sheet", "reviewed_by")
    if kind:
        mismatches = mismatches.filter(kind=kind)
    if sheet:
        mismatches = mismatches.filter(cell__sheet__name__iexact=sheet)
    if root_cause is not None:
        mismatches = mismatches.filter(is_root_cause=root_cause)
    if review:
        mismatches = mismatches.filter(review=review)
    if reason:
        mismatches = mismatches.filter(reason=reason)
    return mismatches.order_by(*ORDERINGS.get(order, ORDERINGS["root"]))
