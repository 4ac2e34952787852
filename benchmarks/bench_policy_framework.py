"""Benchmark: the profile's Policy framework section (tmo.profiles.policy).

On a built store, times the section for every country that has a profile (as the build's
profiles stage does: one `ViewCache`, the curated catalog read once) and its view in the
three languages, and counts the countries with practices of their own, with partners'
practices, with agreements, and with none of these (the "not held" note). Target: the
section adds well under a second to the 233 profiles of a build (the whole build of the
profiles, and every page in three languages under 2 minutes: bench_profiles.py).

    .venv/bin/python benchmarks/bench_policy_framework.py [--db PATH]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from tmo.config import settings
from tmo.indicators.stocks import emigration, immigration
from tmo.pensions.ruleset import load_rules
from tmo.practices.catalog import load_catalog
from tmo.profiles.context import corridors, plain, social_security
from tmo.profiles.i18n import LANGUAGES, Locale
from tmo.profiles.policy import policy_framework, view
from tmo.store import facts
from tmo.store.evidence import ViewCache
from tmo.store.query import connect


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    con = connect(Path(args.db) if args.db else settings().db_path)
    revision = facts.latest_revision(con)
    year = facts.default_year(con, revision)
    ev = ViewCache(con)
    catalog = load_catalog()
    load_rules()
    inputs = {}
    for iso3, _name in facts.country_list(con, revision):
        if not facts.publishes_stock(con, iso3, revision):
            continue
        imm, emi = immigration(ev, iso3, year, revision), emigration(ev, iso3, year, revision)
        inputs[iso3] = (imm, emi, corridors(imm, emi),
                        social_security(ev, iso3, year, revision))
    start = time.perf_counter()
    sections = {iso3: plain(policy_framework(ev, catalog, iso3, year=year, revision=revision,
                                             corridors=top,
                                             sections={"immigration": imm, "emigration": emi},
                                             agreements=agreements))
                for iso3, (imm, emi, top, agreements) in inputs.items()}
    built = time.perf_counter() - start
    start = time.perf_counter()  # again, the ViewCache's indexes built
    for iso3, (imm, emi, top, agreements) in inputs.items():
        policy_framework(ev, catalog, iso3, year=year, revision=revision, corridors=top,
                         sections={"immigration": imm, "emigration": emi},
                         agreements=agreements)
    warm = time.perf_counter() - start
    start = time.perf_counter()
    for lang in LANGUAGES:
        loc = Locale(lang)
        for iso3, pf in sections.items():
            view(pf, [], loc, lambda code: code, iso3)
    shown = time.perf_counter() - start
    counts: Counter[str] = Counter()
    for pf in sections.values():
        counts["own practices"] += bool(pf["own"])
        counts["partners' practices"] += bool(pf["partners"])
        counts["agreements"] += bool(pf["agreements"])
        counts["none (not held note)"] += not (pf["own"] or pf["partners"] or pf["agreements"])
        counts["partners shown"] += len(pf["partners"])
    print(f"policy framework of {len(sections)} countries ({revision}, {year}): "
          f"built in {built:.3f} s (again, indexes kept: {warm:.3f} s), "
          f"viewed in 3 languages in {shown:.3f} s")
    for key, n in counts.items():
        print(f"  {key}: {n}")
    con.close()


if __name__ == "__main__":
    main()
