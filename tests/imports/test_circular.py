"""Circular references end to end: Excel-style iteration, deep chains, long cycles."""

import pytest
from openpyxl import Workbook

from imports.models import Cell, CycleGroup
from imports.services.pipeline import ImportContext, ImportOptions, run_import

pytestmark = pytest.mark.django_db

N = 10_000


def write_book(path, *, iterate: bool):
    wb = Workbook()
    ws = wb.active
    ws.title = "Model"
    ws["A1"] = 1
    for row in range(2, N + 1):  # a 10,000-deep chain
        ws[f"A{row}"] = f"=A{row - 1}+1"
    ws["B1"] = f"=B{N}*0.5+1"  # a 10,000-cell cycle; its fixed point is 2 everywhere
    for row in range(2, N + 1):
        ws[f"B{row}"] = f"=B{row - 1}*0.5+1"
    ws["C1"] = "=B1*10"  # downstream of the cycle
    if iterate:
        wb.calculation.iterate = True
        wb.calculation.iterateCount = 100
        wb.calculation.iterateDelta = 0.001
    wb.save(path)
    return path


def run(path):
    ctx = ImportContext(path=path, original_filename=path.name, options=ImportOptions())
    return run_import(ctx, progress=lambda *call: None)


def test_deep_chain_and_long_cycle_with_iteration(tmp_path):
    ctx = run(write_book(tmp_path / "iterative.xlsx", iterate=True))
    cells = Cell.objects.filter(workbook_id=ctx.workbook_id)
    assert cells.get(address=f"A{N}").calc_number == N  # no recursion limit on the chain
    group = CycleGroup.objects.get(workbook_id=ctx.workbook_id)
    assert (group.size, group.iterated, group.converged) == (N, True, True)
    assert group.iterations <= 100 and group.max_change < 0.001
    assert cells.get(address="B1").calc_number == pytest.approx(2.0, abs=0.01)
    assert cells.get(address="C1").calc_number == pytest.approx(20.0, abs=0.1)
    assert cells.filter(is_circular=True).count() == N
    assert cells.get(address="C1").after_iteration


def test_cycles_are_refused_when_iteration_is_off(tmp_path):
    ctx = run(write_book(tmp_path / "plain.xlsx", iterate=False))
    cells = Cell.objects.filter(workbook_id=ctx.workbook_id)
    b1 = cells.get(address="B1")
    assert b1.calc_type is None and b1.reason == "circular"
    assert cells.get(address="C1").reason == "circular"  # downstream of a refused cycle
    assert cells.get(address=f"A{N}").calc_number == N
    group = CycleGroup.objects.get(workbook_id=ctx.workbook_id)
    assert (group.iterated, group.converged) == (False, False)
