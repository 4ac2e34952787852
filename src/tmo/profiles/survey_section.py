"""The profile's survey section (issue #23, docs/surveys.md): the aggregates of household
and attitude surveys published for the country with `tmo survey publish` (the
`survey_estimates` view), each marked "survey estimate" with its 95 % interval, beside
the official figures. Absent when no survey of the country was published; a SYNTHETIC
survey (`tmo survey demo`) says so in its title, banner and chart.

`surveys(ev, iso3)` is the section of the document (one entry per survey, every estimate
with its source: the view and filter that return it and the responses it was computed
from); `view(...)` formats it for the HTML and Markdown templates. A suppressed estimate
has no value ("no data" is shown, never 0).
"""

from __future__ import annotations

import json
from typing import Any

from tmo.profiles.i18n import Locale
from tmo.store import facts
from tmo.store.evidence import Evidence, describe
from tmo.surveys.charts import Row, interval_chart
from tmo.surveys.questionnaire import indicator_defs

# the indicators the profile shows (the survey report shows every distribution too)
SHOWN = ("hh_member_abroad", "hh_remittances", "children_parent_abroad", "contact_weekly",
         "remit_median", "perceived_immigrant_share", "perception_gap", "acceptance_index")
CHARTED = ("hh_member_abroad", "hh_remittances", "children_parent_abroad", "contact_weekly",
           "perceived_immigrant_share")
VALUE_KEYS = ("module", "indicator", "category", "unit", "currency", "se", "ci_low",
              "ci_high", "level", "deff", "n", "method", "status", "reasons")


def _estimate(row: dict[str, Any]) -> dict[str, Any]:
    files = [f.strip() for f in (row["files"] or "").split(",") if f.strip()]
    out = {k: row[k] for k in VALUE_KEYS}
    out["value"] = row["estimate"]
    out["sources"] = [{"view": "survey_estimates",
                       "filter": describe({"survey": row["survey"],
                                           "indicator": row["indicator"],
                                           "category": row["category"]}),
                       "revision": row["published_at"], "files": files, "rows": [],
                       "n_rows": 1}]
    if row["actual_value"] is not None:
        out["actual"] = {"value": row["actual_value"], "year": row["actual_year"],
                         "sources": json.loads(row["actual_sources"] or "[]")}
    return out


def surveys(ev: Evidence, iso3: str) -> list[dict[str, Any]]:
    """The country's published surveys with their estimates (none: an empty list)."""
    out: dict[str, dict[str, Any]] = {}
    for row in ev.fact(facts.survey_estimates, iso3):
        doc = out.setdefault(row["survey"], {
            "survey": row["survey"], "title": row["title"], "synthetic": bool(row["synthetic"]),
            "label": "SYNTHETIC" if row["synthetic"] else None,
            "fieldwork_year": row["fieldwork_year"], "published_at": row["published_at"],
            "files": row["files"], "estimates": []})
        doc["estimates"].append(_estimate(row))
    return list(out.values())


def _text(loc: Locale, e: dict[str, Any]) -> str:
    """An estimate and its interval in its unit, for the reader's language."""
    if e["unit"] == "percent":
        def fmt(x: float) -> str:
            return loc.percent(x)
    elif e["unit"] == "points":
        def fmt(x: float) -> str:
            return loc.number(x, 1) + loc.t("sv_points_suffix")
    elif e["unit"] == "currency":
        def fmt(x: float) -> str:
            return f"{loc.number(x)} {e['currency']}".strip()
    else:
        def fmt(x: float) -> str:
            return loc.number(x, 1)
    return loc.t("sv_value", value=fmt(e["value"]), low=fmt(e["ci_low"]),
                 high=fmt(e["ci_high"]), n=loc.number(e["n"]))


def _line(loc: Locale, lang: str, e: dict[str, Any]) -> dict[str, str]:
    label = indicator_defs()[e["indicator"]].label[lang] if e["indicator"] in indicator_defs() \
        else e["indicator"]
    if e["status"] == "suppressed" or e["value"] is None:
        value = loc.t("sv_no_data")
    else:
        value = _text(loc, e) + (" " + loc.t("sv_flagged") if e["status"] == "flagged" else "")
    if e["indicator"] == "perception_gap" and e.get("actual") and e["value"] is not None:
        value += " " + loc.t("sv_gap_against", actual=loc.percent(e["actual"]["value"]),
                             year=e["actual"]["year"])
    return {"label": label, "value": value}


def _chart(loc: Locale, lang: str, doc: dict[str, Any], title: str) -> str:
    by = {e["indicator"]: e for e in doc["estimates"] if not e["category"]}
    rows: list[Row] = []
    marker, marker_row = None, None
    for key in CHARTED:
        e = by.get(key)
        if e is None:
            continue
        label = indicator_defs()[key].label[lang]
        if key == "perceived_immigrant_share":
            marker_row = len(rows)
        if e["status"] == "suppressed" or e["value"] is None:
            rows.append(Row(label, None, note=loc.t("sv_no_data")))
        else:
            rows.append(Row(label, e["value"], e["ci_low"], e["ci_high"]))
    gap = by.get("perception_gap")
    if gap is not None and gap.get("actual"):
        actual = gap["actual"]
        marker = (actual["value"], loc.t("sv_published_share", year=actual["year"],
                                         value=loc.percent(actual["value"])))
    if not rows:
        return ""
    return interval_chart(rows, title=title, fmt=loc.percent, axis_max=100,
                          tick_fmt=lambda x: loc.number(x) + loc.t("percent_suffix"),
                          marker=marker, marker_row=marker_row,
                          interval_word=loc.t("sv_interval"))


def view(docs: list[dict[str, Any]], loc: Locale, lang: str) -> list[dict[str, Any]]:
    """The survey blocks the templates show, one per published survey."""
    out = []
    for doc in docs:
        mark = loc.t("sv_synthetic_mark") + " · " if doc["synthetic"] else ""
        # a real survey's title is its name, shown as given; the demo's is ours to translate
        title = (mark + loc.t("sv_synthetic_title", survey=doc["survey"]) if doc["synthetic"]
                 else doc["title"])
        chart_title = mark + loc.t("sv_chart_title", year=doc["fieldwork_year"] or "–")
        shown = [e for e in doc["estimates"] if not e["category"] and e["indicator"] in SHOWN]
        shown.sort(key=lambda e: SHOWN.index(e["indicator"]))
        cites = sorted({s["filter"].split(" AND ")[0] for e in shown for s in e["sources"]})
        actual = next((e["actual"] for e in shown if e.get("actual")), None)
        sources = [loc.t("sv_sources", files=doc["files"], where=", ".join(cites))]
        if actual:
            sources.append(loc.t("sv_actual_source", sources=" | ".join(
                f"{', '.join(s['files'])}; view {s['view']} WHERE {s['filter']}"
                for s in actual["sources"])))
        out.append({"id": f"survey-{doc['survey']}", "title": title,
                    "synthetic": doc["synthetic"],
                    "banner": loc.t("sv_synthetic_banner") if doc["synthetic"] else "",
                    "intro": loc.t("sv_intro", year=doc["fieldwork_year"] or "–",
                                   published=(doc["published_at"] or "")[:10]),
                    "chart": _chart(loc, lang, doc, chart_title), "chart_title": chart_title,
                    "lines": [_line(loc, lang, e) for e in shown], "sources": sources})
    return out
