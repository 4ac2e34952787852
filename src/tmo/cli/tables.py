"""Tables on the command line that stay readable: in a terminal wide enough, a table; in a
narrower one, one block per row ("column: value" lines, as psql's expanded display), never
a word broken into one letter a line; in a pipe or a file, the table at its natural width
(nothing cut; `--format csv|json` where a command has it is for programs)."""

from __future__ import annotations

from rich.console import Console
from rich.markup import escape
from rich.table import Table


def show(table: Table, console: Console | None = None) -> None:
    """Print `table` to `console` (default: standard output, with a console made now, so
    COLUMNS is read now)."""
    console = console or Console()
    natural = console.measure(table, options=console.options.update_width(10_000)).maximum
    if not console.is_terminal:
        Console(file=console.file, width=max(console.width, natural)).print(table)
    elif natural <= console.width:
        console.print(table)
    else:
        console.print(records(table), crop=False, highlight=False)


def records(table: Table) -> str:
    """The rows of `table` as blocks of "column: value" lines (rich markup, escaped)."""
    headers = [str(c.header) for c in table.columns]
    width = max(len(h) for h in headers)
    columns = [[str(cell) for cell in c.cells] for c in table.columns]
    blocks = [f"[bold]{escape(str(table.title))}[/bold]"] if table.title else []
    for i in range(table.row_count):
        lines = [f"[dim]{escape(h.rjust(width))}[/dim] {escape(col[i])}"
                 for h, col in zip(headers, columns, strict=True) if col[i]]
        blocks.append(f"[dim]── {i + 1} ──[/dim]\n" + "\n".join(lines))
    return "\n".join(blocks)
