"""Implicit intersection: a range where Excel expects one value.

In a formula that is not an array formula (no CSE, no dynamic array), Excel
reduces a multi-cell range in a scalar position to the one cell in the formula's
own row (a one-column range) or column (a one-row range), and to #VALUE! when
there is none. `=A:A&"/"&B:B` in C13 reads A13 and B13; `=Revenue*(1+g)` with
Revenue a row range reads the column's cell. HyperFormula, with array arithmetic
on, would spill instead. Excel writes an explicit intersection as SINGLE() (@).

Scalar positions: the top level of the formula, any operand of an operator
inside a function that does not evaluate arrays itself, and a bare argument of
a function whose parameter is a single value (listed below). Everything under an
array-native function (SUMPRODUCT, MMULT, ...) keeps its arrays.
"""

from __future__ import annotations

from openpyxl.formula.tokenizer import Token

from . import Context
from .references import area_text, cell_text, split_operand
from .tokens import frames, is_close, is_open, is_range, matching_close, significant

ALL = frozenset(range(255))

# Functions that evaluate their arguments as arrays even in a plain formula.
ARRAY_NATIVE = frozenset(
    """SUMPRODUCT MMULT MDETERM MINVERSE LOOKUP FREQUENCY LINEST LOGEST TREND GROWTH
    SUMX2MY2 SUMX2PY2 SUMXMY2 TRANSPOSE""".split()
)

# Parameters that evaluate an expression as an array in a plain formula, the idioms
# that avoid Ctrl+Shift+Enter: MATCH(TRUE,INDEX(B1:B10>5,0),0), AGGREGATE(14,6,A/B,1).
ARRAY_ARGS = frozenset({("INDEX", 0), ("AGGREGATE", 2)})

# Parameters that take one value: a bare range there is intersected.
SCALAR_ARGS: dict[str, frozenset[int]] = {
    **{
        name: ALL
        for name in """ABS SIGN INT TRUNC SQRT EXP LN LOG LOG10 POWER MOD EVEN ODD FACT
        SIN COS TAN ASIN ACOS ATAN ATAN2 SINH COSH TANH RADIANS DEGREES
        ROUND ROUNDUP ROUNDDOWN MROUND CEILING FLOOR
        DATE TIME YEAR MONTH DAY HOUR MINUTE SECOND WEEKDAY WEEKNUM EDATE EOMONTH DAYS DAYS360
        DATEVALUE TIMEVALUE LEFT RIGHT MID LEN UPPER LOWER PROPER TRIM CLEAN TEXT VALUE FIXED
        DOLLAR CHAR CODE REPT SUBSTITUTE REPLACE FIND SEARCH EXACT
        NOT ISNUMBER ISTEXT ISBLANK ISERROR ISERR ISNA ISLOGICAL ISNONTEXT ISEVEN ISODD
        PMT IPMT PPMT PV FV NPER RATE EFFECT NOMINAL""".split()
    },
    "IF": frozenset({0}),
    "IFERROR": frozenset({0, 1}),
    "IFNA": frozenset({0, 1}),
    "CHOOSE": frozenset({0}),
    "INDEX": frozenset({1, 2, 3}),
    "VLOOKUP": frozenset({0, 2, 3}),
    "HLOOKUP": frozenset({0, 2, 3}),
    "MATCH": frozenset({0, 2}),
    "OFFSET": frozenset({1, 2, 3, 4}),
    "LARGE": frozenset({1}),
    "SMALL": frozenset({1}),
    "PERCENTILE": frozenset({1}),
    "QUARTILE": frozenset({1}),
    "RANK": frozenset({0, 2}),
}


def implicit_intersection(tokens: list[Token], context: Context) -> list[Token]:
    if context.is_array or context.book is None:
        return tokens
    where = frames(tokens)
    for index, token in enumerate(tokens):
        if is_range(token) and _first_cell_argument(tokens, where, index):
            replacement = top_left(token.value, context)
            if replacement is not None:
                token.value = replacement
        elif is_range(token) and _scalar_position(tokens, where, index, context):
            replacement = intersect(token.value, context)
            if replacement is not None:
                token.value = replacement
    return tokens


# Functions whose arguments are references by nature: never intersected.
REFERENCE_ARGS = frozenset(
    """ROW COLUMN ROWS COLUMNS AREAS ISREF COUNTBLANK SUBTOTAL AGGREGATE FORMULATEXT
    ISFORMULA SHEET SHEETS CELL""".split()
)

# Functions whose one parameter takes a reference and reads its first cell: T(H12:J12)
# is T(H12) wherever the formula is (Excel's N and T take a reference, not a value, so
# no implicit intersection happens; measured: FormulaEvalTestData M1352:O1352).
FIRST_CELL_ARGS = frozenset({"N", "T"})

# Parameter kinds (as HyperFormula and our functions declare them) that take one value.
SCALAR_KINDS = frozenset({"NUMBER", "INTEGER", "BOOLEAN", "STRING", "SCALAR", "NOERROR"})


def _scalar_position(tokens: list[Token], where, index: int, context: Context) -> bool:
    frame = where[index]
    if frame is None:
        return True
    if any(name in ARRAY_NATIVE or (name, arg) in ARRAY_ARGS for name, arg in frame.calls):
        return False
    bare = [i for i in significant(tokens, frame.begin, frame.end) if not _is_paren(tokens[i])]
    if bare == [index]:
        if frame.function in REFERENCE_ARGS:
            return False
        if frame.argument in SCALAR_ARGS.get(frame.function, frozenset()):
            return True
        return _declared_kind(context, frame.function, frame.argument) in SCALAR_KINDS
    return True


def _first_cell_argument(tokens: list[Token], where, index: int) -> bool:
    frame = where[index]
    if frame is None or frame.function not in FIRST_CELL_ARGS or frame.argument != 0:
        return False
    if any(name in ARRAY_NATIVE for name in frame.outer):
        return False
    bare = [i for i in significant(tokens, frame.begin, frame.end) if not _is_paren(tokens[i])]
    return bare == [index]


def top_left(text: str, context: Context) -> str | None:
    """The first cell of the range `text` (a reference or a name standing for one), or None."""
    resolved = _referenced(text, context)
    if resolved is None:
        return None
    named, prefix, ref = resolved
    if ref is None or (ref.size == 1 and not named):
        return None
    return prefix + cell_text(ref.min_row, ref.min_col)


def _referenced(text: str, context: Context):
    """(is a name, sheet prefix, Ref) of the reference `text` stands for, or None."""
    operand = split_operand(text)
    if operand is None:
        return None
    if operand.name is None:
        return False, operand.prefix, operand.ref
    value = context.name_value(context.sheet_index, operand.sheet, operand.name)
    target = split_operand(value) if value else None
    if target is None or target.ref is None:
        return None
    return True, target.prefix, target.ref


def _declared_kind(context: Context, function: str | None, argument: int) -> str | None:
    declared = context.parameters.get(function or "")
    if not declared or not declared.get("types"):
        return None
    types, repeat = declared["types"], declared.get("repeat") or 0
    if argument < len(types):
        return types[argument]
    if repeat:
        start = len(types) - repeat
        return types[start + (argument - start) % repeat]
    return None


def _is_paren(token: Token) -> bool:
    return token.type == Token.PAREN


def intersect(text: str, context: Context) -> str | None:
    """The one-cell reference Excel would read for `text` from the formula's cell, or None."""
    resolved = _referenced(text, context)
    if resolved is None:
        return None
    named, prefix, ref = resolved
    if ref.size == 1:
        return (
            prefix + area_text(ref.min_row, ref.min_col, ref.max_row, ref.max_col)
            if named
            else None
        )
    if ref.min_col == ref.max_col and ref.min_row <= context.row <= ref.max_row:
        return prefix + cell_text(context.row, ref.min_col)
    if ref.min_row == ref.max_row and ref.min_col <= context.col <= ref.max_col:
        return prefix + cell_text(ref.min_row, context.col)
    return "#VALUE!"


def spill_bare_range(tokens: list[Token], context: Context) -> list[Token]:
    """An array formula that is just a range (`{=A1:A3}`, a resolved OFFSET) -> `=+A1:A3`.

    Excel spills it; HyperFormula answers #VALUE! for a bare range but spills `+range`.
    """
    if not context.is_array:
        return tokens
    meaningful = [t for t in tokens if t.type != Token.WSPACE]
    if len(meaningful) == 1 and is_range(meaningful[0]) and ":" in meaningful[0].value:
        return [Token("+", Token.OP_PRE, ""), *tokens]
    return tokens


def single_function(tokens: list[Token], context: Context) -> list[Token]:
    """`SINGLE(A1:A5)` (Excel's @, as written in files) -> the intersected reference."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == Token.FUNC and token.value.upper().endswith("SINGLE("):
            stop = matching_close(tokens, index)
            inner = significant(tokens, index + 1, stop)
            if len(inner) == 1 and is_range(tokens[inner[0]]):
                value = tokens[inner[0]].value
                reduced = intersect(value, context) or value
                head = token.value[: -len("SINGLE(")]
                if head.upper().endswith("_XLFN."):
                    head = head[: -len("_xlfn.")]
                result.append(Token(head + reduced, Token.OPERAND, Token.RANGE))
                index = stop + 1
                continue
        result.append(token)
        index += 1
    return result


__all__ = ["implicit_intersection", "intersect", "single_function", "is_open", "is_close"]


def spill_references(tokens: list[Token], context: Context) -> list[Token]:
    """`ANCHORARRAY(A3)` (Excel's A3#, as written in files) -> the range A3's array fills.

    The extent is the array's range as the file records it for the anchor cell.
    """
    if context.book is None:
        return tokens
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == Token.FUNC and token.value.upper().endswith("ANCHORARRAY("):
            stop = matching_close(tokens, index)
            inner = significant(tokens, index + 1, stop)
            if len(inner) == 1 and is_range(tokens[inner[0]]):
                target = _spill_range(tokens[inner[0]].value, context)
                if target is not None:
                    result.append(Token(target, Token.OPERAND, Token.RANGE))
                    index = stop + 1
                    continue
        result.append(token)
        index += 1
    return result


def _spill_range(text: str, context: Context) -> str | None:
    operand = split_operand(text)
    if operand is None or operand.ref is None or operand.ref.size != 1:
        return None
    sheet = context.book.sheet_by_name(operand.sheet) if operand.sheet else None
    sheet = sheet or context.book.sheets[context.sheet_index]
    anchor = sheet.cells.get((operand.ref.min_row, operand.ref.min_col))
    if anchor is None or anchor.formula is None:
        return "#REF!"
    if not anchor.array_ref:
        return operand.prefix + area_text(
            operand.ref.min_row, operand.ref.min_col, operand.ref.min_row, operand.ref.min_col
        )
    from openpyxl.utils.cell import range_boundaries

    min_col, min_row, max_col, max_row = range_boundaries(anchor.array_ref)
    return operand.prefix + area_text(min_row, min_col, max_row, max_col)


def range_intersection(tokens: list[Token], context: Context) -> list[Token]:
    """`B:C 2:3` (a space between two references) -> the cells both cover, or #NULL!.

    Excel's intersection operator; HyperFormula has none. Both sides must be plain
    references on the same sheet, which is what real workbooks use it for.
    """
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            is_range(token)
            and index + 2 < len(tokens)
            and tokens[index + 1].type == Token.WSPACE
            and is_range(tokens[index + 2])
        ):
            joined = _intersect_texts(token.value, tokens[index + 2].value)
            if joined is not None:
                tokens = [
                    *tokens[:index],
                    Token(joined, Token.OPERAND, Token.RANGE),
                    *tokens[index + 3 :],
                ]
                continue
        result.append(token)
        index += 1
    return result


def _intersect_texts(left: str, right: str) -> str | None:
    a, b = split_operand(left), split_operand(right)
    if a is None or b is None or a.ref is None or b.ref is None:
        return None
    if (a.sheet or "").lower() != (b.sheet or "").lower():
        return None
    top, left_col = max(a.ref.min_row, b.ref.min_row), max(a.ref.min_col, b.ref.min_col)
    bottom, right_col = min(a.ref.max_row, b.ref.max_row), min(a.ref.max_col, b.ref.max_col)
    if top > bottom or left_col > right_col:
        return "#NULL!"
    return a.prefix + area_text(top, left_col, bottom, right_col)


def contiguous_unions(tokens: list[Token], context: Context) -> list[Token]:
    """`(B1,B2,B3)` (Excel's union operator) -> `B1:B3` when the areas tile one rectangle.

    HyperFormula has no union; a union that is one rectangle in pieces is the same
    reference, which is what files hold in practice.
    """
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.type == Token.PAREN and token.subtype == Token.OPEN:
            stop = matching_close(tokens, index)
            inner = [t for t in tokens[index + 1 : stop] if t.type != Token.WSPACE]
            merged = _merge_union(inner)
            if merged is not None:
                spliced = Token(merged, Token.OPERAND, Token.RANGE)
                tokens = [*tokens[:index], spliced, *tokens[stop + 1 :]]
        index += 1
    return tokens


def _merge_union(inner: list[Token]) -> str | None:
    if len(inner) < 3 or len(inner) % 2 == 0:
        return None
    operands = inner[0::2]
    if any(t.value != "," for t in inner[1::2]) or not all(is_range(t) for t in operands):
        return None
    parts = [split_operand(t.value) for t in operands]
    if any(p is None or p.ref is None for p in parts):
        return None
    if len({(p.sheet or "").lower() for p in parts}) != 1:
        return None
    covered = set()
    for part in parts:
        ref = part.ref
        if ref.size > 10_000:
            return None
        for row in range(ref.min_row, ref.max_row + 1):
            for col in range(ref.min_col, ref.max_col + 1):
                if (row, col) in covered:
                    return None
                covered.add((row, col))
    rows = [row for row, _ in covered]
    cols = [col for _, col in covered]
    top, bottom, left, right = min(rows), max(rows), min(cols), max(cols)
    if len(covered) != (bottom - top + 1) * (right - left + 1):
        return None
    return parts[0].prefix + area_text(top, left, bottom, right)
