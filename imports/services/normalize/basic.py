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
