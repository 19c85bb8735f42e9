"""Pure comparison rules: a calculated value against Excel's cached one.

Symmetric and strict by type: numbers agree within an absolute or a relative
tolerance (|a - b| <= max(abs_tol, rel_tol * max(|a|, |b|)), math.isclose);
text, booleans and error codes must be identical; a value of another type is a
mismatch of its own kind. A cached empty string is text like any other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from imports.services.book import ValueType, value_type

# Defaults, documented in the README: 1e-9 relative is what double arithmetic in a
# different order can drift over a long model; 1e-9 absolute absorbs residues around
# zero (e.g. 0.1+0.2-0.3) that are noise at any currency's precision.
DEFAULT_ABS_TOL = 1e-9
DEFAULT_REL_TOL = 1e-9


@dataclass(frozen=True, slots=True)
class Outcome:
    matched: bool
    kind: str = ""  # number / text / bool / error / type, when not matched
    difference: float | None = None
    relative_difference: float | None = None


MATCH = Outcome(matched=True)


def compare_values(expected: Any, actual: Any, *, abs_tol: float, rel_tol: float) -> Outcome:
    """Compare Excel's cached value (expected) with the engine's (actual)."""
    expected_type, actual_type = value_type(expected), value_type(actual)
    if expected_type != actual_type:
        return Outcome(matched=False, kind="type")
    if expected_type == ValueType.NUMBER:
        return _compare_numbers(float(expected), float(actual), abs_tol, rel_tol)
    if expected == actual:
        return MATCH
    return Outcome(matched=False, kind=expected_type)


def _compare_numbers(expected: float, actual: float, abs_tol: float, rel_tol: float) -> Outcome:
    if not (math.isfinite(expected) and math.isfinite(actual)):
        return MATCH if expected == actual else Outcome(matched=False, kind="number")
    if math.isclose(expected, actual, rel_tol=rel_tol, abs_tol=abs_tol):
        return MATCH
    difference = abs(actual - expected)
    scale = max(abs(expected), abs(actual))
    return Outcome(
        matched=False,
        kind="number",
        difference=difference,
        relative_difference=difference / scale if scale else None,
    )


def display(value: Any) -> str:
    """How a value reads in a mismatch row: numbers with full precision, text quoted."""
    kind = value_type(value)
    if kind == ValueType.NUMBER:
        return repr(float(value))
    if kind == ValueType.BOOL:
        return "TRUE" if value else "FALSE"
    if kind == ValueType.TEXT:
        return f'"{value}"'
    if kind == ValueType.EMPTY:
        return "(empty)"
    return str(value)
