"""The normalisation layer: Excel's file dialect -> what HyperFormula parses and means.

One small rule per Excel-ism, each a function over the token list and the cell's
context (where the formula sits, the workbook's tables, names and links). Rules
never change what a formula means in Excel; they spell it so that HyperFormula
computes the same thing. ENGINES.md lists what HyperFormula gets wrong as it comes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from openpyxl.formula.tokenizer import Token

from ..book import BookData
from ..formulas import render, tokenize


@dataclass
class Context:
    """Where a formula sits and what it can refer to."""

    book: BookData | None = None
    sheet_index: int = 0
    row: int = 1
    col: int = 1
    is_array: bool = False  # a CSE or dynamic-array formula: no implicit intersection
    # name -> its value (the reference or formula text), sheet scope first; set by the parse stage
    name_value: Callable[[int, str | None, str], str | None] = lambda sheet, hint, name: None
    notes: list[str] = field(default_factory=list)  # what the rules changed, for diagnostics
    extents: dict[int, tuple[int, int]] = field(default_factory=dict)  # shared per workbook
    # Per function: the engine's declared parameter kinds (see intersection.py).
    parameters: dict = field(default_factory=dict)

    @property
    def sheet_name(self) -> str:
        if self.book is None or not self.book.sheets:
            return ""
        return self.book.sheets[self.sheet_index].name


Rule = Callable[[list[Token], Context], list[Token]]


def _rules() -> list[Rule]:
    from . import basic, extent, external, intersection, lambdas, sheets, tables

    return [
        tables.structured_references,
        external.external_references,
        lambdas.inline_lambdas,
        basic.strip_function_prefixes,
        basic.defined_names,
        sheets.three_d_references,
        sheets.trimrange,
        sheets.cell_info,
        sheets.formula_text,
        intersection.spill_references,
        intersection.range_intersection,
        intersection.contiguous_unions,
        intersection.implicit_intersection,
        intersection.single_function,
        intersection.spill_bare_range,
        extent.clip_whole_ranges,
        basic.unknown_functions,
        basic.calculation_time,
        basic.boolean_literals,
        basic.string_literals,
        basic.exponent_case,
        basic.repeated_percent,
        basic.implicit_intersection_marker,
    ]


def normalize(
    formula: str, context: Context | None = None, *, rules: list[Rule] | None = None
) -> str:
    """Rewrite one formula (with '=') for HyperFormula."""
    context = context or Context()
    tokens = tokenize(formula)
    for rule in _rules() if rules is None else rules:
        tokens = rule(tokens, context)
    return render(tokens)


__all__ = ["Context", "Rule", "normalize"]
