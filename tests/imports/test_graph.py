from imports.services.book import BookData, CellData, SheetData
from imports.services.graph import build_graph
from imports.services.parsing import parse_book


def book_of(cells: dict[str, str], *, sheet="S") -> BookData:
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    data = SheetData(name=sheet, index=0)
    for address, content in cells.items():
        letters, row = coordinate_from_string(address)
        col = column_index_from_string(letters)
        if isinstance(content, str) and content.startswith("="):
            data.cells[(row, col)] = CellData(row=row, col=col, formula=content)
        else:
            data.cells[(row, col)] = CellData(row=row, col=col, value=content)
    return BookData(sheets=[data])


def graph_of(book):
    parsed = parse_book(book, progress=lambda *a: None)
    return build_graph(book, parsed.refs)


def test_no_cycles_in_a_chain():
    graph = graph_of(book_of({"A1": 1, "A2": "=A1+1", "A3": "=A2*2"}))
    assert graph.cycles == []
    assert graph.graph.has_edge((0, 2, 1), (0, 3, 1))


def test_two_cell_cycle_is_found():
    graph = graph_of(book_of({"E4": 6, "E5": "=0.1*(E4+E6)", "E6": "=E4+E5"}))
    assert graph.cycles == [[(0, 5, 5), (0, 6, 5)]]


def test_self_reference_is_a_cycle():
    graph = graph_of(book_of({"B10": "=IF(B3=0,0,B10+0.001)"}))
    assert graph.cycles == [[(0, 10, 2)]]


def test_cycle_through_a_range_and_a_whole_column():
    graph = graph_of(book_of({"A1": "=SUM(B:B)", "B5": "=A1*2", "C1": "=SUM(A1:A3)"}))
    assert graph.cycles == [[(0, 1, 1), (0, 5, 2)]]


def test_range_over_formula_cells_without_cycle():
    cells = {f"A{row}": f"=B{row}*2" for row in range(1, 200)}
    cells["C1"] = "=SUM(A1:A199)"
    graph = graph_of(book_of(cells))
    assert graph.cycles == []
    # C1 reaches every A cell through block nodes, not one edge per cell
    assert graph.graph.in_degree((0, 1, 3)) < 20


def test_cycles_through_defined_names():
    book = book_of({"A1": "=Total*2", "A2": "=A1+1"})
    from imports.services.book import NameData

    book.names = [NameData(name="Total", value="S!$A$2")]
    assert graph_of(book).cycles == [[(0, 1, 1), (0, 2, 1)]]


def test_a_long_chain_and_a_long_cycle_need_no_recursion():
    n = 10_000
    cells = {"A1": f"=A{n}+1"} | {f"A{row}": f"=A{row - 1}+1" for row in range(2, n + 1)}
    graph = graph_of(book_of(cells))
    assert len(graph.cycles) == 1 and len(graph.cycles[0]) == n
    chain = {"A1": 1} | {f"A{row}": f"=A{row - 1}+1" for row in range(2, n + 1)}
    assert graph_of(book_of(chain)).cycles == []


def test_upstream_cycles_come_first():
    graph = graph_of(book_of({"A1": "=A2", "A2": "=A1", "B1": "=A1+B2", "B2": "=B1"}))
    assert graph.cycles == [[(0, 1, 1), (0, 2, 1)], [(0, 1, 2), (0, 2, 2)]]
