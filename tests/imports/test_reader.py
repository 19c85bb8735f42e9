"""The reader against openpyxl's own full reader, on real corpus workbooks."""

from datetime import datetime, time, timedelta

import openpyxl
import pytest
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet.formula import ArrayFormula

from imports.services.book import CellError
from imports.services.reader import ReadError, read_formulas, read_values
from tests import badfiles

SAMPLES = [
    "apache-poi/45544.xlsx",  # 7 sheets, shared formulas
    "apache-poi/50096.xlsx",  # shared formulas
    "apache-poi/ForShifting.xlsx",  # defined names
    "ironcalc/HVLOOKUP.xlsx",  # cached errors, shared formulas
    "ironcalc/ADDRESS.xlsx",  # dynamic arrays
    "finance-ascension/HDFC.xlsx",
    "apache-poi/stress002.xlsx",  # 14 sheets, 624 names, macros
]


def read(path):
    book = read_formulas(path, progress=lambda *a: None)
    read_values(path, book, progress=lambda *a: None)
    return book


def excel_value(value, epoch):
    """openpyxl turns date-formatted serials into datetimes; we keep Excel's serials."""
    if isinstance(value, datetime | time):
        return to_excel(value, epoch)
    if isinstance(value, timedelta):
        return value.total_seconds() / 86400
    return value


@pytest.mark.parametrize("name", SAMPLES)
def test_formulas_and_cached_values_agree_with_openpyxl(corpus_workbook, name):
    path = corpus_workbook(name)
    book = read(path)
    formulas = openpyxl.load_workbook(path)
    values = openpyxl.load_workbook(path, data_only=True)
    assert [s.name for s in book.sheets] == formulas.sheetnames
    checked = 0
    for sheet in book.sheets:
        for (row, col), cell in sheet.cells.items():
            reference = formulas[sheet.name].cell(row, col).value
            cached = excel_value(values[sheet.name].cell(row, col).value, formulas.epoch)
            if cell.formula is not None:
                expected = reference.text if isinstance(reference, ArrayFormula) else reference
                assert cell.formula == expected, (sheet.name, row, col)
                if cell.has_cached and cell.cached != "":
                    assert (
                        cell.cached == pytest.approx(cached)
                        if isinstance(cached, float)
                        else cell.cached == cached
                    )
                checked += 1
            elif cell.array_anchor is None and not isinstance(
                formulas[sheet.name].cell(row, col), MergedCell
            ):
                # openpyxl blanks the hidden cells of a merged range; we keep what the file holds
                assert (
                    cell.value == pytest.approx(cached)
                    if isinstance(cached, float)
                    else cell.value == cached
                )
    assert checked == sum(1 for _ in book.formula_cells())


def test_shared_formulas_are_expanded_per_cell(corpus_workbook):
    book = read(corpus_workbook("apache-poi/45544.xlsx"))
    formulas = [c.formula for _, c in book.formula_cells()]
    assert len(formulas) == 104
    # 45544 holds shared groups such as C9/543 copied down: each cell has its own row.
    assert "=C9/543" in formulas and "=C10/543" in formulas
    assert len(set(formulas)) > 40


def test_defined_names_and_their_scope(corpus_workbook):
    book = read(corpus_workbook("apache-poi/ForShifting.xlsx"))
    assert len(book.names) == 4
    assert all(name.value for name in book.names)


def test_sheet_scoped_names_count_chartsheets_in_their_local_sheet_id(corpus_workbook):
    # ironcalc/nodejs__example.xlsx: Sheet1, Chart1 (a chartsheet), Second, ...; the name
    # local_thing has localSheetId 2, which is "Second", our worksheet index 1.
    book = read(corpus_workbook("ironcalc/nodejs__example.xlsx"))
    assert "Chart1" not in [sheet.name for sheet in book.sheets]
    scopes = {name.name: name.sheet_index for name in book.names}
    assert book.sheets[scopes["local_thing"]].name == "Second"
    assert book.sheets[scopes["answer2"]].name == "Sheet1"
    assert book.sheets[scopes["answer"]].name == "shared"
    assert scopes["numbers"] is None


def test_calc_settings_of_an_iterative_workbook(corpus_workbook):
    book = read(corpus_workbook("pycel/circular.xlsx"))
    assert book.calc.iterate is True
    assert book.calc.iterate_count == 10000
    assert book.calc.iterate_delta == 0.01
    assert book.calc.written_by_excel is True
    assert "Excel" in book.calc.application


def test_the_saving_excels_language(corpus_workbook):
    # docProps/app.xml names the worksheets part in Excel's interface language.
    german = read(corpus_workbook("apache-poi/61495-test.xlsm"))
    assert german.calc.language == "de"
    libreoffice = read(corpus_workbook("xlcalculator/SQRT.xlsx"))
    assert "LibreOffice" in libreoffice.calc.application and libreoffice.calc.language == ""


def test_cached_errors_are_typed(corpus_workbook):
    book = read(corpus_workbook("ironcalc/HVLOOKUP.xlsx"))
    errors = [c.cached for _, c in book.formula_cells() if isinstance(c.cached, CellError)]
    assert errors and {"#N/A"} <= set(errors)


def test_cached_empty_string_is_kept_as_text(corpus_workbook):
    import csv

    from tests.conftest import CORPUS

    rows = list(csv.DictReader(open(CORPUS / "MANIFEST.tsv"), delimiter="\t"))
    name = next(r["file"] for r in rows if int(r["formula_cells_cached_empty_string"] or 0) > 0)
    book = read(corpus_workbook(name))
    empties = [c for _, c in book.formula_cells() if c.has_cached and c.cached == ""]
    assert len(empties) == int(
        next(r for r in rows if r["file"] == name)["formula_cells_cached_empty_string"]
    )


def test_array_formula_members_are_results_not_constants(corpus_workbook):
    book = read(corpus_workbook("ironcalc/ADDRESS.xlsx"))
    anchors = [c for _, c in book.formula_cells() if c.array_ref and ":" in c.array_ref]
    members = [c for s in book.sheets for c in s.cells.values() if c.array_anchor]
    if anchors:
        assert members and all(m.value is None and m.has_cached for m in members)


def test_a_workbook_without_sheets_is_refused(tmp_path, corpus_workbook):
    path = badfiles.no_sheets(tmp_path, corpus_workbook(badfiles.GOOD))
    with pytest.raises(ReadError, match="no worksheets"):
        read_formulas(path, progress=lambda *a: None)


def test_cell_limit_is_enforced(corpus_workbook):
    with pytest.raises(ReadError, match="more than 10 cells"):
        read_formulas(
            corpus_workbook("apache-poi/45544.xlsx"), progress=lambda *a: None, max_cells=10
        )


def test_hidden_rows_and_the_filtered_ones(tmp_path):
    from openpyxl.worksheet.filters import AutoFilter, FilterColumn, Filters
    from openpyxl.worksheet.table import Table

    workbook = openpyxl.Workbook()
    applied = workbook.active
    applied.title = "Applied"
    for row in range(1, 13):
        applied.append([f"r{row}", row if row > 1 else "n"])
    applied.auto_filter.ref = "A1:B10"
    applied.auto_filter.add_filter_column(0, ["r1", "r2"])
    buttons = workbook.create_sheet("Buttons")  # autoFilter without a filter applied
    tabled = workbook.create_sheet("Tabled")
    for sheet in (buttons, tabled):
        for row in range(1, 13):
            sheet.append([f"r{row}", row if row > 1 else "n"])
    buttons.auto_filter.ref = "A1:B10"
    table = Table(displayName="Sales", ref="A1:B10")
    table.autoFilter = AutoFilter(
        ref="A1:B10", filterColumn=[FilterColumn(colId=0, filters=Filters(filter=["r2"]))]
    )
    tabled.add_table(table)
    for sheet in (applied, buttons, tabled):
        for row in (3, 4, 12):
            sheet.row_dimensions[row].hidden = True
    path = tmp_path / "hidden.xlsx"
    workbook.save(path)

    book = read_formulas(path, progress=lambda *a: None)
    by_name = {sheet.name: sheet for sheet in book.sheets}
    assert [by_name[n].hidden_rows for n in ("Applied", "Buttons", "Tabled")] == [[3, 4, 12]] * 3
    assert by_name["Applied"].filtered_rows == [3, 4]  # row 12 is outside the filter
    assert by_name["Buttons"].filtered_rows == []
    assert by_name["Tabled"].filtered_rows == [3, 4]


def test_hidden_rows_of_a_corpus_workbook(corpus_workbook):
    book = read_formulas(
        corpus_workbook("apache-poi/ConditionalFormattingSamples.xlsx"), progress=lambda *a: None
    )
    filtered = book.sheet_by_name("Regional sales2")
    manual = book.sheet_by_name("Regional sales3")
    assert filtered.hidden_rows and filtered.filtered_rows == filtered.hidden_rows
    assert manual.hidden_rows and manual.filtered_rows == []
