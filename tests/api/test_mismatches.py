"""Validations and mismatches: runs, every mismatch filter and order, review, re-validate."""

import pytest

from jobs.models import JobRun
from tests.api.conftest import error_of
from validation.models import Mismatch
from validation.services import validate_workbook

pytestmark = pytest.mark.django_db


def mismatches(client, model, query="") -> list[str]:
    response = client.get(f"/api/models/{model.pk}/mismatches{query}")
    assert response.status_code == 200, response.content[:300]
    return [m["cell"]["address"] for m in response.json()["results"]]


def test_mismatches_are_typed_and_root_causes_come_first(world, owner_api):
    body = owner_api.get(f"/api/models/{world.model.pk}/mismatches").json()
    assert body["count"] == 3
    first = body["results"][0]
    assert first["cell"]["address"] == "E4" and first["cell"]["formula"] == "=D4+1"
    assert first["kind"] == "number" and first["is_root_cause"] is True
    assert (first["expected_type"], first["expected"], first["expected_display"]) == (
        "number",
        60.0,
        "60.0",
    )
    assert (first["actual_type"], first["actual"]) == ("number", 6.0)
    assert first["difference"] == 54.0 and first["relative_difference"] == pytest.approx(0.9)
    assert first["review"] == "open" and first["reviewed_by"] is None
    assert first["validation_id"] == world.model.validations.get().pk
    assert first["cell"]["url"].endswith("/cells/Sheet1!E4")


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", ["E4", "E2", "E6"]),  # root causes first, then the largest difference
        ("?ordering=difference", ["E6", "E4", "E2"]),
        ("?ordering=-difference", ["E6", "E4", "E2"]),
        ("?ordering=%2Bdifference", ["E2", "E4", "E6"]),
        ("?ordering=position", ["E2", "E4", "E6"]),
        ("?kind=number", ["E4", "E2", "E6"]),
        ("?kind=error", []),
        ("?sheet=sheet1&root_cause=false", ["E6"]),
        ("?root_cause=true", ["E4", "E2"]),
        ("?sheet=Sheet2", []),
        ("?review=open", ["E4", "E2", "E6"]),
        ("?review=explained", []),
        ("?reason=unexplained", ["E4", "E2", "E6"]),
        ("?reason=volatile", []),
    ],
)
def test_mismatch_filters_and_orders(world, owner_api, query, expected):
    assert mismatches(owner_api, world.model, query) == expected


@pytest.mark.parametrize(
    "query, field",
    [
        ("?kind=big", "kind"),
        ("?review=done", "review"),
        ("?ordering=size", "ordering"),
        ("?reason=whim", "reason"),
        ("?validation=x", "validation"),
    ],
)
def test_bad_mismatch_filters_name_the_field(world, owner_api, query, field):
    response = owner_api.get(f"/api/models/{world.model.pk}/mismatches{query}")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == [field]


def test_mismatches_of_an_earlier_validation_run(world, owner_api):
    first = world.model.validations.get()
    validate_workbook(world.model.pk, abs_tol=1000.0)  # everything within tolerance now
    assert mismatches(owner_api, world.model) == []
    assert mismatches(owner_api, world.model, f"?validation={first.pk}") == ["E4", "E2", "E6"]
    response = owner_api.get(f"/api/models/{world.model.pk}/mismatches?validation=999999")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    runs = owner_api.get(f"/api/models/{world.model.pk}/validations").json()
    assert runs["count"] == 2
    newest, oldest = runs["results"]
    assert newest["abs_tol"] == 1000.0 and newest["matched"] == 5 and newest["match_rate"] == 1.0
    assert oldest["id"] == first.pk and oldest["mismatched_by_kind"] == {"number": 3}


def test_a_model_never_validated_has_no_mismatches(world, owner_api):
    world.model.validations.all().delete()
    body = owner_api.get(f"/api/models/{world.model.pk}/mismatches").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_review_a_mismatch(world, owner_api):
    mismatch = Mismatch.objects.get(run__workbook=world.model, cell__address="E2")
    url = f"/api/models/{world.model.pk}/mismatches/{mismatch.pk}"
    assert owner_api.get(url).json()["review"] == "open"
    response = owner_api.patch(
        url, {"review": "explained", "review_note": "typed over in Excel"}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["review"] == "explained" and body["review_note"] == "typed over in Excel"
    assert body["reviewed_by"] == "world-owner" and body["reviewed_at"].endswith("Z")
    assert mismatches(owner_api, world.model, "?review=explained") == ["E2"]
    bad = owner_api.patch(url, {"review": "ignored"}, format="json")
    assert bad.status_code == 400 and list(error_of(bad)["fields"]) == ["review"]


def test_mismatches_of_other_models_are_not_found(world, owner_api, stranger_api):
    theirs = Mismatch.objects.filter(run__workbook=world.theirs).first()
    response = owner_api.get(f"/api/models/{world.model.pk}/mismatches/{theirs.pk}")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"
    mine = Mismatch.objects.filter(run__workbook=world.model).first()
    response = stranger_api.patch(
        f"/api/models/{world.model.pk}/mismatches/{mine.pk}", {"review": "reviewed"}, format="json"
    )
    assert response.status_code == 404
    mine.refresh_from_db()
    assert mine.review == "open"


def test_validate_starts_a_validation_job(world, owner_api):
    response = owner_api.post(
        f"/api/models/{world.model.pk}/validate", {"abs_tol": 0.5, "rel_tol": 0}, format="json"
    )
    assert response.status_code == 202
    job = response.json()
    assert response["Location"] == job["url"] and job["url"].endswith(
        f"/api/import/job/{job['id']}"
    )
    assert job["kind"] == "validation" and job["status"] == "pending"
    assert job["model_id"] == world.model.pk
    assert job["ws_url"] == f"ws://testserver/ws/import/{job['id']}"
    stored = JobRun.objects.get(pk=job["id"])
    assert stored.options == {"abs_tol": 0.5, "rel_tol": 0.0} and stored.created_by == world.owner


@pytest.mark.parametrize("body", [{"abs_tol": -1}, {"rel_tol": "lots"}, {"abs_tol": "NaN"}])
def test_validate_refuses_bad_tolerances(world, owner_api, body):
    response = owner_api.post(f"/api/models/{world.model.pk}/validate", body, format="json")
    assert response.status_code == 400
    assert list(error_of(response)["fields"]) == list(body)
    assert not JobRun.objects.exists()
