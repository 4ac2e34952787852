"""An assessment as JSON or Markdown: the one document, two views."""

from __future__ import annotations

import json
from fractions import Fraction
from typing import Any

from tmo.pensions.calculate import Assessment
from tmo.pensions.formulas import money
from tmo.pensions.ruleset import Rules
from tmo.pensions.whatif import Scenario


def to_json(result: Assessment, rules: Rules, scenarios: list[Scenario] | None = None) -> str:
    doc: dict[str, Any] = result.as_dict()
    doc["sources"] = rules.citation(result.sources)
    if scenarios is not None:
        doc["what_if"] = [s.as_dict() for s in scenarios]
    return json.dumps(doc, indent=2, ensure_ascii=False)


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return money(value) if not isinstance(value, str) else value


def _span(values: tuple[Fraction, Fraction], *, signed: bool) -> str:
    def one(value: Fraction) -> str:
        return (("+" if value >= 0 else "−") + money(abs(value))) if signed else money(value)

    low, high = values
    return one(low) if low == high else f"{one(low)} to {one(high)}"


def to_markdown(result: Assessment, rules: Rules,
                scenarios: list[Scenario] | None = None) -> str:
    lines = [f"# Pension under {result.agreement.name}", "",
             (f"Benefit: {result.benefit.replace('_', '-')}; claim date "
             f"{result.claim_date.isoformat()}; {result.agreement.short} in force from "
             f"{result.agreement.in_force.value}."), "", f"> {result.notes[0]}", "",
             ("| state | own periods | all periods | qualifies alone | independent | "
             "theoretical | pro-rata | paid | why |"), "|---|---|---|---|---|---|---|---|---|"]
    for s in result.states:
        paid = (f"{money(s.paid)} {s.currency}" if s.paid is not None else
                f"{money(s.paid_range[0])}–{money(s.paid_range[1])} {s.currency}"
                if s.paid_range else "–")
        lines.append(f"| {s.country} | {float(s.own_units):g} {s.unit}s | "
                     f"{float(s.total_units):g} {s.unit}s | {_cell(s.qualifies_alone)} | "
                     f"{_cell(s.independent)} | {_cell(s.theoretical)} | {_cell(s.pro_rata)} | "
                     f"{paid} | {s.reason} |")
    lines += ["", "## Total", ""]
    for currency, total in result.totals.items():
        open_part = (f" (between {money(total['low'])} and {money(total['high'])} where a "
                     "choice is not confirmed)" if total["low"] != total["high"] else "")
        lines.append(f"- {money(total['paid'])} {currency}{open_part}")
    lines += ["", "## Step by step", ""]
    for s in result.states:
        lines += [f"### {s.country}", ""]
        lines += [f"{i}. {step.text}" + (f" *[{step.article}]*" if step.article else "")
                  + ("" if step.confirmed else " (not confirmed in a primary source)")
                  for i, step in enumerate(s.steps, start=1)]
        lines.append("")
    if scenarios:
        lines += ["## What if", "", "| scenario | totals | difference |", "|---|---|---|"]
        for sc in scenarios:
            totals = ", ".join(f"{_span(v, signed=False)} {c}"
                               for c, v in sc.totals.items()) or sc.error
            diff = ", ".join(f"{_span(v, signed=True)} {c}" for c, v in sc.difference.items())
            if sc.incomplete:
                totals += f" (missing: {'; '.join(sc.incomplete)})"
            lines.append(f"| {sc.name} | {totals} | {diff} |")
        lines.append("")
    lines += ["## Sources", ""]
    lines += [f"- {c['title']} ({c['kind']}): {c['url']}" for c in rules.citation(result.sources)]
    return "\n".join(lines) + "\n"
