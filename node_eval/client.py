"""HyperFormulaEvaluator: the Evaluator protocol on top of the Node.js engine.

One instance is one engine session (one Node process, started lazily):
`evaluate` sends the workbook in batches, builds it and reads every formula
cell back; the circular stage then calls `iterate` in the same session, and
`read_values` reads everything again. Every request has a deadline; any failure
of the process raises `EvaluatorError` (see process.py).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from imports.services.book import (
    BookData,
    CellData,
    CellError,
    CellKey,
    EvaluationResult,
    Failure,
    Progress,
    SheetData,
)
from imports.services.evaluator import EvaluatorError, IterationOutcome

from .codec import Formula, decode_value, encode_cell, encode_constant, skipped_root
from .process import EngineProcess

ENGINE_PATH = Path(__file__).resolve().parent / "engine.mjs"
PROTOCOL_VERSION = 1
STAGE = "evaluate"
_EXACT_INT = 2**53  # integers JSON numbers (doubles in JS) carry exactly
# Measured on Node 20: node + the worker need about 1.55 GB of address space to
# start (code ranges, a 64 MB worker stack); the heap then grows within heap_mb.
BASE_ADDRESS_SPACE_MB = 2048
STARTUP_TIMEOUT = 60.0


def _setting(name: str, default: Any) -> Any:
    """A Django setting, or `default` when it is missing or Django is not configured."""
    try:
        from django.conf import settings

        return getattr(settings, name, default)
    except Exception:  # ImproperlyConfigured outside Django: the fallback is the point
        return default


@dataclass
class HyperFormulaResult(EvaluationResult):
    """An EvaluationResult that also keeps HyperFormula's message for each error value."""

    details: dict[CellKey, str] = field(default_factory=dict)

    def merge(self, other: EvaluationResult) -> None:
        for key in (*other.values, *other.failures):
            self.details.pop(key, None)
        super().merge(other)
        self.details.update(getattr(other, "details", {}))


@dataclass
class HyperFormulaIteration(IterationOutcome):
    """An IterationOutcome that also lists cells the engine could not compute."""

    failures: dict[CellKey, Failure] = field(default_factory=dict)
    details: dict[CellKey, str] = field(default_factory=dict)


@contextlib.contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause Python's cyclic GC while millions of short-lived lists are built.

    Measured: encoding 2 M cells took 5.6 s with the collector on (it rescans the
    whole workbook again and again) and 2.0 s with it off. Nothing made here is cyclic.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class _Throttled:
    """Forward progress to the callback only every few percent, so a run makes a few dozen calls."""

    def __init__(self, progress: Progress, step: float = 4.0) -> None:
        self.progress = progress
        self.step = step
        self.last = -step

    def __call__(self, percent: float, message: str, *, force: bool = False) -> None:
        if force or percent - self.last >= self.step:
            self.last = percent
            self.progress(STAGE, round(min(100.0, percent), 1), message)


_PARKED: dict[tuple[str, ...], tuple[EngineProcess, dict[str, Any]]] = {}


def _park(engine: EngineProcess, argv: list[str], info: dict[str, Any]) -> bool:
    """Keep a healthy engine, reset, for the next evaluator with the same command line."""
    key = tuple(argv)
    if key in _PARKED:
        return False
    try:
        engine.request("reset", timeout=30)
    except EvaluatorError:
        return False
    _PARKED[key] = (engine, info)
    return True


def release_parked() -> None:
    """Stop every parked engine (end of a batch run)."""
    while _PARKED:
        _key, (engine, _info) = _PARKED.popitem()
        engine.close()


def _unpark(argv: list[str]) -> tuple[EngineProcess, dict[str, Any]] | None:
    parked = _PARKED.pop(tuple(argv), None)
    if parked is None:
        return None
    engine, info = parked
    try:
        engine.request("stats", timeout=10)  # still alive and answering?
    except EvaluatorError:
        engine.close()
        return None
    return engine, info


_UNFILLED = object()  # a CSE array cell the engine's result did not reach


class HyperFormulaEvaluator:
    """The default evaluator: HyperFormula in a Node.js process, spoken to in JSON lines."""

    name = "hyperformula"

    def __init__(
        self,
        *,
        node: str | None = None,
        heap_mb: int | None = None,
        timeout: float | None = None,
        build_timeout: float | None = None,
        options: dict[str, Any] | None = None,
        reuse: bool | None = None,
        batch_size: int = 20_000,
        read_chunk: int = 20_000,
    ) -> None:
        self.node = node or _setting("DCMODEL_NODE", "node")
        self.heap_mb = int(heap_mb or _setting("DCMODEL_ENGINE_HEAP_MB", 3072))
        self.timeout = float(timeout or _setting("DCMODEL_ENGINE_TIMEOUT", 120.0))
        self.build_timeout = float(build_timeout or _setting("DCMODEL_ENGINE_BUILD_TIMEOUT", 900.0))
        # Extra HyperFormula config for `build`, e.g. {"smartRounding": False}; the
        # optional setting DCMODEL_ENGINE_OPTIONS gives a default for every session.
        self.options = dict(
            options if options is not None else _setting("DCMODEL_ENGINE_OPTIONS", {})
        )
        # Reuse one Node process for successive workbooks in this Python process (the
        # fidelity report imports hundreds); each import still gets a fresh workbook.
        self.reuse = bool(_setting("DCMODEL_ENGINE_REUSE", False)) if reuse is None else reuse
        self.batch_size = batch_size
        self.read_chunk = read_chunk
        self.engine_info: dict[str, Any] = {}
        self.build_info: dict[str, Any] = {}
        self._engine: EngineProcess | None = None
        self._reset_session()

    # -- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> HyperFormulaEvaluator:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the engine (or, with reuse on, park it reset for the next session)."""
        engine, self._engine = self._engine, None
        if engine is None:
            return
        if self.reuse and _park(engine, self._argv(), self.engine_info):
            return
        engine.close()

    @property
    def pid(self) -> int | None:
        """The Node process id, or None before the engine starts (and after close)."""
        return self._engine.pid if self._engine is not None else None

    def memory_limit_bytes(self) -> int:
        """The address-space cap for the Node process: a start-up share plus twice the heap."""
        return (BASE_ADDRESS_SPACE_MB + 2 * self.heap_mb) * 1024 * 1024

    def _argv(self) -> list[str]:
        # V8's --max-old-space-size is process-wide and overrides a worker's own
        # resourceLimits, so it is the worker's heap limit too: engine.mjs reads it.
        return [self.node, f"--max-old-space-size={self.heap_mb}", str(ENGINE_PATH)]

    def _started(self) -> EngineProcess:
        """The running engine, started and handshaken on first use."""
        if self._engine is None and self.reuse:
            parked = _unpark(self._argv())
            if parked is not None:
                self._engine, self.engine_info = parked
        if self._engine is None:
            engine = EngineProcess(self._argv(), memory_limit_bytes=self.memory_limit_bytes())
            self._engine = engine
            try:
                self.engine_info = self._handshake(engine)
            except EvaluatorError:
                self.close()
                raise
        return self._engine

    def _handshake(self, engine: EngineProcess) -> dict[str, Any]:
        # Start-up (Node, HyperFormula, the custom functions) takes about a second, more on
        # a busy machine: it gets its own, longer deadline.
        hello = engine.request("hello", timeout=max(self.timeout, STARTUP_TIMEOUT))
        if hello.get("version") != PROTOCOL_VERSION:
            raise EvaluatorError(
                f"engine protocol version {hello.get('version')!r} does not match the client's "
                f"{PROTOCOL_VERSION}: node_eval/engine.mjs and client.py are out of step"
            )
        return hello

    def supported_functions(self) -> frozenset[str]:
        """Every function name the engine computes: HyperFormula's and our plugins'."""
        self._started()
        names = self.engine_info.get("registered", []) + self.engine_info.get("functions", [])
        return frozenset(name.upper() for name in names)

    def parameter_kinds(self) -> dict[str, dict[str, Any]]:
        """Per function id: declared parameter kinds (NUMBER, RANGE, ...) and repeats."""
        self._started()
        return dict(self.engine_info.get("parameters", {}))

    def request(
        self, op: str, payload: dict[str, Any] | None = None, *, timeout: float | None = None
    ) -> dict:
        """Send one raw protocol request (see engine.mjs) and return the answer."""
        return self._started().request(op, payload, timeout=timeout or self.timeout)

    def _reset_session(self) -> None:
        self._engine_sheet: dict[int, int] = {}  # book sheet index -> engine sheet
        self._book_sheet: list[int] = []  # engine sheet -> book sheet index
        self._sheet_names: dict[int, str] = {}
        self._skipped: dict[CellKey, Failure] = {}
        self._members: dict[CellKey, bool] = {}  # array result cells: is the array dynamic?
        self._legacy_arrays: dict[CellKey, list[CellKey]] = {}  # CSE anchor -> its other cells

    # -- evaluate ------------------------------------------------------------------

    def evaluate(self, book: BookData, *, progress: Progress) -> HyperFormulaResult:
        """Build the workbook in a fresh engine; a value or a Failure for every formula cell."""
        started = time.monotonic()
        report = _Throttled(progress)
        report(0.0, "starting the engine", force=True)
        if self.build_info:  # one workbook per engine session
            self.close()
            self.build_info = {}
        self._reset_session()
        self._started()
        self._send_sheets(book)
        with _gc_paused():
            self._send_cells(book, report)
            self._send_external_caches(book)
        report(30.0, f"building {book.formula_count:,} formulas", force=True)
        self._build(book)
        report(70.0, f"built in {self.build_info.get('seconds', 0):.1f} s", force=True)
        with _gc_paused():
            result = self._read_all(report, start_percent=70.0)
        result.seconds = time.monotonic() - started
        report(
            100.0, f"{len(result.values):,} values, {len(result.failures):,} failures", force=True
        )
        return result

    def _send_sheets(self, book: BookData) -> None:
        for sheet in book.sheets:
            answer = self.request("add_sheet", {"name": sheet.name})
            self._engine_sheet[sheet.index] = answer["sheet"]
            self._book_sheet.append(sheet.index)
            self._sheet_names[sheet.index] = sheet.name

    def _send_external_caches(self, book: BookData) -> None:
        """Each linked workbook's cached sheets, as extra read-only sheets named `[n]Sheet`.

        What Excel itself computes from while the source workbook is closed; the
        normaliser points `[n]Sheet!A1` references at them.
        """
        from imports.services.normalize.external import external_sheet_name

        for external in book.externals:
            for position, sheet_name in enumerate(external.sheet_names):
                answer = self.request(
                    "add_sheet", {"name": external_sheet_name(external.number, sheet_name)}
                )
                cells = [
                    [row, col, encode_constant(value)]
                    for (sheet, row, col), value in external.cells.items()
                    if sheet == position
                ]
                for start in range(0, len(cells), self.batch_size):
                    batch = cells[start : start + self.batch_size]
                    self.request("add_cells", {"sheet": answer["sheet"], "cells": batch})

    def _send_cells(self, book: BookData, report: _Throttled) -> None:
        total = max(1, book.cell_count)
        sent = 0
        payloads = (
            {"sheet": self._engine_sheet[sheet.index], "cells": batch}
            for sheet in book.sheets
            for batch in self._cell_batches(sheet)
        )
        engine = self._started()
        for answer in engine.pipeline("add_cells", payloads, timeout=self.build_timeout):
            sent += answer["cells"]
            report(30.0 * sent / total, f"sent {sent:,} of {total:,} cells")

    def _cell_batches(self, sheet: SheetData) -> Iterator[list[list[Any]]]:
        """The sheet's non-empty cells as [row, col, content], batch_size at a time."""
        batch: list[list[Any]] = []
        for (row, col), cell in sheet.cells.items():
            if cell.array_anchor is not None and cell.formula is None:
                content = self._array_member(sheet, row, col, cell)
            else:
                content = self._content(sheet.index, row, col, cell)
            if content is None:
                continue
            batch.append([row, col, content])
            if len(batch) >= self.batch_size:
                yield batch
                batch = []
        if batch:
            yield batch

    def _array_member(self, sheet: SheetData, row: int, col: int, cell: CellData) -> Any:
        """A cell of an array formula's range: left empty for the anchor to fill, read back.

        A legacy (CSE) array larger than its result shows #N/A in the surplus cells;
        a dynamic array's range is exactly its spill.
        """
        anchor = sheet.cells.get(cell.array_anchor)
        dynamic = bool(anchor and (anchor.dynamic_array or anchor.data_table))
        self._members[(sheet.index, row, col)] = dynamic
        if not dynamic:
            self._legacy_arrays.setdefault((sheet.index, *cell.array_anchor), []).append(
                (sheet.index, row, col)
            )
        return {"r": 1}

    def _content(self, sheet_index: int, row: int, col: int, cell: CellData) -> Any:
        """encode_cell with fast paths for the common cases: this runs once per cell."""
        if cell.data_table is not None:  # filled by compute_data_tables, read back
            self._members[(sheet_index, row, col)] = True
            return {"r": 1}
        if cell.formula is None:
            value = cell.value
            if type(value) is float and value - value == 0.0:  # finite
                return value
            if type(value) is int and -_EXACT_INT < value < _EXACT_INT:
                return value
            return encode_constant(value)
        if cell.skip is None:
            return {"f": cell.engine_formula or cell.formula}
        key = (sheet_index, row, col)
        self._skipped[key] = cell.skip
        return encode_cell(key, cell)

    def _build(self, book: BookData) -> None:
        names = [
            {
                "name": name.name,
                "expression": name.engine_value or name.value,
                "scope": None
                if name.sheet_index is None
                else self._engine_sheet.get(name.sheet_index),
            }
            for name in book.names
            if name.sheet_index is None or name.sheet_index in self._engine_sheet
        ]
        payload = {
            "names": names,
            "dateSystem": 1904 if book.calc.date1904 else 1900,
            "options": self.options,
            "spills": self._spill_hints(book),
            "hiddenRows": self._hidden_rows(book),
        }
        self.build_info = self.request("build", payload, timeout=self.build_timeout)

    def _spill_hints(self, book: BookData) -> list[list[int]]:
        """[sheet, row, col, height, width, dynamic] of every array formula's anchor, as the
        file records its range."""
        from openpyxl.utils.cell import range_boundaries

        hints = []
        for sheet, cell in book.formula_cells():
            if not cell.array_ref or cell.skip is not None or cell.data_table is not None:
                continue
            try:
                min_col, min_row, max_col, max_row = range_boundaries(cell.array_ref)
            except (TypeError, ValueError):
                continue
            height, width = max_row - min_row + 1, max_col - min_col + 1
            engine_sheet = self._engine_sheet[sheet.index]
            hints.append([engine_sheet, cell.row, cell.col, height, width, cell.dynamic_array])
        return hints

    def _hidden_rows(self, book: BookData) -> list[list[Any]]:
        """[sheet, hidden, filtered] of each sheet with hidden rows, each a list of
        [first, last] runs of rows: what SUBTOTAL and AGGREGATE skip."""
        return [
            [self._engine_sheet[sheet.index], _runs(sheet.hidden_rows), _runs(sheet.filtered_rows)]
            for sheet in book.sheets
            if sheet.hidden_rows and sheet.index in self._engine_sheet
        ]

    @property
    def rejected_names(self) -> list[dict[str, str]]:
        """The defined names HyperFormula refused at build, with its reason."""
        return list(self.build_info.get("rejectedNames", []))

    # -- reading values --------------------------------------------------------------

    def read_values(self, *, progress: Progress) -> HyperFormulaResult:
        """Read every formula cell's current value again (after iteration)."""
        report = _Throttled(progress)
        with _gc_paused():
            result = self._read_all(report, start_percent=0.0)
        report(100.0, f"read {len(result.values) + len(result.failures):,} cells", force=True)
        return result

    def _read_all(self, report: _Throttled, *, start_percent: float) -> HyperFormulaResult:
        """Read every formula cell's value, in chunks, a few requests ahead of decoding."""
        result = HyperFormulaResult(engine=self.name)
        first = self.request("read", {"start": 0, "count": self.read_chunk})
        total = first["total"]
        rest = (
            {"start": start, "count": self.read_chunk}
            for start in range(self.read_chunk, total, self.read_chunk)
        )
        engine = self._started()
        done = 0
        for answer in itertools.chain([first], engine.pipeline("read", rest, timeout=self.timeout)):
            for row in answer["values"]:
                self._store(result, row)
            done += len(answer["values"])
            percent = start_percent + (100.0 - start_percent) * done / max(1, total)
            report(percent, f"read {done:,} of {total:,}")
        self._fill_legacy_arrays(result)
        return result

    def _fill_legacy_arrays(self, result: HyperFormulaResult) -> None:
        """What Excel shows in a CSE array range larger than the formula's result.

        A single value fills the whole range, a one-row result repeats down, a
        one-column result across; any other cell outside the result is #N/A.
        """
        for anchor, members in self._legacy_arrays.items():
            filled = [k for k in members if result.values.get(k) is not _UNFILLED]
            rows = {anchor[1], *(k[1] for k in filled)}
            cols = {anchor[2], *(k[2] for k in filled)}
            anchor_error = isinstance(result.values.get(anchor), CellError)
            for key in members:
                if result.values.get(key) is not _UNFILLED:
                    continue
                if not filled or anchor_error:  # a single value, or an error, fills it all
                    source = anchor
                elif len(rows) == 1 and key[2] in cols:
                    source = (key[0], anchor[1], key[2])
                elif len(cols) == 1 and key[1] in rows:
                    source = (key[0], key[1], anchor[2])
                else:
                    source = None
                self._copy_value(result, key, source)

    @staticmethod
    def _copy_value(result: HyperFormulaResult, key: CellKey, source: CellKey | None) -> None:
        del result.values[key]
        if source is not None and source in result.failures:
            result.failures[key] = result.failures[source]
        elif source is not None and result.values.get(source, _UNFILLED) is not _UNFILLED:
            result.values[key] = result.values[source]
        else:
            result.values[key] = CellError("#N/A")
            result.details[key] = "outside the result of its array formula"

    def _key(self, engine_sheet: int, row: int, col: int) -> CellKey:
        return (self._book_sheet[engine_sheet], row, col)

    def _store(self, result: HyperFormulaResult | HyperFormulaIteration, row: list[Any]) -> None:
        """Put one [sheet, row, col, kind, value, message] into the result."""
        key = self._key(*row[:3])
        kind, value, message = row[3:6]
        if kind == "z" and self._members.get(key) is False:
            result.values[key] = _UNFILLED  # settled by _fill_legacy_arrays
            return
        outcome = self._skipped.get(key) or self._decode(kind, value, message)
        if isinstance(outcome, Failure):
            result.failures[key] = outcome
            return
        result.values[key] = outcome
        if kind == "e" and message:
            result.details[key] = message

    def _decode(self, kind: str, value: Any, message: str | None) -> Any:
        """decode_value, except that an error coming from a skipped cell inherits its reason."""
        root = skipped_root(message) if kind == "e" else None
        if root is not None and root in self._skipped:
            skipped = self._skipped[root]
            detail = f"depends on {self._describe(root)}, which was not evaluated"
            return Failure(
                skipped.reason, f"{detail}: {skipped.detail}" if skipped.detail else detail
            )
        return decode_value(kind, value, message)

    def _describe(self, key: CellKey) -> str:
        sheet, row, col = key
        return f"{self._sheet_names.get(sheet, sheet)}!{_column_letters(col)}{row}"

    # -- after evaluate: iterate, calculate, set ---------------------------------------

    def iterate(
        self,
        cells: list[tuple[CellKey, str]],
        *,
        max_iterations: int,
        max_change: float,
    ) -> HyperFormulaIteration:
        """Solve one cycle group by Gauss-Seidel sweeps in the given order, as Excel does."""
        payload = {
            "cells": [[*self._engine_key(key), formula] for key, formula in cells],
            "maxIterations": int(max_iterations),
            "maxChange": float(max_change),
        }
        answer = self.request("iterate", payload, timeout=self.build_timeout)
        outcome = HyperFormulaIteration(
            iterations=answer["iterations"],
            max_change=float("inf") if answer["maxChange"] is None else answer["maxChange"],
            converged=answer["converged"],
        )
        for row in answer["values"]:
            self._store(outcome, row)
        return outcome

    def calculate(self, sheet_index: int, formula: str) -> Any:
        """Compute one formula in a sheet's context on the current values, or a Failure."""
        text = formula if formula.startswith("=") else f"={formula}"
        payload = {"sheet": self._engine_sheet_of(sheet_index), "formula": text}
        kind, value, message = self.request("calculate", payload)["value"]
        return self._decode(kind, value, message)

    def calculate_many(self, items: list[tuple[int, str]]) -> list[Any]:
        """Compute many formulas, each in its sheet's context, in few requests."""
        results: list[Any] = []
        for start in range(0, len(items), self.batch_size):
            batch = [
                [self._engine_sheet_of(sheet), f if f.startswith("=") else f"={f}"]
                for sheet, f in items[start : start + self.batch_size]
            ]
            answer = self.request("calculate_many", {"items": batch}, timeout=self.build_timeout)
            results.extend(self._decode(*value) for value in answer["values"])
        return results

    def what_if(
        self, inputs: list[CellKey], cases: list[tuple[list[Any], list[CellKey]]]
    ) -> list[list[Any]]:
        """For each case: its values put in the input cells, then the cells it reads (a
        value or a Failure each); the input cells get their own contents back after."""
        payload = {
            "inputs": [list(self._engine_key(key)) for key in inputs],
            "cases": [
                [[encode_constant(v) for v in values], [list(self._engine_key(k)) for k in reads]]
                for values, reads in cases
            ],
        }
        answer = self.request("what_if", payload, timeout=self.build_timeout)
        return [[self._decode(*value) for value in row] for row in answer["values"]]

    def set_formulas(self, formulas: dict[CellKey, str]) -> None:
        """Replace formula cells' formulas (e.g. dynamic references made static)."""
        self.set_contents({key: Formula(text) for key, text in formulas.items()})

    def set_contents(self, contents: dict[CellKey, Any]) -> None:
        """Store constants (or `codec.Formula`s) in cells, in batches; dependents recalculate."""
        cells = [
            [*self._engine_key(key), encode_constant(value)] for key, value in contents.items()
        ]
        for start in range(0, len(cells), self.batch_size):
            batch = cells[start : start + self.batch_size]
            self.request("set", {"cells": batch}, timeout=self.build_timeout)

    def stats(self) -> dict[str, Any]:
        """The engine's memory use (bytes): rss, heapUsed, heapTotal, heapLimit."""
        return self.request("stats")

    def _engine_sheet_of(self, sheet_index: int) -> int:
        try:
            return self._engine_sheet[sheet_index]
        except KeyError:
            raise EvaluatorError(
                f"sheet {sheet_index} is not in the engine: call evaluate first"
            ) from None

    def _engine_key(self, key: CellKey) -> tuple[int, int, int]:
        sheet, row, col = key
        return (self._engine_sheet_of(sheet), row, col)


def _column_letters(col: int) -> str:
    """1 -> A, 27 -> AA."""
    letters = ""
    while col > 0:
        col, remainder = divmod(col - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _runs(rows: list[int]) -> list[list[int]]:
    """Sorted row numbers as [first, last] runs of consecutive rows."""
    runs: list[list[int]] = []
    for row in rows:
        if runs and runs[-1][1] == row - 1:
            runs[-1][1] = row
        else:
            runs.append([row, row])
    return runs
