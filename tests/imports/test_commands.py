"""The two commands as a user runs them: real engine, real corpus files."""

import json
import subprocess
import sys
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from imports.models import Cell, Workbook
from tests import badfiles

pytestmark = pytest.mark.django_db


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_workbook_prints_summary_and_json_last(corpus_workbook):
    out, err = run("import_workbook", str(corpus_workbook("apache-poi/57535.xlsx")), "--json")
    summary = json.loads(out.strip().splitlines()[-1])
    assert summary["ok"] is True
    assert summary["formula_cells"] == 5 and summary["compared"] == 5
    assert summary["matched"] + summary["mismatched"] + summary["not_evaluated"] >= 5
    assert "Compared 5" in out
    # not a terminal: one line per stage on stderr, every stage named
    for label in ("Hash", "Inspect", "Read formulas", "Evaluate", "Store", "Validate"):
        assert label in err
    workbook = Workbook.objects.get(pk=summary["workbook_id"])
    assert workbook.name == "57535"


def test_import_workbook_options(corpus_workbook, user):
    out, _ = run(
        "import_workbook",
        str(corpus_workbook("apache-poi/45544.xlsx")),
        "--name",
        "Quarterly",
        "--abs-tol",
        "0.5",
        "--rel-tol",
        "0",
        "--owner",
        user.username,
        "--json",
    )
    summary = json.loads(out.strip().splitlines()[-1])
    assert (summary["name"], summary["abs_tol"], summary["rel_tol"]) == ("Quarterly", 0.5, 0.0)
    assert Workbook.objects.get(pk=summary["workbook_id"]).owner == user


@pytest.mark.parametrize(
    ("build", "words"),
    [
        (lambda tmp, good: badfiles.empty(tmp), "empty"),
        (lambda tmp, good: badfiles.not_a_zip(tmp), "not a zip"),
        (badfiles.truncated, "damaged or truncated"),
        (lambda tmp, good: badfiles.legacy_xls(tmp), "97-2003 .xls"),
        (badfiles.encrypted, "password-protected"),
        (badfiles.no_sheets, "no worksheets"),
    ],
)
def test_import_workbook_bad_input_one_line_error(tmp_path, corpus_workbook, build, words):
    path = build(tmp_path, corpus_workbook(badfiles.GOOD))
    with pytest.raises(CommandError) as caught:
        run("import_workbook", str(path))
    message = str(caught.value)
    assert words in message and "\n" not in message
    assert message.startswith("Import failed at stage ")
    assert Workbook.objects.count() == 0 and Cell.objects.count() == 0


def test_import_workbook_missing_file():
    with pytest.raises(CommandError, match="No such file"):
        run("import_workbook", "/nonexistent/model.xlsx")


def test_import_workbook_rejects_negative_tolerance(corpus_workbook):
    with pytest.raises(CommandError):
        run("import_workbook", str(corpus_workbook(badfiles.GOOD)), "--abs-tol", "-1")


def manage(*args, timeout=600):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**__import__("os").environ, "DJANGO_SETTINGS_MODULE": "dcmodel.settings"},
    )


def test_fidelity_report_rows_and_total_line(tmp_path, corpus_workbook):
    badfiles.encrypted(tmp_path, corpus_workbook(badfiles.GOOD))
    good = tmp_path / "57535.xlsx"
    good.write_bytes(corpus_workbook("apache-poi/57535.xlsx").read_bytes())
    report = tmp_path / "report.json"
    result = manage("fidelity_report", str(tmp_path), "--json", str(report))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("TOTAL workbooks=2 failed=1 formula_cells=5 compared=5 ")
    assert "match_rate=" in lines[-1] and "mean_workbook_rate=" in lines[-1]
    assert any("protected.xlsx" in line and "password-protected" in line for line in lines)
    data = json.loads(report.read_text())
    assert data["totals"]["workbooks"] == 2 and len(data["rows"]) == 2


def test_fidelity_report_leaves_the_configured_database_alone(tmp_path, corpus_workbook):
    good = tmp_path / "45544.xlsx"
    good.write_bytes(corpus_workbook("apache-poi/45544.xlsx").read_bytes())
    env_db = tmp_path / "own.sqlite3"
    result = subprocess.run(
        [sys.executable, "manage.py", "fidelity_report", str(good)],
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=600,
        env={
            **__import__("os").environ,
            "DJANGO_SETTINGS_MODULE": "dcmodel.settings",
            "DATABASE_URL": f"sqlite:///{env_db}",
        },
    )
    assert result.returncode == 0, result.stderr
    assert not env_db.exists() or env_db.stat().st_size == 0
