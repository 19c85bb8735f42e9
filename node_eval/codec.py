"""Cell contents to the engine's JSON, and the engine's [kind, value, message] back.

Contents on the wire: a number, a boolean, null (empty), `{"f": "=..."}` (a
formula), `{"t": "..."}` (text, never parsed) or `{"e": "#DIV/0!"}` (an error
constant). Values back: kind `n` number, `s` string, `b` boolean, `e` error
(value is its code, message HyperFormula's explanation), `z` empty.
"""

from __future__ import annotations

import math
import re
from typing import Any

from imports.services.book import CellData, CellError, Failure, Reason

# HyperFormula's own error codes, which Excel never produces: each means the
# engine could not compute the cell, so it becomes a Failure, not a value.
ENGINE_ONLY_ERRORS = {
    "#CYCLE!": Reason.CIRCULAR,
    "#ERROR!": Reason.PARSE_ERROR,
    "#LIC!": Reason.ENGINE_ERROR,
}
_ENGINE_ONLY_DETAILS = {
    "#CYCLE!": "circular reference: HyperFormula does not iterate (#CYCLE!)",
    "#ERROR!": "HyperFormula could not parse the formula (#ERROR!)",
    "#LIC!": "HyperFormula refused the function: licence key (#LIC!)",
}

# A cell the parse stage kept from the engine is sent as a formula HyperFormula
# cannot parse, so every dependent is an engine error too, never a made-up value.
# The marker in it comes back in the dependents' error message and names the cell.
SKIP_MARKER = "DCMODEL_SKIPPED"
_SKIP_PATTERN = re.compile(rf"{SKIP_MARKER}_(\d+)_(\d+)_(\d+)")


class Formula(str):
    """A formula to store with `set_contents` (a plain str is stored as text)."""

    __slots__ = ()


def encode_constant(value: Any) -> Any:
    """A constant (or a Formula) as wire content; inf and nan become #NUM! as in Excel."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, CellError):
        return {"e": str(value)}
    if isinstance(value, Formula):
        return {"f": value if value.startswith("=") else f"={value}"}
    if isinstance(value, str):
        return {"t": value}
    if isinstance(value, int):
        return value if abs(value) < 2**53 else float(value)
    number = float(value)
    return number if math.isfinite(number) else {"e": "#NUM!"}


def skip_formula(key: tuple[int, int, int]) -> str:
    """The deliberately unparsable formula that stands for a skipped cell."""
    return f"=1 {SKIP_MARKER}_{key[0]}_{key[1]}_{key[2]}"


def encode_cell(key: tuple[int, int, int], cell: CellData) -> Any:
    """The wire content of one cell: its engine formula, its skip stand-in, or its constant."""
    if cell.formula is None:
        return encode_constant(cell.value)
    if cell.skip is not None:
        return {"f": skip_formula(key)}
    return {"f": cell.engine_formula or cell.formula}


def skipped_root(message: str | None) -> tuple[int, int, int] | None:
    """The skipped cell an engine error came from, if its message names one."""
    match = _SKIP_PATTERN.search(message or "")
    return (int(match[1]), int(match[2]), int(match[3])) if match else None


def decode_value(kind: str, value: Any, message: str | None) -> Any:
    """A formula cell's value as plain Python; engine-only errors become a Failure.

    Empty becomes 0.0: Excel never stores an empty result for a formula cell
    (`=A1` of an empty A1 is 0), where HyperFormula returns an empty value.
    """
    if kind == "n":
        return float(value)
    if kind == "s":
        return str(value)
    if kind == "b":
        return bool(value)
    if kind == "z":
        return 0.0
    if kind == "e":
        reason = ENGINE_ONLY_ERRORS.get(value)
        if reason is not None:
            return Failure(reason, message or _ENGINE_ONLY_DETAILS[value])
        return CellError(value)
    raise ValueError(f"unknown value kind {kind!r}")
