"""scripts/excel_importer.py, the API client, run as a subprocess against real servers.

Two servers: daphne (HTTP and the progress WebSocket) with a real qcluster, and
pytest-django's live_server, which speaks HTTP only, so the client's WebSocket fails
there and it must poll. The client runs without Django, as on a user's machine.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from subprocess import PIPE

import pytest
from django.conf import settings
from rest_framework.authtoken.models import Token

from imports.models import Workbook
from imports.services.stages import Stage
from jobs.models import JobRun
from tests import badfiles
from tests.cli.relay import relay
from tests.jobs.cluster import free_port, qcluster, wait_for, web_server
from validation.models import ValidationRun

BASE = Path(settings.BASE_DIR)
SCRIPT = BASE / "scripts" / "excel_importer.py"
SMALL = "apache-poi/57535.xlsx"  # five formulas that match
SLOW = "ironcalc/ARABIC_ROMAN.xlsx"  # about 20 s, parse alone about 5 s
ALTERED = {"E2": "4", "E4": "60", "E6": "500"}  # cached values changed: three mismatches

# `python -m scripts.excel_importer` in an interpreter where Django cannot be imported.
WITHOUT_DJANGO = (
    "import runpy, sys\n"
    "sys.modules.update(dict.fromkeys(['django', 'rest_framework', 'channels']))\n"
    "runpy.run_module('scripts.excel_importer', run_name='__main__', alter_sys=True)\n"
)

live = pytest.mark.django_db(transaction=True)


def client(*args, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess:
    """`python scripts/excel_importer.py ARGS` from another directory; stdout, stderr as text."""
    env = {key: value for key, value in os.environ.items() if key != "DCMODEL_TOKEN"}
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def last_json(done: subprocess.CompletedProcess) -> dict:
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def real_queue(monkeypatch):
    """Enqueue for real (the test settings run Django-Q inline)."""
    from django_q.conf import Conf

    monkeypatch.setattr(Conf, "SYNC", False)


@pytest.fixture
def token(user) -> str:
    return Token.objects.create(user=user).key


@pytest.fixture
def altered(tmp_path, corpus_workbook) -> Path:
    return badfiles.with_cached_values(
        tmp_path, corpus_workbook(SMALL), "xl/worksheets/sheet1.xml", ALTERED
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.cluster
def test_an_import_ends_with_the_summary_as_json_on_the_last_line(
    tmp_path, real_queue, token, altered
):
    with qcluster(tmp_path / "qcluster.log"), web_server(tmp_path / "daphne.log") as base:
        done = client(
            altered, "--api-url", base, "--token", token, "--name", "q3", "--json", cwd=tmp_path
        )
    assert done.returncode == 0, done.stderr
    summary = last_json(done)
    run = ValidationRun.objects.get(workbook_id=summary["model_id"])
    assert summary["ok"] is True and summary["name"] == "q3"
    assert (summary["compared"], summary["matched"]) == (run.compared, run.matched) == (5, 2)
    assert summary["mismatched"] == run.mismatched == 3
    assert summary["mismatched_by_kind"] == run.mismatched_by_kind
    assert summary["model_url"].endswith(f"/api/models/{run.workbook_id}")
    assert "Live progress unavailable" not in done.stderr  # followed on the WebSocket
    for label in ("Read formulas:", "Evaluate:", "Validate:"):  # one line per stage
        assert label in done.stderr


@pytest.mark.django_db(transaction=True)
@pytest.mark.cluster
def test_a_human_summary_then_the_same_file_again_points_to_the_model(
    tmp_path, real_queue, token, corpus_workbook
):
    path = corpus_workbook(SMALL)
    with qcluster(tmp_path / "qcluster.log"), web_server(tmp_path / "daphne.log") as base:
        first = client(path, "--api-url", base + "/", "--token", token, cwd=tmp_path)
        again = client(path, "--api-url", base, "--token", token, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    model = Workbook.objects.get()
    lines = first.stdout.splitlines()
    assert lines[0] == (
        f'Workbook {model.pk} "57535": {model.sheet_count} sheets, {model.cell_count} cells, '
        "5 formula cells"
    )
    assert lines[1].startswith("Compared 5, matched 5 (100.00%); tolerance abs 1e-09")
    assert "Mismatched: 0" in lines and "Not evaluated: 0" in lines
    assert again.returncode == 0, again.stderr
    assert again.stdout.startswith(f"Same file already imported as workbook {model.pk}")
    assert "Compared 5, matched 5" in again.stdout and Workbook.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.cluster
def test_a_dropped_socket_is_resumed_after_the_last_event(
    tmp_path, real_queue, token, corpus_workbook
):
    path = corpus_workbook(SLOW)
    with (
        qcluster(tmp_path / "qcluster.log"),
        web_server(tmp_path / "daphne.log") as base,
        relay(int(base.rsplit(":", 1)[1])) as network,
    ):
        command = [sys.executable, str(SCRIPT), path, "--api-url", network.url, "--token", token]
        process = subprocess.Popen(command, cwd=tmp_path, stdout=PIPE, stderr=PIPE, text=True)
        try:
            job = wait_for(JobRun.objects.first, timeout=60, what="the upload")
            wait_for(lambda: parsing(job), timeout=120, what="the parse stage")
            assert network.cut("GET /ws/") == 1, network.request_lines()
            out, err = process.communicate(timeout=300)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 0, err
    assert "Connection lost" in err and "Live progress unavailable" not in err
    sockets = [line for line in network.request_lines() if line.startswith("GET /ws/")]
    assert len(sockets) == 2, sockets
    resumed_after = int(sockets[1].split("after=")[1].split()[0])
    assert resumed_after > 0 and f"resuming after event {resumed_after}." in err
    assert err.count("Evaluate: Evaluate done") == 1  # nothing twice, nothing lost
    assert "Compared 40,427, matched 40,427 (100.00%)" in out


def parsing(job: JobRun) -> bool:
    job.refresh_from_db()
    assert not job.is_finished, "the job ended before the socket could be cut"
    return job.stage == "parse"


@live
@pytest.mark.cluster
def test_without_a_websocket_the_client_polls_to_the_end(
    tmp_path, live_server, real_queue, token, corpus_workbook
):
    with qcluster(tmp_path / "qcluster.log"):
        done = client(
            corpus_workbook(SMALL),
            "--api-url",
            live_server.url,
            "--token",
            token,
            "--json",
            cwd=tmp_path,
        )
    assert done.returncode == 0, done.stderr
    assert "Live progress unavailable" in done.stderr and "polling every 1 s" in done.stderr
    assert "Evaluate:" in done.stderr  # progress came from the polls
    summary = last_json(done)
    assert (summary["compared"], summary["matched"]) == (5, 5)
    assert JobRun.objects.get().status == "success"


@live
@pytest.mark.parametrize(
    "build, code, words",
    [
        (badfiles.empty, "empty", "empty"),
        (badfiles.legacy_xls, "xls", ".xls"),
    ],
)
def test_a_bad_file_is_refused_with_the_servers_message(
    tmp_path, live_server, token, build, code, words
):
    done = client(
        build(tmp_path), "--api-url", live_server.url, "--token", token, "--json", cwd=tmp_path
    )
    assert done.returncode == 2
    error = done.stderr.strip().splitlines()[-1]
    assert error.startswith(f"error: upload refused ({code}): ") and words in error
    assert last_json(done)["code"] == code and not JobRun.objects.exists()


@live
def test_a_job_that_fails_exits_1_naming_the_stage(tmp_path, live_server, token, corpus_workbook):
    no_sheets = badfiles.no_sheets(tmp_path, corpus_workbook(badfiles.GOOD))
    done = client(no_sheets, "--api-url", live_server.url, "--token", token, cwd=tmp_path)
    assert done.returncode == 1
    assert "error: import failed at stage " in done.stderr and "sheet" in done.stderr
    assert done.stdout == ""


@live
def test_a_wrong_token_is_refused_clearly(tmp_path, live_server, user, corpus_workbook):
    done = client(
        corpus_workbook(SMALL),
        "--api-url",
        live_server.url,
        "--token",
        "not-a-token",
        cwd=tmp_path,
    )
    assert done.returncode == 2
    assert "error: authentication failed (authentication_failed): Invalid token." in done.stderr
    assert "drf_create_token" in done.stderr and not JobRun.objects.exists()


def test_no_token_is_a_usage_error(tmp_path, corpus_workbook):
    done = client(corpus_workbook(SMALL), "--api-url", "http://127.0.0.1:1", cwd=tmp_path)
    assert done.returncode == 2 and "error: no API token" in done.stderr


def test_an_unreachable_server_exits_3_without_django(corpus_workbook):
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            WITHOUT_DJANGO,
            corpus_workbook(SMALL),
            "--api-url",
            url,
            "--token",
            "t",
            "--json",
        ],
        cwd=BASE,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 3, done.stderr
    assert f"error: cannot reach the server at {url}" in done.stderr
    assert last_json(done) == {
        "ok": False,
        "code": "unreachable",
        "stage": None,
        "error": done.stderr.strip().removeprefix("error: "),
    }


def test_the_stage_labels_are_the_pipelines():
    from scripts.excel_importer import STAGE_LABELS

    assert STAGE_LABELS == {stage.value: str(stage.label) for stage in Stage}
