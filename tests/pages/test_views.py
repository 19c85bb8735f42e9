"""The pages through Django's test client: what they show, who may see them, CSRF."""

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from imports.models import Cell, Sheet, Workbook
from imports.views import general, precise
from jobs.models import JobProgress, JobRun
from tests import badfiles
from tests.pages.conftest import PASSWORD, import_model
from validation.models import Mismatch

pytestmark = pytest.mark.django_db


def urls_of(model: Workbook) -> dict[str, str]:
    return {
        "detail": reverse("pages:workbook_detail", args=[model.pk]),
        "delete": reverse("pages:workbook_delete", args=[model.pk]),
        "sheet": reverse("pages:sheet_grid", args=[model.pk, 0]),
        "cells": reverse("pages:sheet_cells", args=[model.pk, 0]) + "?r0=1&r1=30&c0=1&c1=14",
        "cell": reverse("pages:cell_detail", args=[model.pk, 0, "G8"]),
        "mismatches": reverse("pages:mismatch_list", args=[model.pk]),
    }


def text(response) -> str:
    """The page's visible text, roughly: tags removed, whitespace collapsed."""
    body = re.sub(
        r"<script.*?</script>|<style.*?</style>", " ", response.content.decode(), flags=re.S
    )
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


def mismatch(model, address, sheet="Sheet1") -> Mismatch:
    return Mismatch.objects.get(run__workbook=model, cell__sheet__name=sheet, cell__address=address)


# --- Login, logout, who sees what --------------------------------------------------


def test_anonymous_visitors_are_sent_to_the_login_page(client, model):
    for url in [reverse("pages:workbook_list"), reverse("pages:upload"), *urls_of(model).values()]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/?next="), url


def test_the_root_url_leads_to_the_model_list(logged_in):
    response = logged_in.get("/")
    assert response.status_code == 302 and response["Location"] == "/models/"


def test_log_in_and_out_with_our_own_pages(client, user):
    page = client.get("/accounts/login/?next=/models/upload/")
    assert "Log in" in text(page) and 'name="next" value="/models/upload/"' in page.content.decode()
    wrong = client.post("/accounts/login/", {"username": "modeller", "password": "nope"})
    assert wrong.status_code == 200 and "Please enter a correct username" in text(wrong)
    response = client.post(
        "/accounts/login/",
        {"username": "modeller", "password": PASSWORD, "next": "/models/upload/"},
    )
    assert response["Location"] == "/models/upload/"
    assert "modeller" in text(client.get("/models/"))
    out = client.post("/accounts/logout/")
    assert out["Location"] == "/accounts/login/"
    assert client.get("/models/").status_code == 302


def test_another_users_model_is_not_found(client, model, other_user):
    client.force_login(other_user)
    for name, url in urls_of(model).items():
        assert client.get(url).status_code == 404, name
    m = mismatch(model, "G4")
    posts = [
        urls_of(model)["delete"],
        reverse("pages:workbook_validate", args=[model.pk]),
        reverse("pages:mismatch_review", args=[model.pk, m.pk]),
    ]
    for url in posts:
        assert client.post(url, {"review": "reviewed"}).status_code == 404, url
    assert Workbook.objects.filter(pk=model.pk).exists()
    assert mismatch(model, "G4").review == "open"
    assert "Finance day 2" not in text(client.get("/models/"))


def test_staff_see_every_model(client, model, staff):
    client.force_login(staff)
    assert client.get(urls_of(model)["detail"]).status_code == 200
    assert "Finance day 2" in text(client.get("/models/"))


# --- Model list, detail, delete ----------------------------------------------------


def test_the_model_list_shows_counts_match_rate_and_status(logged_in, model):
    page = text(logged_in.get("/models/"))
    assert "Finance day 2" in page
    assert "149" in page and "33" in page  # cells, formulas
    assert "87.88%" in page  # 29 of 33 compared formulas match
    assert "4 mismatches" in page
    html = logged_in.get("/models/").content.decode()
    assert 'style="width: 87.88%"' in html  # the small bar


def test_the_model_list_searches_by_name(logged_in, model):
    assert "Finance day 2" not in text(logged_in.get("/models/?q=budget"))
    assert "No model matches “budget”" in text(logged_in.get("/models/?q=budget"))
    assert "Finance day 2" in text(logged_in.get("/models/?q=finance"))


def test_the_model_page_shows_counts_sheets_and_the_validation_summary(logged_in, model):
    model.unsupported_functions = {"WEBSERVICE": 3}
    model.cache_trusted = False
    model.cache_trust_note = "calculation mode is manual"
    model.save()
    response = logged_in.get(urls_of(model)["detail"])
    page = text(response)
    assert "2 sheets" in page and "149 cells" in page and "33 formulas" in page
    assert "87.88% matched (29 of 33 compared)" in page
    assert "4 mismatches, 2 root causes" in page
    assert "Matched 29 (87.9%)" in page and "Mismatched 4 (12.1%)" in page
    assert "number out of tolerance 4" in page  # mismatched by kind
    assert "WEBSERVICE 3" in page
    assert "not trusted calculation mode is manual" in page
    assert "Sheet1 visible A1:N28 112 25 4" in page
    assert "Sheet2 visible A1:E11 37 8 0" in page
    html = response.content.decode()
    assert 'class="seg matched" style="width: 87.879%"' in html


def test_delete_asks_then_deletes(logged_in, model):
    confirm = logged_in.get(urls_of(model)["delete"])
    assert "Delete “Finance day 2”?" in text(confirm)
    assert Workbook.objects.filter(pk=model.pk).exists()
    response = logged_in.post(urls_of(model)["delete"], follow=True)
    assert "Model “Finance day 2” was deleted." in text(response)
    assert not Workbook.objects.filter(pk=model.pk).exists()
    assert not Cell.objects.filter(workbook_id=model.pk).exists()


def test_revalidate_starts_a_validation_job(logged_in, model, not_queued):
    url = reverse("pages:workbook_validate", args=[model.pk])
    response = logged_in.post(url, {"abs_tol": "0.5", "rel_tol": ""})
    job = JobRun.objects.get(kind="validation")
    assert response["Location"] == reverse("pages:job_detail", args=[job.pk])
    assert job.workbook == model and job.options["abs_tol"] == 0.5
    bad = logged_in.post(url, {"abs_tol": "-1"}, follow=True)
    assert "Absolute tolerance:" in text(bad) and JobRun.objects.count() == 1


# --- Sheet grid and cells ------------------------------------------------------------


def test_the_sheet_page_carries_the_grid_and_its_mismatches(logged_in, model):
    response = logged_in.get(urls_of(model)["sheet"] + "?cell=g8")
    config = json.loads(
        re.search(r'id="grid-config"[^>]*>(.*?)</script>', response.content.decode()).group(1)
    )
    assert config["rows"] == 28 and config["columns"] == 14
    assert config["selected"] == [8, 7]
    assert config["mismatches"] == [[4, 7], [6, 3], [6, 7], [8, 7]]
    page = text(response)
    assert "Sheet1" in page and "Sheet2" in page and "mismatched 4" in page


def test_the_grid_reads_cells_by_rectangle(logged_in, model):
    data = logged_in.get(urls_of(model)["cells"]).json()
    cells = {(c[0], c[1]): c for c in data["cells"]}
    assert cells[(4, 7)] == [4, 7, "x", "30000000", "31000000", "number", "=G16*G17", 1]
    assert cells[(8, 7)][2:5] == ["x", "21500000", "22500000"] and cells[(8, 7)][7] == 0
    assert cells[(16, 7)] == [16, 7, "c", "12000", None, "number", "", 0]  # a constant
    assert cells[(3, 2)][2:4] == ["c", "Income Statement"]
    assert cells[(9, 7)][2] == "m"
    url = reverse("pages:sheet_cells", args=[model.pk, 0])
    assert logged_in.get(url).status_code == 400
    assert logged_in.get(url + "?r0=1&r1=100000&c0=1&c1=100").status_code == 400


def test_a_sheet_that_does_not_exist_is_not_found(logged_in, model):
    assert logged_in.get(reverse("pages:sheet_grid", args=[model.pk, 9])).status_code == 404


# --- The cell inspector ----------------------------------------------------------------


def test_the_inspector_shows_a_propagated_mismatch_and_its_chain(logged_in, model):
    page = text(logged_in.get(urls_of(model)["cell"]))
    assert "Sheet1! G8 mismatched" in page
    assert "Formula =G6-G7" in page
    assert "Excel (cached) 21500000 number" in page
    assert "dcmodel (calculated) 22500000 number" in page
    assert "Difference 1000000 (relative 0.0444)" in page
    assert "propagated This cell reads cells that already differ" in page
    assert re.search(r"The problem starts at: Sheet1!G4 30000000 → 31000000", page)
    assert re.search(r"Sheet1!G4 .*root Sheet1!G6 .* Sheet1!G8", page)  # the chain, root first
    assert "Reads (2) Sheet1!G6 27500000 → 28500000 Sheet1!G7 6000000" in page
    assert "Read by (2)" in page and "Sheet1!G10" in page


def test_the_inspector_marks_a_root_cause(logged_in, model):
    url = reverse("pages:cell_detail", args=[model.pk, 0, "G4"])
    page = text(logged_in.get(url))
    assert "root cause None of the cells this formula reads differs" in page
    assert "Reads (2) Sheet1!G16 12000 Sheet1!G17 2500" in page


def test_the_inspector_of_a_constant_and_of_an_empty_cell(logged_in, model):
    constant = text(logged_in.get(reverse("pages:cell_detail", args=[model.pk, 0, "G16"])))
    assert "constant" in constant and "Constant 12000" in constant
    assert "Read by (1) Sheet1!G4" in constant and "Reads" not in constant
    empty = logged_in.get(reverse("pages:cell_detail", args=[model.pk, 0, "A100"]))
    assert "This cell is empty." in text(empty)
    assert logged_in.get(reverse("pages:cell_detail", args=[model.pk, 0, "B0"])).status_code == 404


def test_the_inspector_fragment_is_only_the_panel(logged_in, model):
    html = logged_in.get(urls_of(model)["cell"] + "?fragment=1").content.decode()
    assert "<html" not in html and 'class="inspector"' in html
    assert "data-close-inspector" in html
    assert f'name="next" value="/models/{model.pk}/sheets/0/?cell=G8"' in html


def test_full_precision_in_the_inspector_and_general_format_in_the_grid(logged_in, model):
    Cell.objects.filter(workbook=model, address="G8").update(calc_number=0.1 + 0.2)
    page = text(logged_in.get(urls_of(model)["cell"]))
    assert "0.30000000000000004" in page
    cells = logged_in.get(urls_of(model)["cells"]).json()["cells"]
    assert [c[4] for c in cells if c[:2] == [8, 7]] == ["0.3"]


def test_general_format_reads_like_excel():
    assert general(0) == "0"
    assert general(30000000.0) == "30000000"
    assert general(1 / 3) == "0.333333333"
    assert general(-1 / 3) == "-0.33333333"
    assert general(0.1 + 0.2) == "0.3"
    assert general(123456.789012) == "123456.789"
    assert general(99999999999.0) == "99999999999"
    assert general(123456789012.0) == "1.23457E+11"
    assert general(0.0001) == "0.0001"
    assert general(0.00001234) == "1.234E-05"
    assert general(1e100) == "1E+100"
    assert general(float("nan")) == "#NUM!"
    assert precise("number", 21500000.0, None) == "21500000"
    assert precise("number", 0.1 + 0.2, None) == "0.30000000000000004"
    assert precise("bool", 1.0, None) == "TRUE"


# --- Mismatch review -------------------------------------------------------------------


def rows(response) -> list[str]:
    return re.findall(
        r'<tr class="is-(root|propagated)">\s*<td class="nowrap"><a href="[^"]+">([^<]+)<',
        response.content.decode(),
    )


def test_the_review_table_lists_root_causes_first(logged_in, model):
    response = logged_in.get(urls_of(model)["mismatches"])
    found = rows(response)
    assert [kind for kind, _ in found] == ["root", "root", "propagated", "propagated"]
    assert [cell for _, cell in found] == ["Sheet1!G4", "Sheet1!C6", "Sheet1!G6", "Sheet1!G8"]
    assert "4 mismatches in validation run" in text(response)
    assert "2 root causes" in text(response)


def test_the_review_table_filters_and_sorts(logged_in, model):
    url = urls_of(model)["mismatches"]
    assert [c for _, c in rows(logged_in.get(url + "?root=1"))] == ["Sheet1!G4", "Sheet1!C6"]
    assert [c for _, c in rows(logged_in.get(url + "?root=0"))] == ["Sheet1!G6", "Sheet1!G8"]
    assert rows(logged_in.get(url + "?sheet=Sheet2")) == []
    assert "No mismatch matches these filters." in text(logged_in.get(url + "?sheet=Sheet2"))
    assert len(rows(logged_in.get(url + "?kind=number"))) == 4
    assert rows(logged_in.get(url + "?kind=text")) == []
    ascending = [c for _, c in rows(logged_in.get(url + "?order=%2Bdifference"))]
    assert ascending == ["Sheet1!C6", "Sheet1!G4", "Sheet1!G6", "Sheet1!G8"]
    Mismatch.objects.filter(cell__address="G6").update(review="explained")
    assert [c for _, c in rows(logged_in.get(url + "?review=explained"))] == ["Sheet1!G6"]
    sorted_page = logged_in.get(url + "?order=difference&root=0").content.decode()
    assert 'aria-sort="descending"' in sorted_page
    assert "order=%2Bdifference" in sorted_page and "root=0" in sorted_page


def test_a_review_note_is_saved_from_the_inspector(logged_in, model, user):
    m = mismatch(model, "G4")
    url = reverse("pages:mismatch_review", args=[model.pk, m.pk])
    response = logged_in.post(url, {"review": "explained", "note": "units sold was updated"})
    assert response["Location"] == reverse("pages:cell_detail", args=[model.pk, 0, "G4"])
    m.refresh_from_db()
    assert (m.review, m.review_note, m.reviewed_by) == ("explained", "units sold was updated", user)
    page = text(logged_in.get(urls_of(model)["mismatches"]))
    assert "explained units sold was updated" in page
    outside = logged_in.post(url, {"review": "reviewed", "next": "https://evil.example/"})
    assert outside["Location"].startswith("/models/")
    assert logged_in.post(url, {"review": "bogus"}, follow=True).status_code == 200
    m.refresh_from_db()
    assert m.review == "reviewed"


# --- Escaping ----------------------------------------------------------------------------


def test_sheet_names_and_cell_text_are_escaped_everywhere(logged_in, model):
    evil = '<img src=x onerror="alert(1)">'
    Sheet.objects.filter(workbook=model, index=0).update(name=evil)
    Cell.objects.filter(workbook=model, address="G8").update(formula=f'="{evil}"')
    Workbook.objects.filter(pk=model.pk).update(name=evil)
    for name, url in urls_of(model).items():
        if name in ("cells",):
            continue
        html = logged_in.get(url).content.decode()
        assert evil not in html, name
        assert "&lt;img src=x" in html, name
    html = logged_in.get("/models/").content.decode()
    assert evil not in html and "&lt;img" in html
    html = logged_in.get(urls_of(model)["cell"] + "?fragment=1").content.decode()
    assert evil not in html


# --- Upload --------------------------------------------------------------------------------


def test_the_upload_page_has_a_drop_zone_and_tolerances(logged_in):
    page = logged_in.get("/models/upload/").content.decode()
    assert 'id="dropzone"' in page and 'name="file"' in page
    assert 'name="abs_tol"' in page and 'name="rel_tol"' in page
    assert "csrfmiddlewaretoken" in page


def test_upload_starts_an_import_job(logged_in, finance_path, not_queued, user):
    with open(finance_path, "rb") as handle:
        response = logged_in.post(
            "/models/upload/", {"file": handle, "name": "Q3 model", "abs_tol": "1e-6"}
        )
    job = JobRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("pages:job_detail", args=[job.pk])
    assert job.created_by == user and job.original_filename == finance_path.name
    assert job.options == {"name": "Q3 model", "abs_tol": 1e-6, "rel_tol": None, "force": False}


@pytest.mark.parametrize(
    "build, message",
    [
        (badfiles.not_a_zip, "This is not an Excel workbook"),
        (badfiles.empty, "The file is empty"),
        (badfiles.word_document, "not an Excel workbook"),
    ],
)
def test_upload_errors_are_shown_in_place(logged_in, tmp_path, build, message, not_queued):
    path = build(tmp_path)
    with open(path, "rb") as handle:
        response = logged_in.post("/models/upload/", {"file": handle})
    assert response.status_code == 400
    html = response.content.decode()
    error = re.search(r'id="file-error"[^>]*>(.*?)</p>', html, flags=re.S).group(1)
    assert message in error
    assert not JobRun.objects.exists()


def test_an_encrypted_workbook_is_refused_in_place(logged_in, tmp_path, corpus_workbook):
    path = badfiles.encrypted(tmp_path, corpus_workbook(badfiles.GOOD))
    with open(path, "rb") as handle:
        response = logged_in.post("/models/upload/", {"file": handle})
    assert response.status_code == 400 and "password-protected" in text(response)
    assert not JobRun.objects.exists()


def test_a_file_over_the_limit_is_refused(logged_in, finance_path, settings):
    settings.DCMODEL_MAX_UPLOAD_BYTES = 1000
    with open(finance_path, "rb") as handle:
        response = logged_in.post("/models/upload/", {"file": handle})
    assert response.status_code == 400
    assert "The file is too large; the limit is 1000" in text(response)
    assert not JobRun.objects.exists()


def test_bad_tolerances_are_shown_in_place(logged_in, finance_path):
    with open(finance_path, "rb") as handle:
        response = logged_in.post("/models/upload/", {"file": handle, "rel_tol": "-1"})
    assert response.status_code == 400
    assert "Ensure this value is greater than or equal to 0." in text(response)


def test_upload_without_a_csrf_token_is_refused(user, finance_path, not_queued):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    with open(finance_path, "rb") as handle:
        response = client.post("/models/upload/", {"file": handle})
    assert response.status_code == 403
    assert not JobRun.objects.exists()
    page = client.get("/models/upload/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    with open(finance_path, "rb") as handle:
        ok = client.post("/models/upload/", {"file": handle, "csrfmiddlewaretoken": token.group(1)})
    assert ok.status_code == 302


# --- Jobs ------------------------------------------------------------------------------------


@pytest.fixture
def job(finance_path, user, not_queued):
    from jobs.services import import_job_start

    job = import_job_start(str(finance_path), user=user)
    for stage, percent, message in [
        ("hash", 0.0, "Hash…"),
        ("hash", 2.0, "Hash done"),
        ("inspect", 2.0, "Inspect…"),
    ]:
        JobProgress.objects.create(job=job, stage=stage, percent=percent, message=message)
    return job


def test_the_job_page_lists_the_ten_stages_with_what_happened_so_far(logged_in, job):
    response = logged_in.get(reverse("pages:job_detail", args=[job.pk]))
    html = response.content.decode()
    assert html.count('class="stage pending"') == 10
    labels = re.findall(r'class="stage-label">([^<]+)<', html)
    assert labels[0] == "Hash" and labels[-1] == "Validate" and len(labels) == 10
    config = json.loads(
        re.search(r'id="job-config"[^>]*>(.*?)</script>', html, flags=re.S).group(1)
    )
    assert config["socket"] == f"/ws/import/{job.pk}"
    assert [e["message"] for e in config["events"]] == ["Hash…", "Hash done", "Inspect…"]
    assert config["modelUrl"] == "/models/{id}/"
    assert "Cancel" in text(response)


def test_the_polling_fallback_returns_the_events_after_an_id(logged_in, job):
    url = reverse("pages:job_events", args=[job.pk])
    first = logged_in.get(url).json()
    assert first["job"]["status"] == "pending" and len(first["events"]) == 3
    after = logged_in.get(f"{url}?after={first['events'][1]['id']}").json()
    assert [e["message"] for e in after["events"]] == ["Inspect…"]
    assert after["more"] is False
    assert logged_in.get(f"{url}?after=x").status_code == 200


def test_someone_elses_job_is_not_found(client, job, other_user):
    client.force_login(other_user)
    assert client.get(reverse("pages:job_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("pages:job_events", args=[job.pk])).status_code == 404
    assert client.post(reverse("pages:job_cancel", args=[job.pk])).status_code == 404


def test_a_pending_job_can_be_cancelled(logged_in, job):
    response = logged_in.post(reverse("pages:job_cancel", args=[job.pk]), follow=True)
    job.refresh_from_db()
    assert job.status == "cancelled"
    assert "The job was cancelled." in text(response)


def test_a_validation_job_lists_only_its_stage(logged_in, model, not_queued):
    from jobs.services import validation_job_start

    job = validation_job_start(model, user=model.owner)
    html = logged_in.get(reverse("pages:job_detail", args=[job.pk])).content.decode()
    assert re.findall(r'class="stage-label">([^<]+)<', html) == ["Validate"]


def test_the_model_list_shows_recent_imports_not_yet_finished(logged_in, job):
    page = text(logged_in.get("/models/"))
    assert "Recent imports" in page and job.original_filename in page


def test_models_of_two_owners_stay_apart(client, finance_path, user, other_user):
    mine = import_model(finance_path, user, name="Mine")
    theirs = import_model(finance_path, other_user, name="Theirs")
    client.force_login(other_user)
    page = text(client.get("/models/"))
    assert "Theirs" in page and "Mine" not in page
    assert client.get(reverse("pages:workbook_detail", args=[mine.pk])).status_code == 404
    assert client.get(reverse("pages:workbook_detail", args=[theirs.pk])).status_code == 200
