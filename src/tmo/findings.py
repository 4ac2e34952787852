"""Findings: data problems reported as data, never raised."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning", "info"]


@dataclass(frozen=True)
class Finding:
    """One data-quality observation.

    `check` names the rule (e.g. "od_sum_vs_destination_total", "unmatched_name"),
    `where` locates it (file, sheet, row or a key such as "DEU 2020 female"),
    `message` says what is wrong with the figures involved.
    """

    check: str
    severity: Severity
    source: str
    where: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return asdict(self)


SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "info": 2}
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*(?:[eE][+-]?\d+)?")
_GROUP = re.compile(r"\s*[(\[]([^()\[\]]*)[)\]]")  # an innermost (...) or [...]


def shape(text: str) -> str:
    """`text` with every number (an index, a count, a figure) replaced by `#`."""
    return _NUMBER.sub("#", text)


def stem(where: str) -> str:
    """A place without its bracketed numbers: `BES (batch index (0, 3))` -> `BES`."""
    text, before = where, None
    while text != before:
        before = text
        text = _GROUP.sub(lambda m: "\0" if re.search(r"[\d\0]", m.group(1)) else m.group(0),
                          text)
    return text.replace("\0", "").strip() or where


def _clip(text: str, room: int) -> str:
    """`text` cut to `room` characters, at a space where one is near, ending in `...`."""
    if len(text) <= room:
        return text
    cut = text[:max(room - 3, 0)]
    space = cut.rfind(" ")
    if space >= len(cut) - 12 and space > 0:
        cut = cut[:space]
    return cut.rstrip(" ,;:") + "..."


def summarise(findings: Iterable[Finding], *, width: int = 99, examples: int = 3) -> list[str]:
    """One line per kind of finding, for a terminal.

    Findings of the same check and severity whose messages differ only in their numbers
    (indices, counts, figures) are one kind. Its line gives the severity, the check, how
    many when more than one (`x21`), the first finding's message and the places: the
    place itself for a single finding, else up to `examples` places without their
    bracketed numbers (`BES (batch index (0, 3))` counts as `BES`) and how many others, e.g.

        warning births_exceed_native_born x21: more births than native-born at... (BES, TKL)

    Errors come first, then warnings, then infos, each kind in order of first appearance.
    No line is longer than `width`: fewer places are named, then the message and the places
    are cut with `...`, the places keeping up to 30 characters. The findings themselves
    keep the detail.
    """
    kinds: dict[tuple[str, str, str], list[Finding]] = {}
    for f in findings:
        kinds.setdefault((f.severity, f.check, shape(f.message)), []).append(f)
    lines = []
    for group in sorted(kinds.values(), key=lambda g: SEVERITY_ORDER.get(g[0].severity, 3)):
        first = group[0]
        head = f"{first.severity} {first.check}" + (f" x{len(group)}" if len(group) > 1 else "")
        room = width - len(head) - 2  # ": "
        budget = max(30, room - len(first.message) - 3)  # for the places, in " (...)"
        if len(group) == 1:
            where = first.where
        else:
            stems = list(dict.fromkeys(stem(f.where) for f in group if f.where))
            for shown in range(min(examples, len(stems)), 0, -1):  # as many as fit
                where = ", ".join(stems[:shown])
                where += f", +{len(stems) - shown} more" if len(stems) > shown else ""
                if len(where) <= budget:
                    break
            else:  # not even one: the first, cut
                where = ", ".join(stems)
        if where:
            where = _clip(where, budget)
            message = _clip(first.message, room - len(where) - 3)
            lines.append(_clip(f"{head}: {message} ({where})", width))
        else:
            lines.append(_clip(f"{head}: {first.message}", width))
    return lines
