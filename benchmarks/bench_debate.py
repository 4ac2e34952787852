"""Benchmark and evaluation of issue #22 on a real store: fact cards, the claim checker and
the terminology checker.

Times: loading the place names; the cards of --countries countries in one language; a
claim checked alone (a fresh reader, as the CLI does) and in a batch (one ViewCache);
the terminology checker on a long text. Evaluates the claim checker on claims written here
from the published origin-destination matrix (summed with pandas, not through tmo): for
each of --countries countries, its immigrants and its emigrants times a factor, in each
language, with verdicts that follow from the factor and the published scale alone.

    .venv/bin/python benchmarks/bench_debate.py --store STORE [--countries 40]
        [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import pandas as pd

from tmo.factcards import terms
from tmo.factcards.cards import build
from tmo.factcards.claims import check
from tmo.factcards.places import Places
from tmo.store.evidence import ViewCache
from tmo.store.query import connect

REPO = Path(__file__).resolve().parents[1]
FACTORS = [(1.0, "accurate"), (1.03, "accurate"), (0.9, "about_right"),
           (1.12, "about_right"), (0.7, "misleading"), (1.4, "misleading"), (2.5, "wrong")]
TEMPLATES = {
    "en": ("There are {n} immigrants in {p}.", "{n} people from {p} live abroad."),
    "fr": ("{p} compte {n} immigrés.", "{n} émigrés de {p} vivent à l'étranger."),
    "es": ("{p} tiene {n} inmigrantes.", "{n} emigrantes de {p} viven en el extranjero."),
}
SCALE = {"en": ("million", "."), "fr": ("millions", ","), "es": ("millones", ",")}


def written(value: float, lang: str) -> str:
    """A number as a journalist writes it: '1.25 million', '1,25 millions', '250,000'."""
    word, decimal = SCALE[lang]
    if value >= 1e6:
        return f"{value / 1e6:.3g}".replace(".", decimal) + f" {word}"
    sep = {"en": ",", "fr": "\u202f", "es": "."}[lang]
    return f"{round(value, -2):,.0f}".replace(",", sep)


def claims(data: Path, n: int, places: Places) -> dict[str, list[tuple[str, str]]]:
    od = pd.read_csv(data / "undesa_ims/od_gdidata/ims2024_od_by_sex_long.csv.gz")
    od = od[od.year == 2024]
    imm = od.groupby("dest_iso3")["stock"].sum()
    emi = od.groupby("orig_iso3")["stock"].sum()
    codes = [c for c in imm.sort_values(ascending=False).index
             if places.kinds.get(c) == "country" and c in emi.index][:n]
    out: dict[str, list[tuple[str, str]]] = {}
    for lang, (t_imm, t_emi) in TEMPLATES.items():
        rows = []
        for code in codes:
            name = places.name(code, lang)
            for template, value in ((t_imm, imm[code]), (t_emi, emi[code])):
                for factor, expected in FACTORS:
                    rows.append((template.format(n=written(value * factor, lang), p=name),
                                 expected))
        out[lang] = rows
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--store", type=Path, required=True)
    ap.add_argument("--countries", type=int, default=40)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    args = ap.parse_args()
    con = connect(args.store)

    t = time.perf_counter()
    places = Places.load(con)
    print(f"place names: {time.perf_counter() - t:.2f} s ({len(places.index)} names)")

    codes = [c for c, k in places.kinds.items() if k == "country"][:args.countries]
    times = []
    for code in codes:
        t = time.perf_counter()
        build(con, code, "fr", places=places)
        times.append(time.perf_counter() - t)
    print(f"cards of a country: median {statistics.median(times):.3f} s, "
          f"max {max(times):.3f} s ({len(times)} countries)")

    corpus = claims(args.data, args.countries, places)
    one = []
    for sentence, _ in corpus["en"][:20]:
        t = time.perf_counter()
        check(con, sentence, "en", places=places)
        one.append(time.perf_counter() - t)
    print(f"one claim (fresh reader): median {statistics.median(one):.3f} s")
    ev = ViewCache(con)
    for lang, rows in corpus.items():
        t = time.perf_counter()
        right = unread = 0
        misses: list[tuple[str, str, str | None, str | None]] = []
        for sentence, expected in rows:
            answer = check(con, sentence, lang, places=places, evidence=ev)
            right += answer["verdict"] == expected
            unread += answer["status"] == "unchecked"
            if answer["verdict"] != expected and len(misses) < 5:
                misses.append((sentence, expected, answer["verdict"],
                               answer["reading"]["problem"]))
        took = time.perf_counter() - t
        print(f"claims {lang}: {len(rows)} claims, accuracy {right / len(rows):.3f}, "
              f"unchecked {unread}, {1000 * took / len(rows):.1f} ms per claim in a batch")
        for miss in misses:
            print("   ", miss)

    text = ("Police held 40 illegal immigrants. Refugees arrived; illegal logging goes on. "
            * 12_000)
    t = time.perf_counter()
    flags = terms.check(text, "en")
    took = time.perf_counter() - t
    print(f"words: {len(text) / 1e6:.2f} MB in {took:.2f} s "
          f"({len(text) / 1e6 / took:.1f} MB/s), {len(flags)} flags")
    con.close()


if __name__ == "__main__":
    main()
