"""The remittance frames of a store, read once through `tmo.store.facts` (the only I/O of
this package)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import duckdb
import pandas as pd

from tmo.remittances.costs import corridor_summaries
from tmo.remittances.fees import corridor_fees
from tmo.store import facts

KNOMAD = "KNOMAD"


@dataclass(frozen=True)
class RemittanceData:
    """Corridor costs (RPW), the priced corridors' bilateral volumes (World Bank 2017
    matrix) and every volume summed per country, KNOMAD totals (received and paid per
    country and year) and each country's World Bank region."""

    costs: pd.DataFrame  # period, year, sender, receiver, cost_pct, src_file, src_row
    volumes: pd.DataFrame  # source, year, sender, receiver, usd, src_file, src_sheet, src_row
    totals: pd.DataFrame  # year, country, direction, usd, src_file, src_sheet, src_row
    regions: dict[str, str]
    # side ('sender'/'receiver'), country, year, usd, n_rows: every bilateral estimate
    # summed, priced or not (`volumes` holds the priced corridors' rows only)
    volume_totals: pd.DataFrame

    @cached_property
    def fee_rows(self) -> pd.DataFrame:
        """`tmo.remittances.fees.corridor_fees` of every corridor, computed once."""
        return corridor_fees(self.costs, self.volumes)

    def of(self, frame: str, side: str, code: str) -> pd.DataFrame:
        """The rows of `frame` ('costs', 'volumes', 'fee_rows' or 'summaries') whose
        `side` ('sender' or 'receiver') is `code`, through an index built once."""
        key = f"_index_{frame}_{side}"
        whole: pd.DataFrame = getattr(self, frame)
        index = self.__dict__.get(key)
        if index is None:
            index = whole.groupby(side, sort=False).indices
            self.__dict__[key] = index
        positions = index.get(code)
        return whole.iloc[0:0] if positions is None else whole.take(list(positions))

    @cached_property
    def summaries(self) -> pd.DataFrame:
        """`tmo.remittances.costs.corridor_summaries` of every corridor with its source row
        and, where it has one, its volume, fees and cost year (`fee_rows`), computed once."""
        out = corridor_summaries(self.costs).merge(
            self.fee_rows[["sender", "receiver", "usd", "fees", "cost_year"]], how="left",
            on=["sender", "receiver"])
        rows = self.costs.groupby(["sender", "receiver"], as_index=False)["src_row"].first()
        return out.merge(rows, on=["sender", "receiver"], how="left")

    @cached_property
    def latest_total(self) -> dict[tuple[str, str], float]:
        """(side, country) -> every bilateral estimate of the country summed, latest year."""
        latest = (self.volume_totals.sort_values("year")
                  .groupby(["side", "country"], as_index=False).last())
        return {(str(side), str(code)): float(usd) for side, code, usd in
                zip(latest["side"], latest["country"], latest["usd"], strict=True)}

    @cached_property
    def volume_of(self) -> dict[tuple[str, str], float]:
        """(sender, receiver) -> the corridor's bilateral volume summed over its years."""
        sums = self.volumes.groupby(["sender", "receiver"], as_index=False)["usd"].sum()
        return {(str(s), str(r)): float(v) for s, r, v in
                zip(sums["sender"], sums["receiver"], sums["usd"], strict=True)}


def load(con: duckdb.DuckDBPyConnection) -> RemittanceData:
    """Everything the remittance figures need, in five queries: the volumes of the priced
    corridors only (the others have no cost to multiply), and every volume summed per
    country."""
    return RemittanceData(costs=_plain(facts.remittance_cost_rows(con)),
                          volumes=_plain(facts.remittance_volume_rows(con, priced=True)),
                          totals=_plain(facts.remittance_total_rows(con, KNOMAD)),
                          regions=facts.wb_regions(con),
                          volume_totals=_plain(facts.remittance_volume_totals(con)))


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as Python strings: taking rows of Arrow-backed strings costs more
    than the look-ups save (as tmo.store.evidence.ViewCache)."""
    return frame.astype({c: object for c in frame.columns if frame[c].dtype == "str"})
