"""Each normalisation rule, on formulas as Excel writes them into files."""

from imports.services.normalize import basic as n
from imports.services.normalize import normalize


def apply(rule, formula):
    return normalize(formula, rules=[rule])


def test_function_prefixes():
    assert apply(n.strip_function_prefixes, "=_xlfn.XLOOKUP(A1,B:B,C:C)") == "=XLOOKUP(A1,B:B,C:C)"
    assert apply(n.strip_function_prefixes, "=_xlfn._xlws.SORT(A1:A3)") == "=SORT(A1:A3)"
    assert apply(n.strip_function_prefixes, "=_xlfn.LET(_xlpm.x,1,_xlpm.x+1)") == "=LET(x,1,x+1)"


def test_boolean_literals():
    assert apply(n.boolean_literals, "=IF(A1,TRUE,FALSE)") == "=IF(A1,TRUE(),FALSE())"
    assert apply(n.boolean_literals, '="TRUE"') == '="TRUE"'


def test_exponent_case():
    assert apply(n.exponent_case, "=A1*1E+3") == "=A1*1e+3"


def test_implicit_intersection_marker():
    assert apply(n.implicit_intersection_marker, "=@A1:A5+1") == "=A1:A5+1"


def test_all_rules_together_keep_text_literals():
    assert normalize('=IF(_xlfn.ISFORMULA(A1),"_xlfn.TRUE",TRUE)') == (
        '=IF(ISFORMULA(A1),"_xlfn.TRUE",TRUE())'
    )


def test_names_excel_does_not_know_stay_unknown():
    assert apply(n.unknown_functions, '=SPLIT(A1," ")') == '=XL.UNKNOWN.SPLIT(A1," ")'
    assert apply(n.unknown_functions, "=SUM(A1)") == "=SUM(A1)"
