"""Test doubles behind the pipeline's interfaces."""

from __future__ import annotations

from imports.services.book import BookData, EvaluationResult, Failure, Reason
from imports.services.evaluator import EvaluatorError, IterationOutcome


class FakeEvaluator:
    """Answers canned values, keyed by (sheet name, 'A1'); records what it was asked.

    A formula cell with no canned value fails with an engine-error reason; it is
    never given Excel's cached value.
    """

    name = "fake"

    def __init__(self, values=None, failures=None, *, crash: str | None = None):
        self.canned = dict(values or {})
        self.canned_failures = dict(failures or {})
        self.crash = crash
        self.asked: list[str] = []
        self.closed = 0

    def __call__(self):  # usable directly as an evaluator factory
        return self

    def supported_functions(self):
        return None

    def parameter_kinds(self):
        return None

    def evaluate(self, book: BookData, *, progress) -> EvaluationResult:
        from openpyxl.utils.cell import get_column_letter

        if self.crash:
            raise EvaluatorError(self.crash)
        result = EvaluationResult(engine=self.name)
        for sheet, cell in book.result_cells():
            label = (sheet.name, f"{get_column_letter(cell.col)}{cell.row}")
            key = (sheet.index, cell.row, cell.col)
            self.asked.append(f"{label[0]}!{label[1]}")
            if label in self.canned:
                result.values[key] = self.canned[label]
            else:
                detail = self.canned_failures.get(label, "no canned value")
                result.failures[key] = Failure(Reason.ENGINE_ERROR, detail)
        progress("evaluate", 100.0, "fake evaluation done")
        return result

    def iterate(self, cells, *, max_iterations, max_change) -> IterationOutcome:
        return IterationOutcome(iterations=0, max_change=0.0, converged=False)

    def calculate_many(self, items):
        return [Failure(Reason.ENGINE_ERROR, "fake") for _ in items]

    def set_formulas(self, formulas) -> None:
        self.asked.extend(formulas)

    def set_contents(self, contents) -> None:
        self.asked.extend(contents)

    def what_if(self, inputs, cases):
        return [[Failure(Reason.ENGINE_ERROR, "fake") for _ in reads] for _, reads in cases]

    def read_values(self, *, progress) -> EvaluationResult:
        return EvaluationResult(engine=self.name)

    def close(self) -> None:
        self.closed += 1
