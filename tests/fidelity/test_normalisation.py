"""Each Excel-ism of the normalisation layer, on real corpus cells, with the real engine."""

import pytest

from imports.services.book import BookData, CellData, CellError, SheetData, TableData
from imports.services.normalize import Context, normalize
from tests.fidelity.harness import recalc


def statuses(name: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for cell in recalc(name).values():
        counts[cell.status] = counts.get(cell.status, 0) + 1
    return counts


def cell(name: str, address: str):
    return recalc(name)[address]


# -- structured references -------------------------------------------------------------


def table_book() -> BookData:
    sheet = SheetData(name="Data", index=0)
    table = TableData("Sales", 0, 1, 1, 6, 3, columns=["Region", "Units", "Price"], totals_rows=1)
    return BookData(sheets=[sheet], tables=[table])


@pytest.mark.parametrize(
    ("formula", "row", "expected"),
    [
        ("=SUM(Sales[Units])", 9, "=SUM(Data!$B$2:$B$5)"),
        ("=Sales[[#This Row],[Price]]*2", 3, "=Data!$C$3*2"),
        ("=[@Units]*[@Price]", 4, "=Data!$B$4*Data!$C$4"),
        ("=COUNTA(Sales[#All])", 9, "=COUNTA(Data!$A$1:$C$6)"),
        ("=Sales[[#Totals],[Units]]", 9, "=Data!$B$6"),
        ("=SUM(Sales[[Units]:[Price]])", 9, "=SUM(Data!$B$2:$C$5)"),
        ("=Sales[Missing]", 9, "=#REF!"),
    ],
)
def test_structured_references_resolve_from_table_definitions(formula, row, expected):
    context = Context(book=table_book(), sheet_index=0, row=row, col=2)
    assert normalize(formula, context) == expected


@pytest.mark.parametrize(
    "name",
    [
        "apache-poi/StructuredReferences.xlsx",  # calculated column [[#This Row],[Number]]
        "apache-poi/DataTableCities.xlsx",  # COUNTA(BigCity[City])
        "apache-poi/dataValidationTableRange.xlsx",  # [#All], [#Headers]
        "apache-poi/ExcelTables.xlsx",
    ],
)
def test_corpus_structured_references_match_excel(name):
    assert statuses(name).get("matched", 0) > 0
    assert set(statuses(name)) == {"matched"}


# -- external references ------------------------------------------------------------------


def test_external_references_read_the_files_link_cache():
    # [1]Uses!B2, [2]Defines!NR_To_A1 (a sheet-level name of the other workbook)
    assert set(statuses("apache-poi/ref2-56737.xlsx")) == {"matched"}
    assert cell("apache-poi/ref2-56737.xlsx", "Refs!G5").value == "Test A1"


# -- implicit intersection, SINGLE, spills -------------------------------------------------


def test_implicit_intersection_of_whole_columns_in_a_plain_formula():
    name = "apache-poi/0-www-crossref-org.lib.rivier.edu_education-files_suffix-generator.xlsm"
    c13 = cell(name, "Data_sheet!C13")
    assert c13.formula == '=A:A&"/"&B:B' and c13.matched


def test_implicit_intersection_rules():
    sheet = SheetData(name="S", index=0)
    sheet.cells[(20, 2)] = CellData(row=20, col=2, value=1)
    book = BookData(sheets=[sheet])
    at = Context(book=book, row=7, col=3)
    assert normalize("=A:A*2", at) == "=$A$7*2"
    # a range parameter keeps its range (a whole column, clipped to the used rows)
    assert normalize("=SUM(A:A)", at) == "=SUM($A$1:$A$20)"
    assert normalize("=SUMPRODUCT(A1:A9*B1:B9)", at) == "=SUMPRODUCT(A1:A9*B1:B9)"
    assert normalize("=ABS(A1:A9)", at) == "=ABS($A$7)"
    assert normalize("=B2:F2+1", at) == "=$C$2+1"  # a one-row range: the formula's column
    assert normalize("=A1:B2+1", at) == "=#VALUE!+1"  # two-dimensional: no single cell
    array = Context(book=book, row=7, col=3, is_array=True)
    assert normalize("=A1:A9*2", array) == "=A1:A9*2"  # array formulas compute the whole range
    # Parameters that take arrays in a plain formula: the idioms that avoid Ctrl+Shift+Enter.
    for formula in (
        "=MATCH(TRUE(),INDEX(A1:A9>5,0),0)",
        "=AGGREGATE(14,6,A1:A9/(B1:B9=1),1)",
        "=INDEX(A1:A9,MATCH(1,INDEX((B1:B9=1)*(A1:A9>3),0),0))",
    ):
        assert normalize(formula, at) == formula
    assert normalize("=MATCH(1,A1:A9>5,0)", at) == "=MATCH(1,$A$7>5,0)"  # needs CSE


def test_spill_references_use_the_anchor_range():
    sheet = SheetData(name="S", index=0)
    sheet.cells[(3, 1)] = CellData(row=3, col=1, formula="=SEQUENCE(5)", array_ref="A3:A7")
    context = Context(book=BookData(sheets=[sheet]), row=3, col=2, is_array=True)
    assert normalize('=TEXT(_xlfn.ANCHORARRAY(A3),"ddd")', context) == '=TEXT($A$3:$A$7,"ddd")'


def test_dynamic_array_spilled_cells_compare_against_the_spill():
    name = "ironcalc/SORT.xlsx"
    members = [c for c in recalc(name).values() if c.formula is None]
    assert members, "array members are computed cells"


# -- LET / LAMBDA ---------------------------------------------------------------------------


def test_let_and_lambda_are_inlined_and_match_excel():
    assert set(statuses("ironcalc/LAMBDA.xlsx")) == {"matched"}
    assert cell("ironcalc/LAMBDA.xlsx", "Sheet1!F2").formula == "=CountWords(F1)"  # a named LAMBDA


def test_lambda_rewrites():
    book = BookData(sheets=[SheetData(name="S", index=0)])
    context = Context(book=book)
    assert normalize("=_xlfn.LET(_xlpm.a,2,_xlpm.b,_xlpm.a*3,_xlpm.a+_xlpm.b)", context) == (
        "=((2)+((2)*3))"
    )
    assert normalize("=_xlfn.LAMBDA(_xlpm.x,_xlpm.x+1)(5)", context) == "=((5)+1)"
    assert (
        normalize("=_xlfn.MAKEARRAY(2,2,_xlfn.LAMBDA(_xlpm.r,_xlpm.c,_xlpm.r*_xlpm.c))", context)
        == "=(VSTACK(HSTACK((1)*(1),(1)*(2)),HSTACK((2)*(1),(2)*(2))))"
    )


# -- INDIRECT and OFFSET ---------------------------------------------------------------------


def test_indirect_is_resolved_with_the_engine():
    name = "apache-poi/StructuredRefs-lots-with-lookups.xlsx"  # 3,798 INDIRECT cells
    indirect = [c for c in recalc(name).values() if "INDIRECT" in c.functions and c.counted]
    assert len(indirect) > 3000
    assert all(c.matched for c in indirect)


def test_offset_with_cell_arguments_is_resolved_with_the_engine():
    offset = [c for c in recalc("pycel/lookup.xlsx").values() if "OFFSET" in c.functions]
    assert offset and all(c.matched for c in offset if c.counted)


# -- dates, time, circular ---------------------------------------------------------------------


def test_today_evaluates_at_the_time_the_file_was_saved():
    cells = recalc("ironcalc/gantt_project_tracker.xlsx").values()
    today = [c for c in cells if "TODAY" in c.functions]
    assert today and all(c.matched for c in today)


def test_random_cells_are_never_compared():
    cells = recalc("ironcalc/DynamicArrays.xlsx").values()
    random = [c for c in cells if c.has_cached and "RANDARRAY" in c.functions]
    assert random and all(c.status == "excluded" and c.reason == "volatile" for c in random)


def test_iterative_calculation_matches_excel_within_its_own_stopping_rule():
    assert set(statuses("apache-poi/57535.xlsx")) == {"matched"}
    assert set(statuses("pycel/circular.xlsx")) == {"matched"}


# -- references across and about sheets --------------------------------------------------------


def three_sheets() -> BookData:
    return BookData(sheets=[SheetData(name=n, index=i) for i, n in enumerate(["S1", "S2", "S3"])])


def test_three_d_references_expand_in_aggregates():
    context = Context(book=three_sheets())
    assert normalize("=SUM(S1:S3!A1)", context) == "=SUM(S1!A1,S2!A1,S3!A1)"
    assert normalize("=S1:S3!A1+1", context) == "=#REF!+1"


def test_intersection_operator_and_contiguous_unions():
    context = Context(book=three_sheets())
    assert normalize("=SUM(B:C 2:3)", context) == "=SUM($B$2:$C$3)"
    assert normalize("=A1:A2 C1:C2", context) == "=#NULL!"
    assert normalize("=RANK(A1,(B1,B2,B3),1)", context) == "=RANK(A1,$B$1:$B$3,1)"


def test_corpus_reference_rules_match_excel():
    for name in (
        "apache-poi/55906-MultiSheetRefs.xlsx",  # 3-D references
        "apache-poi/Intersection-52111-xssf.xlsx",  # the intersection operator
        "apache-poi/61063.xlsx",  # a union in RANK
        "apache-poi/56737.xlsx",  # [0]!Name: the workbook itself
        "apache-poi/47804.xlsx",  # CELL("width", ...)
        "ironcalc/TRIMRANGE.xlsx",
        "ironcalc/ISOMITTED.xlsx",  # optional LAMBDA parameters (_xlop.)
        "apache-poi/46535.xlsx",  # names with a backslash; undefined names are #NAME?
    ):
        assert set(statuses(name)) <= {"matched", "not_compared", "excluded"}, name


def test_names_standing_for_errors_and_unknown_names():
    book = three_sheets()
    from imports.services.book import NameData

    book.names = [NameData(name="sale_1", value="S1!#REF!")]
    values = {n.name.upper(): n.value for n in book.names}
    context = Context(book=book, name_value=lambda sheet, hint, name: values.get(name.upper()))
    assert normalize("=sale_1*2", context) == "=#REF!*2"
    assert normalize("=nowhere+1", context) == "=#NAME?+1"


def test_formulatext_shows_the_formula_as_stored_in_the_file():
    # ironcalc/docs__FV.xlsx Sheet1!A11 is =FV("str",2,3,4,TRUE): the engine itself would
    # answer with the rewritten =FV("str",2,3,4,TRUE()).
    sheet = SheetData(name="Sheet1", index=0)
    sheet.cells[(11, 1)] = CellData(11, 1, formula='=FV("str",2,3,4,TRUE)')
    sheet.cells[(14, 1)] = CellData(14, 1, formula="=_xlfn.FORMULATEXT(OFFSET(A1,2,1))")
    context = Context(book=BookData(sheets=[sheet]), row=11, col=2)
    assert (
        normalize("=FORMULATEXT(A11)", context)
        == '=("=FV("&CHAR(34)&"str"&CHAR(34)&",2,3,4,TRUE)")'
    )
    assert normalize("=FORMULATEXT(A14)", context) == '="=FORMULATEXT(OFFSET(A1,2,1))"'
    assert normalize("=FORMULATEXT(A99)", context) == "=FORMULATEXT(A99)"  # left to the engine
    for name in ("ironcalc/docs__FV.xlsx", "ironcalc/docs__PV.xlsx", "ironcalc/FORMULATEXT.xlsx"):
        assert set(statuses(name)) <= {"matched", "not_compared", "excluded"}, name


# -- first-cell arguments, repeated percent ---------------------------------------------------


def test_n_and_t_read_the_first_cell_of_a_range():
    sheet = SheetData(name="S", index=0)
    at = Context(book=BookData(sheets=[sheet]), row=1352, col=13)
    assert normalize("=T(H12:J12)", at) == "=T($H$12)"
    assert normalize("=N(A2:A8)+1", at) == "=N($A$2)+1"
    assert normalize("=T(A5)", at) == "=T(A5)"
    assert normalize("=SUMPRODUCT(N(A1:A3))", at) == "=SUMPRODUCT(N(A1:A3))"
    array = Context(book=BookData(sheets=[sheet]), row=1352, col=13, is_array=True)
    assert normalize("=T(H12:J12)", array) == "=T(H12:J12)"
    # Excel's own answers: T of H12:J12 (545, 454, 0), L7:N7 (1.001, ...), J1351:J1353
    for address in ("M1352", "N1352", "O1352"):
        t = cell("apache-poi/FormulaEvalTestData_Copy.xlsx", f"EverythingTests!{address}")
        assert t.matched and t.value == "", address


def test_repeated_percent_applies_each_in_turn():
    assert normalize("=1000%%") == "=(1000%)%"
    assert normalize("=(A1+1)%%%") == "=(((A1+1)%)%)%"
    assert normalize("=SUM(A1)%%*2") == "=(SUM(A1)%)%*2"
    assert normalize("=50%") == "=50%"
    h67 = cell("apache-poi/FormulaEvalTestData_Copy.xlsx", "EverythingTests!H67")
    assert h67.formula == "=1000%%" and h67.matched and h67.value == 0.1


# -- array formulas ------------------------------------------------------------------------


def test_legacy_array_results_fill_the_range_they_were_entered_in():
    # {=ROW(A1:A3)} over E1:E3 and {=COLUMN(A1:B1)} over H1:I1; {=123} over C2:C5 read
    # whole by SUM(ANCHORARRAY(C2)) (Excel: 492).
    for name, address in [
        ("pycel/excelcompiler.xlsx", "ArrayForm!E2"),
        ("pycel/excelcompiler.xlsx", "ArrayForm!E3"),
        ("pycel/excelcompiler.xlsx", "ArrayForm!I1"),
        ("ironcalc/spill_operator.xlsx", "Sheet1!G2"),
    ]:
        assert cell(name, address).matched, (name, address)
    assert cell("ironcalc/spill_operator.xlsx", "Sheet1!G2").value == 492


def test_an_error_or_a_single_value_does_not_spill():
    # =LINEST(B2:B14,A2:A14^{1,2}) beside a filled cell: Excel computes #VALUE! (not
    # #SPILL!); MODE.MULT({1,2,3,4}) has no mode: #N/A in the anchor.
    linest = cell("pycel/stats.xlsx", "LinestArrayExp!B28")
    mode = cell("ironcalc/MODE.xlsx", "Sheet1!L12")
    assert linest.matched and str(linest.value) == "#VALUE!"
    assert mode.matched and str(mode.value) == "#N/A"


# -- INDEX and CHOOSE ending a range ----------------------------------------------------------


def range_end_values(formulas: list[str], names: dict[str, str] | None = None) -> list:
    """Evaluate formulas in C1.. of a sheet holding 1..10 in A1:A10, through the pipeline
    (with these workbook-scope defined names)."""
    import tempfile
    from pathlib import Path

    from openpyxl import Workbook

    from imports.services.pipeline import ImportContext, ImportOptions, recalculate

    book = Workbook()
    sheet = book.active
    for row in range(1, 11):
        sheet.cell(row, 1, row)
    for row, formula in enumerate(formulas, start=1):
        sheet.cell(row, 3, formula)
    for name, value in (names or {}).items():
        from openpyxl.workbook.defined_name import DefinedName

        book.defined_names[name] = DefinedName(name, attr_text=value)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "ends.xlsx"
        book.save(path)
        ctx = ImportContext(path=path, original_filename=path.name, options=ImportOptions())
        recalculate(ctx, progress=lambda *call: None)
    values = ctx.evaluation.values
    failures = ctx.evaluation.failures
    return [
        values.get((0, row, 3), failures.get((0, row, 3))) for row in range(1, len(formulas) + 1)
    ]


def test_index_and_choose_end_a_range():
    formulas = {
        "=SUM(A1:INDEX(A1:A10,3))": 6.0,
        "=SUM($A$2:INDEX(A:A,4))": 9.0,
        "=SUM(INDEX(A1:A10,2):A4)": 9.0,
        "=SUM(INDEX(A:A,1):INDEX(A:A,3))": 6.0,
        "=SUM(A1:INDEX(A1:A10,MATCH(5,A1:A10,0)))": 15.0,
        "=SUM(A1:INDEX(A1:B10,3,0))": 6.0,  # a whole row: the box A1:B3
        "=SUM(A9:CHOOSE(2,A1,A2,A3))": 44.0,  # A2:A9
        "=SUM(A1:INDEX(A1:A10,99))": "#REF!",
        "=SUM(A1:CHOOSE(9,A1))": "#VALUE!",
        "=INDEX(A1:A10,3)": 3.0,  # elsewhere the engine's own INDEX
    }
    values = range_end_values(list(formulas))
    assert [str(v) if isinstance(v, CellError) else v for v in values] == list(formulas.values())
    # ironcalc/LOOKUP_AND_REFERENCE__CHOOSE.xlsx: =SUM(A9:CHOOSE(2,A10,A11,A12)), Excel 68
    b10 = cell("ironcalc/LOOKUP_AND_REFERENCE__CHOOSE.xlsx", "CHOOSE!B10")
    assert b10.matched and b10.value == 68


def test_a_plain_formula_shows_one_value():
    # Not entered as an array: a reference result is intersected with the formula's row
    # or column, a computed array shows its first value; nothing spills.
    formulas = {
        "=TRANSPOSE(A1:A3)": 1.0,
        "=INDEX(A1:A10,0,1)": 2.0,  # in row 2: A2
        "=INDEX(A1:B10,2,0)": "#VALUE!",  # row 2 of A:B, from column C: no cell
        "=ROW(A5:A7)": 5.0,
        "=SEQUENCE(3)": 1.0,
        "=A1:A10*10": 60.0,  # in row 6: A6*10
    }
    values = range_end_values(list(formulas))
    assert [str(v) if isinstance(v, CellError) else v for v in values] == list(formulas.values())


def test_dynamic_named_ranges_are_resolved_per_cell():
    # Names computed by OFFSET/INDEX (dynamic ranges, common in models): the engine cannot
    # hold them as names, so they are inlined and resolved like any OFFSET.
    names = {
        "Data": "Sheet!$A$1:$A$10",
        "Grows": "OFFSET(Sheet!$A$1,0,0,COUNTA(Sheet!$A:$A),1)",
        "UpTo": "Sheet!$A$1:INDEX(Sheet!$A:$A,COUNTA(Sheet!$A:$A))",
    }
    formulas = {
        "=SUM(Grows)": 55.0,
        "=COUNT(Grows)": 10.0,
        "=INDEX(Grows,4)": 4.0,
        "=SUM(UpTo)": 55.0,
        "=ROWS(UpTo)": 10.0,
        "=SUM(OFFSET(Data,1,0,2,1))": 5.0,  # OFFSET from a name: A2:A3
    }
    values = range_end_values(list(formulas), names)
    assert values == list(formulas.values())
