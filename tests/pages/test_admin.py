"""The Django admin through the test client: filters, search, read-only computed fields,
links between related records, the review actions, re-validation, the CSV export and the
JobRun page's live progress.

The model is tests/pages/conftest.py's: Sheet1!G4 and C6 are root causes, G6 and G8
propagated mismatches.
"""

import csv
import io
import json
import re

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from imports.models import Cell, Sheet
from jobs.models import JobProgress, JobRun
from tests.pages.test_views import mismatch, text
from validation.models import Mismatch, ValidationRun
from validation.services import csv_safe

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:validation_mismatch_changelist")


@pytest.fixture
def admin_client(client, staff):
    client.force_login(staff)
    return client


def listed(response) -> list[str]:
    """The cells of the Mismatch changelist's rows ("Sheet1!G4"), in order."""
    table = re.search(r'<table id="result_list".*?</table>', response.content.decode(), re.S)
    if table is None:
        return []
    return re.findall(r'<th class="field-cell_label"><a [^>]*>([^<]+)</a>', table.group(0))


def test_only_staff_reach_the_admin(client, user, model):
    client.force_login(user)
    response = client.get(CHANGELIST)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.parametrize(
    "name",
    [
        "imports_workbook",
        "imports_sheet",
        "imports_cell",
        "imports_namedrange",
        "imports_cyclegroup",
        "validation_validationrun",
        "validation_mismatch",
        "jobs_jobrun",
        "jobs_jobprogress",
    ],
)
def test_every_changelist_opens_and_nothing_can_be_added(admin_client, model, name):
    response = admin_client.get(reverse(f"admin:{name}_changelist"))
    assert response.status_code == 200
    assert admin_client.get(reverse(f"admin:{name}_add")).status_code == 403


def test_the_change_pages_show_computed_fields_and_links(admin_client, model):
    run = ValidationRun.objects.get(workbook=model)
    g8 = mismatch(model, "G8")
    cell = g8.cell
    sheet = Sheet.objects.get(workbook=model, name="Sheet1")

    page = admin_client.get(reverse("admin:imports_workbook_change", args=[model.pk]))
    shown = text(page)
    assert "mismatched by kind: number 4" in shown
    assert "4 (2)" in shown  # mismatches (root causes)
    html = page.content.decode()
    assert f"{CHANGELIST}?workbook={model.pk}" in html
    assert reverse("pages:workbook_detail", args=[model.pk]) in html
    assert 'name="name"' not in html  # read-only: no inputs

    page = admin_client.get(reverse("admin:imports_cell_change", args=[cell.pk]))
    shown, html = text(page), page.content.decode()
    assert "Sheet1!G8" in shown and "=G6-G7" in shown
    assert "22500000" in shown and "21500000" in shown  # cached (the fake's) and calculated
    assert "number out of tolerance: 1000000.0 (propagated)" in shown
    g6 = Cell.objects.get(sheet=sheet, address="G6")
    assert reverse("admin:imports_cell_change", args=[g6.pk]) in html  # reads G6
    assert reverse("admin:validation_mismatch_change", args=[g8.pk]) in html
    assert reverse("pages:cell_detail", args=[model.pk, 0, "G8"]) in html

    page = admin_client.get(reverse("admin:validation_mismatch_change", args=[g8.pk]))
    shown = text(page)
    assert "propagated: it reads a cell that mismatches or failed" in shown
    assert reverse("admin:validation_validationrun_change", args=[run.pk]) in (
        page.content.decode()
    )
    page = admin_client.get(
        reverse("admin:validation_mismatch_change", args=[mismatch(model, "G4").pk])
    )
    assert "root cause: none of the cells it reads mismatches or failed" in text(page)

    page = admin_client.get(reverse("admin:validation_validationrun_change", args=[run.pk]))
    html = page.content.decode()
    assert f"{CHANGELIST}?run__id__exact={run.pk}&amp;root_cause=1" in html
    assert "2 root causes" in text(page)

    page = admin_client.get(reverse("admin:imports_sheet_change", args=[sheet.pk]))
    assert reverse("pages:sheet_grid", args=[model.pk, 0]) in page.content.decode()


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["Sheet1!G4", "Sheet1!C6", "Sheet1!G6", "Sheet1!G8"]),  # root causes first
        ("root_cause=1", ["Sheet1!G4", "Sheet1!C6"]),
        ("root_cause=0", ["Sheet1!G6", "Sheet1!G8"]),
        ("kind__exact=number", ["Sheet1!G4", "Sheet1!C6", "Sheet1!G6", "Sheet1!G8"]),
        ("kind__exact=text", []),
        ("review__exact=open&root_cause=1", ["Sheet1!G4", "Sheet1!C6"]),
        ("review__exact=reviewed", []),
        ("q=G8", ["Sheet1!G8"]),
        ("q=SUM(C4", ["Sheet1!C6"]),  # a formula
        ("q=Sheet2", []),  # a sheet name
    ],
)
def test_the_mismatch_changelist_filters_and_searches(admin_client, model, query, expected):
    response = admin_client.get(f"{CHANGELIST}?{query}")
    assert response.status_code == 200
    assert listed(response) == expected


def test_the_sheet_filter_follows_the_model_filter(admin_client, model):
    sheet2 = Sheet.objects.get(workbook=model, name="Sheet2")
    sheet1 = Sheet.objects.get(workbook=model, name="Sheet1")
    response = admin_client.get(f"{CHANGELIST}?workbook={model.pk}")
    html = response.content.decode()
    assert f"sheet={sheet1.pk}" in html and f"sheet={sheet2.pk}" in html
    assert listed(admin_client.get(f"{CHANGELIST}?workbook={model.pk}&sheet={sheet2.pk}")) == []
    assert len(listed(admin_client.get(f"{CHANGELIST}?workbook={model.pk}&sheet={sheet1.pk}"))) == 4


def test_the_cell_changelist_filters_and_searches(admin_client, model):
    url = reverse("admin:imports_cell_changelist")
    page = admin_client.get(f"{url}?workbook={model.pk}&status__exact=mismatched")
    assert page.status_code == 200
    assert text(page).count("Sheet1") >= 4
    assert "=G6-G7" in text(admin_client.get(f"{url}?q=G8"))


def action(admin_client, name: str, mismatches, **extra):
    data = {"action": name, ACTION_CHECKBOX_NAME: [m.pk for m in mismatches], **extra}
    return admin_client.post(CHANGELIST, data)


@pytest.mark.parametrize(
    "name, state", [("mark_reviewed", "reviewed"), ("mark_explained", "explained")]
)
def test_mark_mismatches_with_a_note(admin_client, model, staff, name, state):
    roots = list(Mismatch.objects.filter(run__workbook=model, is_root_cause=True))
    asked = action(admin_client, name, roots)
    assert asked.status_code == 200  # the intermediate page asks for the note
    assert f"2 mismatches will be marked {state}" in text(asked)
    assert "Sheet1!G4" in text(asked)
    assert not Mismatch.objects.exclude(review="open").exists()

    done = action(admin_client, name, roots, apply="1", note="Rounded in Excel 2010")
    assert done.status_code == 302
    marked = Mismatch.objects.filter(review=state)
    assert sorted(m.cell.address for m in marked) == ["C6", "G4"]
    assert {(m.review_note, m.reviewed_by) for m in marked} == {("Rounded in Excel 2010", staff)}
    assert f"2 mismatches marked {state}." in text(admin_client.get(CHANGELIST))

    again = action(admin_client, "reopen", roots)
    assert again.status_code == 302
    assert not Mismatch.objects.exclude(review="open").exists()


def test_a_view_only_reviewer_cannot_mark(client, model, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="pw", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_mismatch"))
    client.force_login(viewer)
    page = client.get(CHANGELIST)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'value="export_csv"' in html
    assert 'value="mark_reviewed"' not in html


@pytest.mark.parametrize(
    "value, safe",
    [
        ("=1+2", "'=1+2"),
        ("+SUM(A1)", "'+SUM(A1)"),
        ("-2+3", "'-2+3"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("-30000.5", "-30000.5"),  # a plain number stays a number
        ("1e-9", "1e-9"),
        ("revenue", "revenue"),
        (None, ""),
    ],
)
def test_csv_fields_cannot_become_formulas(value, safe):
    assert csv_safe(value) == safe


def test_export_mismatches_as_csv_formula_injection_safe(admin_client, model):
    g4 = mismatch(model, "G4")
    Mismatch.objects.filter(pk=g4.pk).update(review_note='=HYPERLINK("http://x","y")')
    Mismatch.objects.filter(pk=mismatch(model, "C6").pk).update(review_note="@SUM(1)")
    everything = Mismatch.objects.filter(run__workbook=model)
    response = action(admin_client, "export_csv", everything)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment;" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode()
    rows = {row["cell"]: row for row in csv.DictReader(io.StringIO(body))}
    assert sorted(rows) == ["C6", "G4", "G6", "G8"]
    assert rows["G4"]["formula"] == "'=G16*G17"
    assert rows["G4"]["review_note"] == '\'=HYPERLINK("http://x","y")'
    assert rows["C6"]["review_note"] == "'@SUM(1)"
    assert rows["G4"]["root_cause"] == "root cause" and rows["G8"]["root_cause"] == "propagated"
    assert rows["G4"]["excel"] == "30000000.0" and rows["G4"]["difference"] == "1000000.0"
    for row in rows.values():
        for field in row.values():
            assert not field.startswith(("=", "+", "@", "\t", "\r")), row


def test_revalidate_a_model_from_the_admin(admin_client, model, staff, not_queued):
    url = reverse("admin:imports_workbook_changelist")
    response = admin_client.post(
        url, {"action": "revalidate", ACTION_CHECKBOX_NAME: [model.pk]}, follow=True
    )
    job = JobRun.objects.get()
    assert job.kind == JobRun.Kind.VALIDATION and job.workbook == model
    assert job.created_by == staff
    shown = text(response)
    assert f"Validation of {model.name} started" in shown
    assert reverse("admin:jobs_jobrun_change", args=[job.pk]) in response.content.decode()


def test_the_jobrun_page_shows_a_running_job_live(admin_client, model, not_queued):
    from jobs.services import validation_job_start

    job = validation_job_start(model)
    JobRun.objects.filter(pk=job.pk).update(status=JobRun.Status.PROCESSING, stage="validate")
    JobProgress.objects.create(job=job, stage="validate", percent=40.0, message="Validate…")
    page = admin_client.get(reverse("admin:jobs_jobrun_change", args=[job.pk]))
    html = page.content.decode()
    assert 'class="live-panel"' in html and 'id="live-job"' in html
    assert html.count('class="stage pending"') == 1  # a validation has one stage
    assert "js/job.js" in html
    config = json.loads(
        re.search(
            r'<script id="job-config" type="application/json">(.*?)</script>', html, re.S
        ).group(1)
    )
    assert config["socket"] == f"/ws/import/{job.pk}"
    assert config["job"]["status"] == "processing"
    assert [e["message"] for e in config["events"]] == ["Validate…"]
    assert config["eventsUrl"] == reverse("pages:job_events", args=[job.pk])
    assert config["modelUrl"] == "/admin/imports/workbook/{id}/change/"


def test_admin_pages_escape_workbook_text(admin_client, model):
    sheet = Sheet.objects.get(workbook=model, name="Sheet1")
    Sheet.objects.filter(pk=sheet.pk).update(name="<script>alert(1)</script>")
    cell = mismatch(model, "G8", sheet="<script>alert(1)</script>").cell
    for url in [
        CHANGELIST,
        reverse("admin:imports_cell_change", args=[cell.pk]),
        reverse("admin:imports_sheet_changelist"),
    ]:
        html = admin_client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
