"""Write profiles to files: one country in any format, or every country as a site."""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

import duckdb

from tmo.profiles import partial_view
from tmo.profiles.area_view import write_areas
from tmo.profiles.context import build_profile_from
from tmo.profiles.document import Profile
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_json, render_markdown, render_pdf
from tmo.profiles.stage import stored_profiles
from tmo.store import facts

FORMATS = ("json", "html", "pdf", "md")
SUFFIX = {"json": ".json", "html": ".html", "pdf": ".pdf", "md": ".md"}


def render(profile: Profile, lexicon: Lexicon, fmt: str, lang: str,
           lang_links: list[tuple[str, str, str]] | None = None) -> str | bytes:
    """One profile in one format and language."""
    if fmt == "json":
        return render_json(profile)
    if fmt == "md":
        return render_markdown(profile, lexicon, lang)
    if fmt == "html":
        return render_html(profile, lexicon, lang, lang_links=lang_links)
    return render_pdf(profile, lexicon, lang)


def _region_links(html: str, regions: list[str], names: dict[str, str], lang: str) -> str:
    """A country's page with links to the area profiles of its subregion, region and the
    World (the site's `areas/` pages), at the top of its content."""
    if not regions:
        return html
    links = " · ".join(f'<a href="areas/{code.replace(":", "")}.{lang}.html">'
                       f"{escape(names.get(code, code))}</a>" for code in reversed(regions))
    return html.replace("<main>", f'<main><p class="note">{links}</p>', 1)


def write_all(con: duckdb.DuckDBPyConnection, out: Path, *, year: int | None,
              revision: str | None, langs: tuple[str, ...] = ("en",),
              on_country: Callable[[str], None] | None = None) -> list[Path]:
    """Every country's HTML profile in each language, the area profiles (the World and UN
    regions, `tmo.profiles.area_view.write_areas`), and an index page linking them."""
    out.mkdir(parents=True, exist_ok=True)
    countries = facts.country_list(con, revision)
    partial = facts.partial_list(con, revision)  # no IMS stock: tmo.profiles.partial
    written = []
    lexicon = Lexicon.from_store(con)
    stored = stored_profiles(con) if year is None and revision is None else {}
    areas = write_areas(con, out, year=year, revision=revision, langs=langs)
    with_page = {stem for stem, _name, _paths in areas}
    for iso3, _name in [*countries, *partial]:
        profile = stored.get(iso3) or build_profile_from(con, iso3, year, revision)
        links = [(code, Locale(code).t("language"), f"{iso3}.{code}.html") for code in langs]
        regions = [r["area"] for r in profile["regional"]
                   if r["area"].replace(":", "") in with_page]
        for lang in langs:
            path = out / f"{iso3}.{lang}.html"
            html = render_html(profile, lexicon, lang,
                               lang_links=links if len(langs) > 1 else None)
            path.write_text(_region_links(html, regions, lexicon.names_in(lang), lang),
                            encoding="utf-8")
            written.append(path)
        if on_country:
            on_country(iso3)
    written += [p for _stem, _name, paths in areas for p in paths]
    area_items = "\n".join(
        f'<li><a href="areas/{stem}.{langs[0]}.html">{escape(name)}</a> '
        + " ".join(f'<a href="areas/{stem}.{lg}.html" hreflang="{lg}">{lg}</a>'
                   for lg in langs[1:])
        + "</li>" for stem, name, _paths in areas)
    index = out / "index.html"
    def items(places: list[tuple[str, str]]) -> str:
        return "\n".join(
            f'<li><a href="{iso3}.{langs[0]}.html">{escape(name)}</a> '
            + " ".join(f'<a href="{iso3}.{lg}.html" hreflang="{lg}">{lg}</a>'
                       for lg in langs[1:])
            + "</li>" for iso3, name in places)
    index.write_text(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        "<title>Migration Profiles</title><style>body{font-family:sans-serif;max-width:960px;"
        "margin:2rem auto;padding:0 1rem}ul{columns:3}@media(max-width:600px){ul{columns:1}}"
        "</style></head><body><h1>Migration Profiles</h1>"
        f'<h2>World and regions</h2><ul id="areas">{area_items}</ul>'
        f"<h2>Countries and areas</h2>"
        f'<p>{len(countries)} countries and areas.</p><ul id="countries">{items(countries)}</ul>'
        + (f'<h2>{escape(partial_view.words("en")["index"])}</h2>'
           f'<ul id="partial">{items(partial)}</ul>' if partial else "")
        + "</body></html>",
        encoding="utf-8")
    return [index, *written]


__all__ = ["FORMATS", "LANGUAGES", "SUFFIX", "render", "write_all"]
