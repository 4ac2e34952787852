"""The skills composition of the registered diaspora in the "Registered diaspora" section
(issue #18, item 5; docs/skills.md): people with a skills profile in the country's
diaspora registry by country of residence × ISCO-08 major group and × ISCED 2011 level,
only as published into the store (`registry_skills`, suppressed together, k = 10 by
default), each country of residence beside UN DESA's International Migrant Stock of the
corridor (origin → residence). A suppressed cell is None ("suppressed" shown), a table
without data is absent (never zeros); SYNTHETIC when the registry's profiles are demo data.

`composition(ev, iso3, year, revision)` is the document's part; `view(doc, loc, name)`
formats it for the HTML and Markdown templates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from tmo.profiles.i18n import Locale
from tmo.skills.taxonomy import ISCO_CITATION, ISCO_FILE, isced_name, isco, title
from tmo.store.evidence import Evidence, describe
from tmo.store.registry_skills import registered_skills
from tmo.vocabulary import WORLD

CLASSIFICATIONS = ("occupation_major_group", "education")


def _source(iso3: str, published_at: str, where: dict[str, str]) -> dict[str, Any]:
    return {"view": "registry_skills", "filter": describe({"origin": iso3, **where}),
            "revision": published_at, "files": [f"diaspora registry, published {published_at}"],
            "rows": [], "n_rows": 1}


def composition(ev: Evidence, iso3: str, year: int, revision: str) -> dict[str, Any]:
    """The published skills composition of `iso3`'s registry, each country of residence
    with the IMS stock of the corridor and the sources of both; empty when none."""
    published = ev.fact(registered_skills, iso3)
    if not published:
        return {}
    first = published[0]
    stamp = first["published_at"]
    tables: dict[str, Any] = {}
    for name in CLASSIFICATIONS:
        mine = [r for r in published if r["classification"] == name]
        if not mine:
            continue
        columns = list(dict.fromkeys(r["category"] for r in mine if r["category"] != "total"))
        by: dict[str, dict[str, int | None]] = {}
        for r in mine:
            by.setdefault(r["residence"], {})[r["category"]] = r["people"]
        rows = []
        for residence in sorted(by, key=lambda a: (a == WORLD, a)):
            stock, src = ev.rows("migrant_stock", {"revision": revision, "year": year,
                                                   "origin": iso3, "destination": residence,
                                                   "sex": "total"}, ["stock"])
            estimate = int(stock["stock"].iloc[0]) if not stock.empty else None
            sources = [_source(iso3, stamp, {"residence": residence, "classification": name})]
            if estimate is not None:
                sources.append({**asdict(src), "files": list(src.files),
                                "rows": list(src.rows)})
            rows.append({"residence": residence, "people": by[residence].get("total"),
                         "cells": {c: by[residence].get(c) for c in columns},
                         "estimated": estimate, "sources": sources})
        tables[name] = {"columns": columns, "rows": rows}
        if name == "occupation_major_group":  # each group's ILO titles, as the table has them
            tables[name]["titles"] = {c: dict(isco()[c].titles) for c in columns if c in isco()}
            tables[name]["titles_source"] = f"{ISCO_CITATION}; {ISCO_FILE.name}"
    return {"synthetic": first["synthetic"],
            "label": "SYNTHETIC" if first["synthetic"] else None, "k": first["k"],
            "rule": first["rule"], "published_at": stamp, "year": year,
            "revision": revision, "tables": tables}


def view(doc: dict[str, Any], loc: Locale, name: Callable[[str], str],
         cite: Callable[[list[dict[str, Any]]], str]) -> list[dict[str, Any]]:
    """One table per classification: its title, column heads and formatted rows (a
    suppressed figure says so; a missing estimate says "not available")."""
    t = loc.t

    def count(value: int | None) -> str:
        return t("reg_suppressed_cell") if value is None else loc.number(value)

    out = []
    for key, table in (doc.get("tables") or {}).items():
        heads = [head(c, key, loc) for c in table["columns"]]
        rows = [{"residence": t("reg_skills_all") if r["residence"] == WORLD
                 else name(r["residence"]),
                 "people": count(r["people"]),
                 "cells": [count(r["cells"][c]) for c in table["columns"]],
                 "estimated": t("not_available") if r["estimated"] is None
                 else loc.number(r["estimated"]), "source": cite(r["sources"])}
                for r in table["rows"]]
        english = any(h["lang"] == "en" and loc.lang != "en" for h in heads)
        out.append({"title": t(f"reg_skills_{key}", year=doc["year"]), "heads": heads,
                    "rows": rows, "note": t("reg_skills_isco_english") if english else ""})
    return out


def head(code: str, key: str, loc: Locale) -> dict[str, str | None]:
    """A column head: the category's code and its name in the page's language (ISCED
    levels: UNESCO UIS; ISCO-08 major groups: the ILO's title from the taxonomy's table,
    or its English title marked `lang="en"` where the table has none in that language,
    never a bare code). `text` is the whole head for Markdown."""
    if code == "not_stated":
        name, lang, code = loc.t("reg_skills_not_stated"), None, ""
    elif key == "education":
        name, lang = isced_name(code, loc.lang), None
    elif key == "occupation_major_group" and code in isco():
        found = title(code, loc.lang)
        name, lang = found.text, ("en" if found.fallback else None)
    else:
        name, lang = "", None
    return {"code": code, "name": name, "lang": lang,
            "text": " ".join(x for x in (code, name) if x)}
