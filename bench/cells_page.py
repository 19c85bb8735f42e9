"""How fast the API lists cells of a million-cell model (issue 5, point 5).

    .venv/bin/python bench/cells_page.py                 # build once, then time
    .venv/bin/python bench/cells_page.py --explain       # and print EXPLAIN ANALYZE
    .venv/bin/python bench/cells_page.py --rebuild       # drop the bench database first

Runs against its own PostgreSQL database (`--database-url`, default
postgres://postgres@127.0.0.1:5432/dcmodel_bench; created and migrated when missing,
nothing else is touched). The first run stores a synthetic model of 4 sheets x 25,000
rows x 10 columns = 1,000,000 cells (constants and formulas; matched, mismatched and
not-evaluated cells; a validation run with a Mismatch row per mismatched cell) with
COPY, owned by the user `bench`; later runs reuse it.

Then each request goes through the whole stack (URL routing, token authentication,
DRF, the selectors, the serializers: django.test.Client against /api/...) `--repeat`
times. One line per request: median and max milliseconds, the rows in the answer, the
SQL queries it made and whether any of them plans a sequential scan of the million-row
cell table (plain EXPLAIN; `--explain` prints EXPLAIN ANALYZE of each query), then a
TOTAL line: the sum of the medians, the worst single time, and the slowest median
against the target (200 ms).
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcmodel.settings")

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/dcmodel_bench"
MODEL_NAME = "bench: 1,000,000 cells"
SHEETS = 4
ROWS = 25_000
COLUMNS = 10  # A: text, B-D: numbers, E-J: formulas
CELLS = SHEETS * ROWS * COLUMNS
TARGET_MS = 200
BIG_TABLE = "imports_cell"  # a sequential scan of it reads a million rows


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_URL, help=f"default {DEFAULT_URL}")
    parser.add_argument("--rebuild", action="store_true", help="drop and rebuild the database")
    parser.add_argument("--repeat", type=int, default=5, help="timed runs per request")
    parser.add_argument("--explain", action="store_true", help="print EXPLAIN ANALYZE plans")
    return parser.parse_args()


# --- the database ---------------------------------------------------------------


def prepare_database(url: str, *, rebuild: bool) -> None:
    """Create the bench database when missing (drop it first on --rebuild)."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        sys.exit(f"refusing to use the database {name!r}: give the bench its own")
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists and rebuild:
            print(f"dropping database {name}")
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
            exists = None
        if not exists:
            print(f"creating database {name}")
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def bench_model():
    """The bench user, its token and its million-cell model (built when missing)."""
    from django.contrib.auth import get_user_model
    from rest_framework.authtoken.models import Token

    from imports.models import Workbook

    user, _ = get_user_model().objects.get_or_create(username="bench")
    token, _ = Token.objects.get_or_create(user=user)
    workbook = Workbook.objects.filter(owner=user, name=MODEL_NAME).first()
    if workbook is not None and workbook.cell_count == CELLS and workbook.cells.exists():
        return token.key, workbook
    if workbook is not None:
        sys.exit("a half-built bench model is in the database: run again with --rebuild")
    return token.key, build_model(user)


FORMULAS = [  # column -> (formula template, functions)
    (5, "=SUM(B{r}:D{r})", ",SUM,"),
    (6, "=B{r}*C{r}-D{r}", ""),
    (7, "=IF(E{r}>100,F{r},E{r}/2)", ",IF,"),
    (8, "=ROUND(G{r}*1.07,2)", ",ROUND,"),
    (9, "=VLOOKUP(A{r},Sheet1!$A$1:$D$25000,2,FALSE)", ",VLOOKUP,"),
    (10, "=E{r}+J{p}", ""),
]
RARE = "=XLOOKUP(A{r},Sheet1!$A$1:$A$25000,Sheet1!$B$1:$B$25000)"  # every 1000th row, I
KINDS = ["number"] * 17 + ["text", "type", "error"]


def build_model(user):
    """Store the synthetic model with COPY (bulk_create on another database)."""
    from django.db import connection, transaction
    from openpyxl.utils.cell import get_column_letter

    from imports.models import Cell, Sheet, Workbook
    from imports.services.store import CELL_COLUMNS, write_rows
    from validation.models import Mismatch, ValidationRun

    rng = random.Random(5)
    letters = [get_column_letter(col) for col in range(1, COLUMNS + 1)]
    counts = {"matched": 0, "mismatched": 0, "not_evaluated": 0}
    started = time.perf_counter()

    def cells(workbook_id: int, sheet_id: int):
        for r in range(1, ROWS + 1):
            yield (workbook_id, sheet_id, r, 1, f"A{r}", None, "text", None, f"Item {r}")
            yield from (
                (workbook_id, sheet_id, r, col, f"{letters[col - 1]}{r}", None, "number")
                + (float(rng.randint(1, 999)), None)
                for col in (2, 3, 4)
            )
            for col, template, functions in FORMULAS:
                formula = template.format(r=r, p=max(r - 1, 1))
                if col == 9 and r % 1000 == 0:
                    formula, functions = RARE.format(r=r), ",XLOOKUP,"
                value = round(rng.uniform(0, 10_000), 2)
                draw = rng.random()
                if draw < 0.02:
                    status, calc, reason = "mismatched", value + rng.uniform(1, 50), "unexplained"
                elif draw < 0.04:
                    status, calc, reason = "not_evaluated", None, "unsupported_function"
                else:
                    status, calc, reason = "matched", value, ""
                counts[status] += 1
                yield (
                    workbook_id,
                    sheet_id,
                    r,
                    col,
                    f"{letters[col - 1]}{r}",
                    formula,
                    "number",
                    value,
                    None,
                    None if calc is None else "number",
                    calc,
                    None,
                    status,
                    reason,
                    "synthetic: the engine lacks it" if status == "not_evaluated" else "",
                    False,
                    False,
                    False,
                    False,
                    False,
                    "",
                    functions,
                )

    constant = (None, None, None, "constant", "", "", False, False, False, False, False, "", "")

    def row(values: tuple) -> tuple:
        # a constant (9 values) gets no calculated value, status constant, flags off
        return values if len(values) == len(CELL_COLUMNS) else values + constant

    with transaction.atomic():
        workbook = Workbook.objects.create(
            name=MODEL_NAME,
            original_filename="bench-1m.xlsx",
            sha256="b" * 64,
            size_bytes=0,
            owner=user,
            sheet_count=SHEETS,
            cell_count=CELLS,
            formula_count=SHEETS * ROWS * len(FORMULAS),
            functions={
                "SUM": SHEETS * ROWS,
                "IF": SHEETS * ROWS,
                "ROUND": SHEETS * ROWS,
                "VLOOKUP": SHEETS * (ROWS - ROWS // 1000),
                "XLOOKUP": SHEETS * (ROWS // 1000),
            },
            evaluator="bench",
        )
        for index in range(SHEETS):
            sheet = Sheet.objects.create(
                workbook=workbook,
                index=index,
                name=f"Sheet{index + 1}",
                cell_count=ROWS * COLUMNS,
                formula_count=ROWS * len(FORMULAS),
                max_row=ROWS,
                max_column=COLUMNS,
            )
            written = write_rows(Cell, CELL_COLUMNS, (row(v) for v in cells(workbook.pk, sheet.pk)))
            print(f"  {sheet.name}: {written:,} cells ({time.perf_counter() - started:.1f} s)")
        compared = counts["matched"] + counts["mismatched"]
        run = ValidationRun.objects.create(
            workbook=workbook,
            abs_tol=1e-9,
            rel_tol=1e-9,
            formula_cells=workbook.formula_count,
            compared=compared,
            matched=counts["matched"],
            mismatched=counts["mismatched"],
            not_evaluated=counts["not_evaluated"],
            match_rate=counts["matched"] / compared,
            not_evaluated_by_reason={"unsupported_function": counts["not_evaluated"]},
            mismatched_by_reason={"unexplained": counts["mismatched"]},
        )
        # A list, not an iterator: the COPY below holds the connection.
        ids = list(
            Cell.objects.filter(workbook=workbook, status="mismatched")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        columns = [
            "run_id",
            "cell_id",
            "kind",
            "expected_type",
            "expected",
            "actual_type",
            "actual",
            "difference",
            "relative_difference",
            "reason",
            "reason_detail",
            "is_root_cause",
            "review",
            "review_note",
        ]
        mismatches = (
            (run.pk, cell_id, kind, "number", "1", "number", "2")
            + (difference, difference and difference / 1000, "unexplained", "")
            + (rng.random() < 0.3,)
            + ("open", "")
            for cell_id in ids
            for kind in [rng.choice(KINDS)]
            for difference in [rng.uniform(1, 50) if kind == "number" else None]
        )
        written = write_rows(Mismatch, columns, mismatches)
        kinds: dict[str, int] = {}
        for kind in Mismatch.objects.filter(run=run).values_list("kind", flat=True):
            kinds[kind] = kinds.get(kind, 0) + 1
        run.mismatched_by_kind = kinds
        run.root_causes = Mismatch.objects.filter(run=run, is_root_cause=True).count()
        run.save()
        print(f"  {written:,} mismatches ({time.perf_counter() - started:.1f} s)")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"built the model in {time.perf_counter() - started:.1f} s")
    return workbook


# --- the requests ---------------------------------------------------------------


def requests_to_time(client, workbook) -> list[tuple[str, str]]:
    """(name, path) of each request; the deep page's cursor is found by following `next`."""
    from imports.api import encode_cursor

    base = f"/api/models/{workbook.pk}"
    cells = f"{base}/cells"
    url = cells
    for _ in range(99):
        url = client.get(url).json()["next"]
    deep = url.split("://", 1)[-1].partition("/")[2]
    middle = workbook.cells.get(sheet__index=2, row=ROWS // 2, column=1)
    cursor = encode_cursor("n", (2, middle.row, middle.column, middle.pk))
    return [
        ("first page", cells),
        ("page 100 (following next)", "/" + deep),
        ("cursor mid Sheet3", f"{cells}?cursor={cursor}"),
        ("sheet=Sheet4", f"{cells}?sheet=Sheet4"),
        ("range=Sheet2!A1000:H1200", f"{cells}?range=Sheet2!A1000:H1200"),
        ("formulas_only", f"{cells}?formulas_only=true"),
        ("status=mismatched", f"{cells}?status=mismatched"),
        ("status=not_evaluated sheet", f"{cells}?status=not_evaluated&sheet=Sheet3"),
        ("kind=number", f"{cells}?kind=number"),
        ("kind=error root_cause", f"{cells}?kind=error&root_cause=true"),
        ("search=SUM", f"{cells}?search=SUM"),
        ("search=XLOOKUP (rare)", f"{cells}?search=XLOOKUP"),
        ("search=NOSUCH (none)", f"{cells}?search=NOSUCH"),
        ("page_size=1000", f"{cells}?page_size=1000"),
        ("model detail", base),
        ("mismatches", f"{base}/mismatches"),
        ("mismatches kind sheet", f"{base}/mismatches?kind=number&sheet=Sheet2"),
    ]


def plans(queries: list[dict], *, analyze: bool) -> tuple[list[tuple[str, str]], bool]:
    """(sql, plan) of each SELECT, and whether any plan reads the cell table sequentially."""
    from django.db import connection

    found = []
    seq = False
    option = "(ANALYZE, BUFFERS)" if analyze else ""
    for query in queries:
        text = query["sql"]
        if not text.lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN {option} {text}")
            plan = "\n".join(line for (line,) in cursor.fetchall())
        seq = seq or f"Seq Scan on {BIG_TABLE}" in plan
        found.append((text, plan))
    return found, seq


def main() -> None:
    args = parse_args()
    os.environ["DATABASE_URL"] = args.database_url
    os.environ.setdefault("DJANGO_DEBUG", "false")
    if args.database_url.startswith("postgres"):
        prepare_database(args.database_url, rebuild=args.rebuild)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    token, workbook = bench_model()
    client = Client(HTTP_HOST="localhost", HTTP_AUTHORIZATION=f"Token {token}")
    postgres = connection.vendor == "postgresql"
    print(
        f"{connection.vendor} {connection.settings_dict['NAME']}: model {workbook.pk}, "
        f"{workbook.cells.count():,} cells, "
        f"{workbook.validations.get().mismatches.count():,} mismatches"
    )
    print(
        f"{'request':28} {'median_ms':>9} {'max_ms':>8} {'rows':>5} {'queries':>7}  cells read by"
    )
    medians, worst, rows_total = [], 0.0, 0
    for name, path in requests_to_time(client, workbook):
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            response = client.get(path)
            times.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                sys.exit(f"{name}: HTTP {response.status_code} {response.content[:300]!r}")
        body = response.json()
        rows = len(body["results"]) if "results" in body else 1
        with CaptureQueriesContext(connection) as captured:
            client.get(path)
        explained, seq = (
            plans(captured.captured_queries, analyze=args.explain) if postgres else ([], False)
        )
        median, top = statistics.median(times), max(times)
        medians.append(median)
        worst = max(worst, top)
        rows_total += rows
        flag = "SEQ SCAN" if seq else ("index" if postgres else "-")
        print(f"{name:28} {median:9.1f} {top:8.1f} {rows:5} {len(captured):7}  {flag}")
        if args.explain:
            for text, plan in explained:
                print(f"    -- {text[:400]}")
                print("    " + plan.replace("\n", "\n    "))
    slowest = max(medians)
    verdict = "ok" if slowest < TARGET_MS else "SLOW"
    print(
        f"{'TOTAL':28} {sum(medians):9.1f} {worst:8.1f} {rows_total:5}  "
        f"{len(medians)} requests x {args.repeat}; slowest median {slowest:.1f} ms "
        f"(target < {TARGET_MS} ms: {verdict})"
    )


if __name__ == "__main__":
    main()
