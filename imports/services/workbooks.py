"""Django-aware services on stored workbooks (the pipeline's siblings)."""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import router, transaction

from imports.models import Cell, CellReference, CycleGroup, NamedRange, Sheet, Workbook


def workbook_delete(workbook: Workbook) -> None:
    """Delete a model: its rows, its stored file, and the jobs' references to it.

    A job still running on it is cancelled first (and stops at its next stage).
    The big tables are deleted with plain DELETE statements: Django's cascade would
    load a million cells into memory first.
    """
    from jobs.models import JobRun
    from jobs.services import job_cancel
    from validation.models import Mismatch, ValidationRun

    for job in JobRun.objects.filter(workbook=workbook).exclude(
        status__in=[JobRun.Status.SUCCESS, JobRun.Status.FAILED, JobRun.Status.CANCELLED]
    ):
        job_cancel(job)
    file_name = workbook.file.name if workbook.file else ""
    using = router.db_for_write(Workbook)
    with transaction.atomic(using=using):
        Workbook.objects.filter(pk=workbook.pk).update(status=Workbook.Status.DELETING)
        runs = ValidationRun.objects.filter(workbook=workbook)
        Mismatch.objects.filter(run__in=runs)._raw_delete(using)
        runs._raw_delete(using)
        CellReference.objects.filter(workbook=workbook)._raw_delete(using)
        Cell.objects.filter(workbook=workbook)._raw_delete(using)
        NamedRange.objects.filter(workbook=workbook)._raw_delete(using)
        CycleGroup.objects.filter(workbook=workbook)._raw_delete(using)
        Sheet.objects.filter(workbook=workbook)._raw_delete(using)
        JobRun.objects.filter(workbook=workbook).update(workbook=None)
        Workbook.objects.filter(pk=workbook.pk).delete()
    if file_name:
        transaction.on_commit(lambda: default_storage.delete(file_name))
