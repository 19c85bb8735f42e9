"""The store stage: workbook, sheets, cells, names and cycle groups, written in bulk.

CellWriter hides the database: PostgreSQL gets COPY (psycopg 3), everything else
bulk_create in batches. The caller (the pipeline runner) holds the transaction,
so a failure in store or validate leaves no rows of the workbook.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection
from openpyxl.utils.cell import get_column_letter

from .book import CellData, CellError, Failure, Progress, Reason, SheetData, ValueType, value_type

if TYPE_CHECKING:
    from .pipeline import ImportContext

BATCH = 5000

CELL_COLUMNS = [
    "workbook_id",
    "sheet_id",
    "row",
    "column",
    "address",
    "formula",
    "cached_type",
    "cached_number",
    "cached_text",
    "calc_type",
    "calc_number",
    "calc_text",
    "status",
    "reason",
    "reason_detail",
    "is_volatile",
    "is_random",
    "is_circular",
    "after_iteration",
    "is_external",
    "array_ref",
    "functions",
]


def typed_columns(value: Any) -> tuple[str, float | None, str | None]:
    """A plain value -> (type, number column, text column), as the Cell model stores it."""
    kind = value_type(value)
    if kind == ValueType.NUMBER:
        number = float(value)
        if not math.isfinite(number):
            return ValueType.ERROR, None, "#NUM!"
        return kind, number, None
    if kind == ValueType.BOOL:
        return kind, 1.0 if value else 0.0, None
    if kind in {ValueType.TEXT, ValueType.ERROR}:
        return kind, None, _clean_text(str(value))
    return ValueType.EMPTY, None, None


def _clean_text(text: str) -> str:
    # PostgreSQL text cannot hold NUL; Excel text practically never does.
    return text.replace("\x00", "\ufffd") if "\x00" in text else text


def find_duplicate(sha256: str, owner_id: int | None) -> int | None:
    from imports.models import Workbook

    match = (
        Workbook.objects.filter(sha256=sha256, owner_id=owner_id, status=Workbook.Status.READY)
        .order_by("-created_at")
        .values_list("pk", flat=True)
        .first()
    )
    return match


def duplicate_summary(workbook_id: int) -> dict:
    from validation.models import ValidationRun

    run = ValidationRun.objects.filter(workbook_id=workbook_id).order_by("-created_at").first()
    summary = dict(run.summary) if run else {"workbook_id": workbook_id}
    summary["duplicate_of"] = workbook_id
    return summary


def discard_file(ctx: ImportContext) -> None:
    name = getattr(ctx, "stored_file", None)
    if name:
        default_storage.delete(name)
        ctx.stored_file = None


def store_book(ctx: ImportContext, *, progress: Progress) -> int:
    from imports.models import CycleGroup, NamedRange, Sheet, Workbook

    book, facts = ctx.book, ctx.facts
    workbook = Workbook(
        name=ctx.options.name or _default_name(ctx.original_filename),
        original_filename=ctx.original_filename[:255],
        sha256=facts.sha256,
        size_bytes=facts.size,
        owner_id=ctx.options.owner_id,
        sheet_count=len(book.sheets),
        cell_count=book.cell_count,
        formula_count=sum(1 for _ in book.result_cells()),
        evaluator=ctx.evaluation.engine if ctx.evaluation else "",
        functions=dict(ctx.parse.functions.most_common()) if ctx.parse else {},
        unsupported_functions=dict(ctx.parse.unsupported.most_common()) if ctx.parse else {},
        stage_seconds=ctx.stage_seconds,
        **calc_fields(book.calc),
    )
    if ctx.options.keep_file:
        with open(ctx.path, "rb") as handle:
            workbook.file.save(f"{facts.sha256}.xlsx", File(handle), save=False)
        ctx.stored_file = workbook.file.name
    workbook.save()
    sheets = Sheet.objects.bulk_create([_sheet_row(workbook, sheet) for sheet in book.sheets])
    sheet_ids = [sheet.pk for sheet in sheets]
    NamedRange.objects.bulk_create(
        NamedRange(
            workbook=workbook,
            name=name.name[:255],
            scope_id=sheet_ids[name.sheet_index]
            if _valid_index(name.sheet_index, sheet_ids)
            else None,
            value=name.value,
            hidden=name.hidden,
        )
        for name in book.names
    )
    CycleGroup.objects.bulk_create(
        CycleGroup(
            workbook=workbook,
            index=number,
            size=len(outcome.cells),
            cells=[_label(book, key) for key in outcome.cells[:1000]],
            iterated=outcome.iterated,
            iterations=outcome.iterations,
            max_change=outcome.max_change,
            converged=outcome.converged,
        )
        for number, outcome in enumerate(ctx.cycles, start=1)
    )
    total = max(book.cell_count, 1)
    writer = get_cell_writer()
    written = writer.write(_cell_rows(ctx, workbook.pk, sheet_ids), progress=progress, total=total)
    progress("store", 95.0, f"{written:,} cells stored")
    references = write_references(ctx, workbook.pk, sheet_ids)
    progress("store", 100.0, f"{written:,} cells and {references:,} references stored")
    return workbook.pk


REFERENCE_COLUMNS = [
    "workbook_id",
    "cell_id",
    "sheet_id",
    "min_row",
    "min_column",
    "max_row",
    "max_column",
]


def write_references(ctx: ImportContext, workbook_id: int, sheet_ids: list[int]) -> int:
    """Every formula's references, for precedents, dependents and root causes."""
    from imports.models import Cell, CellReference

    refs = ctx.parse.refs if ctx.parse else {}
    if not refs:
        return 0
    ids = {
        (sheet_id, row, col): pk
        for pk, sheet_id, row, col in Cell.objects.filter(
            workbook_id=workbook_id, formula__isnull=False
        )
        .values_list("pk", "sheet_id", "row", "column")
        .iterator(chunk_size=BATCH)
    }
    rows = (
        (
            workbook_id,
            cell_id,
            sheet_ids[target],
            ref.min_row,
            ref.min_col,
            ref.max_row,
            ref.max_col,
        )
        for (sheet, row, col), cell_refs in refs.items()
        if (cell_id := ids.get((sheet_ids[sheet], row, col))) is not None
        for target, ref in dict.fromkeys(cell_refs)
    )
    return write_rows(CellReference, REFERENCE_COLUMNS, rows)


def write_rows(model, columns: list[str], rows: Iterable[tuple]) -> int:
    """COPY on PostgreSQL, bulk_create elsewhere; the caller holds the transaction."""
    written = 0
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(name) for name in columns)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
                written += 1
        return written
    batch: list = []
    for row in rows:
        batch.append(model(**dict(zip(columns, row, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            written += len(batch)
            batch = []
    model.objects.bulk_create(batch)
    return written + len(batch)


def calc_fields(calc) -> dict:
    trusted, note = cache_trust(calc)
    return {
        "date_system": 1904 if calc.date1904 else 1900,
        "iterate_enabled": calc.iterate,
        "iterate_count": calc.iterate_count,
        "iterate_delta": calc.iterate_delta,
        "calc_mode": calc.calc_mode,
        "full_calc_on_load": calc.full_calc_on_load,
        "calc_completed": calc.calc_completed,
        "application": calc.application[:255],
        "language": calc.language[:16],
        "cache_trusted": trusted,
        "cache_trust_note": note,
    }


CALCULATING_APPS = ("microsoft excel", "libreoffice", "wps", "kingsoft")


def cache_trust(calc) -> tuple[bool, str]:
    """Whether Excel's cached values can serve as the oracle for this workbook."""
    if calc.calc_mode == "manual":
        return False, "the workbook is in manual calculation mode"
    if not calc.calc_completed:
        return False, "Excel had not finished calculating when it saved"
    if not calc.calc_on_save and calc.calc_mode != "auto":
        return False, "the workbook was saved without recalculating"
    app = calc.application.lower()
    if not calc.written_by_excel and not any(name in app for name in CALCULATING_APPS):
        return (
            False,
            f"written by {calc.application or 'an unknown program'}, which may not calculate",
        )
    return True, ""


def _default_name(filename: str) -> str:
    stem = filename.rsplit("/", 1)[-1]
    return (stem.rsplit(".", 1)[0] or stem)[:255]


def _valid_index(index: int | None, ids: list[int]) -> bool:
    return index is not None and 0 <= index < len(ids)


def _label(book, key) -> str:
    sheet_index, row, col = key
    return f"{book.sheets[sheet_index].name}!{get_column_letter(col)}{row}"


def _sheet_row(workbook, sheet: SheetData):
    from imports.models import Sheet

    cells = sheet.cells
    return Sheet(
        workbook=workbook,
        index=sheet.index,
        name=sheet.name[:255],
        state=sheet.state,
        cell_count=len(cells),
        formula_count=sum(1 for _ in sheet.result_cells()),
        max_row=max((row for row, _ in cells), default=0),
        max_column=max((col for _, col in cells), default=0),
    )


def _cell_rows(ctx: ImportContext, workbook_id: int, sheet_ids: list[int]) -> Iterator[tuple]:
    evaluation = ctx.evaluation
    for sheet in ctx.book.sheets:
        sheet_id = sheet_ids[sheet.index]
        anchors = {(c.row, c.col): c.array_ref for c in sheet.cells.values() if c.array_ref}
        for (row, col), cell in sorted(sheet.cells.items()):
            key = (sheet.index, row, col)
            yield _cell_row(cell, key, workbook_id, sheet_id, evaluation, anchors)


def _cell_row(cell: CellData, key, workbook_id, sheet_id, evaluation, anchors) -> tuple:
    address = f"{get_column_letter(cell.col)}{cell.row}"
    computed = cell.formula is not None or cell.array_anchor is not None
    if not computed:
        cached = typed_columns(cell.value)
        calc: tuple = (None, None, None)
        status, failure = "constant", None
    else:
        cached = typed_columns(cell.cached) if cell.has_cached else (ValueType.EMPTY, None, None)
        failure = cell.skip or evaluation.failures.get(key)
        if failure is None and key not in evaluation.values:
            failure = Failure(Reason.ENGINE_ERROR, "the engine returned no value for this cell")
        calc = (None, None, None) if failure else typed_columns(evaluation.values[key])
        # Provisional: validation corrects "matched" to "mismatched" where values differ.
        if failure:
            status = "not_evaluated"
        else:
            status = "matched" if cell.has_cached else "not_compared"
    array_ref = cell.array_ref or (anchors.get(cell.array_anchor) if cell.array_anchor else None)
    return (
        workbook_id,
        sheet_id,
        cell.row,
        cell.col,
        address,
        cell.formula,
        *cached,
        *calc,
        status,
        failure.reason if failure else "",
        _clean_text(failure.detail)[:2000] if failure else "",
        cell.volatile,
        cell.random,
        cell.circular,
        cell.after_iteration,
        cell.external,
        (array_ref or "")[:32],
        ("," + ",".join(cell.functions) + ",")[:512] if cell.functions else "",
    )


# --- writers ---------------------------------------------------------------------------


class CellWriter:
    def write(self, rows: Iterable[tuple], *, progress: Progress, total: int) -> int:
        raise NotImplementedError


class BulkCreateCellWriter(CellWriter):
    """bulk_create in batches: every database Django supports."""

    def write(self, rows: Iterable[tuple], *, progress: Progress, total: int) -> int:
        from imports.models import Cell

        batch: list = []
        written = 0
        for row in rows:
            batch.append(Cell(**dict(zip(CELL_COLUMNS, row, strict=True))))
            if len(batch) >= BATCH:
                Cell.objects.bulk_create(batch)
                written += len(batch)
                batch = []
                progress("store", 100 * written / total, f"{written:,} cells stored")
        if batch:
            Cell.objects.bulk_create(batch)
            written += len(batch)
        return written


class CopyCellWriter(CellWriter):
    """PostgreSQL COPY: one stream, inside the current transaction."""

    def write(self, rows: Iterable[tuple], *, progress: Progress, total: int) -> int:
        from imports.models import Cell

        table = connection.ops.quote_name(Cell._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(name) for name in CELL_COLUMNS)
        written = 0
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    written += 1
                    if written % 50000 == 0:
                        progress("store", 100 * written / total, f"{written:,} cells stored")
        return written


def get_cell_writer() -> CellWriter:
    if connection.vendor == "postgresql":
        return CopyCellWriter()
    return BulkCreateCellWriter()


__all__ = ["CellError", "get_cell_writer", "store_book", "typed_columns"]
