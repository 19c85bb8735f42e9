"""Validation in memory, for analysis and tests: the same verdicts as the stored path."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from imports.services.book import CellData, Failure, SheetData
from imports.services.store import cache_trust

from .explain import (
    CellFacts,
    Judgement,
    judge,
    tolerances_for,
    workbook_facts,
)


def cell_facts(cell: CellData) -> CellFacts:
    functions = ("," + ",".join(cell.functions) + ",") if cell.functions else ""
    return CellFacts(functions, cell.volatile, cell.random, cell.external, cell.after_iteration)


def verdicts(
    ctx, *, abs_tol: float, rel_tol: float
) -> Iterator[tuple[SheetData, CellData, Any, Failure | None, Judgement]]:
    """(sheet, cell, calculated value, failure, verdict) for every computed cell."""
    trusted, note = cache_trust(ctx.book.calc)
    calc = ctx.book.calc
    workbook = workbook_facts(trusted, note, calc.application, calc.language, calc.calc_mode)
    delta = ctx.book.calc.iterate_delta if ctx.book.calc.iterate else None
    for sheet, cell in ctx.book.result_cells():
        key = (sheet.index, cell.row, cell.col)
        failure = cell.skip or ctx.evaluation.failures.get(key)
        value = None if failure else ctx.evaluation.values.get(key)
        facts = cell_facts(cell)
        tolerances = tolerances_for(facts, abs_tol=abs_tol, rel_tol=rel_tol, iterate_delta=delta)
        verdict = judge(
            facts,
            workbook,
            cached=cell.cached,
            has_cached=cell.has_cached,
            calculated=value,
            failure_reason=failure.reason if failure else None,
            abs_tol=tolerances[0],
            rel_tol=tolerances[1],
        )
        yield sheet, cell, value, failure, verdict
