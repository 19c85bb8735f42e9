"""manage.py functions_report FILE: the functions a workbook uses and which are unsupported."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from imports.services.evaluator import EvaluatorError, get_evaluator
from imports.services.functions_report import functions_report
from imports.services.intake import IntakeError
from imports.services.reader import ReadError


class Command(BaseCommand):
    help = "List the functions a workbook's formulas call and how each is computed, if at all."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="one JSON object on the last line")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        evaluator = get_evaluator()
        try:
            uses = functions_report(path, evaluator)
        except (IntakeError, ReadError, EvaluatorError) as exc:
            raise CommandError(str(exc)) from exc
        finally:
            evaluator.close()
        self.stdout.write(f"{'function':24} {'cells':>7}  how")
        for use in uses:
            self.stdout.write(f"{use.name:24} {use.cells:7,}  {use.how}")
        missing = [u for u in uses if u.how == "unsupported"]
        cells = sum(u.unsupported_cells for u in missing)
        self.stdout.write(
            f"{len(uses)} functions, {len(missing)} unsupported"
            + (f" ({', '.join(u.name for u in missing)}; {cells:,} cells)" if missing else "")
        )
        if options["json"]:
            payload = {
                "functions": [u.__dict__ for u in uses],
                "unsupported": [u.name for u in missing],
            }
            self.stdout.write(json.dumps(payload))
