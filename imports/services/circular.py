"""Circular references: Excel-style iteration when the workbook enables it.

Excel with iterative calculation on recalculates the cells of a cycle over and
over, each sweep using the latest values (Gauss-Seidel), until no value changes
by more than `iterateDelta` or `iterateCount` sweeps are done. Without it, Excel
refuses the cycle: the cells are flagged circular and not evaluated.
"""

from __future__ import annotations

from dataclasses import dataclass

from .book import BookData, CellKey, EvaluationResult, Failure, Progress, Reason
from .evaluator import Evaluator


@dataclass
class CycleOutcome:
    cells: list[CellKey]
    iterated: bool = False
    iterations: int = 0
    max_change: float | None = None
    converged: bool = False


def solve_cycles(
    book: BookData,
    cycles: list[list[CellKey]],
    evaluator: Evaluator,
    evaluation: EvaluationResult,
    *,
    progress: Progress,
) -> list[CycleOutcome]:
    """Iterate each group (upstream groups first), then re-read everything downstream."""
    if not cycles:
        return []
    if not book.calc.iterate:
        return [_refuse(group, evaluation) for group in cycles]
    outcomes = []
    for number, group in enumerate(cycles, start=1):
        progress("circular", 100 * number / (len(cycles) + 1), f"cycle {number} of {len(cycles)}")
        outcomes.append(_iterate(book, group, evaluator))
    evaluation.merge(evaluator.read_values(progress=progress))
    for outcome in outcomes:
        if not outcome.converged:
            detail = (
                f"not converged after {outcome.iterations} iterations "
                f"(last change {outcome.max_change:g})"
            )
            for key in outcome.cells:
                evaluation.values.pop(key, None)
                evaluation.failures[key] = Failure(Reason.CIRCULAR_NOT_CONVERGED, detail)
    return outcomes


def _refuse(group: list[CellKey], evaluation: EvaluationResult) -> CycleOutcome:
    detail = "circular reference; iterative calculation is off in this workbook"
    for key in group:
        evaluation.values.pop(key, None)
        evaluation.failures[key] = Failure(Reason.CIRCULAR, detail)
    return CycleOutcome(cells=group)


def _iterate(book: BookData, group: list[CellKey], evaluator: Evaluator) -> CycleOutcome:
    cells = []
    for key in group:
        sheet_index, row, col = key
        cell = book.sheets[sheet_index].cells[(row, col)]
        if cell.formula is not None and cell.skip is None:
            cells.append((key, cell.engine_formula or cell.formula))
    result = evaluator.iterate(
        cells, max_iterations=book.calc.iterate_count, max_change=book.calc.iterate_delta
    )
    return CycleOutcome(
        cells=group,
        iterated=True,
        iterations=result.iterations,
        max_change=result.max_change,
        converged=result.converged,
    )
