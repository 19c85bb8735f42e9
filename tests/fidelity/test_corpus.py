"""The whole corpus, imported as a user would: every workbook imports or fails with a
clear error, and the match rate never drops below the figure recorded in recorded.json.

Per-file results are written to test-artifacts/corpus-fidelity.tsv (not committed).
"""

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings

from imports import fidelity
from imports.services.stages import Stage
from tests.conftest import CORPUS, corpus_manifest

RECORDED = Path(__file__).with_name("recorded.json")
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


@pytest.fixture
def engine_reuse(settings):
    from node_eval.client import release_parked

    settings.DCMODEL_ENGINE_REUSE = True  # one Node process for the whole run
    yield
    release_parked()


@pytest.mark.corpus
@pytest.mark.django_db
def test_every_corpus_workbook_imports_and_fidelity_holds(engine_reuse):
    rows = []
    for entry in corpus_manifest():
        rows.append(fidelity.import_one(CORPUS / entry["file"], entry["file"]))
    write_artifact(rows)

    for row in rows:
        if row.error:  # a clear, one-line error naming the stage
            stage, _, message = row.error.partition(": ")
            assert stage in {s.value for s in Stage}
            assert message and "\n" not in message and "Traceback" not in message, row
    totals = fidelity.totals_of(rows)
    recorded = json.loads(RECORDED.read_text())
    assert totals.workbooks == len(rows) == recorded["workbooks"]
    assert totals.failed <= recorded["failed"], [r.error for r in rows if r.error]
    assert totals.match_rate >= recorded["match_rate"], totals.line()
    assert totals.mean_workbook_rate >= recorded["mean_workbook_rate"], totals.line()
    # Every cell that does not match has a classified reason: `unexplained` is a bug.
    unexplained = {
        (row.file, key): count
        for row in rows
        for key, count in row.reasons.items()
        if key.startswith("mismatched") and ("unexplained" in key or "unknown" in key)
    }
    assert unexplained == {}, unexplained


def write_artifact(rows) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    with open(ARTIFACTS / "corpus-fidelity.tsv", "w", newline="") as handle:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(
            ["file", "formula_cells", "compared", "matched", "match_rate", "seconds", "error"]
        )
        for row in rows:
            rate = "" if row.match_rate is None else f"{row.match_rate:.4f}"
            writer.writerow(
                [
                    row.file,
                    row.formula_cells,
                    row.compared,
                    row.matched,
                    rate,
                    row.seconds,
                    row.error,
                ]
            )
        writer.writerow([fidelity.totals_of(rows).line()])
