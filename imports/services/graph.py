"""The dependency graph (networkx) and its circular references.

Nodes are formula cells, keyed (sheet index, row, col); an edge runs from a
precedent to its dependent. Only formula cells can close a cycle, so constants
are left out. A range is never expanded into one edge per cell: the formula
cells of each column sit under a segment tree of block nodes, and a range links
to the O(log n) blocks that cover it, so `SUM(A:A)` in 500 cells costs 500
edges, not 500 x 1M, and reachability (hence every cycle) stays exact.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import networkx as nx

from .book import BookData, CellKey
from .formulas import Ref


@dataclass
class DependencyGraph:
    graph: nx.DiGraph
    cycles: list[list[CellKey]] = field(default_factory=list)  # in dependency order

    @property
    def circular_cells(self) -> set[CellKey]:
        return {key for group in self.cycles for key in group}


class _ColumnIndex:
    """Sorted rows of the formula cells of one (sheet, column), with lazy block nodes."""

    def __init__(self, sheet: int, col: int, rows: list[int]):
        self.sheet, self.col, self.rows = sheet, col, rows
        self.built: set[tuple[int, int]] = set()

    def cover(self, min_row: int, max_row: int, graph: nx.DiGraph) -> list:
        """Nodes that together stand for every formula cell in rows min_row..max_row."""
        lo, hi = bisect_left(self.rows, min_row), bisect_right(self.rows, max_row)
        nodes: list = []
        self._decompose(0, len(self.rows), lo, hi, graph, nodes)
        return nodes

    def _decompose(self, start, stop, lo, hi, graph, out) -> None:
        stack = [(start, stop)]
        while stack:
            start, stop = stack.pop()
            if hi <= start or stop <= lo:
                continue
            if lo <= start and stop <= hi:
                out.append(self._node(start, stop, graph))
                continue
            middle = (start + stop) // 2
            stack.append((start, middle))
            stack.append((middle, stop))

    def _node(self, start: int, stop: int, graph: nx.DiGraph):
        if stop - start == 1:
            return (self.sheet, self.rows[start], self.col)
        node = ("block", self.sheet, self.col, start, stop)
        if (start, stop) in self.built:
            return node
        # Build the block and every block under it, iteratively (no recursion).
        pending = [(start, stop)]
        while pending:
            first, last = pending.pop()
            if (first, last) in self.built or last - first == 1:
                continue
            self.built.add((first, last))
            parent = ("block", self.sheet, self.col, first, last)
            middle = (first + last) // 2
            for child in ((first, middle), (middle, last)):
                if child[1] - child[0] == 1:
                    graph.add_edge((self.sheet, self.rows[child[0]], self.col), parent)
                else:
                    graph.add_edge(("block", self.sheet, self.col, *child), parent)
                    pending.append(child)
        return node


def build_graph(
    book: BookData,
    refs: dict[CellKey, list[tuple[int, Ref]]],
) -> DependencyGraph:
    """Link every formula cell to the formula cells it reads; find the cycles.

    `refs` maps a formula cell to its references, each resolved to a sheet index.
    Cells of an array range depend on the array's anchor.
    """
    graph = nx.DiGraph()
    columns = _column_indexes(book)
    for sheet in book.sheets:
        for cell in sheet.result_cells():
            key = (sheet.index, cell.row, cell.col)
            graph.add_node(key)
            if cell.array_anchor:
                graph.add_edge((sheet.index, *cell.array_anchor), key)
    for key, cell_refs in refs.items():
        for sheet_index, ref in cell_refs:
            for node in _precedents(columns.get(sheet_index, {}), ref, graph):
                graph.add_edge(node, key)
    return DependencyGraph(graph=graph, cycles=find_cycles(graph))


def _column_indexes(book: BookData) -> dict[int, dict[int, _ColumnIndex]]:
    by_column: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for sheet in book.sheets:
        for cell in sheet.result_cells():
            by_column[sheet.index][cell.col].append(cell.row)
    return {
        sheet: {col: _ColumnIndex(sheet, col, sorted(rows)) for col, rows in cols.items()}
        for sheet, cols in by_column.items()
    }


def _precedents(columns: dict[int, _ColumnIndex], ref: Ref, graph: nx.DiGraph) -> Iterable:
    if ref.min_col == ref.max_col:
        index = columns.get(ref.min_col)
        return index.cover(ref.min_row, ref.max_row, graph) if index else ()
    nodes: list = []
    for col, index in columns.items():
        if ref.min_col <= col <= ref.max_col:
            nodes.extend(index.cover(ref.min_row, ref.max_row, graph))
    return nodes


def find_cycles(graph: nx.DiGraph) -> list[list[CellKey]]:
    """Strongly connected components that are real cycles, upstream groups first."""
    condensed = nx.condensation(graph)
    cycles = []
    for component in nx.topological_sort(condensed):
        members = condensed.nodes[component]["members"]
        if len(members) == 1:
            (node,) = members
            if not graph.has_edge(node, node):
                continue
        cells = sorted(node for node in members if node[0] != "block")
        if cells:
            cycles.append(cells)
    return cycles


def graph_descendants(graph: DependencyGraph, roots: dict, book: BookData) -> dict:
    """Every formula cell downstream of the roots, with a Failure naming its root.

    Breadth-first over the graph (block nodes included), each cell taking the
    reason of the first root that reaches it.
    """
    from collections import deque

    from openpyxl.utils.cell import get_column_letter

    from .book import Failure

    found: dict = {}
    queue = deque()
    for key, failure in roots.items():
        sheet, row, col = key
        label = f"{book.sheets[sheet].name}!{get_column_letter(col)}{row}"
        inherited = Failure(
            failure.reason, f"depends on {label}, not evaluated: {failure.detail}"[:500]
        )
        queue.append((key, inherited))
    seen = set(roots)
    while queue:
        node, failure = queue.popleft()
        if node not in graph.graph:
            continue
        for successor in graph.graph.successors(node):
            if successor in seen:
                continue
            seen.add(successor)
            if successor[0] != "block":
                found[successor] = failure
            queue.append((successor, failure))
    return found


def downstream_cells(graph: DependencyGraph, roots) -> set:
    """Every formula cell reachable from the roots (the roots themselves excluded)."""
    from collections import deque

    seen = set(roots)
    queue = deque(node for node in roots if node in graph.graph)
    found = set()
    while queue:
        node = queue.popleft()
        for successor in graph.graph.successors(node):
            if successor not in seen:
                seen.add(successor)
                queue.append(successor)
                if successor[0] != "block":
                    found.add(successor)
    return found
