"""Fact cards: short sourced statements about a country, a UN region or the world, read
from the store through the same indicator functions as the Migration Profile (so a card's
figure is the profile's figure for the same country, year and revision).

A card is a dict: `key`, `text` (rounded per tmo.factcards.rounding, in the card's
language), `figure` (indicator, unrounded value, unit, year), `revision`, `sources`
(view, filter, files, source rows), `caveats`. A figure the store lacks gives no card;
`missing` names it with the reason.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from tmo.factcards import words as w
from tmo.factcards.places import Places
from tmo.indicators.cells import corridor_cell, population_cell, stock_cell
from tmo.indicators.figure import Figure
from tmo.indicators.refugees import refugees
from tmo.indicators.remittances import remittances
from tmo.indicators.stocks import emigration, immigration
from tmo.store import facts
from tmo.store.evidence import Evidence, Source

SCHEMA = "tmo.factcards/1"
UNKNOWN_ORIGIN_CAVEAT = 5.0  # per cent of immigrants without a known origin worth a caveat
DISAGREEMENT = 0.25  # WDI and KNOMAD remittances further apart than this are both stated
KEYS = ("immigrants", "change_since_1990", "largest_origin", "diaspora", "refugees_hosted",
        "remittances_received")


def source_dict(src: Source) -> dict[str, Any]:
    return {**asdict(src), "files": list(src.files), "rows": list(src.rows),
            "cite": src.cite()}


def figure_dict(fig: Figure, **extra: Any) -> dict[str, Any]:
    value: Any = fig.value
    value = value.item() if hasattr(value, "item") else value
    return {"indicator": fig.indicator, "value": value, "unit": fig.unit, "year": fig.year,
            **extra}


def _card(key: str, text: str, figures: list[Figure], *, revision: str,
          caveats: list[str], cells: tuple[Source, ...] = ()) -> dict[str, Any]:
    """A card; `cells` (the figure's own source rows) replace the figures' series sources
    where given."""
    sources: list[dict[str, Any]] = []
    for fig in figures:
        for src in cells or fig.sources:
            d = source_dict(src)
            if d not in sources:
                sources.append(d)
    return {"key": key, "text": text[0].upper() + text[1:],
            "figure": figure_dict(figures[0]),
            "also": [figure_dict(f) for f in figures[1:]],
            "revision": revision, "sources": sources, "caveats": caveats}


def other_remittances(ev: Evidence, code: str, year: int, value: float
                      ) -> dict[str, Any] | None:
    """KNOMAD's remittances received by `code` in `year` with its source row, when it
    differs from WDI's `value` by more than DISAGREEMENT (as `tmo check` reports them)."""
    frame = ev.fact(facts.remittance_total_rows, "KNOMAD")
    rows = frame[(frame["country"] == code) & (frame["year"] == year)
                 & (frame["direction"] == "received")]
    if rows.empty or not value:
        return None
    row = rows.iloc[0]
    usd = float(row["usd"])
    if abs(usd - value) / abs(value) <= DISAGREEMENT:
        return None
    return {"source": "KNOMAD", "value": usd, "year": year, "file": str(row["src_file"]),
            "sheet": str(row["src_sheet"]), "row": str(row["src_row"])}


def _stock_caveats(fig: Figure, place: str, lang: str) -> list[str]:
    dtype = str(fig.detail.get("data_type") or "").split()
    out = []
    if "C" in dtype:
        out.append(w.word("cav_citizens", lang, place=place))
    if "R" in dtype:
        out.append(w.word("cav_refugees_added", lang))
    if "I" in dtype:
        out.append(w.word("cav_imputed", lang))
    return out


@dataclass
class Deck:
    """The cards of one place as they are made."""

    ev: Evidence
    code: str
    lang: str
    year: int
    revision: str
    places: Places
    cards: list[dict[str, Any]] = field(default_factory=list)
    missing: list[dict[str, str]] = field(default_factory=list)

    @property
    def place(self) -> str:
        return self.places.name(self.code, self.lang)

    def lack(self, key: str, reason: str) -> None:
        self.missing.append({"key": key, "reason": reason})


def build(con: Any, code: str, lang: str = "en", *, year: int | None = None,
          revision: str | None = None, places: Places | None = None) -> dict[str, Any]:
    """The cards of `code` (ISO3, UN region code, UN:900 or a name) in `lang`, for IMS
    `revision` and `year` (defaults: the latest)."""
    lang = w.check_lang(lang)
    places = places or Places.load(con)
    code = places.resolve(code)
    rev = facts.revision_or_latest(con, revision)
    deck = Deck(Evidence(con), code, lang, facts.year_or_default(con, rev, year), rev, places)
    imm = immigration(deck.ev, code, deck.year, rev, limit=1)["figures"]
    _immigrants(deck, imm)
    if places.kinds.get(code) not in ("world", "region"):
        _origin(deck, imm)
        _diaspora(deck)
        _refugees(deck)
        _remittances(deck)
    files = {f for c in deck.cards for s in c["sources"] for f in s["files"]}
    return {"schema": SCHEMA, "place": code, "name": deck.place, "lang": lang,
            "year": deck.year, "revision": rev, "title": w.word("title", lang, place=deck.place),
            "cards": deck.cards, "missing": deck.missing,
            "provenance": facts.provenance(con, files)}


def _immigrants(d: Deck, imm: dict[str, Figure]) -> None:
    stock, share = imm["immigrant_stock"], imm["immigrant_share"]
    if stock.value is None:
        d.lack("immigrants", f"no migrant stock of {d.code} in IMS {d.revision} for {d.year}")
        return
    lang, place = d.lang, d.place
    key = "immigrants" if share.value is not None else "immigrants_no_share"
    text = w.word(key, lang, n=w.people(stock.value, lang, of=True), place=place,
                  year=d.year, share=w.percent(share.value, lang, article=True)
                  if share.value is not None else "")
    cells = (stock_cell(d.ev, d.code, d.year, d.revision),
             population_cell(d.ev, d.code, d.year, d.revision))
    d.cards.append(_card("immigrants", text,
                         [stock, share] if share.value is not None else [stock],
                         revision=d.revision, caveats=_stock_caveats(stock, place, lang),
                         cells=cells if share.value is not None else cells[:1]))
    since = imm["immigrant_change_since_1990"]
    if since.value is None:
        d.lack("change_since_1990", f"no 1990 estimate of {d.code} in IMS {d.revision}")
        return
    then = stock.value / (1 + since.value / 100)
    rounded = round(since.value)
    key = "change_same" if rounded == 0 else "change_up" if rounded > 0 else "change_down"
    text = w.word(key, lang, pct=w.whole_percent(since.value, lang), base=1990,
                  then=w.people(then, lang))
    d.cards.append(_card("change_since_1990", text, [since], revision=d.revision, caveats=[],
                         cells=(stock_cell(d.ev, d.code, d.year, d.revision),
                                stock_cell(d.ev, d.code, 1990, d.revision))))


def _origin(d: Deck, imm: dict[str, Figure]) -> None:
    stock, top = imm["immigrant_stock"], imm["top_origins"]
    ranking = top.detail.get("ranking") or []
    if not ranking or not stock.value:
        d.lack("largest_origin", "no origin reported")
        return
    first, lang = ranking[0], d.lang
    caveats = []
    unknown = 100 * float(top.detail.get("unknown") or 0) / float(stock.value)
    if unknown > UNKNOWN_ORIGIN_CAVEAT:
        caveats.append(w.word("cav_unknown_origin", lang,
                              share=w.percent(unknown, lang, article=True)))
    text = w.word("origin", lang, origin=d.places.name(first["area"], lang),
                  n=w.people(first["stock"], lang),
                  share=w.percent(first["share_pct"], lang, article=True))
    fig = Figure("largest_origin", first["stock"], "persons", top.year, top.sources)
    card = _card("largest_origin", text, [fig], revision=d.revision, caveats=caveats,
                 cells=(corridor_cell(d.ev, first["area"], d.code, d.year, d.revision),
                        stock_cell(d.ev, d.code, d.year, d.revision)))
    card["figure"].update(origin=first["area"], share_pct=first["share_pct"])
    d.cards.append(card)


def _diaspora(d: Deck) -> None:
    emi = emigration(d.ev, d.code, d.year, d.revision, limit=1)["figures"]
    stock, dest = emi["emigrant_stock"], emi["top_destinations"]
    ranking = dest.detail.get("ranking") or []
    if not stock.value or not ranking:
        d.lack("diaspora", "no emigrant stock reported")
        return
    lang = d.lang
    text = w.word("diaspora", lang, n=w.people(stock.value, lang, of=True), place=d.place,
                  year=d.year, dest=d.places.name(ranking[0]["area"], lang),
                  dn=w.people(ranking[0]["stock"], lang))
    card = _card("diaspora", text, [stock], revision=d.revision,
                 caveats=[w.word("cav_diaspora", lang, place=d.place)])
    card["figure"].update(top_destination=ranking[0]["area"],
                          top_destination_stock=ranking[0]["stock"])
    d.cards.append(card)


def _refugees(d: Deck) -> None:
    hosted = refugees(d.ev, d.code, d.year)["figures"].get("refugees_hosted")
    if hosted is None or hosted.value is None or hosted.year is None:
        d.lack("refugees_hosted", "no UNHCR figure in the store")
        return
    text = w.word("refugees", d.lang, place=d.place,
                  n=w.people(hosted.value, d.lang, of=True), year=hosted.year)
    caveats = [w.word("cav_refugee_date", d.lang, year=d.year)] if hosted.year != d.year \
        else []
    d.cards.append(_card("refugees_hosted", text, [hosted], revision="UNHCR",
                         caveats=caveats))


def _remittances(d: Deck) -> None:
    rem = remittances(d.ev, d.code, d.year)["figures"]
    received, gdp = rem["remittances_received"], rem["remittances_gdp_share"]
    if received.value is None or received.year is None:
        d.lack("remittances_received", received.note or "not reported")
        return
    lang = d.lang
    gdp_text = w.word("gdp", lang, share=w.percent(gdp.value, lang, article=True)) \
        if gdp.value is not None else ""
    text = w.word("remittances", lang, place=d.place, n=w.usd(received.value, lang),
                  year=received.year, gdp=gdp_text)
    caveats = [w.word("cav_remittances", lang)]
    other = other_remittances(d.ev, d.code, received.year, float(received.value))
    if other:
        caveats.append(w.word("cav_disagree", lang, n=w.usd(other["value"], lang),
                              year=other["year"], file=other["file"], row=other["row"]))
    card = _card("remittances_received", text,
                 [received, gdp] if gdp.value is not None else [received],
                 revision="WDI", caveats=caveats)
    card["figure"]["other_sources"] = [other] if other else []
    d.cards.append(card)
