"""Intervals of the projected flows by sex (`tmo projections flows run --scenario draws`,
issue #14): the female and male stocks of a draw are the stored run's (their quantiles are
the stored ones, recomputed here from the draws), and in every draw the flows of each sex
are non-negative and account for the change between that draw's tables: for every place,
inflows minus outflows equal the change in population less births plus deaths.

As in test_flows.py, WPP's 1 July 2030 population of the tiny fixture is first set to
what the median projected stocks and WPP's events imply (the fixture's flat population
cannot be accounted for); the world's change then equals its births less deaths, so no
closure is needed and the expected net of each place is the same in every draw."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
import pytest

from tests.projections.test_flows import SEXES, _inputs
from tmo.projections.flows import DrawFlows, draw_flows, world_lines
from tmo.projections.projection import SEX_ORDER, Settings, draw_stocks
from tmo.projections.stage import read_inputs

DRAWS = 4


def test_the_female_and_male_draws_are_those_of_the_stored_run(projected: Path) -> None:
    """Each sex's quantiles over the draws drawn again are the stored projection's (read
    with plain SQL), and the total of a draw is its female plus its male stock."""
    con = duckdb.connect(str(projected), read_only=True)
    inputs = read_inputs(con, "2024")
    found = con.execute("SELECT max(draws), max(seed) FROM projections").fetchone()
    assert found is not None
    stored = con.execute("""SELECT origin, destination, sex, year, lower95, lower80, median,
                                   upper80 FROM projections WHERE sex <> 'total'
                            AND origin <> 'UN:900' AND destination <> 'UN:900'""").df()
    con.close()
    s = Settings(draws=int(found[0]), seed=int(found[1]))
    drawn = draw_stocks(inputs, s, int(found[0]))  # (n, 3, draws, H)
    np.testing.assert_array_equal(drawn[:, 2], drawn[:, 0] + drawn[:, 1])
    at = {(o, d): i for i, (o, d) in enumerate(zip(inputs.origins, inputs.destinations,
                                                   strict=True))}
    h = {y: j for j, y in enumerate(s.targets)}
    checked = 0
    for sex in ("female", "male"):
        q = np.maximum.accumulate(np.quantile(drawn[:, SEX_ORDER.index(sex)],
                                              [0.025, 0.1, 0.5, 0.9], axis=1), axis=0)
        for r in stored[stored["sex"] == sex].to_dict(orient="records"):
            i, j = at[(r["origin"], r["destination"])], h[int(r["year"])]
            assert tuple(q[:, i, j]) == pytest.approx(
                (r["lower95"], r["lower80"], r["median"], r["upper80"]), rel=1e-9, abs=1e-6)
            checked += 1
    assert checked > 0


@pytest.fixture(scope="module")
def by_sex(projected: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[DrawFlows, pd.Series]:
    """The draws' flows of every sex on a store whose 2030 population the median implies,
    and the net migration (P2030 - P2024) - (births - deaths) expected per (sex, place)."""
    copy = tmp_path_factory.mktemp("flows_by_sex") / "tmo.duckdb"
    shutil.copy(projected, copy)
    con = duckdb.connect(str(copy))
    data = _inputs(con)
    imm = data["imm"].pivot(index="destination", columns="sex", values=["i24", "i30"])
    emi = data["emi"].pivot(index="origin", columns="sex", values="change")
    at = data["pop24"].index
    total = data["pop24"]["total"]
    expected = {}
    for sex in SEXES:
        natural = (data["events"]["b"] - data["events"]["d"]) * data["pop24"][sex] / total
        change = (imm[("i30", sex)].reindex(at).fillna(0) - imm[("i24", sex)].reindex(at)
                  .fillna(0) - emi[sex].reindex(at).fillna(0))
        for country, value in (data["pop24"][sex] + natural + change).items():
            con.execute("""UPDATE base.population_projection SET population = ?
                           WHERE source = 'UN WPP' AND revision = '2024' AND year = 2030
                           AND date = '07-01' AND variant = 'medium' AND sex = ?
                           AND country = ?""", [float(value), sex, country])
        for country, value in change.items():
            expected[(sex, country)] = value
    result = draw_flows(con, "2024", DRAWS)
    con.close()
    return result, pd.Series(expected)


def test_every_draw_of_every_sex_accounts_for_its_tables(by_sex) -> None:
    result, expected = by_sex
    f = result.fixed
    assert f.sexes == SEXES
    assert result.net.shape == (DRAWS, 3, len(f.years) - 1, len(f.places))
    assert not [x for x in result.findings if x.check == "projected_flows_not_converged"
                and "2024" in x.where]
    assert result.smallest >= 0
    for s, sex in enumerate(f.sexes):
        want = expected[sex].reindex(f.places).fillna(0).to_numpy()
        for k in range(DRAWS):
            np.testing.assert_allclose(result.net[k, s, 0], want, atol=1.0)  # persons
    # the draws differ (they are not the median's tables again)
    assert not np.allclose(result.world[0], result.world[1])
    lines = world_lines(result)  # what the run prints: the world's flows per sex too
    assert len(lines) == 3 * (len(f.years) - 1)
    assert any(line.startswith(f"world female {f.years[0]}-{f.years[1]}: ") for line in lines)


def test_the_quantiles_of_each_sex_are_ordered_and_non_negative(by_sex) -> None:
    q = by_sex[0].quantiles  # (median, lower80, upper80, lower95, upper95; sex, ...)
    assert (q >= 0).all()
    assert (q[3] <= q[1] + 1e-6).all()
    assert (q[1] <= q[0] + 1e-6).all()
    assert (q[0] <= q[2] + 1e-6).all()
    assert (q[2] <= q[4] + 1e-6).all()
    # both sexes move: each sex's median flow somewhere positive
    assert all(q[0, s].sum() > 0 for s in range(3))
