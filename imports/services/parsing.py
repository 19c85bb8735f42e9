"""The parse stage: per formula cell, references, functions, flags and engine spelling."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .book import BookData, CellData, CellKey, Failure, NameData, Progress, Reason, SheetData
from .dynamic_refs import DYNAMIC
from .excel_functions import is_excel_function
from .formulas import FormulaError, ParsedFormula, Ref, parse_formula
from .normalize import Context, normalize

MAX_FORMULA_LENGTH = 8192  # Excel's own limit on formula text


@dataclass
class ParseResult:
    refs: dict[CellKey, list[tuple[int, Ref]]] = field(default_factory=dict)
    functions: Counter = field(default_factory=Counter)  # cells per function
    unsupported: Counter = field(default_factory=Counter)  # cells per function the engine lacks


@dataclass
class FunctionPolicy:
    """What the engine computes, and how to treat names Excel itself does not know."""

    supported: frozenset[str] | None = None  # None: everything
    has_macros: bool = False

    def check(self, functions: list[str]) -> Failure | None:
        for name in functions:
            if name.startswith("XL.UNKNOWN."):  # see normalize.unknown_functions
                name = name.removeprefix("XL.UNKNOWN.")
            if name.startswith("[") or "!" in name:
                detail = f"{name}: a function of another workbook or add-in"
                return Failure(Reason.EXTERNAL_LINK, detail)
            if not is_excel_function(name):
                if self.has_macros:
                    return Failure(Reason.UNSUPPORTED_FUNCTION, f"{name} (user-defined, VBA)")
                continue  # Excel answers #NAME? for it, and so does the engine
            if name in DYNAMIC:  # resolved with the engine's help after the build
                continue
            if self.supported is not None and name not in self.supported:
                return Failure(Reason.UNSUPPORTED_FUNCTION, name)
        return None


class NameResolver:
    """Defined names -> the references they stand for, sheet scope before workbook scope."""

    def __init__(self, book: BookData):
        self.book = book
        self.names: dict[tuple[int | None, str], NameData] = {
            (name.sheet_index, name.name.upper()): name for name in book.names
        }
        self.cache: dict[tuple[int | None, str], list[tuple[int, Ref]]] = {}

    def value(self, sheet_index: int, sheet_hint: str | None, name: str) -> str | None:
        """The text a name stands for (sheet scope first), or None for an unknown name."""
        key = self._key(sheet_index, sheet_hint, name)
        return self.names[key].value if key in self.names else None

    def _key(self, sheet_index: int, sheet_hint: str | None, name: str):
        scope = sheet_index
        if sheet_hint is not None:
            hinted = self.book.sheet_by_name(sheet_hint)
            scope = hinted.index if hinted else None
        key = (scope, name.upper())
        return key if key in self.names else (None, name.upper())

    def resolve(self, sheet_index: int, sheet_hint: str | None, name: str) -> list[tuple[int, Ref]]:
        scope = sheet_index
        if sheet_hint is not None:
            hinted = self.book.sheet_by_name(sheet_hint)
            scope = hinted.index if hinted else None
        key = (scope, name.upper())
        if key not in self.names:
            key = (None, name.upper())
        if key not in self.names:
            return []
        return self._refs_of(key, depth=0)

    def _refs_of(self, key, depth: int) -> list[tuple[int, Ref]]:
        if key in self.cache:
            return self.cache[key]
        self.cache[key] = []  # guards names that refer to themselves
        defn = self.names[key]
        home = defn.sheet_index if defn.sheet_index is not None else 0
        try:
            parsed = parse_formula("=" + defn.value)
        except FormulaError:
            return []
        refs = resolve_refs(self.book, home, parsed)
        if depth < 16:
            for _sheet_hint, inner in parsed.names:
                inner_key = (defn.sheet_index, inner.upper())
                if inner_key not in self.names:
                    inner_key = (None, inner.upper())
                if inner_key in self.names:
                    refs.extend(self._refs_of(inner_key, depth + 1))
        self.cache[key] = refs
        return refs


def resolve_refs(book: BookData, sheet_index: int, parsed: ParsedFormula) -> list[tuple[int, Ref]]:
    """Attach a sheet index to each reference; references to unknown sheets are dropped."""
    resolved = []
    for ref in parsed.refs:
        if ref.sheet is None:
            resolved.append((sheet_index, ref))
            continue
        target = book.sheet_by_name(ref.sheet)
        if target is not None:
            resolved.append((target.index, ref))
    return resolved


def parse_book(
    book: BookData,
    *,
    progress: Progress,
    supported: frozenset[str] | None = None,
    has_macros: bool = False,
    parameters: dict | None = None,
) -> ParseResult:
    result = ParseResult()
    names = NameResolver(book)
    names.extents = {}  # each sheet's used extent, computed once
    names.parameters = parameters or {}
    policy = FunctionPolicy(supported=supported, has_macros=has_macros)
    normalize_names(book, names)
    total = max(book.formula_count, 1)
    done = 0
    for sheet in book.sheets:
        for cell in sheet.formula_cells():
            parse_cell(book, sheet, cell, names, result, policy)
            done += 1
            if done % 20000 == 0:
                progress("parse", 100 * done / total, f"{done:,} of {total:,} formulas")
    return result


def normalize_names(book: BookData, names: NameResolver) -> None:
    """Defined names are formulas too: spelled for the engine like a cell's formula.

    A name is not in a cell, so no implicit intersection applies where it is defined
    (it applies where it is used); relative references count from A1, as Excel stores them.
    """
    for name in book.names:
        if name.name.lower().startswith("_xlnm."):
            continue
        context = Context(
            book=book,
            sheet_index=name.sheet_index if name.sheet_index is not None else 0,
            is_array=True,
            name_value=names.value,
            extents=getattr(names, "extents", {}),
        )
        try:
            name.engine_value = normalize("=" + name.value, context)[1:]
        except FormulaError:
            name.engine_value = None


def parse_cell(
    book: BookData,
    sheet: SheetData,
    cell: CellData,
    names: NameResolver,
    result: ParseResult,
    policy: FunctionPolicy | None = None,
) -> None:
    if cell.data_table is not None:  # computed by the evaluate stage (data_tables.py)
        cell.functions = ("TABLE",)
        result.functions.update(cell.functions)
        try:
            _add_refs(book, sheet, cell, parse_formula(cell.formula), names, result)
        except FormulaError:
            pass
        return
    if len(cell.formula) > MAX_FORMULA_LENGTH:
        cell.skip = Failure(Reason.LIMIT, f"formula of {len(cell.formula):,} characters")
        return
    try:
        parsed = parse_formula(cell.formula)
    except FormulaError as exc:
        cell.skip = cell.skip or Failure(Reason.PARSE_ERROR, f"cannot tokenise: {exc}")
        return
    cell.functions = tuple(dict.fromkeys(parsed.functions))
    result.functions.update(cell.functions)
    cell.volatile = parsed.volatile
    cell.random = parsed.random
    cell.external = parsed.external
    if "_FV" in cell.functions or "FIELDVALUE" in cell.functions:
        cell.linked_data_type = True
    engine = _engine_spelling(book, sheet, cell, names)
    if engine is None:
        _add_refs(book, sheet, cell, parsed, names, result)
        return
    _add_refs(book, sheet, cell, engine, names, result)
    if cell.skip is None and parsed.external and engine.external:
        cell.skip = Failure(
            Reason.EXTERNAL_LINK, "reads another workbook whose values the file does not cache"
        )
    if cell.skip is None:
        cell.skip = (policy or FunctionPolicy()).check(engine.functions)
        if cell.skip is not None and cell.skip.reason == Reason.UNSUPPORTED_FUNCTION:
            result.unsupported[cell.skip.detail.split(" ")[0]] += 1


def _engine_spelling(book, sheet, cell, names: NameResolver) -> ParsedFormula | None:
    """Normalise the formula for the engine; its references are what the engine will read."""
    context = Context(
        book=book,
        sheet_index=sheet.index,
        row=cell.row,
        col=cell.col,
        is_array=cell.array_ref is not None,
        name_value=names.value,
        extents=getattr(names, "extents", {}),
        parameters=getattr(names, "parameters", {}),
    )
    try:
        cell.engine_formula = normalize(cell.formula, context)
        return parse_formula(cell.engine_formula)
    except FormulaError as exc:
        cell.skip = cell.skip or Failure(Reason.PARSE_ERROR, f"cannot normalise: {exc}")
        return None


def _add_refs(book, sheet, cell, parsed: ParsedFormula, names: NameResolver, result) -> None:
    refs = resolve_refs(book, sheet.index, parsed)
    for sheet_hint, name in parsed.names:
        refs.extend(names.resolve(sheet.index, sheet_hint, name))
    if refs:
        result.refs[(sheet.index, cell.row, cell.col)] = refs
