"""Plain data that flows through the import pipeline: no Django, no I/O.

A workbook is read into a BookData (sheets, cells, names, calculation settings),
the engine answers with an EvaluationResult, and the store writes both. Values
are plain Python, typed by `value_type()`: float/int (number), str (text),
bool, CellError (an Excel error code), None (empty).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Progress = Callable[[str, float, str], None]


class CellError(str):
    """An Excel error value such as '#DIV/0!'; a str subclass so it serialises as its code."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"CellError({str(self)!r})"


# The error codes Excel itself writes into a file.
EXCEL_ERRORS = frozenset(
    {
        "#NULL!",
        "#DIV/0!",
        "#VALUE!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#N/A",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)


class ValueType:
    """The five value types, as stored in the database."""

    NUMBER = "number"
    TEXT = "text"
    BOOL = "bool"
    ERROR = "error"
    EMPTY = "empty"


def value_type(value: Any) -> str:
    """Classify a plain value into one of the ValueType names."""
    if value is None:
        return ValueType.EMPTY
    if isinstance(value, bool):
        return ValueType.BOOL
    if isinstance(value, CellError):
        return ValueType.ERROR
    if isinstance(value, int | float):
        return ValueType.NUMBER
    return ValueType.TEXT


class Reason:
    """Why a formula cell has no calculated value, or why its comparison is not trusted."""

    UNSUPPORTED_FUNCTION = "unsupported_function"
    ENGINE_DIFFERENCE = "engine_difference"
    VOLATILE = "volatile"
    EXTERNAL_LINK = "external_link"
    LINKED_DATA_TYPE = "linked_data_type"
    CACHE_UNTRUSTED = "cache_untrusted"
    CIRCULAR = "circular"
    CIRCULAR_NOT_CONVERGED = "circular_not_converged"
    PARSE_ERROR = "parse_error"
    ENGINE_ERROR = "engine_error"
    TIMEOUT = "timeout"
    LIMIT = "limit"  # formula over Excel's own limits (length, nesting)
    UNEXPLAINED = "unexplained"  # a mismatch no rule explains: a bug to fix

    CHOICES = [
        (UNSUPPORTED_FUNCTION, "unsupported function"),
        (ENGINE_DIFFERENCE, "known engine difference"),
        (VOLATILE, "volatile function"),
        (EXTERNAL_LINK, "external workbook value missing"),
        (LINKED_DATA_TYPE, "linked data type"),
        (CACHE_UNTRUSTED, "cached value not trustworthy"),
        (CIRCULAR, "circular reference (iteration off)"),
        (CIRCULAR_NOT_CONVERGED, "circular reference not converged"),
        (PARSE_ERROR, "formula not understood by the engine"),
        (ENGINE_ERROR, "engine error"),
        (TIMEOUT, "engine timeout"),
        (LIMIT, "over Excel's limits"),
        (UNEXPLAINED, "unexplained"),
    ]


@dataclass(slots=True)
class Failure:
    """A formula cell the engine could not compute: a Reason code and a human detail."""

    reason: str
    detail: str = ""


@dataclass(slots=True)
class CellData:
    """One non-empty cell. `formula` is the text as in the file (with '='), else None.

    For a constant cell `value` is its value; for a formula cell `cached` is the
    value Excel stored when it last saved (None when it stored none).
    """

    row: int  # 1-based
    col: int  # 1-based
    formula: str | None = None
    value: Any = None
    cached: Any = None
    has_cached: bool = False
    # CSE or dynamic-array formula: the range it fills (anchor cell only), e.g. "A1:C3".
    array_ref: str | None = None
    dynamic_array: bool = False
    # A cell inside another cell's array range: its value is that formula's result.
    array_anchor: tuple[int, int] | None = None
    linked_data_type: bool = False  # vm= value metadata: an Excel linked data type
    data_table: DataTable | None = None  # a what-if data table's anchor (see DataTable)
    # Filled by the parse stage.
    engine_formula: str | None = None
    functions: tuple[str, ...] = ()
    volatile: bool = False  # depends on the time or the environment of the calculation
    random: bool = False  # depends on RAND, RANDBETWEEN or RANDARRAY
    external: bool = False
    circular: bool = False
    after_iteration: bool = False  # in or downstream of an iterated circular group
    skip: Failure | None = None  # the parse stage decided not to send it to the engine

    @property
    def is_formula(self) -> bool:
        return self.formula is not None


@dataclass(slots=True)
class SheetData:
    name: str
    index: int
    state: str = "visible"  # visible / hidden / veryHidden
    cells: dict[tuple[int, int], CellData] = field(default_factory=dict)
    # Column widths as the file stores them (characters plus padding), for CELL("width").
    column_widths: dict[int, float] = field(default_factory=dict)
    default_column_width: float = 8 + 5 / 7
    # Hidden rows (<row hidden="1">), sorted; `filtered_rows` are those of them inside
    # an applied autoFilter (the sheet's or a table's), which SUBTOTAL(1-11) also skips.
    hidden_rows: list[int] = field(default_factory=list)
    filtered_rows: list[int] = field(default_factory=list)
    # Rows (first, last) of the sheet's own applied <autoFilter ref>, None without one.
    filter_rows: tuple[int, int] | None = None

    def formula_cells(self) -> Iterator[CellData]:
        return (c for c in self.cells.values() if c.formula is not None)

    def result_cells(self) -> Iterator[CellData]:
        """Cells whose value is computed: formulas and the other cells of array ranges."""
        return (c for c in self.cells.values() if c.formula is not None or c.array_anchor)


@dataclass(slots=True)
class NameData:
    """A defined name; `sheet_index` None means workbook scope."""

    name: str
    value: str  # the reference or formula, as in the file (no leading '=')
    sheet_index: int | None = None
    hidden: bool = False
    engine_value: str | None = None  # spelled for the engine by the parse stage (no '=')


@dataclass(slots=True)
class CalcSettings:
    """calcPr and friends: how Excel was told to calculate this workbook."""

    date1904: bool = False
    iterate: bool = False
    iterate_count: int = 100
    iterate_delta: float = 0.001
    calc_mode: str = "auto"  # auto / manual / autoNoTable
    full_calc_on_load: bool = False
    calc_completed: bool = True
    calc_on_save: bool = True
    application: str = ""  # docProps/app.xml Application + AppVersion
    language: str = ""  # the saving Excel's interface language (docProps/app.xml), "" unknown
    written_by_excel: bool = False  # <fileVersion appName="xl">
    saved_at: datetime | None = None  # docProps/core.xml dcterms:modified (UTC)


@dataclass(frozen=True, slots=True)
class DataTable:
    """A what-if data table (`{=TABLE(row_input, column_input)}`), as the file defines it.

    The anchor cell holds it; its `array_ref` is the range of results. For each result
    cell Excel puts the values from the table's edges into the input cells and reads
    the formula(s) on the other edge: a column table reads the row above the results,
    a row table the column to their left, a two-variable table the corner cell.
    """

    row_input: str | None  # the input cell the values along the top row go into, "B1"
    column_input: str | None  # the input cell the values down the left column go into


@dataclass(slots=True)
class TableData:
    """An Excel table (ListObject): the source of structured references."""

    name: str  # displayName, what formulas use
    sheet_index: int
    min_row: int
    min_col: int
    max_row: int
    max_col: int
    columns: list[str] = field(default_factory=list)
    header_rows: int = 1
    totals_rows: int = 0
    filter_rows: tuple[int, int] | None = None  # rows (first, last) of its applied autoFilter


@dataclass(slots=True)
class ExternalBook:
    """What the file cached of another workbook it links to ([n] in formulas)."""

    number: int  # 1-based, as in [1]Sheet!A1
    target: str = ""
    sheet_names: list[str] = field(default_factory=list)
    cells: dict[tuple[int, int, int], Any] = field(default_factory=dict)  # (sheet, row, col)
    names: dict[str, str] = field(default_factory=dict)  # NAME -> refersTo


@dataclass(slots=True)
class BookData:
    sheets: list[SheetData] = field(default_factory=list)
    names: list[NameData] = field(default_factory=list)
    calc: CalcSettings = field(default_factory=CalcSettings)
    tables: list[TableData] = field(default_factory=list)
    externals: list[ExternalBook] = field(default_factory=list)

    def sheet_by_name(self, name: str) -> SheetData | None:
        lowered = name.lower()  # Excel sheet names are case-insensitive
        return next((s for s in self.sheets if s.name.lower() == lowered), None)

    def formula_cells(self) -> Iterator[tuple[SheetData, CellData]]:
        for sheet in self.sheets:
            for cell in sheet.formula_cells():
                yield sheet, cell

    def result_cells(self) -> Iterator[tuple[SheetData, CellData]]:
        for sheet in self.sheets:
            for cell in sheet.result_cells():
                yield sheet, cell

    @property
    def cell_count(self) -> int:
        return sum(len(s.cells) for s in self.sheets)

    @property
    def formula_count(self) -> int:
        return sum(1 for _ in self.formula_cells())


CellKey = tuple[int, int, int]  # (sheet index, row, col)


@dataclass
class EvaluationResult:
    """What the engine computed: a value or a Failure for each formula cell it was given."""

    values: dict[CellKey, Any] = field(default_factory=dict)
    failures: dict[CellKey, Failure] = field(default_factory=dict)
    engine: str = ""
    seconds: float = 0.0

    def merge(self, other: EvaluationResult) -> None:
        for key, value in other.values.items():
            self.values[key] = value
            self.failures.pop(key, None)
        for key, failure in other.failures.items():
            self.failures[key] = failure
            self.values.pop(key, None)
