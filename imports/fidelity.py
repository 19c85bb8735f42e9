"""The fidelity report: import many workbooks and measure how much of Excel we reproduce.

`match_rate` is matched / compared over all cells; `mean_workbook_rate` is the
mean of per-workbook rates, a failed workbook counting 0, so one huge file
cannot dominate.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

from django.db import connection

from imports.services.pipeline import ImportContext, ImportFailed, ImportOptions, run_import

EXTENSIONS = {".xlsx", ".xlsm"}


@dataclass
class WorkbookRow:
    file: str
    formula_cells: int = 0
    compared: int = 0
    matched: int = 0
    match_rate: float | None = None
    seconds: float = 0.0
    error: str = ""
    workbook_id: int | None = None
    excluded: int = 0
    not_evaluated_by_reason: dict = field(default_factory=dict)
    mismatched_by_kind: dict = field(default_factory=dict)
    reasons: dict = field(default_factory=dict)  # "status: reason: which" -> cells
    functions: dict = field(default_factory=dict)  # name -> [compared, matched]

    @property
    def rate_for_mean(self) -> float:
        if self.error:
            return 0.0
        return 1.0 if self.match_rate is None else self.match_rate


@dataclass
class Totals:
    workbooks: int = 0
    failed: int = 0
    formula_cells: int = 0
    compared: int = 0
    matched: int = 0
    match_rate: float = 0.0
    mean_workbook_rate: float = 0.0

    def line(self) -> str:
        return (
            f"TOTAL workbooks={self.workbooks} failed={self.failed} "
            f"formula_cells={self.formula_cells} compared={self.compared} matched={self.matched} "
            f"match_rate={self.match_rate:.4f} mean_workbook_rate={self.mean_workbook_rate:.4f}"
        )


def find_workbooks(paths: Iterable[str | Path]) -> list[Path]:
    """Every .xlsx/.xlsm under the given files or folders, sorted; Excel lock files skipped."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(
                p for p in path.rglob("*") if p.suffix.lower() in EXTENSIONS and p.is_file()
            )
        elif path.is_file():
            found.append(path)
        else:
            raise FileNotFoundError(f"No such file or folder: {path}")
    return sorted({p for p in found if not p.name.startswith("~$")})


def import_one(path: Path, label: str, **options) -> WorkbookRow:
    row = WorkbookRow(file=label)
    started = time.perf_counter()
    ctx = ImportContext(
        path=path,
        original_filename=path.name,
        options=ImportOptions(force=True, keep_file=False, **options),
    )
    try:
        run_import(ctx, progress=lambda *call: None)
    except ImportFailed as failure:
        row.error = f"{failure.stage}: {failure.message}"
    else:
        summary = ctx.summary
        row.workbook_id = summary.get("workbook_id")
        row.formula_cells = summary.get("formula_cells", 0)
        row.compared = summary.get("compared", 0)
        row.matched = summary.get("matched", 0)
        row.match_rate = summary.get("match_rate")
        row.excluded = summary.get("excluded", 0)
        row.not_evaluated_by_reason = summary.get("not_evaluated_by_reason", {})
        row.mismatched_by_kind = summary.get("mismatched_by_kind", {})
        row.reasons, row.functions = breakdown(row.workbook_id)
    row.seconds = round(time.perf_counter() - started, 2)
    return row


def totals_of(rows: list[WorkbookRow]) -> Totals:
    totals = Totals(workbooks=len(rows), failed=sum(1 for r in rows if r.error))
    totals.formula_cells = sum(r.formula_cells for r in rows)
    totals.compared = sum(r.compared for r in rows)
    totals.matched = sum(r.matched for r in rows)
    totals.match_rate = totals.matched / totals.compared if totals.compared else 0.0
    totals.mean_workbook_rate = sum(r.rate_for_mean for r in rows) / len(rows) if rows else 0.0
    return totals


def breakdown(workbook_id: int) -> tuple[dict, dict]:
    """Reasons (with which function, rule or message) and per-function tallies of one import."""
    from imports.models import Cell

    reasons: Counter = Counter()
    functions: dict[str, list[int]] = {}
    cells = Cell.objects.filter(workbook_id=workbook_id).exclude(status="constant")
    for status, reason, detail, names in cells.values_list(
        "status", "reason", "reason_detail", "functions"
    ).iterator(chunk_size=5000):
        if status in {"mismatched", "not_evaluated", "excluded"}:
            reasons[reason_key(status, reason, detail)] += 1
        if status in {"matched", "mismatched"} or (status == "not_evaluated" and names):
            for name in filter(None, names.split(",")):
                tally = functions.setdefault(name, [0, 0])
                tally[0] += 1
                tally[1] += status == "matched"
    return dict(reasons), functions


def reason_key(status: str, reason: str, detail: str) -> str:
    """'not_evaluated: unsupported_function: CONVERT', 'mismatched: unexplained', ..."""
    which = detail.rsplit(": ", 1)[-1] if detail.startswith("depends on ") else detail
    if reason == "unsupported_function":
        which = which.split(" ")[0]
    elif reason in {"volatile", "circular", "cache_untrusted", "unexplained", ""}:
        which = ""
    which = which[:80]
    return ": ".join(part for part in (status, reason or "unknown", which) if part)


def reasons_of(rows: list[WorkbookRow]) -> Counter:
    counts: Counter = Counter()
    for row in rows:
        counts.update(row.reasons)
        if row.error:
            counts[f"workbook failed: {row.error[:80]}"] += 1
    return counts


def functions_of(rows: list[WorkbookRow]) -> dict[str, list[int]]:
    totals: dict[str, list[int]] = {}
    for row in rows:
        for name, (compared, matched) in row.functions.items():
            tally = totals.setdefault(name, [0, 0])
            tally[0] += compared
            tally[1] += matched
    return totals


def row_dict(row: WorkbookRow) -> dict:
    return asdict(row)


@contextlib.contextmanager
def throwaway_database() -> Iterator[None]:
    """A fresh, migrated database for the length of the block, then gone.

    Django's own test-database machinery: in-memory SQLite by default, a
    `test_<name>` database on PostgreSQL. The configured database is not touched.
    """
    creation = connection.creation
    old_name = connection.settings_dict["NAME"]
    if connection.vendor != "sqlite":  # never clash with a test database of the same server
        unique = f"dcmodel_throwaway_{os.getpid()}_{secrets.token_hex(4)}"
        connection.settings_dict.setdefault("TEST", {})["NAME"] = unique
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        yield
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
