"""Which functions a workbook uses, and how dcmodel computes each: before any evaluation."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from .book import Reason
from .dynamic_refs import DYNAMIC
from .evaluator import Evaluator
from .excel_functions import is_excel_function
from .intake import hash_file, inspect_file
from .parsing import parse_book
from .reader import read_formulas

REWRITTEN = {
    "LET": "inlined",
    "LAMBDA": "inlined",
    "BYROW": "expanded",
    "BYCOL": "expanded",
    "MAP": "expanded",
    "REDUCE": "expanded",
    "SCAN": "expanded",
    "MAKEARRAY": "expanded",
    "ISOMITTED": "inlined",
    "ANCHORARRAY": "spill range",
    "SINGLE": "implicit intersection",
    "TABLE": "what-if data table, run on the model",
    **{name: "resolved with the engine" for name in DYNAMIC},
}


@dataclass
class FunctionUse:
    name: str
    cells: int
    how: str  # engine / plugin / rewritten ... / unsupported / not an Excel function
    unsupported_cells: int = 0


def functions_report(path: Path, evaluator: Evaluator) -> list[FunctionUse]:
    """Per function: formula cells calling it, and how it is computed (or why not)."""
    inspect_file(path, hash_file(path))
    book = read_formulas(path, progress=lambda *call: None)
    supported = evaluator.supported_functions()
    plugins = set(getattr(evaluator, "engine_info", {}).get("functions", []))
    result = parse_book(book, progress=lambda *call: None, supported=supported)
    unsupported = Counter(result.unsupported)
    lambdas = {
        n.name.upper()
        for n in book.names
        if n.value.lstrip("=").upper().startswith("_XLFN.LAMBDA(")
    }
    uses = []
    for name, cells in result.functions.most_common():
        how = _how(name, supported, plugins, lambdas)
        uses.append(FunctionUse(name, cells, how, unsupported[name]))
    return uses


def _how(name: str, supported: frozenset[str] | None, plugins: set[str], lambdas: set[str]) -> str:
    if name in lambdas:
        return "named LAMBDA, inlined"
    if name.startswith("_XLPM."):
        return "LET/LAMBDA parameter, inlined"
    if name in REWRITTEN:
        return REWRITTEN[name]
    if name.startswith("[") or "!" in name:
        return Reason.EXTERNAL_LINK
    if not is_excel_function(name):
        return "not an Excel function (#NAME?, or a VBA function)"
    if name in plugins:
        return "dcmodel function"
    if supported is None or name in supported:
        return "HyperFormula"
    return "unsupported"
