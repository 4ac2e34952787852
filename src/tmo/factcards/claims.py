"""The claim checker: a sentence's reading (tmo.factcards.claimtext) compared with the
store's figure, with a verdict on a published scale and the tolerance used
(docs/factcards.md, "Claims"). A claim it could not read gets no verdict.

Scale: d = |claimed - published| / published (for "more than X" and "less than X", d = 0
when the claim holds). accurate: d <= 5 %; about right: d <= 15 %; misleading:
d <= 50 %; wrong: beyond.
"""

from __future__ import annotations

import weakref
from typing import Any

from tmo.factcards import words as w
from tmo.factcards.cards import other_remittances, source_dict
from tmo.factcards.claimtext import Reading, read
from tmo.factcards.places import Places
from tmo.indicators import maps
from tmo.indicators.cells import population_cell, stock_cell
from tmo.indicators.figure import Figure
from tmo.indicators.formulas import change
from tmo.indicators.refugees import refugees
from tmo.indicators.remittances import remittances
from tmo.indicators.stocks import emigration, immigration
from tmo.store import facts
from tmo.store.evidence import Evidence, Source

BANDS = (("accurate", 0.05), ("about_right", 0.15), ("misleading", 0.50))
MAX_DIFFERENCE = 1e6  # a difference beyond is stated as this (JSON has no infinity)
RATING = {"accurate": 4, "about_right": 3, "misleading": 2, "wrong": 1}
VERDICTS = {
    "accurate": {"en": "accurate", "fr": "exact", "es": "exacto"},
    "about_right": {"en": "about right", "fr": "à peu près juste", "es": "aproximado"},
    "misleading": {"en": "misleading", "fr": "trompeur", "es": "engañoso"},
    "wrong": {"en": "wrong", "fr": "faux", "es": "falso"},
    "unchecked": {"en": "cannot be checked", "fr": "invérifiable", "es": "no verificable"},
}
RANK_BANDS = (("accurate", 0), ("about_right", 1), ("misleading", 3))  # places off
UNITS = {"rank_immigrant_stock": "rank", "rank_immigrant_share": "rank",
         "rank_emigrant_stock": "rank","immigrant_stock": "persons", "emigrant_stock": "persons",
         "refugees_hosted": "persons", "remittances_received": "current US$",
         "immigrant_share": "percent", "immigrant_female_share": "percent",
         "emigrant_rate": "percent", "immigrant_change_since": "percent"}


_MEMO: weakref.WeakKeyDictionary[Evidence, dict[tuple[Any, ...], Any]] = \
    weakref.WeakKeyDictionary()


def _get(ev: Evidence, fn: Any, *args: Any, **kwargs: Any) -> Any:
    """`fn(ev, *args)`, once per Evidence (a batch of claims shares one)."""
    memo = _MEMO.setdefault(ev, {})
    key = (fn, args, tuple(sorted(kwargs.items())))
    if key not in memo:
        memo[key] = fn(ev, *args, **kwargs)
    return memo[key]


def verdict(claimed: float, published: float, comparator: str = "about"
            ) -> tuple[str, float]:
    """The band of a claimed value against the published one, and d."""
    if published == 0:
        d = 0.0 if claimed == 0 else float("inf")
    elif (comparator == "more" and published > claimed) or \
            (comparator == "less" and published < claimed):
        d = 0.0
    else:
        d = abs(claimed - published) / abs(published)
    if comparator == "about" and published and claimed:
        # a change's sign matters: +50 % against -50 % is not "about right"
        d = d if (claimed > 0) == (published > 0) else max(d, 1.0)
    band = next((name for name, limit in BANDS if d <= limit), "wrong")
    return band, min(d, MAX_DIFFERENCE)


def _year(ev: Evidence, r: Reading, revision: str) -> int | None:
    years = ev.fact(facts.years, revision)
    if r.year is None:
        return years[-1]
    if r.year in years:
        return r.year
    earlier = [y for y in years if y <= r.year]
    if not earlier:
        r.fail("before_first", year=r.year, revision=revision, first=years[0])
        return None
    r.note("year_nearest", revision=revision, year=r.year, used=earlier[-1])
    return earlier[-1]


def lookup(ev: Evidence, r: Reading, places: Places, revision: str
           ) -> tuple[Figure, tuple[Source, ...]] | None:
    """The published figure the reading asks for, and the rows it comes from."""
    assert r.measure is not None
    assert r.place is not None
    regional = places.kinds.get(r.place) in ("world", "region")
    if r.measure in ("refugees_hosted", "remittances_received", "emigrant_stock",
                     "emigrant_rate") and regional:
        r.fail("countries_only")
        return None
    if r.measure in ("refugees_hosted", "remittances_received"):
        return _yearly(ev, r)
    year = _year(ev, r, revision)
    if year is None or r.measure.startswith("rank_"):
        return None if year is None else _rank(ev, r, places, revision, year)
    if r.measure.startswith("emigrant"):
        fig = _get(ev, emigration, r.place, year, revision, limit=1)["figures"][r.measure]
        return (fig, fig.sources) if fig.value is not None else None
    imm = _get(ev, immigration, r.place, year, revision, limit=1)
    cells: tuple[Source, ...] = (_get(ev, stock_cell, r.place, year, revision),)
    if r.measure == "immigrant_change_since":
        return _change_since(ev, r, imm["trend"], year, revision)
    fig = imm["figures"][r.measure]
    if r.measure == "immigrant_share":
        cells += (_get(ev, population_cell, r.place, year, revision),)
    return (fig, cells if r.measure != "immigrant_female_share" else fig.sources) \
        if fig.value is not None else None


def _rank(ev: Evidence, r: Reading, places: Places, revision: str, year: int
          ) -> tuple[Figure, tuple[Source, ...]] | None:
    """The place's rank among the world's countries (territories and other areas left
    out) by the measure (the map's table, the profile's formulas), largest first."""
    assert r.measure is not None
    indicator = r.measure.removeprefix("rank_")
    rows = [row for row in _get(ev, maps.table, indicator, revision, year)
            if places.kinds.get(row["iso3"]) == "country"]
    ranks = {row["iso3"]: i for i, row in enumerate(rows, start=1)}
    if r.place not in ranks:
        return None
    top = rows[: max(5, int(r.value or 1))]
    src = Source(indicator_view(indicator), f"revision = '{revision}' AND year = {year}",
                 revision, (), (), len(rows))
    return Figure(r.measure, ranks[r.place], "rank", year,
                  detail={"indicator": indicator, "value": rows[ranks[r.place] - 1]["value"],
                          "top": [{"iso3": x["iso3"], "value": x["value"]} for x in top]}), \
        (src,)


def indicator_view(indicator: str) -> str:
    return "destination_stock" if indicator.startswith("immigrant") else "migrant_stock"


def _yearly(ev: Evidence, r: Reading) -> tuple[Figure, tuple[Source, ...]] | None:
    """Refugees hosted (UNHCR, end of year) or remittances received (WDI): the latest
    year up to the claim's, said when it is not the claim's."""
    assert r.place is not None
    if r.measure == "refugees_hosted":
        fig = _get(ev, refugees, r.place, r.year or 9999)["figures"].get("refugees_hosted")
        key = "unhcr_year"
    else:
        fig = _get(ev, remittances, r.place, r.year or 9999)["figures"]["remittances_received"]
        key = "wb_year"
    if fig is None or fig.value is None:
        return None
    if r.year and fig.year != r.year:
        r.note(key, year=r.year, used=fig.year)
    return fig, fig.sources


def _change_since(ev: Evidence, r: Reading, trend: list[dict[str, Any]], year: int,
                  revision: str) -> tuple[Figure, tuple[Source, ...]] | None:
    assert r.place is not None
    assert r.base_year is not None
    totals = {t["year"]: t["total"] for t in trend}
    if r.base_year not in totals:
        r.fail("not_estimate_year", year=r.base_year, revision=revision,
               years=", ".join(map(str, sorted(totals))))
        return None
    value = change(totals.get(year), totals[r.base_year])
    fig = Figure("immigrant_change_since", value, "percent", year,
                 detail={"base_year": r.base_year})
    cells = (_get(ev, stock_cell, r.place, year, revision),
             _get(ev, stock_cell, r.place, r.base_year, revision))
    return (fig, cells) if value is not None else None


def _other_source(ev: Evidence, r: Reading, fig: Figure) -> None:
    """When KNOMAD disagrees with WDI on the remittances, the notes say so, with the
    claim's verdict against it (the verdict stays the profile's WDI figure's)."""
    assert r.place is not None
    assert fig.year is not None
    assert r.value is not None
    other = other_remittances(ev, r.place, fig.year, float(fig.value or 0))
    if other:
        band, _d = verdict(r.value, other["value"], r.comparator)
        r.keys.append(("disagree", {"n_value": other["value"], "year": other["year"],
                                    "band": band}))
        r.notes.append(w.note("disagree", "en", n=w.usd(other["value"], "en"),
                              year=other["year"], verdict=VERDICTS[band]["en"]))


def _figure_text(measure: str, value: float, lang: str) -> str:
    unit = UNITS[measure]
    if unit == "rank":
        return w.word("rank_text", lang, rank=int(value))
    if unit == "persons":
        return w.people(value, lang)
    if unit == "current US$":
        return w.usd(value, lang)
    if measure == "immigrant_change_since":
        return ("+" if value >= 0 else "−") + w.whole_percent(value, lang)
    return w.percent(value, lang)


def check(con: Any, sentence: str, lang: str | None = None, *, revision: str | None = None,
          places: Places | None = None, evidence: Evidence | None = None) -> dict[str, Any]:
    """The check of one sentence: `status` 'checked' with `verdict`, `figure`, `source`,
    `tolerance` and `reading`, or 'unchecked' with the reason (`reading.problem`). A caller
    checking many sentences passes one `places` and one `evidence` (a ViewCache) to all."""
    if lang is not None:
        w.check_lang(lang)
    places = places or Places.load(con)
    r = read(sentence, places, lang)
    ev = evidence or Evidence(con)
    rev = ev.fact(facts.revision_or_latest, revision)
    found = None if r.problem else lookup(ev, r, places, rev)
    if found is None:
        if r.problem is None:
            r.fail("no_figure", place=places.name(r.place or "", r.lang))
        return _answer(sentence, r, None)
    fig, sources = found
    assert fig.value is not None
    assert r.value is not None
    if r.measure == "remittances_received" and r.place and fig.year:
        _other_source(ev, r, fig)
    if fig.unit == "rank":
        off = abs(int(r.value) - int(fig.value))
        band = next((name for name, limit in RANK_BANDS if off <= limit), "wrong")
        d = float(off)
    else:
        band, d = verdict(r.value, float(fig.value), r.comparator)
    figure = {"indicator": fig.indicator, "value": float(fig.value), "unit": fig.unit,
              "year": fig.year, "revision": sources[0].revision if sources else rev,
              "text": _figure_text(r.measure or "", float(fig.value), r.lang),
              "place": r.place, "place_name": places.name(r.place or "", r.lang)}
    result = {"verdict": band, "verdict_text": VERDICTS[band][r.lang],
              "rating": RATING[band], "difference": d, "figure": figure,
              "source": [s.cite() for s in sources],
              "source_rows": [source_dict(s) for s in sources],
              "tolerance": dict(RANK_BANDS if fig.unit == "rank" else BANDS)}
    return _answer(sentence, r, result)


def _answer(sentence: str, r: Reading, result: dict[str, Any] | None) -> dict[str, Any]:
    if result is None:
        return {"status": "unchecked", "claim": sentence, "verdict": None,
                "verdict_text": VERDICTS["unchecked"][r.lang], "figure": None,
                "source": [], "reading": r.as_dict(), "claim_review": None}
    answer = {"status": "checked", "claim": sentence, **result, "reading": r.as_dict()}
    answer["claim_review"] = claim_review(sentence, answer)
    return answer


def explain(reading: dict[str, Any], lang: str) -> dict[str, Any]:
    """The reading's notes and its problem in `lang` (a page's language)."""
    problem = reading.get("problem_key")
    return {"notes": [_explain_note(k, v, lang) for k, v in reading.get("note_keys") or []],
            "problem": w.note(problem[0], lang, **problem[1]) if problem else None}


def _explain_note(key: str, values: dict[str, Any], lang: str) -> str:
    if key == "disagree":  # numbers and verdicts written in the page's language
        return w.note(key, lang, n=w.usd(values["n_value"], lang), year=values["year"],
                      verdict=VERDICTS[values["band"]][lang])
    return w.note(key, lang, **values)


def claim_review(sentence: str, answer: dict[str, Any]) -> dict[str, Any]:
    """schema.org ClaimReview (JSON-LD) of a checked claim."""
    fig = answer["figure"]
    return {
        "@context": "https://schema.org", "@type": "ClaimReview",
        "claimReviewed": sentence,
        "author": {"@type": "Organization", "name": "Transnational Migration Observatory"},
        "reviewRating": {"@type": "Rating", "ratingValue": answer["rating"], "bestRating": 4,
                         "worstRating": 1, "alternateName": answer["verdict_text"]},
        "itemReviewed": {"@type": "Claim", "inLanguage": answer["reading"]["lang"]},
        "reviewBody": f"{fig['place_name']}: {fig['text']} ({fig['year']}); "
                      + "; ".join(answer["source"]),
    }
