"""The lookup, reference, logical, information and dynamic-array family against Excel.

Corpus tests recalculate the workbooks that use a function with the real engine and
check every cell calling it (the workbooks made to test one dynamic-array function are
checked whole, so the cells their arrays spill into count too); `KNOWN` lists the cells
that still differ and why. The direct tests pin Excel's documented or measured
behaviour on small workbooks.
"""

from __future__ import annotations

import pytest

from imports.services.book import CellData, CellError
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
STATIC_CYCLE = (
    "a reference only in a branch Excel does not evaluate is reported as a cycle (pipeline)"
)
OFFSET_PARSED = (
    "HyperFormula resolves OFFSET while parsing, so FORMULATEXT shows the resolved reference"
)
FORMULA_TEXT_NORMALISED = (
    "FORMULATEXT shows the engine's (normalised) formula, e.g. TRUE() for TRUE (needs the "
    "file's formula text: engine)"
)
VBA_UDF = "depends on a VBA user-defined function (BROUNDTO), never evaluated"
RANDARRAY = "RANDARRAY is volatile and not of this family"
REPLACED_METADATA = (
    "the normaliser intersects the reference given to ROW/COLUMN (ROW(C11:C14) in row 1192 "
    "becomes ROW(#VALUE!)): worker.mjs parameterKinds() lets the replaced built-in's NOERROR "
    "parameter overwrite this family's declaration (engine)"
)

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
    IRON + "LOOKUP_AND_REFERENCE__CHOOSE.xlsx": {
        "CHOOSE!B40": STATIC_CYCLE,
    },
    IRON + "FORMULATEXT.xlsx": {
        "Sheet1!E1": STATIC_CYCLE,
        "Sheet1!B7": STATIC_CYCLE,
        "Sheet1!A13": STATIC_CYCLE,
        "Sheet1!B14": OFFSET_PARSED,
    },
    IRON + "docs__FV.xlsx": {
        "Sheet1!H6": FORMULA_TEXT_NORMALISED,
        "Sheet1!B11": FORMULA_TEXT_NORMALISED,
    },
    IRON + "docs__PV.xlsx": {
        "Sheet1!H6": FORMULA_TEXT_NORMALISED,
        "Sheet1!B11": FORMULA_TEXT_NORMALISED,
    },
    POI + "stress002.xlsx": {
        "CS Worksheet!M35": VBA_UDF,
        "Schedule B!F52": VBA_UDF,
        "Schedule B!G52": VBA_UDF,
    },
    FORMULA_EVAL: {
        **{f"EverythingTests!{col}1192": REPLACED_METADATA for col in "FGHIK"},
        **{f"EverythingTests!{col}252": REPLACED_METADATA for col in "EFGHI"},
    },
    IRON + "DynamicArrays.xlsx": {
        f"DynamicArrays!{c}{r}": RANDARRAY for c in "ABC" for r in (19, 20, 21)
    },
    PYCEL + "excelcompiler.xlsx": {
        "ArrayForm!F2": REPLACED_METADATA,
        "ArrayForm!F3": REPLACED_METADATA,
        "ArrayForm!H2": REPLACED_METADATA,
        "ArrayForm!I2": REPLACED_METADATA,
    },
}

# Scalar functions: every corpus cell calling them, in these workbooks.
FUNCTION_FILES = {
    "LOOKUP": [
        PYCEL + "lookup.xlsx",
        IRON + "simple_functions.xlsx",
        IRON + "MATCH_LOOKUP_arrays.xlsx",
        FORMULA_EVAL,
    ],
    "VLOOKUP": [
        PYCEL + "lookup.xlsx",
        IRON + "HVLOOKUP.xlsx",
        XLC + "VLOOKUP.xlsx",
        IRON + "MATCH_LOOKUP_arrays.xlsx",
        FORMULA_EVAL,
        POI + "stress002.xlsx",
        POI + "StructuredRefs-lots-with-lookups.xlsx",
    ],
    "HLOOKUP": [
        PYCEL + "lookup.xlsx",
        IRON + "HVLOOKUP.xlsx",
        IRON + "MATCH_LOOKUP_arrays.xlsx",
        FORMULA_EVAL,
    ],
    "MATCH": [
        PYCEL + "lookup.xlsx",
        IRON + "simple_functions.xlsx",
        IRON + "MATCH.xlsx",
        XLC + "MATCH.xlsx",
        IRON + "MATCH_LOOKUP_arrays.xlsx",
        FORMULA_EVAL,
        IRON + "travel_expenses_tracker.xlsx",
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
        IRON + "travel_expenses_tracker.xlsx",
    ],
    "CHOOSE": [
        PYCEL + "lookup.xlsx",
        IRON + "LOOKUP_AND_REFERENCE__CHOOSE.xlsx",
        XLC + "choose.xlsx",
        FORMULA_EVAL,
    ],
    "ROW": [PYCEL + "excelcompiler.xlsx", FORMULA_EVAL],
    "COLUMN": [PYCEL + "excelcompiler.xlsx", FORMULA_EVAL, IRON + "weekly_timesheet.xlsx"],
    "ROWS": [FORMULA_EVAL],
    "COLUMNS": [FORMULA_EVAL],
    "ADDRESS": [IRON + "ADDRESS.xlsx", FORMULA_EVAL],
    "AND": [
        IRON + "AND_OR_XOR.xlsx",
        IRON + "simple_functions.xlsx",
        FORMULA_EVAL,
        XLC + "logical.xlsx",
    ],
    "OR": [
        IRON + "AND_OR_XOR.xlsx",
        IRON + "simple_functions.xlsx",
        FORMULA_EVAL,
        XLC + "logical.xlsx",
    ],
    "XOR": [IRON + "AND_OR_XOR.xlsx", IRON + "logical.xlsx"],
    "NOT": [IRON + "simple_functions.xlsx", FORMULA_EVAL],
    "IF": [IRON + "IF_ARRAY.xlsx", IRON + "logical.xlsx", XLC + "logical.xlsx"],
    "IFS": [IRON + "logical.xlsx"],
    "FILTER": [
        IRON + "DynamicArrays.xlsx",
        IRON + "SORT.xlsx",
        IRON + "weekly_timesheet.xlsx",
        IRON + "travel_expenses_tracker.xlsx",
    ],
    "UNIQUE": [
        IRON + "SORT.xlsx",
        IRON + "weekly_timesheet.xlsx",
        IRON + "travel_expenses_tracker.xlsx",
    ],
    "SEQUENCE": [
        IRON + "SEQUENCE.xlsx",
        IRON + "weekly_timesheet.xlsx",
        IRON + "UPPER_LOWER.xlsx",
        IRON + "DynamicArrays.xlsx",
    ],
    "SWITCH": [IRON + "logical.xlsx"],
    "IFERROR": [IRON + "IFERROR.xlsx"],
    "IFNA": [IRON + "IFERROR.xlsx"],
    "TYPE": [IRON + "TYPE.xlsx"],
    "ERROR.TYPE": [FORMULA_EVAL],
    "N": [PYCEL + "information.xlsx", IRON + "N.xlsx"],
    "NA": [
        IRON + "IFERROR.xlsx",
        PYCEL + "information.xlsx",
        IRON + "logical.xlsx",
        IRON + "IS_INFORMATION.xlsx",
    ],
    "ISBLANK": [
        PYCEL + "information.xlsx",
        FORMULA_EVAL,
        XLC + "INFORMATION.xlsx",
        IRON + "IS_INFORMATION.xlsx",
    ],
    "ISERR": [PYCEL + "information.xlsx", IRON + "IS_INFORMATION.xlsx"],
    "ISERROR": [PYCEL + "information.xlsx", FORMULA_EVAL, IRON + "IS_INFORMATION.xlsx"],
    "ISNA": [
        PYCEL + "information.xlsx",
        FORMULA_EVAL,
        XLC + "INFORMATION.xlsx",
        IRON + "IS_INFORMATION.xlsx",
    ],
    "ISLOGICAL": [PYCEL + "information.xlsx", FORMULA_EVAL, IRON + "IS_INFORMATION.xlsx"],
    "ISNONTEXT": [PYCEL + "information.xlsx", FORMULA_EVAL, IRON + "IS_INFORMATION.xlsx"],
    "ISNUMBER": [PYCEL + "information.xlsx", FORMULA_EVAL, IRON + "IS_INFORMATION.xlsx"],
    "ISTEXT": [
        PYCEL + "information.xlsx",
        FORMULA_EVAL,
        XLC + "INFORMATION.xlsx",
        IRON + "IS_INFORMATION.xlsx",
    ],
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
    PYCEL + "lookup.xlsx",
    IRON + "DynamicArrays.xlsx",
    PYCEL + "excelcompiler.xlsx",
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


# -- direct edge cases -------------------------------------------------------------------

# Data on sheet D: A1:A5 1 3 5 7 9 (A6 blank), B1:B5 a..e, C1:C3 text.
DATA = {
    **{f"A{row}": value for row, value in enumerate([1, 3, 5, 7, 9], start=1)},
    **{f"B{row}": Text(value) for row, value in enumerate("abcde", start=1)},
    "C1": Text("apple"),
    "C2": Text("Banana"),
    "C3": Text("cherry"),
}

# (formula, Excel's value); formulas are written as HyperFormula parses them (TRUE()).
CASES = [
    # VLOOKUP / HLOOKUP: approximate by default, exact with wildcards, index checks.
    ("=VLOOKUP(6,D!A1:B5,2)", "c"),
    ("=VLOOKUP(6,D!A1:B5,2,FALSE())", "#N/A"),
    ('=VLOOKUP("B*",D!C1:C3,1,FALSE())', "Banana"),
    ("=VLOOKUP(1,D!A1:B5,3)", "#REF!"),
    ("=VLOOKUP(1,D!A1:B5,0)", "#VALUE!"),
    ('=HLOOKUP("b",{"a","b";1,2},2,FALSE())', 2.0),
    # MATCH: 1 binary search, -1 descending scan, 0 exact with wildcards.
    ("=MATCH(8,D!A1:A5)", 4.0),
    ("=MATCH(0,D!A1:A5)", "#N/A"),
    ("=MATCH(6,{9,7,5,3},-1)", 2.0),
    ('=MATCH("c*",D!B1:B5,0)', 3.0),
    ("=MATCH(1,D!A1:B2,0)", "#N/A"),
    ("=MATCH(0.1+0.2,{1,0.3},0)", 2.0),
    # LOOKUP: errors and other kinds are passed over (the last-match idiom).
    ("=LOOKUP(2,1/(D!A1:A5>4),D!B1:B5)", "e"),
    ('=LOOKUP("zz",D!B1:B5)', "e"),
    ("=LOOKUP(6,D!A1:B5)", "c"),
    # XLOOKUP / XMATCH modes.
    ('=XLOOKUP(6,D!A1:A5,D!B1:B5,"none")', "none"),
    ("=XLOOKUP(6,D!A1:A5,D!B1:B5,,1)", "d"),
    ("=XLOOKUP(6,D!A1:A5,D!B1:B5,,-1)", "c"),
    ("=XLOOKUP(6,D!A1:A5,D!B1:B5,,)", "#N/A"),
    ('=XLOOKUP(2,{1;2;2;2;3},{"a";"b";"c";"d";"e"},,0,2)', "b"),
    ('=XLOOKUP(2,{3;2;2;2;1},{"a";"b";"c";"d";"e"},,0,-2)', "d"),
    ('=XLOOKUP("a?",D!B1:B5,D!A1:A5,,2,2)', "#VALUE!"),
    ("=XMATCH(4,D!A1:A5,1)", 3.0),
    ('=XMATCH("C",D!B1:B5)', 3.0),
    # INDEX: 0 selects a whole column, a reference that SUM and ROW can use.
    ("=SUM(INDEX(D!A1:B5,0,1))", 25.0),
    ("=INDEX(D!A1:B5,6,1)", "#REF!"),
    ("=INDEX(D!A1:B5,-1,1)", "#VALUE!"),
    ("=ROW(INDEX(D!A1:A5,3))", 3.0),
    ("=INDEX(D!B1:B5,2.9)", "b"),
    ("=INDEX({1,2,3},2)", 2.0),
    # CHOOSE: only the chosen value is evaluated; index truncated; out of range #VALUE!.
    ('=CHOOSE(2,1/0,"ok")', "ok"),
    ("=CHOOSE(0,1,2)", "#VALUE!"),
    ('=CHOOSE(2.7,"a","b","c")', "b"),
    ("=SUM(CHOOSE(2,D!A1:A2,D!A1:A5))", 25.0),
    # AND / OR / XOR: blanks and text in ranges are ignored; nothing logical is #VALUE!.
    ("=AND(D!A1:A6)", True),
    ("=AND(D!B1:B5)", "#VALUE!"),
    ('=OR("",FALSE())', False),
    ('=AND("TRUE",1)', True),
    ("=XOR(TRUE(),TRUE(),TRUE())", True),
    ('=NOT("")', "#VALUE!"),
    ("=NOT(D!A6)", True),
    ('=NOT("false")', True),
    # IF family.
    ('=IF("",1,2)', "#VALUE!"),
    ("=IF(TRUE(),,2)", 0.0),
    ("=IF(FALSE(),1)", False),
    ("=IF(TRUE(),1,1/0)", 1.0),
    ("=SUM(IF(D!A1:A5>4,D!A1:A5))", 21.0),
    ("=SUM(IF({TRUE(),FALSE()},{1,2,3},{10,20,30}))", "#N/A"),
    ('=IFNA(1/0,"x")', "#DIV/0!"),
    ('=IFNA(NA(),"x")', "x"),
    ("=SUM(IFERROR(1/(D!A1:A5-5),2))", 2.0),
    # Information.
    ("=TYPE(D!A1:A2)", 64.0),
    ('=TYPE("a")', 2.0),
    ("=TYPE(1/0)", 16.0),
    ("=ERROR.TYPE(1/0)", 2.0),
    ("=ERROR.TYPE(1)", "#N/A"),
    ("=ISREF(D!A1:A2)", True),
    ("=ISREF(5)", False),
    ("=ISREF(INDEX(D!A1:A5,2))", True),
    ("=ISODD(-5.5)", True),
    ("=ISEVEN(2.3)", True),
    ("=ISODD(TRUE())", "#VALUE!"),
    ("=ISBLANK(D!A6)", True),
    ("=SHEETS()", 2.0),
    ("=SUM(ROW(D!A2:A4))", 9.0),
    ("=SUM(COLUMN(D!B1:D1))", 9.0),
    ("=AREAS(D!A1:B5)", 1.0),
    # ADDRESS.
    ("=ADDRESS(2,3,4)", "C2"),
    ('=ADDRESS(2,3,1,FALSE(),"My Sheet")', "'My Sheet'!R2C3"),
    ("=ADDRESS(23.4,34.7,2)", "AH$23"),
    ("=ADDRESS(0,1)", "#VALUE!"),
    # Dynamic arrays, read through INDEX, ROWS and SUM.
    ("=INDEX(SORT({3;1;2},1,-1),1)", 3.0),
    ('=INDEX(SORT({"b";1;TRUE();"a"}),4)', True),
    ('=INDEX(SORTBY({"a";"b";"c"},{3;1;2}),1)', "b"),
    ('=ROWS(UNIQUE({"a";"A";"b"}))', 2.0),
    ("=ROWS(FILTER(D!A1:A5,D!A1:A5>4))", 3.0),
    ('=INDEX(FILTER(D!A1:A5,D!A1:A5>100,"none"),1)', "none"),
    ("=SUM(ERROR.TYPE(FILTER(D!A1:A5,D!A1:A5>100)))", 14.0),
    ("=SUM(SEQUENCE(,4))", 10.0),
    ("=SEQUENCE(0)", "#CALC!"),
    ("=SEQUENCE(-1)", "#VALUE!"),
    ("=SUM(TAKE(D!A1:A5,-2))", 16.0),
    ("=SUM(DROP(D!A1:A5,2))", 21.0),
    ("=TAKE(D!A1:A5,0)", "#CALC!"),
    ("=ROWS(TOCOL(D!A1:A6,1))", 5.0),
    ("=INDEX(WRAPROWS(D!A1:A5,2),3,2)", "#N/A"),
    ("=INDEX(CHOOSECOLS(D!A1:B5,-1),2)", "b"),
    ("=SUM(ERROR.TYPE(CHOOSECOLS(D!A1:B5,3)))", 3.0),
    ('=INDEX(EXPAND({1,2},2,3,"p"),2,3)', "p"),
    ("=EXPAND({1,2},1,1)", "#VALUE!"),
]


@pytest.fixture(scope="module")
def case_values():
    cells = {f"A{row}": formula for row, (formula, _) in enumerate(CASES, start=1)}
    book = make_book({"S": cells, "D": DATA})
    with HyperFormulaEvaluator() as evaluator:
        result = evaluator.evaluate(book, progress=lambda *call: None)
    assert result.failures == {}
    return [result.values[(0, row, 1)] for row in range(1, len(CASES) + 1)]


@pytest.mark.parametrize("index", range(len(CASES)), ids=[formula for formula, _ in CASES])
def test_edge_case(case_values, index):
    formula, expected = CASES[index]
    value = case_values[index]
    if isinstance(expected, str) and expected.startswith("#"):
        assert isinstance(value, CellError) and value == expected, formula
    elif isinstance(expected, float):
        assert not isinstance(value, CellError), formula
        assert value == pytest.approx(expected, rel=1e-9), formula
    else:
        assert value == expected and not isinstance(value, CellError), formula
        assert type(value) is type(expected), formula


def spilled(values, sheet, top, left, height, width):
    return [[values[(sheet, top + r, left + c)] for c in range(width)] for r in range(height)]


def array_cells(anchor: str, formula: str, height: int, width: int) -> dict[str, CellData]:
    """A dynamic-array formula at `anchor` and the cells of its spill range."""
    col0 = ord(anchor[0]) - 64
    row0 = int(anchor[1:])
    ref = f"{anchor}:{chr(64 + col0 + width - 1)}{row0 + height - 1}"
    cells = {
        anchor: CellData(row=row0, col=col0, formula=formula, array_ref=ref, dynamic_array=True)
    }
    for r in range(height):
        for c in range(width):
            if r or c:
                address = f"{chr(64 + col0 + c)}{row0 + r}"
                cells[address] = CellData(row=row0 + r, col=col0 + c, array_anchor=(row0, col0))
    return cells


def test_dynamic_arrays_spill_into_their_range():
    sheet = {
        "A1": 3,
        "A2": Text("b"),
        "A3": 1,
        "A4": Text("a"),
        "B1": 10,
        "B2": 20,
        "B3": 30,
        "B4": 40,
        **array_cells("D1", "=SORT(A1:B4)", 4, 2),
        **array_cells("G1", "=XLOOKUP(1,A1:A4,A1:B4)", 1, 2),
        **array_cells("G3", "=TAKE(B1:B4,-2)", 2, 1),
        **array_cells("H3", "=VLOOKUP({3;1},A1:B4,2,FALSE())", 2, 1),
        **array_cells("I3", "=TRANSPOSE(SEQUENCE(2,1,5))", 1, 2),
    }
    with HyperFormulaEvaluator() as evaluator:
        values = evaluator.evaluate(make_book({"S": sheet}), progress=lambda *call: None).values
    assert spilled(values, 0, 1, 4, 4, 2) == [[1, 30], [3, 10], ["a", 40], ["b", 20]]
    assert spilled(values, 0, 1, 7, 1, 2) == [[1, 30]]
    assert spilled(values, 0, 3, 7, 2, 1) == [[30], [40]]
    assert spilled(values, 0, 3, 8, 2, 1) == [[10], [30]]
    assert spilled(values, 0, 3, 9, 1, 2) == [[5, 6]]


def test_reference_functions_do_not_read_their_cells():
    # ISREF, ROW, COLUMN and AREAS of the formula's own cell are no circular reference.
    book = make_book({"S": {"A1": "=ISREF(A1)", "B1": "=ROW(B1)+COLUMN(B1)", "C1": "=AREAS(C1)"}})
    with HyperFormulaEvaluator() as evaluator:
        result = evaluator.evaluate(book, progress=lambda *call: None)
    assert result.failures == {}
    assert result.values == {(0, 1, 1): True, (0, 1, 2): 3, (0, 1, 3): 1}


def test_a_plain_formula_intersects_a_selected_column():
    # INDEX(..., 0) in a one-cell formula: Excel reads the selected column in the formula's row.
    book = make_book(
        {"S": {"A1": 10, "A2": 20, "A3": 30, "B2": "=INDEX(A1:A3,0)", "C5": "=INDEX(A1:A3,0,1)"}}
    )
    with HyperFormulaEvaluator() as evaluator:
        values = evaluator.evaluate(book, progress=lambda *call: None).values
    assert values[(0, 2, 2)] == 20
    assert values[(0, 5, 3)] == "#VALUE!"


def test_ifs_and_switch_stop_at_the_first_match():
    cells = {
        "A1": 2,
        "B1": "=IFS(TRUE(),1,1/0,2)",
        "B2": '=IFS(A1=1,"one",A1=2,"two")',
        "B3": '=IFS(A1>5,"big")',
        "B4": '=IFS("",1)',
        "B5": '=SWITCH(A1,1,"one",2,"two")',
        "B6": '=SWITCH(A1,1/0,"x","y")',
        "B7": '=SWITCH(A9,0,"zero","other")',
        "B8": '=SWITCH("B","a",1,"b",2)',
        "B9": "=SWITCH(A1,1,2)",
        "B10": "=SWITCH(A1,2,1/0,3)",
    }
    with HyperFormulaEvaluator() as evaluator:
        values = evaluator.evaluate(make_book({"S": cells}), progress=lambda *call: None).values
    assert [values[(0, row, 2)] for row in range(1, 11)] == [
        1,
        "two",
        "#N/A",
        "#VALUE!",
        "two",
        "#DIV/0!",
        "zero",
        2,
        "#N/A",
        "#DIV/0!",
    ]


def test_a_filter_spills_as_far_as_excel_recorded():
    # Excel spilled C1:C2 and the user wrote below it; sizing FILTER by its input
    # (six rows) would collide with C4 (#SPILL!).
    sheet = {
        **{f"A{row}": row for row in range(1, 7)},
        **array_cells("C1", "=FILTER(A1:A6,A1:A6>4)", 2, 1),
        "C4": Text("note"),
        **array_cells("E1", "=UNIQUE(TAKE(A1:A6,E9))", 2, 1),
        "E4": Text("note"),
        "E9": 2,
    }
    with HyperFormulaEvaluator() as evaluator:
        values = evaluator.evaluate(make_book({"S": sheet}), progress=lambda *call: None).values
    assert spilled(values, 0, 1, 3, 2, 1) == [[5], [6]]
    assert spilled(values, 0, 1, 5, 2, 1) == [[1], [2]]
