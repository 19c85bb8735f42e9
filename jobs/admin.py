"""Admin for jobs and their progress events; a running job's page shows its progress live."""

import json

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from imports.admin import ReadOnlyAdmin, WorkbookFilter, admin_link

from .models import JobProgress, JobRun
from .services import job_cancel


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
        "workbook_link",
        "created_by",
        "created_at",
        "finished_at",
    ]
    list_filter = ["kind", "status", "stage", WorkbookFilter, "created_at"]
    search_fields = ["id", "original_filename", "message"]
    list_select_related = ["created_by", "workbook"]
    raw_id_fields = ["workbook", "created_by"]
    inlines = [JobProgressInline]
    actions = ["cancel"]
    change_form_template = "admin/jobs/jobrun/change_form.html"
    fieldsets = [
        (None, {"fields": ["id", "kind", "status", "stage", "percent", "message", "links"]}),
        ("Input", {"fields": ["original_filename", "options", "created_by"]}),
        (
            "Timing",
            {"fields": ["created_at", "started_at", "finished_at", "heartbeat_at", "attempts"]},
        ),
        ("Outcome", {"fields": ["result_text", "error_message", "error_traceback"]}),
    ]
    readonly_fields = ["links", "result_text", "error_message", "error_traceback"]

    def view_on_site(self, obj):
        return reverse("pages:job_detail", args=[obj.pk])

    @admin.display(description="model", ordering="workbook__name")
    def workbook_link(self, obj):
        return admin_link(obj.workbook) if obj.workbook_id else "–"

    @admin.display(description="links")
    def links(self, obj):
        page = reverse("pages:job_detail", args=[obj.pk])
        return format_html(
            'model: {} · <a href="{}">job page ↗</a>',
            admin_link(obj.workbook) if obj.workbook_id else "–",
            page,
        )

    @admin.display(description="result")
    def result_text(self, obj):
        if not obj.result:
            return "–"
        return format_html("<pre>{}</pre>", json.dumps(obj.result, indent=2, sort_keys=True))

    @admin.display(description="error")
    def error_message(self, obj):
        if not obj.error:
            return "–"
        return f"{obj.error.get('stage') or '?'}: {obj.error.get('message') or ''}"

    @admin.display(description="traceback")
    def error_traceback(self, obj):
        trace = (obj.error or {}).get("traceback")
        return format_html("<pre>{}</pre>", trace) if trace else "–"

    def has_cancel_permission(self, request):
        return request.user.has_perm("jobs.change_jobrun")

    @admin.action(description="Cancel the selected jobs", permissions=["cancel"])
    def cancel(self, request, queryset):
        cancelled = [job_cancel(job) for job in queryset if not job.is_finished]
        self.message_user(request, f"{len(cancelled)} job(s) cancelled.", messages.SUCCESS)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        from .views import live_config, stages_of

        job = self.get_object(request, object_id)
        extra_context = extra_context or {}
        if job is not None:
            config = live_config(job)
            config["modelUrl"] = reverse("admin:imports_workbook_change", args=[MODEL_ID]).replace(
                str(MODEL_ID), "{id}"
            )
            extra_context.update({"job": job, "stages": stages_of(job), "config": config})
        return super().change_view(request, object_id, form_url, extra_context)


MODEL_ID = 987654321  # a placeholder in the model URL template


@admin.register(JobProgress)
class JobProgressAdmin(ReadOnlyAdmin):
    list_display = ["job", "stage", "percent", "message", "created_at"]
    list_filter = ["stage"]
    search_fields = ["job__id", "message"]
    raw_id_fields = ["job"]
