"""Shared fixtures: the real corpus, a progress recorder, fake evaluator, users."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from django.conf import settings

from tests.fakes import FakeEvaluator

CORPUS = Path(settings.DCMODEL_CORPUS_DIR)


def corpus_manifest() -> list[dict]:
    with open(CORPUS / "MANIFEST.tsv", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@pytest.fixture
def corpus_workbook():
    """Path of a corpus workbook, e.g. corpus_workbook("pycel/circular.xlsx"); read-only."""

    def find(name: str) -> Path:
        path = CORPUS / name
        assert path.is_file(), f"corpus file missing: {path}"
        return path

    return find


@pytest.fixture
def workbook_copy(tmp_path, corpus_workbook):
    """A private copy of a corpus workbook, for tests that alter bytes."""

    def copy(name: str) -> Path:
        target = tmp_path / Path(name).name
        shutil.copyfile(corpus_workbook(name), target)
        return target

    return copy


class Recorder:
    def __init__(self):
        self.calls: list[tuple[str, float, str]] = []

    def __call__(self, stage: str, percent: float, message: str) -> None:
        self.calls.append((stage, percent, message))

    @property
    def stages(self) -> list[str]:
        return list(dict.fromkeys(stage for stage, _, _ in self.calls))


@pytest.fixture
def progress():
    return Recorder()


@pytest.fixture
def fake_evaluator():
    return FakeEvaluator


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user(username="modeller", password="pw-for-tests")
