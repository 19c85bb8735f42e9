"""Structured references (Table1[Amount], [@Price], Table1[[#This Row],[Qty]]) -> A1 ranges.

Resolved from the workbook's own table definitions: a column is its data rows
(between the header and the totals row), #All the whole table, #Headers and
#Totals their rows, #This Row / @ the formula's own row. An unqualified [Col]
belongs to the table the formula sits in. A reference the tables cannot resolve
(unknown table or column, a missing totals row) becomes #REF!, as in Excel.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.formula.tokenizer import Token

from ..book import TableData
from . import Context
from .references import area_text, quote_sheet

_STRUCTURED = re.compile(r"^(?P<at>@?)(?P<table>[A-Za-z_\\][\w.\\]*)?\[(?P<body>.*)\]$", re.S)
SPECIFIERS = {"#ALL", "#DATA", "#HEADERS", "#TOTALS", "#THIS ROW"}


@dataclass
class Selection:
    specifiers: set[str] = field(default_factory=set)
    columns: tuple[str, str] | None = None


def structured_references(tokens: list[Token], context: Context) -> list[Token]:
    if context.book is None or not context.book.tables:
        return tokens
    for token in tokens:
        if token.type != Token.OPERAND or token.subtype != Token.RANGE:
            continue
        if "[" in token.value:
            resolved = resolve(token.value, context)
        else:
            resolved = _bare_table(token.value, context)
        if resolved is not None:
            token.value = resolved
    return tokens


def _bare_table(text: str, context: Context) -> str | None:
    """A table's name alone stands for its data rows."""
    table = _table_named(text, context)
    return None if table is None else resolve(f"{text}[#Data]", context)


def resolve(text: str, context: Context) -> str | None:
    match = _STRUCTURED.match(text)
    if match is None:
        return None
    name = match.group("table")
    table = _table_named(name, context) if name else _table_around(context)
    if table is None:
        return "#REF!" if name else None
    try:
        selection = parse_body(match.group("body"))
    except ValueError:
        return None
    rows = _rows(table, selection.specifiers, context)
    columns = _columns(table, selection.columns)
    if rows is None or columns is None:
        return "#REF!" if rows is None or columns is None else None
    sheet = context.book.sheets[table.sheet_index].name
    return quote_sheet(sheet) + area_text(rows[0], columns[0], rows[1], columns[1])


def parse_body(body: str) -> Selection:
    """The inside of the outer brackets: `Col`, `#All`, `@Col`, `[#This Row],[A]:[B]`."""
    body = body.strip()
    selection = Selection()
    if body.startswith("@"):
        selection.specifiers.add("#THIS ROW")
        body = body[1:].strip()
        if not body:
            return selection
    if not body.startswith("["):
        _add_item(selection, _unescape(body), None)
        return selection
    items = _bracketed_items(body)
    for position, (item, joined_to_previous) in enumerate(items):
        _add_item(selection, item, items[position - 1][0] if joined_to_previous else None)
    return selection


def _add_item(selection: Selection, item: str, range_start: str | None) -> None:
    upper = " ".join(item.upper().split())
    if upper in SPECIFIERS:
        selection.specifiers.add(upper)
    elif range_start is not None:
        selection.columns = (range_start, item)
    elif item:
        selection.columns = (item, item)


def _bracketed_items(body: str) -> list[tuple[str, bool]]:
    """`[a],[b]:[c]` -> [("a", False), ("b", False), ("c", True)] (True: joined by ':')."""
    items: list[tuple[str, bool]] = []
    index, joined = 0, False
    while index < len(body):
        char = body[index]
        if char in " ,":
            index += 1
            continue
        if char == ":":
            joined = True
            index += 1
            continue
        if char != "[":
            raise ValueError(body)
        end, text = _read_item(body, index + 1)
        items.append((text, joined))
        joined = False
        index = end + 1
    return items


def _read_item(body: str, index: int) -> tuple[int, str]:
    out = []
    while index < len(body):
        char = body[index]
        if char == "'" and index + 1 < len(body):
            out.append(body[index + 1])
            index += 2
            continue
        if char == "]":
            return index, "".join(out)
        out.append(char)
        index += 1
    raise ValueError(body)


def _unescape(text: str) -> str:
    return re.sub(r"'(.)", r"\1", text)


def _table_named(name: str, context: Context) -> TableData | None:
    lowered = name.lower()
    return next((t for t in context.book.tables if t.name.lower() == lowered), None)


def _table_around(context: Context) -> TableData | None:
    for table in context.book.tables:
        if (
            table.sheet_index == context.sheet_index
            and table.min_row <= context.row <= table.max_row
            and table.min_col <= context.col <= table.max_col
        ):
            return table
    return None


def _rows(table: TableData, specifiers: set[str], context: Context) -> tuple[int, int] | None:
    first_data = table.min_row + table.header_rows
    last_data = table.max_row - table.totals_rows
    if "#THIS ROW" in specifiers:
        return (context.row, context.row) if first_data <= context.row <= last_data else None
    if "#ALL" in specifiers:
        return table.min_row, table.max_row
    spans = []
    if "#HEADERS" in specifiers:
        if not table.header_rows:
            return None
        spans.append((table.min_row, first_data - 1))
    if "#DATA" in specifiers or not specifiers:
        spans.append((first_data, last_data))
    if "#TOTALS" in specifiers:
        if not table.totals_rows:
            return None
        spans.append((last_data + 1, table.max_row))
    return min(s[0] for s in spans), max(s[1] for s in spans)


def _columns(table: TableData, columns: tuple[str, str] | None) -> tuple[int, int] | None:
    if columns is None:
        return table.min_col, table.max_col
    lowered = [name.lower() for name in table.columns]
    try:
        first, last = (lowered.index(name.lower()) for name in columns)
    except ValueError:
        return None
    return table.min_col + min(first, last), table.min_col + max(first, last)
