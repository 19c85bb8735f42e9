"""xlsx -> BookData: a formula pass and a cached-value pass over each sheet's XML.

openpyxl reads the workbook-level parts (sheets, shared strings, defined names,
external links) with defusedxml underneath. The sheet XML is streamed here with
openpyxl's (defused) iterparse rather than through openpyxl's cell reader,
because that reader drops what validation needs: a cached empty string (`t="str"`
with an empty `<v/>`), the dynamic-array flag (`cm`), linked data types (`vm`),
and it turns date-formatted serials into datetimes. Shared formulas are expanded
with openpyxl's Translator, the reference semantics.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import Element

from openpyxl.formula.translate import Translator
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, to_excel
from openpyxl.xml.functions import fromstring, iterparse

from .book import (
    BookData,
    CalcSettings,
    CellData,
    CellError,
    DataTable,
    NameData,
    Progress,
    SheetData,
)
from .parts import read_externals, read_tables

MAX_ROW = 1_048_576
MAX_COL = 16_384

_CELL = "c"
_ROW = "row"
_TRUE = {"1", "true"}
_STRICT_NS = "http://purl.oclc.org/ooxml/spreadsheetml/main"


class ReadError(Exception):
    """The workbook's content cannot be read; the message names the problem."""


class SheetPart:
    """Where one worksheet lives in the archive."""

    def __init__(self, name: str, state: str, path: str):
        self.name, self.state, self.path = name, state, path


class WorkbookFile:
    """The workbook-level parts of an open .xlsx, read once and shared by both passes."""

    def __init__(self, path: Path):
        self.path = path
        try:
            self._reader = ExcelReader(str(path), read_only=True, keep_vba=False, keep_links=True)
            self._reader.read_manifest()
            self._reader.read_workbook()
        except (KeyError, ValueError, OSError, IndexError, TypeError, AttributeError) as exc:
            raise ReadError(f"The workbook structure cannot be read: {_describe(exc)}") from exc
        self.archive: zipfile.ZipFile = self._reader.archive
        self.shared_strings: list[str] = self._read_shared_strings()
        self.wb = self._reader.wb
        self.parts = self._find_sheets()
        if not self.parts:
            raise ReadError("The workbook has no worksheets.")

    def close(self) -> None:
        self.archive.close()

    def _read_shared_strings(self) -> list[str]:
        """The shared-string table, with Excel's _xHHHH_ escapes decoded.

        openpyxl's own table only strips `x005F_`, leaving escapes such as `_x0001_`
        (control characters) in the text.
        """
        from openpyxl.cell.text import Text
        from openpyxl.xml.constants import SHARED_STRINGS

        part = self._reader.package.find(SHARED_STRINGS)
        if part is None:
            return []
        strings = []
        tag = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}si"
        try:
            with self._reader.archive.open(part.PartName[1:]) as source:
                for _event, node in iterparse(source):
                    if node.tag == tag:
                        strings.append(decode_escapes(Text.from_tree(node).content))
                        node.clear()
        except (SyntaxError, ValueError, KeyError) as exc:
            raise ReadError(f"The shared-string table cannot be read: {_describe(exc)}") from exc
        return strings

    def __enter__(self) -> WorkbookFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _find_sheets(self) -> list[SheetPart]:
        parts = []
        valid = set(self.archive.namelist())
        # localSheetId counts every sheet of workbook.xml, chartsheets included: map it
        # to the index among the worksheets we read.
        self._worksheet_index: dict[int, int] = {}
        for position, (sheet, rel) in enumerate(self._reader.parser.find_sheets()):
            if "chartsheet" in rel.Type or rel.target not in valid:
                continue
            self._worksheet_index[position] = len(parts)
            parts.append(SheetPart(sheet.name, sheet.state or "visible", rel.target))
        return parts

    def defined_names(self) -> list[NameData]:
        names = []
        for defn in self._reader.parser.defined_names.definedName:
            if defn.value is None:
                continue
            sheet_index = None
            if defn.localSheetId is not None:
                sheet_index = self._worksheet_index.get(defn.localSheetId)
                if sheet_index is None:
                    continue  # scoped to a chartsheet: no cell can refer to it
            names.append(
                NameData(
                    name=defn.name,
                    value=defn.value,
                    sheet_index=sheet_index,
                    hidden=bool(defn.hidden),
                )
            )
        return names

    def calc_settings(self) -> CalcSettings:
        return read_calc_settings(self.archive)

    def read_layout(self, part: SheetPart, sheet: SheetData) -> None:
        """Column widths and the default width, from the part before <sheetData>."""
        try:
            with self.archive.open(part.path) as source:
                for _event, element in iterparse(source, events=("start",)):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if tag == "sheetData":
                        return
                    if tag == "sheetFormatPr":
                        default = element.get("defaultColWidth")
                        base = float(element.get("baseColWidth") or 8)
                        sheet.default_column_width = float(default) if default else base + 5 / 7
                    elif tag == "col" and element.get("width"):
                        first, last = int(element.get("min", 1)), int(element.get("max", 1))
                        for col in range(first, min(last, first + 16384) + 1):
                            sheet.column_widths[col] = float(element.get("width"))
        except (SyntaxError, ValueError, zipfile.BadZipFile):
            return  # layout is cosmetic; the cell passes report real damage

    def iter_cells(
        self, part: SheetPart, sheet: SheetData | None = None
    ) -> Iterator[tuple[int, int, Element]]:
        """Stream (row, col, <c> element) of one sheet, freeing each row once read.

        Positions come from the `r` attributes; producers that omit them get the
        row from <row r> and the column by counting, as Excel does. With `sheet`,
        its hidden rows and the rows of its autoFilter (when a filter is applied)
        are recorded there too.
        """
        row = col = 0
        in_views = False  # inside <customSheetViews>, whose autoFilters are not the sheet's
        in_filter = False  # inside the sheet's <autoFilter>
        try:
            with self.archive.open(part.path) as source:
                for event, element in iterparse(source, events=("start", "end")):
                    tag = element.tag.rsplit("}", 1)[-1]
                    if event == "start":
                        if tag == _ROW:
                            row = int(element.get("r") or row + 1)
                            col = 0
                            if sheet is not None and element.get("hidden") in _TRUE:
                                sheet.hidden_rows.append(row)
                        elif tag == "customSheetViews":
                            in_views = True
                        elif tag == "autoFilter" and sheet is not None and not in_views:
                            in_filter, span = True, _row_span(element.get("ref"))
                        elif tag == "filterColumn" and in_filter:
                            sheet.filter_rows = span  # a filter is applied: rows are filtered
                        continue
                    if tag == "customSheetViews":
                        in_views = False
                    elif tag == "autoFilter":
                        in_filter = False
                    if tag == _CELL:
                        row, col = _cell_position(element.get("r"), row, col, part.name)
                        yield row, col, element
                    elif tag == _ROW:
                        element.clear()
        except zipfile.BadZipFile as exc:
            raise ReadError(f"Sheet {part.name!r} is damaged: {exc}") from exc
        except (SyntaxError, ValueError) as exc:  # ParseError is a SyntaxError
            raise ReadError(f"Sheet {part.name!r} holds invalid XML: {_describe(exc)}") from exc


def _row_span(ref: str | None) -> tuple[int, int] | None:
    """Rows (first, last) of a range reference such as "A1:D20", None if unreadable."""
    try:
        _, min_row, _, max_row = range_boundaries(ref or "")
    except (TypeError, ValueError):
        return None
    return None if min_row is None or max_row is None else (min_row, max_row)


def mark_filtered_rows(book: BookData) -> None:
    """Hidden rows inside an applied autoFilter (the sheet's or a table's) are filtered.

    An autoFilter without a <filterColumn> only shows the buttons: its hidden rows
    were hidden by hand, and SUBTOTAL(1-11) still counts them."""
    spans: dict[int, list[tuple[int, int]]] = {}
    for sheet in book.sheets:
        if sheet.filter_rows is not None:
            spans.setdefault(sheet.index, []).append(sheet.filter_rows)
    for table in book.tables:
        if table.filter_rows is not None:
            spans.setdefault(table.sheet_index, []).append(table.filter_rows)
    for sheet in book.sheets:
        sheet.hidden_rows = sorted(set(sheet.hidden_rows))
        ranges = spans.get(sheet.index, [])
        sheet.filtered_rows = [
            row for row in sheet.hidden_rows if any(a <= row <= b for a, b in ranges)
        ]


def _cell_position(ref: str | None, row: int, col: int, sheet: str) -> tuple[int, int]:
    if ref:
        match = _REF.match(ref)
        if match is None:
            raise ReadError(f"Sheet {sheet!r} has a cell with a bad reference {ref[:20]!r}.")
        row, col = int(match.group(2)), column_index_from_string(match.group(1).upper())
    else:
        row, col = max(row, 1), col + 1
    if not (1 <= row <= MAX_ROW and 1 <= col <= MAX_COL):
        raise ReadError(f"Sheet {sheet!r} has a cell outside Excel's grid ({ref}).")
    return row, col


def read_calc_settings(archive: zipfile.ZipFile) -> CalcSettings:
    """calcPr, date1904 and the writing application, parsed from the raw parts.

    openpyxl's CalcProperties fills absent attributes with its own defaults (for
    example fullCalcOnLoad=True), which would misreport what Excel wrote.
    """
    root = fromstring(archive.read("xl/workbook.xml"))
    settings = CalcSettings()
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        if tag == "workbookPr":
            settings.date1904 = _xml_bool(element.get("date1904"), False)
        elif tag == "fileVersion":
            settings.written_by_excel = element.get("appName") == "xl"
        elif tag == "calcPr":
            settings.iterate = _xml_bool(element.get("iterate"), False)
            settings.iterate_count = int(element.get("iterateCount", 100))
            settings.iterate_delta = float(element.get("iterateDelta", 0.001))
            settings.calc_mode = element.get("calcMode", "auto")
            settings.full_calc_on_load = _xml_bool(element.get("fullCalcOnLoad"), False)
            settings.calc_completed = _xml_bool(element.get("calcCompleted"), True)
            settings.calc_on_save = _xml_bool(element.get("calcOnSave"), True)
    settings.application, settings.language = _application(archive)
    settings.saved_at = _saved_at(archive)
    return settings


def _saved_at(archive: zipfile.ZipFile) -> datetime | None:
    """When the file was last saved (dcterms:modified), the moment Excel last calculated it."""
    try:
        root = fromstring(archive.read("docProps/core.xml"))
    except KeyError:
        return None
    for element in root:
        if element.tag.rsplit("}", 1)[-1] == "modified" and element.text:
            try:
                return datetime.fromisoformat(element.text.strip().replace("Z", "+00:00"))
            except ValueError:
                return None
    return None


def _application(archive: zipfile.ZipFile) -> tuple[str, str]:
    """(writing application and version, interface language) from docProps/app.xml."""
    try:
        root = fromstring(archive.read("docProps/app.xml"))
    except KeyError:
        return "", ""
    found = {el.tag.rsplit("}", 1)[-1]: (el.text or "").strip() for el in root}
    application = " ".join(
        part for part in (found.get("Application"), found.get("AppVersion")) if part
    )
    return application, _language(root)


# What Excel calls its worksheets in the HeadingPairs of docProps/app.xml, per
# interface language: the one trace of the saving Excel's locale a file keeps.
WORKSHEET_HEADINGS = {
    "worksheets": "en",
    "arbeitsblätter": "de",
    "feuilles de calcul": "fr",
    "hojas de cálculo": "es",
    "fogli di lavoro": "it",
    "planilhas": "pt",
    "werkbladen": "nl",
    "листы": "ru",
    "arkusze": "pl",
    "kalkylblad": "sv",
    "regneark": "da",
    "laskentataulukot": "fi",
    "munkalapok": "hu",
    "listy": "cs",
    "çalışma sayfaları": "tr",
    "ワークシート": "ja",
    "工作表": "zh",
    "워크시트": "ko",
}


def _language(root) -> str:
    for pairs in root:
        if pairs.tag.rsplit("}", 1)[-1] != "HeadingPairs":
            continue
        for element in pairs.iter():
            if element.tag.rsplit("}", 1)[-1] == "lpstr" and element.text:
                language = WORKSHEET_HEADINGS.get(element.text.strip().lower())
                if language:
                    return language
    return ""


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def decode_escapes(text: str) -> str:
    """Excel's `_xHHHH_` character escapes in XML text (`_x005F_` escapes the underscore)."""
    if "_x" not in text:
        return text
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


def _xml_bool(raw: str | None, default: bool) -> bool:
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true"}


def _describe(exc: BaseException) -> str:
    cause = exc.__cause__ or exc
    text = str(cause).strip().splitlines()[0] if str(cause).strip() else ""
    return f"{type(cause).__name__}: {text}" if text else type(cause).__name__


# --- the formula pass --------------------------------------------------------------


def read_formulas(path: Path, *, progress: Progress, max_cells: int | None = None) -> BookData:
    """Every cell's formula or constant, the sheets, defined names and calc settings."""
    with WorkbookFile(path) as workbook:
        book = BookData(names=workbook.defined_names(), calc=workbook.calc_settings())
        epoch = CALENDAR_MAC_1904 if book.calc.date1904 else CALENDAR_WINDOWS_1900
        total = 0
        for index, part in enumerate(workbook.parts):
            progress("read_formulas", 100 * index / len(workbook.parts), f"sheet {part.name}")
            sheet = SheetData(name=part.name, index=index, state=part.state)
            reader = _SheetFormulaReader(sheet, workbook.shared_strings, epoch)
            for row, col, element in workbook.iter_cells(part, sheet):
                reader.add(row, col, element)
                total += 1
                if max_cells and total > max_cells:
                    raise ReadError(
                        f"The workbook has more than {max_cells:,} cells, the limit of this server."
                    )
            reader.finish()
            workbook.read_layout(part, sheet)
            book.sheets.append(sheet)
        book.tables = read_tables(workbook.archive, [part.path for part in workbook.parts])
        mark_filtered_rows(book)
        book.externals = read_externals(workbook.wb._external_links)
    return book


class _SheetFormulaReader:
    """Turns <c> elements into CellData: constants typed, formulas as text."""

    def __init__(self, sheet: SheetData, strings: list[str], epoch):
        self.sheet, self.strings, self.epoch = sheet, strings, epoch
        self.shared: dict[str, Translator] = {}
        self.arrays: list[tuple[CellData, tuple[int, int, int, int]]] = []

    def add(self, row: int, col: int, element: Element) -> None:
        formula = _child(element, "f")
        if formula is not None and not formula.text and formula.get("t", "normal") == "normal":
            formula = None  # <f ca="1"/>: a spilled cell of a dynamic array, not a formula
        if formula is not None:
            cell = self._formula_cell(element, formula, row, col)
        else:
            value = _constant(element, self.strings, self.epoch)
            if value is _NOTHING:
                return
            cell = CellData(row=row, col=col, value=value)
        self.sheet.cells[(row, col)] = cell

    def finish(self) -> None:
        """Cells inside an array formula's range are its results, not constants."""
        cells = self.sheet.cells
        for anchor, (min_col, min_row, max_col, max_row) in self.arrays:
            area = (max_col - min_col + 1) * (max_row - min_row + 1)
            if area <= len(cells):
                members = (
                    cells.get((row, col))
                    for row in range(min_row, max_row + 1)
                    for col in range(min_col, max_col + 1)
                )
            else:
                members = (
                    cell
                    for (row, col), cell in cells.items()
                    if min_row <= row <= max_row and min_col <= col <= max_col
                )
            for cell in members:
                if cell is not None and cell is not anchor and cell.formula is None:
                    cell.array_anchor = (anchor.row, anchor.col)
                    cell.value = None
                    if anchor.data_table is not None:  # computed by TABLE, and says so
                        cell.functions = ("TABLE",)

    def _formula_cell(self, element: Element, formula: Element, row: int, col: int) -> CellData:
        text = "=" + (formula.text or "")
        kind = formula.get("t", "normal")
        cell = CellData(row=row, col=col)
        if kind == "shared":
            text = self._shared_formula(formula, text, row, col)
        elif kind == "array":
            cell.array_ref = formula.get("ref") or _address(row, col)
            cell.dynamic_array = element.get("cm") is not None
            self._remember_array(cell)
        elif kind == "dataTable":
            cell.array_ref = formula.get("ref") or _address(row, col)
            cell.data_table = _data_table(formula)
            text = "=TABLE({},{})".format(
                cell.data_table.row_input or "", cell.data_table.column_input or ""
            )
            self._remember_array(cell)
        cell.formula = text
        if element.get("vm") is not None:
            cell.linked_data_type = True
        return cell

    def _shared_formula(self, formula: Element, text: str, row: int, col: int) -> str:
        index = formula.get("si")
        if formula.get("ref") is not None and text != "=":
            self.shared[index] = Translator(text, _address(row, col))
            return text
        translator = self.shared.get(index)
        if translator is None:
            raise ReadError(
                f"Sheet {self.sheet.name!r} cell {_address(row, col)} uses shared formula "
                f"{index}, which is never defined."
            )
        return translator.translate_formula(_address(row, col))

    def _remember_array(self, cell: CellData) -> None:
        try:
            bounds = range_boundaries(cell.array_ref)
        except (ValueError, TypeError):
            return
        if bounds != (cell.col, cell.row, cell.col, cell.row):
            self.arrays.append((cell, bounds))


def _data_table(formula: Element) -> DataTable:
    """<f t="dataTable" dt2D= dtr= r1= r2=>: r1 is the row input cell of a two-variable
    table or of a row table (dtr), else the column input cell; r2 the column input."""
    first, second = formula.get("r1"), formula.get("r2")
    if _xml_bool(formula.get("del1"), False):
        first = "#REF!"
    if _xml_bool(formula.get("del2"), False):
        second = "#REF!"
    if _xml_bool(formula.get("dt2D"), False):
        return DataTable(row_input=first, column_input=second)
    if _xml_bool(formula.get("dtr"), False):
        return DataTable(row_input=first, column_input=None)
    return DataTable(row_input=None, column_input=first)


_NOTHING = object()


def _constant(element: Element, strings: list[str], epoch):
    """The typed value of a constant cell, or _NOTHING for a styled empty cell."""
    kind = element.get("t", "n")
    if kind == "inlineStr":
        inline = _child(element, "is")
        return _inline_text(inline) if inline is not None else _NOTHING
    raw = _child_text(element, "v")
    if raw is None:
        return _NOTHING
    return _typed(kind, raw, strings, epoch)


def _typed(kind: str, raw: str, strings: list[str], epoch):
    if kind == "s":
        try:
            return strings[int(raw)]
        except (IndexError, ValueError) as exc:
            raise ReadError(
                f"A cell points at shared string {raw!r}, which does not exist."
            ) from exc
    if kind == "b":
        return raw.strip() in {"1", "true", "TRUE"}
    if kind == "e":
        return CellError(raw.strip())
    if kind in {"str", "inlineStr"}:
        return decode_escapes(raw)
    if kind == "d":
        return _iso_to_serial(raw, epoch)
    try:
        number = float(raw)
    except ValueError as exc:
        raise ReadError(f"A numeric cell holds {raw[:30]!r}, which is not a number.") from exc
    return int(number) if number.is_integer() and abs(number) < 2**53 else number


def _iso_to_serial(raw: str, epoch) -> float:
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    except ValueError as exc:
        raise ReadError(f"A date cell holds {text[:30]!r}, which is not an ISO date.") from exc
    return to_excel(value, epoch)


def _inline_text(node: Element) -> str:
    return decode_escapes(
        "".join(t.text or "" for t in node.iter() if t.tag.rsplit("}", 1)[-1] == "t")
    )


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if child.tag.rsplit("}", 1)[-1] == name:
            return child
    return None


def _child_text(element: Element, name: str) -> str | None:
    child = _child(element, name)
    if child is None:
        return None
    return child.text or ""


def _address(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


# --- the cached-value pass -------------------------------------------------------------


def read_values(path: Path, book: BookData, *, progress: Progress) -> None:
    """Attach Excel's cached value to every formula cell and array result cell."""
    with WorkbookFile(path) as workbook:
        epoch = CALENDAR_MAC_1904 if book.calc.date1904 else CALENDAR_WINDOWS_1900
        for index, part in enumerate(workbook.parts):
            progress("read_values", 100 * index / len(workbook.parts), f"sheet {part.name}")
            sheet = book.sheets[index]
            for row, col, element in workbook.iter_cells(part):
                cell = sheet.cells.get((row, col))
                if cell is None or (cell.formula is None and cell.array_anchor is None):
                    continue
                _attach_cached(cell, element, workbook.shared_strings, epoch)


_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?(\d+)$")


def _attach_cached(cell: CellData, element: Element, strings: list[str], epoch) -> None:
    kind = element.get("t", "n")
    if kind == "inlineStr":
        inline = _child(element, "is")
        if inline is not None:
            cell.cached, cell.has_cached = _inline_text(inline), True
        return
    raw = _child_text(element, "v")
    if raw is None:
        return
    if raw == "" and kind not in {"str", "s"}:
        return  # an empty <v/> on a number cell carries no value
    cell.cached = _typed(kind, raw, strings, epoch)
    cell.has_cached = True
