"""Reading workbooks and cells: the same rows for pages, the API and the admin.

Ownership: a user sees their own workbooks; staff see all. Selectors return
querysets or plain values and never check permissions beyond that.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from openpyxl.utils.cell import column_index_from_string, get_column_letter, range_boundaries

from .models import Cell, CellReference, Sheet, Workbook

MAX_LINKS = 500  # precedents / dependents listed for one cell


class BadRange(ValueError):
    """A range parameter that is not Sheet!A1:B2 syntax, or names no sheet of the workbook."""

    def __init__(self, message: str, code: str = "bad_range"):
        super().__init__(message)
        self.code = code


WORKBOOK_ORDERINGS = {
    "-created_at": ("-created_at", "-id"),
    "created_at": ("created_at", "id"),
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
}


def workbook_list(*, user, search: str = "", order: str = "-created_at") -> QuerySet[Workbook]:
    """Ready workbooks this user may see, newest first unless another order is asked."""
    workbooks = Workbook.objects.filter(status=Workbook.Status.READY).select_related("owner")
    if not user.is_staff:
        workbooks = workbooks.filter(owner=user)
    if search:
        workbooks = workbooks.filter(name__icontains=search)
    return workbooks.order_by(*WORKBOOK_ORDERINGS.get(order, WORKBOOK_ORDERINGS["-created_at"]))


def workbook_get(workbook_id, *, user) -> Workbook | None:
    try:
        return workbook_list(user=user).get(pk=workbook_id)
    except (Workbook.DoesNotExist, ValueError, TypeError):
        return None


def sheet_get(workbook: Workbook, name: str) -> Sheet:
    sheet = workbook.sheets.filter(name__iexact=name).first()
    if sheet is None:
        raise BadRange(f"The model has no sheet named {name!r}.", "unknown_sheet")
    return sheet


@dataclass
class CellFilters:
    sheet: str | None = None
    range: str | None = None  # Sheet1!A1:D20 (or A1:D20 with `sheet`)
    formulas_only: bool = False
    status: str | None = None  # matched / mismatched / not_evaluated / not_compared / ...
    kind: str | None = None  # mismatch kind in the latest validation
    search: str | None = None  # text in the formula
    root_cause: bool | None = None


def cell_list(workbook: Workbook, filters: CellFilters | None = None) -> QuerySet[Cell]:
    """Cells in stable (sheet, row, column) order, filtered; raises BadRange for bad input."""
    filters = filters or CellFilters()
    cells = Cell.objects.filter(workbook=workbook).select_related("sheet")
    sheet = sheet_get(workbook, filters.sheet) if filters.sheet else None
    if filters.range:
        range_sheet, bounds = parse_range(filters.range)
        if range_sheet:
            sheet = sheet_get(workbook, range_sheet)
        if sheet is None:
            raise BadRange("A range needs a sheet: Sheet1!A1:D20 (or the sheet parameter).")
        min_col, min_row, max_col, max_row = bounds
        cells = cells.filter(
            row__gte=min_row, row__lte=max_row, column__gte=min_col, column__lte=max_col
        )
    if sheet is not None:
        cells = cells.filter(sheet=sheet)
    if filters.formulas_only:
        cells = cells.filter(Q(formula__isnull=False) | ~Q(array_ref=""))
    if filters.status:
        cells = cells.filter(status=filters.status)
    if filters.search:
        cells = cells.filter(formula__icontains=filters.search)
    if filters.kind or filters.root_cause is not None:
        run = workbook.validations.order_by("-created_at", "-id").first()
        mismatches = run.mismatches.all() if run else Cell.objects.none()
        if filters.kind:
            mismatches = mismatches.filter(kind=filters.kind)
        if filters.root_cause is not None:
            mismatches = mismatches.filter(is_root_cause=filters.root_cause)
        cells = cells.filter(pk__in=mismatches.values("cell_id"))
    return cells.order_by("sheet__index", "row", "column")


# A cell's place in the stable order of cell listings: (sheet index, row, column, id).
CellKey = tuple[int, int, int, int]


def cell_key(cell: Cell) -> CellKey:
    return (cell.sheet.index, cell.row, cell.column, cell.pk)


def cell_page(
    cells: QuerySet[Cell],
    workbook: Workbook,
    *,
    after: CellKey | None = None,
    before: CellKey | None = None,
    size: int = 100,
) -> tuple[list[Cell], bool]:
    """One page of `cells` (a cell_list result) after or before a key, and whether more follow.

    Keyset pagination one sheet at a time: each query is a range scan of the
    (sheet, row, column) index that stops after `size` rows, so a page deep into a
    million-cell sheet costs what the first page costs (no OFFSET, no sort).
    """
    backwards = before is not None
    key = before if backwards else after
    sheets = list(workbook.sheets.order_by("index").values_list("pk", "index"))
    if backwards:
        sheets.reverse()
    order = ("-row", "-column", "-id") if backwards else ("row", "column", "id")
    found: list[Cell] = []
    for sheet_id, index in sheets:
        if key is not None and (index > key[0] if backwards else index < key[0]):
            continue
        chunk = cells.filter(sheet_id=sheet_id)
        if key is not None and index == key[0]:
            chunk = chunk.filter(_beyond(key, backwards))
        found.extend(chunk.order_by(*order)[: size + 1 - len(found)])
        if len(found) > size:
            break
    more = len(found) > size
    found = found[:size]
    if backwards:
        found.reverse()
    return found, more


def _beyond(key: CellKey, backwards: bool) -> Q:
    # row >= R first: the index range condition; the rest filters that range's first row.
    _, row, column, pk = key
    if backwards:
        return Q(row__lte=row) & (
            Q(row__lt=row) | Q(column__lt=column) | Q(column=column, id__lt=pk)
        )
    return Q(row__gte=row) & (Q(row__gt=row) | Q(column__gt=column) | Q(column=column, id__gt=pk))


def parse_range(text: str) -> tuple[str | None, tuple[int, int, int, int]]:
    """'Sheet 1'!A1:D20 -> ("Sheet 1", (min_col, min_row, max_col, max_row)); A:A and 1:1 too."""
    sheet = None
    area = text.strip()
    if "!" in area:
        sheet, _, area = area.rpartition("!")
        sheet = sheet.strip()
        if sheet.startswith("'") and sheet.endswith("'") and len(sheet) >= 2:
            sheet = sheet[1:-1].replace("''", "'")
        if not sheet:
            raise BadRange(f"{text!r} has an empty sheet name.")
    try:
        bounds = range_boundaries(area.replace("$", "").upper())
    except (ValueError, TypeError) as exc:
        raise BadRange(f"{text!r} is not a range such as Sheet1!A1:D20.") from exc
    min_col, min_row, max_col, max_row = (
        value if value is not None else default
        for value, default in zip(bounds, (1, 1, 16384, 1048576), strict=True)
    )
    if not (1 <= min_row <= max_row <= 1048576 and 1 <= min_col <= max_col <= 16384):
        raise BadRange(f"{text!r} is outside Excel's grid.")
    return sheet, (min_col, min_row, max_col, max_row)


def cell_get(workbook: Workbook, sheet_name: str, address: str) -> Cell | None:
    sheet = sheet_get(workbook, sheet_name)
    try:
        row, col = _address(address)
    except ValueError as exc:
        raise BadRange(f"{address!r} is not a cell address such as B7.") from exc
    return Cell.objects.filter(sheet=sheet, row=row, column=col).select_related("sheet").first()


def _address(address: str) -> tuple[int, int]:
    text = address.replace("$", "").upper().strip()
    letters = "".join(ch for ch in text if ch.isalpha())
    digits = text[len(letters) :]
    if not letters or not digits.isdigit() or text != letters + digits:
        raise ValueError(address)
    return int(digits), column_index_from_string(letters)


def precedents(cell: Cell, *, limit: int = MAX_LINKS) -> list[Cell]:
    """The non-empty cells this cell's formula reads (the array anchor for a spilled cell)."""
    found: list[Cell] = []
    for ref in CellReference.objects.filter(cell=cell).order_by("id"):
        found.extend(
            Cell.objects.filter(
                sheet_id=ref.sheet_id,
                row__gte=ref.min_row,
                row__lte=ref.max_row,
                column__gte=ref.min_column,
                column__lte=ref.max_column,
            )
            .select_related("sheet")
            .order_by("row", "column")[: limit - len(found)]
        )
        if len(found) >= limit:
            break
    if cell.formula is None and cell.array_ref:
        min_col, min_row, _, _ = range_boundaries(cell.array_ref)
        anchor = Cell.objects.filter(sheet_id=cell.sheet_id, row=min_row, column=min_col).first()
        if anchor is not None:
            found.insert(0, anchor)
    return list(dict.fromkeys(found))[:limit]


def dependents(cell: Cell, *, limit: int = MAX_LINKS) -> list[Cell]:
    """The formula cells that read this cell."""
    refs = CellReference.objects.filter(
        sheet_id=cell.sheet_id,
        min_row__lte=cell.row,
        max_row__gte=cell.row,
        min_column__lte=cell.column,
        max_column__gte=cell.column,
    ).values("cell_id")
    return list(
        Cell.objects.filter(pk__in=refs)
        .select_related("sheet")
        .order_by("sheet__index", "row", "column")[:limit]
    )


BAD = {Cell.Status.MISMATCHED, Cell.Status.NOT_EVALUATED}


def root_cause_chain(cell: Cell, *, limit: int = 200) -> list[Cell]:
    """From a mismatching cell back to the cells where the problem starts.

    Breadth-first through precedents that mismatch or failed; the chain ends at cells
    none of whose precedents is bad (the root causes, last in the list).
    """
    seen = {cell.pk}
    queue = deque([cell])
    chain: list[Cell] = []
    while queue and len(chain) < limit:
        current = queue.popleft()
        bad_precedents = [p for p in precedents(current) if p.status in BAD and p.pk not in seen]
        for precedent in bad_precedents:
            seen.add(precedent.pk)
            chain.append(precedent)
            queue.append(precedent)
    return chain


def roots_of(cell: Cell) -> list[Cell]:
    """The root causes a mismatching cell inherits from (itself if it is one)."""
    chain = [cell, *root_cause_chain(cell)]
    return [c for c in chain if not any(p.status in BAD for p in precedents(c) if p.pk != c.pk)]


def a1(cell: Cell) -> str:
    return f"{cell.sheet.name}!{get_column_letter(cell.column)}{cell.row}"
