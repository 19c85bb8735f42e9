"""Per-stage seconds and peak memory of one full import (into a throwaway database).

    .venv/bin/python bench/import_timing.py ../shared/corpus/ironcalc/ARABIC_ROMAN.xlsx
    .venv/bin/python bench/import_timing.py var/bench-100k.xlsx

Prints the stage table, total seconds, cells per second, and the peak resident
memory of this process and of the Node engine (ru_maxrss of children).
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcmodel.settings")


def main() -> None:
    import django

    django.setup()
    from imports.fidelity import throwaway_database
    from imports.services.pipeline import ImportContext, ImportOptions, run_import

    path = Path(sys.argv[1])
    with throwaway_database():
        ctx = ImportContext(
            path=path,
            original_filename=path.name,
            options=ImportOptions(force=True, keep_file=False),
        )
        started = time.perf_counter()
        run_import(ctx, progress=lambda *call: None)
        total = time.perf_counter() - started
    summary = ctx.summary
    print(f"{path.name}: {summary['cells']:,} cells, {summary['formula_cells']:,} formula cells")
    for stage, seconds in ctx.stage_seconds.items():
        print(f"  {stage:14} {seconds:8.2f} s")
    print(
        f"  {'total':14} {total:8.2f} s  ({summary['formula_cells'] / total:,.0f} formula cells/s)"
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    node = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"  peak RSS: python {own:,.0f} MB, node {node:,.0f} MB")
    rate = summary.get("match_rate")
    print(
        f"  compared {summary['compared']:,}, matched {summary['matched']:,}"
        + (f" ({rate:.2%})" if rate is not None else "")
    )


if __name__ == "__main__":
    main()
