"""Alerts: per-country rules (a YAML file) evaluated on each build (docs/monitoring.md).

A rules file is a list of rules; each has a `name`, a `country` (ISO3), a `kind` and the
settings of that kind:

- `corridor_change`: a corridor of the country (either direction, or `direction:
  immigrants|emigrants`) whose stock (both sexes, latest IMS revision) changed by more
  than `threshold` percent between the two latest estimate years; `min_stock` (default 0)
  leaves out corridors smaller than that in both years.
- `revision_change`: a figure of the country (`measure`: immigrants, emigrants,
  immigrant_share, emigrant_rate, immigrant_female_share, emigrant_female_share, or
  stock for its corridors) revised by more than `threshold` percent between the two
  latest IMS revisions, in their latest common year.
- `share_crossing`: a share of the country (`measure` as above, a percentage) that
  crossed `level` (either way) between the two latest estimate years.

Evaluation is pure: frames in, alert rows out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tmo.errors import InputError

KINDS = ("corridor_change", "revision_change", "share_crossing")
MEASURES = ("immigrants", "emigrants", "immigrant_share", "emigrant_rate",
            "immigrant_female_share", "emigrant_female_share", "stock")
SHARES = ("immigrant_share", "emigrant_rate", "immigrant_female_share",
          "emigrant_female_share")
ALERT_COLUMNS = ("country", "rule", "kind", "area", "partner", "measure", "revision", "year",
                 "previous", "value", "threshold", "message", "source")


@dataclass(frozen=True)
class Rule:
    name: str
    country: str
    kind: str
    threshold: float = 0.0  # percent (corridor_change, revision_change); level (crossing)
    measure: str = "stock"
    direction: str = "both"
    min_stock: float = 0.0


def _number(raw: dict[str, Any], key: str, where: str, default: float | None = None) -> float:
    value = raw.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
        raise InputError(f"{where}: `{key}` must be a number, zero or more (got {value!r})",
                         hint="see docs/monitoring.md, Alerts")
    return float(value)


def parse_rules(data: Any, source: str) -> list[Rule]:
    """Rules from the parsed YAML of `source`; InputError naming the rule and problem."""
    if data is None:
        return []
    if not isinstance(data, list):
        raise InputError(f"{source}: expected a list of rules, got {type(data).__name__}",
                         hint="see docs/monitoring.md, Alerts")
    rules, names = [], set()
    for i, raw in enumerate(data, start=1):
        where = f"{source}, rule {i}"
        if not isinstance(raw, dict):
            raise InputError(f"{where}: expected a mapping (name, country, kind, ...)")
        unknown = set(raw) - {"name", "country", "kind", "threshold", "level", "measure",
                              "direction", "min_stock"}
        if unknown:
            raise InputError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}",
                             hint="see docs/monitoring.md, Alerts")
        name = str(raw.get("name") or f"rule-{i}")
        if name in names:
            raise InputError(f"{where}: the name {name!r} is used twice")
        names.add(name)
        country = str(raw.get("country", "")).upper()
        if len(country) != 3 or not country.isalpha():
            raise InputError(f"{where}: `country` must be an ISO3 code (got "
                             f"{raw.get('country')!r})")
        kind = raw.get("kind")
        if kind not in KINDS:
            raise InputError(f"{where}: `kind` must be one of {', '.join(KINDS)} (got "
                             f"{kind!r})")
        rules.append(_rule(raw, where, name, country, str(kind)))
    return rules


def _rule(raw: dict[str, Any], where: str, name: str, country: str, kind: str) -> Rule:
    default_measure = {"corridor_change": "stock", "revision_change": "immigrants",
                       "share_crossing": "immigrant_share"}[kind]
    measure = str(raw.get("measure", default_measure))
    allowed = {"corridor_change": ("stock",), "revision_change": MEASURES,
               "share_crossing": SHARES}[kind]
    if measure not in allowed:
        raise InputError(f"{where}: `measure` of a {kind} rule must be one of "
                         f"{', '.join(allowed)} (got {measure!r})")
    direction = str(raw.get("direction", "both"))
    if direction not in ("both", "immigrants", "emigrants"):
        raise InputError(f"{where}: `direction` must be both, immigrants or emigrants")
    key = "level" if kind == "share_crossing" else "threshold"
    if key not in raw:
        raise InputError(f"{where}: a {kind} rule needs `{key}`")
    return Rule(name, country, kind, _number(raw, key, where), measure, direction,
                _number(raw, "min_stock", where, 0))


def load_rules(path: Path) -> list[Rule]:
    """The rules of a YAML file; one InputError line naming the file for any problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})",
                         hint="fix the alert rules file or its path (TMO_ALERTS)") from exc
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f", line {mark.line + 1}" if mark is not None else ""
        raise InputError(f"{path}{at}: not valid YAML",
                         hint="see docs/monitoring.md, Alerts") from exc
    return parse_rules(data, str(path))


def _pct(old: float, new: float) -> float | None:
    return None if not old else 100.0 * (new - old) / old


def _rows_of(r: dict[Any, Any]) -> str:
    """The file and rows of a corridor's two figures ("row 59" when one row holds both)."""
    a, b = str(r["src_row_0"]), str(r["src_row_1"])
    rows = f"row {a}" if a == b else f"rows {a} and {b}"
    same = r["src_file_0"] == r["src_file_1"]
    return f"{r['src_file_1']}, {rows}" if same else (
        f"{r['src_file_0']}, row {a}; {r['src_file_1']}, row {b}")


def corridor_alerts(rule: Rule, corridors: pd.DataFrame, revision: str) -> list[dict]:
    """`corridors`: origin, destination, year, stock, src_file, src_row of the country's
    corridors (both sexes) in `revision`."""
    years = sorted(corridors["year"].unique())
    if len(years) < 2:
        return []
    y0, y1 = int(years[-2]), int(years[-1])
    c = corridors
    if rule.direction == "immigrants":
        c = c[c["destination"] == rule.country]
    elif rule.direction == "emigrants":
        c = c[c["origin"] == rule.country]
    a = c[c["year"] == y0]
    b = c[c["year"] == y1]
    both = a.merge(b, on=["origin", "destination"], suffixes=("_0", "_1"))
    out = []
    r: dict[Any, Any]
    for r in both.to_dict("records"):
        old, new = float(r["stock_0"]), float(r["stock_1"])
        pct = _pct(old, new)
        if pct is None or max(old, new) < rule.min_stock or abs(pct) <= rule.threshold:
            continue
        origin, dest = str(r["origin"]), str(r["destination"])
        out.append({"area": dest, "partner": origin, "measure": "stock",
                    "revision": revision, "year": y1, "previous": old, "value": new,
                    "threshold": rule.threshold,
                    "message": (f"{origin} to {dest}: {old:,.0f} in {y0}, {new:,.0f} in {y1} "
                                f"({pct:+.1f} %, more than {rule.threshold:g} %; IMS "
                                f"{revision})"),
                    "source": _rows_of(r)})
    return out


def revision_alerts(rule: Rule, changes: pd.DataFrame) -> list[dict]:
    """`changes`: rows of `revision_changes` of one IMS pair (the latest), both sexes."""
    if changes.empty:
        return []
    year = int(changes["year"].max())
    rows = changes[(changes["year"] == year) & (changes["measure"] == rule.measure)]
    if rule.measure == "stock":
        rows = rows[(rows["area"] == rule.country) | (rows["partner"] == rule.country)]
    else:
        rows = rows[(rows["area"] == rule.country) & (rows["level"] == "country")]
    out = []
    r: dict[Any, Any]
    for r in rows.to_dict("records"):
        if pd.isna(r["old_value"]) or pd.isna(r["new_value"]):
            continue
        old, new = float(r["old_value"]), float(r["new_value"])
        pct = _pct(old, new)
        if pct is None or max(old, new) < rule.min_stock or abs(pct) <= rule.threshold:
            continue
        area, partner = str(r["area"]), str(r["partner"])
        what = f"{partner} to {area}" if partner else f"{rule.measure} of {area}"
        out.append({"area": area, "partner": partner, "measure": rule.measure,
                    "revision": str(r["new_revision"]), "year": year, "previous": old,
                    "value": new, "threshold": rule.threshold,
                    "message": (f"{what} in {year}: {old:,.6g} in IMS {r['old_revision']}, "
                                f"{new:,.6g} in IMS {r['new_revision']} ({pct:+.1f} %, "
                                f"more than {rule.threshold:g} %)"),
                    "source": f"{r['old_file']} / {r['new_file']}"})
    return out


def crossing_alerts(rule: Rule, measures: pd.DataFrame, revision: str, source: str
                    ) -> list[dict]:
    """`measures`: area, measure, sex, year, value of one revision (country measures)."""
    rows = measures[(measures["area"] == rule.country) & (measures["measure"] == rule.measure)
                    & (measures["sex"] == "total")].sort_values("year")
    if len(rows) < 2:
        return []
    (y0, v0), (y1, v1) = rows[["year", "value"]].tail(2).itertuples(index=False)
    level = rule.threshold
    if not ((v0 < level <= v1) or (v1 < level <= v0)):
        return []
    way = "rose above" if v1 >= level else "fell below"
    return [{"area": rule.country, "partner": "", "measure": rule.measure,
             "revision": revision, "year": int(y1), "previous": float(v0), "value": float(v1),
             "threshold": level,
             "message": (f"{rule.measure} of {rule.country} {way} {level:g} %: {v0:.2f} % in "
                         f"{int(y0)}, {v1:.2f} % in {int(y1)} (IMS {revision})"),
             "source": source}]


def frame(rows: list[dict], build: int) -> pd.DataFrame:
    """Alert rows as the `alerts` table's frame."""
    out = pd.DataFrame(rows, columns=list(ALERT_COLUMNS))
    return out.assign(build=build)
