"""External references ([1]Sheet1!A1, [1]!Name) -> the file's own cache of the other workbook.

Excel, with the source closed, computes from the values it cached in
xl/externalLinks; the engine gets those as extra, read-only sheets named
`[n]Sheet`, so `[1]Sheet1!$A$1` becomes `'[1]Sheet1'!$A$1`. Never filled from
the referencing cell's own cached value.
"""

from __future__ import annotations

import re

from openpyxl.formula.tokenizer import Token

from . import Context
from .references import quote_sheet

_EXTERNAL = re.compile(
    r"^(?P<at>@?)\[(?P<book>\d+)\](?:(?P<sheet>'(?:[^']|'')+'|[^!']+))?!(?P<rest>.*)$"
)


_AREA = re.compile(
    r"^\$?[A-Za-z]{1,3}\$?\d+(:\$?[A-Za-z]{1,3}\$?\d+)?$|^\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}$|^\$?\d+:\$?\d+$"
)


def external_sheet_name(number: int, sheet: str) -> str:
    """The engine's name for a cached sheet of external workbook `number`."""
    return f"[{number}]{sheet}"


def external_references(tokens: list[Token], context: Context) -> list[Token]:
    if context.book is None:
        return tokens
    for token in tokens:
        if (
            token.type == Token.OPERAND
            and token.subtype == Token.RANGE
            and token.value.lstrip("@").startswith("[")
        ):
            resolved = resolve(token.value, context)
            if resolved is not None:
                token.value = resolved
    return tokens


def resolve(text: str, context: Context) -> str | None:
    match = _EXTERNAL.match(text)
    if match is None:
        return None
    number = int(match.group("book"))
    if number == 0:  # [0] is the workbook itself
        sheet, rest = match.group("sheet"), match.group("rest")
        return f"{sheet}!{rest}" if sheet else rest
    books = {book.number: book for book in context.book.externals}
    book = books.get(number)
    if book is None or not book.sheet_names:
        return None  # no cache of that workbook in the file: the parse stage says so
    sheet, rest = match.group("sheet"), match.group("rest")
    if sheet is not None and not _AREA.match(rest):  # [1]Sheet!Name: a sheet-level name
        sheet = None
    if sheet is None:  # [1]!Name: a name defined in the other workbook
        target = book.names.get(rest.upper())
        if target is None:
            return "#REF!"
        inner = re.match(r"^(?P<sheet>'(?:[^']|'')+'|[^!']+)!(?P<rest>.*)$", target.lstrip("="))
        if inner is None:
            return "#REF!"
        sheet, rest = inner.group("sheet"), inner.group("rest")
    if sheet.startswith("'"):
        sheet = sheet[1:-1].replace("''", "'")
    if sheet.lower() not in {name.lower() for name in book.sheet_names}:
        return "#REF!"
    return quote_sheet(external_sheet_name(number, sheet)) + rest
