"""Root causes: a mismatch none of whose precedents mismatches or failed.

Everything else inherits an upstream problem (propagated). Precedents are the
rectangles each formula reads (CellReference rows) and, for a cell of an array
range, the array's anchor formula.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable

from imports.models import Cell, CellReference


class BadCells:
    """Cells that mismatch or were not evaluated, indexed to answer rectangle queries."""

    def __init__(self, cells: Iterable[tuple[int, int, int]]):
        columns: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
        for sheet_id, row, col in cells:
            columns[sheet_id][col].append(row)
        self.columns = {
            sheet: {col: sorted(rows) for col, rows in cols.items()}
            for sheet, cols in columns.items()
        }

    def any_in(self, sheet_id: int, min_row: int, min_col: int, max_row: int, max_col: int) -> bool:
        for col, rows in self.columns.get(sheet_id, {}).items():
            if min_col <= col <= max_col and bisect_right(rows, max_row) > bisect_left(
                rows, min_row
            ):
                return True
        return False

    def cells_in(self, sheet_id, min_row, min_col, max_row, max_col) -> list[tuple[int, int, int]]:
        found = []
        for col, rows in self.columns.get(sheet_id, {}).items():
            if min_col <= col <= max_col:
                start, stop = bisect_left(rows, min_row), bisect_right(rows, max_row)
                found.extend((sheet_id, row, col) for row in rows[start:stop])
        return found


def propagated_cells(workbook_id: int, mismatched: list[int], bad: BadCells) -> set[int]:
    """The mismatched cell ids that read (directly) a bad cell."""
    propagated: set[int] = set()
    for start in range(0, len(mismatched), 900):
        chunk = mismatched[start : start + 900]
        references = CellReference.objects.filter(cell_id__in=chunk).values_list(
            "cell_id", "sheet_id", "min_row", "min_column", "max_row", "max_column"
        )
        for cell_id, sheet_id, r1, c1, r2, c2 in references:
            if cell_id not in propagated and bad.any_in(sheet_id, r1, c1, r2, c2):
                propagated.add(cell_id)
        members = Cell.objects.filter(pk__in=chunk, formula__isnull=True).exclude(array_ref="")
        for cell_id, sheet_id, array_ref in members.values_list("pk", "sheet_id", "array_ref"):
            anchor = _anchor(array_ref)
            if anchor and bad.any_in(sheet_id, anchor[0], anchor[1], anchor[0], anchor[1]):
                propagated.add(cell_id)
    return propagated


def _anchor(array_ref: str) -> tuple[int, int] | None:
    from openpyxl.utils.cell import range_boundaries

    try:
        min_col, min_row, _, _ = range_boundaries(array_ref)
    except (TypeError, ValueError):
        return None
    return min_row, min_col
