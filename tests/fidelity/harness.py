"""Recalculate corpus workbooks in memory and check cells against Excel's cached values.

Used by the function and normalisation tests: each asserts that the corpus cells
using a function (or an Excel-ism) reproduce what Excel computed, judged exactly
as validation judges them (validation.memory.verdicts), with the real engine.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from openpyxl.utils.cell import get_column_letter

from imports.services.book import Failure
from imports.services.pipeline import ImportContext, ImportOptions, recalculate
from validation.compare import display
from validation.memory import verdicts

CORPUS = settings.DCMODEL_CORPUS_DIR


@dataclass
class CellOutcome:
    file: str
    address: str  # Sheet!A1
    formula: str | None
    functions: tuple[str, ...]
    cached: Any
    has_cached: bool
    value: Any = None
    failure: Failure | None = None
    detail: str = ""
    status: str = ""  # validation's verdict: matched, mismatched, not_evaluated, excluded, ...
    reason: str = ""

    @property
    def matched(self) -> bool:
        return self.status == "matched"

    @property
    def counted(self) -> bool:
        """Compared (matched or not); cells excluded as no oracle are not counted."""
        return self.has_cached and self.status != "excluded"

    def __str__(self) -> str:
        if self.failure:
            ours = f"NULL ({self.failure.reason}: {self.failure.detail})"
        else:
            ours = display(self.value)
        where = f"{self.file} {self.address} {self.formula}"
        return f"{where}: Excel {display(self.cached)}, ours {ours} {self.detail}"


@functools.lru_cache(maxsize=64)
def recalc(name: str) -> dict[str, CellOutcome]:
    """Every computed cell of a corpus workbook, keyed 'Sheet!A1'."""
    path = CORPUS / name
    ctx = ImportContext(path=path, original_filename=path.name, options=ImportOptions())
    recalculate(ctx, progress=lambda *call: None)
    details = getattr(ctx.evaluation, "details", {})
    tolerances = {"abs_tol": settings.DCMODEL_ABS_TOL, "rel_tol": settings.DCMODEL_REL_TOL}
    cells = {}
    for sheet, cell, value, failure, verdict in verdicts(ctx, **tolerances):
        key = (sheet.index, cell.row, cell.col)
        address = f"{sheet.name}!{get_column_letter(cell.col)}{cell.row}"
        cells[address] = CellOutcome(
            file=name,
            address=address,
            formula=cell.formula,
            functions=cell.functions,
            cached=cell.cached,
            has_cached=cell.has_cached,
            value=value,
            failure=failure,
            detail=details.get(key, ""),
            status=verdict.status,
            reason=verdict.reason,
        )
    return cells


def cells_using(function: str, *names: str) -> list[CellOutcome]:
    """The compared cells of these workbooks whose formula calls `function`."""
    upper = function.upper()
    return [
        cell
        for name in names
        for cell in recalc(name).values()
        if cell.counted and upper in cell.functions
    ]


def misses(cells: list[CellOutcome], known: dict[str, str] | None = None) -> list[str]:
    """Cells that do not match Excel and are not listed as known misses (address -> why)."""
    known = known or {}
    return [str(cell) for cell in cells if not cell.matched and cell.address not in known]
