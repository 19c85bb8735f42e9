"""API fixtures: clients with token or session auth, and models imported through the pipeline.

The model of most tests is a real corpus workbook (three sheets, a circular pair, text,
a boolean) whose cached values were altered on purpose, so validation finds known
mismatches: E2 and E4 are root causes, E6 reads E4 and is propagated.
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from imports.models import Workbook
from imports.services.pipeline import ImportContext, ImportOptions, run_import
from tests import badfiles

SMALL = "apache-poi/57535.xlsx"
ALTERED = {"E2": "4", "E4": "60", "E6": "500"}
NAMES = "apache-poi/testNames.xlsm"  # unsupported functions, an error value, named ranges


def import_file(path: Path, owner, **options) -> Workbook:
    """Import through the real pipeline (Node included), owned by `owner`."""
    ctx = ImportContext(
        path=path,
        original_filename=path.name,
        options=ImportOptions(owner_id=owner.pk if owner else None, force=True, **options),
    )
    run_import(ctx, progress=lambda *call: None)
    return Workbook.objects.get(pk=ctx.workbook_id)


@pytest.fixture
def altered_path(tmp_path, corpus_workbook) -> Path:
    return badfiles.with_cached_values(
        tmp_path, corpus_workbook(SMALL), "xl/worksheets/sheet1.xml", ALTERED
    )


@pytest.fixture
def model(user, altered_path) -> Workbook:
    return import_file(altered_path, user, name="altered")


@pytest.fixture
def token(user) -> str:
    return Token.objects.create(user=user).key


@pytest.fixture
def api(token) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


@pytest.fixture
def other(django_user_model):
    return django_user_model.objects.create_user(username="someone-else", password="pw")


@pytest.fixture
def other_api(other) -> APIClient:
    client = APIClient()
    client.force_authenticate(other)
    return client


@pytest.fixture
def staff_api(django_user_model) -> APIClient:
    staff = django_user_model.objects.create_user(username="staff", password="pw", is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=staff).key}")
    return client


def error_of(response) -> dict:
    """The error body every 4xx carries; asserts its shape."""
    assert response["Content-Type"].startswith("application/json"), response.content[:200]
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] and body["error"]["message"], body
    return body["error"]


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """Users, tokens and two imported models, committed once for a module of tests that
    only read (each test's own writes roll back), and removed after the module.

    `model`: the altered corpus workbook (owner's); `names`: testNames.xlsm (owner's);
    `theirs`: the altered workbook imported by `other`.
    """
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from imports.services.workbooks import workbook_delete

    corpus = Path(settings.DCMODEL_CORPUS_DIR)
    tmp = tmp_path_factory.mktemp("world")
    altered = badfiles.with_cached_values(tmp, corpus / SMALL, "xl/worksheets/sheet1.xml", ALTERED)
    users = get_user_model().objects
    with django_db_blocker.unblock():
        owner = users.create_user(username="world-owner", password="pw-owner")
        other = users.create_user(username="world-other", password="pw-other")
        staff = users.create_user(username="world-staff", password="pw-staff", is_staff=True)
        world = SimpleNamespace(
            owner=owner,
            other=other,
            staff=staff,
            model=import_file(altered, owner, name="altered model"),
            names=import_file(corpus / NAMES, owner, name="names"),
            theirs=import_file(altered, other, name="their model"),
            tokens={u.username: Token.objects.create(user=u).key for u in (owner, other, staff)},
        )
        yield world
        for workbook in Workbook.objects.filter(owner__in=[owner, other, staff]):
            workbook_delete(workbook)
        users.filter(pk__in=[owner.pk, other.pk, staff.pk]).delete()


def client_for(world, username: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {world.tokens[username]}")
    return client


@pytest.fixture
def owner_api(world, db) -> APIClient:
    return client_for(world, "world-owner")


@pytest.fixture
def stranger_api(world, db) -> APIClient:
    return client_for(world, "world-other")


@pytest.fixture
def staff_world_api(world, db) -> APIClient:
    return client_for(world, "world-staff")
