"""The data rule: a formula's value comes from the engine, never from Excel's cache.

A copy of a real workbook whose cached values were altered on purpose must show
exactly those cells as mismatches, with the engine's own values stored.
"""

import pytest

from imports.models import Cell
from imports.services.pipeline import ImportContext, ImportOptions, run_import
from tests import badfiles
from validation.models import Mismatch

pytestmark = pytest.mark.django_db

SOURCE = "apache-poi/45544.xlsx"  # sheet 1 "Profile of Class": B10 =C10/567, B21 =C21/567
ALTERED = {"B10": "123.456", "B21": "7"}


def import_path(path):
    ctx = ImportContext(path=path, original_filename=path.name, options=ImportOptions(force=True))
    return run_import(ctx, progress=lambda *call: None)


def test_altered_cached_values_show_as_mismatches_and_are_never_copied(tmp_path, corpus_workbook):
    original = import_path(corpus_workbook(SOURCE))
    altered_path = badfiles.with_cached_values(
        tmp_path, corpus_workbook(SOURCE), "xl/worksheets/sheet1.xml", ALTERED
    )
    altered = import_path(altered_path)

    cells = Cell.objects.filter(workbook_id=altered.workbook_id, sheet__name="Profile of Class")
    for address, fake in ALTERED.items():
        cell = cells.get(address=address)
        reference = Cell.objects.get(
            workbook_id=original.workbook_id, sheet__name="Profile of Class", address=address
        )
        assert cell.cached_number == float(fake)
        assert cell.calc_number == reference.calc_number  # the engine's value, not the cache
        assert cell.calc_number != float(fake)
        assert cell.status == "mismatched"
    mismatched = set(
        Mismatch.objects.filter(run__workbook_id=altered.workbook_id).values_list(
            "cell__address", flat=True
        )
    )
    assert set(ALTERED) <= mismatched
    before = original.summary["mismatched"]
    assert altered.summary["mismatched"] == before + len(ALTERED)
    assert altered.summary["matched"] == original.summary["matched"] - len(ALTERED)
