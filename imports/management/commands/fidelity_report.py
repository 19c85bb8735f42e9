"""manage.py fidelity_report PATH...: how faithfully do these workbooks recalculate?"""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from imports import fidelity


class Command(BaseCommand):
    help = (
        "Import every .xlsx/.xlsm under the given files or folders into a throwaway database "
        "and report, per workbook and in total, how many formula cells match Excel."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="workbooks or folders to search")
        parser.add_argument(
            "--json", metavar="OUT", help="also write every row and the totals here"
        )
        parser.add_argument(
            "--by-reason",
            action="store_true",
            help="cells per reason for every cell that is not matched",
        )
        parser.add_argument(
            "--by-function", action="store_true", help="per function: cells compared / matched"
        )
        parser.add_argument("--abs-tol", type=float, help="absolute tolerance for numbers")
        parser.add_argument("--rel-tol", type=float, help="relative tolerance for numbers")

    def handle(self, *args, **options):
        try:
            files = fidelity.find_workbooks(options["paths"])
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        if not files:
            raise CommandError("No .xlsx or .xlsm files under the given paths.")
        roots = [Path(p) for p in options["paths"]]
        rows = []
        settings.DCMODEL_ENGINE_REUSE = True  # one Node process for the whole run
        with fidelity.throwaway_database():
            self.stdout.write(
                f"{'file':60} {'formulas':>8} {'compared':>8} {'matched':>8} "
                f"{'rate':>7} {'secs':>6}  error"
            )
            for path in files:
                row = fidelity.import_one(
                    path,
                    _label(path, roots),
                    abs_tol=options["abs_tol"],
                    rel_tol=options["rel_tol"],
                )
                rows.append(row)
                self.stdout.write(_format_row(row))
        from node_eval.client import release_parked

        release_parked()
        totals = fidelity.totals_of(rows)
        if options["by_reason"]:
            self.stdout.write("Cells not matched, by reason:")
            for reason, count in fidelity.reasons_of(rows).most_common():
                self.stdout.write(f"  {count:8,}  {reason}")
        if options["by_function"]:
            self.stdout.write(f"{'function':24} {'compared':>9} {'matched':>9} {'rate':>8}")
            table = sorted(fidelity.functions_of(rows).items(), key=lambda i: (-i[1][0], i[0]))
            for name, (compared, matched) in table:
                rate = matched / compared if compared else 0.0
                self.stdout.write(f"{name:24} {compared:9,} {matched:9,} {rate:8.2%}")
        if options["json"]:
            payload = {"rows": [fidelity.row_dict(r) for r in rows], "totals": totals.__dict__}
            Path(options["json"]).write_text(json.dumps(payload, indent=1))
        self.stdout.write(totals.line())


def _label(path: Path, roots: list[Path]) -> str:
    for root in roots:
        if root.is_dir():
            try:
                return str(path.relative_to(root))
            except ValueError:
                continue
    return str(path)


def _format_row(row) -> str:
    rate = "" if row.match_rate is None else f"{row.match_rate:7.2%}"
    name = row.file if len(row.file) <= 60 else "…" + row.file[-59:]
    return (
        f"{name:60} {row.formula_cells:8d} {row.compared:8d} {row.matched:8d} {rate:>7} "
        f"{row.seconds:6.2f}  {row.error}"
    )
