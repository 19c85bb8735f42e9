"""Every formula cell of the corpus that does not match Excel, with its formula and reason.

    .venv/bin/python bench/fidelity_misses.py [PATH ...] [-o misses.tsv] [-j 2]

Recalculates in memory (no database), compares with validation's rules at the
default tolerance, and writes one TSV row per cell that is not matched; prints
counts per reason / kind and per function. A tool for fidelity work.
"""

from __future__ import annotations

import argparse
import csv
import os
import sys
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dcmodel.settings")


def analyse(path: str, root: str) -> tuple[str, list[list[str]], int, int, str]:
    import django

    django.setup()
    from django.conf import settings
    from openpyxl.utils.cell import get_column_letter

    from imports.services.pipeline import ImportContext, ImportFailed, ImportOptions, recalculate
    from validation.compare import display
    from validation.memory import verdicts

    label = os.path.relpath(path, root)
    ctx = ImportContext(path=Path(path), original_filename=label, options=ImportOptions())
    try:
        recalculate(ctx, progress=lambda *a: None)
    except ImportFailed as failure:
        return label, [], 0, 0, f"{failure.stage}: {failure.message}"
    rows, compared, matched = [], 0, 0
    details = getattr(ctx.evaluation, "details", {})
    tolerances = {"abs_tol": settings.DCMODEL_ABS_TOL, "rel_tol": settings.DCMODEL_REL_TOL}
    for sheet, cell, value, failure, verdict in verdicts(ctx, **tolerances):
        compared += verdict.compared
        matched += verdict.status == "matched"
        if verdict.status in {"matched", "not_compared"}:
            continue
        address = f"{sheet.name}!{get_column_letter(cell.col)}{cell.row}"
        formula = cell.formula or f"(array member of {cell.array_anchor})"
        functions = ",".join(cell.functions)
        if verdict.status == "not_evaluated":
            rows.append(
                [
                    label,
                    address,
                    formula,
                    functions,
                    display(cell.cached),
                    "NULL",
                    failure.reason,
                    failure.detail[:200],
                ]
            )
            continue
        detail = details.get((sheet.index, cell.row, cell.col), "")
        tag = (
            f"excluded:{verdict.reason}"
            if verdict.status == "excluded"
            else (f"mismatch:{verdict.kind}:{verdict.reason}")
        )
        rows.append(
            [
                label,
                address,
                formula,
                functions,
                display(cell.cached),
                display(value),
                tag,
                (verdict.detail + " " + detail)[:200],
            ]
        )
    return label, rows, compared, matched, ""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("paths", nargs="*", default=["../shared/corpus"])
    parser.add_argument("-o", "--out", default="var/misses.tsv")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    files = []
    for raw in args.paths:
        p = Path(raw)
        files += sorted(p.rglob("*.xls[xm]")) if p.is_dir() else [p]
    root = args.paths[0] if Path(args.paths[0]).is_dir() else str(Path(args.paths[0]).parent)
    reasons, functions = Counter(), Counter()
    compared = matched = 0
    rates: list[tuple[float, str]] = []
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", newline="") as handle, ProcessPoolExecutor(args.jobs) as pool:
        writer = csv.writer(handle, delimiter="\t")
        writer.writerow(
            ["file", "cell", "formula", "functions", "excel", "ours", "reason", "detail"]
        )
        for label, rows, c, m, error in pool.map(analyse, map(str, files), [root] * len(files)):
            compared, matched = compared + c, matched + m
            rates.append((0.0 if error else (m / c if c else 1.0), label))
            if error:
                print(f"FAILED {label}: {error}")
            for row in rows:
                writer.writerow(row)
                reasons[row[6]] += 1
                for name in filter(None, row[3].split(",")):
                    functions[name] += 1
    mean = sum(rate for rate, _ in rates) / max(len(rates), 1)
    print(
        f"compared {compared} matched {matched} rate {matched / max(compared, 1):.4f} "
        f"mean_workbook_rate {mean:.4f} over {len(rates)} workbooks"
    )
    print(
        "lowest workbooks:", ", ".join(f"{label} {rate:.2f}" for rate, label in sorted(rates)[:12])
    )
    print("by reason:")
    for reason, count in reasons.most_common(30):
        print(f"  {count:7}  {reason}")
    print("functions in non-matching cells:")
    for name, count in functions.most_common(40):
        print(f"  {count:7}  {name}")


if __name__ == "__main__":
    main()
