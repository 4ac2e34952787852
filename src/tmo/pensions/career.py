"""A career: insurance periods in one or more states, read from a JSON document.

    {"agreement": "caricom-1996", "benefit": "old_age", "claim_date": "2026-01-01",
     "periods": [{"country": "BRB", "from": "1990-01-01", "to": "1995-12-31", "earnings": 900},
                 {"country": "TTO", "count": 450, "unit": "week"}],
     "inputs": {"TTO": {"basic": 800, "earnings": 1200}}}

A period is dated (`from`, `to`, both included) or counted (`count` in `unit`: week, month,
quarter, year, day); `scheme` names a scheme of the rules (default: the country's), `earnings`
the reference earnings its formula uses. `inputs` gives per country what a formula needs
beyond periods (`earnings`, `basic`, and for stated schemes `independent`, `theoretical`).
Every problem is an InputError naming the period and what is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from tmo.errors import InputError

UNITS = ("week", "month", "quarter", "year", "day")
BENEFITS = ("old_age", "invalidity")
INPUT_KEYS = ("earnings", "basic", "independent", "theoretical")
CAREER_HINT = ('a career is {"claim_date": "YYYY-MM-DD", "periods": [{"country": "BRB", '
               '"from": "1990-01-01", "to": "1999-12-31"}, {"country": "TTO", "count": 450, '
               '"unit": "week"}]} (docs/pensions.md)')


@dataclass(frozen=True)
class Period:
    """One period of insurance. `number` is its place in the file (1-based), for messages."""

    number: int
    country: str
    count: Fraction
    unit: str
    start: date | None = None
    end: date | None = None
    scheme: str | None = None
    earnings: Fraction | None = None

    @property
    def dated(self) -> bool:
        return self.start is not None

    def label(self) -> str:
        """'period 2 (BRB, 1990-01-01 to 1995-12-31)' or 'period 3 (TTO, 450 weeks)'."""
        if self.start is not None and self.end is not None:
            what = f"{self.start.isoformat()} to {self.end.isoformat()}"
        else:
            what = f"{_number(self.count)} {self.unit}{'s' if self.count != 1 else ''}"
        return f"period {self.number} ({self.country}, {what})"


@dataclass(frozen=True)
class Career:
    """The periods of one person and what the calculation is asked for."""

    periods: tuple[Period, ...]
    claim_date: date
    benefit: str = "old_age"
    agreement: str | None = None
    inputs: dict[str, dict[str, Fraction]] = field(default_factory=dict)

    @property
    def countries(self) -> list[str]:
        return sorted({p.country for p in self.periods})

    def of(self, country: str) -> list[Period]:
        return [p for p in self.periods if p.country == country]

    def with_periods(self, periods: list[Period]) -> Career:
        renumbered = tuple(replace(p, number=i) for i, p in enumerate(periods, start=1))
        return replace(self, periods=renumbered)


def _number(value: Fraction) -> str:
    return str(int(value)) if value.denominator == 1 else f"{float(value):g}"


def parse_career(data: Any, *, agreement: str | None = None) -> Career:
    """A Career from a decoded JSON document; `agreement` (the CLI's --agreement) wins over
    the document's own."""
    if not isinstance(data, dict):
        raise InputError(f"a career is a JSON object, not {type(data).__name__}",
                         hint=CAREER_HINT)
    unknown = sorted(set(data) - {"agreement", "benefit", "claim_date", "periods", "inputs",
                                  "note"})
    if unknown:
        raise InputError(f"unknown career field{'s' if len(unknown) > 1 else ''}: "
                         f"{', '.join(unknown)}", hint=CAREER_HINT)
    raw = data.get("periods")
    if not isinstance(raw, list) or not raw:
        raise InputError("the career has no periods (a non-empty list under 'periods')",
                         hint=CAREER_HINT)
    periods = tuple(_period(i, entry) for i, entry in enumerate(raw, start=1))
    check_overlaps(periods)
    benefit = data.get("benefit", "old_age")
    if benefit not in BENEFITS:
        raise InputError(f"benefit {benefit!r} is not one of {', '.join(BENEFITS)}",
                         hint=CAREER_HINT)
    claim = _claim_date(data.get("claim_date"), periods)
    late = [p for p in periods if p.end is not None and p.end >= claim]
    if late:
        raise InputError(f"{late[0].label()}: ends on or after the claim date "
                         f"{claim.isoformat()}; periods count up to the day before the claim",
                         hint="give a later claim_date or end the period earlier")
    chosen = agreement or data.get("agreement")
    if chosen is not None and not isinstance(chosen, str):
        raise InputError("agreement is a rules id such as 'caricom-1996'", hint=CAREER_HINT)
    return Career(periods, claim, benefit, chosen, _inputs(data.get("inputs", {})))


def _period(number: int, entry: Any) -> Period:
    where = f"period {number}"
    if not isinstance(entry, dict):
        raise InputError(f"{where}: a period is an object, not {type(entry).__name__}",
                         hint=CAREER_HINT)
    unknown = sorted(set(entry) - {"country", "scheme", "from", "to", "count", "unit",
                                   "earnings", "note"})
    if unknown:
        raise InputError(f"{where}: unknown field{'s' if len(unknown) > 1 else ''} "
                         f"{', '.join(unknown)}", hint=CAREER_HINT)
    country = entry.get("country")
    if not isinstance(country, str) or len(country) != 3 or not country.isalpha():
        raise InputError(f"{where}: country {country!r} is not an ISO 3166 alpha-3 code "
                         "(e.g. BRB)", hint=CAREER_HINT)
    where = f"period {number} ({country.upper()})"
    scheme = entry.get("scheme")
    if scheme is not None and not isinstance(scheme, str):
        raise InputError(f"{where}: scheme must be a scheme id such as 'BRB-NIS'",
                         hint=CAREER_HINT)
    earnings = _amount(entry.get("earnings"), f"{where}: earnings")
    if "from" in entry or "to" in entry:
        if "count" in entry or "unit" in entry:
            raise InputError(f"{where}: give either from/to or count/unit, not both",
                             hint=CAREER_HINT)
        start, end = _date(entry.get("from"), f"{where}: from"), _date(entry.get("to"),
                                                                         f"{where}: to")
        if end < start:
            raise InputError(f"{where}: ends ({end.isoformat()}) before it starts "
                             f"({start.isoformat()})", hint="swap from and to")
        weeks = Fraction(((end - start).days + 1) // 7)
        return Period(number, country.upper(), weeks, "week", start, end, scheme, earnings)
    count, unit = entry.get("count"), entry.get("unit")
    if isinstance(count, bool) or not isinstance(count, int | float) or count <= 0:
        raise InputError(f"{where}: count must be a positive number, not {count!r}",
                         hint="or give the period's from and to dates")
    if unit not in UNITS:
        raise InputError(f"{where}: unit {unit!r} is not one of {', '.join(UNITS)}",
                         hint=CAREER_HINT)
    return Period(number, country.upper(), Fraction(str(count)), unit, scheme=scheme,
                  earnings=earnings)


def _date(value: Any, where: str) -> date:
    if not isinstance(value, str):
        raise InputError(f"{where} is missing or not a date (YYYY-MM-DD)", hint=CAREER_HINT)
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(f"{where}: {value!r} is not a date (YYYY-MM-DD)",
                         hint=CAREER_HINT) from exc


def _amount(value: Any, where: str) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"{where}: {value!r} is not a number", hint=CAREER_HINT)
    if value < 0:
        raise InputError(f"{where}: {value:g} is negative; earnings and amounts are zero or "
                         "more", hint="enter the earnings as a positive amount")
    return Fraction(str(value))


def check_overlaps(periods: tuple[Period, ...] | list[Period]) -> None:
    """InputError naming the first two dated periods that overlap (a period of insurance
    counts once, whatever the state)."""
    dated = sorted((p for p in periods if p.start is not None),
                   key=lambda p: (p.start, p.end, p.number))
    latest: Period | None = None
    for period in dated:
        assert period.start is not None
        assert period.end is not None
        if latest is not None and latest.end is not None and period.start <= latest.end:
            days = (min(latest.end, period.end) - period.start).days + 1
            first, second = sorted((latest, period), key=lambda p: p.number)
            raise InputError(f"{first.label()} and {second.label()} overlap by {days} day"
                             f"{'s' if days != 1 else ''}; a period of insurance counts once",
                             hint="shorten or split one of them")
        if latest is None or (latest.end is not None and period.end > latest.end):
            latest = period


def _claim_date(value: Any, periods: tuple[Period, ...]) -> date:
    if value is not None:
        return _date(value, "claim_date")
    ends = [p.end for p in periods if p.end is not None]
    if not ends:
        raise InputError("no claim_date and no dated period to take it from",
                         hint='give "claim_date": "YYYY-MM-DD", the day the pension would '
                              "start")
    return max(ends) + timedelta(days=1)


def _inputs(raw: Any) -> dict[str, dict[str, Fraction]]:
    if not isinstance(raw, dict):
        raise InputError("inputs is an object of country to values, e.g. "
                         '{"TTO": {"basic": 800}}', hint=CAREER_HINT)
    out: dict[str, dict[str, Fraction]] = {}
    for country, values in raw.items():
        if not isinstance(values, dict):
            raise InputError(f"inputs.{country} is an object such as "
                             '{"earnings": 1000}', hint=CAREER_HINT)
        unknown = sorted(set(values) - set(INPUT_KEYS))
        if unknown:
            raise InputError(f"inputs.{country}: unknown field {', '.join(unknown)} (known: "
                             f"{', '.join(INPUT_KEYS)})", hint=CAREER_HINT)
        out[str(country).upper()] = {
            k: v for k, v in ((k, _amount(values[k], f"inputs.{country}.{k}"))
                              for k in values) if v is not None}
    return out
