"""Write profiles to files: one country in any format, or every country as a site."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

import duckdb

from tmo.profiles.context import build_profile_from
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.profiles.render import render_html, render_json, render_markdown, render_pdf

FORMATS = ("json", "html", "pdf", "md")
SUFFIX = {"json": ".json", "html": ".html", "pdf": ".pdf", "md": ".md"}


def shapes(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    frame = con.execute("SELECT iso3, svg_path FROM country_shapes").df()
    return dict(zip(frame["iso3"], frame["svg_path"], strict=True))


@cache
def _practices():
    """The curated practices, read once per process."""
    from tmo.practices.catalog import load_catalog

    return load_catalog()


def related_practices(profile: dict[str, Any], partners: int = 5) -> list[dict[str, Any]]:
    """Practices of the country, then of its main corridor partners, each once, with
    the country code that brought it (`via`)."""
    from tmo.practices.catalog import practices_for_countries

    catalog = _practices()
    codes = [profile["country"]["iso3"]] + [r["partner"] for r in profile["corridors"][:partners]]
    seen: dict[str, dict[str, Any]] = {}
    for code, found in practices_for_countries(codes, catalog=catalog).items():
        for practice in found:
            if practice.id not in seen:
                rec = practice.to_dict()
                seen[practice.id] = {k: rec[k] for k in ("id", "title", "countries", "themes",
                                                         "level", "summary")}
                seen[practice.id]["source"] = rec["source"].get("document", "")
                seen[practice.id]["via"] = code
    return list(seen.values())


def render(profile: dict[str, Any], fmt: str, lang: str, con: duckdb.DuckDBPyConnection,
           lang_links: list[tuple[str, str, str]] | None = None) -> str | bytes:
    practices = related_practices(profile)
    if fmt == "json":
        return render_json({**profile, "practices": practices})
    if fmt == "md":
        return render_markdown(profile, lang, practices=practices)
    if fmt == "html":
        return render_html(profile, lang, shapes=shapes(con), practices=practices,
                           lang_links=lang_links)
    return render_pdf(profile, lang, shapes=shapes(con), practices=practices)


def country_list(con: duckdb.DuckDBPyConnection, revision: str | None) -> list[tuple[str, str]]:
    """(ISO3, name) of every country with a published destination total in the revision."""
    rev = revision or con.execute("SELECT max(revision) FROM destination_stock").fetchone()[0]
    return [tuple(r) for r in con.execute(
        """SELECT DISTINCT c.iso3, c.name FROM countries c JOIN destination_stock d
           ON d.destination = c.iso3 AND d.revision = ? ORDER BY c.name""", [rev]).fetchall()]


def write_all(con: duckdb.DuckDBPyConnection, out: Path, *, year: int | None,
              revision: str | None, langs: tuple[str, ...] = ("en",),
              on_country: Callable[[str], None] | None = None) -> list[Path]:
    """Every country's HTML profile in each language, and an index page linking them."""
    out.mkdir(parents=True, exist_ok=True)
    countries = country_list(con, revision)
    written = []
    shape_map = shapes(con)
    for iso3, _name in countries:
        profile = build_profile_from(con, iso3, year, revision)
        practices = related_practices(profile)
        links = [(code, Locale(code).t("language"), f"{iso3}.{code}.html") for code in langs]
        for lang in langs:
            path = out / f"{iso3}.{lang}.html"
            path.write_text(render_html(profile, lang, shapes=shape_map, practices=practices,
                                        lang_links=links if len(langs) > 1 else None),
                            encoding="utf-8")
            written.append(path)
        if on_country:
            on_country(iso3)
    index = out / "index.html"
    items = "\n".join(
        f'<li><a href="{iso3}.{langs[0]}.html">{escape(name)}</a> '
        + " ".join(f'<a href="{iso3}.{lg}.html" hreflang="{lg}">{lg}</a>' for lg in langs[1:])
        + "</li>" for iso3, name in countries)
    index.write_text(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Migration Profiles</title><style>body{font-family:sans-serif;max-width:960px;"
        "margin:2rem auto;padding:0 1rem}ul{columns:3}@media(max-width:600px){ul{columns:1}}"
        "</style></head><body><h1>Migration Profiles</h1>"
        f"<p>{len(countries)} countries and areas.</p><ul>{items}</ul></body></html>",
        encoding="utf-8")
    return [index, *written]


__all__ = ["FORMATS", "LANGUAGES", "SUFFIX", "country_list", "render", "write_all"]
