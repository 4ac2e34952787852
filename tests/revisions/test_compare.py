"""The revision comparison kernel on hand-made revisions whose answers are worked out
below by hand, and its invariants as hypothesis properties."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.revisions.compare import (
    Release,
    changes,
    concentration,
    events,
    flow_changes,
    rank_changes,
    trend_reversals,
)


def od(rows: list[tuple[int, str, str, int]]) -> pd.DataFrame:
    """Both-sexes rows (year, origin, destination, stock) plus female = 40 % of them and
    male = the rest, as the store holds them."""
    out = []
    for year, o, d, stock in rows:
        female = stock * 4 // 10
        out += [(year, o, d, "total", stock), (year, o, d, "female", female),
                (year, o, d, "male", stock - female)]
    return pd.DataFrame(out, columns=["year", "origin", "destination", "sex", "stock"])


def release(revision: str, rows: list[tuple[int, str, str, int]],
            population: dict[str, int]) -> Release:
    stocks = od(rows)
    totals = stocks.groupby(["year", "destination", "sex"], as_index=False)["stock"].sum()
    world = stocks.groupby(["year", "sex"], as_index=False)["stock"].sum().assign(
        destination="UN:900")
    pop = pd.DataFrame([(y, c, p) for y in sorted({r[0] for r in rows})
                        for c, p in population.items()],
                       columns=["year", "country", "population"])
    return Release(revision, stocks, pd.concat([totals, world], ignore_index=True), pop)


# Destination DEU's origins. Old revision 2015: TUR 300, POL 200, ITA 100, SYR 50;
# 2020: TUR 310, POL 250, ITA 90, SYR 60. New revision 2020: POL 320, TUR 280,
# SYR 100, ITA 80, and a new corridor UKR 40; ITA 2015 -> 2020 rises in the new
# revision (70 -> 80) but fell in the old (100 -> 90): a reversed trend. GRC -> DEU
# (30 in the old 2020) is not in the new one: vanished. The new revision adds 2024.
OLD = release("2020", [
    (2015, "TUR", "DEU", 300), (2015, "POL", "DEU", 200), (2015, "ITA", "DEU", 100),
    (2015, "SYR", "DEU", 50),
    (2020, "TUR", "DEU", 310), (2020, "POL", "DEU", 250), (2020, "ITA", "DEU", 90),
    (2020, "SYR", "DEU", 60), (2020, "GRC", "DEU", 30),
], {"DEU": 10_000, "TUR": 50_000, "POL": 20_000, "ITA": 30_000, "SYR": 9_000, "GRC": 5_000})
NEW = release("2024", [
    (2015, "TUR", "DEU", 290), (2015, "POL", "DEU", 210), (2015, "ITA", "DEU", 70),
    (2015, "SYR", "DEU", 50),
    (2020, "TUR", "DEU", 280), (2020, "POL", "DEU", 320), (2020, "ITA", "DEU", 80),
    (2020, "SYR", "DEU", 100), (2020, "UKR", "DEU", 40),
    (2024, "TUR", "DEU", 999),
], {"DEU": 10_000, "TUR": 50_000, "POL": 20_000, "ITA": 30_000, "SYR": 9_000, "UKR": 40_000})
COUNTRIES = ["DEU", "TUR", "POL", "ITA", "SYR", "GRC", "UKR"]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return changes(OLD, NEW, countries=COUNTRIES)


def one(table: pd.DataFrame, **where: object) -> pd.Series:
    rows = table
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_only_common_years(table: pd.DataFrame) -> None:
    assert sorted(table["year"].unique()) == [2015, 2020]


def test_world_and_country_figures(table: pd.DataFrame) -> None:
    world = one(table, level="world", measure="immigrants", sex="total", year=2020)
    assert (world["old_value"], world["new_value"]) == (740, 820)  # 310+250+90+60+30
    assert world["change"] == 80
    assert world["relative"] == pytest.approx(100 * 80 / 740)
    deu = one(table, level="country", area="DEU", measure="immigrant_share", year=2020)
    assert (deu["old_value"], deu["new_value"]) == (pytest.approx(7.4), pytest.approx(8.2))
    tur = one(table, level="country", area="TUR", measure="emigrants", sex="total", year=2020)
    assert (tur["old_value"], tur["new_value"], tur["change"]) == (310, 280, -30)
    female = one(table, level="country", area="DEU", measure="immigrant_female_share",
                 year=2020)
    assert female["new_value"] == pytest.approx(100 * (112 + 128 + 32 + 40 + 16) / 820)


def test_corridor_in_one_revision_keeps_the_other_side_empty(table: pd.DataFrame) -> None:
    ukr = one(table, level="corridor", area="DEU", partner="UKR", sex="total", year=2020)
    assert math.isnan(ukr["old_value"])
    assert ukr["new_value"] == 40
    assert math.isnan(ukr["relative"])
    grc = one(table, level="corridor", area="DEU", partner="GRC", sex="total", year=2020)
    assert grc["old_value"] == 30
    assert math.isnan(grc["new_value"])


def test_rank_changes_among_origins() -> None:
    ranks = rank_changes(OLD.od, NEW.od, by="destination", top=3)
    got = {(r.year, r.partner): (r.old_rank, r.new_rank) for r in ranks.itertuples()}
    # 2015: TUR 1, POL 2, ITA 3 in both -> no change; SYR 4 in both.
    # 2020 old: TUR 1, POL 2, ITA 3, SYR 4, GRC 5; new: POL 1, TUR 2, SYR 3, ITA 4, UKR 5.
    assert got == {(2020, "POL"): (2, 1), (2020, "TUR"): (1, 2), (2020, "SYR"): (4, 3),
                   (2020, "ITA"): (3, 4)}


def test_rank_changes_among_destinations() -> None:
    ranks = rank_changes(OLD.od, NEW.od, by="origin", top=3)
    got = {(str(r["area"]), str(r["partner"])):
           tuple("-" if pd.isna(r[k]) else int(r[k]) for k in ("old_rank", "new_rank"))
           for r in ranks.to_dict("records")}
    # every origin has one destination, first where published: only GRC (old only) and
    # UKR (new only) have a rank in one revision and none in the other
    assert got == {("GRC", "DEU"): (1, "-"), ("UKR", "DEU"): ("-", 1)}


def test_events(table: pd.DataFrame) -> None:
    found = events(OLD, NEW, table, top=3)
    kinds = found.groupby("kind")["partner"].apply(sorted).to_dict()
    assert kinds["corridor_appeared"] == ["UKR"]
    assert kinds["corridor_vanished"] == ["GRC"]
    rev = found[found["kind"] == "trend_reversed"]
    # ITA -> DEU 2015-2020: -10 old, +10 new; TUR -> DEU: +10 old, -10 new; emigrants of
    # ITA and TUR the same (one destination each).
    assert sorted(zip(rev["area"], rev["partner"], rev["measure"], strict=True)) == [
        ("DEU", "ITA", "stock"), ("DEU", "TUR", "stock"), ("ITA", "", "emigrants"),
        ("TUR", "", "emigrants")]
    ita = rev[(rev["partner"] == "ITA")].iloc[0]
    assert (ita["period_start"], ita["year"], ita["old_value"], ita["new_value"]) == (
        2015, 2020, -10, 10)


def test_concentration(table: pd.DataFrame) -> None:
    conc = concentration(table, level="country", measure="immigrants", year=2020,
                         groups={"DEU": "Europe"})
    assert conc.total_abs == 80  # only DEU receives migrants
    assert conc.top == [("DEU", 80.0, 100.0)]
    cor = concentration(table, level="corridor", measure="stock", year=2020, top=2)
    # |changes|: POL +70, UKR +40, SYR +40, TUR -30, GRC -30, ITA -10: sum 220
    assert cor.total_abs == 220
    assert cor.top[0] == ("POL>DEU", 70.0, pytest.approx(100 * 70 / 220))


stocks = st.integers(min_value=0, max_value=10**7)


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "B", "C"]), st.sampled_from(["X", "Y"]),
                          st.sampled_from([2015, 2020]), stocks, stocks),
                min_size=1, max_size=12, unique_by=lambda r: r[:3]))
def test_changes_are_new_minus_old(rows: list[tuple[str, str, int, int, int]]) -> None:
    a = release("a", [(y, o, d, s) for o, d, y, s, _ in rows], {})
    b = release("b", [(y, o, d, s) for o, d, y, _, s in rows], {})
    t = changes(a, b, countries=["A", "B", "C", "X", "Y"])
    both = t.dropna(subset=["old_value", "new_value"])
    assert (both["change"] == both["new_value"] - both["old_value"]).all()
    rel = both[both["old_value"] != 0]
    assert ((rel["relative"] - 100 * rel["change"] / rel["old_value"]).abs() < 1e-9).all()
    assert both.loc[both["old_value"] == 0, "relative"].isna().all()
    # the world's revision is the sum of the corridors' revisions, each sex
    for sex in ("total", "female", "male"):
        for year in t["year"].unique():
            cor = t[(t["level"] == "corridor") & (t["sex"] == sex) & (t["year"] == year)]
            world = t[(t["level"] == "world") & (t["sex"] == sex) & (t["year"] == year)
                      & (t["measure"] == "immigrants")]
            assert world["change"].sum() == cor["new_value"].fillna(0).sum() - cor[
                "old_value"].fillna(0).sum()
    conc = concentration(t, level="corridor", measure="stock", year=int(t["year"].max()))
    assert sum(s for _n, _c, s in conc.top) <= 100 + 1e-9


@settings(max_examples=8, deadline=None)
@given(st.lists(st.tuples(stocks, stocks), min_size=2, max_size=6))
def test_a_reversal_is_a_sign_change(values: list[tuple[int, int]]) -> None:
    series = pd.DataFrame({"k": "x", "year": range(2000, 2000 + 5 * len(values), 5),
                           "old_value": [float(a) for a, _ in values],
                           "new_value": [float(b) for _, b in values]})
    found = trend_reversals(series, ["k"])
    assert ((found["old_value"] * found["new_value"]) < 0).all()
    expected = sum((a1 - a0) * (b1 - b0) < 0 for (a0, b0), (a1, b1)
                   in itertools.pairwise(values))
    assert len(found) == expected


def test_a_vanished_corridor_beside_a_growing_unknown_origin() -> None:
    """GRC -> DEU vanishes while DEU's immigrants of unknown origin rise 10 -> 40: the
    event says where the vanished migrants may be counted now."""
    old = release("a", [(2020, "GRC", "DEU", 30), (2020, "OOO", "DEU", 10)], {})
    new = release("b", [(2020, "OOO", "DEU", 40)], {})
    found = events(old, new, changes(old, new, countries=["DEU", "GRC"]))
    grew = found[found["kind"] == "unknown_origin_grew"]
    assert grew[["area", "year", "old_value", "new_value"]].values.tolist() == [
        ["DEU", 2020, 10, 40]]
    assert found[found["kind"] == "corridor_vanished"]["partner"].tolist() == ["GRC"]


def test_flows_compared_on_the_runs_both_revisions_hold() -> None:
    """A flow absent from one revision is zero there (zero flows are not stored); a run
    (method, sex, period) held by one revision only is not compared."""
    cols = ["method", "sex", "period_start", "origin", "destination", "flow"]
    old = pd.DataFrame([("m", "total", 2015, "A", "B", 100.0), ("m", "total", 2015, "C", "B", 5.0),
                        ("m", "total", 2010, "A", "B", 70.0)], columns=cols)
    new = pd.DataFrame([("m", "total", 2015, "A", "B", 80.0), ("m", "total", 2015, "B", "A", 9.0),
                        ("m", "total", 2020, "A", "B", 1.0)], columns=cols)
    t = flow_changes(old, new)
    assert sorted(t["year"].unique()) == [2015]
    cor = t[t["level"] == "corridor"]
    got = {str(r["partner"]): (r["old_value"], r["new_value"], r["change"])
           for r in cor.to_dict("records")}
    assert got == {"A": (100, 80, -20), "C": (5, 0, -5), "B": (0, 9, 9)}
    assert set(cor["measure"]) == {"flow_m"}
    inflow_b = t[(t["measure"] == "inflow_m") & (t["area"] == "B")].iloc[0]
    assert (inflow_b["old_value"], inflow_b["new_value"]) == (105, 80)
    outflow_a = t[(t["measure"] == "outflow_m") & (t["area"] == "A")].iloc[0]
    assert (outflow_a["old_value"], outflow_a["new_value"]) == (100, 80)
