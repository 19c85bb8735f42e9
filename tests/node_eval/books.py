"""Small in-memory workbooks for the engine tests."""

from __future__ import annotations

from typing import Any

from openpyxl.utils.cell import coordinate_to_tuple

from imports.services.book import BookData, CalcSettings, CellData, NameData, SheetData


class Text(str):
    """A text constant, even when it starts with '=' (plain strings that do are formulas)."""

    __slots__ = ()


def make_book(
    sheets: dict[str, dict[str, Any]],
    *,
    names: list[NameData] | None = None,
    date1904: bool = False,
) -> BookData:
    """A BookData from {"Sheet": {"A1": 5, "B1": "=A1*2", "C1": Text("=x")}}."""
    book = BookData(names=names or [], calc=CalcSettings(date1904=date1904))
    for index, (name, cells) in enumerate(sheets.items()):
        sheet = SheetData(name=name, index=index)
        for coordinate, content in cells.items():
            row, col = coordinate_to_tuple(coordinate)
            sheet.cells[(row, col)] = make_cell(row, col, content)
        book.sheets.append(sheet)
    return book


def make_cell(row: int, col: int, content: Any) -> CellData:
    """A formula cell for a str starting with '=' (not Text), a CellData as is, else a constant."""
    if isinstance(content, CellData):
        return content
    if isinstance(content, str) and not isinstance(content, Text) and content.startswith("="):
        return CellData(row=row, col=col, formula=content)
    return CellData(row=row, col=col, value=str(content) if isinstance(content, Text) else content)


def first_column_values(book: BookData, count: int) -> list[Any]:
    """Evaluate `book` with the real engine; the values (or failure reasons) of the first
    sheet's A1:A{count}, in order."""
    from node_eval.client import HyperFormulaEvaluator

    with HyperFormulaEvaluator() as evaluator:
        result = evaluator.evaluate(book, progress=lambda *call: None)
    return [
        result.values.get((0, row, 1), result.failures.get((0, row, 1)))
        for row in range(1, count + 1)
    ]
