"""POST /api/import/upload and /api/import/job/{id}: real imports (Django-Q runs the job
inline when the upload commits), every rejected file, size limits, jobs, cancel."""

from pathlib import Path

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload
from django.test import RequestFactory

from imports.models import Workbook
from imports.uploads import TOO_LARGE_FLAG, SizeLimitUploadHandler
from jobs.models import JobProgress, JobRun
from tests import badfiles
from tests.api.conftest import SMALL, error_of

pytestmark = pytest.mark.django_db(transaction=True)

UPLOAD = "/api/import/upload"


def upload(client, path: Path, filename: str | None = None, **fields):
    """POST the file (under another file name if given) with the form fields."""
    file = SimpleUploadedFile(filename or path.name, path.read_bytes())
    return client.post(UPLOAD, {"file": file, **fields}, format="multipart")


@pytest.fixture
def nothing_stored(settings):
    """Asserts, after the test, that no file was added under MEDIA_ROOT."""

    def files() -> set[Path]:
        return {p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()}

    before = files()
    yield
    assert files() == before


def test_an_upload_is_imported_and_its_job_tells_the_result(api, user, corpus_workbook):
    response = upload(api, corpus_workbook(SMALL), name="q3 model", abs_tol="0.001")
    assert response.status_code == 202
    job = response.json()
    assert response["Location"] == job["url"] == f"http://testserver/api/import/job/{job['id']}"
    assert job["ws_url"] == f"ws://testserver/ws/import/{job['id']}"
    assert job["status"] == "success" and job["kind"] == "import" and job["file"] == "57535.xlsx"
    polled = api.get(job["url"]).json()
    assert polled["percent"] == 100.0 and polled["error"] is None
    result = polled["result"]
    assert result["model_id"] == polled["model_id"] and "workbook_id" not in result
    assert result["compared"] == 5 and result["matched"] == 5 and result["abs_tol"] == 0.001
    assert polled["events"][-1]["id"] == polled["last_event_id"]
    assert polled["events"][-1]["time"].endswith("Z")
    assert {e["stage"] for e in polled["events"]} >= {"validate"}
    model = api.get(polled["model_url"]).json()
    assert model["name"] == "q3 model" and model["owner"] == user.username


def test_events_after_an_id_resume_without_loss(api, corpus_workbook):
    job = upload(api, corpus_workbook(SMALL)).json()
    every = list(JobProgress.objects.filter(job_id=job["id"]).values_list("id", flat=True))
    assert len(every) > 20  # so the default view (the last 20) is not all of them
    assert [e["id"] for e in api.get(job["url"]).json()["events"]] == every[-20:]
    resumed = api.get(f"{job['url']}?after={every[4]}&limit=3").json()
    assert [e["id"] for e in resumed["events"]] == every[5:8]
    assert resumed["last_event_id"] == every[7]
    tail = api.get(f"{job['url']}?after={every[-1]}").json()
    assert tail["events"] == [] and tail["last_event_id"] == every[-1]
    bad = api.get(f"{job['url']}?after=-1")
    assert bad.status_code == 400 and list(error_of(bad)["fields"]) == ["after"]


def test_the_same_bytes_point_to_the_existing_model_unless_forced(api, corpus_workbook):
    first = upload(api, corpus_workbook(SMALL)).json()
    again = api.get(upload(api, corpus_workbook(SMALL)).json()["url"]).json()
    assert again["status"] == "success"
    assert again["result"]["duplicate_of"] == first["model_id"] == again["model_id"]
    assert Workbook.objects.count() == 1
    forced = upload(api, corpus_workbook(SMALL), force="true").json()
    assert forced["model_id"] != first["model_id"] and Workbook.objects.count() == 2


@pytest.mark.parametrize(
    "build, code, words",
    [
        (lambda tmp, good: badfiles.empty(tmp), "empty", "empty"),
        (lambda tmp, good: badfiles.not_a_zip(tmp), "not_a_workbook", "not a zip"),
        (badfiles.truncated, "damaged", "damaged"),
        (lambda tmp, good: badfiles.legacy_xls(tmp), "xls", ".xls"),
        (badfiles.encrypted, "encrypted", "password-protected"),
        (lambda tmp, good: badfiles.zip_bomb(tmp), "zip_bomb", "zip bomb"),
        (lambda tmp, good: badfiles.word_document(tmp), "not_a_workbook", "Word"),
    ],
)
def test_a_bad_file_gets_its_intake_code_at_once_and_nothing_is_stored(
    api, tmp_path, corpus_workbook, nothing_stored, build, code, words
):
    bad = build(tmp_path, corpus_workbook(badfiles.GOOD))
    response = upload(api, bad)
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code and words in error["message"]
    assert not JobRun.objects.exists() and not Workbook.objects.exists()


def test_another_extension_is_an_unsupported_type(api, corpus_workbook, nothing_stored):
    response = upload(api, corpus_workbook(SMALL), "model.csv")
    assert response.status_code == 415
    assert error_of(response)["code"] == "unsupported_type"
    assert not JobRun.objects.exists()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(
    api, corpus_workbook, settings, nothing_stored
):
    settings.DCMODEL_MAX_UPLOAD_BYTES = 1000  # the declared length is far above it
    response = upload(api, corpus_workbook(SMALL))
    assert response.status_code == 413
    error = error_of(response)
    assert error["code"] == "too_large" and "1,000 bytes" in error["message"]
    assert not JobRun.objects.exists()


def test_the_upload_handler_stops_a_file_just_over_the_limit(
    api, corpus_workbook, settings, nothing_stored
):
    path = corpus_workbook(SMALL)
    # Content-Length passes (within the multipart slack); the streamed file does not.
    settings.DCMODEL_MAX_UPLOAD_BYTES = path.stat().st_size - 100
    response = upload(api, path)
    assert response.status_code == 413 and error_of(response)["code"] == "too_large"
    assert not JobRun.objects.exists()


def test_the_size_handler_raises_stop_upload_as_chunks_pass_the_limit(settings):
    settings.DCMODEL_MAX_UPLOAD_BYTES = 1000
    request = RequestFactory().post("/api/import/upload")
    handler = SizeLimitUploadHandler(request)
    handler.handle_raw_input(None, {}, None, b"boundary")  # chunked: no length declared
    handler.new_file("file", "big.xlsx", "application/octet-stream", None)
    assert handler.receive_data_chunk(b"x" * 600, 0) == b"x" * 600
    with pytest.raises(StopUpload) as stopped:
        handler.receive_data_chunk(b"x" * 600, 600)
    assert stopped.value.connection_reset and getattr(request, TOO_LARGE_FLAG)


def test_upload_input_errors(api, corpus_workbook, tmp_path):
    missing = api.post(UPLOAD, {"name": "no file"}, format="multipart")
    assert missing.status_code == 400 and list(error_of(missing)["fields"]) == ["file"]
    negative = upload(api, corpus_workbook(SMALL), rel_tol="-1")
    assert negative.status_code == 400 and list(error_of(negative)["fields"]) == ["rel_tol"]
    as_json = api.post(UPLOAD, {"file": "x"}, format="json")
    assert as_json.status_code == 415 and error_of(as_json)["code"] == "unsupported_media_type"
    files = []
    for index in range(6):
        path = tmp_path / f"f{index}.xlsx"
        path.write_bytes(b"PK")
        files.append(open(path, "rb"))  # noqa: SIM115 - closed below
    try:
        many = api.post(UPLOAD, {f"file{i}": f for i, f in enumerate(files)}, format="multipart")
    finally:
        for handle in files:
            handle.close()
    assert many.status_code == 400 and error_of(many)["code"] == "too_many_parts"
    assert not JobRun.objects.exists()


def test_a_job_that_fails_says_where_and_why(api, tmp_path, corpus_workbook):
    no_sheets = badfiles.no_sheets(tmp_path, corpus_workbook(badfiles.GOOD))
    job = upload(api, no_sheets).json()  # passes intake; the pipeline refuses it
    assert job["status"] == "failed" and job["result"] is None
    assert job["error"]["stage"] and job["error"]["code"] and "sheet" in job["error"]["message"]
    assert "traceback" not in job["error"]


@pytest.fixture
def pending(monkeypatch, api, corpus_workbook):
    """An uploaded job that stays pending (nothing handed to Django-Q)."""
    monkeypatch.setattr("jobs.services._enqueue", lambda task, job: None)
    return upload(api, corpus_workbook(SMALL)).json()


def test_cancel_a_pending_job_then_it_has_finished(api, pending):
    assert pending["status"] == "pending" and pending["model_id"] is None
    response = api.post(f"{pending['url']}/cancel")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled" and response.json()["cancel_requested"]
    again = api.post(f"{pending['url']}/cancel")
    assert again.status_code == 409 and error_of(again)["code"] == "already_finished"


def test_jobs_are_their_owners_and_staffs(api, pending, other_api, staff_api):
    assert other_api.get(pending["url"]).status_code == 404
    refused = other_api.post(f"{pending['url']}/cancel")
    assert refused.status_code == 404 and error_of(refused)["code"] == "not_found"
    assert JobRun.objects.get(pk=pending["id"]).status == "pending"
    assert staff_api.get(pending["url"]).json()["id"] == pending["id"]
    unknown = api.get("/api/import/job/00000000-0000-0000-0000-000000000000")
    assert unknown.status_code == 404 and error_of(unknown)["code"] == "not_found"
    assert error_of(api.get("/api/import/job/not-a-uuid"))["code"] == "not_found"


def test_a_validation_job_runs_and_reports(api, corpus_workbook):
    model_id = upload(api, corpus_workbook(SMALL)).json()["model_id"]
    job = api.post(f"/api/models/{model_id}/validate", {"abs_tol": 0.5}, format="json").json()
    finished = api.get(job["url"]).json()
    assert finished["status"] == "success" and finished["kind"] == "validation"
    assert finished["result"]["abs_tol"] == 0.5 and finished["result"]["model_id"] == model_id
    assert api.get(f"/api/models/{model_id}/validations").json()["count"] == 2


def test_uploads_are_throttled_per_user_when_a_rate_is_set(api, user, tmp_path, settings):
    from jobs.api import UploadThrottle

    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"upload": "2/hour"},
    }
    key = UploadThrottle().cache_format % {"scope": "upload", "ident": user.pk}
    cache.delete(key)
    try:
        empty = badfiles.empty(tmp_path)
        assert [upload(api, empty).status_code for _ in range(2)] == [400, 400]
        throttled = upload(api, empty)
        assert throttled.status_code == 429 and error_of(throttled)["code"] == "throttled"
        assert int(throttled["Retry-After"]) > 0
    finally:
        cache.delete(key)
