"""The math and engineering family against Excel's cached values.

Each corpus test recalculates the workbooks that use a function with the real engine
and checks every cell calling it; `known` lists the cells that still differ and why.
The direct tests pin edge cases of Excel's documented (or measured) behaviour.
"""

from __future__ import annotations

import re

import pytest

from imports.services.book import CellData, CellError
from node_eval.client import HyperFormulaEvaluator
from tests.fidelity.harness import cells_using, misses
from tests.node_eval.books import Text, make_book

POI = "apache-poi/"
IRON = "ironcalc/"
XLC = "xlcalculator/"
FORMULA_EVAL = POI + "FormulaEvalTestData_Copy.xlsx"
POI_48539 = POI + "48539.xlsx"

# Causes outside the math family.
IMPLICIT_INTERSECTION = "legacy formula over a range: Excel intersects implicitly (normaliser)"
EMPTY_AS_ZERO = "=D7 of an empty D7 is 0 in Excel, empty in HyperFormula (engine)"
SMART_ROUNDING = (
    "HyperFormula's smartRounding multiplies by 10^(10-exponent) on export, so a value "
    "below about 1E-298 or above 1E298 reads back as NaN, #NUM! (engine config)"
)
TOO_MANY_ARGUMENTS = (
    "a call with too many arguments (written by POI) is #VALUE! in Excel, #N/A in HyperFormula"
)
VBA_UDF = "depends on a VBA user-defined function (TROUND), never evaluated"
LIBREOFFICE = "file saved by LibreOffice: the cached #VALUE! is not Excel's (SQRT(-16) is #NUM!)"
BESSEL_J1 = (
    "Excel's J1 for |x| >= 8 differs from the Numerical Recipes approximation it otherwise "
    "matches by 5E-7 (J1(10)); its exact formula is not identified"
)

# A range where a scalar argument is expected: =FLOOR($A3,$AD$47:$AH$47), =COT(I:I).
RANGE_ARGUMENT = re.compile(
    r"\$?\b[A-Z]{1,3}\$?\d+:\$?[A-Z]{1,3}\$?\d+|\$?\b[A-Z]{1,3}:\$?[A-Z]{1,3}\b|\$?\b\d+:\$?\d+\b"
)

# Per file, the cells that cannot match for a reason outside this family.
KNOWN = {
    IRON + "FLOOR_CEILING.xlsx": {
        "CEILING!M13": SMART_ROUNDING,
        "CEILING!N13": SMART_ROUNDING,
        "CEILING!M107": SMART_ROUNDING,
        "CEILING!N107": SMART_ROUNDING,
    },
    FORMULA_EVAL: {"EverythingTests!J1084": EMPTY_AS_ZERO},
    POI + "bug67784.xlsx": {"Sheet1!A7": TOO_MANY_ARGUMENTS, "Sheet1!A8": TOO_MANY_ARGUMENTS},
    POI + "stress002.xlsx": {"CS Worksheet!K53": VBA_UDF, "CS Worksheet!L53": VBA_UDF},
    IRON + "EXP_SIGN.xlsx": {"EXP_SIGN!B43": SMART_ROUNDING},
    XLC + "SQRT.xlsx": {"Sheet1!B1": LIBREOFFICE},
    IRON + "BESSEL.xlsx": {
        cell: BESSEL_J1 for cell in ["BESSELJ!C14", "BESSELJ!E14", "BESSELJ!C19", "BESSELJ!E19"]
    },
}

FLOOR_CEILING = [IRON + "FLOOR_CEILING.xlsx", FORMULA_EVAL, POI_48539, POI + "bug67784.xlsx"]
ROUNDING = [
    IRON + "ROUND.xlsx",
    IRON + "EVEN_ODD.xlsx",
    IRON + "MOD_QUOTIENT.xlsx",
    IRON + "EXP_SIGN.xlsx",
    IRON + "IPMT_PPMT.xlsx",
    IRON + "PMT.xlsx",
    FORMULA_EVAL,
    POI_48539,
    POI + "56315.xlsx",
    POI + "stress002.xlsx",
    POI + "ExcelTables.xlsx",
    XLC + "ROUND.xlsx",
    XLC + "ROUNDUP.xlsx",
    XLC + "ROUNDDOWN.xlsx",
    XLC + "MOD.xlsx",
    XLC + "CEILING.xlsx",
    XLC + "SQRT.xlsx",
]
TRIGONOMETRY = [
    IRON + "TRIGONOMETRIC.xlsx",
    IRON + "trigonometric_functions.xlsx",
    IRON + "TAN.xlsx",
    IRON + "SIN.xlsx",
    IRON + "ATAN2_POWER.xlsx",
    IRON + "IF_ARRAY.xlsx",
    IRON + "DynamicArrays.xlsx",
    IRON + "FORMULATEXT.xlsx",
    IRON + "nodejs__example.xlsx",
    IRON + "N.xlsx",
    FORMULA_EVAL,
    POI_48539,
    POI + "47813.xlsx",
    "pycel/excelcompiler.xlsx",
    "pycel/date-time.xlsx",
    XLC + "ACOS.xlsx",
    XLC + "ASIN.xlsx",
    XLC + "ATAN.xlsx",
    XLC + "ATAN2.xlsx",
    XLC + "COS.xlsx",
]
LOGARITHM_POWER = [
    IRON + "LOG_LOG10_LN.xlsx",
    IRON + "EXP_SIGN.xlsx",
    IRON + "SQRT_SQRTPI.xlsx",
    IRON + "ATAN2_POWER.xlsx",
    IRON + "RRI.xlsx",
    IRON + "IFERROR.xlsx",
    IRON + "YEAR.xlsx",
    IRON + "docs__FV.xlsx",
    IRON + "docs__PV.xlsx",
    IRON + "MMULT.xlsx",
    IRON + "GCD_LCM.xlsx",
    IRON + "TAN.xlsx",
    FORMULA_EVAL,
    POI_48539,
    "finance-ascension/Cashflow.xlsx",
    "finance-ascension/Finding N.xlsx",
    XLC + "POWER.xlsx",
    XLC + "SQRT.xlsx",
    XLC + "BASES.xlsx",
]
COMBINATORICS = [
    IRON + "GCD_LCM.xlsx",
    IRON + "MULTINOMIAL.xlsx",
    IRON + "FACT_DOUBLEFACT.xlsx",
    IRON + "SERIESSUM.xlsx",
    FORMULA_EVAL,
]
ENGINEERING = [
    IRON + "CONVERT.xlsx",
    IRON + "COMPLEXs.xlsx",
    IRON + "BESSEL.xlsx",
    IRON + "ERFs.xlsx",
    IRON + "GESTEP_DELTA.xlsx",
    IRON + "BITs.xlsx",
    IRON + "BASE.xlsx",
    IRON + "ARABIC_ROMAN.xlsx",
    XLC + "BASES.xlsx",
    POI + "57196.xlsx",
]
MATRIX = [
    IRON + "MMULT.xlsx",
    IRON + "MUNIT_MDETERM_MINVERSE.xlsx",
    POI + "MatrixFormulaEvalTestData.xlsx",
]

# Functions whose arguments are all scalars: a range there is an implicit intersection.
SCALAR_ONLY = {
    "FLOOR", "CEILING", "FLOOR.MATH", "CEILING.MATH", "FLOOR.PRECISE", "CEILING.PRECISE",
    "ISO.CEILING", "MROUND", "ROUND", "ROUNDUP", "ROUNDDOWN", "TRUNC", "INT", "EVEN", "ODD",
    "MOD", "QUOTIENT", "SIGN", "ABS", "SIN", "COS", "TAN", "COT", "CSC", "SEC", "ASIN", "ACOS",
    "ATAN", "ATAN2", "ACOT", "SINH", "COSH", "TANH", "COTH", "CSCH", "SECH", "ASINH", "ACOSH",
    "ATANH", "ACOTH", "DEGREES", "RADIANS", "LN", "LOG", "LOG10", "EXP", "POWER", "SQRT",
    "SQRTPI", "FACT", "FACTDOUBLE", "COMBIN", "COMBINA", "ROMAN", "ARABIC",
}  # fmt: skip

CASES_BY_GROUP = {
    "floor_ceiling": (
        FLOOR_CEILING,
        ["FLOOR", "CEILING", "FLOOR.MATH", "CEILING.MATH", "FLOOR.PRECISE", "CEILING.PRECISE",
         "ISO.CEILING", "MROUND"],
    ),
    "rounding": (
        ROUNDING,
        ["ROUND", "ROUNDUP", "ROUNDDOWN", "TRUNC", "INT", "EVEN", "ODD", "MOD", "QUOTIENT",
         "SIGN", "ABS"],
    ),
    "trigonometry": (
        TRIGONOMETRY,
        ["SIN", "COS", "TAN", "COT", "CSC", "SEC", "ASIN", "ACOS", "ATAN", "ATAN2", "ACOT",
         "SINH", "COSH", "TANH", "COTH", "CSCH", "SECH", "ASINH", "ACOSH", "ATANH", "ACOTH",
         "DEGREES", "RADIANS", "PI"],
    ),
    "logarithm_power": (
        LOGARITHM_POWER, ["LN", "LOG", "LOG10", "EXP", "POWER", "SQRT", "SQRTPI"]
    ),
    "combinatorics": (
        COMBINATORICS,
        ["FACT", "FACTDOUBLE", "COMBIN", "MULTINOMIAL", "GCD", "LCM", "SERIESSUM",
         "SUMSQ", "SUMX2MY2", "SUMX2PY2", "SUMXMY2", "PRODUCT", "SUMPRODUCT"],
    ),
    "engineering": (
        ENGINEERING,
        ["CONVERT", "COMPLEX", "IMREAL", "IMAGINARY", "IMABS", "IMARGUMENT", "IMCONJUGATE",
         "IMSUM", "IMSUB", "IMPRODUCT", "IMDIV", "IMSQRT", "IMEXP", "IMLN", "IMLOG10",
         "IMLOG2", "IMSIN", "IMCOS", "IMTAN", "IMCOT", "IMSEC", "IMCSC", "IMSINH", "IMCOSH",
         "IMSECH", "IMCSCH", "BESSELI", "BESSELJ", "BESSELK", "BESSELY", "ERF", "ERFC",
         "ERF.PRECISE", "ERFC.PRECISE", "GESTEP", "DELTA", "BITAND", "BITOR", "BITXOR",
         "BITLSHIFT", "BITRSHIFT", "BASE", "DECIMAL", "ROMAN", "ARABIC", "BIN2DEC", "BIN2HEX",
         "BIN2OCT", "DEC2BIN", "DEC2HEX", "DEC2OCT", "HEX2BIN", "HEX2DEC", "HEX2OCT",
         "OCT2BIN", "OCT2DEC", "OCT2HEX"],
    ),
    "matrix": (MATRIX, ["MMULT", "MINVERSE", "MDETERM", "MUNIT"]),
}  # fmt: skip

# COMBINA and IMPOWER appear in no corpus workbook: the direct cases below cover them.
CORPUS_CASES = [
    (function, files) for files, functions in CASES_BY_GROUP.values() for function in functions
]


def known_misses(function: str, files: list[str]) -> dict[str, str]:
    """The listed misses of these files, plus implicit intersections of a scalar function."""
    known: dict[str, str] = {}
    for name in files:
        known |= KNOWN.get(name, {})
    if function in SCALAR_ONLY:
        for cell in cells_using(function, *files):
            if not cell.matched and RANGE_ARGUMENT.search(cell.formula or ""):
                known[cell.address] = IMPLICIT_INTERSECTION
    return known


@pytest.mark.parametrize(("function", "files"), CORPUS_CASES, ids=[f for f, _ in CORPUS_CASES])
def test_corpus_cells(function, files):
    cells = cells_using(function, *files)
    assert cells, f"no corpus cell uses {function}"
    assert misses(cells, known=known_misses(function, files)) == []


# Direct edge cases: (formula, Excel's value). Floats compare at 1e-9 relative.
CASES = [
    # Rounding works on the 15-significant-digit value.
    ("=ROUND(298.9*1.05,2)", 313.85),
    ("=ROUND(1.05*(0.0284+0.0046)-0.0284,4)", 0.0063),
    ("=ROUND(2.5,0)", 3.0),
    ("=ROUND(-2.5,0)", -3.0),
    ("=ROUND(1234.5678,-2)", 1200.0),
    ("=ROUND(7.123,0.9)", 7.0),
    ("=ROUNDUP(0.1+0.2,1)", 0.3),
    ("=ROUNDUP(-3.14159,1)", -3.2),
    ("=ROUNDDOWN(-3.14159,1)", -3.1),
    ("=TRUNC(-8.9)", -8.0),
    ("=INT(-0.00001)", -1.0),
    ("=INT(123456789-0.0000004)", 123456789.0),
    ("=EVEN(1.5)", 2.0),
    ("=EVEN(-1)", -2.0),
    ("=ODD(2)", 3.0),
    ("=ODD(0)", 1.0),
    ("=MOD(-3,2)", 1.0),
    ("=MOD(3,-2)", -1.0),
    ("=MOD(10.0000000001,0.1)", 9.999945316252479e-11),
    ("=MOD(5,0)", "#DIV/0!"),
    ("=QUOTIENT(-10,3)", -3.0),
    ("=QUOTIENT(TRUE(),1)", "#VALUE!"),
    # FLOOR and CEILING families.
    ("=FLOOR(7.1,0.1)", 7.1),
    ("=FLOOR(-7.1,1)", -8.0),
    ("=FLOOR(-7.1,-1)", -7.0),
    ("=FLOOR(7.1,-1)", "#NUM!"),
    ("=FLOOR(10,0)", "#DIV/0!"),
    ("=CEILING(10,0)", 0.0),
    ("=CEILING(-7.1,1)", -7.0),
    ("=CEILING(709,10^-307)", "#NUM!"),
    ("=FLOOR.MATH(-7.1,1,1)", -7.0),
    ("=CEILING.MATH(-7.5,1,1)", -8.0),
    ("=FLOOR.PRECISE(-3.2,-1)", -4.0),
    ("=ISO.CEILING(-4.3,2)", -4.0),
    ("=MROUND(10,3)", 9.0),
    ("=MROUND(-10,-3)", -9.0),
    ("=MROUND(5,-2)", "#NUM!"),
    # Argument conversion.
    ('=ABS("")', "#VALUE!"),
    ('=FLOOR(" 10 ",3)', 9.0),
    ('=ROUND("2024-01-10",0)', 45301.0),
    ('=INT(" 2024-01-10 ")', "#VALUE!"),
    ('=SQRT("--4")', "#VALUE!"),
    ("=SIGN(TRUE())", 1.0),
    ("=GESTEP(TRUE())", "#VALUE!"),
    # Trigonometry with Excel's argument reduction and limits.
    ("=PI()", 3.141592653589793),
    ("=COS(PI()/2)", 6.1257422745431e-17),
    ("=TAN(PI()/2)", 1.6324552277619072e16),
    ("=SIN(2^27)", "#NUM!"),
    ("=COT(0)", "#DIV/0!"),
    ("=ACOT(-1)", 2.356194490192345),
    ("=ACOTH(0.5)", "#NUM!"),
    ("=ATAN2(1,1)", 0.7853981633974483),
    ("=ATAN2(0,0)", "#DIV/0!"),
    ("=DEGREES(PI())", 180.0),
    # Logarithms and powers.
    ("=LOG(8,2)", 3.0),
    ("=LOG(10,1)", "#DIV/0!"),
    ("=LN(0)", "#NUM!"),
    ("=POWER(-8,1/3)", -2.0),
    ("=POWER(-2,0.8)", "#NUM!"),
    ("=POWER(0,0)", "#NUM!"),
    ("=POWER(0,-1)", "#DIV/0!"),
    ("=EXP(-745)", 0.0),
    ("=SQRTPI(2)", 2.5066282746310002),
    # Combinatorics and sums.
    ("=FACT(5)", 120.0),
    ("=FACT(-1)", "#NUM!"),
    ("=FACTDOUBLE(7)", 105.0),
    ("=COMBIN(8,2)", 28.0),
    ("=COMBINA(4,3)", 20.0),
    ("=MULTINOMIAL(2,3,4)", 1260.0),
    ("=GCD(24,36)", 12.0),
    ("=LCM(24,36)", 72.0),
    ('=LCM({4,"8",12})', 24.0),
    ("=GCD(5,TRUE())", "#VALUE!"),
    ("=GCD(2^53,2)", "#NUM!"),
    ("=SUMX2MY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", -55.0),
    ("=SUMX2PY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 521.0),
    ("=SUMXMY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})", 79.0),
    ('=SUMXMY2({"a"},{1})', "#DIV/0!"),
    ('=PRODUCT({"a","b"})', 0.0),
    ("=SERIESSUM(2,0,1,{1,2,3})", 17.0),
    ("=SERIESSUM(0,0,2,{1,2,3})", "#NUM!"),
    # Engineering.
    ('=CONVERT(1,"lbm","kg")', 0.45359237),
    ('=CONVERT(68,"F","C")', 20.0),
    ('=CONVERT(1,"km2","m2")', 1e6),
    ('=CONVERT(1,"Gibyte","Mibyte")', 1024.0),
    ('=CONVERT(1,"pc","m")', 3.08567758128155e16),
    ('=CONVERT(2.5,"ft","sec")', "#N/A"),
    ('=CONVERT(1,"Mlbm","g")', "#N/A"),
    ('=COMPLEX(3,4,"j")', "3+4j"),
    ('=COMPLEX(1.23,9.5121,"")', "1.23+9.5121i"),
    ("=COMPLEX(0,-1)", "-i"),
    ('=COMPLEX(1,2,"k")', "#VALUE!"),
    ('=IMSUM("3+4i","5-3i")', "8+i"),
    ('=IMPOWER("2+3i",3)', "-46+9.00000000000001i"),
    ('=IMSQRT("1+i")', "1.09868411346781+0.455089860562227i"),
    ('=IMSQRT("-1")', "6.12323399573677E-17+i"),
    ('=IMREAL("1.2E-45-3i")', 1.2e-45),
    ('=IMAGINARY("3 + 4i")', "#NUM!"),
    ('=IMSUM("1+i","2j")', "#VALUE!"),
    ('=IMDIV("1+i",0)', "#NUM!"),
    ("=BESSELJ(0,0)", 1.00000000283141),
    ("=BESSELI(10,0)", 2815.7166648041534),
    ("=BESSELK(0,1)", "#NUM!"),
    ("=ERF(1)", 0.8427007929497149),
    ("=ERFC(7)", 4.1838256077794166e-23),
    ("=ERF.PRECISE(-1)", -0.8427007929497149),
    ("=DELTA(3.000000000000001,3)", 0.0),
    ("=BITOR(2^48-1,1)", 281474976710655.0),
    ("=BITAND(2^48,1)", "#NUM!"),
    ("=BITLSHIFT(12,34.67)", 206158430208.0),
    ("=BITRSHIFT(12,-2)", 48.0),
    ("=BASE(12.567,2,7)", "0001100"),
    ('=DECIMAL("zap",36)', 45745.0),
    ("=DEC2BIN(-100)", "1110011100"),
    ('=HEX2DEC("FFFFFFFF5B")', -165.0),
    ('=HEX2OCT("e",4)', "0016"),
    ('=HEX2BIN("d5a")', "#NUM!"),
    ('=DEC2BIN("E",0)', "#NUM!"),
    ('=DEC2BIN("E",1)', "#VALUE!"),
    ("=ROMAN(499,0)", "CDXCIX"),
    ("=ROMAN(499,1)", "LDVLIV"),
    ("=ROMAN(499,FALSE())", "ID"),
    ("=ROMAN(0)", ""),
    ("=ROMAN(4000)", "#VALUE!"),
    ('=ARABIC("mcmxii")', 1912.0),
    ('=ARABIC("ixix")', 18.0),
    ('=ARABIC("-X")', -10.0),
    # Matrices.
    ("=MDETERM({1,3,8,5;1,3,6,1;1,1,1,0;7,3,10,2})", 88.0),
    ("=MDETERM({1,2})", "#VALUE!"),
    ("=MUNIT(0.5)", "#VALUE!"),
    # SUMPRODUCT: non-numeric entries of arrays are 0; single values that are text are #VALUE!.
    ('=SUMPRODUCT({1,2},{"3",4})', 8.0),
    ("=SUMPRODUCT({1,2}>1)", 0.0),
    ("=SUMPRODUCT(--({1,2}>1))", 1.0),
    ("=SUMPRODUCT({TRUE(),2},{3,4})", 8.0),
    ("=SUMPRODUCT({1,2},{1,2,3})", "#VALUE!"),
    ('=SUMPRODUCT(3,"4")', "#VALUE!"),
    ("=SUMPRODUCT(3,4)", 12.0),
    ("=SUMPRODUCT({1,2;3,4},{1,1;1,1})", 10.0),
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
        assert not isinstance(value, CellError), formula
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-300), formula
    else:
        assert value == expected and not isinstance(value, CellError), formula


def test_numbers_from_cells_follow_excel_conversion():
    book = make_book(
        {
            "Sheet1": {
                "A1": Text(""),
                "A2": Text("2024-01-10"),
                "A3": True,
                "A4": Text("€100"),
                "B1": "=ROUND(A1,0)",
                "B2": "=FLOOR(A2,7)",
                "B3": "=ROUND(A3,0)",
                "B4": "=ERF(A3)",
                "B5": "=SQRT(A4)",
                "B6": "=LCM(A5,6,A6)",
                "B7": "=PRODUCT(A3,A2)",
            }
        }
    )
    with HyperFormulaEvaluator() as evaluator:
        values = evaluator.evaluate(book, progress=lambda *call: None).values
    assert values[(0, 1, 2)] == CellError("#VALUE!")  # "" is not 0
    assert values[(0, 2, 2)] == 45297.0  # ISO date text is a date
    assert values[(0, 3, 2)] == 1.0  # TRUE is 1 for a built-in function ...
    assert values[(0, 4, 2)] == CellError("#VALUE!")  # ... but not for the Analysis ToolPak
    assert values[(0, 5, 2)] == 10.0  # currency text in euros
    assert values[(0, 6, 2)] == 6.0  # a reference to an empty cell is skipped by LCM
    assert values[(0, 7, 2)] == 0.0  # PRODUCT of no numbers (TRUE, text by reference)


def test_minverse_and_munit_spill_their_arrays():
    anchor = CellData(
        row=1, col=3, formula="=MINVERSE(A1:B2)", array_ref="C1:D2", dynamic_array=True
    )
    unit = CellData(row=3, col=1, formula="=MUNIT(2)*3", array_ref="A3:B4", dynamic_array=True)
    members = {
        f"{col}{row}": CellData(row=row, col=" ABCD".index(col), array_anchor=anchor_at)
        for col, row, anchor_at in [("D", 1, (1, 3)), ("C", 2, (1, 3)), ("D", 2, (1, 3))]
        + [("B", 3, (3, 1)), ("A", 4, (3, 1)), ("B", 4, (3, 1))]
    }
    book = make_book(
        {"Sheet1": {"A1": 4, "B1": -1, "A2": 2, "B2": 0, "C1": anchor, "A3": unit, **members}}
    )
    with HyperFormulaEvaluator() as evaluator:
        values = evaluator.evaluate(book, progress=lambda *call: None).values
    inverse = [values[(0, row, col)] for row, col in [(1, 3), (1, 4), (2, 3), (2, 4)]]
    assert inverse == pytest.approx([0.0, 0.5, -1.0, 2.0])
    assert [values[(0, row, col)] for row, col in [(3, 1), (3, 2), (4, 1), (4, 2)]] == [3, 0, 0, 3]


def test_matrix_results_and_errors():
    # Each formula has room below and to the right for its array.
    book = make_book(
        {
            "Sheet1": {
                "A1": "=MMULT({1,2;3,4},{5;6})",
                "A4": "=MINVERSE({1,2;2,4})",
                "A7": '=MMULT({1,2},{"3";4})',
                "A10": "=MMULT({1,2},{1,2})",
            }
        }
    )
    with HyperFormulaEvaluator() as evaluator:
        values = evaluator.evaluate(book, progress=lambda *call: None).values
    assert values[(0, 1, 1)] == 17.0
    assert values[(0, 4, 1)] == CellError("#NUM!")  # singular
    assert values[(0, 7, 1)] == CellError("#VALUE!")  # text, even numeric, is refused
    assert values[(0, 10, 1)] == CellError("#VALUE!")  # 1x2 by 1x2
