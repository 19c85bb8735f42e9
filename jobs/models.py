"""Background jobs (imports, re-validations) and the progress events they report."""

import uuid

from django.conf import settings
from django.db import models

from imports.services.stages import Stage


class JobRun(models.Model):
    class Kind(models.TextChoices):
        IMPORT = "import", "import"
        VALIDATION = "validation", "validation"

    class Status(models.TextChoices):
        PENDING = "pending", "pending"
        PROCESSING = "processing", "processing"
        SUCCESS = "success", "success"
        FAILED = "failed", "failed"
        CANCELLED = "cancelled", "cancelled"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.IMPORT)
    status = models.CharField(
        max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    stage = models.CharField(max_length=16, choices=Stage.choices, blank=True, default="")
    percent = models.FloatField(default=0.0)
    message = models.CharField(max_length=500, blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    workbook = models.ForeignKey(
        "imports.Workbook", null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    upload = models.FileField(upload_to="uploads/%Y/%m/", max_length=255, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    options = models.JSONField(default=dict, blank=True)  # name, tolerances, force
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # host:pid of the worker process that took the job last (many workers, many machines)
    worker = models.CharField(max_length=100, blank=True, default="")
    cancel_requested = models.BooleanField(default=False)
    result = models.JSONField(null=True, blank=True)
    error = models.JSONField(null=True, blank=True)  # {stage, message, traceback}

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in {self.Status.SUCCESS, self.Status.FAILED, self.Status.CANCELLED}


class JobProgress(models.Model):
    job = models.ForeignKey(JobRun, on_delete=models.CASCADE, related_name="progress")
    stage = models.CharField(max_length=16, choices=Stage.choices)
    percent = models.FloatField()
    message = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["job", "id"]
        verbose_name = "job progress event"

    def __str__(self) -> str:
        return f"{self.stage} {self.percent:.0f}% {self.message}"
