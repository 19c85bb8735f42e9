"""Workbooks as stored: sheets, cells with typed values, defined names, cycle groups."""

from django.conf import settings
from django.db import models
from django.urls import reverse

from .services.book import Reason, ValueType


class ValueTypes(models.TextChoices):
    NUMBER = ValueType.NUMBER, "number"
    TEXT = ValueType.TEXT, "text"
    BOOL = ValueType.BOOL, "boolean"
    ERROR = ValueType.ERROR, "error"
    EMPTY = ValueType.EMPTY, "empty"


def upload_to(instance: "Workbook", filename: str) -> str:
    # Stored under a name derived from the content hash, never the user's file name.
    return f"workbooks/{instance.sha256[:2]}/{instance.sha256}.xlsx"


class Workbook(models.Model):
    class Status(models.TextChoices):
        READY = "ready", "ready"
        DELETING = "deleting", "deleting"

    name = models.CharField(max_length=255)
    original_filename = models.CharField(max_length=255)
    file = models.FileField(upload_to=upload_to, max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, db_index=True)
    size_bytes = models.BigIntegerField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="workbooks",
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.READY)

    sheet_count = models.PositiveIntegerField(default=0)
    cell_count = models.PositiveIntegerField(default=0)
    formula_count = models.PositiveIntegerField(default=0)

    # How Excel was told to calculate it (workbook.xml calcPr, workbookPr date1904).
    date_system = models.PositiveSmallIntegerField(
        default=1900, choices=[(1900, "1900"), (1904, "1904")]
    )
    iterate_enabled = models.BooleanField(default=False)
    iterate_count = models.PositiveIntegerField(default=100)
    iterate_delta = models.FloatField(default=0.001)
    calc_mode = models.CharField(max_length=16, default="auto")
    full_calc_on_load = models.BooleanField(default=False)
    calc_completed = models.BooleanField(default=True)
    application = models.CharField(max_length=255, blank=True)
    # The interface language of the Excel that saved it ("de"), read from the names
    # it gave the parts of the file; "" when unknown. Locale-dependent results (TEXT
    # format codes, dates typed as text) follow the saving Excel's regional settings.
    language = models.CharField(max_length=16, blank=True)
    # Whether Excel's cached values can serve as the oracle, and if not, why.
    cache_trusted = models.BooleanField(default=True)
    cache_trust_note = models.CharField(max_length=255, blank=True)

    # Functions the formulas call (cells per function) and those the engine lacks.
    functions = models.JSONField(default=dict, blank=True)
    unsupported_functions = models.JSONField(default=dict, blank=True)

    evaluator = models.CharField(max_length=64, blank=True)
    stage_seconds = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "sha256"])]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:imports_workbook_change", args=[self.pk])


class Sheet(models.Model):
    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="sheets")
    index = models.PositiveIntegerField()
    name = models.CharField(max_length=255)
    state = models.CharField(max_length=16, default="visible")
    cell_count = models.PositiveIntegerField(default=0)
    formula_count = models.PositiveIntegerField(default=0)
    max_row = models.PositiveIntegerField(default=0)
    max_column = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["workbook", "index"]
        constraints = [
            models.UniqueConstraint(fields=["workbook", "index"], name="sheet_unique_index"),
        ]

    def __str__(self) -> str:
        return self.name


class Cell(models.Model):
    """One non-empty cell, its value as Excel cached it and as the engine calculated it.

    Values are stored typed: `*_type` says number/text/bool/error/empty; a number or
    a boolean (1/0) sits in `*_number`, text or an error code in `*_text`.
    """

    class Status(models.TextChoices):
        CONSTANT = "constant", "constant"
        MATCHED = "matched", "matched"
        MISMATCHED = "mismatched", "mismatched"
        NOT_EVALUATED = "not_evaluated", "not evaluated"
        NOT_COMPARED = "not_compared", "not compared"  # evaluated; Excel cached no value
        # Excel's cached value is no oracle for it (time of calculation, randomness): see reason
        EXCLUDED = "excluded", "not comparable"

    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="cells")
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="cells")
    row = models.PositiveIntegerField()
    column = models.PositiveIntegerField()
    address = models.CharField(max_length=12)
    # NULL and "" differ here: no formula vs. (impossible) empty formula, and for the value
    # columns no value vs. the text "" that Excel caches, so NULL is deliberate.
    formula = models.TextField(null=True, blank=True)  # noqa: DJ001

    cached_type = models.CharField(
        max_length=8, choices=ValueTypes.choices, default=ValueTypes.EMPTY
    )
    cached_number = models.FloatField(null=True, blank=True)
    cached_text = models.TextField(null=True, blank=True)  # noqa: DJ001

    calc_type = models.CharField(  # noqa: DJ001 - NULL: not evaluated (see reason)
        max_length=8, choices=ValueTypes.choices, null=True, blank=True
    )
    calc_number = models.FloatField(null=True, blank=True)
    calc_text = models.TextField(null=True, blank=True)  # noqa: DJ001

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.CONSTANT)
    reason = models.CharField(max_length=32, choices=Reason.CHOICES, blank=True, default="")
    reason_detail = models.TextField(blank=True, default="")

    is_volatile = models.BooleanField(default=False)  # on NOW/TODAY/CELL/INFO, or downstream
    is_random = models.BooleanField(default=False)  # on RAND/RANDBETWEEN/RANDARRAY, or downstream
    is_circular = models.BooleanField(default=False)
    after_iteration = models.BooleanField(default=False)  # in or downstream of an iterated cycle
    is_external = models.BooleanField(default=False)
    array_ref = models.CharField(max_length=32, blank=True, default="")
    functions = models.CharField(max_length=512, blank=True, default="")  # ",SUM,IF,"

    class Meta:
        ordering = ["sheet", "row", "column"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "row", "column"], name="cell_unique_position"),
        ]
        indexes = [
            models.Index(fields=["workbook", "status"], name="cell_workbook_status"),
            models.Index(
                fields=["workbook", "sheet", "row", "column"], name="cell_workbook_position"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}!{self.address}"

    @property
    def cached_value(self):
        return typed_value(self.cached_type, self.cached_number, self.cached_text)

    @property
    def calc_value(self):
        return typed_value(self.calc_type, self.calc_number, self.calc_text)


def typed_value(kind, number, text):
    """Rebuild the plain Python value from its typed columns."""
    from .services.book import CellError

    if kind == ValueType.NUMBER:
        return number
    if kind == ValueType.BOOL:
        return bool(number)
    if kind == ValueType.TEXT:
        return text
    if kind == ValueType.ERROR:
        return CellError(text)
    return None


class NamedRange(models.Model):
    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(max_length=255)
    scope = models.ForeignKey(
        Sheet, null=True, blank=True, on_delete=models.CASCADE, related_name="local_names"
    )
    value = models.TextField()
    hidden = models.BooleanField(default=False)

    class Meta:
        ordering = ["workbook", "name"]

    def __str__(self) -> str:
        return self.name


class CellReference(models.Model):
    """One reference of a formula cell: the rectangle it reads (after names, tables and
    implicit intersection are resolved). Precedents are read forwards, dependents by
    asking which rectangles contain a cell."""

    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="references")
    cell = models.ForeignKey(Cell, on_delete=models.CASCADE, related_name="references")
    sheet = models.ForeignKey(Sheet, on_delete=models.CASCADE, related_name="referenced_by")
    min_row = models.PositiveIntegerField()
    min_column = models.PositiveIntegerField()
    max_row = models.PositiveIntegerField()
    max_column = models.PositiveIntegerField()

    class Meta:
        indexes = [
            models.Index(fields=["sheet", "min_column", "min_row"], name="reference_target"),
        ]

    def __str__(self) -> str:
        return f"{self.cell_id} -> {self.sheet_id}!R{self.min_row}C{self.min_column}"


class CycleGroup(models.Model):
    """One strongly connected component of the dependency graph (a circular reference)."""

    workbook = models.ForeignKey(Workbook, on_delete=models.CASCADE, related_name="cycle_groups")
    index = models.PositiveIntegerField()
    size = models.PositiveIntegerField()
    cells = models.JSONField(default=list)  # ["Sheet1!E5", ...], capped for huge groups
    iterated = models.BooleanField(default=False)
    iterations = models.PositiveIntegerField(default=0)
    max_change = models.FloatField(null=True, blank=True)
    converged = models.BooleanField(default=False)

    class Meta:
        ordering = ["workbook", "index"]

    def __str__(self) -> str:
        return f"cycle {self.index} ({self.size} cells)"
