"""Whole columns and rows (A:A, 3:3) clipped to the cells the sheet actually has.

Excel reads the empty rest of a column as nothing; HyperFormula with Excel's grid
(1,048,576 rows) builds range structures over all of it, and a few thousand
`VLOOKUP(x,Sheet!$A:$N,...)` took minutes to build. Clipping to the sheet's used
extent gives the same values. Functions whose answer is the size or position of
the range itself (ROWS, COLUMNS, ROW, COLUMN, COUNTBLANK, AREAS) keep it whole.
"""

from __future__ import annotations

from openpyxl.formula.tokenizer import Token

from ..formulas import MAX_COL, MAX_ROW
from . import Context
from .references import area_text, split_operand
from .tokens import frames, is_range

SIZE_SENSITIVE = frozenset({"ROWS", "COLUMNS", "ROW", "COLUMN", "COUNTBLANK", "AREAS", "SEQUENCE"})


def clip_whole_ranges(tokens: list[Token], context: Context) -> list[Token]:
    if context.book is None:
        return tokens
    where = None
    for index, token in enumerate(tokens):
        if not is_range(token) or ":" not in token.value:
            continue
        operand = split_operand(token.value)
        if operand is None or operand.ref is None:
            continue
        ref = operand.ref
        if ref.max_row < MAX_ROW and ref.max_col < MAX_COL:
            continue
        where = where or frames(tokens)
        frame = where[index]
        if frame is not None and frame.function in SIZE_SENSITIVE:
            continue
        extent = _extent(context, operand.sheet)
        if extent is None:
            continue
        last_row, last_col = extent
        max_row = min(ref.max_row, max(last_row, ref.min_row))
        max_col = min(ref.max_col, max(last_col, ref.min_col))
        token.value = operand.prefix + area_text(ref.min_row, ref.min_col, max_row, max_col)
    return tokens


def _extent(context: Context, sheet_name: str | None) -> tuple[int, int] | None:
    book = context.book
    sheet = book.sheet_by_name(sheet_name) if sheet_name else book.sheets[context.sheet_index]
    if sheet is None:
        return None
    cached = context.extents.get(sheet.index)
    if cached is None:
        rows = [row for row, _ in sheet.cells] or [1]
        cols = [col for _, col in sheet.cells] or [1]
        cached = context.extents[sheet.index] = (max(rows), max(cols))
    return cached
