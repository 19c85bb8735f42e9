"""Reading validation runs and mismatches: the same rows for pages, the API and the admin."""

from __future__ import annotations

from django.db.models import F, QuerySet

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
    mismatches = run.mismatches.select_related("cell", "cell__sheet")
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
