"""Fixtures for the real-engine tests: a progress recorder and a no-leftover-node guard."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest


def node_children() -> list[int]:
    """Pids of live `node` processes whose parent is this Python process (from /proc)."""
    children = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        if name == "node" and int(fields[1]) == os.getpid() and fields[0] != "Z":
            children.append(int(entry.name))
    return children


@pytest.fixture(scope="module", autouse=True)
def no_node_left_behind() -> Iterator[None]:
    """After the module's tests, no node child of this process may remain."""
    yield
    import gc

    gc.collect()
    assert node_children() == []


@pytest.fixture
def progress_calls() -> list[tuple[str, float, str]]:
    return []


@pytest.fixture
def progress(progress_calls: list[tuple[str, float, str]]):
    return lambda *call: progress_calls.append(call)
