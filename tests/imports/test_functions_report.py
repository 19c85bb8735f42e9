import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command


def report(*args):
    out = StringIO()
    call_command("functions_report", *args, stdout=out)
    return out.getvalue()


def test_functions_report_lists_functions_and_how_they_are_computed(corpus_workbook):
    out = report(str(corpus_workbook("ironcalc/LAMBDA.xlsx")), "--json")
    data = json.loads(out.strip().splitlines()[-1])
    how = {use["name"]: use["how"] for use in data["functions"]}
    assert how["LAMBDA"] == "inlined"
    assert how["COUNTWORDS"] == "named LAMBDA, inlined"
    assert "SQRT" in how


def test_functions_report_names_what_is_unsupported(corpus_workbook):
    out = report(str(corpus_workbook("apache-poi/54436.xlsx")))
    assert "GETPIVOTDATA" in out and "unsupported" in out


def test_functions_report_refuses_a_bad_file(tmp_path):
    bad = tmp_path / "x.xlsx"
    bad.write_text("not a workbook")
    with pytest.raises(CommandError, match="not a zip"):
        report(str(bad))
