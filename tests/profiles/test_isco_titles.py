"""The ISCO-08 major groups in the skills composition table (issue #18): every head is the
group's code beside its title, the title the taxonomy's data file holds in the page's
language, else its English title marked `lang="en"` with a note saying so (never a bare
code); the French and Spanish tables have no English outside `lang="en"`. The data file
is read here with the csv module, apart from tmo.skills.taxonomy."""

from __future__ import annotations

import csv
import re
from typing import Any

import pytest
from jinja2 import Environment

from tmo.profiles import skills_section
from tmo.profiles.i18n import Locale
from tmo.profiles.untranslated import english, visible_text
from tmo.skills.taxonomy import ISCO_FILE

MAJOR = [str(n) for n in range(10)]


def data_file() -> dict[str, dict[str, str]]:
    lines = [ln for ln in ISCO_FILE.read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return {r["code"]: {k: (v or "").strip() for k, v in r.items() if k != "code"}
            for r in csv.DictReader(lines, delimiter="\t") if len(r["code"]) == 1}


def document() -> dict[str, Any]:
    cells = dict.fromkeys([*MAJOR, "not_stated"], 10)
    return {"year": 2024, "tables": {"occupation_major_group": {
        "columns": [*MAJOR, "not_stated"],
        "rows": [{"residence": "UN:900", "people": 110, "cells": cells, "estimated": None,
                  "sources": []}]}}}


def test_each_of_the_ten_major_groups_has_a_title_in_the_data_file() -> None:
    titles = data_file()
    assert sorted(titles) == MAJOR
    assert all(titles[c]["en"] for c in MAJOR)


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_the_heads_are_the_data_files_titles(lang: str) -> None:
    titles = data_file()
    (table,) = skills_section.view(document(), Locale(lang), str, lambda s: "")
    heads = table["heads"][:10]
    for code, h in zip(MAJOR, heads, strict=True):
        own = titles[code][lang]
        assert h["code"] == code
        assert h["name"] == (own or titles[code]["en"])
        assert h["lang"] == (None if own else "en")
        assert h["text"] == f"{code} {h['name']}"
    fallback = any(not titles[c][lang] for c in MAJOR)
    assert bool(table["note"]) == fallback
    assert table["heads"][10]["code"] == ""  # "not stated", in the page's language


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_no_english_outside_lang_en(lang: str) -> None:
    (table,) = skills_section.view(document(), Locale(lang), str, lambda s: "")
    html = Environment(autoescape=True).from_string(
        '<table><tr>{% for h in heads %}<th>{{ h.code }} {% if h.lang %}'
        '<span lang="{{ h.lang }}">{{ h.name }}</span>{% else %}{{ h.name }}{% endif %}'
        '</th>{% endfor %}</tr></table><p>{{ note }}</p>').render(**table)
    text = visible_text(html)
    assert english(text, lang) == []
    assert all(re.search(rf"\b{c}\b", text) for c in MAJOR)  # the codes stay visible
