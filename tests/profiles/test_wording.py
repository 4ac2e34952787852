"""Every word of a French or Spanish profile in French or Spanish, and no "None" or "nan"
in any profile, in any language (issue #13).

English or "None" can reach a page only through the templates and locales (the same for
every profile) or through a branch a profile's values take: a figure present or absent,
each kind of caveat, each optional section, the areas it names. Rendering the 233 real
profiles in three languages takes about a minute, over the suite's budget; so the test
picks, from the 233 stored profiles, a sample that takes every branch any of them takes
(a greedy cover of their features), renders it in EN/FR/ES as HTML and Markdown, and
checks the names of every area any profile names. `benchmarks/bench_profiles.py` runs
the same checker over all 233 x 3 pages.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tmo.indicators.definitions import indicators, translated
from tmo.profiles.lexicon import Lexicon
from tmo.profiles.render import render_html, render_markdown
from tmo.profiles.untranslated import english, visible_text
from tmo.store import facts
from tmo.store.query import connect

NONE = re.compile(r"\b(None|nan|NaN|null)\b")


@pytest.fixture(scope="module")
def real(profile_store: Path) -> dict[str, Any]:
    con = connect(profile_store)
    try:
        profiles = {k[0]: json.loads(doc) for k, doc in facts.stored_profiles(con).items()}
        lexicon = Lexicon.from_store(con)
    finally:
        con.close()
    return {"profiles": profiles, "lexicon": lexicon}


def features(p: dict[str, Any]) -> set[tuple[Any, ...]]:
    """The branches a profile's values take through the renderers."""
    out: set[tuple[Any, ...]] = set()
    for section in ("immigration", "emigration", "refugees", "remittances"):
        figures = p[section].get("figures") or {}
        out.add((section, "figures", bool(figures)))
        for key, fig in figures.items():
            detail = fig.get("detail") or {}
            out.add((section, key, fig.get("value") is None, fig.get("year") is None,
                     "other" in detail, bool(detail.get("zero_years"))))
    for c in p.get("caveats") or []:
        out.add(("caveat", c["check"], c["figure"], (c.get("values") or {}).get("side")))
    for key in ("social_security", "registered_diaspora", "surveys", "projections",
                "practices", "corridor_trends", "corridors"):
        out.add((key, bool(p.get(key))))
    pf = p.get("policy_framework") or {}
    out.add(("policy", bool(pf.get("own")), bool(pf.get("partners")),
             bool(pf.get("agreements"))))
    out |= {("policy_reason", r["side"], r["rank"] == 1)
            for part in pf.get("partners") or [] for r in part["reasons"]}
    demo, flows = p.get("demography") or {}, p.get("country_flows") or {}
    out.add(("demography", *(bool(demo.get(k)) for k in ("population", "projection", "vital",
                                                          "age_structure"))))
    out.add(("country_flows", *(bool(flows.get(k)) for k in ("estimated", "wpp_net_migration",
                                                             "reported"))))
    asy = p.get("asylum") or {}
    out.add(("asylum", *(bool(asy.get(k)) for k in ("asylum", "origin", "idps"))))
    costs = p.get("remittance_costs") or {}
    for side in ("as_receiver", "as_sender"):
        doc = costs.get(side) or {}
        out.add(("costs", side, bool(doc.get("priced_corridors")),
                 bool((doc.get("fees") or {}).get("corridors"))))
    out.add(("regional", len(p["regional"])))
    out.add(("net", p["net_position"]["value"] is None))
    return out


def covering_sample(profiles: dict[str, dict[str, Any]]) -> list[str]:
    """Profiles that together take every branch any profile takes (greedy set cover)."""
    of = {iso3: features(p) for iso3, p in profiles.items()}
    left = set().union(*of.values())
    chosen = []
    while left:
        best = max(sorted(of), key=lambda c: len(of[c] & left))
        chosen.append(best)
        left -= of[best]
    return chosen


def test_the_checker_finds_english() -> None:
    page = ('<p>Immigrés : 188 207</p><p lang="en">Regulation on the coordination</p>'
            "<p>Émigrés (diaspora abroad)</p>")
    text = visible_text(page)
    assert "Regulation" not in text  # marked as English-only content
    found = english(text, "fr")
    assert "abroad" in found, found
    assert english("Part des immigrés: share of the population", "fr")
    assert english("Immigrés (stock de migrants internationaux)", "fr") == []


def test_every_indicator_is_defined_in_french_and_spanish() -> None:
    for lang in ("fr", "es"):
        defs = translated(lang)
        assert set(defs) == set(indicators())
        for key, ind in defs.items():
            assert ind.title != indicators()[key].title, (lang, key)
            assert english(f"{ind.title} {ind.definition} {ind.caveats}", lang) == [], \
                (lang, key)


def test_every_area_a_profile_names_has_a_french_and_spanish_name(
        real: dict[str, Any]) -> None:
    named: set[str] = set()
    for p in real["profiles"].values():
        named |= {r["area"] for r in p["regional"]}
        named |= {r["partner"] for r in p["corridors"]}
        named |= {r["area"] for r in p["emigration"].get("by_destination", [])}
        named |= {r["area"] for r in p["immigration"].get("by_origin", [])}
    lexicon = real["lexicon"]
    for lang in ("fr", "es"):
        bad = {c: lexicon.name(c, lang) for c in named
               if english(lexicon.name(c, lang), lang) or lexicon.name(c, lang) == c}
        assert bad == {}, lang


def test_a_sample_taking_every_branch_has_no_english_and_no_none(
        real: dict[str, Any]) -> None:
    sample = covering_sample(real["profiles"])
    assert {"MDA", "PHL"} & set(sample) or len(sample) >= 5
    lexicon = real["lexicon"]
    for iso3 in sample:
        p = real["profiles"][iso3]
        for lang in ("en", "fr", "es"):
            text = visible_text(render_html(p, lexicon, lang))
            md = render_markdown(p, lexicon, lang)
            assert NONE.findall(text + md) == [], (iso3, lang)
            if lang != "en":
                assert english(text, lang) == [], (iso3, lang)
