"""The published conventions, each a named option, and the hand-made check: a small table
with an unknown origin and a state split whose stock-differencing flows are written by
hand below (issue #12)."""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np
import pytest

from tmo.errors import InputError
from tmo.flows import demographic_accounting as da
from tmo.flows import estimate, estimate_many
from tmo.flows.calendar import covered, period_weights
from tmo.flows.conventions import PERIOD_OFFSET, PREVIOUS, PUBLISHED, SUCCESSORS, Conventions
from tmo.flows.estimate_store import (
    Inputs,
    assemble,
    estimate_tables,
    fill_native_born,
    flow_frame,
    merge_successors,
    population_by_sex,
)
from tmo.flows.pseudo_bayes import bfh_weight

PLACES = ["DEU", "FRA", "SDN", "SSD"]
YEARS = [1990, 1995, 2000, 2005]
# foreign-born of known origin: (year, birthplace, residence) -> persons. South Sudan
# (SSD) splits from Sudan (SDN): until 1995 its people and its immigrants are Sudan's.
KNOWN = {
    1990: {("SDN", "DEU"): 100, ("SDN", "FRA"): 50, ("DEU", "FRA"): 200, ("FRA", "DEU"): 300,
           ("DEU", "SDN"): 10},
    1995: {("SDN", "DEU"): 130, ("SDN", "FRA"): 40, ("DEU", "FRA"): 230, ("FRA", "DEU"): 290,
           ("DEU", "SDN"): 12},
    2000: {("SDN", "DEU"): 120, ("SDN", "FRA"): 60, ("DEU", "FRA"): 250, ("FRA", "DEU"): 310,
           ("DEU", "SDN"): 8, ("DEU", "SSD"): 5, ("SDN", "SSD"): 20, ("SSD", "DEU"): 15},
    2005: {("SDN", "DEU"): 125, ("SDN", "FRA"): 70, ("DEU", "FRA"): 240, ("FRA", "DEU"): 320,
           ("DEU", "SDN"): 8, ("DEU", "SSD"): 9, ("SDN", "SSD"): 25, ("SSD", "DEU"): 18},
}
UNKNOWN = {1990: {"DEU": 40}, 1995: {"DEU": 70}, 2000: {"DEU": 70}, 2005: {"DEU": 70}}
POPULATION = {"DEU": 1000, "FRA": 800, "SDN": 500, "SSD": 100}

# Stock differencing by hand (origin = birthplace, destination = residence): the increase
# of each foreign-born stock; in 1990-1995 and 1995-2000 South Sudan has no immigrants of
# its own at the start, so it is merged with Sudan (SSD-born in DEU count as SDN-born,
# DEU-born in SSD as living in SDN). Unknown origins stay out of the foreign-born.
DROP_NEG = {
    (1990, "SDN", "DEU"): 30, (1990, "DEU", "FRA"): 30, (1990, "DEU", "SDN"): 2,
    (1995, "SDN", "DEU"): 135 - 130, (1995, "SDN", "FRA"): 20, (1995, "DEU", "FRA"): 20,
    (1995, "FRA", "DEU"): 20, (1995, "DEU", "SDN"): (8 + 5) - 12,
    (2000, "SDN", "DEU"): 5, (2000, "SDN", "FRA"): 10, (2000, "FRA", "DEU"): 10,
    (2000, "DEU", "SSD"): 4, (2000, "SDN", "SSD"): 5, (2000, "SSD", "DEU"): 3,
}
# reversing negatives adds the falls as return flows: 1990-1995 SDN-born in FRA fell by 10
# (FRA -> SDN) and FRA-born in DEU by 10 (DEU -> FRA); 2000-2005 DEU-born in FRA by 10
REV_NEG_EXTRA = {(1990, "FRA", "SDN"): 10, (1990, "DEU", "FRA"): 10,
                 (2000, "FRA", "DEU"): 10}


def hand_inputs() -> Inputs:
    n, at = len(PLACES), {p: i for i, p in enumerate(PLACES)}
    known = np.zeros((1, len(YEARS), n, n))
    unknown = np.zeros((1, len(YEARS), n))
    for y, year in enumerate(YEARS):
        for (b, r), v in KNOWN[year].items():
            known[0, y, at[b], at[r]] = v
        for r, v in UNKNOWN[year].items():
            unknown[0, y, at[r]] = v
    population = np.tile([POPULATION[p] for p in PLACES], (1, len(YEARS), 1)).astype(float)
    zeros = np.zeros((1, len(YEARS) - 1, n))
    return Inputs("hand", ("total",), YEARS, PLACES, known, unknown, population, zeros,
                  zeros, zeros)


def flows_of(conventions: Conventions, method: str) -> dict[tuple[int, str, str], float]:
    tables = assemble(hand_inputs(), conventions)
    results, _ = estimate_tables(tables, (method,))
    frame = flow_frame(tables, method, results[method])
    return {(int(t), str(o), str(d)): float(f) for t, o, d, f in zip(
        frame["period_start"], frame["origin"], frame["destination"], frame["flow"],
        strict=True)}


def test_hand_made_stock_differencing_published() -> None:
    assert flows_of(PUBLISHED, "sd_drop_neg") == DROP_NEG
    expected = dict(DROP_NEG)
    for key, extra in REV_NEG_EXTRA.items():
        expected[key] = expected.get(key, 0) + extra
    assert flows_of(PUBLISHED, "sd_rev_neg") == expected


def test_hand_made_unknown_origins_shared() -> None:
    """The other choice, by hand: DEU's unknown origins (40, then 70) shared over its known
    origins in proportion (100:300, then 130:290)."""
    got = flows_of(PUBLISHED.with_options(unknown_origin="share"), "sd_drop_neg")
    assert got[(1990, "SDN", "DEU")] == pytest.approx(130 + 70 * 130 / 420 - (100 + 40 * 100 / 400))
    assert got[(1990, "FRA", "DEU")] == pytest.approx(290 + 70 * 290 / 420 - (300 + 40 * 300 / 400))


def test_hand_made_without_merging_south_sudan_appears_from_nothing() -> None:
    got = flows_of(PUBLISHED.with_options(merge_states=False), "sd_drop_neg")
    assert got[(1995, "SSD", "DEU")] == 15
    assert got[(1995, "DEU", "SSD")] == 5
    assert (1995, "SDN", "DEU") not in got  # 120 < 130 once SSD-born are apart
    assert (1995, "SSD", "DEU") not in DROP_NEG


def test_hand_made_tables_keep_populations() -> None:
    tables = assemble(hand_inputs(), PUBLISHED)
    deu, sdn = PLACES.index("DEU"), PLACES.index("SDN")
    # unknown origins count as native-born: 1000 - (100 + 300) known immigrants
    assert tables.stocks[0, 0, deu, deu] == 600
    # every column sums to its population
    np.testing.assert_allclose(tables.stocks.sum(-2), hand_inputs().population)
    # merged periods: SSD's row and column moved into Sudan's, SSD empty
    assert tables.merged == {0: [("SSD", "SDN")], 1: [("SSD", "SDN")]}
    assert tables.start[0, 0, :, 3].sum() == 0
    # Sudan-born abroad, Sudan's natives (500 less 10 DEU-born) and South Sudan's 100
    assert tables.start[0, 0, sdn].sum() == 100 + 50 + (500 - 10) + 100
    assert [f.check for f in tables.findings].count("flows_merged_states") == 2


def test_published_conventions_are_named() -> None:
    assert PUBLISHED.name == "published"
    assert (PUBLISHED.unknown_origin, PUBLISHED.merge_states, PUBLISHED.open_method,
            PUBLISHED.mig_rate_total, PUBLISHED.pb_weight, PUBLISHED.wpp2019_periods) == (
        "native-born", True, "open-dr", "wpp-net", 0.13, "july-june")
    assert PREVIOUS.unknown_origin == "share"
    assert SUCCESSORS["SSD"] == "SDN"
    with pytest.raises(InputError, match="unknown convention"):
        PUBLISHED.with_options(colour="blue")
    with pytest.raises(InputError, match="unknown_origin"):
        PUBLISHED.with_options(unknown_origin="guess")
    with pytest.raises(InputError, match="pb_weight"):
        PUBLISHED.with_options(pb_weight=1.5)


def test_wpp2019_periods_run_from_1_july() -> None:
    """WPP 2019's "1990-1995" is 1 July 1990 - 30 June 1995: exactly the interval between
    two IMS stock dates, not 0.9 of it plus 0.1 of the next period."""
    starts = range(1950, 2100, 5)
    july = period_weights(1990, 1995, starts, 5, PERIOD_OFFSET[PUBLISHED.wpp2019_periods])
    assert july == {1990: 1.0}
    assert covered(1990, 1995, july, 5)
    calendar = period_weights(1990, 1995, starts, 5, PERIOD_OFFSET["calendar"])
    assert calendar == pytest.approx({1990: 0.9, 1995: 0.1})
    # IMS 2020's last interval 2015-2020 is WPP 2019's 2015-2020 alone
    assert period_weights(2015, 2020, starts, 5, 0.5) == {2015: 1.0}


def test_native_born_and_unknown_origins() -> None:
    known = np.array([[0.0, 30.0], [20.0, 0.0]])
    unknown = np.array([10.0, 0.0])
    population = np.array([100.0, 50.0])
    dropped, native = fill_native_born(known, unknown, population, "native-born")
    np.testing.assert_allclose(dropped, [[80.0, 30.0], [20.0, 20.0]])
    np.testing.assert_allclose(native, [80.0, 20.0])
    shared, _ = fill_native_born(known, unknown, population, "share")
    np.testing.assert_allclose(shared, [[70.0, 30.0], [30.0, 20.0]])


def test_merge_successors() -> None:
    table = np.arange(9.0).reshape(3, 3)
    merged, (vector,) = merge_successors(table, [np.array([1.0, 2.0, 3.0])], [(2, 1)])
    np.testing.assert_allclose(merged, [[0, 1 + 2, 0], [3 + 6, 4 + 5 + 7 + 8, 0], [0, 0, 0]])
    np.testing.assert_allclose(vector, [1.0, 5.0, 0.0])
    assert merged.sum() == table.sum()


def test_population_by_sex_from_the_wpp_sex_ratio() -> None:
    """(total, female, male) x 1 year x 3 places: place 0 complete in IMS, place 1 only a
    total (WPP gives 60 % women), place 2 only a total and no WPP by sex (its immigrants
    are 25 % women)."""
    ims = np.array([[[100.0, 50.0, 40.0]], [[55.0, 0.0, 0.0]], [[45.0, 0.0, 0.0]]])
    wpp = np.array([[[99.0, 48.0, 0.0]], [[50.0, 30.0, 0.0]], [[49.0, 20.0, 0.0]]])
    immigrants = np.array([[[10.0, 8.0, 4.0]], [[5.0, 4.0, 1.0]], [[5.0, 4.0, 3.0]]])
    out, how = population_by_sex(ims, wpp, immigrants)
    np.testing.assert_allclose(out[:, 0, 0], [100.0, 55.0, 45.0])
    np.testing.assert_allclose(out[:, 0, 1], [50.0, 30.0, 20.0])
    np.testing.assert_allclose(out[:, 0, 2], [40.0, 10.0, 30.0])
    assert how.tolist() == [0, 1, 2]


def _synthetic(seed: int = 3, n: int = 5, batch: tuple[int, ...] = (2,)):
    rng = np.random.default_rng(seed)
    start = rng.integers(0, 60, (*batch, n, n)).astype(float)
    idx = np.arange(n)
    start[..., idx, idx] = 2000.0
    end = start + rng.integers(0, 20, (*batch, n, n))
    end[..., idx, idx] = 2050.0
    births = np.full((*batch, n), 40.0)
    deaths = np.full((*batch, n), 20.0)
    return start, end, births, deaths


def test_pooled_bfh_weight_is_one_per_period() -> None:
    start, end, births, deaths = _synthetic()
    adj = da.adjust_stocks(start, end, births, deaths, list("ABCDE"))
    minimum = da.minimum_migration(adj.start, adj.end)
    independence = da.independence(adj.start, adj.end)
    w = bfh_weight(minimum, independence, pooled=True)
    x, lam = minimum.dense(), independence.dense()
    for b in range(2):
        n_total = x[b].sum()
        k_hat = (n_total**2 - (x[b] ** 2).sum()) / ((x[b] - lam[b]) ** 2).sum()
        assert w[b] == pytest.approx(np.full(5, k_hat / (n_total + k_hat)))
    result = estimate(start, end, births, deaths, "da_pb_closed", weight="bfh-pooled")
    assert result.diagnostics.weights is not None
    np.testing.assert_allclose(result.diagnostics.weights, w)


def test_published_pseudo_bayes_is_the_fixed_published_mix() -> None:
    """Abel & Cohen's da_pb_closed is 0.87 × da_min_closed + 0.13 × the closed independence
    fit, the same weight for every period (their estimation script); the BFH weight on
    tables in persons is about 5e-6 and would make it da_min_closed."""
    tables = assemble(hand_inputs(), PUBLISHED)
    results, _ = estimate_tables(tables, ("da_min_closed", "da_ind_closed", "da_pb_closed"))
    expected = 0.87 * results["da_min_closed"].od + 0.13 * results["da_ind_closed"].od
    np.testing.assert_allclose(results["da_pb_closed"].od, expected, rtol=1e-12, atol=1e-9)
    weights = results["da_pb_closed"].diagnostics.weights
    assert weights is not None
    np.testing.assert_array_equal(weights, 0.13)


def test_one_pass_equals_one_method_at_a_time() -> None:
    start, end, births, deaths = _synthetic(seed=5)
    options: dict[str, dict[str, object]] = {"da_min_open": {"open_method": "open-dr"},
                                             "da_pb_closed": {"weight": 0.3}}
    together = estimate_many(start, end, births, deaths, options=options)
    for method, result in together.items():
        alone = estimate(start, end, births, deaths, method,
                         **options.get(method, {}))  # type: ignore[arg-type]
        np.testing.assert_array_equal(result.od, alone.od)


def test_mig_rate_total_is_the_absolute_wpp_net_migration() -> None:
    inputs = hand_inputs()
    net = np.array([[[30.0, -10.0, -15.0, -5.0]] * 3])
    inputs = dataclasses.replace(inputs, net=net)
    tables = assemble(inputs, PUBLISHED.with_options(merge_states=False))
    results, _ = estimate_tables(tables, ("mig_rate",))
    np.testing.assert_allclose(results["mig_rate"].od.sum((-2, -1)), [[60.0, 60.0, 60.0]])


def test_non_convergence_is_reported_not_raised_and_quiet() -> None:
    """A birthplace that must shrink below the native-born of a residence with no
    immigrants cannot meet its margins (Curaçao in IMS 2020 before 2010): every method
    still gives flows, each non-converged fit is one error finding, no numpy warning."""
    inputs = hand_inputs()
    # FRA: no immigrants at all, and far fewer people born there later
    known = inputs.known.copy()
    known[:, :, :, 1] = 0.0
    known[:, 1:, 1, :] = 0.0
    population = inputs.population.copy()
    births = np.zeros_like(inputs.births)
    deaths = np.zeros_like(inputs.deaths)
    deaths[..., 1] = 300.0
    inputs = Inputs("hand", ("total",), YEARS, PLACES, known, inputs.unknown, population,
                    births, deaths, inputs.net)
    tables = assemble(inputs, PREVIOUS)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        results, findings = estimate_tables(tables)
    assert set(results) == {"sd_drop_neg", "sd_rev_neg", "mig_rate", "da_min_open",
                            "da_min_closed", "da_ind_closed", "da_pb_closed"}
    assert all(np.isfinite(r.od).all() for r in results.values())
    errors = sorted(f.source for f in findings if f.check == "flows_not_converged")
    assert errors == ["IMS hand da_ind_closed", "IMS hand da_min_closed",
                      "IMS hand da_pb_closed", "IMS hand mig_rate"]
    assert all(f.severity == "error" for f in findings if f.check == "flows_not_converged")
    # the published total of mig_rate needs no accounting fit: it converges trivially
    published, _ = estimate_tables(assemble(inputs, PUBLISHED), ("mig_rate",))
    assert published["mig_rate"].diagnostics.converged


def test_numpy_warnings_become_one_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """Floating-point warnings raised while estimating never reach the terminal: however
    many, they are one `flows_numeric` finding."""
    import tmo.flows.estimate_store as glue

    real = glue.estimate_many

    def noisy(*args: object, **kwargs: object) -> object:
        for _ in range(24):
            warnings.warn("overflow encountered in multiply", RuntimeWarning, stacklevel=1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(glue, "estimate_many", noisy)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _, findings = estimate_tables(assemble(hand_inputs(), PUBLISHED), ("sd_drop_neg",))
    numeric = [f for f in findings if f.check == "flows_numeric"]
    assert len(numeric) == 1
    assert numeric[0].message.startswith("24 floating-point warnings")
