"""Admin for jobs and their progress events."""

from django.contrib import admin

from imports.admin import ReadOnlyAdmin

from .models import JobProgress, JobRun


class JobProgressInline(admin.TabularInline):
    model = JobProgress
    fields = ["created_at", "stage", "percent", "message"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(JobRun)
class JobRunAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "kind",
        "status",
        "stage",
        "percent",
        "original_filename",
        "created_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", "stage", "created_at"]
    search_fields = ["id", "original_filename", "message"]
    list_select_related = ["created_by", "workbook"]
    raw_id_fields = ["workbook", "created_by"]
    inlines = [JobProgressInline]


@admin.register(JobProgress)
class JobProgressAdmin(ReadOnlyAdmin):
    list_display = ["job", "stage", "percent", "message", "created_at"]
    list_filter = ["stage"]
    search_fields = ["job__id", "message"]
    raw_id_fields = ["job"]
