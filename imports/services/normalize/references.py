"""Reading and writing one reference operand: sheet prefix, area, or name."""

from __future__ import annotations

from dataclasses import dataclass

from openpyxl.utils.cell import column_index_from_string, get_column_letter

from ..formulas import _REFERENCE, MAX_COL, MAX_ROW, Ref, _area, _sheet_name


@dataclass(slots=True)
class Operand:
    prefix: str  # "Sheet1!", "'My Sheet'!" or "" (as written)
    sheet: str | None
    ref: Ref | None  # None for a name
    name: str | None = None


def split_operand(text: str) -> Operand | None:
    """A reference operand as written, or None when it is not a plain reference or name."""
    match = _REFERENCE.match(text)
    if match is None or match.group("book") or match.group("q2") or match.group("p2"):
        return None
    prefix = text[: text.index("!") + 1] if match.group("sheetpart") else ""
    prefix = prefix.lstrip("@")
    sheet = _sheet_name(match)
    if match.group("area"):
        return Operand(prefix, sheet, _area(match, sheet))
    if match.group("cols"):
        first = column_index_from_string(match.group("cc1").upper())
        last = column_index_from_string(match.group("cc2").upper())
        return Operand(prefix, sheet, Ref(sheet, 1, min(first, last), MAX_ROW, max(first, last)))
    if match.group("rows"):
        first, last = int(match.group("rr1")), int(match.group("rr2"))
        return Operand(prefix, sheet, Ref(sheet, min(first, last), 1, max(first, last), MAX_COL))
    return Operand(prefix, sheet, None, name=match.group("name"))


def cell_text(row: int, col: int) -> str:
    return f"${get_column_letter(col)}${row}"


def area_text(min_row: int, min_col: int, max_row: int, max_col: int) -> str:
    if (min_row, min_col) == (max_row, max_col):
        return cell_text(min_row, min_col)
    return f"{cell_text(min_row, min_col)}:{cell_text(max_row, max_col)}"


def quote_sheet(name: str) -> str:
    """A sheet name as a formula prefix: quoted unless it is a plain word."""
    if name and all(ch.isalnum() or ch in "._" for ch in name) and not name[0].isdigit():
        return f"{name}!"
    return "'" + name.replace("'", "''") + "'!"
