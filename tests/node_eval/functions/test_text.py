"""The text family (TEXT and number formats, text functions) against Excel's cached values.

Each corpus test recalculates the workbooks that use a function with the real engine
and checks every cell calling it; `known` lists the cells that still differ and why.
The direct tests pin edge cases of Excel's documented behaviour.
"""

from __future__ import annotations

import pytest

from imports.services.book import CellData, CellError
from node_eval.client import HyperFormulaEvaluator
from tests.fidelity.harness import cells_using, misses
from tests.node_eval.books import Text, make_book

POI = "apache-poi/"
FORMULA_EVAL = POI + "FormulaEvalTestData_Copy.xlsx"
PYCEL_TEXT = "pycel/text.xlsx"

# Causes outside the text family.
IMPLICIT_INTERSECTION = "legacy formula over a range: Excel intersects implicitly (normaliser)"
EMPTY_AS_ZERO = "=D7 of an empty D7 is 0 in Excel, empty in HyperFormula, so LEN sees '' (engine)"
SEQUENCE_SIZE = "A3# is SEQUENCE(DAY(EOMONTH(F1,0))), a spill size HyperFormula cannot predict"
DMY_LOCALE = "computed by an Excel with a day-month-year locale; this engine reads dates en-US"
COMMA_LOCALE = (
    "computed by an Excel whose decimal separator is ','; the format means something else there"
)
OLD_ELAPSED = (
    "Excel 2008 for Mac formatted negative elapsed times; current Excel gives #VALUE! "
    "(pycel/text.xlsx, Excel 16), which is what we reproduce"
)
ESCAPED_CONTROL = "Excel wrote the control character as _xHHHH_ and the reader does not decode it"


def test_text_number_formats():
    files = [
        POI + "NumberFormatApproxTests.xlsx",
        POI + "GeneralFormatTests.xlsx",
        POI + "TextFormatTests.xlsx",
        POI + "DateFormatTests.xlsx",
        POI + "ElapsedFormatTests.xlsx",
        POI + "FormatConditionTests.xlsx",
        POI + "59106.xlsx",
        POI + "61495-test.xlsm",
        POI + "stress002.xlsx",
        FORMULA_EVAL,
        PYCEL_TEXT,
        "ironcalc/yearly_calendar.xlsx",
        "ironcalc/UPPER_LOWER.xlsx",
        "ironcalc/weekly_timesheet.xlsx",
    ]
    known = {f"Tests!A{row}": OLD_ELAPSED for row in range(32, 52)}
    known |= {"TEST!B1": COMMA_LOCALE, "TEST!B2": COMMA_LOCALE, "Timesheet!B3": SEQUENCE_SIZE}
    assert misses(cells_using("TEXT", *files), known=known) == []


def test_concat_concatenate_textjoin():
    concat_files = [
        PYCEL_TEXT,
        "ironcalc/CONCAT.xlsx",
        "ironcalc/CONCATENATE.xlsx",
        "xlcalculator/CONCAT.xlsx",
        "ironcalc/SCAN.xlsx",
        "ironcalc/spill_operator.xlsx",
        "pycel/excelcompiler.xlsx",
    ]
    assert misses(cells_using("CONCAT", *concat_files)) == []
    concatenate_files = [
        FORMULA_EVAL,
        PYCEL_TEXT,
        POI + "stress002.xlsx",
        POI + "TextFormatTests.xlsx",
        "ironcalc/CONCATENATE.xlsx",
        POI + "61495-test.xlsm",
        "ironcalc/FORMULATEXT.xlsx",
    ]
    known = {
        "EverythingTests!I264": IMPLICIT_INTERSECTION,
        "EverythingTests!J264": IMPLICIT_INTERSECTION,
        "EverythingTests!K264": IMPLICIT_INTERSECTION,
        "Sheet2!B2": IMPLICIT_INTERSECTION,
        "TEST!B1": COMMA_LOCALE,
        "TEST!B2": COMMA_LOCALE,
        "Sheet1!E1": "FORMULATEXT of its own cell is a cycle here (another family)",
    }
    assert misses(cells_using("CONCATENATE", *concatenate_files), known=known) == []
    assert misses(cells_using("TEXTJOIN", "ironcalc/TEXTJOIN.xlsx")) == []


def test_substrings_and_lengths():
    files = [
        FORMULA_EVAL,
        PYCEL_TEXT,
        POI + "stress002.xlsx",
        POI + "stress024.xlsx",
        POI + "56574.xlsx",
        POI + "dataValidationTableRange.xlsx",
        "ironcalc/STRING_HANDLING.xlsx",
        "xlcalculator/FIND.xlsx",
        "xlcalculator/LEN.xlsx",
        "xlcalculator/MID.xlsx",
    ]
    for function in ("LEFT", "RIGHT", "MID"):
        assert misses(cells_using(function, *files)) == [], function
    assert misses(cells_using("LEN", *files), known={"EverythingTests!E832": EMPTY_AS_ZERO}) == []


def test_find_search_substitute_replace():
    files = [FORMULA_EVAL, PYCEL_TEXT, "xlcalculator/FIND.xlsx", "ironcalc/FIND_SEARCH.xlsx"]
    for function in ("FIND", "SEARCH", "SUBSTITUTE", "REPLACE"):
        assert misses(cells_using(function, *files)) == [], function


def test_case_trim_clean_exact():
    files = [
        FORMULA_EVAL,
        PYCEL_TEXT,
        POI + "63934.xlsx",
        "ironcalc/STRING_HANDLING.xlsx",
        "ironcalc/UPPER_LOWER.xlsx",
        "ironcalc/PROPER.xlsx",
        "xlcalculator/EXACT.xlsx",
    ]
    for function in ("UPPER", "LOWER", "PROPER", "TRIM", "CLEAN", "EXACT"):
        assert misses(cells_using(function, *files)) == [], function


def test_char_code_unicode_rept():
    known = {f"Sheet1!B{row}": ESCAPED_CONTROL for row in [*range(1, 9), *range(11, 32)]}
    assert misses(cells_using("CHAR", FORMULA_EVAL, "ironcalc/CHAR.xlsx"), known=known) == []
    assert misses(cells_using("UNICODE", "ironcalc/UNICODE.xlsx")) == []
    assert misses(cells_using("REPT", "ironcalc/REPT.xlsx")) == []


def test_value_and_to_text():
    files = [
        FORMULA_EVAL,
        PYCEL_TEXT,
        "ironcalc/T_VALUE_VALUETOTEXT.xlsx",
        POI + "ValueFunctionOfBlank.xlsx",
    ]
    known = {"Sheet1!I5": DMY_LOCALE, "Sheet1!C15": DMY_LOCALE}
    assert misses(cells_using("VALUE", *files), known=known) == []
    assert misses(cells_using("VALUETOTEXT", "ironcalc/T_VALUE_VALUETOTEXT.xlsx")) == []
    assert misses(cells_using("ARRAYTOTEXT", "ironcalc/ARRAYTOTEXT.xlsx")) == []
    assert misses(cells_using("DOLLAR", FORMULA_EVAL)) == []


def test_textbefore_textafter_textsplit_regex():
    file = "ironcalc/TEXTBEFORE_TEXTAFTER.xlsx"
    assert misses(cells_using("TEXTBEFORE", file)) == []
    assert misses(cells_using("TEXTAFTER", file)) == []
    assert (
        misses(cells_using("TEXTSPLIT", "ironcalc/TEXTSPLIT.xlsx", "ironcalc/UPPER_LOWER.xlsx"))
        == []
    )
    for function in ("REGEXTEST", "REGEXEXTRACT", "REGEXREPLACE"):
        assert misses(cells_using(function, "ironcalc/REGEX.xlsx")) == [], function


# -- direct edge cases through the engine ----------------------------------------------------

CASES = [
    # Excel's text of a number: 15 significant digits.
    ("=LEN(1/3)", 17.0),
    ("=UPPER(1/3)", "0.333333333333333"),
    ('=CONCAT(1/3,"|",10^20,"|",0.1+0.2)', "0.333333333333333|1E+20|0.3"),
    ('=EXACT(2/3,"0.666666666666667")', True),
    # TEXT: sections, rounding from 15 digits, scaling, dates, fractions, General.
    ('=TEXT(2.675,"0.00")', "2.68"),
    ('=TEXT(-1234.5,"#,##0.00;(#,##0.00);\\z\\e\\r\\o")', "(1,234.50)"),
    ('=TEXT(0,"#,##0.00;(#,##0.00);\\z\\e\\r\\o")', "zero"),
    ('=TEXT(1234567,"#,##0,,\\M")', "1M"),
    ('=TEXT(0.256,"0.0%")', "25.6%"),
    ('=TEXT(1234.5,"_($* #,##0.00_);_($* (#,##0.00);_($* \\-??_);_(@_)")', " $1,234.50 "),
    ('=TEXT(0,"_($* #,##0.00_);_($* (#,##0.00);_($* \\-??_);_(@_)")', " $-   "),
    (
        '=TEXT(DATE(2024,2,29)+0.75,"dddd, mmmm d, yyyy h:mm AM/PM")',
        "Thursday, February 29, 2024 6:00 PM",
    ),
    ('=TEXT(DATE(2024,2,29),"[$-409]mmm-yy")', "Feb-24"),
    ('=TEXT(1.5,"[h]:mm")', "36:00"),
    ('=TEXT(0.99999999,"hh:mm:ss")', "00:00:00"),
    ('=TEXT(12.3,"# ?/?")', "12 1/3"),
    ('=TEXT(1234567.891,"General")', "1234567.891"),
    ('=TEXT(123456789012,"General")', "1.23457E+11"),
    ('=TEXT(12345.678,"0.00E+00")', "1.23E+04"),
    ('=TEXT(-1,"h")', "#VALUE!"),
    ('=TEXT("abc","0.00")', "abc"),
    ('=TEXT("1,000","0.0")', "1000.0"),
    ('=TEXT(1,"[Blue][<0]0;0")', "1"),
    # VALUE and NUMBERVALUE.
    ('=VALUE("(1,234.5)")', -1234.5),
    ('=VALUE("12:30 PM")', 0.5208333333333334),
    ('=VALUE("6-Nov-82")', 30261.0),
    ('=VALUE("1 2")', "#VALUE!"),
    ('=NUMBERVALUE(" 3 000,5 %",",",".")', 30.005),
    ('=NUMBERVALUE("1.5.2")', "#VALUE!"),
    # FIXED and DOLLAR round half away from zero.
    ("=FIXED(-1234.565,2)", "-1,234.57"),
    ("=FIXED(1234.5,0,1)", "1235"),
    ("=DOLLAR(-0.005)", "($0.01)"),
    # Substrings, search, replacement.
    ('=MID("abc",5,2)', ""),
    ('=LEFT("abc",-1)', "#VALUE!"),
    ('=FIND("","abc",4)', 4.0),
    ('=FIND("","abc",5)', "#VALUE!"),
    ('=SEARCH("a*c","xxABC")', 3.0),
    ('=SUBSTITUTE("aaa","a","b",2)', "aba"),
    ('=REPT("ab",16384)', "#VALUE!"),
    ('=CHAR(150)&CODE("—")', "–151"),
    ("=UNICHAR(55296)", "#N/A"),
    ('=TRIM("  a   b ")&"|"&PROPER("o\'neil 2nd")', "a b|O'Neil 2Nd"),
    # Newer functions.
    ('=TEXTBEFORE("a-b-c","-",-1)', "a-b"),
    ('=TEXTAFTER("a-b-c","X",,,1)', ""),
    ('=TEXTJOIN(", ",1,"a","","b")', "a, b"),
    ('=REGEXREPLACE("2024-05-06","(\\d+)-(\\d+)-(\\d+)","$3/$2/$1")', "06/05/2024"),
    ("=BAHTTEXT(21.25)", "ยี่สิบเอ็ดบาทยี่สิบห้าสตางค์"),
]


@pytest.fixture(scope="module")
def case_values():
    cells = {f"A{row}": formula for row, (formula, _) in enumerate(CASES, start=1)}
    book = make_book({"Sheet1": cells})
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
        assert value == pytest.approx(expected, rel=1e-9), formula
    else:
        assert value == expected and not isinstance(value, CellError), formula


def test_textsplit_spills_from_constant_text():
    anchor = CellData(
        row=1, col=2, formula='=TEXTSPLIT(A1,",",";")', array_ref="B1:C2", dynamic_array=True
    )
    members = {
        f"{col}{row}": CellData(row=row, col=2 + "BC".index(col), array_anchor=(1, 2))
        for col, row in ["C1", "B2", "C2"]
    }
    book = make_book({"Sheet1": {"A1": Text("1,2;3"), "B1": anchor, **members}})
    with HyperFormulaEvaluator() as evaluator:
        result = evaluator.evaluate(book, progress=lambda *call: None)
    values = {key: result.values.get(key) for key in [(0, 1, 2), (0, 1, 3), (0, 2, 2), (0, 2, 3)]}
    assert values == {(0, 1, 2): "1", (0, 1, 3): "2", (0, 2, 2): "3", (0, 2, 3): CellError("#N/A")}
