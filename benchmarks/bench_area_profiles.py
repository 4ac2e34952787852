"""Benchmark: area profiles (targets: the World's document < 3 s, a region's < 2 s, its
PDF < 5 s, every area's HTML in three languages, as `tmo profiles --all` writes them,
< 30 s on 2 cores).

Times, on a built store, the list of areas, the documents of the World and of
Sub-Saharan Africa, a PDF, and every area's document and HTML in EN/FR/ES
(`tmo.profiles.area_view.write_areas`); then, untimed, runs the translation checker over
every French and Spanish area page and looks for "None"/"nan" on every page.

    .venv/bin/python benchmarks/bench_area_profiles.py [--db PATH]
"""

from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from tmo.config import settings
from tmo.profiles.area import areas, build_area_profile_from
from tmo.profiles.area_view import render_area_pdf, write_areas
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.untranslated import english, visible_text
from tmo.store.query import connect

NONE = re.compile(r"\b(None|nan|NaN|null)\b")


class Took(float):
    """Wall-clock seconds, printed with the process's CPU seconds beside them (the
    machine is shared: CPU time is the steadier figure)."""

    cpu = 0.0

    def __format__(self, spec: str) -> str:
        return f"{float(self):{spec}} s wall, {self.cpu:{spec}} s CPU"


def timed(fn):
    start, cpu = time.perf_counter(), time.process_time()
    out = fn()
    took = Took(time.perf_counter() - start)
    took.cpu = time.process_time() - cpu
    return out, took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    db = settings(db=parser.parse_args().db).db_path
    con = connect(db)
    try:
        known, t_areas = timed(lambda: areas(con))
        print(f"areas with a profile: {len(known)} ({t_areas:.2f})")
        _, t_world = timed(lambda: build_area_profile_from(con, "UN:900", known=known))
        ssa, t_ssa = timed(lambda: build_area_profile_from(con, "UN:1834", known=known))
        print(f"document, World: {t_world:.2f}; Sub-Saharan Africa: {t_ssa:.2f}")
        lexicon = Lexicon.from_store(con)
        _, t_pdf = timed(lambda: render_area_pdf(ssa, lexicon, "fr"))
        print(f"PDF, Sub-Saharan Africa (fr): {t_pdf:.2f}")
        with tempfile.TemporaryDirectory() as tmp:
            written, t_all = timed(lambda: write_areas(con, Path(tmp), year=None,
                                                       revision=None,
                                                       langs=("en", "fr", "es")))
            pages = [p for _stem, _name, paths in written for p in paths]
            print(f"every area, HTML in en/fr/es: {len(pages)} pages in {t_all:.1f}")
            bad_lang, bad_none = [], []
            for page in pages:
                text = visible_text(page.read_text(encoding="utf-8"))
                lang = page.name.split(".")[-2]
                if lang != "en" and english(text, lang):
                    bad_lang.append(f"{page.name}: {english(text, lang)[:5]}")
                if NONE.search(text):
                    bad_none.append(page.name)
            print(f"pages with English left (fr/es): {len(bad_lang)}", *bad_lang[:10], sep="\n")
            print(f"pages showing None/nan: {len(bad_none)}", *bad_none[:10], sep="\n")
    finally:
        con.close()


if __name__ == "__main__":
    main()
