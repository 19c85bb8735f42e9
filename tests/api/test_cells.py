"""GET /api/models/{id}/cells and /cells/{sheet}!{address}: typed values, every filter,
cursor pagination (forwards and back, across sheets), one cell with its links."""

import pytest

from imports.models import Cell, Sheet, Workbook
from tests.api.conftest import error_of

pytestmark = pytest.mark.django_db


def addresses(response) -> list[str]:
    assert response.status_code == 200, response.content[:300]
    return [f"{c['sheet']}!{c['address']}" for c in response.json()["results"]]


def cells_url(model, query="") -> str:
    return f"/api/models/{model.pk}/cells{query}"


def test_cells_come_typed_in_sheet_row_column_order(world, owner_api):
    body = owner_api.get(cells_url(world.model, "?page_size=100")).json()
    cells = {c["address"]: c for c in body["results"]}
    assert list(cells)[:4] == ["C1", "D1", "E1", "A2"]
    assert len(cells) == 25 and body["next"] is None and body["previous"] is None
    e2 = cells["E2"]
    assert e2["formula"] == "=D2+1" and e2["status"] == "mismatched"
    assert (e2["cached_type"], e2["cached_value"]) == ("number", 4.0)
    assert (e2["calculated_type"], e2["calculated_value"]) == ("number", 3.0)
    assert e2["row"] == 2 and e2["column"] == 5 and e2["sheet"] == "Sheet1"
    assert e2["url"] == f"http://testserver/api/models/{world.model.pk}/cells/Sheet1!E2"
    assert cells["B7"]["cached_type"] == "bool" and cells["B7"]["cached_value"] is True
    assert cells["C1"]["cached_value"] == "col 1" and cells["C1"]["calculated_value"] is None
    assert cells["E6"]["flags"] == {
        "volatile": False,
        "random": False,
        "circular": True,
        "after_iteration": True,
        "external": False,
        "array_range": None,
    }


def test_an_error_value_and_a_cell_the_engine_could_not_do(world, owner_api):
    cells = {c["address"]: c for c in owner_api.get(cells_url(world.names)).json()["results"]}
    a6 = cells["A6"]
    assert a6["cached_type"] == "error" and a6["cached_value"] == {"error": "#NAME?"}
    assert a6["calculated_type"] is None and a6["calculated_value"] is None
    assert a6["status"] == "not_evaluated" and a6["reason"] == "unsupported_function"
    assert a6["functions"] == ["CRAPNAME"]
    assert cells["A7"]["calculated_value"] == "A" and cells["A7"]["status"] == "matched"


@pytest.mark.parametrize(
    "query, expected",
    [
        ("?range=Sheet1!D2:E4", ["D2", "E2", "E3", "D4", "E4"]),
        ("?range='Sheet1'!$D$2:$E$4", ["D2", "E2", "E3", "D4", "E4"]),
        ("?sheet=sheet1&range=D2:E4", ["D2", "E2", "E3", "D4", "E4"]),
        ("?range=Sheet1!E:E", ["E1", "E2", "E3", "E4", "E5", "E6"]),
        ("?range=Sheet1!7:7", ["A7", "B7"]),
        ("?formulas_only=true", ["E2", "E3", "E4", "E5", "E6"]),
        ("?status=mismatched", ["E2", "E4", "E6"]),
        ("?status=matched&formulas_only=true", ["E3", "E5"]),
        ("?kind=number", ["E2", "E4", "E6"]),
        ("?kind=text", []),
        ("?root_cause=true", ["E2", "E4"]),
        ("?root_cause=false", ["E6"]),
        ("?search=e4", ["E5", "E6"]),
        ("?search=E4&status=mismatched", ["E6"]),
        ("?sheet=Sheet2", []),
    ],
)
def test_each_filter(world, owner_api, query, expected):
    found = addresses(owner_api.get(cells_url(world.model, query)))
    assert found == [f"Sheet1!{address}" for address in expected]


def test_status_not_evaluated(world, owner_api):
    found = addresses(owner_api.get(cells_url(world.names, "?status=not_evaluated")))
    assert found == ["Sheet1!B1", "Sheet1!C1", "Sheet1!A5", "Sheet1!A6"]


@pytest.mark.parametrize(
    "query, code",
    [
        ("?range=Sheet1!A1:B", "bad_range"),
        ("?range=Sheet1!XFE1:XFE2", "bad_range"),
        ("?range=A1:B2", "bad_range"),  # no sheet
        ("?range=Nowhere!A1:B2", "unknown_sheet"),
        ("?sheet=Nowhere", "unknown_sheet"),
        ("?cursor=bm90LWEtY3Vyc29y", "bad_cursor"),
        ("?cursor=%%%", "bad_cursor"),
        ("?status=fine", "invalid"),
        ("?kind=huge", "invalid"),
        ("?root_cause=maybe", "invalid"),
    ],
)
def test_bad_filters_are_400_with_a_code(world, owner_api, query, code):
    response = owner_api.get(cells_url(world.model, query))
    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == code
    if code == "invalid":
        assert list(error["fields"]) == [query[1:].split("=")[0]]


@pytest.fixture
def three_sheets(world):
    """Sheets created out of order (ids do not follow the sheet index), cells in each."""
    workbook = Workbook.objects.create(
        name="three",
        original_filename="three.xlsx",
        sha256="0" * 64,
        size_bytes=1,
        owner=world.owner,
    )
    for index in (2, 0, 1):
        sheet = Sheet.objects.create(workbook=workbook, index=index, name=f"S{index}")
        Cell.objects.bulk_create(
            Cell(
                workbook=workbook,
                sheet=sheet,
                row=row,
                column=column,
                address=f"{col}{row}",
                cached_type="number",
                cached_number=row * 10 + column,
            )
            for row in (3, 1, 2)
            for column, col in ((2, "B"), (1, "A"))
        )
    Sheet.objects.create(workbook=workbook, index=3, name="empty")
    return workbook


def expected_order() -> list[str]:
    return [f"S{s}!{c}{r}" for s in (0, 1, 2) for r in (1, 2, 3) for c in ("A", "B")]


def test_the_cursor_walks_every_cell_forwards_then_back(three_sheets, owner_api):
    pages, url = [], cells_url(three_sheets, "?page_size=4")
    while url:
        body = owner_api.get(url).json()
        pages.append([f"{c['sheet']}!{c['address']}" for c in body["results"]])
        url = body["next"]
    assert [cell for page in pages for cell in page] == expected_order()
    assert [len(page) for page in pages] == [4, 4, 4, 4, 2]
    back, url = [], owner_api.get(cells_url(three_sheets, "?page_size=4")).json()["next"]
    for _ in range(3):
        url = owner_api.get(url).json()["next"]
    while url:  # from the last page back to the first
        body = owner_api.get(url).json()
        back.insert(0, [f"{c['sheet']}!{c['address']}" for c in body["results"]])
        url = body["previous"]
    assert [cell for page in back for cell in page] == expected_order()


def test_the_cursor_keeps_the_filters(three_sheets, owner_api):
    body = owner_api.get(cells_url(three_sheets, "?range=S1!A1:A3&page_size=2")).json()
    assert addresses_of(body) == ["S1!A1", "S1!A2"]
    assert "range=S1" in body["next"]
    rest = owner_api.get(body["next"]).json()
    assert addresses_of(rest) == ["S1!A3"] and rest["next"] is None
    assert rest["previous"] is not None


def addresses_of(body) -> list[str]:
    return [f"{c['sheet']}!{c['address']}" for c in body["results"]]


def test_one_cell_with_precedents_dependents_and_root_cause(world, owner_api):
    response = owner_api.get(f"/api/models/{world.model.pk}/cells/Sheet1!E6")
    assert response.status_code == 200
    cell = response.json()
    assert cell["formula"] == "=E4+E5" and cell["calculated_value"] == pytest.approx(7.33326)
    assert [(p["address"], p["status"]) for p in cell["precedents"]] == [
        ("E4", "mismatched"),
        ("E5", "matched"),
    ]
    assert [d["address"] for d in cell["dependents"]] == ["E5"]
    assert cell["mismatch"]["kind"] == "number" and cell["mismatch"]["is_root_cause"] is False
    assert cell["mismatch"]["difference"] == pytest.approx(500 - 7.33326)
    assert [c["address"] for c in cell["root_cause_chain"]] == ["E4"]
    assert [c["address"] for c in cell["root_causes"]] == ["E4"]
    assert cell["precedents_truncated"] is False


def test_a_root_cause_is_its_own_root_and_a_good_cell_has_no_chain(world, owner_api):
    e2 = owner_api.get(f"/api/models/{world.model.pk}/cells/Sheet1!e2").json()
    assert e2["mismatch"]["is_root_cause"] is True
    assert e2["root_cause_chain"] == [] and [c["address"] for c in e2["root_causes"]] == ["E2"]
    assert [p["address"] for p in e2["precedents"]] == ["D2"]
    e3 = owner_api.get(f"/api/models/{world.model.pk}/cells/Sheet1!E3").json()
    assert e3["status"] == "matched" and e3["mismatch"] is None
    assert e3["root_cause_chain"] is None and e3["root_causes"] is None
    d4 = owner_api.get(f"/api/models/{world.model.pk}/cells/Sheet1!D4").json()
    assert d4["precedents"] == [] and [d["address"] for d in d4["dependents"]] == ["E4"]


def test_precedents_through_named_ranges(world, owner_api):
    a9 = owner_api.get(f"/api/models/{world.names.pk}/cells/Sheet1!A9").json()
    assert {p["address"] for p in a9["precedents"]} == {"A1", "B2", "C2", "D2", "B3", "C3", "D3"}


@pytest.mark.parametrize(
    "ref, status, code",
    [
        ("'Sheet1'!E2", 200, None),
        ("%27Sheet1%27%21E2", 200, None),
        ("Sheet1!$E$2", 200, None),
        ("Sheet1!A3", 404, "not_found"),  # an empty cell
        ("Nowhere!A1", 404, "unknown_sheet"),
        ("Sheet1!ZZ", 400, "bad_address"),
        ("Sheet1!1A", 400, "bad_address"),
        ("E2", 400, "bad_address"),
        ("!E2", 400, "bad_address"),
    ],
)
def test_addressing_one_cell(world, owner_api, ref, status, code):
    response = owner_api.get(f"/api/models/{world.model.pk}/cells/{ref}")
    assert response.status_code == status
    if code:
        assert error_of(response)["code"] == code
    else:
        assert response.json()["address"] == "E2"
