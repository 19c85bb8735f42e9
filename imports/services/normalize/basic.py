"""Spelling rules: Excel writes these into files and HyperFormula rejects them as they come."""

from __future__ import annotations

import re

from openpyxl.formula.tokenizer import Token

from ..excel_functions import is_excel_function
from ..formulas import PREFIXES


def strip_function_prefixes(tokens: list[Token], context=None) -> list[Token]:
    """`_xlfn.XLOOKUP(` -> `XLOOKUP(`: Excel marks newer functions with a prefix in files."""
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            token.value = _strip_prefix(token.value)
        elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
            token.value = _XLPM.sub("", token.value)
    return tokens


_XLPM = re.compile(r"_xlpm\.", re.IGNORECASE)


def _strip_prefix(value: str) -> str:
    head, sep, name = value.rpartition(":")
    lowered = name.lower()
    for prefix in PREFIXES:
        if lowered.startswith(prefix):
            name = name[len(prefix) :]
            break
    return head + sep + name


def boolean_literals(tokens: list[Token], context=None) -> list[Token]:
    """Bare TRUE/FALSE -> TRUE()/FALSE(): HyperFormula reads a bare TRUE as a name."""
    result: list[Token] = []
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.LOGICAL:
            word = token.value.upper()
            result.append(Token(f"{word}(", Token.FUNC, Token.OPEN))
            result.append(Token(")", Token.FUNC, Token.CLOSE))
        else:
            result.append(token)
    return result


def exponent_case(tokens: list[Token], context=None) -> list[Token]:
    """1E+3 -> 1e+3: HyperFormula only parses a lower-case exponent."""
    for token in tokens:
        if token.type == Token.OPERAND and token.subtype == Token.NUMBER:
            token.value = token.value.lower()
    return tokens


def implicit_intersection_marker(tokens: list[Token], context=None) -> list[Token]:
    """`@A1:A5` -> `A1:A5`: Excel's explicit implicit-intersection marker.

    HyperFormula has no `@` operator; in a single-cell formula the engine's own
    range handling then applies (exact for single-cell references).
    """
    for token in tokens:
        if token.type == Token.OPERAND and token.value.startswith("@"):
            token.value = token.value[1:]
        elif token.type == Token.FUNC and token.value.startswith("@"):
            token.value = token.value[1:]
    return tokens


def unknown_functions(tokens: list[Token], context=None) -> list[Token]:
    """A name Excel does not know stays unknown: `SPLIT(` -> `XL.UNKNOWN.SPLIT(`.

    Excel answers #NAME? for it; HyperFormula has a few functions of its own (SPLIT,
    COUNTUNIQUE, ...) that would otherwise compute something.
    """
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            head, sep, name = token.value[:-1].rpartition(":")
            if name and "!" not in name and not is_excel_function(name):
                token.value = f"{head}{sep}XL.UNKNOWN.{name}("
    return tokens


def calculation_time(tokens: list[Token], context=None) -> list[Token]:
    """NOW() and TODAY() -> the moment the file was saved, the last time Excel calculated it.

    Excel stores no calculation time; the save time (docProps/core.xml, UTC) is the
    closest record of it. Cells where that does not reproduce Excel are classified
    volatile at validation, not counted as mismatches.
    """
    calc = getattr(getattr(context, "book", None), "calc", None)
    if calc is None or calc.saved_at is None:
        return tokens
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel

    epoch = CALENDAR_MAC_1904 if calc.date1904 else CALENDAR_WINDOWS_1900
    moment = calc.saved_at.replace(tzinfo=None)
    serial = to_excel(moment, epoch)
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        name = token.value[:-1].upper() if token.type == Token.FUNC else ""
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        closes = following is not None and following.type == Token.FUNC and following.value == ")"
        if token.subtype == Token.OPEN and name in {"NOW", "TODAY"} and closes:
            value = int(serial) if name == "TODAY" else serial
            result.append(Token(repr(float(value)), Token.OPERAND, Token.NUMBER))
            index += 2
            continue
        result.append(token)
        index += 1
    return result


_SPECIAL_CHARS = {'"': "CHAR(34)", "\\": "CHAR(92)"}


def string_literals(tokens: list[Token], context=None) -> list[Token]:
    """A text literal with a doubled quote -> a concatenation with CHAR(34), e.g.
    say "hi" becomes ("say "&CHAR(34)&"hi"&CHAR(34)).

    HyperFormula's lexer has no escaped quote and reads a backslash as an escape, so a
    text literal holding either is spelled as a concatenation (not inside an array
    constant, where only constants may stand).
    """
    depth = 0
    for token in tokens:
        if token.type == Token.ARRAY:
            depth += 1 if token.subtype == Token.OPEN else -1
            continue
        if depth or token.type != Token.OPERAND or token.subtype != Token.TEXT:
            continue
        inner = token.value[1:-1].replace('""', '"')
        if '"' not in inner and "\\" not in inner:
            continue
        parts, current = [], ""
        for char in inner:
            if char in _SPECIAL_CHARS:
                if current:
                    parts.append(f'"{current}"')
                    current = ""
                parts.append(_SPECIAL_CHARS[char])
            else:
                current += char
        if current:
            parts.append(f'"{current}"')
        token.value = "(" + "&".join(parts) + ")"
        token.subtype = Token.RANGE  # an expression now; no other rule reads it as text
    return tokens


_ERROR_NAME = re.compile(r"^=?(?:(?:'(?:[^']|'')+'|[^!'#]+)!)?(#[A-Z0-9/]+[!?]?)$")


def _error_literal(value: str) -> str | None:
    """The error a name stands for (`#REF!`, `Sheet1!#REF!`), which HyperFormula rejects."""
    match = _ERROR_NAME.match(value.strip())
    return match.group(1) if match else None


_ENGINE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.]*$")


def defined_names(tokens: list[Token], context=None, *, depth: int = 0) -> list[Token]:
    """A name the workbook does not define is #NAME? (as in Excel); a defined name the
    engine cannot spell (Excel allows a backslash, `HSI\\10_1`) is replaced by its value,
    and so is a name computed by a reference-returning call (a dynamic range such as
    `OFFSET($A$1,0,0,COUNTA($A:$A),1)`), which the engine resolves per cell.
    """
    if context is None or getattr(context, "book", None) is None:
        return tokens
    from ..formulas import FormulaError, tokenize
    from .references import split_operand

    tables = {table.name.lower() for table in context.book.tables}
    result: list[Token] = []
    for token in tokens:
        result.append(token)
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            continue
        operand = split_operand(token.value)
        if operand is None or operand.name is None or operand.name.lower() in tables:
            continue
        value = context.name_value(context.sheet_index, operand.sheet, operand.name)
        if value is None:
            token.value = "#NAME?"
        elif (error := _error_literal(value)) is not None:
            token.value = error
        elif _dynamic_range(value) and depth < MAX_NAME_DEPTH:
            try:
                inner = tokenize("=(" + value.lstrip("=") + ")")
            except FormulaError:
                continue
            result[-1:] = defined_names(inner, context, depth=depth + 1)
        elif not _ENGINE_NAME.match(operand.name):
            token.value = f"({value.lstrip('=')})"
    return result


MAX_NAME_DEPTH = 8
_REFERENCE_CALL = re.compile(r"\b(OFFSET|INDIRECT)\(|:\s*(INDEX|CHOOSE)\(|\)\s*:", re.IGNORECASE)


def _dynamic_range(value: str) -> bool:
    """A name whose reference is computed: OFFSET/INDIRECT, or INDEX/CHOOSE ending a range."""
    return _REFERENCE_CALL.search(value) is not None


def repeated_percent(tokens: list[Token], context=None) -> list[Token]:
    """`1000%%` -> `(1000%)%`: Excel applies each `%` in turn; HyperFormula parses one.

    The operand before the run (a value, a reference, or a bracketed or called
    expression) is wrapped once for every `%` after the first.
    """
    index = 1
    while index < len(tokens):
        if not (_is_percent(tokens[index]) and _is_percent(tokens[index - 1])):
            index += 1
            continue
        start = _operand_start(tokens, index - 2)
        if start is None:
            return tokens
        opening = Token("(", Token.PAREN, Token.OPEN)
        closing = Token(")", Token.PAREN, Token.CLOSE)
        tokens = [*tokens[:start], opening, *tokens[start:index], closing, *tokens[index:]]
        index += 3
    return tokens


def _is_percent(token: Token) -> bool:
    return token.type == Token.OP_POST and token.value == "%"


def _operand_start(tokens: list[Token], end: int) -> int | None:
    """Index of the first token of the operand that ends at `end` (before its `%` run)."""
    while end >= 0 and _is_percent(tokens[end]):
        end -= 1
    if end < 0:
        return None
    token = tokens[end]
    if token.type == Token.OPERAND:
        return end
    if token.subtype != Token.CLOSE:
        return None
    depth = 0
    for index in range(end, -1, -1):
        if tokens[index].subtype == Token.CLOSE:
            depth += 1
        elif tokens[index].subtype == Token.OPEN:
            depth -= 1
            if depth == 0:
                return index
    return None
