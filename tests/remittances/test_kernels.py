"""Properties of the remittance kernels (hypothesis) and a few exact cases by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmo.remittances import costs, fees, targets

QUARTERS = [f"{y}Q{q}" for y in range(2011, 2021) for q in range(1, 5)][:-1]
cost = st.floats(min_value=-2, max_value=40, allow_nan=False)
volume = st.floats(min_value=0, max_value=1e11, allow_nan=False)


@st.composite
def series(draw: st.DrawFn, min_size: int = 1) -> tuple[list[str], list[float]]:
    periods = draw(st.lists(st.sampled_from(QUARTERS), min_size=min_size, unique=True))
    return periods, [draw(cost) for _ in periods]


@st.composite
def cost_frame(draw: st.DrawFn) -> pd.DataFrame:
    rows = []
    for s, r in draw(st.lists(st.tuples(st.sampled_from("ABCD"), st.sampled_from("WXYZ")),
                              min_size=1, max_size=8, unique=True)):
        periods, values = draw(series())
        rows += [{"period": p, "year": int(p[:4]), "sender": s, "receiver": r,
                  "cost_pct": v} for p, v in zip(periods, values, strict=True)]
    return pd.DataFrame(rows)


def test_period_time() -> None:
    assert targets.period_time("2013Q1") == 2013.0
    assert targets.period_time("2020Q3") == 2020.5
    with pytest.raises(ValueError, match="2020-3"):
        targets.period_time("2020-3")


@given(st.floats(-5, 5), st.floats(0, 20), series(min_size=2))
@settings(max_examples=40)
def test_trend_recovers_a_straight_line(slope: float, start: float,
                                        drawn: tuple[list[str], list[float]]) -> None:
    periods = drawn[0]
    values = [start + slope * (targets.period_time(p) - 2011) for p in periods]
    found = costs.trend(periods, values)["slope_pp_per_year"]
    assert found == pytest.approx(slope, abs=1e-9)


@given(series(min_size=2), st.randoms())
@settings(max_examples=30)
def test_trend_does_not_depend_on_row_order(drawn: tuple[list[str], list[float]],
                                            rnd) -> None:
    periods, values = drawn
    pairs = list(zip(periods, values, strict=True))
    rnd.shuffle(pairs)
    a = costs.trend(periods, values)
    b = costs.trend([p for p, _ in pairs], [v for _, v in pairs])
    assert a["slope_pp_per_year"] == pytest.approx(b["slope_pp_per_year"])
    assert (a["first"], a["last"]) == (b["first"], b["last"])


@given(series(min_size=2))
@settings(max_examples=30)
def test_trend_equals_numpy_polyfit(drawn: tuple[list[str], list[float]]) -> None:
    periods, values = drawn
    t = [targets.period_time(p) for p in periods]
    expected = np.polyfit(t, values, 1)[0]
    assert costs.trend(periods, values)["slope_pp_per_year"] == pytest.approx(expected,
                                                                              abs=1e-6)


def test_trend_of_one_quarter_has_no_slope() -> None:
    assert costs.trend(["2020Q3"], [4.0])["slope_pp_per_year"] is None
    assert costs.trend([], [])["quarters"] == 0


@given(series())
@settings(max_examples=40)
def test_quarters_split_into_three_disjoint_sets(drawn: tuple[list[str], list[float]]) -> None:
    periods, values = drawn
    above = costs.quarters_above_ceiling(periods, values)
    meet = costs.quarters_meeting_average(periods, values)
    assert not set(above) & set(meet)
    between = [p for p, v in zip(periods, values, strict=True) if 3 < v <= 5]
    assert len(above) + len(meet) + len(between) == len(periods)


def test_thresholds_are_inclusive_as_sdg_10c_says() -> None:
    assert costs.quarters_above_ceiling(["2020Q1", "2020Q2"], [5.0, 5.01]) == ["2020Q2"]
    assert costs.quarters_meeting_average(["2020Q1", "2020Q2"], [3.0, 3.01]) == ["2020Q1"]


@given(st.lists(st.tuples(cost, volume), min_size=1))
def test_weighted_mean_lies_between_the_extremes(pairs: list[tuple[float, float]]) -> None:
    values, weights = [v for v, _ in pairs], [w for _, w in pairs]
    found = costs.weighted_mean(values, weights)
    if sum(weights) <= 0:
        assert found is None
    else:
        assert found is not None
        assert min(values) - 1e-9 <= found <= max(values) + 1e-9


@given(cost_frame())
@settings(max_examples=10, deadline=None)
def test_averages_equal_plain_pandas(frame: pd.DataFrame) -> None:
    vols = frame[["sender", "receiver"]].drop_duplicates().assign(usd=1e6, year=2017)
    vols.loc[vols.index[0], "usd"] = 3e6
    found = costs.averages(frame, "receiver", vols)
    out = {(p, r): row for p, r, row in zip(found["period"], found["receiver"],
                                            found.to_dict("records"), strict=True)}
    merged = frame.merge(vols, on=["sender", "receiver"])
    for (p, r), grp in merged.groupby(["period", "receiver"]):
        row = out[(p, r)]
        assert row["n"] == len(grp)
        assert row["simple"] == pytest.approx(grp["cost_pct"].mean())
        assert row["weighted"] == pytest.approx(
            (grp["cost_pct"] * grp["usd"]).sum() / grp["usd"].sum())


@given(cost_frame())
@settings(max_examples=10, deadline=None)
def test_corridor_summaries_equal_trend_per_corridor(frame: pd.DataFrame) -> None:
    summary = costs.corridor_summaries(frame)
    assert len(summary) == len(frame[["sender", "receiver"]].drop_duplicates())
    for row in summary.itertuples():
        one = costs.corridor_series(frame, str(row.sender), str(row.receiver))
        expect = costs.trend(list(one["period"]), list(one["cost_pct"]))
        assert row.quarters == expect["quarters"]
        assert row.latest_cost == expect["last"]["cost_pct"]
        assert row.first_period == expect["first"]["period"]
        if expect["slope_pp_per_year"] is None:
            assert row.slope_pp_per_year is None
        else:
            assert row.slope_pp_per_year == pytest.approx(expect["slope_pp_per_year"],
                                                          abs=1e-9)


@given(volume, cost)
def test_savings_are_ordered_and_bounded(vol: float, pct: float) -> None:
    lost = fees.fees(vol, pct)
    at5, at3 = fees.saving(vol, pct, 5), fees.saving(vol, pct, 3)
    assert 0 <= at5 <= at3
    assert at3 <= max(lost, 0) + 1e-6
    assert math.isclose(fees.saving(vol, pct, 0), max(lost, 0), rel_tol=1e-12, abs_tol=1e-9)


@given(st.lists(st.integers(2011, 2020), min_size=1, unique=True), st.integers(2000, 2030))
def test_cost_year_is_the_nearest_priced(priced: list[int], volume_year: int) -> None:
    chosen = fees.cost_year(priced, volume_year)
    assert chosen in priced
    assert all(abs(y - volume_year) >= abs(chosen - volume_year) for y in priced)
    if volume_year in priced:
        assert chosen == volume_year


def test_cost_year_ties_go_to_the_later_year() -> None:
    assert fees.cost_year([2016, 2018], 2017) == 2018
    assert fees.cost_year([], 2017) is None


@given(cost_frame(), st.integers(2011, 2020))
@settings(max_examples=10, deadline=None)
def test_corridor_fees_use_the_nearest_year_and_sum(frame: pd.DataFrame, year: int) -> None:
    vols = frame[["sender", "receiver"]].drop_duplicates().assign(usd=2e8, year=year)
    out = fees.corridor_fees(frame, vols)
    assert len(out) == len(vols)
    for row in out.itertuples():
        one = frame[(frame["sender"] == row.sender) & (frame["receiver"] == row.receiver)]
        chosen = fees.cost_year(sorted(one["year"].unique()), year)
        assert row.cost_year == chosen
        assert row.years_differ == (chosen != year)
        expect = one.loc[one["year"] == chosen, "cost_pct"].mean()
        assert row.fees == pytest.approx(2e8 * expect / 100)
    total = fees.totals(out)
    assert total["fees"] == pytest.approx(out["fees"].sum())


@pytest.mark.parametrize(("average", "highest", "light"), [
    (2.9, 4.9, "green"), (3.0, 5.0, "green"), (2.5, 7.0, "amber"), (4.0, 6.0, "amber"),
    (5.0, 9.0, "amber"), (5.1, 9.0, "red"), (None, None, "grey")])
def test_traffic_light(average: float | None, highest: float | None, light: str) -> None:
    assert targets.light(average, highest) == light
