"""The whole job in a real browser (Debian's chromium through Playwright).

A modeller logs in, uploads a corpus workbook whose cached values were altered (so
validation finds known mismatches), watches the ten stages complete live over the
WebSocket, opens the model, the sheet grid and a propagated mismatch, follows it to its
root cause, filters the review table; a reviewer runs the admin's actions.

The workbook is the corpus' three-statement model. On Sheet1, Excel's cached values of
four formulas are changed: G4 (a root cause), G6 (reads G4) and G8 (reads G6) are
propagated, C6 is a second, isolated root cause. Every assertion is on what the page shows.
"""

from __future__ import annotations

import csv
import io
import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import expect

from imports.models import Workbook
from imports.services.pipeline import ImportContext, ImportOptions, run_import
from jobs.models import JobRun
from tests import badfiles
from tests.browser.chromium import CHROMIUM, MISSING
from tests.jobs.cluster import qcluster

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.cluster,
    pytest.mark.skipif(CHROMIUM is None, reason=MISSING),
]

FINANCE = "finance-ascension/Day_002__Finance IncomeStatement BalanceSheet CashFlow.xlsx"
ALTERED = {  # Sheet1: Excel's cached values changed (Excel's own in the comments)
    "G4": "31000000",  # 30,000,000 (=G16*G17)
    "G6": "28500000",  # 27,500,000 (=G4-G5)
    "G8": "22500000",  # 21,500,000 (=G6-G7)
    "C6": "20001",  # 20,000 (=SUM(C4:C5))
}
PASSWORD = "pw-for-browser-tests"
STAGES = [
    "hash",
    "inspect",
    "read_formulas",
    "read_values",
    "parse",
    "graph",
    "evaluate",
    "circular",
    "store",
    "validate",
]
JOB_TIMEOUT = 180_000  # ms: a cold Node engine on a busy CI machine


@pytest.fixture
def altered(tmp_path, corpus_workbook) -> Path:
    path = badfiles.with_cached_values(
        tmp_path, corpus_workbook(FINANCE), "xl/worksheets/sheet1.xml", ALTERED
    )
    return path.rename(tmp_path / "finance-altered.xlsx")


@pytest.fixture
def modeller(django_user_model):
    return django_user_model.objects.create_user(username="modeller", password=PASSWORD)


@pytest.fixture
def reviewer(django_user_model):
    return django_user_model.objects.create_superuser(
        username="reviewer", password=PASSWORD, email="reviewer@example.com"
    )


@contextmanager
def worker(log: Path):
    """A qcluster, started without the test's DJANGO_ALLOW_ASYNC_UNSAFE (see conftest)."""
    relaxed = os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    try:
        cluster = qcluster(log)
        cluster.__enter__()
    finally:
        if relaxed is not None:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = relaxed
    try:
        yield
    finally:
        cluster.__exit__(None, None, None)


def log_in(page, username: str, *, path: str = "/accounts/login/") -> None:
    page.goto(path)
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()


def grid_click(page, row: int, column: int) -> None:
    """Click one cell of the virtualised grid (22 px rows, 100 px columns, from A1)."""
    layer = page.locator(".grid-layer").bounding_box()
    page.mouse.click(layer["x"] + (column - 1) * 100 + 50, layer["y"] + (row - 1) * 22 + 11)


def table_cells(page) -> list[str]:
    links = page.locator("#mismatches tbody tr td:first-child a:first-child")
    return [text.strip() for text in links.all_inner_texts()]


def test_upload_watch_live_and_review_a_mismatch(
    page, console, shoot, server, modeller, altered, tmp_path, corpus_workbook
):
    # --- log in through the login page ------------------------------------------------
    page.goto("/models/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next=/models/$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()
    shoot(page, "login")
    page.fill("#id_username", "modeller")
    page.fill("#id_password", "wrong password")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".error-box")).to_contain_text("enter a correct username and password")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/models/$"))
    expect(page.locator(".whoami")).to_contain_text("modeller")
    shoot(page, "empty-model-list")

    # --- upload: errors in place, then the real workbook ----------------------------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Upload").click()
    expect(page.get_by_role("heading", name="Upload a model")).to_be_visible()
    page.set_input_files(
        "#id_file", files=[{"name": "notes.txt", "mimeType": "text/plain", "buffer": b"hello"}]
    )
    expect(page.locator("#file-error")).to_have_text(
        "This is not an Excel workbook (.xlsx or .xlsm)."
    )
    expect(page.locator("#dropzone")).to_have_class(re.compile(r"\binvalid\b"))
    page.click("#upload-submit")  # refused by the page itself: nothing is sent
    expect(page).to_have_url(re.compile(r"/models/upload/$"))
    shoot(page, "upload-client-error")

    encrypted = badfiles.encrypted(tmp_path, corpus_workbook(badfiles.GOOD))
    page.set_input_files("#id_file", str(encrypted))
    expect(page.locator("#file-error")).to_have_text("")
    expect(page.locator("#dropzone")).to_have_class(re.compile(r"\bready\b"))
    with console.allow(r"status of 400"):  # the refused upload's own response
        with page.expect_navigation():
            page.click("#upload-submit")
        expect(page.locator("#file-error")).to_contain_text("password-protected")
    expect(page.locator("#dropzone")).to_have_class(re.compile(r"\binvalid\b"))
    assert not JobRun.objects.exists()
    shoot(page, "upload-server-error")

    page.set_input_files("#id_file", str(altered))
    expect(page.locator("#file-chosen")).to_contain_text("finance-altered.xlsx")
    page.fill("#id_name", "Finance (altered)")
    page.fill("#id_abs_tol", "1e-6")
    with page.expect_navigation():
        page.click("#upload-submit")
    expect(page).to_have_url(re.compile(r"/jobs/[0-9a-f-]{36}/$"))

    # --- the job page: pending until a worker runs, then every stage ticks live --------
    live = page.locator("#live-job")
    stages = page.locator("#job-stages li")
    expect(stages).to_have_count(10)
    assert [s.get_attribute("data-stage") for s in stages.all()] == STAGES
    expect(page.locator("#job-status")).to_have_text("pending")
    expect(page.locator("#job-transport")).to_have_text("live")  # the WebSocket is open
    expect(stages.first).to_have_class(re.compile(r"\bpending\b"))
    shoot(page, "job-waiting")
    # Record every class a stage item takes, to prove they ticked while the page watched.
    page.evaluate(
        """() => {
            window.__seen = {};
            const record = (li) => {
                const seen = (window.__seen[li.dataset.stage] ||= []);
                const state = li.className.replace("stage ", "");
                if (seen[seen.length - 1] !== state) seen.push(state);
            };
            document.querySelectorAll("#job-stages li").forEach((li) => {
                record(li);
                new MutationObserver(() => record(li)).observe(li, { attributes: true });
            });
        }"""
    )
    with worker(server.logs / "qcluster-upload.log"):
        expect(live).to_have_attribute("data-status", "success", timeout=JOB_TIMEOUT)
    expect(page.locator("#job-status")).to_have_text("success")
    for stage in STAGES:
        item = page.locator(f'#job-stages li[data-stage="{stage}"]')
        expect(item).to_have_class("stage done")
        expect(item.locator(".stage-seconds")).to_have_text(re.compile(r"^\d+\.\d\d s$"))
    seen = page.evaluate("window.__seen")
    assert all(seen[stage][0] == "pending" and seen[stage][-1] == "done" for stage in STAGES), seen
    assert any("running" in seen[stage] for stage in STAGES), seen
    assert page.locator("#job-transport").inner_text().startswith("live")
    expect(page.locator("#job-progress")).to_have_attribute("aria-valuenow", "100")
    expect(page.locator("#job-percent")).to_have_text("100%")
    expect(page.locator("#job-cancel")).to_be_hidden()
    open_model = page.locator("#open-model")
    expect(open_model).to_be_visible()
    shoot(page, "job-done")

    # --- the model page: counts and the validation summary -----------------------------
    open_model.click()
    workbook = Workbook.objects.get()
    expect(page).to_have_url(re.compile(rf"/models/{workbook.pk}/$"))
    expect(page.get_by_role("heading", name="Finance (altered)")).to_be_visible()
    body = page.locator("main")
    expect(body).to_contain_text(f"{workbook.formula_count:,}")
    expect(body).to_contain_text("Sheet1")
    expect(body).to_contain_text("Sheet2")
    expect(page.locator(".kpi-bad")).to_have_text(re.compile(r"^\s*4\s*mismatches, 2 root causes"))
    summary = page.locator('section[aria-labelledby="summary-title"]')
    expect(summary.locator("#summary-legend")).to_contain_text(re.compile(r"Mismatched\s+4"))
    expect(summary).to_contain_text("number out of tolerance")
    shoot(page, "model-detail")

    # --- the sheet grid; click a propagated mismatch -------------------------------------
    page.get_by_role("link", name="Sheet1", exact=True).first.click()
    expect(page).to_have_url(re.compile(rf"/models/{workbook.pk}/sheets/0/$"))
    expect(page.locator(".gc.s-x")).to_have_count(4)  # the four altered cells, coloured
    expect(page.locator(".gc.s-x.root")).to_have_count(2)
    shoot(page, "sheet-grid")
    grid_click(page, 8, 7)  # G8
    inspector = page.locator("#inspector-body .inspector")
    expect(inspector).to_have_attribute("data-address", "G8")
    expect(page.locator("#bar-address")).to_have_text("G8")
    expect(inspector.locator("#cell-formula")).to_have_text("=G6-G7")
    expect(inspector.locator("#cell-cached")).to_contain_text("22500000")
    expect(inspector.locator("#cell-calculated")).to_contain_text("21500000")
    expect(inspector.locator("#cell-difference")).to_contain_text("1000000")
    root_cause = inspector.locator("#root-cause")
    expect(root_cause.locator(".badge.propagated")).to_be_visible()
    expect(root_cause.locator(".roots")).to_have_text(re.compile(r"Sheet1!G4"))
    chain = root_cause.locator("ol.chain li")
    expect(chain).to_have_count(3)
    assert [t.split()[0] for t in chain.all_inner_texts()] == [
        "Sheet1!G4",
        "Sheet1!G6",
        "Sheet1!G8",
    ]
    shoot(page, "inspector-propagated")

    # --- the keyboard: n jumps to the next mismatch, Escape closes the inspector ----------
    page.keyboard.press("Escape")
    expect(page.locator("#inspector")).to_be_hidden()
    page.keyboard.press("n")  # G8 is the last mismatch, row by row: wraps to G4
    expect(inspector).to_have_attribute("data-address", "G4")
    page.keyboard.press("n")  # then C6 (row 6 before G6)
    expect(inspector).to_have_attribute("data-address", "C6")
    expect(page.locator("#bar-address")).to_have_text("C6")
    grid_click(page, 8, 7)  # back to G8
    expect(inspector).to_have_attribute("data-address", "G8")

    # --- follow the root cause ----------------------------------------------------------
    root_cause.locator("a.root-link").click()
    expect(inspector).to_have_attribute("data-address", "G4")
    expect(page).to_have_url(re.compile(r"\?cell=G4$"))
    expect(inspector.locator("#cell-formula")).to_have_text("=G16*G17")
    expect(inspector.locator(".root-here .badge.root")).to_have_text("root cause")
    expect(inspector.locator("#cell-difference")).to_contain_text("1000000")
    shoot(page, "inspector-root-cause")

    # --- the review table, filtered -------------------------------------------------------
    page.goto(f"/models/{workbook.pk}/mismatches/")
    expect(page.locator("#mismatches tbody tr")).to_have_count(4)
    cells = table_cells(page)
    assert set(cells[:2]) == {"Sheet1!G4", "Sheet1!C6"}  # root causes first
    page.select_option("select[name=root]", "0")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#mismatches tbody tr")).to_have_count(2)
    assert sorted(table_cells(page)) == ["Sheet1!G6", "Sheet1!G8"]
    expect(page.locator("#mismatches tbody .badge.propagated")).to_have_count(2)
    page.select_option("select[name=root]", "1")
    page.select_option("select[name=sheet]", "Sheet1")
    page.select_option("select[name=kind]", "number")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator("#mismatches tbody tr")).to_have_count(2)
    assert sorted(table_cells(page)) == ["Sheet1!C6", "Sheet1!G4"]
    expect(page.locator("#result-count")).to_contain_text("2 mismatches")
    shoot(page, "review-root-causes")
    page.click("#sort-difference")  # largest difference first: G4 (1,000,000) before C6 (1)
    expect(page.locator("#mismatches tbody tr")).to_have_count(2)
    assert table_cells(page) == ["Sheet1!G4", "Sheet1!C6"]
    page.select_option("select[name=sheet]", "Sheet2")
    page.get_by_role("button", name="Apply").click()
    expect(page.locator(".card.empty")).to_contain_text("No mismatch matches these filters.")
    shoot(page, "review-no-match")

    # --- the model list: counts, the match rate as a bar, status; delete, confirmed ------
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Models").click()
    row = page.locator("#models tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Finance (altered)")
    expect(row).to_contain_text("finance-altered.xlsx")
    expect(row.locator(".rate-text")).to_have_text("87.88%")  # 29 of 33 formulas
    expect(row.locator(".badge.mismatched")).to_have_text("4 mismatches")
    assert row.locator(".rate-bar span").evaluate("node => node.style.width") == "87.88%"
    shoot(page, "model-list")
    row.get_by_role("link", name="Delete Finance (altered)").click()
    expect(page.get_by_role("heading", name="Delete “Finance (altered)”?")).to_be_visible()
    shoot(page, "delete-confirm")
    page.get_by_role("button", name="Delete the model").click()
    expect(page.locator(".messages")).to_contain_text("Model “Finance (altered)” was deleted.")
    expect(page.locator(".card.empty")).to_contain_text("No models yet.")
    assert not Workbook.objects.exists()
    assert console.errors == []


def import_altered(path: Path, owner) -> Workbook:
    """Import in this process through the real pipeline (Node included)."""
    ctx = ImportContext(
        path=path,
        original_filename=path.name,
        options=ImportOptions(name="Finance (altered)", owner_id=owner.pk, force=True),
    )
    run_import(ctx, progress=lambda *call: None)
    return Workbook.objects.get(pk=ctx.workbook_id)


def test_admin_review_export_and_revalidate(page, console, shoot, server, reviewer, altered):
    workbook = import_altered(altered, reviewer)
    log_in(page, "reviewer", path="/admin/login/")
    expect(page).to_have_url(re.compile(r"/admin/$"))

    # --- the Mismatch changelist: filters and search ------------------------------------
    page.goto("/admin/validation/mismatch/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(4)
    page.locator("#changelist-filter").get_by_role("link", name="root causes").click()
    expect(rows).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("Sheet1!G4")
    expect(page.locator("#result_list")).to_contain_text("Sheet1!C6")
    page.fill("#searchbar", "G6")
    page.locator("#changelist-search").get_by_role("button").click()
    expect(rows).to_have_count(0)  # G6 is propagated: the root-cause filter stays on
    page.goto("/admin/validation/mismatch/?q=G4")  # its address, and the formula of G6
    expect(rows).to_have_count(2)
    expect(page.locator("#result_list")).to_contain_text("Sheet1!G4")
    expect(page.locator("#result_list")).to_contain_text("Sheet1!G6")
    page.goto("/admin/validation/mismatch/?root_cause=1")
    shoot(page, "mismatch-changelist")

    # --- action: mark reviewed, with a note ----------------------------------------------
    page.check("#action-toggle")
    page.select_option("select[name=action]", "mark_reviewed")
    page.click("button[name=index]")
    expect(page.locator("#content")).to_contain_text("2 mismatches will be marked reviewed")
    page.fill("#id_note", "=checked by hand")
    shoot(page, "review-note")
    page.get_by_role("button", name="Mark reviewed").click()
    expect(page.locator(".messagelist")).to_contain_text("2 mismatches marked reviewed.")
    expect(page.locator("#result_list")).to_contain_text("reviewed")
    shoot(page, "mismatches-reviewed")

    # --- action: export as CSV (formula-injection safe) ---------------------------------
    page.goto("/admin/validation/mismatch/")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "export_csv")
    with page.expect_download() as download:
        page.click("button[name=index]")
    text = Path(download.value.path()).read_text(encoding="utf-8")
    table = list(csv.DictReader(io.StringIO(text)))
    assert sorted(row["cell"] for row in table) == ["C6", "G4", "G6", "G8"]
    by_cell = {row["cell"]: row for row in table}
    assert by_cell["G4"]["root_cause"] == "root cause"
    assert by_cell["G8"]["root_cause"] == "propagated"
    assert by_cell["G4"]["review_note"] == "'=checked by hand"  # escaped, not a formula
    for row in table:
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), row
            assert not value.startswith("-") or re.fullmatch(r"-[\d.eE+-]+", value), row

    # --- action: re-validate; the JobRun page shows the job live -------------------------
    page.goto("/admin/imports/workbook/")
    expect(page.locator("#result_list")).to_contain_text("Finance (altered)")
    page.check("#action-toggle")
    page.select_option("select[name=action]", "revalidate")
    page.click("button[name=index]")
    message = page.locator(".messagelist")
    expect(message).to_contain_text("Validation of Finance (altered) started")
    message.get_by_role("link", name="job").click()
    expect(page).to_have_url(re.compile(r"/admin/jobs/jobrun/[0-9a-f-]{36}/change/$"))
    panel = page.locator(".live-panel")
    expect(panel).to_be_visible()
    expect(panel.locator("#job-stages li")).to_have_count(1)
    expect(panel.locator("#job-status")).to_have_text("pending")
    expect(panel.locator("#job-transport")).to_have_text("live")
    shoot(page, "jobrun-pending")
    with worker(server.logs / "qcluster-admin.log"):
        expect(panel.locator("#live-job")).to_have_attribute(
            "data-status", "success", timeout=JOB_TIMEOUT
        )
    expect(panel.locator('#job-stages li[data-stage="validate"]')).to_have_class("stage done")
    expect(panel.locator("#open-model")).to_have_attribute(
        "href", f"/admin/imports/workbook/{workbook.pk}/change/"
    )
    reload = panel.locator(".live-reload")
    expect(reload).to_contain_text("The job is success.")
    shoot(page, "jobrun-done")
    reload.get_by_role("link").click()
    expect(page.locator(".field-status .readonly")).to_have_text("success")
    assert workbook.validations.count() == 2
    assert console.errors == []
