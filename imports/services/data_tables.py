"""What-if data tables (`{=TABLE(row_input, column_input)}`), computed as Excel does.

A data table is a block of results whose edges hold the cases: for each result cell
Excel puts the case values into the input cells, recalculates, and reads a formula.

- a column table (`TABLE(,B1)`): the values down the left column go into B1, the
  formulas along the row above are read, one result column each;
- a row table (`TABLE(B1,)`): the values along the top row go into B1, the formulas
  down the left column are read;
- a two-variable table (`TABLE(B1,B2)`): top-row values into B1, left-column values
  into B2, the corner cell above-left of the results is read.

The engine runs every case on the real model (HyperFormula recalculates what depends
on the input cells), puts the input cells back, then stores the results in the table
so formulas reading the table see them. Tables are done in the file's order.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple, range_boundaries

from .book import BookData, CellData, CellKey, Failure, Progress, Reason
from .evaluator import Evaluator

CASES_PER_REQUEST = 500


def compute_data_tables(
    book: BookData, evaluator: Evaluator, values: dict, *, progress: Progress
) -> dict[CellKey, Any]:
    """Every data table's cells: a value or a Failure each. The values are stored in the
    engine too, so formulas reading a table (and later tables) see them."""
    tables = [(sheet, cell) for sheet, cell in book.formula_cells() if cell.data_table]
    outcome: dict[CellKey, Any] = {}
    for number, (sheet, anchor) in enumerate(tables, start=1):
        progress("evaluate", 95.0, f"data table {number} of {len(tables)}")
        results = _table(book, sheet.index, anchor, evaluator, ChainMap(outcome, values))
        outcome.update(results)
        computed = {k: v for k, v in results.items() if not isinstance(v, Failure)}
        if computed:
            evaluator.set_contents(computed)
    return outcome


def _table(
    book: BookData, sheet_index: int, anchor: CellData, evaluator: Evaluator, values: Mapping
) -> dict[CellKey, Any]:
    table = anchor.data_table
    min_col, min_row, max_col, max_row = range_boundaries(anchor.array_ref)
    cells = [
        (row, col) for row in range(min_row, max_row + 1) for col in range(min_col, max_col + 1)
    ]
    keys = {(row, col): (sheet_index, row, col) for row, col in cells}
    inputs = [text for text in (table.row_input, table.column_input) if text]
    problem = _check(inputs, min_row, min_col)
    if problem is not None:
        return {key: problem for key in keys.values()}
    input_keys = [(sheet_index, *coordinate_to_tuple(text.replace("$", ""))) for text in inputs]
    top, left = min_row - 1, min_col - 1

    def value_at(row: int, col: int) -> Any:
        return _current(book, values, (sheet_index, row, col))

    cases: list[tuple[list[Any], list[CellKey]]] = []
    for row, col in cells:
        if table.row_input and table.column_input:
            case = [value_at(top, col), value_at(row, left)], [(sheet_index, top, left)]
        elif table.row_input:
            case = [value_at(top, col)], [(sheet_index, row, left)]
        else:
            case = [value_at(row, left)], [(sheet_index, top, col)]
        cases.append(case)
    outcome: dict[CellKey, Any] = {}
    for start in range(0, len(cases), CASES_PER_REQUEST):
        chunk = cases[start : start + CASES_PER_REQUEST]
        answers = evaluator.what_if(input_keys, chunk)
        for (row, col), answer in zip(cells[start : start + len(chunk)], answers, strict=True):
            outcome[keys[(row, col)]] = answer[0]
    return outcome


def _check(inputs: list[str], min_row: int, min_col: int) -> Failure | None:
    if not inputs or any("#REF!" in text for text in inputs):
        return Failure(Reason.ENGINE_ERROR, "the data table's input cell was deleted (#REF!)")
    if min_row < 2 or min_col < 2:
        return Failure(Reason.ENGINE_ERROR, "a data table needs a row above and a column left")
    for text in inputs:
        try:
            coordinate_to_tuple(text.replace("$", ""))
        except (ValueError, TypeError):
            return Failure(
                Reason.ENGINE_ERROR, f"the data table's input cell {text!r} is not a cell"
            )
    return None


def _current(book: BookData, values: Mapping, key: CellKey) -> Any:
    """A cell's value now: the engine's for a formula (or array) cell, the file's otherwise."""
    sheet_index, row, col = key
    cell = book.sheets[sheet_index].cells.get((row, col))
    if cell is None:
        return None
    if cell.is_formula or cell.array_anchor is not None:
        value = values.get(key)
        return None if isinstance(value, Failure) else value
    return cell.value


__all__ = ["compute_data_tables"]
