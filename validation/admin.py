"""Admin for validation runs and their mismatches: review actions and a safe CSV export."""

import csv

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.http import StreamingHttpResponse
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from imports.admin import (
    ReadOnlyAdmin,
    SheetFilter,
    WorkbookFilter,
    admin_link,
    cell_address,
    cell_page_url,
    changelist_link,
    page_link,
)

from .models import Mismatch, ValidationRun
from .services import mismatch_export_rows, mismatch_mark_reviewed


class RunWorkbookFilter(WorkbookFilter):
    path = "run__workbook"


class MismatchSheetFilter(SheetFilter):
    path = "cell__sheet"


class RootCauseFilter(admin.SimpleListFilter):
    title = "root cause"
    parameter_name = "root_cause"

    def lookups(self, request, model_admin):
        return [("1", "root causes"), ("0", "propagated")]

    def queryset(self, request, queryset):
        if self.value() in ("0", "1"):
            return queryset.filter(is_root_cause=self.value() == "1")
        return queryset


@admin.register(ValidationRun)
class ValidationRunAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "workbook",
        "created_at",
        "formula_cells",
        "compared",
        "matched",
        "mismatched",
        "root_causes",
        "not_evaluated",
        "rate",
        "abs_tol",
        "rel_tol",
    ]
    list_filter = [WorkbookFilter, "created_at"]
    search_fields = ["workbook__name"]
    list_select_related = ["workbook"]
    raw_id_fields = ["workbook"]
    readonly_fields = ["links"]

    @admin.display(description="match rate", ordering="match_rate")
    def rate(self, obj):
        return "–" if obj.match_rate is None else f"{obj.match_rate:.2%}"

    @admin.display(description="links")
    def links(self, obj):
        return format_html(
            "{} · {} · {}",
            admin_link(obj.workbook),
            changelist_link(Mismatch, f"{obj.mismatched:,} mismatches", run__id__exact=obj.pk),
            changelist_link(
                Mismatch, f"{obj.root_causes:,} root causes", run__id__exact=obj.pk, root_cause=1
            ),
        )


class ReviewNoteForm(forms.Form):
    note = forms.CharField(
        label="Note",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="Why these cells differ, or what was checked. Saved on every selected mismatch.",
    )


@admin.register(Mismatch)
class MismatchAdmin(ReadOnlyAdmin):
    list_display = [
        "cell_label",
        "root_cause",
        "kind_code",
        "expected",
        "actual",
        "difference",
        "review",
        "reason",
        "run",
        "links",
    ]
    list_filter = [
        RunWorkbookFilter,
        MismatchSheetFilter,
        "kind",
        RootCauseFilter,
        "review",
        "reason",
        "expected_type",
        "actual_type",
    ]
    search_fields = ["cell__address", "cell__formula", "cell__sheet__name"]
    list_select_related = ["cell", "cell__sheet", "run"]
    raw_id_fields = ["run", "cell", "reviewed_by"]
    show_full_result_count = False
    list_per_page = 100
    actions = ["mark_reviewed", "mark_explained", "reopen", "export_csv"]
    fieldsets = [
        (None, {"fields": ["where", "formula", "kind", "root_cause_text"]}),
        ("Why", {"fields": ["reason", "reason_detail"]}),
        ("Values", {"fields": ["expected", "actual", "difference", "relative_difference"]}),
        ("Review", {"fields": ["review", "review_note", "reviewed_by", "reviewed_at"]}),
    ]
    readonly_fields = ["where", "formula", "root_cause_text"]

    def get_ordering(self, request):
        return ["-is_root_cause", "-difference", "id"]

    def view_on_site(self, obj):
        return cell_page_url(obj.cell)

    def has_review_permission(self, request):
        return request.user.has_perm("validation.change_mismatch")

    @admin.display(description="cell", ordering="cell__address")
    def cell_label(self, obj):
        # Plain text: the first column is the link to the mismatch itself (a link inside
        # it would nest <a> elements); the cell's record is linked in `links`.
        return cell_address(obj.cell)

    @admin.display(description="links")
    def links(self, obj):
        return format_html(
            "{} · {}",
            admin_link(obj.cell, "cell"),
            page_link(cell_page_url(obj.cell), "inspector"),
        )

    @admin.display(description="kind", ordering="kind")
    def kind_code(self, obj):
        return obj.kind

    @admin.display(description="root cause", boolean=True, ordering="is_root_cause")
    def root_cause(self, obj):
        return obj.is_root_cause

    @admin.display(description="root cause")
    def root_cause_text(self, obj):
        if obj.is_root_cause:
            return "root cause: none of the cells it reads mismatches or failed"
        return "propagated: it reads a cell that mismatches or failed"

    @admin.display(description="cell")
    def where(self, obj):
        return format_html(
            "{} in {} ({}) · {}",
            admin_link(obj.cell, cell_address(obj.cell)),
            admin_link(obj.run.workbook),
            admin_link(obj.run, f"run {obj.run_id}"),
            page_link(cell_page_url(obj.cell), "inspector"),
        )

    @admin.display(description="formula")
    def formula(self, obj):
        return obj.cell.formula or "–"

    @admin.action(description="Mark reviewed (with a note)", permissions=["review"])
    def mark_reviewed(self, request, queryset):
        return self._review(request, queryset, Mismatch.Review.REVIEWED)

    @admin.action(description="Mark explained (with a note)", permissions=["review"])
    def mark_explained(self, request, queryset):
        return self._review(request, queryset, Mismatch.Review.EXPLAINED)

    @admin.action(description="Open again (clear the review)", permissions=["review"])
    def reopen(self, request, queryset):
        count = mismatch_mark_reviewed(queryset, user=request.user, review=Mismatch.Review.OPEN)
        self.message_user(request, f"{count:,} mismatches opened again.", messages.SUCCESS)

    def _review(self, request, queryset, review):
        """An intermediate page asks for the note; its submit applies the review."""
        form = ReviewNoteForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            note = form.cleaned_data["note"]
            count = mismatch_mark_reviewed(queryset, user=request.user, review=review, note=note)
            label = Mismatch.Review(review).label
            self.message_user(request, f"{count:,} mismatches marked {label}.", messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": f"Mark mismatches {Mismatch.Review(review).label}",
            "opts": self.model._meta,
            "form": form,
            "mismatches": queryset.select_related("cell", "cell__sheet")[:20],
            "count": queryset.count(),
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(ACTION_CHECKBOX_NAME),
            "select_across": request.POST.get("select_across", "0"),
            "checkbox_name": ACTION_CHECKBOX_NAME,
            "review_label": Mismatch.Review(review).label,
            "changelist_url": reverse("admin:validation_mismatch_changelist"),
        }
        return TemplateResponse(request, "admin/validation/mismatch/review_note.html", context)

    @admin.action(description="Export as CSV (safe to open in Excel)")
    def export_csv(self, request, queryset):
        writer = csv.writer(_Echo())
        rows = (writer.writerow(row) for row in mismatch_export_rows(queryset))
        response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="mismatches-{stamp}.csv"'
        return response


class _Echo:
    """A file-like object whose write() returns the line: csv.writer as a generator."""

    def write(self, value):
        return value
