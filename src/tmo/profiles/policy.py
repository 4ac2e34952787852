"""The "Policy framework" section: the good practices of the country, separately those of
its main partner countries (each saying why it is shown), and the agreements the product
knows of that name the country.

- Practices: the curated catalog (`tmo.practices`), English only. The country's own are
  the records naming it; a partner is one of the country's `PARTNERS` largest corridors
  (`tmo.profiles.context.corridors`, both directions), shown when the catalog names it in
  a practice not shown yet, at most `SHOWN` partners. Each partner carries its reasons:
  its rank among the destinations of the country's emigrants and among the origins of its
  immigrants, with the corridor's figure (the profile's corridor row) and the
  `migrant_stock` row it comes from.
- Agreements: the social security agreements shipped with tmo (`tmo.pensions` rules; the
  profile's `social_security` key holds them whole, here only their ids).
- Not held: the kinds of agreement tmo holds no data on (`NOT_HELD`); the section says so
  for every country rather than let a reader take silence for "none".
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from tmo.practices.catalog import Catalog
from tmo.practices.record import Practice
from tmo.profiles.i18n import Locale
from tmo.store.evidence import Evidence, Source, describe
from tmo.vocabulary import UNKNOWN_ORIGIN

PARTNERS = 5  # the largest corridors whose partners may be shown
SHOWN = 3  # partners shown at most
# kinds of agreement tmo holds no data on (locale keys pf_not_held_<kind>)
NOT_HELD = ("conventions", "labour", "readmission", "social_security_other")
# the side of a corridor -> the profile's ranking it is read from and the key of its row
DIRECTIONS = {"destination": ("emigration", "by_destination", "emigrants_to"),
              "origin": ("immigration", "by_origin", "immigrants_from")}


def practice_ref(practice: Practice, via: str) -> dict[str, Any]:
    """A practice as the profile lists it (`tmo.profiles.document.PracticeRef`)."""
    rec = practice.to_dict()
    ref = {k: rec[k] for k in ("id", "title", "countries", "themes", "level", "summary")}
    return {**ref, "source": rec["source"].get("document", ""), "via": via}


def rank(rows: list[dict[str, Any]], area: str) -> int | None:
    """The rank of `area` among `rows` (area, stock): 1 + the number of areas with more
    people (equal stocks share a rank), the unknown origin left out; None if it has none."""
    known = [r["stock"] for r in rows if r["area"] != UNKNOWN_ORIGIN and r["stock"] > 0]
    mine = next((r["stock"] for r in rows if r["area"] == area and r["stock"] > 0), None)
    return None if mine is None or area == UNKNOWN_ORIGIN else 1 + sum(s > mine for s in known)


def reasons(row: dict[str, Any], sections: dict[str, Any], year: int) -> list[dict[str, Any]]:
    """Why a corridor partner is shown: for each side where people live, its rank and the
    corridor's figure (sources: `cite_rows`)."""
    out = []
    for side, (section, ranking, key) in DIRECTIONS.items():
        place = rank(sections[section].get(ranking) or [], row["partner"])
        if place is not None and row[key]:
            out.append({"side": side, "rank": place, "stock": row[key], "year": year,
                        "sources": []})
    return out


def cite_rows(ev: Evidence, iso3: str, partners: list[dict[str, Any]], revision: str) -> None:
    """Give each reason of `partners` the `migrant_stock` row of its figure (both sexes),
    read in one look-up per side of the corridors (indexed once by the build's
    `ViewCache`)."""
    for side in DIRECTIONS:
        wanted = [p["partner"] for p in partners if any(r["side"] == side for r in p["reasons"])]
        if not wanted:
            continue
        mine, theirs = ("origin", "destination") if side == "destination" else \
            ("destination", "origin")
        year = partners[0]["reasons"][0]["year"]
        frame, _ = ev.rows("migrant_stock", {"revision": revision, "year": year, mine: iso3,
                                             "sex": "total"}, [theirs])
        for part in partners:
            found = frame[frame[theirs] == part["partner"]]
            where = {"revision": revision, "year": year, mine: iso3,
                     theirs: part["partner"], "sex": "total"}
            for r in part["reasons"]:
                if r["side"] == side:
                    r["sources"] = [Source("migrant_stock", describe(where), revision,
                                           tuple(sorted(found["src_file"].dropna().unique())),
                                           tuple(found["src_row"].astype(str)), len(found))]


def policy_framework(ev: Evidence, catalog: Catalog, iso3: str, *, year: int, revision: str,
                     corridors: list[dict[str, Any]], sections: dict[str, Any],
                     agreements: list[dict[str, Any]]) -> dict[str, Any]:
    """The section of `iso3` (`tmo.profiles.document.PolicyFramework`). `sections`: the
    profile's `immigration` and `emigration`; `agreements`: its `social_security`."""
    found = catalog.for_countries([iso3, *(r["partner"] for r in corridors[:PARTNERS])])
    own = [practice_ref(p, iso3) for p in found[iso3]]
    seen = {p["id"] for p in own}
    partners: list[dict[str, Any]] = []
    for row in corridors[:PARTNERS]:
        if len(partners) == SHOWN:
            break
        theirs = [practice_ref(p, row["partner"]) for p in found.get(row["partner"], [])
                  if p.id not in seen]
        why = reasons(row, sections, year) if theirs else []
        if not why:
            continue
        seen.update(p["id"] for p in theirs)
        partners.append({"partner": row["partner"], "reasons": why, "practices": theirs})
    cite_rows(ev, iso3, partners, revision)
    return {"own": own, "partners": partners,
            "agreements": [a["agreement"] for a in agreements], "not_held": list(NOT_HELD)}


def flat_practices(section: dict[str, Any]) -> list[dict[str, Any]]:
    """The country's practices, then its partners', each once: the profile's `practices`
    key (kept for readers from before the policy framework)."""
    return [*section["own"], *(p for part in section["partners"] for p in part["practices"])]


def ordinal(loc: Locale, rank: int) -> str:
    """2nd, 2e, 2.º (rank 1 has its own sentence: `pf_why_<side>_1`)."""
    if loc.lang == "en":
        suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(
            rank % 10, "th")
        return f"{rank}{suffix}"
    return loc.t("pf_ordinal", n=rank)


def view(section: Mapping[str, Any], agreements: list[dict[str, Any]], loc: Locale,
         name: Callable[[str], str], country: str) -> dict[str, Any]:
    """The section formatted for the templates; `agreements`: the rendered blocks of the
    profile's social security agreements. Empty subsections are left out; `none` is the
    note shown when the product holds nothing for the country."""
    if not section:
        return {}

    def why(r: dict[str, Any], partner: str) -> dict[str, str]:
        key = f"pf_why_{r['side']}" + ("_1" if r["rank"] == 1 else "")
        return {"text": loc.t(key, partner=name(partner), country=country,
                              rank=ordinal(loc, r["rank"]), n=loc.number(r["stock"]),
                              year=r["year"]),
                "source": " | ".join(Source.from_dict(s).cite() for s in r["sources"])}

    partners = [{"name": name(p["partner"]), "code": p["partner"],
                 "reasons": [why(r, p["partner"]) for r in p["reasons"]],
                 "practices": p["practices"]} for p in section["partners"]]
    has_any = section["own"] or partners or agreements
    return {"own": section["own"], "own_title": loc.t("pf_own", country=country),
            "partners": partners, "agreements": agreements,
            "none": "" if has_any else loc.t("pf_none", country=country),
            "partners_intro": loc.t("pf_partners_intro", country=country),
            "not_held": [loc.t(f"pf_not_held_{k}") for k in section["not_held"]]}
