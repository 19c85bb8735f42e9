"""References across sheets and about sheets: 3-D references, TRIMRANGE and CELL.

- `SUM(Sheet1:Sheet3!A1)` -> `SUM(Sheet1!A1,Sheet2!A1,Sheet3!A1)`: a 3-D reference is
  every sheet from the first to the last in workbook order; HyperFormula has no 3-D
  references, and the functions that accept them take a list of arguments.
- `TRIMRANGE(A:C)` -> the part of the range between its first and last non-empty rows
  and columns, from the cells the file holds.
- `CELL("contents"|"address"|"row"|"col"|"type", ref)` with a literal info type -> the
  equivalent formula; other info types (filename, width, format, ...) depend on the
  environment or the layout and stay unsupported.
"""

from __future__ import annotations

import re

from openpyxl.formula.tokenizer import Token

from ..formulas import function_name
from . import Context
from .references import area_text, quote_sheet, split_operand
from .tokens import argument_spans, frames, is_function, is_range, matching_close, significant

THREE_D_FUNCTIONS = frozenset(
    """SUM AVERAGE AVERAGEA COUNT COUNTA MAX MAXA MIN MINA PRODUCT STDEV STDEVA STDEVP
    STDEVPA STDEV.S STDEV.P VAR VARA VARP VARPA VAR.S VAR.P""".split()
)
_THREE_D = re.compile(
    r"^'(?P<quoted>(?:[^']|'')+)'!(?P<rest>.+)$|^(?P<plain>[^'!]+)!(?P<rest2>.+)$"
)


def three_d_references(tokens: list[Token], context: Context) -> list[Token]:
    if context.book is None:
        return tokens
    where = None
    for index, token in enumerate(tokens):
        if not is_range(token) or "!" not in token.value:
            continue
        match = _THREE_D.match(token.value)
        if match is None:
            continue
        sheets = (match.group("quoted") or "").replace("''", "'") or match.group("plain")
        rest = match.group("rest") or match.group("rest2")
        if ":" not in sheets:
            continue
        where = where or frames(tokens)
        frame = where[index]
        bare = frame is not None and significant(tokens, frame.begin, frame.end) == [index]
        if not bare or frame.function not in THREE_D_FUNCTIONS:
            token.value = "#REF!"  # a 3-D reference anywhere else is not something Excel allows
            continue
        token.value = _expand(context, sheets, rest)
    return tokens


def _expand(context: Context, sheets: str, rest: str) -> str:
    first, _, last = sheets.partition(":")
    start, stop = context.book.sheet_by_name(first), context.book.sheet_by_name(last)
    if start is None or stop is None:
        return "#REF!"
    low, high = sorted((start.index, stop.index))
    return ",".join(quote_sheet(s.name) + rest for s in context.book.sheets[low : high + 1])


def trimrange(tokens: list[Token], context: Context) -> list[Token]:
    return _rewrite_calls(tokens, context, "TRIMRANGE", _trimmed)


def _trimmed(tokens, start, stop, context) -> str | None:
    spans = argument_spans(tokens, start, stop)
    if len(spans) != 1:
        return None  # the trim_rows / trim_cols options are not handled
    inner = significant(tokens, *spans[0])
    if len(inner) != 1 or not is_range(tokens[inner[0]]):
        return None
    operand = split_operand(tokens[inner[0]].value)
    if operand is None or operand.ref is None:
        return None
    sheet = context.book.sheet_by_name(operand.sheet) if operand.sheet else None
    sheet = sheet or context.book.sheets[context.sheet_index]
    ref = operand.ref
    inside = [
        (row, col)
        for (row, col), cell in sheet.cells.items()
        if ref.min_row <= row <= ref.max_row
        and ref.min_col <= col <= ref.max_col
        and not (cell.formula is None and cell.value is None and cell.array_anchor is None)
    ]
    if not inside:
        return operand.prefix + area_text(ref.min_row, ref.min_col, ref.min_row, ref.min_col)
    rows = [row for row, _ in inside]
    cols = [col for _, col in inside]
    return operand.prefix + area_text(min(rows), min(cols), max(rows), max(cols))


CELL_INFO = {
    "CONTENTS": "{ref}",
    "ADDRESS": "ADDRESS(ROW({ref}),COLUMN({ref}))",
    "ROW": "ROW({ref})",
    "COL": "COLUMN({ref})",
    "TYPE": 'IF(ISBLANK({ref}),"b",IF(ISTEXT({ref}),"l","v"))',
}


def cell_info(tokens: list[Token], context: Context) -> list[Token]:
    return _rewrite_calls(tokens, context, "CELL", _cell)


def _cell(tokens, start, stop, context) -> str | None:
    spans = argument_spans(tokens, start, stop)
    if len(spans) != 2:
        return None
    kind = significant(tokens, *spans[0])
    target = significant(tokens, *spans[1])
    if len(kind) != 1 or tokens[kind[0]].subtype != Token.TEXT or len(target) != 1:
        return None
    info = tokens[kind[0]].value.strip('"').strip().upper()
    template = CELL_INFO.get(info)
    reference = tokens[target[0]].value
    operand = split_operand(reference)
    if operand is None or operand.ref is None:
        return None
    if info == "WIDTH":
        return str(_column_width(context, operand))
    if template is None:
        return None
    first = operand.prefix + area_text(
        operand.ref.min_row, operand.ref.min_col, operand.ref.min_row, operand.ref.min_col
    )
    return "(" + template.format(ref=first) + ")"


def formula_text(tokens: list[Token], context: Context) -> list[Token]:
    """FORMULATEXT(A1): the formula as Excel shows it, taken from the file.

    The engine would answer with the formula it was given, i.e. after this layer's
    rewrites (TRUE() for TRUE, B3 for OFFSET(A1,2,1), prefixes gone or added), so a
    reference to one cell is replaced by the text of that cell's formula as stored,
    without the file's _xlfn./_xlws./_xlpm. prefixes that Excel never shows. Array
    formulas and cells without a formula are left to the engine.
    """
    # a text token, so string_literals spells the quotes the formula holds for the engine
    return _rewrite_calls(tokens, context, "FORMULATEXT", _formula_text, subtype=Token.TEXT)


FILE_PREFIX = re.compile(r"_xl(?:fn|ws|pm)\.", re.IGNORECASE)


def _formula_text(tokens, start, stop, context) -> str | None:
    spans = argument_spans(tokens, start, stop)
    if len(spans) != 1:
        return None
    target = significant(tokens, *spans[0])
    if len(target) != 1:
        return None
    operand = split_operand(tokens[target[0]].value)
    if operand is None or operand.ref is None:
        return None
    ref = operand.ref
    if (ref.min_row, ref.min_col) != (ref.max_row, ref.max_col):
        return None
    sheet = context.book.sheet_by_name(operand.sheet) if operand.sheet else None
    if operand.sheet and sheet is None:
        return None
    sheet = sheet or context.book.sheets[context.sheet_index]
    cell = sheet.cells.get((ref.min_row, ref.min_col))
    if cell is None or cell.formula is None or cell.array_ref or cell.array_anchor:
        return None
    shown = FILE_PREFIX.sub("", cell.formula)
    return '"' + shown.replace('"', '""') + '"'


def _column_width(context: Context, operand) -> int:
    """CELL("width"): the column's width in characters as Excel shows it, as a whole number.

    The file stores characters plus 5 pixels of padding at the default font's digit
    width (7 pixels for Calibri 11 and Arial 10); Excel shows it to 1/100 and CELL
    truncates that.
    """
    sheet = context.book.sheet_by_name(operand.sheet) if operand.sheet else None
    sheet = sheet or context.book.sheets[context.sheet_index]
    stored = sheet.column_widths.get(operand.ref.min_col, sheet.default_column_width)
    pixels = int(stored * 7 + 0.5)
    shown = int((pixels - 5) / 7 * 100 + 0.5) / 100
    return max(0, int(shown))


def _rewrite_calls(tokens, context, name, rewrite, subtype=Token.RANGE) -> list[Token]:
    if context.book is None:
        return tokens
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if is_function(token) and function_name(token) == name:
            stop = matching_close(tokens, index)
            replacement = rewrite(tokens, index, stop, context)
            if replacement is not None:
                tokens = (
                    tokens[:index]
                    + [Token(replacement, Token.OPERAND, subtype)]
                    + tokens[stop + 1 :]
                )
        index += 1
    return tokens
