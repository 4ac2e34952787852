"""Command-line tables stay readable: a narrow terminal gets one block per row, a pipe the
whole table, a wide terminal the table; no cell is cut or broken in any of them."""

from __future__ import annotations

import io

from rich.console import Console
from rich.table import Table

from tmo.cli.tables import show

ROWS = [("ims_destination_2024", "2024", "UN DESA Population Division", "found"),
        ("wpp2019_population", "2019", "UN DESA Population Division", "missing: no file")]


def table() -> Table:
    t = Table(title="Sources")
    for col in ("source", "revision", "publisher", "status"):
        t.add_column(col)
    for row in ROWS:
        t.add_row(*row)
    return t


def printed(*, terminal: bool, width: int) -> str:
    buffer = io.StringIO()
    show(table(), Console(file=buffer, force_terminal=terminal, width=width,
                          color_system=None))
    return buffer.getvalue()


def test_a_narrow_terminal_gets_a_block_per_row() -> None:
    text = printed(terminal=True, width=50)
    assert "┃" not in text
    lines = text.splitlines()
    assert lines[0] == "Sources"
    assert "   source ims_destination_2024" in lines
    assert "publisher UN DESA Population Division" in lines
    assert "   status missing: no file" in lines
    assert max(len(line) for line in lines) <= 50


def test_a_wide_terminal_and_a_pipe_get_the_table_whole() -> None:
    for text in (printed(terminal=True, width=120), printed(terminal=False, width=40)):
        assert "┃ source" in text
        for row in ROWS:
            line = next(line for line in text.splitlines() if row[0] in line)
            assert all(cell in line for cell in row), line
