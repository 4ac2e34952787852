"""`build_profile`: the document of a country's Migration Profile (`tmo.profiles.document`).

The CLI's JSON, the API's JSON and what the HTML, PDF and Markdown renderers and the web
pages receive are this one document; lookup tables shared by every profile (names in
each language, indicator definitions, map shapes) travel apart, in the `Lexicon`.
"""

from __future__ import annotations

import math
from dataclasses import asdict, is_dataclass
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from tmo import __version__
from tmo.errors import NotFound
from tmo.indicators.refugees import refugees
from tmo.indicators.remittances import remittances
from tmo.indicators.stocks import corridor, emigration, immigration, population
from tmo.pensions.coverage import AgreementMigrants, agreement_migrants
from tmo.pensions.ruleset import load_rules
from tmo.practices.catalog import Catalog, load_catalog
from tmo.profiles.asylum import asylum
from tmo.profiles.caveats import caveats
from tmo.profiles.changed import what_changed
from tmo.profiles.country_flows import country_flows
from tmo.profiles.data_gaps import data_gaps
from tmo.profiles.demography import demography
from tmo.profiles.document import SCHEMA, Profile
from tmo.profiles.messages import key_messages
from tmo.profiles.outlook import projections
from tmo.profiles.partial import holds, partial_body
from tmo.profiles.policy import flat_practices, policy_framework
from tmo.profiles.skills_section import composition as skills_composition
from tmo.profiles.survey_section import surveys
from tmo.remittances import data as rdata
from tmo.remittances import report as rreport
from tmo.store import facts
from tmo.store.evidence import Evidence, describe
from tmo.store.query import connect
from tmo.vocabulary import UNKNOWN_ORIGIN, WORLD

TOTAL_AREA = WORLD  # the row of all registrants in the registry's published aggregates


def plain(obj: Any) -> Any:
    """Dataclasses, tuples and numpy scalars to JSON-ready builtins."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return plain(asdict(obj))
    if isinstance(obj, dict):
        return {str(k): plain(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [plain(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, str):
        return obj.item()
    if isinstance(obj, float) and math.isnan(obj):
        return None
    return obj


def regional(ev: Evidence, iso3: str, year: int, revision: str) -> list[dict[str, Any]]:
    """Immigrants' share of the population: the country, its UN subregion and region, the world."""
    groups = ev.fact(facts.member_groups, iso3, ("un_subregion", "un_region"))
    areas = [(iso3, "country")]
    areas += [(groups[kind], kind) for kind in ("un_subregion", "un_region") if kind in groups]
    areas.append((WORLD, "world"))
    out = []
    for area, kind in areas:
        stock, s_src = ev.rows("destination_stock", {"revision": revision, "year": year,
                                                     "destination": area, "sex": "total"},
                               ["stock"])
        pop, p_src = population(ev, area, revision)
        pop = pop[(pop["year"] == year) & (pop["sex"] == "total")]
        if stock.empty or pop.empty:
            continue
        share = 100 * float(stock["stock"].iloc[0]) / float(pop["value"].iloc[0])
        out.append({"area": area, "level": kind, "immigrant_share": share,
                    "immigrant_stock": int(stock["stock"].iloc[0]),
                    "sources": [plain(s_src), plain(p_src)]})
    return out


def _agreement_migrants(con: duckdb.DuckDBPyConnection, agreement: str,
                        revision: str) -> AgreementMigrants:
    """The migrants between a shipped agreement's members (a fact the profile stage keeps
    once per agreement, not once per member)."""
    return agreement_migrants(con, load_rules().agreements[agreement], revision)


def social_security(ev: Evidence, iso3: str, year: int,
                    revision: str) -> list[dict[str, Any]]:
    """The social security agreements shipped with tmo (docs/pensions.md) that name the
    country as a member, each with the migrants it concerns: the country's emigrants living
    in the other members and its immigrants born in them (UN DESA stocks, the profile's
    year or the latest before it). Model agreements open to any partner are left out."""
    out = []
    rules = load_rules()
    for agreement in sorted(rules.agreements.values(), key=lambda a: a.id):
        if agreement.open_partner or iso3 not in agreement.members.value:
            continue
        found = ev.fact(_agreement_migrants, agreement.id, revision)
        mine = found.by_member.get(iso3, {})
        seen = [y for y in found.years if y <= year and y in mine]
        at = seen[-1] if seen else None
        out.append({
            "agreement": agreement.id, "name": agreement.name, "short": agreement.short,
            "in_force": agreement.in_force.value,
            "in_force_confirmed": agreement.in_force.confirmed,
            "members": [m for m in found.members if m != iso3],
            "year": at, "revision": found.revision,
            "emigrants": mine[at]["emigrants"]["total"] if at is not None else None,
            "immigrants": mine[at]["immigrants"]["total"] if at is not None else None,
            "members_without_data": found.without_data,
            "sources": rules.citation(agreement.in_force.sources),
            "files": found.files,
        })
    return out


def registered_diaspora(ev: Evidence, iso3: str, year: int, revision: str, *,
                        emigrants: dict[str, Any], limit: int = 10) -> dict[str, Any]:
    """The diaspora registry's registrants by country of residence (only the suppressed
    aggregates `tmo registry publish-aggregates` put in the store; docs/registry.md)
    beside the UN DESA emigrant stock there, and registered / estimated in percent, for
    the countries of residence the registry publishes and UN DESA's `limit` largest.
    Empty when the country's registry published nothing. A suppressed count is None; a
    country of residence the registry does not list has no registrant (0)."""
    published = ev.fact(facts.registered_diaspora, iso3)
    if not published:
        return {}
    first = published[0]
    registered = {r["residence"]: r["registered"] for r in published}
    total = registered.pop(TOTAL_AREA, None)
    largest = [r["area"] for r in emigrants.get("by_destination", [])[:limit]]
    residences = list(dict.fromkeys([*registered, *largest]))

    def registry_source(residence: str) -> dict[str, Any]:
        return {"view": "registry_residence",
                "filter": describe({"origin": iso3, "residence": residence}),
                "revision": first["published_at"],
                "files": [f"diaspora registry, published {first['published_at']}"],
                "rows": [], "n_rows": 1}

    def ratio(count: int | None, estimate: int | None) -> float | None:
        return None if count is None or not estimate else 100 * count / estimate

    rows = []
    for residence in residences:
        stock, src = ev.rows("migrant_stock", {"revision": revision, "year": year,
                                               "origin": iso3, "destination": residence,
                                               "sex": "total"}, ["stock"])
        estimate = int(stock["stock"].iloc[0]) if not stock.empty else None
        count = registered.get(residence, 0)
        rows.append({"residence": residence, "registered": count, "estimated": estimate,
                     "coverage_pct": ratio(count, estimate),
                     "sources": [registry_source(residence), plain(src)] if estimate
                     is not None else [registry_source(residence)]})
    rows.sort(key=lambda r: (-(r["estimated"] or 0), -(r["registered"] or 0), r["residence"]))
    estimated = emigrants["figures"]["emigrant_stock"]
    return {"synthetic": first["synthetic"],
            "label": "SYNTHETIC" if first["synthetic"] else None,
            "k": first["k"], "rule": first["rule"], "registry": first["registry"],
            "published_at": first["published_at"], "year": year, "revision": revision,
            "total": {"registered": total, "estimated": estimated.value,
                      "coverage_pct": ratio(total, estimated.value),
                      "sources": [registry_source(TOTAL_AREA), *plain(estimated.sources)]},
            "rows": rows,
            "skills": skills_composition(ev, iso3, year, revision)}


def remittance_costs(ev: Evidence, iso3: str, limit: int = 10) -> dict[str, Any]:
    """The country's remittance costs as receiver and sender (tmo.remittances): the latest
    quarter's light and averages, its largest corridors by volume, the fees; empty when
    Remittance Prices Worldwide and the bilateral estimates know nothing of it."""
    data = ev.fact(rdata.load)
    try:
        doc = rreport.country(data, iso3, history=False)
    except NotFound:
        return {}
    for key in ("as_receiver", "as_sender"):
        side = doc[key]
        side["corridors_shown"] = min(limit, len(side["corridors"]))
        side["corridors"] = side["corridors"][:limit]
    return doc


def corridors(imm: dict[str, Any], emi: dict[str, Any], limit: int = 10) -> list[dict[str, Any]]:
    """The country's largest corridors: immigrants from and emigrants to each partner."""
    inbound = {r["area"]: r["stock"] for r in imm["by_origin"]}
    outbound = {r["area"]: r["stock"] for r in emi["by_destination"]}
    partners = (set(inbound) | set(outbound)) - {UNKNOWN_ORIGIN}
    rows = [{"partner": p, "immigrants_from": inbound.get(p, 0),
             "emigrants_to": outbound.get(p, 0)} for p in partners]
    rows.sort(key=lambda r: -(r["immigrants_from"] + r["emigrants_to"]))
    return rows[:limit]


@cache
def curated_practices() -> Catalog:
    """The curated good practices, read once per process."""
    return load_catalog()


def _cited_files(obj: Any) -> set[str]:
    """Every source file named by a figure of the (plain) profile."""
    files: set[str] = set()

    def walk(item: Any) -> None:  # plain JSON: exact types are enough, and fastest
        if type(item) is dict:
            if "view" in item and "filter" in item:
                files.update(item.get("files", ()))
            values = item.values()
        else:
            values = item
        for value in values:
            kind = type(value)
            if kind is dict or kind is list:
                walk(value)

    if type(obj) is dict or type(obj) is list:
        walk(obj)
    return files


def build_profile_from(con: duckdb.DuckDBPyConnection, iso3: str, year: int | None = None,
                       revision: str | None = None, *, practices: Catalog | None = None,
                       evidence: Evidence | None = None) -> Profile:
    """The profile document of `iso3` (see `tmo.profiles.document`). `practices` is the
    catalog whose practices the policy framework lists (default: the curated ones);
    `evidence` lets a caller that builds many profiles share one reader."""
    ev = evidence or Evidence(con)
    revision = ev.fact(facts.revision_or_latest, revision)
    year = ev.fact(facts.year_or_default, revision, year)
    country = facts.country_record(con, iso3)
    if not ev.fact(facts.publishes_stock, iso3, revision):
        if holds(ev, iso3):  # other sources' figures: a partial profile (tmo.profiles.partial)
            return derived(ev, plain(partial_body(ev, iso3, year, revision,
                                                  costs=remittance_costs(ev, iso3))))
        raise NotFound(f"no Migration Profile for {country['name']} ({iso3}): the "
                       f"International Migrant Stock {revision} publishes no figures for it",
                       hint="some territories are published within a larger area; "
                            "`tmo profiles --all` writes every country that has a profile")
    imm = immigration(ev, iso3, year, revision)
    emi = emigration(ev, iso3, year, revision)
    top = corridors(imm, emi)
    imm_total = imm["figures"]["immigrant_stock"].value
    emi_total = emi["figures"]["emigrant_stock"].value
    net = None if imm_total is None or emi_total is None else imm_total - emi_total
    body = plain({
        "schema": SCHEMA,
        "tmo_version": __version__,
        "country": country,
        "year": year,
        "revision": revision,
        "years": ev.fact(facts.years, revision),
        "immigration": imm,
        "emigration": emi,
        "corridors": top,
        "corridor_trends": [corridor(ev, iso3, r["partner"], revision) for r in top[:3]],
        "net_position": {"indicator": "net_position", "value": net, "unit": "persons",
                         "year": year},
        "refugees": refugees(ev, iso3, year),
        "remittances": remittances(ev, iso3, year),
        "remittance_costs": remittance_costs(ev, iso3),
        "projections": projections(ev, iso3, revision),
        "what_changed": what_changed(ev, iso3, revision),
        "demography": demography(ev, iso3),
        "country_flows": country_flows(ev, iso3, revision),
        "asylum": asylum(ev, iso3, year),
        "surveys": surveys(ev, iso3),
        "registered_diaspora": registered_diaspora(ev, iso3, year, revision, emigrants=emi),
        "regional": regional(ev, iso3, year, revision),
    })
    body["social_security"] = plain(social_security(ev, iso3, year, revision))
    catalog = curated_practices() if practices is None else practices
    body["policy_framework"] = plain(policy_framework(
        ev, catalog, iso3, year=year, revision=revision, corridors=top,
        sections={"immigration": imm, "emigration": emi}, agreements=body["social_security"]))
    body["practices"] = flat_practices(body["policy_framework"])
    return derived(ev, body)


def derived(ev: Evidence, body: Any) -> Profile:
    """The parts of a (plain) profile worked out from its sections, set in place: the
    caveats, the key messages and the sources its figures cite."""
    body["caveats"] = caveats(ev, body)
    body["data_gaps"] = data_gaps(body)
    body["key_messages"] = key_messages(body)
    cited = _cited_files(body)
    body["sources"] = [r for r in ev.fact(facts.provenance) if r["file"] in cited]
    return body


def build_profile(store: Path, iso3: str, year: int | None = None,
                  revision: str | None = None) -> Profile:
    """The profile document of `iso3` for `year` in IMS `revision` (defaults: the latest
    revision in the store and its latest year)."""
    con = connect(store)
    try:
        return build_profile_from(con, iso3, year, revision)
    finally:
        con.close()
