"""Benchmark: the age structure of the Demographic context (issue #13).

Times, on a built store, reading every country's age groups (`facts.population_by_age`
through the profiles' ViewCache, as `tmo build` writes the profiles), one country's
(plain Evidence, as `tmo profile` and the web do), and drawing each pyramid and line of
shares in EN/FR/ES (`demography.view`). Targets: under 5% of the profile stage (about a
minute of CPU for 233 countries); under 20 ms for one profile.

    .venv/bin/python benchmarks/bench_age_structure.py [--db PATH]
"""

from __future__ import annotations

import argparse
import time

from tmo.config import settings
from tmo.profiles.demography import age_structure, view
from tmo.profiles.i18n import Locale
from tmo.store import facts
from tmo.store.evidence import Evidence, ViewCache
from tmo.store.query import connect


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None)
    db = parser.parse_args().db or settings().db_path
    con = connect(db)
    codes = [c for c, _ in facts.country_list(con)]
    ev = ViewCache(con)
    start = time.process_time()
    sections = {c: age_structure(ev, c) for c in codes}
    read = time.process_time() - start
    start = time.process_time()
    for lang in ("en", "fr", "es"):
        for code, ages in sections.items():
            view({"population": {}, "projection": {}, "vital": {}, "age_structure": ages},
                 Locale(lang), code)
    drawn = time.process_time() - start
    start = time.process_time()
    for code in ("MDA", "TUV", "USA", "DEU", "PHL"):
        age_structure(Evidence(con), code)
    single = (time.process_time() - start) / 5
    held = sum(1 for a in sections.values() if a)
    print(f"{len(codes)} countries, {held} with age groups; read {read:.2f} s CPU "
          f"({1000 * read / len(codes):.1f} ms each); pyramids and shares in 3 languages "
          f"{drawn:.2f} s CPU ({1000 * drawn / (3 * len(codes)):.2f} ms each); one profile's "
          f"read {1000 * single:.1f} ms CPU")
    con.close()


if __name__ == "__main__":
    main()
