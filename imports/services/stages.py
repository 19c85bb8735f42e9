"""The ten import stages, shared by the runner, JobRun.stage and JobProgress.stage."""

from django.db import models


class Stage(models.TextChoices):
    HASH = "hash", "Hash"
    INSPECT = "inspect", "Inspect"
    READ_FORMULAS = "read_formulas", "Read formulas"
    READ_VALUES = "read_values", "Read cached values"
    PARSE = "parse", "Parse formulas"
    GRAPH = "graph", "Dependency graph"
    EVALUATE = "evaluate", "Evaluate"
    CIRCULAR = "circular", "Circular references"
    STORE = "store", "Store"
    VALIDATE = "validate", "Validate"
