"""'What if' comparisons: the same career had the person stayed in one state, or worked one
more year in a state, against the career as it is.

    from tmo.pensions.whatif import compare
    for scenario in compare(career, rules):
        scenario.name, scenario.totals, scenario.difference
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from fractions import Fraction
from typing import Any

from tmo.errors import InputError
from tmo.pensions.calculate import Assessment, assess
from tmo.pensions.career import Career, Period


@dataclass
class Scenario:
    """One variant of the career and its result (or why it cannot be computed)."""

    name: str
    description: str
    result: Assessment | None
    error: str = ""
    difference: dict[str, tuple[Fraction, Fraction]] = field(default_factory=dict)

    @property
    def totals(self) -> dict[str, tuple[Fraction, Fraction]]:
        """Per currency, the lowest and highest total (equal unless a state's choice between
        two amounts is not confirmed)."""
        if self.result is None:
            return {}
        return {cur: (t["low"], t["high"]) for cur, t in self.result.totals.items()}

    @property
    def incomplete(self) -> list[str]:
        """'TTO: earnings' for each state whose amount lacks an input (its total is then
        short of that state's benefit)."""
        if self.result is None:
            return []
        return [f"{s.country}: {', '.join(s.missing)}" for s in self.result.states
                if s.missing]

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "name": self.name, "description": self.description,
            "totals": {c: _pair(v) for c, v in self.totals.items()},
            "difference": {c: _pair(v) for c, v in self.difference.items()},
            "paid": ({s.country: (None if s.paid is None else round(float(s.paid), 6))
                      for s in self.result.states} if self.result else {})}
        if self.error:
            out["error"] = self.error
        if self.incomplete:
            out["missing_inputs"] = self.incomplete
        return out


def _pair(values: tuple[Fraction, Fraction]) -> dict[str, float]:
    return {"low": round(float(values[0]), 6), "high": round(float(values[1]), 6)}


def stayed_in(career: Career, country: str) -> Career:
    """Every period of the career completed in `country` (under its default scheme; the
    earnings of the other states' periods, in their currencies, are not carried over)."""
    moved = [p if p.country == country else replace(p, country=country, scheme=None,
                                                      earnings=None)
             for p in career.periods]
    inputs = {country: career.inputs[country]} if country in career.inputs else {}
    return replace(career.with_periods(moved), inputs=inputs)


def one_more(career: Career, country: str, count: int = 1, unit: str = "year") -> Career:
    """The career plus `count` `unit`s in `country` (counted, so no date can overlap)."""
    extra = Period(len(career.periods) + 1, country, Fraction(count), unit)
    return career.with_periods([*career.periods, extra])


def compare(career: Career, rules: Any, agreement_id: str | None = None) -> list[Scenario]:
    """The career as it is, then for each of its states: had you stayed there for the whole
    career, and with one more year there. Differences are per currency against the career
    as it is."""
    base = Scenario("as entered", "your career as entered",
                    assess(career, rules, agreement_id))
    scenarios = [base]
    for country in career.countries:
        variants = [(f"stayed in {country}", (f"all {len(career.periods)} periods completed in "
                     f"{country}"), stayed_in(career, country)),
                    (f"one more year in {country}", f"one more year of insurance in {country}",
                     one_more(career, country))]
        if len(career.countries) == 1:
            variants = variants[1:]
        for name, description, variant in variants:
            try:
                result = assess(variant, rules, agreement_id)
            except InputError as exc:
                scenarios.append(Scenario(name, description, None, error=str(exc)))
                continue
            scenarios.append(Scenario(name, description, result))
    for scenario in scenarios[1:]:
        if scenario.result is not None:
            zero = (Fraction(0), Fraction(0))
            currencies = sorted(set(base.totals) | set(scenario.totals))
            scenario.difference = {
                c: (scenario.totals.get(c, zero)[0] - base.totals.get(c, zero)[0],
                    scenario.totals.get(c, zero)[1] - base.totals.get(c, zero)[1])
                for c in currencies}
    return scenarios
