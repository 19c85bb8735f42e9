import pytest

from imports.services.formulas import MAX_COL, MAX_ROW, FormulaError, Ref, parse_formula


def test_cells_areas_and_other_sheets():
    parsed = parse_formula("=SUM(A1:B2,Sheet1!C3)*'My Sheet'!$D$4")
    assert parsed.functions == ["SUM"]
    assert parsed.refs == [
        Ref(None, 1, 1, 2, 2),
        Ref("Sheet1", 3, 3, 3, 3),
        Ref("My Sheet", 4, 4, 4, 4),
    ]


def test_whole_columns_and_rows():
    parsed = parse_formula("=SUM(B:C)+SUM(3:4)")
    assert parsed.refs == [Ref(None, 1, 2, MAX_ROW, 3), Ref(None, 3, 1, 4, MAX_COL)]


def test_function_prefixes_are_stripped_from_names():
    parsed = parse_formula("=_xlfn.XLOOKUP(A1,B:B,C:C)+_xlfn._xlws.SORT(D1:D3)")
    assert parsed.functions == ["XLOOKUP", "SORT"]


def test_range_glued_to_a_function_keeps_its_start():
    parsed = parse_formula("=SUM(A1:INDEX(B:B,3))")
    assert parsed.functions == ["SUM", "INDEX"]
    assert Ref(None, 1, 1, 1, 1) in parsed.refs


def test_quoted_sheet_names_with_apostrophes():
    parsed = parse_formula("='It''s'!B$2")
    assert parsed.refs == [Ref("It's", 2, 2, 2, 2)]


def test_names_external_structured_and_3d_are_flagged():
    assert parse_formula("=Rate*2").names == [(None, "Rate")]
    assert parse_formula("=Sheet2!Local").names == [("Sheet2", "Local")]
    assert parse_formula("=[1]Sheet1!$A$1").external
    assert parse_formula("=SUM(Table1[Amount])").structured
    assert parse_formula("=SUM(Sheet1:Sheet3!A1)").three_d
    assert parse_formula("=Sheet1!#REF!+1").has_ref_error


def test_volatile_functions():
    assert parse_formula("=TODAY()-A1").volatile
    assert parse_formula("=RAND()").volatile
    assert not parse_formula("=OFFSET(A1,1,1)").volatile  # deterministic given its inputs


def test_untokenisable_formula_raises():
    with pytest.raises(FormulaError):
        parse_formula('="unclosed')
