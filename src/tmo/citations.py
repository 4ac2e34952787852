"""Citations in rules written as data (the voting and pension rules files): every value
that states a rule names its sources by key (`source: [key, ...]`), and the file declares
those keys under `sources`."""

from __future__ import annotations

from typing import Any


def cited_keys(node: Any, path: str = "") -> list[tuple[str, list[str]]]:
    """(path, source keys) of every `source:` list in a rules document (the `sources`
    declarations themselves left out)."""
    out: list[tuple[str, list[str]]] = []
    if isinstance(node, dict):
        if isinstance(node.get("source"), list):
            out.append((path or "(top)", [str(k) for k in node["source"]]))
        for key, value in node.items():
            if key != "sources":
                out += cited_keys(value, f"{path}.{key}" if path else str(key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += cited_keys(value, f"{path}.{i}")
    return out
