"""LET and LAMBDA, which HyperFormula lacks, inlined into plain formulas.

- `LET(x, 1, y, x+1, x*y)` -> `((1))*(((1)+1))`: each name replaced by its value.
- `LAMBDA(x, y, x*y)(2, 3)` and a defined name holding a LAMBDA (`=Area(2, 3)`)
  -> the body with each parameter replaced by its argument; `ISOMITTED(p)` becomes
  TRUE() or FALSE() by whether the call gave p.
- `BYROW`, `BYCOL`, `MAP`, `REDUCE`, `SCAN`, `MAKEARRAY` over references of known
  size -> the lambda applied element by element, assembled with HSTACK/VSTACK.

Values are substituted in parentheses, so precedence is kept. Excel evaluates a
LET value once; substituting repeats the computation but not its result, except
for volatile functions, whose cells are classified volatile anyway.
"""

from __future__ import annotations

import re

from openpyxl.formula.tokenizer import Token

from ..formulas import function_name, render, tokenize
from . import Context
from .references import area_text, split_operand
from .tokens import argument_spans, is_close, is_function, is_open, matching_close

MAX_EXPANSION = 4096  # cells an array helper may expand to
MAX_ROUNDS = 32


class NotInlinable(Exception):
    pass


def inline_lambdas(tokens: list[Token], context: Context) -> list[Token]:
    """Repeat until no LET, LAMBDA or lambda helper is left (or nothing more can be done)."""
    for _ in range(MAX_ROUNDS):
        changed = _one_round(tokens, context)
        if changed is None:
            return tokens
        tokens = changed
    return tokens


def _one_round(tokens: list[Token], context: Context) -> list[Token] | None:
    for index, token in enumerate(tokens):
        if not is_function(token):
            continue
        name = function_name(token)
        stop = matching_close(tokens, index)
        try:
            if name == "LET":
                return _splice(tokens, index, stop, _let(tokens, index, stop))
            if name == "LAMBDA" and _called(tokens, stop):
                call_stop = matching_close(tokens, stop + 1)
                body = _apply(
                    _lambda_parts(tokens, index, stop), _args(tokens, stop + 1, call_stop)
                )
                return _splice(tokens, index, call_stop, body)
            if name in HELPERS:
                return _splice(tokens, index, stop, HELPERS[name](tokens, index, stop, context))
            lam = _named_lambda(name, context)
            if lam is not None:
                return _splice(tokens, index, stop, _apply(lam, _args(tokens, index, stop)))
        except NotInlinable:
            continue
    return None


def _splice(tokens, start, stop, text: str) -> list[Token]:
    return tokens[:start] + tokenize("=(" + text + ")") + tokens[stop + 1 :]


def _texts(tokens, start, stop) -> list[str]:
    return [render(tokens[b:e])[1:].strip() for b, e in argument_spans(tokens, start, stop)]


def _args(tokens, start, stop) -> list[str]:
    """Arguments of a call; after an immediate call's '(' the commas are union operators."""
    if tokens[start].type != Token.PAREN:
        return _texts(tokens, start, stop)
    parts, current, depth = [], [], 0
    for token in tokens[start + 1 : stop]:
        if is_open(token):
            depth += 1
        elif is_close(token):
            depth -= 1
        if depth == 0 and token.value == "," and token.type in {Token.SEP, Token.OP_IN}:
            parts.append(current)
            current = []
            continue
        current.append(token)
    parts.append(current)
    return [render(part)[1:].strip() for part in parts]


def _called(tokens, stop) -> bool:
    following = tokens[stop + 1] if stop + 1 < len(tokens) else None
    return (
        following is not None and following.type == Token.PAREN and following.subtype == Token.OPEN
    )


def _let(tokens, start, stop) -> str:
    parts = _texts(tokens, start, stop)
    if len(parts) < 3 or len(parts) % 2 == 0:
        raise NotInlinable("LET needs name/value pairs and a calculation")
    bindings: dict[str, str] = {}
    for position in range(0, len(parts) - 1, 2):
        name = parts[position].upper()
        bindings[name] = _substitute(parts[position + 1], bindings)
    return _substitute(parts[-1], bindings)


def _lambda_parts(tokens, start, stop) -> tuple[list[str], str]:
    """(parameters, body). Excel writes an optional parameter [b] as `_xlop.b` in the
    list, and uses it as `_xlpm.b` in the body."""
    parts = _texts(tokens, start, stop)
    params = [re.sub(r"(?i)^_xlop\.", "_xlpm.", p.strip()) for p in parts[:-1]]
    return params, parts[-1]


def _apply(lam: tuple[list[str], str], args: list[str]) -> str:
    params, body = lam
    if len(args) > len(params):
        return "#VALUE!"
    bindings = {}
    omitted = set()
    for position, param in enumerate(params):
        value = args[position] if position < len(args) else ""
        if value == "":
            omitted.add(param.upper())
        bindings[param.upper()] = value if value != "" else "0"
    body = _omitted(body, omitted, set(bindings))
    return _substitute(body, bindings)


def _omitted(body: str, omitted: set[str], params: set[str]) -> str:
    """ISOMITTED(p) -> TRUE()/FALSE() for the lambda's own parameters."""
    tokens = tokenize("=" + body)
    out: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if is_function(token) and function_name(token) == "ISOMITTED":
            stop = matching_close(tokens, index)
            inner = render(tokens[index + 1 : stop])[1:].strip().upper()
            if inner in params:
                out.extend(tokenize("=" + ("TRUE()" if inner in omitted else "FALSE()")))
                index = stop + 1
                continue
        out.append(token)
        index += 1
    return render(out)[1:]


def _substitute(text: str, bindings: dict[str, str]) -> str:
    """Replace name operands (not text, not function names) by their values in parentheses."""
    tokens = tokenize("=" + text)
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.RANGE:
            value = bindings.get(token.value.strip().upper())
            if value is not None:
                token.value = f"({value})"
        elif is_function(token):
            value = bindings.get(token.value[:-1].strip().upper())
            if value is not None:  # a LET name bound to a LAMBDA, called: name(args)
                token.value = f"{value}("
    return render(tokens)[1:]


def _named_lambda(name: str, context: Context) -> tuple[list[str], str] | None:
    value = context.name_value(context.sheet_index, None, name)
    if not value:
        return None
    tokens = tokenize("=" + value.strip())
    stripped = [t for t in tokens if t.type != Token.WSPACE]
    if not stripped or not is_function(stripped[0]) or function_name(stripped[0]) != "LAMBDA":
        return None
    start = tokens.index(stripped[0])
    stop = matching_close(tokens, start)
    if stop != len(tokens) - 1:
        return None
    return _lambda_parts(tokens, start, stop)


# --- lambda helpers over arrays of known size -------------------------------------------


def _lambda_arg(text: str, context: Context) -> tuple[list[str], str]:
    tokens = tokenize("=" + text)
    stripped = [t for t in tokens if t.type != Token.WSPACE]
    if stripped and is_function(stripped[0]) and function_name(stripped[0]) == "LAMBDA":
        start = tokens.index(stripped[0])
        return _lambda_parts(tokens, start, matching_close(tokens, start))
    if len(stripped) == 1 and stripped[0].subtype == Token.RANGE:
        named = _named_lambda(stripped[0].value, context)
        if named is not None:
            return named
    raise NotInlinable("not a LAMBDA")


def _grid(text: str) -> list[list[str]]:
    """The cells of a static reference as reference texts, row by row."""
    operand = split_operand(text.strip())
    if operand is None or operand.ref is None:
        raise NotInlinable("not a static reference")
    ref = operand.ref
    if ref.size > MAX_EXPANSION:
        raise NotInlinable("too large to expand")
    return [
        [
            operand.prefix + area_text(row, col, row, col)
            for col in range(ref.min_col, ref.max_col + 1)
        ]
        for row in range(ref.min_row, ref.max_row + 1)
    ]


def _stack(rows: list[list[str]]) -> str:
    body = ",".join("HSTACK(" + ",".join(row) + ")" for row in rows)
    return f"VSTACK({body})"


def _byrow(tokens, start, stop, context) -> str:
    array, lam = _texts(tokens, start, stop)
    grid, fn = _grid(array), _lambda_arg(lam, context)
    return _stack([[_apply(fn, [_row_ref(array, r)])] for r in range(len(grid))])


def _bycol(tokens, start, stop, context) -> str:
    array, lam = _texts(tokens, start, stop)
    grid, fn = _grid(array), _lambda_arg(lam, context)
    return _stack([[_apply(fn, [_col_ref(array, c)]) for c in range(len(grid[0]))]])


def _row_ref(text: str, offset: int) -> str:
    operand = split_operand(text.strip())
    ref = operand.ref
    row = ref.min_row + offset
    return operand.prefix + area_text(row, ref.min_col, row, ref.max_col)


def _col_ref(text: str, offset: int) -> str:
    operand = split_operand(text.strip())
    ref = operand.ref
    col = ref.min_col + offset
    return operand.prefix + area_text(ref.min_row, col, ref.max_row, col)


def _map(tokens, start, stop, context) -> str:
    parts = _texts(tokens, start, stop)
    grids, fn = [_grid(p) for p in parts[:-1]], _lambda_arg(parts[-1], context)
    shape = (len(grids[0]), len(grids[0][0]))
    if any((len(g), len(g[0])) != shape for g in grids):
        raise NotInlinable("MAP arrays of different sizes")
    return _stack(
        [[_apply(fn, [g[r][c] for g in grids]) for c in range(shape[1])] for r in range(shape[0])]
    )


def _reduce(tokens, start, stop, context) -> str:
    initial, array, lam = _texts(tokens, start, stop)
    fn = _lambda_arg(lam, context)
    accumulator = initial or "0"
    for row in _grid(array):
        for cell in row:
            accumulator = _apply(fn, [accumulator, cell])
    return accumulator


def _scan(tokens, start, stop, context) -> str:
    initial, array, lam = _texts(tokens, start, stop)
    fn, grid = _lambda_arg(lam, context), _grid(array)
    accumulator, rows = initial or "0", []
    for row in grid:
        out = []
        for cell in row:
            accumulator = _apply(fn, [accumulator, cell])
            out.append(accumulator)
        rows.append(out)
    return _stack(rows)


def _makearray(tokens, start, stop, context) -> str:
    rows_text, cols_text, lam = _texts(tokens, start, stop)
    try:
        rows, cols = int(float(rows_text)), int(float(cols_text))
    except ValueError as exc:
        raise NotInlinable("MAKEARRAY size is not a constant") from exc
    if rows < 1 or cols < 1 or rows * cols > MAX_EXPANSION:
        raise NotInlinable("MAKEARRAY size out of range")
    fn = _lambda_arg(lam, context)
    return _stack(
        [[_apply(fn, [str(r), str(c)]) for c in range(1, cols + 1)] for r in range(1, rows + 1)]
    )


HELPERS = {
    "BYROW": _byrow,
    "BYCOL": _bycol,
    "MAP": _map,
    "REDUCE": _reduce,
    "SCAN": _scan,
    "MAKEARRAY": _makearray,
}
