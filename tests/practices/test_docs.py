"""docs/practices.md cannot drift: it names every vocabulary value and every command."""

from __future__ import annotations

from pathlib import Path

from tmo.cli.practices import practices
from tmo.practices.record import ACTOR_TYPES, FIELDS, LEVELS, THEMES

DOC = Path(__file__).resolve().parents[2] / "docs" / "practices.md"


def test_docs_cover_schema_and_commands() -> None:
    text = " ".join(DOC.read_text(encoding="utf-8").split())
    for value in (*THEMES, *LEVELS, *ACTOR_TYPES):
        assert value in text, f"docs/practices.md does not mention {value!r}"
    for field in FIELDS:
        assert f"`{field}`" in text, f"field {field!r} undocumented"
    for name, command in practices.commands.items():
        assert f"tmo practices {name}" in text, f"command {name!r} undocumented"
        for param in command.params:
            for opt in getattr(param, "opts", []):
                if opt.startswith("--"):
                    assert opt in text, f"option {opt} of {name} undocumented"
