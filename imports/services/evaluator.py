"""The evaluator behind an interface: one engine session per import.

Like Django's EMAIL_BACKEND, the evaluator is a dotted path in settings
(DCMODEL_EVALUATOR) and every implementation answers this protocol. An instance
is one session: `evaluate` builds the workbook in the engine and computes every
formula; the circular stage then iterates cycle groups in the same session; the
pipeline always calls `close`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from .book import BookData, CellKey, EvaluationResult, Progress


class EvaluatorError(Exception):
    """The engine failed as a whole (crash, hang, out of memory); the stage fails with this."""


@dataclass
class IterationOutcome:
    """Result of Excel-style iteration over one cycle group."""

    values: dict[CellKey, Any] = field(default_factory=dict)
    iterations: int = 0
    max_change: float = 0.0
    converged: bool = False


class Evaluator(Protocol):
    name: str

    def supported_functions(self) -> frozenset[str] | None:
        """Upper-case names of every function the engine computes (None: no restriction)."""

    def parameter_kinds(self) -> dict[str, dict[str, Any]] | None:
        """Per function: {"types": [NUMBER, RANGE, ...], "repeat": n}, as the engine declares."""

    def evaluate(self, book: BookData, *, progress: Progress) -> EvaluationResult:
        """Build the workbook and return a value or a Failure for every formula cell."""

    def iterate(
        self,
        cells: list[tuple[CellKey, str]],
        *,
        max_iterations: int,
        max_change: float,
    ) -> IterationOutcome:
        """Solve one cycle group by Gauss-Seidel sweeps in the given order, as Excel does."""

    def calculate_many(self, items: list[tuple[int, str]]) -> list[Any]:
        """Compute formulas in sheets' contexts on the current values (value or Failure each)."""

    def what_if(
        self, inputs: list[CellKey], cases: list[tuple[list[Any], list[CellKey]]]
    ) -> list[list[Any]]:
        """For each case: its values in the input cells, then the values of its cells
        to read (or Failures); the inputs hold what they held before afterwards."""

    def set_contents(self, contents: dict[CellKey, Any]) -> None:
        """Store constants in cells; their dependents recalculate."""

    def set_formulas(self, formulas: dict[CellKey, str]) -> None:
        """Replace the formulas of these cells; their dependents recalculate."""

    def read_values(self, *, progress: Progress) -> EvaluationResult:
        """Read every formula cell's current value again (after iteration)."""

    def close(self) -> None:
        """Stop the engine; safe to call twice."""


def get_evaluator() -> Evaluator:
    from django.conf import settings
    from django.utils.module_loading import import_string

    return import_string(settings.DCMODEL_EVALUATOR)()
