"""The backtest report (`tmo projections backtest --format html|pdf`), in English, French
or Spanish: the interval coverage of the model and of the random walk with drift against
the years ahead, per jump-off year, for corridors and for countries' immigrants; the PIT
histograms (calibration) of each held-out year; the point errors of the model and of
every baseline; what was fitted and on which published rows.

It draws the rows `tmo.projections.backtest.run` / `score` return (the figures `--format
json` prints) and computes nothing new from the data.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from tmo import __version__
from tmo.errors import InputError
from tmo.projections import charts
from tmo.projections.baselines import SCORED

LANGUAGES = ("en", "fr", "es")
LOCALES = Path(__file__).with_name("locales")
_env = Environment(loader=FileSystemLoader(Path(__file__).with_name("templates")),
                   autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
SEPARATORS = {"en": (",", "."), "fr": ("\u202f", ","), "es": (".", ",")}
WITH_INTERVALS = ("model", "drift")  # the baselines other than drift are point forecasts


@cache
def catalogue(lang: str) -> dict[str, str]:
    if lang not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}; available: {', '.join(LANGUAGES)}")
    return dict(yaml.safe_load((LOCALES / f"{lang}.yaml").read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Words:
    """The report's words and number formats in one language."""

    lang: str

    def t(self, key: str, **values: object) -> str:
        text = catalogue(self.lang)[key]
        return text.format(**values) if values else text

    def number(self, value: float | None, digits: int = 3) -> str:
        if value is None or not math.isfinite(value):
            return self.t("no_data")
        text = f"{value:,.{digits}f}"
        thousands, decimal = SEPARATORS[self.lang]
        return text.replace(",", "\x00").replace(".", decimal).replace("\x00", thousands)

    def share(self, value: float) -> str:
        return self.number(value, 2)


@dataclass(frozen=True)
class About:
    """What the rows were computed from: the revision fitted (and the one scored, when a
    vintage backtest fits on an older one), the run's settings, and the published rows
    (the store view, its filter, files and number of rows)."""

    revision: str
    draws: int
    seed: int
    scale: float
    damping: float
    view: str
    filter: str
    files: tuple[str, ...]
    n_rows: int
    fit_on: str | None = None


def _pick(rows: list[dict[str, Any]], **where: Any) -> list[dict[str, Any]]:
    return [r for r in rows if all(r.get(k) == v for k, v in where.items())]


def _method(w: Words, method: str) -> str:
    return w.t(f"method_{method}")


def _coverage_charts(rows: list[dict[str, Any]], w: Words) -> list[dict[str, str]]:
    """One chart per level (80 %, 95 %): coverage against years ahead, a line per method
    (and for countries' immigrants) and jump-off year."""
    jump_offs = sorted({int(r["jump_off"]) for r in rows}, reverse=True)
    groups = [("model", "corridor", w.t("corridors")), ("drift", "corridor", w.t("corridors")),
              ("model", "destination", w.t("country_totals"))]
    out = []
    for level, nominal in (("coverage80", 0.8), ("coverage95", 0.95)):
        lines: list[charts.Line] = []
        for g, (method, kind, what) in enumerate(groups):
            for j, jump in enumerate(jump_offs):
                pts = [(float(r["target"] - r["jump_off"]), float(r[level]))
                       for r in _pick(rows, method=method, level=kind, sex="total",
                                      band="all", jump_off=jump)
                       if r.get(level) is not None and math.isfinite(float(r[level]))]
                if pts:
                    label = w.t("line_label", method=_method(w, method), what=what,
                                jump_off=jump)
                    lines.append((label, pts, g, j))
        pct = round(nominal * 100)
        title = w.t("coverage_title", level=pct)
        desc = w.t("coverage_desc", level=pct, nominal=w.share(nominal))
        out.append({"title": title, "svg": charts.coverage_lines(
            lines, [nominal], title=title, desc=desc, x_label=w.t("years_ahead"),
            fmt=w.share, height=340,
            colours=[f"{_method(w, m)}, {what}" for m, _, what in groups],
            dashes=[w.t("from_year", jump_off=j) for j in jump_offs])})
    return out


def _pit_charts(rows: list[dict[str, Any]], w: Words) -> list[dict[str, Any]]:
    """Per jump-off and held-out year: the model's and the drift's PIT histograms of
    corridors, and the model's of countries' immigrants."""
    out = []
    keys = sorted({(int(r["jump_off"]), int(r["target"])) for r in rows},
                  key=lambda k: (-k[0], k[1]))
    for jump, target in keys:
        charts_ = []
        for method, kind, what in (("model", "corridor", w.t("corridors")),
                                   ("drift", "corridor", w.t("corridors")),
                                   ("model", "destination", w.t("country_totals"))):
            found = _pick(rows, method=method, level=kind, sex="total", band="all",
                          jump_off=jump, target=target)
            if not found or "pit" not in found[0]:
                continue
            r = found[0]
            title = w.t("pit_title", method=_method(w, method), what=what)
            shares = [float(s) for s in r["pit"]]
            outer = shares[0] + shares[-1]
            desc = w.t("pit_desc", n=w.number(r["n"], 0), outer=w.share(outer),
                       low=w.share(shares[0]), high=w.share(shares[-1]))
            charts_.append({"title": title, "desc": desc, "svg": charts.pit_histogram(
                shares, title=title, desc=desc, fmt=w.share)})
        if charts_:
            out.append({"heading": w.t("pit_heading", jump_off=jump, target=target,
                                       ahead=target - jump), "charts": charts_})
    return out


def _coverage_table(rows: list[dict[str, Any]], w: Words) -> list[list[str]]:
    out = []
    keys = sorted({(int(r["jump_off"]), int(r["target"])) for r in rows},
                  key=lambda k: (-k[0], k[1]))
    for jump, target in keys:
        cells = [str(jump), str(target), str(target - jump)]
        for method, kind in (("model", "corridor"), ("drift", "corridor"),
                             ("model", "destination")):
            found = _pick(rows, method=method, level=kind, sex="total", band="all",
                          jump_off=jump, target=target)
            r = found[0] if found else {}
            cells += [w.share(float(r.get("coverage80", math.nan))),
                      w.share(float(r.get("coverage95", math.nan)))]
        for method in WITH_INTERVALS:
            found = _pick(rows, method=method, level="corridor", sex="total", band="all",
                          jump_off=jump, target=target)
            cells.append(w.number(float(found[0].get("crps", math.nan)) if found else math.nan))
        out.append(cells)
    return out


def _error_table(rows: list[dict[str, Any]], w: Words) -> tuple[list[str], list[list[str]]]:
    """MAE of log stocks and WAPE of every method per jump-off and held-out year; the best
    of each column marked."""
    methods = ["model", *(m for m in SCORED if _pick(rows, method=m))]
    head = [_method(w, m) for m in methods]
    out = []
    keys = sorted({(int(r["jump_off"]), int(r["target"])) for r in rows},
                  key=lambda k: (-k[0], k[1]))
    for jump, target in keys:
        for measure, digits in (("mae_log", 3), ("wape", 1)):
            values = []
            for m in methods:
                found = _pick(rows, method=m, level="corridor", sex="total", band="all",
                              jump_off=jump, target=target)
                values.append(float(found[0][measure]) if found else math.nan)
            finite = [v for v in values if math.isfinite(v)]
            best = min(finite) if finite else math.nan
            cells = [f"{jump} → {target}", w.t(f"measure_{measure}")]
            cells += [("*" if v == best else "") + w.number(v, digits) for v in values]
            out.append(cells)
    return head, out


def context(rows: list[dict[str, Any]], about: About, lang: str = "en") -> dict[str, Any]:
    """Everything the template shows, in one language."""
    w = Words(lang)
    jump_offs = sorted({int(r["jump_off"]) for r in rows})
    targets = sorted({int(r["target"]) for r in rows})
    if about.fit_on:
        what = w.t("fitted_vintage", fit_on=about.fit_on, revision=about.revision,
                   targets=", ".join(map(str, targets)))
    else:
        what = w.t("fitted", revision=about.revision,
                   jump_offs=", ".join(map(str, jump_offs)))
    head, errors = _error_table(rows, w)
    return {
        "lang": lang, "t": w.t, "title": w.t("title"),
        "subtitle": w.t("subtitle", revision=about.revision, draws=w.number(about.draws, 0),
                        seed=about.seed),
        "what": what,
        "settings": w.t("settings", draws=w.number(about.draws, 0), seed=about.seed,
                        scale=w.number(about.scale, 2), damping=w.number(about.damping, 2)),
        "coverage_charts": _coverage_charts(rows, w),
        "coverage_rows": _coverage_table(rows, w),
        "pit_groups": _pit_charts(rows, w),
        "error_head": head, "error_rows": errors,
        "source": w.t("source", files=", ".join(about.files), n=w.number(about.n_rows, 0),
                      view=about.view),
        "source_filter": f"{about.view} WHERE {about.filter}",
        "generated": w.t("generated", version=__version__),
    }


def _css_text(text: str) -> Markup:
    """`text` inside a CSS string (the PDF's running footer), escaped as CSS escapes."""
    cleaned = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return Markup(cleaned)  # CSS-escaped above


def render_html(rows: list[dict[str, Any]], about: About, lang: str = "en") -> str:
    ctx = context(rows, about, lang)
    return _env.get_template("backtest.html").render(footer_label=_css_text(ctx["title"]),
                                                     **ctx)


def render_pdf(rows: list[dict[str, Any]], about: About, lang: str = "en") -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 - slow to import; only PDF output needs it

    return bytes(HTML(string=render_html(rows, about, lang)).write_pdf())
