"""SUBTOTAL and AGGREGATE against Excel, hidden and filtered rows included.

Excel's SUBTOTAL(1-11) skips the rows a filter hides, SUBTOTAL(101-111) every hidden
row, AGGREGATE's options 1/3/5/7 every hidden row; hidden columns are never skipped.
The reader records the hidden rows (and which of them lie in an applied autoFilter,
the sheet's or a table's) and the engine is told them at build.
"""

from __future__ import annotations

import pytest

from tests.fidelity.harness import cells_using, misses
from tests.node_eval.books import first_column_values, make_book

POI = "apache-poi/"
PYCEL = "pycel/"

# Every corpus workbook calling SUBTOTAL (none calls AGGREGATE). ConditionalFormatting-
# Samples.xlsx has a table with a filter applied ("Regional sales2": SUBTOTAL(9) and
# SUBTOTAL(109) skip its hidden rows) and one with hidden rows and no filter ("Regional
# sales3": only SUBTOTAL(109) skips them).
SUBTOTAL_FILES = [
    POI + "59736.xlsx",
    POI + "ConditionalFormattingSamples.xlsx",
    POI + "DataTableCities.xlsx",
    POI + "FormulaEvalTestData_Copy.xlsx",
    POI + "bug66215.xlsx",
    POI + "table-sample.xlsx",
    POI + "tableStyle.xlsx",
    PYCEL + "excelcompiler.xlsx",
]


def test_corpus_cells_using_subtotal():
    cells = cells_using("SUBTOTAL", *SUBTOTAL_FILES)
    assert cells, "no corpus cell uses SUBTOTAL"
    assert misses(cells) == []


def test_corpus_subtotals_over_hidden_rows_are_checked():
    cells = cells_using("SUBTOTAL", POI + "ConditionalFormattingSamples.xlsx")
    addresses = {cell.address for cell in cells}
    assert {"Regional sales2!B12", "Regional sales2!B13", "Regional sales3!B12"} <= addresses


# Data!A1:A10 holds 1..10; rows 3 and 4 are hidden by a filter, row 8 by hand.
# Plain!A1:A10 holds the same numbers with no hidden row.
CASES = [
    ("=SUBTOTAL(9,Data!A1:A10)", 48.0),
    ("=SUBTOTAL(109,Data!A1:A10)", 40.0),
    ("=SUBTOTAL(2,Data!A1:A10)", 8.0),
    ("=SUBTOTAL(102,Data!A1:A10)", 7.0),
    ("=SUBTOTAL(1,Data!A1:A10)", 6.0),
    ("=SUBTOTAL(104,Data!A1:A10)", 10.0),
    ("=SUBTOTAL(9,Data!A1:A2,Data!A3:A5)", 8.0),
    # A single cell in a hidden row is skipped as well.
    ("=SUBTOTAL(9,Data!A3)", 0.0),
    ("=SUBTOTAL(9,Data!A8)", 8.0),
    ("=SUBTOTAL(109,Data!A8)", 0.0),
    # Hidden rows belong to their sheet.
    ("=SUBTOTAL(109,Plain!A1:A10)", 55.0),
    # AGGREGATE: options 1/3/5/7 skip every hidden row, 0/2/4/6 none.
    ("=AGGREGATE(9,5,Data!A1:A10)", 40.0),
    ("=AGGREGATE(9,1,Data!A1:A10)", 40.0),
    ("=AGGREGATE(9,4,Data!A1:A10)", 55.0),
    ("=AGGREGATE(9,6,Data!A1:A10)", 55.0),
    ("=AGGREGATE(14,7,Data!A1:A10,3)", 7.0),
    ("=AGGREGATE(15,5,Data!A1:A10,3)", 5.0),
    # Computed arrays have no rows to hide.
    ("=AGGREGATE(14,7,Data!A1:A10*1,1)", 10.0),
]


@pytest.fixture(scope="module")
def case_values():
    cells = {f"A{row}": formula for row, (formula, _) in enumerate(CASES, start=1)}
    numbers = {f"A{row}": row for row in range(1, 11)}
    book = make_book({"Sheet1": cells, "Data": numbers, "Plain": numbers})
    data = book.sheets[1]
    data.hidden_rows, data.filtered_rows = [3, 4, 8], [3, 4]
    return first_column_values(book, len(CASES))


@pytest.mark.parametrize("index", range(len(CASES)), ids=[formula for formula, _ in CASES])
def test_hidden_rows(case_values, index):
    formula, expected = CASES[index]
    assert case_values[index] == pytest.approx(expected), formula
