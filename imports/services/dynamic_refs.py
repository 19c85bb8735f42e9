"""INDIRECT and OFFSET: references computed from values, made static with the engine's help.

HyperFormula has no INDIRECT and an OFFSET that only takes constants. Both are
references whose target depends on values, so they are resolved with the engine
itself: the arguments are computed by the engine in the cell's context, the call
is replaced by the reference it yields (`INDIRECT("A"&ROW())` in A9 -> `$A$9`),
the cell gets the rewritten formula, and everything recalculates. Arguments may
depend on other dynamic cells, so the rewrite repeats until nothing changes.
Every value still comes from the engine; the rewrite only decides where to read.
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
MAX_PASSES = 12
MAX_LEVELS = 8


@dataclass
class Call:
    start: int
    stop: int
    name: str
    args: list[str]  # argument texts (no '=')


@dataclass(eq=False)
class Site:
    """A formula cell with dynamic references: its template and where it sits."""

    key: CellKey
    template: str
    current: str | None = None
    failure: Failure | None = None


def has_dynamic(formula: str) -> bool:
    upper = formula.upper()
    return "INDIRECT(" in upper or "OFFSET(" in upper


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
        if not is_function(token) or function_name(token) not in DYNAMIC:
            continue
        stop = matching_close(tokens, index)
        inner = tokens[index + 1 : stop]
        if any(is_function(t) and function_name(t) in DYNAMIC for t in inner):
            continue
        spans = argument_spans(tokens, index, stop)
        args = ["".join(t.value for t in tokens[b:e]).strip() for b, e in spans]
        calls.append(Call(index, stop, function_name(token), args))
    return calls


def _evaluated_args(call: Call) -> list[str]:
    """The arguments the engine must compute: all of INDIRECT's; OFFSET's but the reference."""
    if call.name == "OFFSET":  # an empty height or width means "as the reference"
        return [arg or ("0" if n < 2 else '""') for n, arg in enumerate(call.args[1:])]
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


def _offset(book: BookData, key: CellKey, reference: str, values: list) -> str:
    for value in values:
        if (error := _error_literal(value)) is not None:
            return error
    operand = split_operand(reference)
    if operand is None or operand.ref is None:
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
        tokens[call.start : call.stop + 1] = [Token(target, Token.OPERAND, Token.RANGE)]
    return render(tokens)


__all__ = ["has_dynamic", "resolve_dynamic_references", "quote_sheet", "significant"]
