"""Workbook parts beyond the cells: table definitions and external-link caches.

Tables (xl/tables/tableN.xml, linked from each sheet's relationships) are what
structured references such as Table1[Amount] resolve against. External links
(xl/externalLinks/externalLinkN.xml) hold the values Excel cached from other
workbooks; formulas like [1]Sheet1!A1 read them, as Excel does while the source
is closed.
"""

from __future__ import annotations

import posixpath
import zipfile

from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.utils.cell import range_boundaries
from openpyxl.worksheet.table import Table
from openpyxl.xml.functions import fromstring

from .book import CellError, ExternalBook, TableData


def read_tables(archive: zipfile.ZipFile, sheet_paths: list[str]) -> list[TableData]:
    """Every table of every sheet, with its columns; unreadable table parts are skipped."""
    names = set(archive.namelist())
    tables = []
    for index, path in enumerate(sheet_paths):
        rels_path = get_rels_path(path)
        if rels_path not in names:
            continue
        for rel in get_dependents(archive, rels_path).find(Table._rel_type):
            target = rel.target.lstrip("/")
            if target not in names:
                continue
            table = _table(archive.read(target), index)
            if table is not None:
                tables.append(table)
    return tables


def _resolve(source: str, target: str) -> str:
    if target.startswith("/"):
        return target[1:]
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _table(xml: bytes, sheet_index: int) -> TableData | None:
    try:
        table = Table.from_tree(fromstring(xml))
        min_col, min_row, max_col, max_row = range_boundaries(table.ref)
    except (TypeError, ValueError, AttributeError):
        return None
    return TableData(
        name=table.displayName or table.name,
        sheet_index=sheet_index,
        min_row=min_row,
        min_col=min_col,
        max_row=max_row,
        max_col=max_col,
        columns=[column.name for column in table.tableColumns],
        header_rows=1 if table.headerRowCount is None else int(table.headerRowCount),
        totals_rows=int(table.totalsRowCount or 0),
        filter_rows=_filter_rows(table),
    )


def _filter_rows(table: Table) -> tuple[int, int] | None:
    """Rows (first, last) of the table's autoFilter, None unless a filter is applied
    (an autoFilter without filterColumn only shows the buttons)."""
    auto = table.autoFilter
    ref = auto.ref if auto is not None and auto.filterColumn else None
    try:
        _, min_row, _, max_row = range_boundaries(ref) if ref else (0, None, 0, None)
    except (TypeError, ValueError):
        return None
    return None if min_row is None else (min_row, max_row)


def read_externals(links: list) -> list[ExternalBook]:
    """openpyxl's ExternalLink objects -> ExternalBook caches, numbered as in formulas."""
    books = []
    for number, link in enumerate(links, start=1):
        source = link.externalBook
        if source is None:
            books.append(ExternalBook(number=number))
            continue
        book = ExternalBook(
            number=number, target=getattr(link, "file_link", None) and link.file_link.Target or ""
        )
        book.sheet_names = list(source.sheetNames.sheetName) if source.sheetNames else []
        if source.sheetDataSet is not None:
            for data in source.sheetDataSet.sheetData:
                for row in data.row:
                    for cell in row.cell:
                        value = _external_value(cell)
                        if value is not None:
                            min_col, min_row, _, _ = range_boundaries(cell.r)
                            book.cells[(int(data.sheetId), min_row, min_col)] = value
        for name in source.definedNames or []:
            if name.refersTo:
                book.names[name.name.upper()] = name.refersTo.lstrip("=")
        books.append(book)
    return books


def _external_value(cell):
    raw = cell.v
    if raw is None:
        return None
    kind = cell.t or "n"
    if kind == "e":
        return CellError(raw)
    if kind == "b":
        return raw.strip() in {"1", "true", "TRUE"}
    if kind in {"str", "s", "inlineStr"}:
        return raw
    try:
        number = float(raw)
    except ValueError:
        return raw
    return int(number) if number.is_integer() and abs(number) < 2**53 else number
