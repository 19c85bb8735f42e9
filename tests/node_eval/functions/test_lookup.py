"""The lookup, reference, logical, information and dynamic-array family against Excel.

Corpus tests recalculate the workbooks that use a function with the real engine and
check every cell calling it (the workbooks made to test one dynamic-array function are
checked whole, so the cells their arrays spill into count too); `KNOWN` lists the cells
that still differ and why. The direct tests pin Excel's documented or measured
behaviour on small workbooks.
"""

from __future__ import annotations

import pytest

from imports.services.book import CellError
from node_eval.client import HyperFormulaEvaluator
from tests.fidelity.harness import cells_using, misses, recalc
from tests.node_eval.books import Text, make_book

POI = "apache-poi/"
IRON = "ironcalc/"
PYCEL = "pycel/"
XLC = "xlcalculator/"
FORMULA_EVAL = POI + "FormulaEvalTestData_Copy.xlsx"

# Causes outside this family.
RICH_ERROR = (
    "Excel's value is #CALC! (an empty array), stored as a rich-value error (vm=): the "
    "cached <v>#VALUE!</v> is only the fallback for old readers (reader)"
)
SPILL_SIZE = (
    "the size of the spill depends on cell values (a row/column index of 0 read from a "
    "cell): HyperFormula fixes a spill area before evaluating, so only the anchor is "
    "computed (needs the array's size from the file: engine)"
)
LEGACY_INTERSECTION = (
    "plain (not array) formula whose INDEX(..., 0) selects a column: Excel intersects it "
    "with the formula's row (#VALUE! here); the engine cannot tell a plain formula from a "
    "spilling one (normaliser)"
)
CSE_BROADCAST = (
    "legacy array formula whose range is wider than its result: Excel repeats a one-column "
    "result across the range, the engine pads with #N/A (engine)"
)
STATIC_CYCLE = "a reference only in a branch Excel does not evaluate is reported as a cycle (pipeline)"
RANGE_OPERATOR = "A9:CHOOSE(...) (range operator on a function) does not parse in HyperFormula"
OFFSET_PARSED = "HyperFormula resolves OFFSET while parsing, so FORMULATEXT shows the resolved reference"
FORMULA_TEXT_NORMALISED = (
    "FORMULATEXT shows the engine's (normalised) formula, e.g. TRUE() for TRUE (needs the "
    "file's formula text: engine)"
)
LIBREOFFICE = "file saved by LibreOffice: its cached logicals are the numbers 0/1, Excel's are TRUE/FALSE"
VBA_UDF = "depends on a VBA user-defined function (BROUNDTO), never evaluated"
OTHER_FAMILY = "the difference comes from a function of another family"

# Per file, the cells that cannot match for a reason outside this family.
KNOWN: dict[str, dict[str, str]] = {
    IRON + "DROP_TAKE.xlsx": {
        "Sheet1!C2": RICH_ERROR,
        "Sheet1!E2": RICH_ERROR,
        "Sheet1!F2": RICH_ERROR,
        "Sheet1!I2": RICH_ERROR,
        "Sheet1!L2": RICH_ERROR,
    },
    IRON + "SEQUENCE.xlsx": {"Sheet1!C16": RICH_ERROR, "Sheet1!E18": RICH_ERROR},
    IRON + "simple_functions.xlsx": {"INDEX!H6": LEGACY_INTERSECTION},
    IRON + "LOOKUP_AND_REFERENCE__CHOOSE.xlsx": {"CHOOSE!B10": RANGE_OPERATOR, "CHOOSE!B40": STATIC_CYCLE},
    IRON + "FORMULATEXT.xlsx": {
        "Sheet1!E1": STATIC_CYCLE,
        "Sheet1!F1": STATIC_CYCLE,
        "Sheet1!A7": STATIC_CYCLE,
        "Sheet1!B7": STATIC_CYCLE,
        "Sheet1!A13": STATIC_CYCLE,
        "Sheet1!B14": OFFSET_PARSED,
    },
    IRON + "docs__FV.xlsx": {"Sheet1!H6": FORMULA_TEXT_NORMALISED, "Sheet1!H7": FORMULA_TEXT_NORMALISED},
    IRON + "docs__PV.xlsx": {"Sheet1!B11": FORMULA_TEXT_NORMALISED, "Sheet1!B12": FORMULA_TEXT_NORMALISED},
    XLC + "logical.xlsx": {
        "Sheet1!D2": LIBREOFFICE,
        "Sheet1!E2": LIBREOFFICE,
        "Sheet1!D3": LIBREOFFICE,
        "Sheet1!E3": LIBREOFFICE,
    },
    XLC + "INFORMATION.xlsx": {
        f"Sheet1!{col}10": LIBREOFFICE for col in "ABCDEFGH"
    },
    POI + "stress002.xlsx": {
        "CS Worksheet!M35": VBA_UDF,
        "Schedule B!F52": VBA_UDF,
        "Schedule B!G52": VBA_UDF,
    },
    PYCEL + "excelcompiler.xlsx": {
        "ArrayForm!F21": CSE_BROADCAST,
        "ArrayForm!F22": CSE_BROADCAST,
        "ArrayForm!F23": CSE_BROADCAST,
        "ArrayForm!F24": CSE_BROADCAST,
        "ArrayForm!A33": CSE_BROADCAST,
        "ArrayForm!B33": CSE_BROADCAST,
        "ArrayForm!C33": CSE_BROADCAST,
        "ArrayForm!D33": CSE_BROADCAST,
    },
}

# pycel's INDEX sheet: a row or column index of 0 read from a cell spills a whole row,
# column or table, which the engine cannot size in advance.
KNOWN[PYCEL + "lookup.xlsx"] = {
    f"Index!{col}{row}": SPILL_SIZE
    for row in [*range(12, 23), *range(27, 38), 41, 42, 44, 45]
    for col in "BCDEFGHIJKLMN"
}

# Scalar functions: every corpus cell calling them, in these workbooks.
FUNCTION_FILES = {
    "LOOKUP": [PYCEL + "lookup.xlsx", IRON + "simple_functions.xlsx", IRON + "MATCH_LOOKUP_arrays.xlsx", FORMULA_EVAL],
    "VLOOKUP": [
        PYCEL + "lookup.xlsx",
        IRON + "HVLOOKUP.xlsx",
        XLC + "VLOOKUP.xlsx",
        IRON + "MATCH_LOOKUP_arrays.xlsx",
        FORMULA_EVAL,
        POI + "stress002.xlsx",
    ],
    "HLOOKUP": [PYCEL + "lookup.xlsx", IRON + "HVLOOKUP.xlsx", IRON + "MATCH_LOOKUP_arrays.xlsx", FORMULA_EVAL],
    "MATCH": [
        PYCEL + "lookup.xlsx",
        IRON + "simple_functions.xlsx",
        IRON + "MATCH.xlsx",
        XLC + "MATCH.xlsx",
        IRON + "MATCH_LOOKUP_arrays.xlsx",
        FORMULA_EVAL,
    ],
    "XLOOKUP": [IRON + "XLOOKUP.xlsx"],
    "XMATCH": [IRON + "XMATCH.xlsx"],
    "INDEX": [
        PYCEL + "lookup.xlsx",
        IRON + "simple_functions.xlsx",
        PYCEL + "excelcompiler.xlsx",
        IRON + "XMATCH.xlsx",
        IRON + "ISREF_ISFORMULA_ISODD_ISEVEN.xlsx",
        FORMULA_EVAL,
    ],
    "CHOOSE": [
        PYCEL + "lookup.xlsx",
        IRON + "LOOKUP_AND_REFERENCE__CHOOSE.xlsx",
        XLC + "choose.xlsx",
        FORMULA_EVAL,
    ],
    "ROW": [PYCEL + "excelcompiler.xlsx", FORMULA_EVAL],
    "COLUMN": [PYCEL + "excelcompiler.xlsx", FORMULA_EVAL],
    "ROWS": [FORMULA_EVAL],
    "COLUMNS": [FORMULA_EVAL],
    "ADDRESS": [IRON + "ADDRESS.xlsx", FORMULA_EVAL],
    "AND": [IRON + "AND_OR_XOR.xlsx", IRON + "simple_functions.xlsx", FORMULA_EVAL, XLC + "logical.xlsx"],
    "OR": [IRON + "AND_OR_XOR.xlsx", IRON + "simple_functions.xlsx", FORMULA_EVAL, XLC + "logical.xlsx"],
    "XOR": [IRON + "AND_OR_XOR.xlsx", IRON + "logical.xlsx"],
    "NOT": [IRON + "simple_functions.xlsx", FORMULA_EVAL],
    "IF": [IRON + "IF_ARRAY.xlsx", IRON + "logical.xlsx", XLC + "logical.xlsx"],
    "IFS": [IRON + "logical.xlsx"],
    "SWITCH": [IRON + "logical.xlsx"],
    "IFERROR": [IRON + "IFERROR.xlsx"],
    "IFNA": [IRON + "IFERROR.xlsx"],
    "TYPE": [IRON + "TYPE.xlsx"],
    "ERROR.TYPE": [FORMULA_EVAL],
    "N": [PYCEL + "information.xlsx", IRON + "N.xlsx"],
    "NA": [IRON + "IFERROR.xlsx", PYCEL + "information.xlsx", IRON + "logical.xlsx"],
    "ISBLANK": [PYCEL + "information.xlsx", FORMULA_EVAL, XLC + "INFORMATION.xlsx"],
    "ISERR": [PYCEL + "information.xlsx"],
    "ISERROR": [PYCEL + "information.xlsx", FORMULA_EVAL],
    "ISNA": [PYCEL + "information.xlsx", FORMULA_EVAL, XLC + "INFORMATION.xlsx"],
    "ISLOGICAL": [PYCEL + "information.xlsx", FORMULA_EVAL],
    "ISNONTEXT": [PYCEL + "information.xlsx", FORMULA_EVAL],
    "ISNUMBER": [PYCEL + "information.xlsx", FORMULA_EVAL],
    "ISTEXT": [PYCEL + "information.xlsx", FORMULA_EVAL, XLC + "INFORMATION.xlsx"],
    "ISREF": [IRON + "ISREF_ISFORMULA_ISODD_ISEVEN.xlsx", FORMULA_EVAL],
    "ISFORMULA": [IRON + "ISREF_ISFORMULA_ISODD_ISEVEN.xlsx"],
    "ISODD": [IRON + "ISREF_ISFORMULA_ISODD_ISEVEN.xlsx", PYCEL + "information.xlsx"],
    "ISEVEN": [IRON + "ISREF_ISFORMULA_ISODD_ISEVEN.xlsx", PYCEL + "information.xlsx"],
    "SHEET": [IRON + "SHEET_SHEETS.xlsx"],
    "SHEETS": [IRON + "SHEET_SHEETS.xlsx"],
    "FORMULATEXT": [IRON + "FORMULATEXT.xlsx", IRON + "docs__FV.xlsx", IRON + "docs__PV.xlsx"],
}

# Workbooks made to test dynamic-array functions: every compared cell, spilled ones included.
WHOLE_FILES = [
    IRON + "XLOOKUP.xlsx",
    IRON + "SORT.xlsx",
    IRON + "SEQUENCE.xlsx",
    IRON + "DROP_TAKE.xlsx",
    IRON + "TOCOL.xlsx",
    IRON + "WRAPCOLS_ROWS.xlsx",
    IRON + "CHOOSECOLS_CHOOSEROWS.xlsx",
    IRON + "EXPAND.xlsx",
    IRON + "IFERROR.xlsx",
    IRON + "IF_ARRAY.xlsx",
    IRON + "AND_OR_XOR.xlsx",
    IRON + "MATCH_LOOKUP_arrays.xlsx",
]


def known_in(files: list[str]) -> dict[str, str]:
    known: dict[str, str] = {}
    for name in files:
        known |= KNOWN.get(name, {})
    return known


@pytest.mark.parametrize("function", list(FUNCTION_FILES))
def test_corpus_cells_using(function):
    files = FUNCTION_FILES[function]
    cells = cells_using(function, *files)
    assert cells, f"no corpus cell uses {function}"
    assert misses(cells, known=known_in(files)) == []


@pytest.mark.parametrize("name", WHOLE_FILES)
def test_corpus_workbook(name):
    cells = [cell for cell in recalc(name).values() if cell.has_cached]
    assert misses(cells, known=KNOWN.get(name, {})) == []
