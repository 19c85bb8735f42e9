"""Structure over openpyxl's flat token list: matching brackets and argument spans."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.formula.tokenizer import Token

OPENERS = {(Token.FUNC, Token.OPEN), (Token.PAREN, Token.OPEN), (Token.ARRAY, Token.OPEN)}
CLOSERS = {(Token.FUNC, Token.CLOSE), (Token.PAREN, Token.CLOSE), (Token.ARRAY, Token.CLOSE)}


def is_open(token: Token) -> bool:
    return (token.type, token.subtype) in OPENERS


def is_close(token: Token) -> bool:
    return (token.type, token.subtype) in CLOSERS


def is_function(token: Token) -> bool:
    return token.type == Token.FUNC and token.subtype == Token.OPEN


def is_range(token: Token) -> bool:
    return token.type == Token.OPERAND and token.subtype == Token.RANGE


def matching_close(tokens: list[Token], start: int) -> int:
    """Index of the token closing the bracket opened at `start` (len(tokens) if none)."""
    depth = 0
    for index in range(start, len(tokens)):
        if is_open(tokens[index]):
            depth += 1
        elif is_close(tokens[index]):
            depth -= 1
            if depth == 0:
                return index
    return len(tokens)


def argument_spans(tokens: list[Token], start: int, stop: int) -> list[tuple[int, int]]:
    """The [begin, end) spans of the arguments of the call opened at `start`, closed at `stop`."""
    spans = []
    begin = start + 1
    depth = 0
    for index in range(start + 1, stop):
        token = tokens[index]
        if is_open(token):
            depth += 1
        elif is_close(token):
            depth -= 1
        elif depth == 0 and token.type == Token.SEP and token.subtype == Token.ARG:
            spans.append((begin, index))
            begin = index + 1
    if begin < stop or spans:
        spans.append((begin, stop))
    return spans


@dataclass(slots=True)
class Frame:
    """Where a token sits: the innermost function call around it and which argument."""

    function: str | None  # upper-case name, prefixes stripped; None at top level / in parens
    argument: int  # 0-based
    begin: int  # the argument's span
    end: int
    outer: list[str]  # every enclosing function name, innermost first
    calls: list[tuple[str, int]]  # every enclosing (function, argument), innermost first


def frames(tokens: list[Token]) -> list[Frame | None]:
    """For every token, its innermost enclosing function call and argument.

    Parentheses are transparent: `SUM((A1:A3))` puts A1:A3 in SUM's first argument.
    None means the top level of the formula.
    """
    from ..formulas import function_name

    result: list[Frame | None] = [None] * len(tokens)
    # Outer calls open first; inner calls, filled later, overwrite their own tokens.
    for start, token in enumerate(tokens):
        if not is_function(token):
            continue
        stop = matching_close(tokens, start)
        enclosing = result[start]
        names = [function_name(token), *(enclosing.outer if enclosing else [])]
        around = enclosing.calls if enclosing else []
        for number, (begin, end) in enumerate(argument_spans(tokens, start, stop)):
            calls = [(names[0], number), *around]
            for position in range(begin, end):
                result[position] = Frame(names[0], number, begin, end, names, calls)
    return result


def significant(tokens: list[Token], begin: int, end: int) -> list[int]:
    """Indexes of the non-whitespace tokens in [begin, end)."""
    return [i for i in range(begin, end) if tokens[i].type != Token.WSPACE]
