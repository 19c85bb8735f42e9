"""Validation runs (tolerances and totals) and the mismatches they found."""

from django.conf import settings
from django.db import models

from imports.models import Cell, ValueTypes, Workbook


class ValidationRun(models.Model):
    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="validations")
    created_at = models.DateTimeField(auto_now_add=True)
    abs_tol = models.FloatField()
    rel_tol = models.FloatField()
    formula_cells = models.PositiveIntegerField(default=0)
    compared = models.PositiveIntegerField(default=0)
    matched = models.PositiveIntegerField(default=0)
    mismatched = models.PositiveIntegerField(default=0)
    not_evaluated = models.PositiveIntegerField(default=0)
    not_compared = models.PositiveIntegerField(default=0)
    excluded = models.PositiveIntegerField(default=0)
    match_rate = models.FloatField(null=True, blank=True)
    mismatched_by_kind = models.JSONField(default=dict, blank=True)
    not_evaluated_by_reason = models.JSONField(default=dict, blank=True)
    mismatched_by_reason = models.JSONField(default=dict, blank=True)
    root_causes = models.PositiveIntegerField(default=0)
    excluded_by_reason = models.JSONField(default=dict, blank=True)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        get_latest_by = ["created_at", "id"]

    def __str__(self) -> str:
        rate = "n/a" if self.match_rate is None else f"{self.match_rate:.2%}"
        return f"validation {self.pk} of {self.workbook_id}: {rate}"


class Mismatch(models.Model):
    class Kind(models.TextChoices):
        NUMBER = "number", "number out of tolerance"
        TEXT = "text", "text differs"
        BOOL = "bool", "boolean differs"
        ERROR = "error", "error code differs"
        TYPE = "type", "type differs"

    run = models.ForeignKey(ValidationRun, on_delete=models.CASCADE, related_name="mismatches")
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="mismatches")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    expected_type = models.CharField(max_length=8, choices=ValueTypes.choices)
    expected = models.TextField(blank=True)
    actual_type = models.CharField(max_length=8, choices=ValueTypes.choices)
    actual = models.TextField(blank=True)
    difference = models.FloatField(null=True, blank=True)  # |actual - expected| for numbers
    relative_difference = models.FloatField(null=True, blank=True)
    reason = models.CharField(max_length=32, blank=True, default="")
    reason_detail = models.TextField(blank=True, default="")
    # Root cause: none of the cells it reads mismatches or failed; otherwise it inherits
    # an upstream problem (propagated). Ten thousand red cells, three formulas to read.
    is_root_cause = models.BooleanField(default=True)

    class Review(models.TextChoices):
        OPEN = "open", "open"
        REVIEWED = "reviewed", "reviewed"
        EXPLAINED = "explained", "explained"

    review = models.CharField(max_length=16, choices=Review.choices, default=Review.OPEN)
    review_note = models.TextField(blank=True, default="")
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["run", "-difference", "id"]
        indexes = [
            models.Index(fields=["run", "kind"], name="mismatch_run_kind"),
            models.Index(fields=["run", "is_root_cause"], name="mismatch_run_root"),
        ]
        verbose_name_plural = "mismatches"

    def __str__(self) -> str:
        return f"{self.kind} at cell {self.cell_id}"
