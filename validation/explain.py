"""Why a calculated value differs from Excel's: every mismatch gets a classified reason.

Pure: it looks at the cell's flags, the workbook's calculation facts and, for the few
behaviours Excel itself changed between versions, the pair of values. The first rule
that applies wins. A mismatch no rule explains is
`unexplained`, which `fidelity_report --by-reason` shows as a bug to fix.
"""

from __future__ import annotations

from dataclasses import dataclass

from imports.services.book import CellError, Reason


@dataclass(frozen=True, slots=True)
class CellFacts:
    functions: str  # ",SUM,IF,"
    is_volatile: bool
    is_random: bool
    is_external: bool
    after_iteration: bool


@dataclass(frozen=True, slots=True)
class WorkbookFacts:
    cache_trusted: bool
    cache_trust_note: str
    application: str = ""  # the program that saved the file and computed its cache
    language: str = ""  # the saving Excel's interface language, "" unknown
    tables_on_demand: bool = False  # calcMode autoNoTable: data tables recalculate on F9 only

    @property
    def by_libreoffice(self) -> bool:
        """LibreOffice stores a formula's TRUE/FALSE as the number 1/0 (t="n"), and its own
        error codes as #VALUE!."""
        return "libreoffice" in self.application.lower()


def workbook_facts(
    trusted: bool, note: str, application: str, language: str, calc_mode: str = "auto"
) -> WorkbookFacts:
    return WorkbookFacts(
        trusted, note, application or "", language, tables_on_demand=calc_mode == "autoNoTable"
    )


# Known differences between the engine and Excel that we document instead of fixing:
# (function, rule). Matched against the functions a mismatching cell calls.
KNOWN_DIFFERENCES: dict[str, str] = {}

# Behaviours Excel changed between versions: the file's cached value comes from the
# older behaviour, the engine follows current Excel. (functions, Excel's value, ours)
# -> the rule. Each is matched on the values, so a mismatch of any other shape stays
# unexplained.
EMPTY_ARRAY_FUNCTIONS = frozenset({"DROP", "TAKE", "SEQUENCE", "FILTER", "UNIQUE", "CHOOSECOLS"})


# Functions Excel computes by an approximation of documented accuracy: a number that
# differs from ours by less than that accuracy is Excel's approximation, not an error.
# function -> (absolute, relative) bound, and the rule.
APPROXIMATIONS: dict[str, tuple[float, float, str]] = {
    "IRR": (1e-6, 0.0, "Excel iterates IRR until it is accurate within 0.00001 percent"),
    "XIRR": (1e-6, 0.0, "Excel iterates XIRR until it is accurate within 0.000001 percent"),
    "BESSELJ": (0.0, 1e-4, "Excel's BESSELJ is a polynomial approximation (about 5 digits)"),
    "BESSELY": (0.0, 1e-4, "Excel's BESSELY is a polynomial approximation (about 5 digits)"),
}


def approximation_difference(functions: set[str], cached, calculated) -> str | None:
    if not all(
        isinstance(v, int | float) and not isinstance(v, bool) for v in (cached, calculated)
    ):
        return None
    difference = abs(cached - calculated)
    for name in sorted(functions & APPROXIMATIONS.keys()):
        absolute, relative, rule = APPROXIMATIONS[name]
        bound = max(absolute, relative * max(abs(cached), abs(calculated)))
        if difference <= bound:
            return f"{name}: {rule}"
    return None


def excel_version_difference(functions: set[str], cached, calculated) -> str | None:
    if (
        functions & EMPTY_ARRAY_FUNCTIONS
        and isinstance(cached, CellError)
        and str(cached) == "#VALUE!"
        and isinstance(calculated, CellError)
        and str(calculated) == "#CALC!"
    ):
        return (
            "empty array: current Excel answers #CALC!; the Excel version that saved the "
            "file answered #VALUE!"
        )
    if (
        "TEXT" in functions
        and isinstance(cached, str)
        and not isinstance(cached, CellError)
        and cached.startswith("-")
        and isinstance(calculated, CellError)
        and str(calculated) == "#VALUE!"
    ):
        return (
            "TEXT of a negative time: Excel 2016 and later answer #VALUE! (as we do); "
            "older Excel wrote a negative elapsed time"
        )
    return None


# Languages whose Excel reads "," as the decimal separator and "." as the thousands
# separator (in TEXT format codes, and in numbers typed as text).
COMMA_DECIMAL = frozenset("de fr es it pt nl ru pl sv da fi hu cs tr".split())

# Functions that read a date typed as text, in the regional order of day and month.
DATE_TEXT_FUNCTIONS = frozenset({"VALUE", "DATEVALUE"})


def regional_settings_difference(
    functions: set[str], cached, calculated, workbook: WorkbookFacts
) -> str | None:
    """Results that depend on the regional settings of the Excel that calculated.

    The engine reads as en-US Excel does: "." decimal, month before day.
    """
    if (
        "TEXT" in functions
        and workbook.language in COMMA_DECIMAL
        and _is_text(cached)
        and _is_text(calculated)
    ):
        return (
            f"TEXT format codes follow the saving Excel's regional settings ({workbook.language}: "
            "',' decimal, '.' thousands); the engine reads them as en-US"
        )
    if functions & DATE_TEXT_FUNCTIONS and _day_month_swapped(cached, calculated):
        return (
            "a date typed as text, read day before month by the Excel that calculated "
            "(its regional settings); the engine reads month before day, as en-US"
        )
    return None


def _is_text(value) -> bool:
    return isinstance(value, str) and not isinstance(value, CellError)


def _day_month_swapped(cached, calculated) -> bool:
    from datetime import date, timedelta

    numbers = (cached, calculated)
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in numbers):
        return False
    if cached == calculated or not (61 <= min(numbers) and max(numbers) < 2958466):
        return False
    if cached % 1 != calculated % 1:
        return False
    epoch = date(1899, 12, 30)
    ours = epoch + timedelta(days=int(calculated))
    theirs = epoch + timedelta(days=int(cached))
    return (ours.year, ours.month, ours.day) == (theirs.year, theirs.day, theirs.month)


def other_program_difference(cached, calculated, workbook: WorkbookFacts) -> str | None:
    """LibreOffice writes its own error codes (Err:502 invalid argument, ...) as #VALUE!."""
    if (
        workbook.by_libreoffice
        and isinstance(cached, CellError)
        and str(cached) == "#VALUE!"
        and isinstance(calculated, CellError)
        and str(calculated) != "#VALUE!"
    ):
        return (
            f"saved by LibreOffice, which writes its own error codes as #VALUE!; "
            f"Excel answers {calculated}"
        )
    return None


# Limits Excel applies and does not document: (function, Excel's error) -> the rule.
UNDOCUMENTED_LIMITS: dict[tuple[str, str], str] = {
    ("BINOM.DIST", "#NUM!"): (
        "Excel gives up with #NUM! on astronomically many trials (1E+30); the engine "
        "computes the probability"
    ),
}


def undocumented_limit(functions: set[str], cached, calculated) -> str | None:
    if not isinstance(cached, CellError) or isinstance(calculated, CellError | str | bool):
        return None
    for name in sorted(functions):
        rule = UNDOCUMENTED_LIMITS.get((name, str(cached)))
        if rule is not None:
            return f"{name}: {rule}"
    return None


def excluded_reason(cell: CellFacts) -> tuple[str, str] | None:
    """Cells Excel's cache cannot serve as an oracle for, whatever they hold."""
    if cell.is_random:
        return (
            Reason.VOLATILE,
            "depends on RAND/RANDBETWEEN/RANDARRAY: a new value each calculation",
        )
    return None


def mismatch_reason(
    cell: CellFacts, workbook: WorkbookFacts, kind: str = "", *, cached=None, calculated=None
) -> tuple[str, str]:
    """The first rule that explains a mismatch of this kind (number/text/bool/error/type).

    Time can change a number, a text or a boolean; it does not turn a value into an
    error or into another type, so those stay counted, with whatever else explains them.
    """
    if cell.is_volatile and kind in {"number", "text", "bool"}:
        return (
            Reason.VOLATILE,
            "depends on NOW/TODAY/CELL/INFO: Excel calculated at a moment the file does not record",
        )
    if not workbook.cache_trusted:
        return Reason.CACHE_UNTRUSTED, workbook.cache_trust_note
    if cell.is_external:
        return Reason.EXTERNAL_LINK, "reads another workbook through the file's link cache"
    functions = set(filter(None, cell.functions.split(",")))
    if "TABLE" in functions and workbook.tables_on_demand:
        return Reason.CACHE_UNTRUSTED, (
            "a data table in a workbook that recalculates data tables only on demand "
            "(Automatic except for data tables): its cached results may be stale"
        )
    for name in sorted(functions):
        if name in KNOWN_DIFFERENCES:
            return Reason.ENGINE_DIFFERENCE, f"{name}: {KNOWN_DIFFERENCES[name]}"
    for explain in (excel_version_difference, approximation_difference, undocumented_limit):
        if (rule := explain(functions, cached, calculated)) is not None:
            return Reason.ENGINE_DIFFERENCE, rule
    if (rule := regional_settings_difference(functions, cached, calculated, workbook)) is not None:
        return Reason.ENGINE_DIFFERENCE, rule
    if (rule := other_program_difference(cached, calculated, workbook)) is not None:
        return Reason.ENGINE_DIFFERENCE, rule
    return Reason.UNEXPLAINED, ""


def excluded_after_mismatch(reason: str) -> bool:
    """A time-dependent cell that does not reproduce is not comparable, not a mismatch."""
    return reason == Reason.VOLATILE


@dataclass(frozen=True, slots=True)
class Judgement:
    status: str  # matched / mismatched / not_evaluated / not_compared / excluded
    kind: str = ""  # mismatch kind
    reason: str = ""
    detail: str = ""
    difference: float | None = None
    relative_difference: float | None = None

    @property
    def compared(self) -> bool:
        return self.status in {"matched", "mismatched"} or (
            self.status == "not_evaluated" and self.kind == "cached"
        )


def judge(
    cell: CellFacts,
    workbook: WorkbookFacts,
    *,
    cached,
    has_cached: bool,
    calculated,
    failure_reason: str | None,
    abs_tol: float,
    rel_tol: float,
) -> Judgement:
    """The verdict on one computed cell, as validation records it. Pure.

    `failure_reason` is set when the engine produced no value. Every cell Excel
    cached a value for is compared, unless the cache is no oracle for it (excluded);
    a cell the engine could not evaluate counts against the match rate.
    """
    from .compare import compare_values

    if has_cached and (excluded := excluded_reason(cell)) is not None:
        return Judgement("excluded", reason=excluded[0], detail=excluded[1])
    if failure_reason is not None:
        return Judgement(
            "not_evaluated", kind="cached" if has_cached else "", reason=failure_reason
        )
    if not has_cached:
        return Judgement("not_compared")
    if workbook.by_libreoffice and isinstance(calculated, bool) and cached in (0, 1):
        cached = bool(cached) if not isinstance(cached, bool) else cached
    outcome = compare_values(cached, calculated, abs_tol=abs_tol, rel_tol=rel_tol)
    if outcome.matched:
        return Judgement("matched")
    reason, detail = mismatch_reason(
        cell, workbook, outcome.kind, cached=cached, calculated=calculated
    )
    status = "excluded" if excluded_after_mismatch(reason) else "mismatched"
    return Judgement(
        status,
        kind=outcome.kind,
        reason=reason,
        detail=detail,
        difference=outcome.difference,
        relative_difference=outcome.relative_difference,
    )


def tolerances_for(cell: CellFacts, *, abs_tol: float, rel_tol: float, iterate_delta: float | None):
    """Iterated circular groups (and what follows from them) are only as exact as
    Excel's own stopping rule: a change below iterateDelta."""
    if cell.after_iteration and iterate_delta is not None:
        return max(abs_tol, iterate_delta), max(rel_tol, iterate_delta)
    return abs_tol, rel_tol
