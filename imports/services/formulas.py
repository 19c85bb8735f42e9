"""Formula text -> tokens, references and function names (openpyxl's tokenizer).

References are what the dependency graph needs: cells, areas, whole columns and
rows, other sheets, defined names; external ([1]Sheet!A1), 3-D (Sheet1:Sheet3!A1)
and structured (Table1[Col]) references are recognised and flagged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from openpyxl.formula.tokenizer import Token, Tokenizer, TokenizerError
from openpyxl.utils.cell import column_index_from_string

MAX_ROW = 1_048_576
MAX_COL = 16_384

# Functions whose result Excel itself cannot reproduce from the inputs alone.
RANDOM = frozenset({"RAND", "RANDBETWEEN", "RANDARRAY"})
VOLATILE = frozenset({"NOW", "TODAY", "CELL", "INFO"}) | RANDOM
# Volatile in Excel's sense (recalculated every time) but deterministic given inputs.
VOLATILE_DETERMINISTIC = frozenset({"OFFSET", "INDIRECT"})

PREFIXES = ("_xlfn._xlws.", "_xlfn.", "_xlws.", "_xludf.")


class FormulaError(Exception):
    """The formula text cannot be tokenised."""


@dataclass(frozen=True, slots=True)
class Ref:
    """A rectangular reference; `sheet` None means the formula's own sheet."""

    sheet: str | None
    min_row: int
    min_col: int
    max_row: int
    max_col: int

    @property
    def size(self) -> int:
        return (self.max_row - self.min_row + 1) * (self.max_col - self.min_col + 1)


@dataclass(slots=True)
class ParsedFormula:
    tokens: list[Token]
    functions: list[str] = field(default_factory=list)  # upper case, prefixes stripped
    refs: list[Ref] = field(default_factory=list)
    names: list[tuple[str | None, str]] = field(default_factory=list)  # (sheet, name)
    external: bool = False  # [n]Sheet!A1 or [n]Name
    structured: bool = False  # Table1[Col]
    three_d: bool = False  # Sheet1:Sheet3!A1
    has_ref_error: bool = False

    @property
    def volatile(self) -> bool:
        return any(name in VOLATILE for name in self.functions)

    @property
    def random(self) -> bool:
        return any(name in RANDOM for name in self.functions)


def tokenize(formula: str) -> list[Token]:
    try:
        return Tokenizer(formula).items
    except (TokenizerError, IndexError, ValueError) as exc:
        raise FormulaError(str(exc)) from exc


def render(tokens: list[Token]) -> str:
    return "=" + "".join(token.value for token in tokens)


def function_name(token: Token) -> str:
    """'_xlfn.XLOOKUP(' -> 'XLOOKUP'; 'A1:INDEX(' -> 'INDEX'."""
    name = token.value[:-1]
    if ":" in name:  # the tokenizer glues a range start to a function: A1:INDEX(
        name = name.rsplit(":", 1)[1]
    upper = name.upper()
    for prefix in PREFIXES:
        if upper.startswith(prefix.upper()):
            return upper[len(prefix) :]
    return upper


def parse_formula(formula: str) -> ParsedFormula:
    """Tokenise and collect function names and references."""
    tokens = tokenize(formula)
    parsed = ParsedFormula(tokens=tokens)
    for token in tokens:
        if token.type == Token.FUNC and token.subtype == Token.OPEN:
            parsed.functions.append(function_name(token))
            head = token.value[:-1]
            if ":" in head:  # A1:INDEX( -> the A1 part is a reference
                _add_operand(parsed, head.rsplit(":", 1)[0])
        elif token.type == Token.OPERAND and token.subtype == Token.RANGE:
            _add_operand(parsed, token.value)
    return parsed


_SHEET = r"(?:'(?P<quoted>(?:[^']|'')+)'|(?P<plain>[^'!:\[\]()+\-*/^&=<>,;\s{}\"]+))"
_EXTERNAL = r"(?:\[(?P<book>[^\]]+)\])?"
_CELL = r"\$?(?P<c1>[A-Za-z]{1,3})\$?(?P<r1>\d+)"
_AREA = rf"{_CELL}(?::\$?(?P<c2>[A-Za-z]{{1,3}})\$?(?P<r2>\d+))?"
_COLS = r"\$?(?P<cc1>[A-Za-z]{1,3}):\$?(?P<cc2>[A-Za-z]{1,3})"
_ROWS = r"\$?(?P<rr1>\d+):\$?(?P<rr2>\d+)"

_SHEET_2 = _SHEET.replace("quoted", "q2").replace("plain", "p2")  # Sheet1:Sheet3 (3-D)
_REFERENCE = re.compile(
    rf"^@?(?:{_EXTERNAL}(?P<sheetpart>{_SHEET}(?::{_SHEET_2})?)!)?"
    rf"(?:(?P<area>{_AREA})|(?P<cols>{_COLS})|(?P<rows>{_ROWS})|(?P<name>[A-Za-z_\\][\w.\\?]*))$"
)
_EXTERNAL_ONLY = re.compile(r"^@?\[(?P<book>[^\]]+)\]")
_STRUCTURED = re.compile(r"^@?(?:[A-Za-z_\\][\w.\\]*)?\[")


def _add_operand(parsed: ParsedFormula, text: str) -> None:
    if text.startswith("#REF!") or "#REF!" in text:
        parsed.has_ref_error = True
        return
    if _EXTERNAL_ONLY.match(text):
        parsed.external = True
        return
    match = _REFERENCE.match(text)
    if match is None:
        if _STRUCTURED.match(text) or "[" in text:
            parsed.structured = True
        return
    sheet = _sheet_name(match)
    if match.group("q2") or match.group("p2"):
        parsed.three_d = True
        return
    if match.group("area"):
        parsed.refs.append(_area(match, sheet))
    elif match.group("cols"):
        first = column_index_from_string(match.group("cc1").upper())
        last = column_index_from_string(match.group("cc2").upper())
        parsed.refs.append(Ref(sheet, 1, min(first, last), MAX_ROW, max(first, last)))
    elif match.group("rows"):
        first, last = int(match.group("rr1")), int(match.group("rr2"))
        parsed.refs.append(Ref(sheet, min(first, last), 1, max(first, last), MAX_COL))
    elif match.group("name"):
        name = match.group("name")
        if name.upper() not in {"TRUE", "FALSE"}:
            parsed.names.append((sheet, name))


def _sheet_name(match: re.Match) -> str | None:
    if match.group("quoted"):
        return match.group("quoted").replace("''", "'")
    return match.group("plain")


def _area(match: re.Match, sheet: str | None) -> Ref:
    row1, col1 = int(match.group("r1")), column_index_from_string(match.group("c1").upper())
    if match.group("c2"):
        row2, col2 = int(match.group("r2")), column_index_from_string(match.group("c2").upper())
    else:
        row2, col2 = row1, col1
    return Ref(sheet, min(row1, row2), min(col1, col2), max(row1, row2), max(col1, col2))
