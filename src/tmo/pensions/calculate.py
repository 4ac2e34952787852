"""The calculator: a career under an agreement -> what each state pays, and why.

    from tmo.pensions.calculate import assess
    result = assess(career, load_rules())      # Assessment: states, totals, steps
    result.as_dict()                            # the JSON of `tmo pension --format json`

For each state of the career (in the order of their codes, so the order of periods never
matters): its own periods and all periods in its unit; whether its own periods qualify and
the independent benefit; whether the totalised periods qualify and the theoretical amount;
the pro-rata benefit (theoretical x own / all periods); which one the agreement pays and
why. Every step is a sentence citing the article it applies. Pure: no file, no store.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from tmo.errors import InputError
from tmo.pensions.career import Career, Period
from tmo.pensions.formulas import Amount, compute, money, qualifies, units_text
from tmo.pensions.ruleset import Agreement, BenefitRule, Cited, Rules, Scheme

DISCLAIMER = ("An estimate from published rules as encoded in tmo, not a decision of any "
              "institution and not legal advice; the institutions' own records and rules "
              "decide.")


@dataclass(frozen=True)
class Step:
    """One step of the computation in plain language, with the article it applies."""

    text: str
    article: str = ""
    sources: tuple[str, ...] = ()
    confirmed: bool = True

    def as_dict(self) -> dict[str, Any]:
        return {"text": self.text, "article": self.article, "sources": list(self.sources),
                "confirmed": self.confirmed}


@dataclass
class StateResult:
    """What one state computes and pays."""

    country: str
    scheme: str | None
    scheme_name: str
    currency: str
    unit: str
    periods: list[int]
    own_units: Fraction
    total_units: Fraction
    qualifies_alone: bool | None = None
    qualifies_totalised: bool | None = None
    independent: Fraction | None = None
    theoretical: Fraction | None = None
    ratio: Fraction | None = None
    pro_rata: Fraction | None = None
    paid: Fraction | None = None
    paid_as: str = "none"
    paid_range: tuple[Fraction, Fraction] | None = None
    short: bool = False
    reason: str = ""
    missing: list[str] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        def num(value: Fraction | None) -> float | None:
            return None if value is None else round(float(value), 6)

        return {
            "country": self.country, "scheme": self.scheme, "scheme_name": self.scheme_name,
            "currency": self.currency, "unit": self.unit, "periods": self.periods,
            "own_units": num(self.own_units), "total_units": num(self.total_units),
            "qualifies_alone": self.qualifies_alone,
            "qualifies_totalised": self.qualifies_totalised,
            "independent": num(self.independent), "theoretical": num(self.theoretical),
            "pro_rata_ratio": num(self.ratio), "pro_rata": num(self.pro_rata),
            "paid": num(self.paid), "paid_as": self.paid_as,
            "paid_range": None if self.paid_range is None else [num(v)
                                                                for v in self.paid_range],
            "reason": self.reason, "missing": self.missing,
            "steps": [s.as_dict() for s in self.steps]}


@dataclass
class Assessment:
    """The result for a whole career: each state, and the totals per currency."""

    agreement: Agreement
    benefit: str
    claim_date: date
    states: list[StateResult]
    notes: list[str]
    sources: list[str]

    @property
    def totals(self) -> dict[str, dict[str, Fraction]]:
        """Per currency: `paid` (the sum of what is determined) and, where a state's choice
        is open, `low` and `high`."""
        out: dict[str, dict[str, Fraction]] = {}
        for state in self.states:
            entry = out.setdefault(state.currency, {"paid": Fraction(0), "low": Fraction(0),
                                                    "high": Fraction(0)})
            if state.paid is not None:
                for key in entry:
                    entry[key] += state.paid
            elif state.paid_range is not None:
                entry["low"] += state.paid_range[0]
                entry["high"] += state.paid_range[1]
        return out

    def state(self, country: str) -> StateResult:
        return next(s for s in self.states if s.country == country)

    def as_dict(self) -> dict[str, Any]:
        totals = {cur: {k: round(float(v), 6) for k, v in t.items()}
                  for cur, t in self.totals.items()}
        return {"agreement": {"id": self.agreement.id, "name": self.agreement.name,
                              "in_force": self.agreement.in_force.value},
                "benefit": self.benefit, "claim_date": self.claim_date.isoformat(),
                "states": [s.as_dict() for s in self.states], "totals": totals,
                "notes": self.notes, "sources": self.sources, "disclaimer": DISCLAIMER}


def assess(career: Career, rules: Rules, agreement_id: str | None = None) -> Assessment:
    """Apply the agreement to the career (InputError on a career the rules cannot take)."""
    agreement = _agreement(rules, agreement_id or career.agreement)
    _check_membership(career, agreement)
    if career.benefit not in agreement.benefits.value:
        raise InputError(f"{agreement.short} does not cover {career.benefit} benefits here "
                         f"(covered: {', '.join(agreement.benefits.value)})",
                         hint="choose --benefit among those or another agreement")
    _check_date(career.claim_date, agreement)
    schemes = _schemes(career, rules)
    for country, scheme in schemes.items():
        if scheme is not None:
            _rule(scheme, career, country)
    states = [_state(country, career, rules, agreement, schemes) for country in
              career.countries]
    _all_short(states, career, agreement)
    notes = [DISCLAIMER, rules.unit_notes["convention"]]
    used = sorted({k for s in states for step in s.steps for k in step.sources})
    return Assessment(agreement, career.benefit, career.claim_date, states, notes, used)


def _agreement(rules: Rules, agreement_id: str | None) -> Agreement:
    known = ", ".join(sorted(rules.agreements))
    if agreement_id is None:
        raise InputError("no agreement chosen", hint=f"give --agreement (one of: {known})")
    if agreement_id not in rules.agreements:
        raise InputError(f"unknown agreement {agreement_id!r}", hint=f"one of: {known}")
    return rules.agreements[agreement_id]


def _check_membership(career: Career, agreement: Agreement) -> None:
    for period in career.periods:
        if not agreement.is_member(period.country):
            raise InputError(f"{period.label()}: {period.country} is not a party to "
                             f"{agreement.short} (parties: "
                             f"{', '.join(agreement.members.value)})",
                             hint="remove the period or choose the agreement that covers it")
    if agreement.open_partner:
        named = set(agreement.members.value) - {"*"}
        partners = sorted(set(career.countries) - named)
        if len(partners) > 1:
            raise InputError(f"{agreement.short} is bilateral: one partner state with "
                             f"{', '.join(sorted(named))}, not {', '.join(partners)}",
                             hint="assess each partner separately")


def _check_date(claim: date, agreement: Agreement) -> None:
    if claim < agreement.start or (agreement.end is not None and claim > agreement.end):
        until = f" until {agreement.end.isoformat()}" if agreement.end else ""
        raise InputError(f"claim date {claim.isoformat()}: {agreement.short} applies from "
                         f"{agreement.start.isoformat()}{until}",
                         hint="give a claim_date within those dates")


def _schemes(career: Career, rules: Rules) -> dict[str, Scheme | None]:
    out: dict[str, Scheme | None] = {}
    for country in career.countries:
        named = {p.scheme for p in career.of(country) if p.scheme is not None}
        if len(named) > 1:
            raise InputError(f"periods of {country} name several schemes "
                             f"({', '.join(sorted(named))}); one scheme per state",
                             hint="split the career per scheme")
        if not named:
            out[country] = rules.scheme_of_country(country)
            continue
        scheme_id = named.pop()
        period = next(p for p in career.of(country) if p.scheme == scheme_id)
        if scheme_id not in rules.schemes:
            raise InputError(f"{period.label()}: unknown scheme {scheme_id!r} (known: "
                             f"{', '.join(sorted(rules.schemes))})",
                             hint="leave `scheme` out to use the country's, or add the "
                                  "scheme's rules file with --rules")
        if rules.schemes[scheme_id].country != country:
            raise InputError(f"{period.label()}: scheme {scheme_id} is "
                             f"{rules.schemes[scheme_id].country}'s, not {country}'s",
                             hint="check the period's country and scheme")
        out[country] = rules.schemes[scheme_id]
    return out


def _rule(scheme: Scheme, career: Career, country: str) -> BenefitRule | None:
    rule = scheme.benefits.get(career.benefit)
    if rule is not None and not rule.holds_on(career.claim_date):
        numbers = [str(p.number) for p in career.of(country)]
        which = f"period{'s' if len(numbers) > 1 else ''} {', '.join(numbers)}"
        raise InputError(
            f"claim date {career.claim_date.isoformat()}: the "
            f"{career.benefit.replace('_', '-')} rule of {scheme.id} (your {which} in "
            f"{country}) holds {rule.validity_text()} only",
            hint="give a claim_date within it, or add the rule in force on your date "
                 "(docs/pensions.md, 'Adding a scheme')")
    return rule


def convert(period: Period, unit: str, rules: Rules,
            table: dict[str, dict[str, Any]] | None = None) -> Fraction:
    """The period in `unit`: by the agreement's conversion `table` for that unit where it
    has one (rounded per period), else exactly by the weeks each unit is worth."""
    if period.unit == unit:
        return period.count
    if table and period.unit in table:
        rule = table[period.unit]
        ratio = period.count / Fraction(str(rule["per"]))
        return Fraction(-(-ratio.numerator // ratio.denominator) if rule["round"] == "up"
                        else ratio.numerator // ratio.denominator)
    weeks = rules.weeks_per_unit
    return period.count * weeks[period.unit] / weeks[unit]


def _inputs(career: Career, country: str) -> dict[str, Fraction]:
    """The country's inputs; earnings from its periods (weighted by length) if not given."""
    values = dict(career.inputs.get(country, {}))
    if "earnings" not in values:
        dated = [p for p in career.of(country) if p.earnings is not None]
        weight = sum((p.count for p in dated), Fraction(0))
        if dated and weight:
            values["earnings"] = sum((p.count * p.earnings for p in dated
                                      if p.earnings is not None), Fraction(0)) / weight
    return values


def _state(country: str, career: Career, rules: Rules, agreement: Agreement,
           schemes: dict[str, Scheme | None]) -> StateResult:
    scheme = schemes[country]
    own = career.of(country)
    numbers = [p.number for p in own]
    if scheme is None or scheme.benefits.get(career.benefit) is None:
        unit = scheme.unit if scheme else "week"
        units = sum((convert(p, unit, rules) for p in own), Fraction(0))
        why = (f"no {career.benefit.replace('_', '-')} rules for {country} in tmo: its "
               "periods count for the other states, its own pension is not computed")
        return StateResult(country, scheme.id if scheme else None,
                           scheme.name if scheme else "", scheme.currency if scheme else "",
                           unit, numbers, units, units, paid_as="not_computed", reason=why,
                           steps=[Step(f"{country}: {units_text(units, unit)}; {why}.")])
    rule = scheme.benefits[career.benefit]
    table = (agreement.rule("conversions").value.get(country)  # type: ignore[union-attr]
             if agreement.rule("conversions") else None)
    own_units = sum((convert(p, scheme.unit, rules) for p in own), Fraction(0))
    others = [p for p in career.periods if p.country != country]
    foreign = sum((convert(p, scheme.unit, rules, table) for p in others), Fraction(0))
    result = StateResult(country, scheme.id, scheme.name, scheme.currency, scheme.unit,
                         numbers, own_units, own_units + foreign)
    _compute(result, _Context(rule, _inputs(career, country), agreement, rules, others, table))
    return result


@dataclass(frozen=True)
class _Context:
    """What one state's computation reads besides its result."""

    rule: BenefitRule
    inputs: dict[str, Fraction]
    agreement: Agreement
    rules: Rules
    others: list[Period]
    table: dict[str, dict[str, Any]] | None


def _cite(rule: Cited | None) -> dict[str, Any]:
    if rule is None:
        return {}
    return {"article": rule.article, "sources": rule.sources, "confirmed": rule.confirmed}


def _compute(result: StateResult, ctx: _Context) -> None:
    rule, inputs, agreement = ctx.rule, ctx.inputs, ctx.agreement
    unit, steps = result.unit, result.steps
    steps.append(Step(f"{result.country} ({result.scheme_name}): your own periods count "
                      f"{units_text(result.own_units, unit)} (period"
                      f"{'s' if len(result.periods) > 1 else ''} "
                      f"{', '.join(map(str, result.periods))})."))
    result.qualifies_alone = qualifies(rule, result.own_units, inputs, "independent")
    minimum = rule.minimum
    need = (f"needs {units_text(Fraction(str(minimum.value)), unit)}" if minimum
            else "has no minimum period in the rules")
    if result.qualifies_alone:
        independent = compute(rule, result.own_units, unit, inputs, "independent")
        result.independent = _take(result, independent)
        steps.append(Step(f"The {_name(result, rule)} {need}: your own periods qualify "
                          f"on their own. Independent benefit (national law alone): "
                          f"{independent.explain}.",
                          **_with_formula(_minimum_cite(rule, agreement), rule)))
    else:
        steps.append(Step(f"The {_name(result, rule)} {need}: your own periods alone do "
                          "not qualify, so there is no independent benefit.",
                          **_minimum_cite(rule, agreement)))
    short = agreement.rule("short_periods")
    if short is not None and not result.qualifies_alone:
        limit = Fraction(str(short.value["count"])) * _weeks(short.value["unit"])
        result.short = result.own_units * _weeks(unit) < limit
    _totalise(result, ctx)
    _award(result, rule, inputs, agreement)


def _with_formula(cite: dict[str, Any], rule: BenefitRule) -> dict[str, Any]:
    """The step's citation plus the sources of the scheme's formula (and whether every one
    of its values is confirmed)."""
    params = [*rule.params.values(), rule.valid_from]
    sources = [*cite.get("sources", ()), *(k for p in params for k in p.sources)]
    return {**cite, "sources": tuple(dict.fromkeys(sources)),
            "confirmed": cite.get("confirmed", True) and all(p.confirmed for p in params)}


def _name(result: StateResult, rule: BenefitRule) -> str:
    return f"{result.scheme} {rule.benefit.replace('_', '-')} pension"


def _minimum_cite(rule: BenefitRule, agreement: Agreement) -> dict[str, Any]:
    """The scheme's minimum's sources, and the agreement's article on the independent
    benefit where it has one (Art. 52(1)(a))."""
    independent = agreement.rule("independent")
    sources = rule.minimum.sources if rule.minimum else ()
    return {"sources": tuple(dict.fromkeys((*sources, *(independent.sources
                                                         if independent else ())))),
            "confirmed": rule.minimum.confirmed if rule.minimum else True,
            "article": independent.article if independent else ""}


def _take(result: StateResult, amount: Amount) -> Fraction | None:
    if amount.value is None and amount.missing and amount.missing not in result.missing:
        result.missing.append(amount.missing)
    return amount.value


def _totalise(result: StateResult, ctx: _Context) -> None:
    rule, inputs, agreement = ctx.rule, ctx.inputs, ctx.agreement
    unit, steps = result.unit, result.steps
    parts = [f"{p.label()} = {units_text(convert(p, unit, ctx.rules, ctx.table), unit)}"
             for p in ctx.others]
    aggregation = agreement.rules["aggregation"]
    steps.append(Step(f"Adding the periods completed in the other states ("
                      f"{'; '.join(parts) if parts else 'none'}) gives "
                      f"{units_text(result.total_units, unit)} in all.", **_cite(aggregation)))
    minimum_own = agreement.rule("minimum_own")
    if minimum_own is not None and minimum_own.value["state"] == result.country:
        floor = Fraction(str(minimum_own.value["count"]))
        if result.own_units < floor:
            result.qualifies_totalised = False
            steps.append(Step(f"{result.country} adds foreign periods only for a worker with "
                              f"at least {units_text(floor, minimum_own.value['unit'])} of "
                              f"its own; you have {units_text(result.own_units, unit)}.",
                              **_cite(minimum_own)))
            return
    result.qualifies_totalised = qualifies(rule, result.total_units, inputs, "theoretical")
    if not result.qualifies_totalised:
        steps.append(Step("Even with all periods added, the minimum is not met: no "
                          "theoretical amount."))
        return
    theoretical = compute(rule, result.total_units, unit, inputs, "theoretical")
    result.theoretical = _take(result, theoretical)
    steps.append(Step(f"Theoretical amount, as if all {units_text(result.total_units, unit)} "
                      f"had been completed under {result.scheme}: {theoretical.explain}.",
                      **_with_formula(_cite(agreement.rules["theoretical"]), rule)))
    _pro_rata(result, rule, agreement)


def _pro_rata(result: StateResult, rule: BenefitRule, agreement: Agreement) -> None:
    unit, pro = result.unit, agreement.rules["pro_rata"]
    denominator = result.total_units
    capped = ""
    if pro.value == "own_over_total_capped" and "max_units" in rule.params:
        cap = Fraction(str(rule.params["max_units"].value))
        if cap < denominator:
            denominator = cap
            capped = f" (all periods capped at the scheme's maximum, {units_text(cap, unit)})"
    result.ratio = min(Fraction(1), result.own_units / denominator) if denominator else None
    if result.ratio is None:
        return
    if result.theoretical is not None:
        result.pro_rata = result.theoretical * result.ratio
    value = (f"{money(result.theoretical)} x {_number(result.own_units)}/"
             f"{_number(denominator)} = {money(result.pro_rata)}"
             if result.theoretical is not None and result.pro_rata is not None
             else "not computed (an input is missing)")
    steps_text = (f"Pro-rata benefit: the theoretical amount times your own periods over all "
                  f"periods{capped}, {units_text(result.own_units, unit)} / "
                  f"{units_text(denominator, unit)}: {value}.")
    result.steps.append(Step(steps_text, **_cite(pro)))
    if result.short:
        short = agreement.rules["short_periods"]
        result.steps.append(Step(
            f"Your periods here total less than "
            f"{units_text(Fraction(str(short.value['count'])), short.value['unit'])} and give "
            "no right on their own: this state owes nothing for them; the other states count "
            "them in their theoretical amounts.", **_cite(short)))


def _number(value: Fraction) -> str:
    return str(value.numerator) if value.denominator == 1 else f"{float(value):,.4g}"


def _weeks(unit: str) -> Fraction:
    return {"week": Fraction(1), "month": Fraction(13, 3), "quarter": Fraction(13),
            "year": Fraction(52), "day": Fraction(1, 7)}[unit]


def _award(result: StateResult, rule: BenefitRule, inputs: dict[str, Fraction],
           agreement: Agreement) -> None:
    award = agreement.award_for(result.country)
    options = {"independent": result.independent if result.qualifies_alone else None,
               "pro_rata": result.pro_rata if result.qualifies_totalised else None}
    how = award.value
    if how == "direct":
        options = {"direct": None}
        if result.qualifies_totalised:
            direct = compute(rule, result.own_units, result.unit, inputs, "direct")
            options["direct"] = _take(result, direct)
            result.steps.append(Step(f"Direct method: your own periods under national law, "
                                     f"entitlement by totalisation: {direct.explain}.",
                                     **_cite(award)))
    elif how == "pro_rata":
        options = {"pro_rata": options["pro_rata"]}
    elif how == "independent_if_qualifies" and result.qualifies_alone:
        options = {"independent": options["independent"]}
    available = {k: v for k, v in options.items() if v is not None}
    if result.short:
        available = {}
    if not available:
        result.paid_as = "none"
        result.reason = ("an input is missing: " + ", ".join(result.missing)
                         if result.missing else "periods under one year: nothing is owed"
                         if result.short else "no benefit: the conditions are not met")
    elif how == "unconfirmed" and len(set(available.values())) > 1:
        low, high = min(available.values()), max(available.values())
        result.paid_as, result.paid_range = "undetermined", (low, high)
        result.reason = ("both amounts exist; which one is paid is not confirmed in the "
                         "rules (" + award.note + ")")
    else:
        result.paid_as = max(available, key=lambda k: (available[k], k))
        result.paid = available[result.paid_as]
        result.reason = _reason(how, result.paid_as, len(available))
    result.steps.append(Step(f"Paid: {_paid_text(result)} ({result.reason}).", **_cite(award)))


def _reason(how: str, paid_as: str, options: int) -> str:
    label = paid_as.replace("_", "-")
    if how == "higher" and options > 1:
        return f"the higher of the independent and pro-rata benefits: the {label} benefit"
    if how == "independent_if_qualifies" and paid_as == "independent":
        return "your own periods qualify, so foreign periods are not used"
    if how == "direct":
        return "the agreement pays by the direct method"
    return f"the only benefit that exists here: the {label} benefit"


def _paid_text(result: StateResult) -> str:
    if result.paid is not None:
        return f"{money(result.paid)} {result.currency}"
    if result.paid_range is not None:
        low, high = result.paid_range
        return f"between {money(low)} and {money(high)} {result.currency}"
    return "nothing"


def _all_short(states: list[StateResult], career: Career, agreement: Agreement) -> None:
    """Art. 57(3): when the short-period rule would relieve every state, the last state
    whose conditions are met pays as if all periods had been completed under its law."""
    short = agreement.rule("short_periods")
    if short is None or len(states) < 2 or not all(s.short for s in states):
        return
    dated = [p for p in career.periods if p.end is not None]
    if len(dated) != len(career.periods):
        raise InputError("every state's periods are under one year: the last state pays for "
                         "all (Art. 57(3)), which needs the periods' dates",
                         hint="give from/to dates for every period")
    order = sorted(dated, key=lambda p: p.end or date.min, reverse=True)
    for period in order:
        state = next(s for s in states if s.country == period.country)
        if state.qualifies_totalised and state.theoretical is not None:
            state.ratio, state.pro_rata = Fraction(1), state.theoretical
            state.paid, state.paid_as = state.theoretical, "pro_rata"
            state.reason = ("every state's periods are under one year: the last state whose "
                            "conditions are met pays as if all periods were its own")
            state.steps.append(Step(f"Paid instead: {money(state.paid)} {state.currency} "
                                    f"({state.reason}).", **_cite(short)))
            return


def shares(result: Assessment) -> dict[str, Fraction]:
    """Each computed state's pro-rata ratio (own over all periods, before Art. 57)."""
    return {s.country: s.own_units / s.total_units for s in result.states
            if s.paid_as != "not_computed" and s.total_units}


def countries_of(periods: Iterable[Period]) -> list[str]:
    return sorted({p.country for p in periods})
