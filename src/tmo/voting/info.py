"""Voter information from a stations plan: for citizens abroad, in each language, the
nearest planned station by country and city of residence, how and until when to
pre-register, what to bring, with the rules file's citations.

    from tmo.voting.info import info_languages, voter_info
    for lang in info_languages(document):            # en, fr, es + the rules' languages
        context = voter_info(document, lang, names_by_lang, election=date(2025, 9, 28))

Everything comes from the plan document (`Plan.as_dict()`): the sites and the cities they
serve, the rules' `voter_information` (codes, translated by `tmo.voting.i18n`) and
`stations.registration_closes_days_before`, the sources. Nothing in a page is English
unless the page is: the rules' notes and source titles (English) are left out of the
other languages' pages, and sources are cited by their site's name and link.
"""

from __future__ import annotations

import datetime
import unicodedata
from typing import Any
from urllib.parse import urlparse

from tmo.voting.i18n import Locale, available

BASE_LANGUAGES = ("en", "fr", "es")


def info_languages(document: dict[str, Any]) -> tuple[str, ...]:
    """English, French, Spanish and the languages the rules file names (with a
    catalogue)."""
    named = document.get("voter_information", {}).get("languages", {}).get("value", [])
    extra = [lang for lang in named if lang in available() and lang not in BASE_LANGUAGES]
    return (*BASE_LANGUAGES, *extra)


def fold(text: str) -> str:
    """Lower case without accents: what the search box compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def cite(document: dict[str, Any], keys: list[str]) -> list[dict[str, str]]:
    """Sources by the name of their site (language-neutral) and link; a source without a
    web address by its key."""
    out = []
    for key in keys:
        source = document["sources"].get(key, {})
        url = str(source.get("url", ""))
        host = urlparse(url).netloc.removeprefix("www.") if url.startswith("http") else ""
        out.append({"key": key, "label": host or key, "url": url if host else "",
                    "title": str(source.get("title", ""))})
    return out


def voter_info(document: dict[str, Any], lang: str, names: dict[str, dict[str, str]], *,
               election: datetime.date | None = None) -> dict[str, Any]:
    """What the page in `lang` shows. `names` are the store's country names by language
    (`facts.names_by_lang`); Romanian names come from the catalogue."""
    loc = Locale(lang)
    local = names.get(lang, names["en"])

    def country_name(iso3: str) -> str:
        return loc.country(iso3, local)

    rules = document.get("voter_information", {})
    value = {k: v.get("value") for k, v in rules.items()}
    postal = set(value.get("postal_vote_countries") or ())
    countries = [_country(c, loc, country_name(c["iso3"]), names, postal)
                 for c in document["countries"]]
    countries = [c for c in countries if c["sites"] or c["expected_voters"] >= 1]
    countries.sort(key=lambda c: fold(c["name"]))
    registrations = document.get("inputs", {}).get("registrations")
    synthetic = bool(registrations and registrations.get("synthetic"))
    sites = [s for c in document["countries"] for s in c["sites"]]
    example = max(sites, key=lambda s: s["stations"])["city"] if sites else ""
    return {
        "lang": lang, "loc": loc, "t": loc.t,
        "origin": country_name(document["origin"]),
        "countries": countries,
        "search_example": example,
        "synthetic": registrations if synthetic else None,
        "user_file": registrations["file"] if registrations else None,
        "election": loc.date(election) if election else None,
        "authority": value.get("authority"),
        "official_list": value.get("stations_list_url")
        or (value.get("authority") or {}).get("url"),
        "any_station": value.get("any_station_abroad"),
        "registration": _registration(document, rules, loc, election, country_name),
        "documents": [{"label": loc.t(f"doc_{d['document']}"),
                       "expired": d["expired_accepted"]}
                      for d in value.get("documents") or ()],
        "documents_cited": _cited(document, rules.get("documents")),
        "day": _day(document, rules, loc),
        "stock": document["stock"],
        "rules_file": str(document["rules"]["file"]).removesuffix(" (shipped)"),
    }


def _cited(document: dict[str, Any], entry: dict[str, Any] | None) -> dict[str, Any]:
    if not entry:
        return {"sources": [], "confirmed": False}
    return {"sources": cite(document, list(entry.get("sources", ()))),
            "confirmed": bool(entry.get("confirmed"))}


def _country(c: dict[str, Any], loc: Locale, name: str, names: dict[str, dict[str, str]],
             postal: set[str]) -> dict[str, Any]:
    sites = []
    for site in c["sites"]:
        kinds = [loc.t(f"kind_{k}") for k in str(site["kind"]).split("/") if k]
        sites.append({"city": site["city"], "kinds": ", ".join(kinds),
                      "stations": loc.plural("stations", int(site["stations"])),
                      "mission": site["mission"], "search": fold(site["city"])})
    cities = []
    for reach in c.get("cities", ()):
        if not reach["located"] or not sites:
            continue
        site = c["sites"][reach["nearest_site"]]
        km = float(reach["km"])
        cities.append({"city": reach["city"], "site": site["city"],
                       "distance": loc.t("same_city") if km < 1 else
                       loc.t("km", km=loc.number(km)),
                       "search": fold(reach["city"])})
    cities.sort(key=lambda r: fold(r["city"]))
    spelled = {name, *(n.get(c["iso3"], "") for n in names.values()), c["iso3"]}
    return {"iso3": c["iso3"], "name": name, "sites": sites, "cities": cities,
            "postal": c["iso3"] in postal,
            "expected_voters": float(c.get("expected_voters") or 0),
            "search": " ".join(fold(s) for s in sorted(spelled) if s)}


def _registration(document: dict[str, Any], rules: dict[str, Any], loc: Locale,
                  election: datetime.date | None, country_name: Any) -> dict[str, Any]:
    value = {k: v.get("value") for k, v in rules.items()}
    closes = document.get("citations", {}).get("registration_closes_days_before")
    out: dict[str, Any] = {
        "required": value.get("registration_required"),
        "channels": [loc.t(f"channel_{c}") for c in value.get("registration_channels") or ()],
        "url": value.get("registration_url") or (value.get("authority") or {}).get("url"),
        "documents": [loc.t(f"doc_{d}") for d in value.get("registration_documents") or ()],
        "until_days": None, "until_date": None, "cancel_days": None, "cancel_date": None,
        "closed": None, "postal": None,
    }
    keys: list[str] = []
    for key in ("registration_required", "registration_channels", "registration_url",
                "registration_documents", "registration_cancel_days_before",
                "registration_closed", "postal_vote_countries"):
        keys += rules.get(key, {}).get("sources", [])
    if closes:
        days = int(closes["value"])
        out["until_days"] = days
        keys += closes.get("sources", [])
        if election:
            out["until_date"] = loc.date(election - datetime.timedelta(days=days))
    cancel = value.get("registration_cancel_days_before")
    if cancel is not None:
        out["cancel_days"] = int(cancel)
        if election:
            out["cancel_date"] = loc.date(election - datetime.timedelta(days=int(cancel)))
    history = value.get("registration_closed") or []
    if history:
        last = max(history, key=lambda h: (h["election_year"], h["date"]))
        closed = loc.date(datetime.date.fromisoformat(last["date"]))
        out["closed"] = (loc.t("registration_closed_on", election=loc.date(
            datetime.date.fromisoformat(last["election"])), date=closed)
            if last.get("election") else
            loc.t("registration_closed_year", year=last["election_year"], date=closed))
    if value.get("postal_vote_countries"):
        out["postal"] = loc.join(sorted((country_name(c) for c in
                                         value["postal_vote_countries"]), key=fold))
    out["sources"] = cite(document, list(dict.fromkeys(keys)))
    return out


def _day(document: dict[str, Any], rules: dict[str, Any], loc: Locale) -> dict[str, Any]:
    hours = rules.get("hours", {}).get("value")
    keys = list(rules.get("hours", {}).get("sources", []))
    ballots = None
    capacity = document.get("citations", {}).get("max_ballots_per_station")
    if capacity and capacity.get("confirmed"):  # a legal maximum, not a planning figure
        ballots = loc.number(int(capacity["value"]))
        keys += capacity.get("sources", [])
    return {"hours": hours, "ballots": ballots,
            "sources": cite(document, list(dict.fromkeys(keys)))}
