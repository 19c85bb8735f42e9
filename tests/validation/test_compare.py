import math

import pytest

from imports.services.book import CellError
from validation.compare import compare_values, display

TOL = {"abs_tol": 1e-9, "rel_tol": 1e-9}


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        (1.0, 1.0),
        (1e12, 1e12 + 1e-4),  # relative
        (0.0, 5e-10),  # absolute, around zero
        ("abc", "abc"),
        ("", ""),  # a cached empty string is text
        (True, True),
        (CellError("#N/A"), CellError("#N/A")),
    ],
)
def test_matches(expected, actual):
    assert compare_values(expected, actual, **TOL).matched


@pytest.mark.parametrize(
    ("expected", "actual", "kind"),
    [
        (1.0, 1.001, "number"),
        ("abc", "ABC", "text"),  # exact, case included
        (True, False, "bool"),
        (CellError("#N/A"), CellError("#VALUE!"), "error"),
        (1.0, True, "type"),  # a boolean is not the number 1
        ("", 0.0, "type"),
        ("1", 1.0, "type"),
        (CellError("#DIV/0!"), 0.0, "type"),
    ],
)
def test_mismatches(expected, actual, kind):
    outcome = compare_values(expected, actual, **TOL)
    assert not outcome.matched and outcome.kind == kind


def test_comparison_is_symmetric():
    for a, b in [(1.0, 1.0 + 1e-10), (1.0, 1.1), ("a", "b"), (1.0, "1")]:
        assert compare_values(a, b, **TOL) == compare_values(b, a, **TOL)


def test_number_difference_is_recorded():
    outcome = compare_values(100.0, 101.0, **TOL)
    assert outcome.difference == pytest.approx(1.0)
    assert outcome.relative_difference == pytest.approx(1 / 101)


def test_tolerances_are_configurable():
    assert compare_values(100.0, 100.5, abs_tol=1.0, rel_tol=0.0).matched
    assert compare_values(100.0, 100.5, abs_tol=0.0, rel_tol=0.01).matched
    assert not compare_values(100.0, 100.5, abs_tol=0.0, rel_tol=0.0).matched


def test_non_finite_numbers_never_match_finite_ones():
    assert not compare_values(math.inf, 1.0, **TOL).matched


def test_display():
    assert display(0.1) == "0.1"
    assert display("x") == '"x"'
    assert display(True) == "TRUE"
    assert display(CellError("#N/A")) == "#N/A"
