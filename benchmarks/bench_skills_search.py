"""Benchmark: the institutions' full-text and faceted search over consenting skills
profiles (`tmo.skills.finder.search`, issue #18 item 4) on a fresh SQLite registry of
--profiles SYNTHETIC people (drawn as in bench_skills.py, all consenting, spread over five
countries of residence), and the notification run of saved searches (`tmo.skills.saved`).

    .venv/bin/python benchmarks/bench_skills_search.py [--profiles 10000] [--seed 18]

Prints the fill time, the facet table read as a server does at start-up
(`finder.prepare`) and the word index filled (`words.prepare`), as a server does at
start-up, the first search, then per query (words only, words and a facet, a facet only) the
median and slowest of --repeat searches, and the time of one notification run of ten saved
searches after 1 % of the profiles changed; the searches after one profile changed and
after one withdrawal read only the change (the facet table's delta).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import Engine, insert, update

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from bench_skills import random_profile  # noqa: E402

from tmo.registry.access import SYSTEM, Actor  # noqa: E402
from tmo.registry.database import engine, migrate, transaction  # noqa: E402
from tmo.registry.models import Consent, Registration, User, now  # noqa: E402
from tmo.registry.organisation import add_mission, set_origin  # noqa: E402
from tmo.skills import finder, saved, taxonomy, words  # noqa: E402
from tmo.skills.models import Institution, Member, SkillsProfile  # noqa: E402

RESIDENCES = ["GBR", "ZAF", "USA", "ZWE", "AUS"]


def fill(n: int, seed: int) -> tuple[Engine, Actor]:
    rng = random.Random(seed)
    units = taxonomy.units()
    people = [random_profile(rng, units) for _ in range(n)]
    made = engine(f"sqlite:///{tempfile.mkdtemp()}/registry.sqlite")
    migrate(made)
    with transaction(made) as s:
        set_origin(s, "ZMB", "Zambia")
        mission = add_mission(s, SYSTEM, "Mission (synthetic)", "GBR", residences=RESIDENCES)
        at = now() - dt.timedelta(hours=1)  # written an hour ago, as a registry that has run
        for low in range(0, n, 5000):
            part = range(low, min(low + 5000, n))
            s.execute(insert(User), [{"id": i + 1, "email": f"p{i}@example.invalid",
                                      "role": "registrant", "created_at": at,
                                      "language": "en"} for i in part])
            s.execute(insert(Registration), [
                {"user_id": i + 1, "name": f"Synthetic {i}", "name_key": f"synthetic {i}",
                 "residence": RESIDENCES[i % len(RESIDENCES)], "mission_id": mission,
                 "synthetic": True, "created_at": at, "updated_at": at} for i in part])
            s.execute(insert(Consent), [{"user_id": i + 1, "purpose": "domestic_institutions",
                                         "granted_at": at} for i in part])
            s.execute(insert(SkillsProfile), [
                {"id": i + 1, "user_id": i + 1, "occupation": people[i].occupation,
                 "education": people[i].education, "field": people[i].field,
                 "experience": people[i].experience, "sector": people[i].sector,
                 "skills": ",".join(people[i].skills),
                 "languages": ",".join(f"{k}:{v}" for k, v in people[i].languages.items()),
                 "offers": ",".join(people[i].offers), "summary": "",
                 "created_at": at, "updated_at": at} for i in part])
        s.add(User(id=n + 1, email="hr@example.invalid", role="institution", created_at=at,
                   language="en"))
        s.add(Institution(id=1, name="Institution (synthetic)", kind="university",
                          contact="hr@example.invalid", state="verified"))
        s.flush()
        s.add(Member(user_id=n + 1, institution_id=1))
    return made, Actor(n + 1, "institution")


def start_up(made: Engine) -> None:
    """What a server does at start-up, in the background: the facet table read, the word
    index filled for the bulk-loaded profiles."""
    t0 = time.perf_counter()
    finder.prepare(made)
    print(f"facet table prepared at start-up (finder.prepare): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    t0 = time.perf_counter()
    filled = words.prepare(made)
    print(f"word index filled at start-up (words.prepare, {filled:,} profiles): "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    began = time.perf_counter()
    made, actor = fill(args.profiles, args.seed)
    print(f"{args.profiles:,} SYNTHETIC consenting profiles written in "
          f"{time.perf_counter() - began:.1f} s (SQLite)")
    start_up(made)
    t0 = time.perf_counter()
    with transaction(made) as s:
        finder.search(s, actor, finder.Query(words="skill"), "en")
    print(f"first search: {(time.perf_counter() - t0) * 1000:.0f} ms")
    t0 = time.perf_counter()
    with transaction(made) as s:
        finder.search(s, actor, finder.Query(words="skill"), "en")
    print(f"second search: {(time.perf_counter() - t0) * 1000:.0f} ms")
    queries = {"words": finder.Query(words="skill 1"),
               "words + facet": finder.Query(words="skill 1", residence="ZAF"),
               "facet only": finder.Query(education="7")}
    for label, q in queries.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            with transaction(made) as s:
                found = finder.search(s, actor, q, "en")
            times.append((time.perf_counter() - t0) * 1000)
        print(f"search ({label}): {found['total']:,} found; median "
              f"{statistics.median(times):.0f} ms, slowest {max(times):.0f} ms")
    with transaction(made) as s:
        s.execute(update(SkillsProfile).where(SkillsProfile.id == 1).values(updated_at=now()))
    t0 = time.perf_counter()
    with transaction(made) as s:
        finder.search(s, actor, queries["words"], "en")
    print(f"search (words) after one profile changed: "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms")
    with transaction(made) as s:
        before = finder.search(s, actor, finder.Query(), "en")["total"]
        s.execute(update(Consent).where(Consent.user_id == 2).values(withdrawn_at=now()))
    t0 = time.perf_counter()
    with transaction(made) as s:
        after = finder.search(s, actor, finder.Query(), "en")["total"]
    print(f"search (everyone) after one withdrawal: "
          f"{(time.perf_counter() - t0) * 1000:.0f} ms (found {before:,}, then {after:,})")
    with transaction(made) as s:
        for n in range(10):
            saved.save(s, actor, f"search {n}", finder.Query(words=f"skill {n}"), "en")
    changed = max(1, args.profiles // 100)
    with transaction(made) as s:
        s.execute(update(SkillsProfile).where(SkillsProfile.id <= changed)
                  .values(updated_at=now()))
    t0 = time.perf_counter()
    with transaction(made) as s:
        mails = saved.notify(s, "https://registry.example")
    print(f"notification run: 10 saved searches, {changed:,} profiles changed: {mails} "
          f"messages queued in {(time.perf_counter() - t0) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
