"""Admin for validation runs and their mismatches."""

from django.contrib import admin

from imports.admin import ReadOnlyAdmin

from .models import Mismatch, ValidationRun


@admin.register(ValidationRun)
class ValidationRunAdmin(ReadOnlyAdmin):
    list_display = [
        "workbook",
        "created_at",
        "formula_cells",
        "compared",
        "matched",
        "mismatched",
        "not_evaluated",
        "rate",
        "abs_tol",
        "rel_tol",
    ]
    list_filter = ["created_at"]
    search_fields = ["workbook__name"]
    list_select_related = ["workbook"]
    raw_id_fields = ["workbook"]

    @admin.display(description="match rate", ordering="match_rate")
    def rate(self, obj):
        return "–" if obj.match_rate is None else f"{obj.match_rate:.2%}"


@admin.register(Mismatch)
class MismatchAdmin(ReadOnlyAdmin):
    list_display = ["cell", "kind", "expected", "actual", "difference", "reason", "run"]
    list_filter = ["kind", "reason", "expected_type", "actual_type"]
    search_fields = ["cell__address", "cell__formula", "cell__sheet__name"]
    list_select_related = ["cell", "cell__sheet", "run"]
    raw_id_fields = ["run", "cell"]
    show_full_result_count = False
