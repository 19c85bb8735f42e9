"""Review pages: the mismatch table of a model, a review mark on one mismatch, re-validation."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from imports.forms import ValidateForm
from imports.views import REASONS, a1, cached_shown, calc_shown, general, workbook_or_404
from jobs.services import validation_job_start

from .models import Mismatch
from .selectors import latest_validation, mismatch_list
from .services import mismatch_mark_reviewed

ORDERS = {
    "root": "Root causes first",
    "difference": "Largest difference first",
    "+difference": "Smallest difference first",
    "position": "Sheet and cell",
}
ROOT_CHOICES = {"1": True, "0": False}


@login_required
def mismatch_index(request, pk):
    workbook = workbook_or_404(request, pk)
    run = latest_validation(workbook)
    filters = _filters(request.GET)
    reasons = run.mismatched_by_reason if run else {}
    context = {
        "workbook": workbook,
        "run": run,
        "filters": filters,
        "sheets": workbook.sheets.values_list("name", flat=True),
        "kinds": Mismatch.Kind.choices,
        "reviews": Mismatch.Review.choices,
        "orders": ORDERS.items(),
        "reasons": [(key, REASONS.get(key, key)) for key in reasons],
        "difference_order": "+difference" if filters["order"] == "difference" else "difference",
    }
    if run is not None:
        mismatches = mismatch_list(
            run,
            kind=filters["kind"] or None,
            sheet=filters["sheet"] or None,
            root_cause=ROOT_CHOICES.get(filters["root"]),
            review=filters["review"] or None,
            reason=filters["reason"] or None,
            order=filters["order"],
        )
        page = Paginator(mismatches, 100).get_page(request.GET.get("page"))
        context["page"] = page
        context["rows"] = [_row(workbook, mismatch) for mismatch in page]
    return render(request, "validation/mismatch_list.html", context)


def _filters(query) -> dict:
    """The table's filters from the query string; unknown values count as no filter."""

    def pick(name: str, allowed) -> str:
        value = query.get(name, "")
        return value if value in allowed else ""

    return {
        "sheet": query.get("sheet", ""),
        "kind": pick("kind", Mismatch.Kind.values),
        "root": pick("root", ROOT_CHOICES),
        "review": pick("review", Mismatch.Review.values),
        "reason": query.get("reason", ""),
        "order": pick("order", ORDERS) or "root",
    }


def _row(workbook, mismatch: Mismatch) -> dict:
    cell = mismatch.cell
    address = a1(cell.row, cell.column)
    return {
        "mismatch": mismatch,
        "cell": cell,
        "label": f"{cell.sheet.name}!{address}",
        "url": reverse("pages:cell_detail", args=[workbook.pk, cell.sheet.index, address]),
        "grid_url": reverse("pages:sheet_grid", args=[workbook.pk, cell.sheet.index])
        + f"?cell={address}",
        "excel": cached_shown(cell),
        "ours": calc_shown(cell),
        "difference": "" if mismatch.difference is None else general(mismatch.difference),
        "reason": REASONS.get(mismatch.reason, mismatch.reason),
    }


@login_required
@require_POST
def mismatch_review(request, pk, mismatch_id):
    """Mark one mismatch reviewed or explained (or open again), with a note."""
    workbook = workbook_or_404(request, pk)
    mismatches = Mismatch.objects.filter(pk=mismatch_id, run__workbook=workbook)
    mismatch = get_object_or_404(mismatches.select_related("cell", "cell__sheet"))
    review = request.POST.get("review", "")
    if review not in Mismatch.Review:
        messages.error(request, "Choose open, reviewed or explained.")
    else:
        note = request.POST.get("note", "").strip()[:2000]
        mismatch_mark_reviewed(mismatches, user=request.user, review=review, note=note)
        messages.success(request, f"Mismatch marked {Mismatch.Review(review).label}.")
    cell = mismatch.cell
    fallback = reverse(
        "pages:cell_detail", args=[workbook.pk, cell.sheet.index, a1(cell.row, cell.column)]
    )
    target = request.POST.get("next", "")
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return redirect(target if target and safe else fallback)


@login_required
@require_POST
def workbook_validate(request, pk):
    """Re-validate a model in the background (other tolerances allowed); follow it live."""
    workbook = workbook_or_404(request, pk)
    form = ValidateForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect("pages:workbook_detail", pk=workbook.pk)
    job = validation_job_start(
        workbook,
        user=request.user,
        abs_tol=form.cleaned_data["abs_tol"],
        rel_tol=form.cleaned_data["rel_tol"],
    )
    return redirect("pages:job_detail", job_id=job.pk)
