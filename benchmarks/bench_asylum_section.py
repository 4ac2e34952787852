"""Benchmark: the profile's "Asylum, solutions and displacement" section (issue #13) over
every country, as the profiles stage builds it (one ViewCache: the four facts are read
once), and its formatting in EN/FR/ES. Target: a small share of the 2-minute budget for
all 233 countries x 3 languages (benchmarks/bench_profiles.py), i.e. under 10 s here.

    .venv/bin/python benchmarks/bench_asylum_section.py [--db PATH]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from tmo.config import settings
from tmo.profiles.asylum import asylum, view
from tmo.profiles.i18n import Locale
from tmo.store import facts
from tmo.store.evidence import Evidence, ViewCache
from tmo.store.query import connect


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=None)
    db = parser.parse_args().db or settings().db_path
    con = connect(db)
    revision = facts.latest_revision(con)
    year = facts.default_year(con, revision)
    countries = facts.country_list(con, revision)
    ev = ViewCache(con)
    start = time.perf_counter()
    sections = {countries[0][0]: asylum(ev, countries[0][0], year)}  # reads the facts
    read = time.perf_counter() - start
    start = time.perf_counter()
    sections |= {iso3: asylum(ev, iso3, year) for iso3, _ in countries[1:]}
    built = time.perf_counter() - start
    single = Evidence(con)  # one profile (`tmo profile X`): the country's rows only
    start = time.perf_counter()
    for iso3 in ("DEU", "SYR", "TUV"):
        asylum(single, iso3, year)
    alone = (time.perf_counter() - start) / 3
    start = time.perf_counter()
    for lang in ("en", "fr", "es"):
        loc = Locale(lang)
        for iso3, name in countries:
            view(sections[iso3], loc, name)
    shown = time.perf_counter() - start
    empty = sum(1 for s in sections.values() if not s)
    print(f"{len(countries)} countries, year {year}: first country (facts read) {read:.2f} s, "
          f"the other sections {built:.2f} s, formatted in 3 languages {shown:.2f} s; "
          f"{empty} without any row; one country alone {alone:.2f} s")


if __name__ == "__main__":
    main()
