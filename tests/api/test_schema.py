"""The OpenAPI schema: valid, complete, served with offline docs; and schemathesis against
the running WSGI app with real imported models: no 5xx, every answer as documented."""

import pytest
import schemathesis
from django.core.management import call_command
from django.core.wsgi import get_wsgi_application
from django.db import transaction
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from jobs.services import validation_job_start
from validation.models import Mismatch

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    ("/api/import/upload", "post"),
    ("/api/import/job/{job_id}", "get"),
    ("/api/import/job/{job_id}/cancel", "post"),
    ("/api/models", "get"),
    ("/api/models/{model_id}", "get"),
    ("/api/models/{model_id}", "delete"),
    ("/api/models/{model_id}/cells", "get"),
    ("/api/models/{model_id}/cells/{ref}", "get"),
    ("/api/models/{model_id}/validate", "post"),
    ("/api/models/{model_id}/validations", "get"),
    ("/api/models/{model_id}/mismatches", "get"),
    ("/api/models/{model_id}/mismatches/{mismatch_id}", "get"),
    ("/api/models/{model_id}/mismatches/{mismatch_id}", "patch"),
}


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    assert "/api/models/{model_id}/cells" in target.read_text()


def test_every_endpoint_its_parameters_and_errors_are_documented(client):
    schema = client.get("/api/schema/?format=json").json()
    operations = {
        (path, method): operation
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }
    assert set(operations) == ENDPOINTS
    for key, operation in operations.items():
        assert "401" in operation["responses"], key
        assert operation.get("description"), key
    cells = operations[("/api/models/{model_id}/cells", "get")]
    assert {p["name"] for p in cells["parameters"]} == {
        "model_id", "sheet", "range", "formulas_only", "status", "kind", "root_cause",
        "search", "cursor", "page_size",
    }  # fmt: skip
    upload = operations[("/api/import/upload", "post")]["responses"]
    assert {"202", "400", "413", "415"} <= set(upload)
    error = schema["components"]["schemas"]["Error"]
    assert error["required"] == ["error"]
    status = schema["components"]["schemas"]["CellStatusEnum"]["enum"]
    assert {"matched", "mismatched", "not_evaluated", "not_compared", "excluded"} <= set(status)


def test_the_docs_pages_work_offline(client):
    swagger = client.get("/api/docs/")
    assert swagger.status_code == 200
    page = swagger.content.decode()
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    # no assets from elsewhere (the page also carries a random CSRF token: no bare "cdn")
    assert "//cdn" not in page.lower() and "https://" not in page and "http://" not in page
    assert client.get("/api/redoc/").status_code == 200
    from django.contrib.staticfiles import finders

    assert finders.find("drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js")
    assert finders.find("drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js")


# Loaded at collection: generating the schema touches no database.
schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Not negative_data_rejection: the API ignores query parameters it does not know and
# coerces a number sent for a text field, as HTTP APIs commonly do; and the path ids of
# generated invalid requests are replaced by real ones above, which can make them valid.


@pytest.fixture
def connection_kept():
    """Keep the test's database connection across requests, as Django's test client does:
    the WSGI handler closes it when a request finishes, and the test's transaction with it."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_the_running_api_answers_as_documented(case, world, connection_kept):
    """Generated requests (valid and invalid) as the owner of real models: path ids point
    at real rows, so the handlers run on real data, not only their 404s. Each example runs
    in a savepoint rolled back after it, so a generated DELETE cannot starve the next."""
    owner = world.owner
    with transaction.atomic():
        real = {
            "model_id": world.model.pk,
            "mismatch_id": Mismatch.objects.filter(run__workbook=world.model).first().pk,
            "job_id": str(validation_job_start(world.model, user=owner).pk),
        }
        for name in case.path_parameters or {}:
            if name in real:
                case.path_parameters[name] = real[name]
        try:
            case.call_and_validate(
                headers={"Authorization": f"Token {world.tokens[owner.username]}"}, checks=CHECKS
            )
        finally:
            transaction.set_rollback(True)
