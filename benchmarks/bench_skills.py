"""Benchmark: skills matching with planted ground truth (issue #18 targets: precision@10 of
at least 0.9, recall@50 reported, ranking one opportunity against 100,000 profiles in
under 200 ms).

A synthetic population (SYNTHETIC: drawn by this script, no statistics) of --profiles
people with random ISCO-08 unit groups, skills, languages and CEFR levels, ISCED levels
and fields, experience and offers. For each of --opportunities opportunities (random
criteria: a required unit group, three required skills and a preferred one, a language at
B2 or C1, an ISCED level, years of experience, a mode, and words of its own in its
description) the script plants --true people who meet every criterion and whose summary
uses the opportunity's words, and --decoys near misses that are the same but fail one
criterion each (an occupation in the same minor group, one required skill missing, the
language one level below, the ISCED level one below, the mode not offered, half the
experience). Planted people replace random ones, so the population stays --profiles.

Measures: building the index (`tmo.skills.matching.Index`), then for every opportunity the
time of `matching.rank` (limit 50) and its precision@10 (share of the top 10 that are
planted true matches of that opportunity) and recall@50 (share of its true matches in the
top 50); also the other way (opportunities ranked for one person) for a sample.

    .venv/bin/python benchmarks/bench_skills.py [--profiles 100000] [--opportunities 500]
        [--true 10] [--decoys 20] [--seed 18]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from tmo.skills import matching, taxonomy  # noqa: E402
from tmo.skills.forms import Criteria, Profile  # noqa: E402
from tmo.skills.vocabulary import OFFERS  # noqa: E402

SKILLS = [f"skill {n}" for n in range(400)]
LANGS = ["en", "fr", "es", "pt", "de", "ar", "zh", "sw", "ny", "bem"][:9]
WORDS = [f"w{n}" for n in range(6000)]
FILLER = [f"f{n}" for n in range(300)]


def random_profile(rng: random.Random, units: list[str]) -> Profile:
    return Profile(
        occupation=rng.choice(units),
        education=rng.choice(taxonomy.ISCED_LEVELS),
        field=rng.choice(list(taxonomy.ISCED_F)),
        experience=rng.randint(0, 35),
        skills=tuple(rng.sample(SKILLS, rng.randint(3, 8))),
        languages={lang: rng.choice(taxonomy.CEFR)
                   for lang in rng.sample(LANGS, rng.randint(1, 3))},
        offers=tuple(rng.sample(OFFERS, rng.randint(0, 2))),
        summary=" ".join(rng.sample(FILLER, 12)))


def opportunity(rng: random.Random, units: list[str], words: list[str]) -> Criteria:
    return Criteria(
        required_occupations=(rng.choice(units),),
        required_skills=tuple(rng.sample(SKILLS, 3)),
        preferred_skills=(rng.choice(SKILLS),),
        languages={rng.choice(LANGS): rng.choice(["B2", "C1"])},
        education=rng.choice(["5", "6", "7"]),
        experience=rng.randint(3, 10),
        mode=rng.choice(OFFERS),
        text=" ".join(words))


def ideal(rng: random.Random, c: Criteria, words: list[str]) -> Profile:
    """Meets every criterion of `c`, with a few skills and words of its own."""
    (lang, level), = c.languages.items()
    return Profile(
        occupation=c.required_occupations[0],
        education=str(min(8, int(c.education or 0) + rng.randint(0, 1))),
        field=rng.choice(list(taxonomy.ISCED_F)),
        experience=(c.experience or 0) + rng.randint(0, 10),
        skills=(*c.required_skills, *c.preferred_skills, *rng.sample(SKILLS, 2)),
        languages={lang: taxonomy.CEFR[min(5, taxonomy.cefr_rank(level) - 1
                                           + rng.randint(0, 1))]},
        offers=(c.mode or OFFERS[0],),
        summary=" ".join(rng.sample(words, 6) + rng.sample(FILLER, 6)))


def near_miss(rng: random.Random, good: Profile, c: Criteria, units: list[str],
              which: int) -> Profile:
    """`good` failing exactly one criterion (chosen by `which`)."""
    kind = which % 6
    if kind == 0:
        asked = c.required_occupations[0]
        sibling = next(found for found in (
            [u for u in units if u != asked and u[:n] == asked[:n]] for n in (3, 2, 1, 0))
            if found)  # the nearest other unit groups (0110 has none under 01)
        return replace(good, occupation=rng.choice(sibling))
    if kind == 1:
        drop = rng.choice(c.required_skills)
        return replace(good, skills=tuple(s for s in good.skills if s != drop))
    if kind == 2:
        (lang, level), = c.languages.items()
        return replace(good, languages={lang: taxonomy.CEFR[taxonomy.cefr_rank(level) - 2]})
    if kind == 3:
        return replace(good, education=str(int(c.education or 1) - 1))
    if kind == 4:
        return replace(good, offers=tuple(o for o in OFFERS if o != c.mode)[:1])
    return replace(good, experience=(c.experience or 2) // 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=100_000)
    parser.add_argument("--opportunities", type=int, default=500)
    parser.add_argument("--true", type=int, default=10)
    parser.add_argument("--decoys", type=int, default=20)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    units = taxonomy.units()

    started = time.perf_counter()
    people = [random_profile(rng, units) for _ in range(args.profiles)]
    opportunities, truth = [], []
    slots = rng.sample(range(args.profiles), args.opportunities * (args.true + args.decoys))
    for j in range(args.opportunities):
        words = WORDS[12 * j: 12 * j + 12]
        c = opportunity(rng, units, words)
        opportunities.append(c)
        mine = slots[j * (args.true + args.decoys):(j + 1) * (args.true + args.decoys)]
        goods = []
        for slot in mine[:args.true]:
            people[slot] = ideal(rng, c, words)
            goods.append(slot)
        for n, slot in enumerate(mine[args.true:]):
            people[slot] = near_miss(rng, ideal(rng, c, words), c, units, n)
        truth.append(set(goods))
    made = time.perf_counter() - started

    started = time.perf_counter()
    index = matching.Index(list(range(args.profiles)), people)
    built = time.perf_counter() - started

    weights = matching.Weights()
    times, precision, recall = [], [], []
    for c, true in zip(opportunities, truth, strict=True):
        started = time.perf_counter()
        ranked, _values = matching.rank(index, c, weights, limit=50)
        times.append(time.perf_counter() - started)
        ids = [r.id for r in ranked]
        precision.append(len(set(ids[:10]) & true) / 10)
        recall.append(len(set(ids[:50]) & true) / len(true))

    sample = rng.sample(range(args.profiles), 50)
    pairs = list(enumerate(opportunities))
    other = []
    for person in sample:
        started = time.perf_counter()
        matching.rank_opportunities(people[person], pairs, weights, limit=20)
        other.append(time.perf_counter() - started)

    ms = sorted(t * 1000 for t in times)
    print(f"SYNTHETIC population: {args.profiles:,} profiles, {args.opportunities} "
          f"opportunities, {args.true} planted matches and {args.decoys} near-miss decoys "
          f"each (made in {made:.1f} s)")
    print(f"index built in {built:.1f} s ({index.encoder.name})")
    print(f"rank one opportunity against {args.profiles:,}: p50 {statistics.median(ms):.1f} ms, "
          f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms, max {ms[-1]:.1f} ms (target < 200 ms)")
    print(f"precision@10 {statistics.mean(precision):.3f} (min {min(precision):.1f}; "
          f"target >= 0.9), recall@50 {statistics.mean(recall):.3f} (min {min(recall):.1f})")
    om = sorted(t * 1000 for t in other)
    print(f"the other way, {args.opportunities} opportunities for one person: p50 "
          f"{statistics.median(om):.1f} ms, max {om[-1]:.1f} ms")


if __name__ == "__main__":
    main()
