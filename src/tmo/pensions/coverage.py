"""The policy side: the migrants an agreement concerns, from the store's UN DESA stocks
between its member states, by sex, over time.

    from tmo.pensions.coverage import agreement_migrants
    found = agreement_migrants(con, rules.agreements["caricom-1996"])
    found.totals[2024]["total"]          # migrants born in one member, living in another
    found.by_member["JAM"][2024]         # {"emigrants": {...}, "immigrants": {...}}

Read through a named query of tmo.store.facts (stocks_between); no SQL here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from tmo.errors import InputError
from tmo.pensions.ruleset import Agreement
from tmo.store import facts
from tmo.vocabulary import SEXES


@dataclass
class AgreementMigrants:
    """Stocks of migrants between an agreement's members in one IMS revision."""

    agreement: str
    name: str
    revision: str
    members: list[str]
    without_data: list[str]
    years: list[int]
    totals: dict[int, dict[str, int]]
    by_member: dict[str, dict[int, dict[str, dict[str, int]]]]
    files: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"agreement": self.agreement, "name": self.name, "revision": self.revision,
                "members": self.members, "members_without_data": self.without_data,
                "years": self.years,
                "totals": {str(y): t for y, t in self.totals.items()},
                "by_member": {m: {str(y): v for y, v in years.items()}
                              for m, years in self.by_member.items()},
                "source": {"publisher": "UN DESA, International Migrant Stock",
                           "revision": self.revision, "files": self.files}}


def _empty() -> dict[str, int]:
    return dict.fromkeys(SEXES, 0)


def agreement_migrants(con: duckdb.DuckDBPyConnection, agreement: Agreement,
                       revision: str | None = None, partner: str | None = None
                       ) -> AgreementMigrants:
    """Migrants born in one member state and living in another, per year and sex (totals),
    and per member: its emigrants living in the other members and its immigrants from them.
    A bilateral model agreement (the US rules: a partner '*') needs `partner`."""
    members = [m for m in agreement.members.value if m != "*"]
    if agreement.open_partner:
        if partner is None:
            raise InputError(f"{agreement.short} applies to one partner state at a time",
                             hint="name the partner (an ISO3 code)")
        members.append(partner.upper())
    chosen = facts.revision_or_latest(con, revision)
    rows = facts.stocks_between(con, members, chosen)
    totals: dict[int, dict[str, int]] = {}
    by_member: dict[str, dict[int, dict[str, dict[str, int]]]] = {
        m: {} for m in sorted(members)}
    for row in rows:
        year, sex, stock = int(row["year"]), str(row["sex"]), int(row["stock"])
        totals.setdefault(year, _empty())[sex] += stock
        for member, side in ((row["origin"], "emigrants"), (row["destination"], "immigrants")):
            entry = by_member[member].setdefault(year, {"emigrants": _empty(),
                                                        "immigrants": _empty()})
            entry[side][sex] += stock
    seen = {r["origin"] for r in rows} | {r["destination"] for r in rows}
    return AgreementMigrants(agreement.id, agreement.name, chosen, sorted(members),
                             sorted(set(members) - seen), sorted(totals), totals, by_member,
                             sorted({str(r["src_file"]) for r in rows}))
