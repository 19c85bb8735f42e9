"""Write a synthetic financial-model-like workbook with N formula cells.

    .venv/bin/python bench/generate_workbook.py 100000 -o var/bench-100k.xlsx

Several sheets of monthly columns: inputs, revenue and cost lines that reference
the previous column and other sheets, SUM/IF/INDEX/VLOOKUP, a few named ranges.
Written with openpyxl in write-only mode (no cached values: enough for timings).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName

COLUMNS = 120  # ten years of months


def build(formulas: int, out: Path) -> None:
    wb = Workbook(write_only=True)
    rows_per_sheet = max(1, formulas // (COLUMNS * 4))
    inputs = wb.create_sheet("Inputs")
    for row in range(1, rows_per_sheet + 1):
        inputs.append([f"driver {row}", 100 + row, 0.01 * (row % 7), 0.5 + (row % 3) / 10])
    for name in ("Revenue", "Costs", "Cash", "Summary"):
        sheet = wb.create_sheet(name)
        sheet.append(["line"] + [f"M{col}" for col in range(1, COLUMNS + 1)])
        for row in range(2, rows_per_sheet + 2):
            sheet.append(
                [f"{name} {row}"] + [_formula(name, row, col) for col in range(2, COLUMNS + 2)]
            )
    wb.defined_names["Growth"] = DefinedName("Growth", attr_text=f"Inputs!$C$1:$C${rows_per_sheet}")
    wb.save(out)


def _formula(sheet: str, row: int, col: int) -> str:
    here, prev = get_column_letter(col), get_column_letter(col - 1)
    driver = row - 1
    if sheet == "Revenue":
        if col == 2:
            return f"=Inputs!$B${driver}"
        return f"={prev}{row}*(1+INDEX(Growth,{driver}))"
    if sheet == "Costs":
        return f'=Revenue!{here}{row}*Inputs!$D${driver}+IF({here}$1="M12",100,0)'
    if sheet == "Cash":
        base = f"Revenue!{here}{row}-Costs!{here}{row}"
        return f"={base}" if col == 2 else f"={prev}{row}+{base}"
    return f"=SUM(Revenue!$B{row}:{here}{row})-SUM(Costs!$B{row}:{here}{row})"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("formulas", type=int)
    parser.add_argument("-o", "--out", type=Path, required=True)
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    build(args.formulas, args.out)
    print(f"wrote {args.out} (~{args.formulas:,} formula cells)")


if __name__ == "__main__":
    main()
