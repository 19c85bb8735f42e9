"""The ten import stages in order, and run_import().

Stages are short functions over an ImportContext. The runner owns order, timing
and the overall percent; a stage reports only its own sub-progress. Any failure
becomes an ImportFailed naming the stage. Store and validate run in one
transaction, so a failed or cancelled import leaves no rows behind.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from . import circular, data_tables, dynamic_refs, intake, parsing, reader, store
from .book import BookData, EvaluationResult, Failure, Progress, Reason
from .evaluator import Evaluator, EvaluatorError, get_evaluator
from .graph import DependencyGraph, build_graph, downstream_cells, graph_descendants
from .stages import Stage

logger = logging.getLogger(__name__)

# Share of the overall bar each stage takes (they sum to 100).
WEIGHTS = {
    Stage.HASH: 2,
    Stage.INSPECT: 2,
    Stage.READ_FORMULAS: 14,
    Stage.READ_VALUES: 10,
    Stage.PARSE: 8,
    Stage.GRAPH: 5,
    Stage.EVALUATE: 35,
    Stage.CIRCULAR: 4,
    Stage.STORE: 14,
    Stage.VALIDATE: 6,
}


class ImportFailed(Exception):
    """An import stopped; `stage` says where and the message says why, in one line."""

    def __init__(self, stage: str, message: str, code: str = "failed"):
        super().__init__(message)
        self.stage = stage
        self.message = message
        self.code = code


class ImportCancelled(ImportFailed):
    def __init__(self, stage: str):
        super().__init__(stage, "The import was cancelled.", "cancelled")


@dataclass
class ImportOptions:
    name: str = ""
    owner_id: int | None = None
    abs_tol: float | None = None
    rel_tol: float | None = None
    force: bool = False  # import even when the same bytes were imported before
    keep_file: bool = True  # copy the upload into storage (the fidelity report does not)
    max_cells: int | None = None


@dataclass
class ImportContext:
    path: Path
    original_filename: str
    options: ImportOptions = field(default_factory=ImportOptions)
    evaluator_factory: Callable[[], Evaluator] = get_evaluator
    should_cancel: Callable[[], bool] = lambda: False

    facts: intake.FileFacts | None = None
    duplicate_of: int | None = None
    book: BookData | None = None
    parse: parsing.ParseResult | None = None
    graph: DependencyGraph | None = None
    evaluator: Evaluator | None = None
    evaluation: EvaluationResult | None = None
    cycles: list[circular.CycleOutcome] = field(default_factory=list)
    workbook_id: int | None = None
    summary: dict[str, Any] = field(default_factory=dict)
    stage_seconds: dict[str, float] = field(default_factory=dict)


# --- stages -----------------------------------------------------------------------


def hash_upload(ctx: ImportContext, *, progress: Progress) -> None:
    """SHA-256 of the bytes; the same bytes imported before are pointed to, not redone."""
    ctx.facts = intake.hash_file(ctx.path)
    if not ctx.options.force:
        ctx.duplicate_of = store.find_duplicate(ctx.facts.sha256, ctx.options.owner_id)


def inspect_archive(ctx: ImportContext, *, progress: Progress) -> None:
    """Reject what is not a sane .xlsx/.xlsm before any XML parser sees it."""
    ctx.facts = intake.inspect_file(ctx.path, ctx.facts)


def read_formulas(ctx: ImportContext, *, progress: Progress) -> None:
    """Every cell's formula or constant, sheets, names and calculation settings."""
    ctx.book = reader.read_formulas(ctx.path, progress=progress, max_cells=ctx.options.max_cells)


def read_values(ctx: ImportContext, *, progress: Progress) -> None:
    """Excel's cached value of every formula cell: the oracle for validation."""
    reader.read_values(ctx.path, ctx.book, progress=progress)


def parse_formulas(ctx: ImportContext, *, progress: Progress) -> None:
    """References, functions and flags per formula; the engine's spelling of each.

    The engine session starts here, so the functions it lacks are known (and those
    cells marked) before anything is evaluated.
    """
    ctx.evaluator = ctx.evaluator_factory()
    ctx.parse = parsing.parse_book(
        ctx.book,
        progress=progress,
        supported=ctx.evaluator.supported_functions(),
        has_macros=bool(ctx.facts and ctx.facts.has_macros),
        parameters=ctx.evaluator.parameter_kinds(),
    )
    unsupported = ", ".join(f"{n} ({c})" for n, c in ctx.parse.unsupported.most_common(5))
    progress(
        "parse",
        100.0,
        f"{len(ctx.parse.functions)} functions used"
        + (f"; unsupported: {unsupported}" if unsupported else "; all supported"),
    )


def build_dependencies(ctx: ImportContext, *, progress: Progress) -> None:
    """The dependency graph; its strongly connected components are the cycles."""
    ctx.graph = build_graph(ctx.book, ctx.parse.refs)
    for sheet_index, row, col in ctx.graph.circular_cells:
        ctx.book.sheets[sheet_index].cells[(row, col)].circular = True
    mark_downstream(ctx, "volatile")
    mark_downstream(ctx, "random")


def mark_downstream(ctx: ImportContext, flag: str) -> None:
    """Everything computed from a volatile (or random) cell is volatile (or random) too."""
    roots = {
        (sheet.index, cell.row, cell.col): None
        for sheet, cell in ctx.book.result_cells()
        if getattr(cell, flag)
    }
    for sheet_index, row, col in downstream_cells(ctx.graph, roots):
        setattr(ctx.book.sheets[sheet_index].cells[(row, col)], flag, True)


def evaluate_formulas(ctx: ImportContext, *, progress: Progress) -> None:
    """Recalculate every formula cell; cells the engine cannot do get a reason.

    INDIRECT/OFFSET are then made static with the engine's help, what-if data tables
    run their cases on the model, and a cell that
    reads (however indirectly) from a cell that was not evaluated is not trusted either.
    """
    ctx.evaluation = ctx.evaluator.evaluate(ctx.book, progress=progress)
    unresolved = dynamic_refs.resolve_dynamic_references(ctx.book, ctx.evaluator, progress=progress)
    if unresolved or any(
        dynamic_refs.has_dynamic(c.engine_formula or "") for _, c in ctx.book.formula_cells()
    ):
        ctx.evaluation.merge(ctx.evaluator.read_values(progress=progress))
    for key, failure in unresolved.items():
        ctx.evaluation.values.pop(key, None)
        ctx.evaluation.failures[key] = failure
    tables = data_tables.compute_data_tables(
        ctx.book, ctx.evaluator, ctx.evaluation.values, progress=progress
    )
    if tables:
        ctx.evaluation.merge(ctx.evaluator.read_values(progress=progress))
    for key, outcome in tables.items():
        if isinstance(outcome, Failure):
            ctx.evaluation.values.pop(key, None)
            ctx.evaluation.failures[key] = outcome
        else:
            ctx.evaluation.failures.pop(key, None)
            ctx.evaluation.values[key] = outcome
    propagate_failures(ctx)


def propagate_failures(ctx: ImportContext) -> None:
    """Mark every cell downstream of a cell that was not evaluated (or was skipped).

    An IFERROR or ISNA around such a cell would otherwise turn a missing input
    into a plausible value that matches Excel only by luck.
    """
    roots = {
        (sheet.index, cell.row, cell.col): cell.skip
        for sheet, cell in ctx.book.formula_cells()
        if cell.skip is not None
    }
    roots.update(
        (key, failure)
        for key, failure in ctx.evaluation.failures.items()
        if failure.reason not in {Reason.CIRCULAR}
    )
    for key, failure in graph_descendants(ctx.graph, roots, ctx.book).items():
        if key not in ctx.evaluation.failures and key not in roots:
            ctx.evaluation.values.pop(key, None)
            ctx.evaluation.failures[key] = failure


def solve_circular(ctx: ImportContext, *, progress: Progress) -> None:
    """Excel-style iteration over each cycle group when the workbook enables it."""
    ctx.cycles = circular.solve_cycles(
        ctx.book, ctx.graph.cycles, ctx.evaluator, ctx.evaluation, progress=progress
    )
    iterated = {key: None for outcome in ctx.cycles if outcome.iterated for key in outcome.cells}
    for sheet_index, row, col in [*iterated, *downstream_cells(ctx.graph, iterated)]:
        ctx.book.sheets[sheet_index].cells[(row, col)].after_iteration = True


def store_workbook(ctx: ImportContext, *, progress: Progress) -> None:
    """Write workbook, sheets, cells and names (inside the runner's transaction)."""
    ctx.workbook_id = store.store_book(ctx, progress=progress)


def validate_values(ctx: ImportContext, *, progress: Progress) -> None:
    """Compare every calculated value with Excel's cached one; record mismatches."""
    from validation.services import validate_workbook

    run = validate_workbook(
        ctx.workbook_id,
        abs_tol=ctx.options.abs_tol,
        rel_tol=ctx.options.rel_tol,
        progress=progress,
    )
    ctx.summary = run.summary


STAGES: list[tuple[Stage, Callable[..., None]]] = [
    (Stage.HASH, hash_upload),
    (Stage.INSPECT, inspect_archive),
    (Stage.READ_FORMULAS, read_formulas),
    (Stage.READ_VALUES, read_values),
    (Stage.PARSE, parse_formulas),
    (Stage.GRAPH, build_dependencies),
    (Stage.EVALUATE, evaluate_formulas),
    (Stage.CIRCULAR, solve_circular),
    (Stage.STORE, store_workbook),
    (Stage.VALIDATE, validate_values),
]
TRANSACTIONAL = {Stage.STORE, Stage.VALIDATE}


# --- the runner ---------------------------------------------------------------------


def overall_percent(index: int, within: float) -> float:
    done = sum(WEIGHTS[stage] for stage, _ in STAGES[:index])
    return round(done + WEIGHTS[STAGES[index][0]] * max(0.0, min(within, 100.0)) / 100, 2)


def within_stage(progress: Progress, index: int) -> Progress:
    """A stage's own 0-100 progress, mapped into its share of the overall bar."""
    stage = STAGES[index][0]

    def report(_stage: str, percent: float, message: str) -> None:
        progress(stage.value, overall_percent(index, percent), message)

    return report


def run_import(ctx: ImportContext, *, progress: Progress) -> ImportContext:
    """Run every stage in order; raise ImportFailed naming the stage that failed."""
    try:
        _run_stages(ctx, progress, [(i, s, f) for i, (s, f) in enumerate(STAGES[:2])])
        if ctx.duplicate_of is not None:
            ctx.summary = store.duplicate_summary(ctx.duplicate_of)
            progress(
                Stage.VALIDATE.value, 100.0, f"already imported as workbook {ctx.duplicate_of}"
            )
            return ctx
        rest = [(i, s, f) for i, (s, f) in enumerate(STAGES) if i >= 2 and s not in TRANSACTIONAL]
        _run_stages(ctx, progress, rest)
        _close_evaluator(ctx)
        with transaction.atomic():
            tail = [(i, s, f) for i, (s, f) in enumerate(STAGES) if s in TRANSACTIONAL]
            _run_stages(ctx, progress, tail)
        ctx.summary["stage_seconds"] = ctx.stage_seconds
    except ImportFailed:
        store.discard_file(ctx)
        raise
    finally:
        _close_evaluator(ctx)
    progress(Stage.VALIDATE.value, 100.0, _done_message(ctx.summary))
    return ctx


def recalculate(ctx: ImportContext, *, progress: Progress) -> ImportContext:
    """Every stage before store: the workbook read, parsed and recalculated, nothing written.

    For analysis and benchmarks (bench/), which compare in memory.
    """
    stages = [(i, s, f) for i, (s, f) in enumerate(STAGES) if i >= 1 and s not in TRANSACTIONAL]
    ctx.facts = intake.hash_file(ctx.path)
    try:
        _run_stages(ctx, progress, stages)
    finally:
        _close_evaluator(ctx)
    return ctx


def _run_stages(ctx: ImportContext, progress: Progress, stages) -> None:
    for index, stage, step in stages:
        if ctx.should_cancel():
            raise ImportCancelled(stage.value)
        progress(stage.value, overall_percent(index, 0.0), f"{stage.label}…")
        started = time.perf_counter()
        try:
            step(ctx, progress=within_stage(progress, index))
        except ImportFailed:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure is reported with its stage
            raise _failure(stage, exc) from exc
        ctx.stage_seconds[stage.value] = round(time.perf_counter() - started, 3)
        progress(stage.value, overall_percent(index, 100.0), f"{stage.label} done")


def _failure(stage: Stage, exc: Exception) -> ImportFailed:
    if isinstance(exc, intake.IntakeError):
        return ImportFailed(stage.value, str(exc), exc.code)
    if isinstance(exc, reader.ReadError):
        return ImportFailed(stage.value, str(exc), "unreadable")
    if isinstance(exc, EvaluatorError):
        return ImportFailed(stage.value, str(exc), "engine")
    if isinstance(exc, MemoryError):
        return ImportFailed(stage.value, "The workbook needs more memory than we have.", "memory")
    logger.exception("import stage %s failed", stage.value)
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    detail = f"{type(exc).__name__}: {text}" if text else type(exc).__name__
    return ImportFailed(stage.value, f"Unexpected error in stage {stage.label}: {detail}", "bug")


def _close_evaluator(ctx: ImportContext) -> None:
    if ctx.evaluator is not None:
        ctx.evaluator.close()


def _done_message(summary: dict) -> str:
    rate = summary.get("match_rate")
    if rate is None:
        return "done: nothing to compare"
    return f"done: {summary.get('matched', 0)}/{summary.get('compared', 0)} matched ({rate:.2%})"
