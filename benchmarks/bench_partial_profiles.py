"""Benchmark: partial profiles (issue #13; targets: a place's document < 2 s, its HTML
and Markdown in three languages < 2 s, its PDF < 5 s).

Times, on a built store, each place of `facts.partial_list` (the IMS publishes no figure
for it, WPP or the World Bank its population: Kosovo and the like): its document, its
HTML and Markdown in EN/FR/ES, and Kosovo's PDF; then, untimed, looks for "None"/"nan"
on every page and runs the translation checker over the French and Spanish pages.

    .venv/bin/python benchmarks/bench_partial_profiles.py [--db PATH]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from tmo.config import settings
from tmo.profiles.context import build_profile_from
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown, render_pdf
from tmo.profiles.untranslated import english, visible_text
from tmo.store import facts
from tmo.store.query import connect

NONE = re.compile(r"\b(None|nan|NaN|null)\b")


def timed(fn: Callable[[], Any]) -> tuple[Any, float, float]:
    """The result, wall and CPU seconds of one call (the machine is shared: CPU time is
    the steadier figure)."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def rendered(doc: Any, lexicon: Lexicon) -> dict[str, tuple[str, str]]:
    """HTML and Markdown of `doc` in each language."""
    return {lang: (render_html(doc, lexicon, lang), render_markdown(doc, lexicon, lang))
            for lang in ("en", "fr", "es")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    con = connect(settings(db=parser.parse_args().db).db_path)
    lexicon = Lexicon.from_store(con)
    problems: list[str] = []
    places = facts.partial_list(con)
    print(f"{len(places)} places with a partial profile: "
          + ", ".join(f"{name} ({code})" for code, name in places))
    for code, name in places:
        doc, w1, c1 = timed(partial(build_profile_from, con, code))
        pages, w2, c2 = timed(partial(rendered, doc, lexicon))
        print(f"{name:<28} document {w1:5.2f} s wall, {c1:5.2f} s CPU; HTML+MD x3 "
              f"{w2:5.2f} s wall, {c2:5.2f} s CPU")
        for lang, (html, md) in pages.items():
            text = visible_text(html)
            if NONE.search(text + md):
                problems.append(f"{code} {lang}: None/nan")
            if lang != "en" and english(text, lang):
                problems.append(f"{code} {lang}: English {english(text, lang)[:5]}")
        if code == "XKX":
            _, w3, c3 = timed(partial(render_pdf, doc, lexicon, "fr"))
            print(f"{'':<28} PDF (fr) {w3:5.2f} s wall, {c3:5.2f} s CPU")
    con.close()
    print("checker:", "; ".join(problems) if problems else "no None, no English on FR/ES")


if __name__ == "__main__":
    main()
