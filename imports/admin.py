"""Admin for stored workbooks: read-only records with useful columns, filters and search."""

from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html

from validation.compare import display

from .models import Cell, CycleGroup, NamedRange, Sheet, Workbook


class ReadOnlyAdmin(admin.ModelAdmin):
    """Imported rows are evidence: they are browsed and deleted, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SheetInline(admin.TabularInline):
    model = Sheet
    fields = ["index", "name", "state", "cell_count", "formula_count", "max_row", "max_column"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Workbook)
class WorkbookAdmin(ReadOnlyAdmin):
    list_display = [
        "name",
        "owner",
        "created_at",
        "sheet_count",
        "formula_count",
        "match_rate",
        "cache_trusted",
        "status",
    ]
    list_filter = ["status", "cache_trusted", "date_system", "iterate_enabled", "created_at"]
    search_fields = ["name", "original_filename", "sha256"]
    list_select_related = ["owner"]
    inlines = [SheetInline]
    readonly_fields = ["cells_link"]

    def get_queryset(self, request):
        from validation.models import ValidationRun

        latest = ValidationRun.objects.filter(workbook=OuterRef("pk")).order_by(
            "-created_at", "-id"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(latest_rate=Subquery(latest.values("match_rate")[:1]))
        )

    @admin.display(description="match rate", ordering="latest_rate")
    def match_rate(self, obj):
        rate = getattr(obj, "latest_rate", None)
        return "–" if rate is None else f"{rate:.2%}"

    @admin.display(description="cells")
    def cells_link(self, obj):
        url = reverse("admin:imports_cell_changelist") + f"?workbook__id__exact={obj.pk}"
        return format_html('<a href="{}">{} cells</a>', url, obj.cell_count)


@admin.register(Sheet)
class SheetAdmin(ReadOnlyAdmin):
    list_display = ["name", "workbook", "index", "state", "cell_count", "formula_count"]
    list_filter = ["state"]
    search_fields = ["name", "workbook__name"]
    list_select_related = ["workbook"]
    raw_id_fields = ["workbook"]


@admin.register(Cell)
class CellAdmin(ReadOnlyAdmin):
    list_display = [
        "address",
        "sheet",
        "formula",
        "cached",
        "calculated",
        "status",
        "reason",
        "is_circular",
        "is_volatile",
    ]
    list_filter = [
        "status",
        "reason",
        "cached_type",
        "calc_type",
        "is_circular",
        "is_volatile",
        "is_external",
    ]
    search_fields = ["address", "formula", "sheet__name"]
    list_select_related = ["sheet"]
    raw_id_fields = ["workbook", "sheet"]
    show_full_result_count = False
    list_per_page = 100

    @admin.display(description="cached (Excel)")
    def cached(self, obj):
        return display(obj.cached_value) if obj.cached_type != "empty" else "–"

    @admin.display(description="calculated")
    def calculated(self, obj):
        return "NULL" if obj.calc_type is None else display(obj.calc_value)


@admin.register(NamedRange)
class NamedRangeAdmin(ReadOnlyAdmin):
    list_display = ["name", "workbook", "scope", "value", "hidden"]
    list_filter = ["hidden"]
    search_fields = ["name", "value", "workbook__name"]
    list_select_related = ["workbook", "scope"]
    raw_id_fields = ["workbook", "scope"]


@admin.register(CycleGroup)
class CycleGroupAdmin(ReadOnlyAdmin):
    list_display = [
        "workbook",
        "index",
        "size",
        "iterated",
        "iterations",
        "max_change",
        "converged",
    ]
    list_filter = ["iterated", "converged"]
    search_fields = ["workbook__name"]
    raw_id_fields = ["workbook"]
