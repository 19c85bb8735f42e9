"""What-if data tables ({=TABLE(row_input, column_input)}) run their cases on the model."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.formula import DataTableFormula

from imports.services.book import Failure
from imports.services.pipeline import ImportContext, ImportOptions, recalculate
from imports.services.reader import read_formulas
from validation.memory import verdicts

RATES = [0.03, 0.04, 0.05, 0.06]


def future_value(principal: float, rate: float) -> float:
    return principal * (1 + rate) ** 10


def table_book(path: Path, *, calc_mode: str | None = None, stale: bool = False) -> Path:
    """A small model (B3 = B2*(1+B1)^10) with a column, a two-variable and a row data
    table, and a formula reading the first one; cached values as Excel would save them
    (or stale ones for the column table)."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Model"
    sheet["B1"], sheet["B2"], sheet["B3"] = 0.05, 1000, "=B2*(1+B1)^10"
    # Column table: rates down A6:A9 into B1; formulas B5 and C5 read; results B6:C9.
    sheet["B5"], sheet["C5"] = "=B3", "=B3*2"
    cached: dict[str, float] = {}
    for offset, rate in enumerate(RATES):
        row = 6 + offset
        sheet[f"A{row}"] = rate
        cached[f"B{row}"] = future_value(1000, rate) + (1 if stale else 0)
        cached[f"C{row}"] = 2 * future_value(1000, rate)
    # Two-variable table: principals along F5:G5 into B2, rates down E6:E9 into B1.
    sheet["E5"] = "=B3"
    for col, principal in (("F", 1000), ("G", 2000)):
        sheet[f"{col}5"] = principal
        for offset, rate in enumerate(RATES):
            sheet[f"E{6 + offset}"] = rate
            cached[f"{col}{6 + offset}"] = future_value(principal, rate)
    # Row table: rates along C11:E11 into B1; formulas B12, B13 read; results C12:E13.
    sheet["B12"], sheet["B13"] = "=B3", "=B3+1"
    for col, rate in zip("CDE", RATES, strict=False):
        sheet[f"{col}11"] = rate
        cached[f"{col}12"] = future_value(1000, rate)
        cached[f"{col}13"] = future_value(1000, rate) + 1
    sheet["H1"] = "=SUM(B6:C9)"
    cached_sum = sum(cached[f"{c}{r}"] for c in "BC" for r in range(6, 10))
    anchors = {
        "B6": DataTableFormula(ref="B6:C9", r1="B1"),
        "F6": DataTableFormula(ref="F6:G9", dt2D=True, r1="B2", r2="B1"),
        "C12": DataTableFormula(ref="C12:E13", dtr=True, r1="B1"),
    }
    for address, value in cached.items():
        sheet[address] = anchors.get(address, value)
    book.save(path)
    return _with_cached_values(path, {a: cached[a] for a in anchors}, cached_sum, calc_mode)


def _with_cached_values(path: Path, anchors: dict, cached_sum: float, calc_mode) -> Path:
    """Add the <v> openpyxl does not write: the anchors' and the formulas' results."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    for address, value in anchors.items():
        sheet = re.sub(
            rf'(<c r="{address}"[^>]*>\s*<f t="dataTable"[^>]*?)\s*(/>|></f>)(<v\s*/>)?',
            lambda m, v=value: f"{m.group(1)}/><v>{v!r}</v>",
            sheet,
        )
    formulas = {"B3": future_value(1000, 0.05), "H1": cached_sum}
    formulas |= {"B5": formulas["B3"], "C5": 2 * formulas["B3"], "E5": formulas["B3"]}
    formulas |= {"B12": formulas["B3"], "B13": formulas["B3"] + 1}
    for address, value in formulas.items():
        sheet = re.sub(
            rf'(<c r="{address}"[^>]*>\s*<f>[^<]*</f>)(<v\s*/>|<v></v>)?',
            lambda m, v=value: f"{m.group(1)}<v>{v!r}</v>",
            sheet,
        )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    if calc_mode:
        workbook = parts["xl/workbook.xml"].decode()
        workbook = re.sub(r"<calcPr\b", f'<calcPr calcMode="{calc_mode}"', workbook)
        parts["xl/workbook.xml"] = workbook.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path


def outcomes(path: Path) -> dict:
    ctx = ImportContext(path=path, original_filename=path.name, options=ImportOptions())
    recalculate(ctx, progress=lambda *call: None)
    return {
        f"{cell.col}:{cell.row}": (value, failure, verdict)
        for _sheet, cell, value, failure, verdict in verdicts(ctx, abs_tol=1e-9, rel_tol=1e-9)
    }


def at(results: dict, address: str):
    from openpyxl.utils.cell import coordinate_to_tuple

    row, col = coordinate_to_tuple(address)
    return results[f"{col}:{row}"]


def test_the_reader_keeps_the_table_definition(tmp_path):
    book = read_formulas(table_book(tmp_path / "t.xlsx"), progress=lambda *call: None)
    cells = book.sheets[0].cells
    column, two, row = cells[(6, 2)], cells[(6, 6)], cells[(12, 3)]
    assert column.formula == "=TABLE(,B1)" and column.array_ref == "B6:C9"
    assert (two.data_table.row_input, two.data_table.column_input) == ("B2", "B1")
    assert row.formula == "=TABLE(B1,)"
    assert cells[(9, 3)].array_anchor == (6, 2) and cells[(9, 3)].functions == ("TABLE",)


def test_every_kind_of_table_runs_its_cases_on_the_model(tmp_path):
    results = outcomes(table_book(tmp_path / "t.xlsx"))
    for offset, rate in enumerate(RATES):
        row = 6 + offset
        assert at(results, f"B{row}")[0] == pytest.approx(future_value(1000, rate), rel=1e-12)
        assert at(results, f"C{row}")[0] == pytest.approx(2 * future_value(1000, rate))
        assert at(results, f"G{row}")[0] == pytest.approx(future_value(2000, rate))
    for col, rate in zip("CDE", RATES, strict=False):
        assert at(results, f"{col}13")[0] == pytest.approx(future_value(1000, rate) + 1)
    # The inputs hold their own values again, and what reads a table sees its results.
    assert at(results, "B3")[0] == pytest.approx(future_value(1000, 0.05))
    expected_sum = sum(3 * future_value(1000, rate) for rate in RATES)
    assert at(results, "H1")[0] == pytest.approx(expected_sum)
    statuses = {verdict.status for _value, _failure, verdict in results.values()}
    assert statuses == {"matched"}


def test_stale_tables_in_a_workbook_that_recalculates_them_on_demand(tmp_path):
    auto = outcomes(table_book(tmp_path / "auto.xlsx", stale=True))
    assert at(auto, "B6")[2].status == "mismatched" and at(auto, "B6")[2].reason == "unexplained"
    on_demand = outcomes(table_book(tmp_path / "d.xlsx", calc_mode="autoNoTable", stale=True))
    verdict = at(on_demand, "B7")[2]
    assert verdict.status == "mismatched" and verdict.reason == "cache_untrusted"


def test_a_table_whose_input_cell_was_deleted(tmp_path):
    path = table_book(tmp_path / "t.xlsx")
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = re.sub(
        r'(<f t="dataTable" ref="B6:C9"[^/]*?)\s*/>',
        r'\1 del1="1"/>',
        parts["xl/worksheets/sheet1.xml"].decode(),
    )
    parts["xl/worksheets/sheet1.xml"] = sheet.encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    value, failure, _verdict = at(outcomes(path), "B6")
    assert value is None and isinstance(failure, Failure) and "deleted" in failure.detail
