"""GET/DELETE /api/models[/{id}]: listing, search, order, detail, ownership, auth, errors."""

import pytest
from django.test import Client
from rest_framework.test import APIClient

from imports.models import Cell, Workbook
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def test_list_shows_own_models_newest_first_with_their_match_rate(world, owner_api):
    body = owner_api.get("/api/models").json()
    assert body["count"] == 2
    names = [row["name"] for row in body["results"]]
    assert names == ["names", "altered model"]  # newest first
    altered = body["results"][1]
    assert altered["id"] == world.model.pk and altered["owner"] == "world-owner"
    assert altered["sheet_count"] == 3 and altered["cell_count"] == 25
    assert altered["formula_count"] == 5
    assert altered["latest_validation_id"] == world.model.validations.get().pk
    assert altered["match_rate"] == pytest.approx(2 / 5)  # E2, E4, E6 altered
    assert altered["url"] == f"http://testserver/api/models/{world.model.pk}"
    assert altered["created_at"].endswith("Z")


def test_list_search_order_and_pages(world, owner_api):
    assert [m["name"] for m in owner_api.get("/api/models?search=ALTER").json()["results"]] == [
        "altered model"
    ]
    ordered = owner_api.get("/api/models?ordering=name").json()["results"]
    assert [m["name"] for m in ordered] == ["altered model", "names"]
    oldest = owner_api.get("/api/models?ordering=created_at").json()["results"]
    assert oldest[0]["name"] == "altered model"
    page = owner_api.get("/api/models?page_size=1").json()
    assert page["count"] == 2 and len(page["results"]) == 1 and "page=2" in page["next"]
    second = owner_api.get(page["next"]).json()
    assert second["results"][0]["name"] == "altered model" and second["next"] is None


def test_list_rejects_an_unknown_ordering_and_a_page_past_the_end(world, owner_api):
    error = error_of(owner_api.get("/api/models?ordering=size"))
    assert error["code"] == "invalid" and "ordering" in error["fields"]
    response = owner_api.get("/api/models?page=9")
    assert response.status_code == 404 and error_of(response)["code"] == "not_found"


def test_detail_gives_counts_sheets_names_cycles_validation_and_functions(world, owner_api):
    response = owner_api.get(f"/api/models/{world.model.pk}")
    assert response.status_code == 200
    body = response.json()
    assert [s["name"] for s in body["sheets"]] == ["Sheet1", "Sheet2", "Sheet3"]
    assert body["sheets"][0] == {
        "index": 0,
        "name": "Sheet1",
        "state": "visible",
        "cell_count": 25,
        "formula_count": 5,
        "max_row": 8,
        "max_column": 5,
    }
    assert body["calculation"]["iterate_enabled"] is True
    assert body["cycle_groups"][0]["size"] == 2
    assert set(body["cycle_groups"][0]["cells"]) == {"Sheet1!E5", "Sheet1!E6"}
    validation = body["latest_validation"]
    assert validation["compared"] == 5 and validation["matched"] == 2
    assert validation["mismatched"] == 3 and validation["mismatched_by_kind"] == {"number": 3}
    assert validation["root_causes"] == 2
    assert body["cache_trusted"] is True and body["unsupported_functions"] == {}
    assert body["links"]["cells"].endswith(f"/api/models/{world.model.pk}/cells")


def test_detail_lists_named_ranges_and_unsupported_functions(world, owner_api):
    body = owner_api.get(f"/api/models/{world.names.pk}").json()
    names = {n["name"]: n for n in body["named_ranges"]}
    assert "nr_A1" in names and names["nr_A1"]["scope"] is None
    assert {"MYFUNC", "MYFUNC2", "CRAPNAME"} <= {
        name.upper() for name in body["unsupported_functions"]
    }
    assert body["latest_validation"]["not_evaluated_by_reason"] == {"unsupported_function": 4}


def test_someone_elses_model_is_not_found_everywhere(world, stranger_api, owner_api):
    listed = [m["id"] for m in stranger_api.get("/api/models").json()["results"]]
    assert listed == [world.theirs.pk]
    model = world.model.pk
    for method, url in [
        ("get", f"/api/models/{model}"),
        ("delete", f"/api/models/{model}"),
        ("get", f"/api/models/{model}/cells"),
        ("get", f"/api/models/{model}/cells/Sheet1!E2"),
        ("get", f"/api/models/{model}/validations"),
        ("get", f"/api/models/{model}/mismatches"),
        ("post", f"/api/models/{model}/validate"),
    ]:
        response = getattr(stranger_api, method)(url)
        assert response.status_code == 404, url
        assert error_of(response) == {"code": "not_found", "message": f"No model with id {model}."}
    assert Workbook.objects.filter(pk=model).exists()
    assert owner_api.get(f"/api/models/{world.theirs.pk}").status_code == 404


def test_staff_see_every_model(world, staff_world_api):
    ids = {m["id"] for m in staff_world_api.get("/api/models").json()["results"]}
    assert ids == {world.model.pk, world.names.pk, world.theirs.pk}
    assert staff_world_api.get(f"/api/models/{world.theirs.pk}").status_code == 200


@pytest.mark.parametrize(
    "method, path",
    [
        ("get", "/api/models"),
        ("get", "/api/models/{id}"),
        ("delete", "/api/models/{id}"),
        ("get", "/api/models/{id}/cells"),
        ("get", "/api/models/{id}/cells/Sheet1!E2"),
        ("get", "/api/models/{id}/mismatches"),
        ("get", "/api/models/{id}/validations"),
        ("post", "/api/models/{id}/validate"),
        ("post", "/api/import/upload"),
        ("get", "/api/import/job/00000000-0000-0000-0000-000000000000"),
    ],
)
def test_anonymous_calls_get_401_and_no_data(world, method, path):
    response = getattr(APIClient(), method)(path.format(id=world.model.pk))
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert error_of(response)["code"] == "not_authenticated"
    assert "altered" not in response.content.decode()


def test_a_wrong_token_is_refused_clearly(world):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/api/models")
    assert response.status_code == 401
    assert error_of(response) == {"code": "authentication_failed", "message": "Invalid token."}


def test_session_authentication_with_csrf(world):
    client = Client(enforce_csrf_checks=True)
    assert client.login(username="world-owner", password="pw-owner")
    assert client.get("/api/models").json()["count"] == 2
    refused = client.delete(f"/api/models/{world.model.pk}")
    assert refused.status_code == 403  # a session write needs the CSRF token
    assert error_of(refused)["code"] == "permission_denied"
    assert "CSRF" in error_of(refused)["message"]
    assert Workbook.objects.filter(pk=world.model.pk).exists()


def test_delete_removes_the_model_and_its_cells(world, owner_api):
    response = owner_api.delete(f"/api/models/{world.model.pk}")
    assert response.status_code == 204
    assert not Workbook.objects.filter(pk=world.model.pk).exists()
    assert not Cell.objects.filter(workbook_id=world.model.pk).exists()
    assert owner_api.get(f"/api/models/{world.model.pk}").status_code == 404


@pytest.mark.parametrize(
    "path", ["/api/nothing-here", "/api/models/abc", "/api/models/99999999999999999999999"]
)
def test_unknown_paths_and_ids_are_json_404s(world, owner_api, path):
    response = owner_api.get(path)
    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_a_method_not_allowed_has_the_error_shape(world, owner_api):
    response = owner_api.put(f"/api/models/{world.model.pk}", {})
    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
