"""INDIRECT and OFFSET: references computed from values, made static with the engine's help.

HyperFormula has no INDIRECT and an OFFSET that only takes constants. Both are
references whose target depends on values, so they are resolved with the engine
itself: the arguments are computed by the engine in the cell's context, the call
is replaced by the reference it yields (`INDIRECT("A"&ROW())` in A9 -> `$A$9`),
the cell gets the rewritten formula, and everything recalculates. Arguments may
depend on other dynamic cells, so the rewrite repeats until nothing changes.
Every value still comes from the engine; the rewrite only decides where to read.

INDEX and CHOOSE return references too, which models use to end a range:
`SUM($B$5:INDEX($B$5:$B$100,n))`, `A9:CHOOSE(2,A10,A11)`. HyperFormula cannot
parse a call beside the range operator, so such calls are resolved the same way
(elsewhere HyperFormula computes INDEX and CHOOSE itself).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token
from openpyxl.utils.cell import get_column_letter

from .book import BookData, CellError, CellKey, Failure, Progress, Reason, value_type
from .evaluator import Evaluator
from .formulas import MAX_COL, MAX_ROW, FormulaError, function_name, render, tokenize
from .normalize.references import area_text, quote_sheet, split_operand
from .normalize.tokens import argument_spans, is_function, matching_close, significant

DYNAMIC = frozenset({"INDIRECT", "OFFSET"})
# Reference-returning functions resolved only where a reference is required: beside `:`.
RANGE_ENDS = frozenset({"INDEX", "CHOOSE"})
MAX_PASSES = 12
MAX_LEVELS = 8


@dataclass
class Call:
    start: int
    stop: int
    name: str
    args: list[str]  # argument texts (no '=')
    prefix: str = ""  # what the tokenizer glued before the name: "A1:" of "A1:INDEX("


@dataclass(eq=False)
class Site:
    """A formula cell with dynamic references: its template and where it sits."""

    key: CellKey
    template: str
    current: str | None = None
    failure: Failure | None = None


def has_dynamic(formula: str) -> bool:
    upper = formula.upper()
    if "INDIRECT(" in upper or "OFFSET(" in upper:
        return True
    if ":" not in upper or ("INDEX(" not in upper and "CHOOSE(" not in upper):
        return False
    try:
        tokens = tokenize(formula)
    except FormulaError:
        return False
    return any(_is_dynamic_call(tokens, index) for index in range(len(tokens)))


def _is_dynamic_call(tokens: list[Token], index: int) -> bool:
    """INDIRECT/OFFSET anywhere; INDEX/CHOOSE as an end of a range (`A1:INDEX(...)`)."""
    token = tokens[index]
    if not is_function(token):
        return False
    name = function_name(token)
    if name in DYNAMIC:
        return True
    if name not in RANGE_ENDS:
        return False
    if ":" in token.value[: -len(name) - 1]:
        return True
    stop = matching_close(tokens, index)
    following = next((t for t in tokens[stop + 1 :] if t.type != Token.WSPACE), None)
    return (
        following is not None
        and following.type == Token.OPERAND
        and following.value.startswith(":")
    )


def resolve_dynamic_references(
    book: BookData, evaluator: Evaluator, *, progress: Progress
) -> dict[CellKey, Failure]:
    """Rewrite every INDIRECT/OFFSET cell until stable; return the cells that cannot be."""
    sites = [
        Site((sheet.index, cell.row, cell.col), cell.engine_formula)
        for sheet, cell in book.formula_cells()
        if cell.skip is None and cell.engine_formula and has_dynamic(cell.engine_formula)
    ]
    if not sites:
        return {}
    for number in range(1, MAX_PASSES + 1):
        progress("evaluate", 90.0, f"dynamic references, pass {number}: {len(sites):,} cells")
        rewritten = _rewrite_all(book, evaluator, sites)
        changed = {s.key: text for s, text in rewritten.items() if text != s.current}
        for site, text in rewritten.items():
            site.current = text
        if not changed:
            break
        evaluator.set_formulas(changed)
    else:
        for site in sites:
            site.failure = site.failure or Failure(
                Reason.ENGINE_DIFFERENCE, "INDIRECT/OFFSET targets did not settle"
            )
    return {site.key: site.failure for site in sites if site.failure is not None}


def _rewrite_all(book: BookData, evaluator: Evaluator, sites: list[Site]) -> dict[Site, str]:
    """One pass: every site's template with its dynamic calls resolved on current values."""
    texts = {id(site): site.template for site in sites}
    for site in sites:
        site.failure = None  # only the last pass's failures count
    pending = list(sites)
    for _level in range(MAX_LEVELS):
        requests: list[tuple[Site, Call, list[int]]] = []
        items: list[tuple[int, str]] = []
        still = []
        for site in pending:
            calls = _innermost_calls(texts[id(site)])
            if not calls:
                continue
            still.append(site)
            for call in calls:
                indexes = []
                for text in _evaluated_args(call):
                    indexes.append(len(items))
                    items.append((site.key[0], "=" + _explicit_position(text, site.key)))
                requests.append((site, call, indexes))
        if not requests:
            break
        values = evaluator.calculate_many(items) if items else []
        by_site: dict[int, list[tuple[Call, str]]] = {}
        for site, call, indexes in requests:
            target = _target(book, site, call, [values[i] for i in indexes])
            by_site.setdefault(id(site), []).append((call, target))
        for site in still:
            text = _substitute(texts[id(site)], by_site.get(id(site), []))
            texts[id(site)] = _reshape(book, site, text)
        pending = still
    return {site: texts[id(site)] for site in sites}


def _innermost_calls(formula: str) -> list[Call]:
    """The INDIRECT/OFFSET calls with no dynamic call inside their arguments."""
    try:
        tokens = tokenize(formula)
    except FormulaError:
        return []
    calls = []
    for index, token in enumerate(tokens):
        if not _is_dynamic_call(tokens, index):
            continue
        stop = matching_close(tokens, index)
        if any(_is_dynamic_call(tokens, inner) for inner in range(index + 1, stop)):
            continue
        spans = argument_spans(tokens, index, stop)
        args = ["".join(t.value for t in tokens[b:e]).strip() for b, e in spans]
        name = function_name(token)
        prefix = token.value[: -len(name) - 1]
        prefix = prefix if ":" in prefix else ""  # (a _xlfn. prefix is not kept)
        calls.append(Call(index, stop, name, args, prefix))
    return calls


def _evaluated_args(call: Call) -> list[str]:
    """The arguments the engine must compute: all of INDIRECT's; OFFSET's but the reference."""
    if call.name == "OFFSET":  # an empty height or width means "as the reference"
        return [arg or ("0" if n < 2 else '""') for n, arg in enumerate(call.args[1:])]
    if call.name == "INDEX":  # an empty row or column number is 0: the whole line
        return [arg or "0" for arg in call.args[1:]]
    if call.name == "CHOOSE":
        return call.args[:1]
    return [arg or "TRUE()" for arg in call.args]


_NO_ARG_POSITION = re.compile(r"\b(ROW|COLUMN)\(\s*\)", re.IGNORECASE)


def _explicit_position(text: str, key: CellKey) -> str:
    """ROW() and COLUMN() mean the formula's own cell; outside it they must say which."""
    _sheet, row, col = key
    return _NO_ARG_POSITION.sub(lambda m: f"{m.group(1)}(${get_column_letter(col)}${row})", text)


def _target(book: BookData, site: Site, call: Call, values: list) -> str:
    """The static reference (or an error literal) that replaces one call."""
    for value in values:
        if isinstance(value, Failure):
            site.failure = site.failure or value
            return "#REF!"
    if call.name == "INDIRECT":
        return _indirect(book, site.key, values)
    if call.name == "INDEX":
        return _index(book, site.key, call.args[0], values)
    if call.name == "CHOOSE":
        return _choose(call.args, values)
    return _offset(book, site.key, call.args[0], values)


def _error_literal(value) -> str | None:
    return str(value) if isinstance(value, CellError) else None


def _indirect(book: BookData, key: CellKey, values: list) -> str:
    text, a1 = values[0], values[1] if len(values) > 1 else True
    if (error := _error_literal(text) or _error_literal(a1)) is not None:
        return error
    if value_type(text) != "text":
        return "#REF!"
    a1_style = bool(a1) if not isinstance(a1, str) else True
    reference = _parse_a1(book, text.strip()) if a1_style else _parse_r1c1(text.strip(), key)
    return reference or "#REF!"


def _parse_a1(book: BookData, text: str) -> str | None:
    operand = split_operand(text)
    if operand is None:
        return None
    if operand.sheet is not None and book.sheet_by_name(operand.sheet) is None:
        return None
    if operand.ref is None:
        known = {name.name.upper() for name in book.names}
        return text if operand.name and operand.name.upper() in known else None
    return text


_R1C1 = re.compile(
    r"^(?:(?P<sheet>'(?:[^']|'')+'|[^'!]+)!)?"
    r"R(?P<r>\[-?\d+\]|\d+)?C(?P<c>\[-?\d+\]|\d+)?"
    r"(?::R(?P<r2>\[-?\d+\]|\d+)?C(?P<c2>\[-?\d+\]|\d+)?)?$",
    re.IGNORECASE,
)


def _parse_r1c1(text: str, key: CellKey) -> str | None:
    match = _R1C1.match(text)
    if match is None:
        return None
    _sheet, row, col = key
    first = (_r1c1_part(match.group("r"), row), _r1c1_part(match.group("c"), col))
    second = first
    if match.group("r2") is not None or match.group("c2") is not None:
        second = (_r1c1_part(match.group("r2"), row), _r1c1_part(match.group("c2"), col))
    rows, cols = sorted((first[0], second[0])), sorted((first[1], second[1]))
    if not (1 <= rows[0] and rows[1] <= MAX_ROW and 1 <= cols[0] and cols[1] <= MAX_COL):
        return None
    sheet = match.group("sheet")
    prefix = f"{sheet}!" if sheet else ""
    return prefix + area_text(rows[0], cols[0], rows[1], cols[1])


def _r1c1_part(text: str | None, here: int) -> int:
    if not text:
        return here
    if text.startswith("["):
        return here + int(text[1:-1])
    return int(text)


def _first_error(values: list) -> str | None:
    return next((e for v in values if (e := _error_literal(v)) is not None), None)


def _offset(book: BookData, key: CellKey, reference: str, values: list) -> str:
    if (error := _first_error(values)) is not None:
        return error
    operand = _reference_operand(book, key, reference)
    if operand is None:
        return "#VALUE!"
    ref = operand.ref
    numbers: list[int | None] = []
    for position, value in enumerate(values):
        if position >= 2 and value == "":  # an omitted height or width
            numbers.append(None)
            continue
        number = _as_number(value)
        if number is None:
            return "#VALUE!"
        numbers.append(int(number))  # Excel truncates toward zero
    if len(numbers) < 2:
        return "#VALUE!"
    numbers += [None] * (4 - len(numbers))
    rows, cols, height, width = numbers
    height = ref.max_row - ref.min_row + 1 if height is None else height
    width = ref.max_col - ref.min_col + 1 if width is None else width
    if height == 0 or width == 0:
        return "#REF!"
    top, left = ref.min_row + rows, ref.min_col + cols
    bottom, right = top + height - 1, left + width - 1
    top, bottom = sorted((top, bottom))
    left, right = sorted((left, right))
    if top < 1 or left < 1 or bottom > MAX_ROW or right > MAX_COL:
        return "#REF!"
    return operand.prefix + area_text(top, left, bottom, right)


def _index(book: BookData, key: CellKey, reference: str, values: list) -> str:
    """INDEX(reference, row, [column], [area]) as a reference: Excel's INDEX reference form."""
    if (error := _first_error(values)) is not None:
        return error
    operand = _reference_operand(book, key, reference)
    if operand is None:
        return "#VALUE!"
    numbers = []
    for value in values:
        number = _as_number(value)
        if number is None:
            return "#VALUE!"
        numbers.append(int(number))
    if not numbers:
        return "#VALUE!"
    if len(numbers) > 2 and numbers[2] != 1:
        return "#REF!"  # one area: only area 1 exists
    ref = operand.ref
    height, width = ref.max_row - ref.min_row + 1, ref.max_col - ref.min_col + 1
    row, col = (numbers + [None])[:2]
    if col is None:
        if height == 1 and width > 1:
            row, col = 1, row  # one row: the single number picks the column
        else:
            col = 1 if width == 1 else 0
    if row < 0 or col < 0 or row > height or col > width:
        return "#REF!" if row >= 0 and col >= 0 else "#VALUE!"
    top, bottom = (ref.min_row, ref.max_row) if row == 0 else (ref.min_row + row - 1,) * 2
    left, right = (ref.min_col, ref.max_col) if col == 0 else (ref.min_col + col - 1,) * 2
    return operand.prefix + area_text(top, left, bottom, right)


def _reference_operand(book: BookData, key: CellKey, text: str):
    """The reference `text` stands for: itself, or what a defined name refers to."""
    operand = split_operand(text)
    if operand is None:
        return None
    if operand.ref is None and operand.name is not None:
        scoped = [n for n in book.names if n.name.upper() == operand.name.upper()]
        local = [n for n in scoped if n.sheet_index == key[0]]
        chosen = (local or [n for n in scoped if n.sheet_index is None] or [None])[0]
        operand = split_operand(chosen.value) if chosen is not None else None
    return operand if operand is not None and operand.ref is not None else None


def _choose(args: list[str], values: list) -> str:
    """CHOOSE(index, reference1, ...) as a reference: the chosen argument, as written."""
    if (error := _error_literal(values[0])) is not None:
        return error
    number = _as_number(values[0])
    if number is None:
        return "#VALUE!"
    index = int(number)
    if not 1 <= index < len(args):
        return "#VALUE!"
    chosen = args[index]
    return chosen if split_operand(chosen) is not None else "#VALUE!"


def _as_number(value) -> float | None:
    """Excel's coercion of an OFFSET argument: numbers, booleans, empty, numeric text."""
    kind = value_type(value)
    if kind == "empty":
        return 0.0
    if kind in {"number", "bool"}:
        return float(value)
    if kind == "text":
        try:
            return float(value.strip())
        except ValueError:
            return None
    return None


def _reshape(book: BookData, site: Site, formula: str) -> str:
    """A resolved reference in a scalar position is intersected, a bare one in an array spills."""
    from .normalize import Context, normalize
    from .normalize.intersection import implicit_intersection, spill_bare_range

    sheet_index, row, col = site.key
    cell = book.sheets[sheet_index].cells[(row, col)]
    context = Context(
        book=book,
        sheet_index=sheet_index,
        row=row,
        col=col,
        is_array=cell.array_ref is not None,
        parameters=getattr(book, "_parameters", {}) or {},
    )
    if _innermost_calls(formula):
        return formula  # not finished: intersect once the last call is resolved
    return normalize(formula, context, rules=[implicit_intersection, spill_bare_range])


def _substitute(formula: str, resolved: list[tuple[Call, str]]) -> str:
    tokens = tokenize(formula)
    for call, target in sorted(resolved, key=lambda item: item[0].start, reverse=True):
        text = _join_range(call.prefix, target)
        tokens[call.start : call.stop + 1] = [Token(text, Token.OPERAND, Token.RANGE)]
    return render(tokens)


def _join_range(prefix: str, target: str) -> str:
    """`Sheet2!A1:` + `Sheet2!$A$3` -> `Sheet2!A1:A3`: the box around both ends."""
    if not prefix or target.startswith("#"):
        return target
    start = prefix[:-1]
    left, right = split_operand(start) if start else None, split_operand(target)
    if left is None or right is None or left.ref is None or right.ref is None:
        return prefix + target
    if right.sheet is not None and (left.sheet or "").lower() != right.sheet.lower():
        return prefix + target
    a, b = left.ref, right.ref  # A1:(A3:B3) is the box around both: A1:B3
    top, bottom = min(a.min_row, b.min_row), max(a.max_row, b.max_row)
    first, last = min(a.min_col, b.min_col), max(a.max_col, b.max_col)
    return left.prefix + area_text(top, first, bottom, last)


__all__ = ["has_dynamic", "resolve_dynamic_references", "quote_sheet", "significant"]
