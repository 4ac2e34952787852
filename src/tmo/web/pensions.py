"""Pensions across borders on the web (docs/pensions.md): a page that walks a person through
a CARICOM career of two or three states and explains the result in English, French or
Spanish, and the JSON API of the same calculator (`POST /api/v1/pensions/assess` answers
what `tmo pension --format json` prints). Reads no store: the rules ship with tmo."""

from __future__ import annotations

import json
from pathlib import Path as FilePath
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from tmo.errors import InputError
from tmo.pensions import i18n
from tmo.pensions.calculate import Assessment, assess
from tmo.pensions.career import CAREER_HINT, parse_career
from tmo.pensions.formulas import money
from tmo.pensions.render import to_json
from tmo.pensions.ruleset import Rules, load_rules
from tmo.pensions.whatif import compare
from tmo.web.envelope import bounded_body, ok
from tmo.web.schemas import PensionAssessmentAnswer, PensionRulesAnswer, answers
from tmo.web.wording import install, language_links

router = APIRouter()
api = APIRouter(prefix="/api/v1/pensions", tags=["api"])
MAX_CAREER_BYTES = 64 * 1024  # as the app's declared-length limit, for bodies sent in chunks
AGREEMENT = "caricom-1996"
STATES = ("BRB", "TTO", "GUY", "JAM")
ROWS = 3
DEFAULT_CLAIM = "2003-06-01"  # within the Barbados and Trinidad and Tobago rules' dates
EXAMPLE = [("BRB", "300", "1000"), ("TTO", "450", ""), ("", "", "")]
_env = Environment(loader=FileSystemLoader([
    FilePath(__file__).parents[1] / "pensions" / "templates",
    FilePath(__file__).with_name("templates")]), autoescape=select_autoescape(["html"]))
install(_env)  # the site header of base.html


def _number(text: str, where: str) -> float | None:
    if not text.strip():
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise InputError(f"{where}: {text!r} is not a number",
                         hint="enter numbers only, e.g. 450") from exc


def career_from_form(rows: list[tuple[str, str, str]], basic: str, claim: str
                     ) -> dict[str, Any]:
    """The career document of the form's rows (country, weeks, earnings)."""
    periods = []
    for i, (country, weeks, earnings) in enumerate(rows, start=1):
        if not country:
            continue
        count = _number(weeks, f"period {i} ({country}): weeks")
        if count is None:
            raise InputError(f"period {i} ({country}): enter the weeks of contributions",
                             hint="or leave the state empty")
        period: dict[str, Any] = {"country": country, "count": count, "unit": "week"}
        value = _number(earnings, f"period {i} ({country}): earnings")
        if value is not None:
            period["earnings"] = value
        periods.append(period)
    doc: dict[str, Any] = {"periods": periods, "claim_date": claim or DEFAULT_CLAIM}
    basic_value = _number(basic, "Trinidad and Tobago's basic pension")
    if basic_value is not None:
        doc["inputs"] = {"TTO": {"basic": basic_value}}
    return doc


def _rules() -> Rules:
    return load_rules()


def _cards(result: Assessment, rules: Rules, lang: str) -> list[dict[str, Any]]:
    cards = []
    for state in result.states:
        scheme = rules.schemes.get(state.scheme or "")
        rule = scheme.benefits.get(result.benefit) if scheme else None
        minimum = rule.minimum.value if rule and rule.minimum else 0
        cards.append({"country": state.country, "name": i18n.name(state.country, lang),
                      "lines": i18n.explain(state, lang, minimum), "steps": state.steps})
    return cards


def _totals(totals: dict[str, tuple[Any, Any]] | dict[str, dict[str, Any]]) -> str:
    parts = []
    for currency, value in totals.items():
        low, high = (value["low"], value["high"]) if isinstance(value, dict) else value
        parts.append(f"{money(low)} {currency}" if low == high
                     else f"{money(low)}–{money(high)} {currency}")
    return ", ".join(parts) or "–"


@router.get("/pensions", response_class=HTMLResponse, include_in_schema=False)
def pension_page(request: Request, lang: str = Query("en", pattern="^(en|fr|es)$"),
                 basic: str = Query("", max_length=20),
                 claim: str = Query("", max_length=10)) -> HTMLResponse:
    """The form, prefilled with an example, and the result once submitted."""
    params = request.query_params
    submitted = any(f"country{i}" in params for i in range(1, ROWS + 1))
    rows = ([(params.get(f"country{i}", "")[:3].upper(), params.get(f"weeks{i}", "")[:10],
              params.get(f"earnings{i}", "")[:20]) for i in range(1, ROWS + 1)]
            if submitted else EXAMPLE)
    words = {k: v[lang] for k, v in i18n.WORDS.items()}
    ctx: dict[str, Any] = {
        "title": words["title"], "w": words, "lang": lang, "langs": i18n.LANGS,
        "states": [(c, i18n.name(c, lang)) for c in STATES],
        "rows": [{"country": c, "weeks": w, "earnings": e} for c, w, e in rows],
        "basic": basic if submitted else "700", "claim": claim or DEFAULT_CLAIM,
        "query": urlencode([(k, v) for k, v in params.multi_items() if k != "lang"]),
        # the header's language links keep the career entered, as the page's own do
        "lang_links_kept": language_links("/pensions", params.multi_items())}
    status = 200
    if submitted:
        try:
            rules = _rules()
            career = parse_career(career_from_form(rows, basic, claim), agreement=AGREEMENT)
            result = assess(career, rules)
            scenarios = compare(career, rules)
        except InputError as exc:
            ctx.update(error=str(exc), hint=exc.hint)
            status = 400
        else:
            ctx.update(result=result, cards=_cards(result, rules, lang),
                       total=_totals(result.totals), sources=rules.citation(result.sources),
                       whatif=[{"name": _scenario_name(s.name, lang),
                                "totals": (_totals(s.totals) + (f" ({'; '.join(s.incomplete)}"
                                                                f": {words['missing_input']})"
                                                                if s.incomplete else "")
                                           if s.result else s.error)}
                               for s in scenarios])
    html = _env.get_template("pension_form.html").render(**ctx)
    return HTMLResponse(html, status_code=status)


def _scenario_name(name: str, lang: str) -> str:
    if name == "as entered":
        return i18n.word("as_entered", lang)
    for prefix, key in (("stayed in ", "stayed"), ("one more year in ", "more")):
        if name.startswith(prefix):
            return i18n.word(key, lang, state=i18n.name(name[len(prefix):], lang))
    return name


@api.get("/rules", summary="The agreements and national schemes that ship with tmo",
         **answers(PensionRulesAnswer, "each agreement with its sources"))
def rules_api() -> dict[str, Any]:
    """The agreements and national schemes that ship with tmo, each with its sources."""
    rules = _rules()
    agreements = [{"id": a.id, "name": a.name, "short": a.short,
                   "in_force": a.in_force.value,
                   "valid_until": a.valid_until.value if a.valid_until else None,
                   "members": a.members.value, "benefits": a.benefits.value,
                   "sources": rules.citation(a.in_force.sources)}
                  for a in sorted(rules.agreements.values(), key=lambda a: a.id)]
    schemes = [{"id": s.id, "country": s.country, "name": s.name, "currency": s.currency,
                "unit": s.unit, "benefits": sorted(s.benefits)}
               for s in sorted(rules.schemes.values(), key=lambda s: s.id)]
    return ok({"agreements": agreements, "schemes": schemes})


@api.post("/assess", summary="A career assessed under a social security agreement",
          **answers(PensionAssessmentAnswer, "as `tmo pension --format json` prints it"))
async def assess_api(request: Request,
                     agreement: str | None = Query(None, max_length=40,
                                                   pattern=r"^[a-z0-9-]+$"),
                     what_if: bool = Query(True)) -> dict[str, Any]:
    """The assessment of the career in the JSON body (the document `tmo pension --career`
    reads), exactly as `tmo pension --format json` prints it."""
    body = await bounded_body(request, MAX_CAREER_BYTES,
                              f"the career is over {MAX_CAREER_BYTES:,} bytes",
                              "send one career per request")
    try:
        document = json.loads(body)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"the request body is not JSON: {exc}", hint=CAREER_HINT) from exc
    rules = _rules()
    career = parse_career(document, agreement=agreement)
    result = assess(career, rules)
    scenarios = compare(career, rules) if what_if else None
    return ok(json.loads(to_json(result, rules, scenarios)))
