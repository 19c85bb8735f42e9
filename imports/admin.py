"""Admin for stored workbooks: read-only records with filters, search, links and actions.

Imported rows are evidence: they are browsed, re-validated and deleted, never edited
by hand. Every value from a workbook is passed to format_html() as an argument (never
marked safe), so sheet names and cell text that hold HTML are shown as text.
"""

from django.contrib import admin, messages
from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from openpyxl.utils.cell import get_column_letter

from validation.compare import display

from .models import Cell, CycleGroup, NamedRange, Sheet, Workbook


def admin_url(obj, view: str = "change") -> str:
    meta = obj._meta
    return reverse(f"admin:{meta.app_label}_{meta.model_name}_{view}", args=[obj.pk])


def admin_link(obj, label=None) -> str:
    if obj is None:
        return "–"
    return format_html('<a href="{}">{}</a>', admin_url(obj), label if label is not None else obj)


def changelist_link(model, label: str, **filters) -> str:
    query = "&".join(f"{key}={value}" for key, value in filters.items())
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return format_html('<a href="{}?{}">{}</a>', url, query, label)


def page_link(url: str, label: str = "open the page") -> str:
    return format_html('<a href="{}">{} ↗</a>', url, label)


def cell_address(cell: Cell) -> str:
    return f"{cell.sheet.name}!{get_column_letter(cell.column)}{cell.row}"


def cell_page_url(cell: Cell) -> str:
    address = f"{get_column_letter(cell.column)}{cell.row}"
    return reverse("pages:cell_detail", args=[cell.workbook_id, cell.sheet.index, address])


class ReadOnlyAdmin(admin.ModelAdmin):
    """Imported rows are evidence: they are browsed and deleted, never edited by hand."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class WorkbookFilter(admin.SimpleListFilter):
    """Filter by model; subclasses name the lookup path (the workbook of a cell, of a run…)."""

    title = "model"
    parameter_name = "workbook"
    path = "workbook"

    def lookups(self, request, model_admin):
        return [(w.pk, f"{w.name} (#{w.pk})") for w in Workbook.objects.order_by("-created_at")]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.path}__id": self.value()})
        return queryset


class SheetFilter(admin.SimpleListFilter):
    """The sheets of the model chosen in the model filter (all sheets would be too many)."""

    title = "sheet"
    parameter_name = "sheet"
    path = "sheet"
    workbook_parameter = "workbook"

    def lookups(self, request, model_admin):
        workbook = request.GET.get(self.workbook_parameter)
        if not workbook or not workbook.isdigit():
            return []
        return [(s.pk, s.name) for s in Sheet.objects.filter(workbook_id=workbook)]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.path}__id": self.value()})
        return queryset


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
        "mismatches",
        "cache_trusted",
        "status",
    ]
    list_filter = ["status", "cache_trusted", "date_system", "iterate_enabled", "created_at"]
    search_fields = ["name", "original_filename", "sha256"]
    list_select_related = ["owner"]
    inlines = [SheetInline]
    actions = ["revalidate"]
    fieldsets = [
        (None, {"fields": ["name", "original_filename", "owner", "created_at", "status", "links"]}),
        ("Contents", {"fields": ["sheet_count", "cell_count", "formula_count", "size_bytes"]}),
        ("Validation", {"fields": ["match_rate", "mismatches", "validation_summary"]}),
        (
            "Calculation",
            {
                "fields": [
                    "cache_trusted",
                    "cache_trust_note",
                    "calc_mode",
                    "calc_completed",
                    "full_calc_on_load",
                    "iterate_enabled",
                    "iterate_count",
                    "iterate_delta",
                    "date_system",
                    "application",
                    "language",
                ]
            },
        ),
        ("Functions", {"fields": ["unsupported_list", "functions"]}),
        ("Import", {"fields": ["sha256", "evaluator", "stage_seconds"]}),
    ]
    readonly_fields = [
        "links",
        "match_rate",
        "mismatches",
        "validation_summary",
        "unsupported_list",
    ]

    def get_queryset(self, request):
        from validation.models import ValidationRun

        latest = ValidationRun.objects.filter(workbook=OuterRef("pk")).order_by(
            "-created_at", "-id"
        )
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_rate=Subquery(latest.values("match_rate")[:1]),
                latest_mismatched=Subquery(latest.values("mismatched")[:1]),
                latest_roots=Subquery(latest.values("root_causes")[:1]),
            )
        )

    def view_on_site(self, obj):
        return reverse("pages:workbook_detail", args=[obj.pk])

    @admin.display(description="match rate", ordering="latest_rate")
    def match_rate(self, obj):
        rate = getattr(obj, "latest_rate", None)
        return "–" if rate is None else f"{rate:.2%}"

    @admin.display(description="mismatches (root causes)", ordering="latest_mismatched")
    def mismatches(self, obj):
        from validation.models import Mismatch

        count = getattr(obj, "latest_mismatched", None)
        if count is None:
            return "–"
        label = f"{count:,} ({obj.latest_roots or 0:,})"
        return changelist_link(Mismatch, label, workbook=obj.pk) if count else label

    @admin.display(description="links")
    def links(self, obj):
        from jobs.models import JobRun
        from validation.models import Mismatch, ValidationRun

        parts = [
            changelist_link(Cell, f"{obj.cell_count:,} cells", workbook=obj.pk),
            changelist_link(Mismatch, "mismatches", workbook=obj.pk),
            changelist_link(ValidationRun, "validation runs", workbook=obj.pk),
            changelist_link(JobRun, "jobs", workbook__id__exact=obj.pk),
            changelist_link(NamedRange, "names", workbook=obj.pk),
            page_link(reverse("pages:workbook_detail", args=[obj.pk])),
        ]
        return format_html_join(" · ", "{}", ((part,) for part in parts))

    @admin.display(description="latest validation")
    def validation_summary(self, obj):
        run = obj.validations.order_by("-created_at", "-id").first()
        if run is None:
            return "not validated"
        kinds = ", ".join(f"{k} {v:,}" for k, v in run.mismatched_by_kind.items()) or "none"
        reasons = ", ".join(f"{k} {v:,}" for k, v in run.not_evaluated_by_reason.items()) or "none"
        excluded = ", ".join(f"{k} {v:,}" for k, v in run.excluded_by_reason.items()) or "none"
        return format_html(
            "{}: compared {}, matched {}; mismatched by kind: {}; not evaluated by reason: {}; "
            "excluded: {}; tolerance abs {} rel {}",
            admin_link(run, f"run {run.pk}"),
            f"{run.compared:,}",
            f"{run.matched:,}",
            kinds,
            reasons,
            excluded,
            run.abs_tol,
            run.rel_tol,
        )

    @admin.display(description="unsupported functions")
    def unsupported_list(self, obj):
        items = sorted(obj.unsupported_functions.items(), key=lambda kv: -kv[1])
        return ", ".join(f"{name} ({count:,} cells)" for name, count in items) or "none"

    @admin.action(description="Re-validate the selected models (in the background)")
    def revalidate(self, request, queryset):
        from jobs.services import validation_job_start

        jobs = [validation_job_start(workbook, user=request.user) for workbook in queryset]
        for job in jobs:
            self.message_user(
                request,
                format_html("Validation of {} started: {}", job.workbook, admin_link(job, "job")),
                messages.SUCCESS,
            )

    def delete_model(self, request, obj):
        from .services.workbooks import workbook_delete

        workbook_delete(obj)

    def delete_queryset(self, request, queryset):
        from .services.workbooks import workbook_delete

        for workbook in queryset:
            workbook_delete(workbook)


@admin.register(Sheet)
class SheetAdmin(ReadOnlyAdmin):
    list_display = ["name", "workbook_link", "index", "state", "cell_count", "formula_count"]
    list_filter = [WorkbookFilter, "state"]
    search_fields = ["name", "workbook__name"]
    list_select_related = ["workbook"]
    raw_id_fields = ["workbook"]
    readonly_fields = ["workbook_link", "links"]

    def view_on_site(self, obj):
        return reverse("pages:sheet_grid", args=[obj.workbook_id, obj.index])

    @admin.display(description="model", ordering="workbook__name")
    def workbook_link(self, obj):
        return admin_link(obj.workbook)

    @admin.display(description="links")
    def links(self, obj):
        cells = changelist_link(
            Cell, f"{obj.cell_count:,} cells", workbook=obj.workbook_id, sheet=obj.pk
        )
        grid = page_link(reverse("pages:sheet_grid", args=[obj.workbook_id, obj.index]), "grid")
        return format_html("{} · {}", cells, grid)


FLAGS = ["is_volatile", "is_random", "is_circular", "after_iteration", "is_external"]


@admin.register(Cell)
class CellAdmin(ReadOnlyAdmin):
    list_display = [
        "address",
        "sheet_link",
        "formula",
        "cached",
        "calculated",
        "status",
        "reason",
        "is_circular",
        "is_volatile",
    ]
    list_filter = [
        WorkbookFilter,
        SheetFilter,
        "status",
        "reason",
        "cached_type",
        "calc_type",
        "is_circular",
        "is_volatile",
        "is_external",
    ]
    search_fields = ["address", "formula", "sheet__name"]
    list_select_related = ["sheet", "workbook"]
    raw_id_fields = ["workbook", "sheet"]
    show_full_result_count = False
    list_per_page = 100
    fieldsets = [
        (None, {"fields": ["where", "formula", "array_ref", "status", "reason", "reason_detail"]}),
        ("Values", {"fields": ["cached", "calculated", "difference"]}),
        ("Flags", {"fields": [*FLAGS]}),
        ("Links", {"fields": ["mismatch_links", "precedent_links", "dependent_links"]}),
    ]
    readonly_fields = [
        "where",
        "cached",
        "calculated",
        "difference",
        "mismatch_links",
        "precedent_links",
        "dependent_links",
    ]

    def view_on_site(self, obj):
        return cell_page_url(obj)

    @admin.display(description="sheet", ordering="sheet__name")
    def sheet_link(self, obj):
        return admin_link(obj.sheet)

    @admin.display(description="cell")
    def where(self, obj):
        return format_html(
            "{} in {} · {}",
            admin_link(obj.sheet, cell_address(obj)),
            admin_link(obj.workbook),
            page_link(cell_page_url(obj), "inspector"),
        )

    @admin.display(description="cached (Excel)")
    def cached(self, obj):
        return display(obj.cached_value) if obj.cached_type != "empty" else "–"

    @admin.display(description="calculated")
    def calculated(self, obj):
        return "NULL" if obj.calc_type is None else display(obj.calc_value)

    @admin.display(description="difference")
    def difference(self, obj):
        mismatch = obj.mismatches.order_by("-run__created_at", "-run_id").first()
        if mismatch is None:
            return "–"
        root = "root cause" if mismatch.is_root_cause else "propagated"
        return f"{mismatch.get_kind_display()}: {mismatch.difference!r} ({root})"

    @admin.display(description="mismatches")
    def mismatch_links(self, obj):
        rows = obj.mismatches.select_related("run").order_by("-run__created_at")[:10]
        return (
            format_html_join(
                ", ", "{}", ((admin_link(m, f"run {m.run_id}: {m.kind}"),) for m in rows)
            )
            or "none"
        )

    @admin.display(description="reads")
    def precedent_links(self, obj):
        from .selectors import precedents

        return _cell_links(precedents(obj, limit=50))

    @admin.display(description="read by")
    def dependent_links(self, obj):
        from .selectors import dependents

        return _cell_links(dependents(obj, limit=50))


def _cell_links(cells) -> str:
    links = format_html_join(", ", "{}", ((admin_link(c, cell_address(c)),) for c in cells))
    return links or "none"


@admin.register(NamedRange)
class NamedRangeAdmin(ReadOnlyAdmin):
    list_display = ["name", "workbook", "scope", "value", "hidden"]
    list_filter = [WorkbookFilter, "hidden"]
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
    list_filter = [WorkbookFilter, "iterated", "converged"]
    search_fields = ["workbook__name"]
    raw_id_fields = ["workbook"]
