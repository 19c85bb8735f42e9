"""Fixtures for the pages and the admin: a small finance model with mismatches, users.

The model is the corpus' three-statement workbook. For test-client tests it is
evaluated by FakeEvaluator, answering Excel's own cached values except for four cells,
so the mismatches are known: Sheet1!G4 (a root cause) feeds G6 and G6 feeds G8 (both
propagated), and Sheet1!C6 is a second, isolated root cause. The browser tests run the
real engine on a copy whose cached values were altered (see test_browser.py).
"""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from imports.models import Workbook
from imports.services.pipeline import ImportContext, ImportOptions, run_import
from tests.fakes import FakeEvaluator

FINANCE = "finance-ascension/Day_002__Finance IncomeStatement BalanceSheet CashFlow.xlsx"
WRONG = {
    ("Sheet1", "G4"): 31_000_000.0,  # Excel: 30,000,000 (=G16*G17)
    ("Sheet1", "G6"): 28_500_000.0,  # Excel: 27,500,000 (=G4-G5), reads G4
    ("Sheet1", "G8"): 22_500_000.0,  # Excel: 21,500,000 (=G6-G7), reads G6
    ("Sheet1", "C6"): 20_001.0,  # Excel: 20,000 (=SUM(C4:C5))
}
PASSWORD = "pw-for-tests"


def cached_formula_values(path: Path) -> dict:
    """{(sheet, 'A1'): Excel's cached value} for every formula cell of the file."""
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    try:
        return {
            (sheet.title, cell.coordinate): values[sheet.title][cell.coordinate].value
            for sheet in formulas
            for row in sheet.iter_rows()
            for cell in row
            if isinstance(cell.value, str) and cell.value.startswith("=")
        }
    finally:
        formulas.close()
        values.close()


def import_model(path: Path, owner, *, name: str = "Finance day 2", wrong=WRONG) -> Workbook:
    evaluator = FakeEvaluator({**cached_formula_values(path), **wrong})
    ctx = ImportContext(
        path=path,
        original_filename=path.name,
        options=ImportOptions(name=name, owner_id=owner.pk, force=True),
        evaluator_factory=evaluator,
    )
    run_import(ctx, progress=lambda *call: None)
    return Workbook.objects.get(pk=ctx.summary["workbook_id"])


@pytest.fixture
def finance_path(corpus_workbook) -> Path:
    return corpus_workbook(FINANCE)


@pytest.fixture
def model(finance_path, user) -> Workbook:
    return import_model(finance_path, user)


@pytest.fixture
def other_user(django_user_model):
    return django_user_model.objects.create_user(username="someone-else", password=PASSWORD)


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_superuser(
        username="reviewer", password=PASSWORD, email="reviewer@example.com"
    )


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def not_queued(monkeypatch):
    """Jobs stay pending: nothing is handed to Django-Q."""
    monkeypatch.setattr("jobs.services._enqueue", lambda task, job: None)
