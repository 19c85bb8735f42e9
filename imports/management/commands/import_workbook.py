"""manage.py import_workbook FILE: import, recalculate and validate one workbook in process."""

from __future__ import annotations

import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from imports.cli.progress import TerminalProgress
from imports.cli.summary import format_summary
from imports.services.pipeline import ImportContext, ImportFailed, ImportOptions, run_import
from imports.services.stages import Stage


def tolerance(text: str) -> float:
    value = float(text)
    if not (0 <= value < float("inf")):
        raise ValueError(text)
    return value


class Command(BaseCommand):
    help = "Import an Excel workbook (.xlsx/.xlsm), recalculate every formula and validate it."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path to the .xlsx or .xlsm file")
        parser.add_argument(
            "--name", default="", help="name to give the model (default: file name)"
        )
        parser.add_argument("--abs-tol", type=tolerance, help="absolute tolerance for numbers")
        parser.add_argument("--rel-tol", type=tolerance, help="relative tolerance for numbers")
        parser.add_argument("--owner", help="username that owns the imported model")
        parser.add_argument(
            "--force", action="store_true", help="import again even if the same file was imported"
        )
        parser.add_argument(
            "--json", action="store_true", help="print the summary as one JSON object (last line)"
        )

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        ctx = ImportContext(
            path=path,
            original_filename=path.name,
            options=ImportOptions(
                name=options["name"],
                owner_id=self._owner_id(options["owner"]),
                abs_tol=options["abs_tol"],
                rel_tol=options["rel_tol"],
                force=options["force"],
            ),
        )
        progress = TerminalProgress(self.stderr._out, enabled=options["verbosity"] > 0)
        try:
            run_import(ctx, progress=progress)
        except ImportFailed as failure:
            progress.close()
            self._fail(failure, as_json=options["json"])
        progress.close()
        for line in format_summary(ctx.summary):
            self.stdout.write(line)
        if options["json"]:
            self.stdout.write(json.dumps({"ok": True, **ctx.summary}, allow_nan=False))

    def _owner_id(self, username: str | None) -> int | None:
        if not username:
            return None
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        return user.pk

    def _fail(self, failure: ImportFailed, *, as_json: bool):
        label = _stage_label(failure.stage)
        if as_json:
            payload = {
                "ok": False,
                "stage": failure.stage,
                "code": failure.code,
                "error": failure.message,
            }
            self.stdout.write(json.dumps(payload))
        raise CommandError(f"Import failed at stage {label}: {failure.message}")


def _stage_label(stage: str) -> str:
    try:
        return str(Stage(stage).label)
    except ValueError:
        return stage
