"""National benefit formulas as pure functions of periods (in the scheme's unit) and inputs.

Each formula kind of rules.schema.yaml has one function here. Amounts are exact fractions
(rounded only for display); a formula that lacks an input (earnings, a class's basic pension,
a stated amount) returns an Amount without value, saying what is missing.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from tmo.pensions.ruleset import BenefitRule

# What a formula computes: the independent benefit (own periods alone), the theoretical
# amount (all periods as if own), or the direct method's amount (own periods, entitlement
# by totalisation; a flat part independent of periods paid in proportion).
WHICH = ("independent", "theoretical", "direct")


@dataclass(frozen=True)
class Amount:
    """A formula's result: the amount (None when an input is missing) and how it came."""

    value: Fraction | None
    explain: str
    missing: str = ""


def money(value: Fraction) -> str:
    """An amount as text with two decimals, half up (the display rounding only)."""
    cents = math.floor(value * 100 + Fraction(1, 2))
    return f"{cents / 100:,.2f}"


def pct(value: Fraction) -> str:
    text = f"{float(value * 100):.4f}".rstrip("0").rstrip(".")
    return f"{text}%"


def units_text(value: Fraction, unit: str) -> str:
    shown = str(value.numerator) if value.denominator == 1 else f"{float(value):,.2f}"
    return f"{shown} {unit}{'' if value == 1 else 's'}"


def _p(rule: BenefitRule, name: str) -> Fraction:
    return Fraction(str(rule.params[name].value))


def _needs(what: str) -> Amount:
    return Amount(None, f"needs {what}", missing=what)


def earnings_steps(rule: BenefitRule, units: Fraction, unit: str,
                   inputs: dict[str, Fraction], which: str) -> Amount:
    """earnings x (base rate + step rate per complete block of step units beyond the base)."""
    del which
    base, steps_of = _p(rule, "base_units"), _p(rule, "step_units")
    steps = math.floor(max(Fraction(0), units - base) / steps_of)
    rate = _p(rule, "base_rate") + _p(rule, "step_rate") * steps
    if "max_rate" in rule.params:
        rate = min(rate, _p(rule, "max_rate"))
    how = (f"{pct(_p(rule, 'base_rate'))} + {pct(_p(rule, 'step_rate'))} x {steps} complete "
           f"block{'s' if steps != 1 else ''} of {units_text(steps_of, unit)} beyond "
           f"{units_text(base, unit)} = {pct(rate)} of earnings")
    earnings = inputs.get("earnings")
    if earnings is None:
        return Amount(None, how + " (needs earnings)", missing="earnings")
    return Amount(rate * earnings, f"{how}: {pct(rate)} x {money(earnings)}")


def class_increments(rule: BenefitRule, units: Fraction, unit: str,
                     inputs: dict[str, Fraction], which: str) -> Amount:
    """The basic pension of the wage class plus an increment (a share of average weekly
    earnings) per complete block of step units beyond the base."""
    del which
    basic_value = rule.params["basic"].value
    basic = inputs.get("basic") if basic_value == "input" else Fraction(str(basic_value))
    if basic is None:
        return _needs("basic")
    base, steps_of = _p(rule, "base_units"), _p(rule, "step_units")
    steps = math.floor(max(Fraction(0), units - base) / steps_of)
    if steps == 0:
        return Amount(basic, f"the basic pension of the wage class, {money(basic)} (no "
                             f"increment: not more than {units_text(base, unit)})")
    earnings = inputs.get("earnings")
    if earnings is None:
        return _needs("earnings")
    increment = _p(rule, "step_rate") * steps * earnings
    return Amount(basic + increment,
                  f"basic {money(basic)} + {pct(_p(rule, 'step_rate'))} x {steps} blocks of "
                  f"{units_text(steps_of, unit)} beyond {units_text(base, unit)} x earnings "
                  f"{money(earnings)} = {money(basic)} + {money(increment)}")


def percentage_scale(rule: BenefitRule, units: Fraction, unit: str,
                     inputs: dict[str, Fraction], which: str) -> Amount:
    """A percentage of the base rate: the base percentage at the base units, then a rate per
    further unit by tiers, capped."""
    del which
    extra = max(Fraction(0), units - _p(rule, "base_units"))
    rate, left, parts = _p(rule, "base_rate"), extra, []
    for tier in rule.params["tiers"].value:
        take = left if tier["units"] is None else min(left, Fraction(str(tier["units"])))
        if take > 0:
            rate += take * Fraction(str(tier["rate"]))
            parts.append(f"{units_text(take, unit)} x {pct(Fraction(str(tier['rate'])))}")
        left -= take
    rate = min(rate, _p(rule, "max_rate"))
    how = (f"{pct(_p(rule, 'base_rate'))} at {units_text(_p(rule, 'base_units'), unit)}"
           + (" + " + " + ".join(parts) if parts else "") + f" = {pct(rate)} (at most "
           f"{pct(_p(rule, 'max_rate'))}) of the base")
    earnings = inputs.get("earnings")
    if earnings is None:
        return Amount(None, how + " (needs earnings)", missing="earnings")
    return Amount(rate * earnings, f"{how}: {pct(rate)} x {money(earnings)}")


def bend_points(rule: BenefitRule, units: Fraction, unit: str,
                inputs: dict[str, Fraction], which: str) -> Amount:
    """A primary insurance amount: percentages of the slices of average monthly earnings
    between the bend points, rounded down; the number of periods does not enter."""
    del units, unit, which
    earnings = inputs.get("earnings")
    if earnings is None:
        return _needs("earnings")
    total, lower, parts = Fraction(0), Fraction(0), []
    for row in rule.params["brackets"].value:
        upper = None if row["up_to"] is None else Fraction(str(row["up_to"]))
        top = earnings if upper is None else min(earnings, upper)
        if top > lower:
            rate = Fraction(str(row["rate"]))
            total += rate * (top - lower)
            parts.append(f"{pct(rate)} of {money(top - lower)}")
        if upper is None or earnings <= upper:
            break
        lower = upper
    if "round_down_to" in rule.params:
        step = _p(rule, "round_down_to")
        total = math.floor(total / step) * step
    return Amount(total, f"{' + '.join(parts)} = {money(total)} (average monthly earnings "
                         f"{money(earnings)})")


def linear(rule: BenefitRule, units: Fraction, unit: str,
           inputs: dict[str, Fraction], which: str) -> Amount:
    """reference x (flat share + accrual per unit), units capped at the maximum (or the full
    reference from the maximum on, with full_at_max_units); under the direct method the flat
    share is paid in proportion to own units over direct_flat_units."""
    del inputs
    reference, flat = _p(rule, "reference"), _p(rule, "flat_share")
    counted = min(units, _p(rule, "max_units"))
    factor = Fraction(1)
    if which == "direct" and "direct_flat_units" in rule.params and flat:
        factor = min(Fraction(1), units / _p(rule, "direct_flat_units"))
    full = rule.params.get("full_at_max_units")
    if full is not None and full.value and units >= _p(rule, "max_units"):
        return Amount(reference, f"the full amount {money(reference)}, reached at "
                                 f"{units_text(_p(rule, 'max_units'), unit)}")
    value = reference * (flat * factor + _p(rule, "accrual") * counted)
    flat_text = (f"{pct(flat)}" + (f" x {units_text(units, unit)}/"
                                    f"{units_text(_p(rule, 'direct_flat_units'), unit)}"
                                    if factor != 1 else ""))
    return Amount(value, f"{money(reference)} x ({flat_text} + {pct(_p(rule, 'accrual'))} x "
                         f"{units_text(counted, unit)}) = {money(value)}")


def stated(rule: BenefitRule, units: Fraction, unit: str,
           inputs: dict[str, Fraction], which: str) -> Amount:
    """The amount the institution states: `independent` or `theoretical` from the inputs."""
    del rule, units, unit
    key = "theoretical" if which == "theoretical" else "independent"
    value = inputs.get(key)
    if value is None:
        return _needs(key)
    return Amount(value, f"{money(value)}, as stated ({key})")


FORMULAS: dict[str, Callable[[BenefitRule, Fraction, str, dict[str, Fraction], str], Amount]] = {
    "earnings_steps": earnings_steps, "class_increments": class_increments,
    "percentage_scale": percentage_scale, "bend_points": bend_points, "linear": linear,
    "stated": stated}


def compute(rule: BenefitRule, units: Fraction, unit: str, inputs: dict[str, Fraction],
            which: str) -> Amount:
    """The amount of `rule` for `units` periods (in `unit`), as `which` (see WHICH)."""
    assert which in WHICH, which
    return FORMULAS[rule.formula_kind](rule, units, unit, inputs, which)


def qualifies(rule: BenefitRule, units: Fraction, inputs: dict[str, Fraction],
              which: str) -> bool:
    """Whether `units` meet the rule's minimum; a stated scheme without a minimum qualifies
    alone when its independent amount is stated."""
    if rule.minimum is not None:
        return units >= Fraction(str(rule.minimum.value))
    if rule.formula_kind == "stated" and which == "independent":
        return "independent" in inputs
    return units > 0


def relative_earnings_position(ratios_pct: dict[str, float] | dict[int, float],
                               us_quarters: int) -> Fraction:
    """20 CFR 404.1918 (Example 1): the sum of the yearly ratios of actual US covered earnings
    to the national average wage (percent), divided by the worker's US quarters of coverage
    and multiplied by 4. Exact: the ratios are read as written."""
    if us_quarters <= 0:
        raise ValueError("us_quarters must be positive")
    total = sum((Fraction(str(v)) for v in ratios_pct.values()), Fraction(0))
    return total / us_quarters * 4


def foreign_to_quarters(count: int | Fraction, per: Fraction | int, round_up: bool = True
                        ) -> int:
    """Quarters from one foreign period (POMS GN 01706.020): count / per, a remainder
    counting as one more quarter when `round_up`."""
    ratio = Fraction(count) / Fraction(per)
    return math.ceil(ratio) if round_up else math.floor(ratio)
