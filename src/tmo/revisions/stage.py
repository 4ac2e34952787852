"""Glue: the revision comparison of every pair of revisions the store holds, read through
`tmo.store.changes` and written to `revision_changes` and `revision_events` through the
store's write path (`writer.replace_rows`), on the new file of a build or derived stage.

Pairs: every two IMS revisions (migrant stock, on their common years) and every two WPP
revisions (population by sex, on their common years). Each figure names the files it
comes from (`old_file`, `new_file`); its rows are those of the views with the same key.
"""

from __future__ import annotations

import itertools

import duckdb
import pandas as pd

from tmo.errors import InputError
from tmo.revisions import alerts
from tmo.revisions.compare import (
    CHANGE_COLUMNS,
    EVENT_COLUMNS,
    Release,
    changes,
    country_measures,
    events,
    net_migration_changes,
    series_changes,
)
from tmo.store import changes as store_changes
from tmo.store import facts
from tmo.store.writer import replace_rows

IMS = "IMS"
WPP = "WPP"
OD_MEASURES = frozenset({"emigrants", "emigrant_rate", "emigrant_female_share", "stock"})


def ims_release(con: duckdb.DuckDBPyConnection, revision: str) -> Release:
    """One IMS revision of the store as the comparison's frames."""
    return Release(revision, **store_changes.ims_release_frames(con, revision))


def ims_comparison(con: duckdb.DuckDBPyConnection, old: str, new: str
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(changes, events) of IMS `old` against `new`, with their files and pair columns."""
    a, b = ims_release(con, old), ims_release(con, new)
    table = changes(a, b, countries=store_changes.country_codes(con),
                    regions=store_changes.un_aggregates(con))
    found = events(a, b, table)
    files_old, files_new = store_changes.ims_files(con, old), store_changes.ims_files(con, new)
    od = table["measure"].isin(OD_MEASURES)
    table["old_file"] = od.map({True: files_old["od"], False: files_old["totals"]})
    table["new_file"] = od.map({True: files_new["od"], False: files_new["totals"]})
    pair = {"dataset": IMS, "old_revision": old, "new_revision": new}
    return table.assign(**pair), found.assign(**pair)


def wpp_comparison(con: duckdb.DuckDBPyConnection, old: str, new: str) -> pd.DataFrame:
    """Population by country, sex and common year of WPP `old` against `new`."""
    a, file_a = store_changes.population_series(con, store_changes.WPP, old)
    b, file_b = store_changes.population_series(con, store_changes.WPP, new)
    table = series_changes(a, b, area="country", value="population", measure="population")
    table.loc[table["area"].str.startswith("UN:"), "level"] = "region"
    table.loc[table["area"] == "UN:900", "level"] = "world"
    return table.assign(dataset=WPP, old_revision=old, new_revision=new, old_file=file_a,
                        new_file=file_b)


def net_migration_comparison(con: duckdb.DuckDBPyConnection, old: str, new: str
                             ) -> pd.DataFrame:
    """Net migration by country of WPP `old` against `new` (five-year periods from 1 July
    where either revision publishes them: `compare.net_migration_changes`), over the
    periods the old revision estimated."""
    a, file_a = store_changes.net_migration_series(con, store_changes.WPP, old)
    b, file_b = store_changes.net_migration_series(con, store_changes.WPP, new)
    table = net_migration_changes(a, b)
    # estimates only: the periods that end by the last year of the old revision's
    # estimated populations (later ones are projections of either revision)
    estimated, _ = store_changes.population_series(con, store_changes.WPP, old)
    length = int(max(a["period_years"].max(), b["period_years"].max()))
    table = table[table["year"] + length <= int(estimated["year"].max())]
    return table.assign(dataset=WPP, old_revision=old, new_revision=new, old_file=file_a,
                        new_file=file_b)


FLOWS = "flows"
FLOW_SOURCE = "migration_flows (tmo flows, docs/flows.md)"


def flow_comparisons(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Flows of every two revisions with flows stored, on the runs both hold: the rows of
    `compare.flow_changes`, computed in the store (`store.changes.flow_changes_frame`)."""
    tables = [store_changes.flow_changes_frame(con, old, new, dataset=FLOWS,
                                               source=FLOW_SOURCE)
              for old, new in itertools.combinations(store_changes.flow_revisions(con), 2)]
    return pd.concat(tables, ignore_index=True) if tables else pd.DataFrame()


def write_flow_revisions(con: duckdb.DuckDBPyConnection) -> None:
    """After `tmo flows`: replace the comparison of flows between revisions (none in a
    store written before the comparison existed: `tmo build` again to have it), one
    INSERT ... SELECT per pair of revisions (`store.changes.insert_flow_changes`)."""
    if not store_changes.has_table(con, "revision_changes"):
        return
    store_changes.clear_dataset(con, FLOWS)
    for old, new in itertools.combinations(store_changes.flow_revisions(con), 2):
        store_changes.insert_flow_changes(con, old, new, dataset=FLOWS, source=FLOW_SOURCE)


def comparisons(con: duckdb.DuckDBPyConnection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every pair of revisions of the store compared: (changes, events)."""
    tables, found = [], []
    for old, new in itertools.combinations(facts.revisions(con), 2):
        table, ev = ims_comparison(con, old, new)
        tables.append(table)
        found.append(ev)
    for old, new in itertools.combinations(store_changes.population_revisions(con), 2):
        tables.append(wpp_comparison(con, old, new))
    for old, new in itertools.combinations(store_changes.net_migration_revisions(con), 2):
        tables.append(net_migration_comparison(con, old, new))
    flows = flow_comparisons(con)
    if not flows.empty:
        tables.append(flows)
    pair = ["dataset", "old_revision", "new_revision"]
    empty_c = pd.DataFrame(columns=[*pair, *CHANGE_COLUMNS, "old_file", "new_file"])
    empty_e = pd.DataFrame(columns=[*pair, *EVENT_COLUMNS])
    all_changes = pd.concat(tables, ignore_index=True) if tables else empty_c
    all_events = pd.concat(found, ignore_index=True) if found else empty_e
    return all_changes, all_events


def write_revisions(con: duckdb.DuckDBPyConnection) -> None:
    """The revisions stage: replace `revision_changes` and `revision_events`."""
    table, found = comparisons(con)
    for column in ("old_rank", "new_rank"):
        found[column] = found[column].astype("Int64")
    replace_rows(con, "revision_changes", table, [])
    replace_rows(con, "revision_events", found, [])


def evaluate_alerts(con: duckdb.DuckDBPyConnection, rules: list[alerts.Rule]) -> pd.DataFrame:
    """The alerts the rules raise on this store, as rows of the `alerts` table (this
    build's number); InputError naming a rule whose country the store does not know."""
    build = store_changes.current_build(con)
    known = set(store_changes.country_codes(con))
    revs = facts.revisions(con)
    rows: list[dict] = []
    release = ims_release(con, revs[-1]) if revs and rules else None
    for rule in rules:
        if rule.country not in known:
            raise InputError(f"alert rule {rule.name!r}: the store knows no country "
                             f"{rule.country}", hint="use an ISO3 code of `tmo sql "
                             "\"SELECT iso3, name FROM countries\"`")
        if not revs or release is None:
            continue
        if rule.kind == "corridor_change":
            found = alerts.corridor_alerts(
                rule, store_changes.corridor_series(con, revs[-1], rule.country), revs[-1])
        elif rule.kind == "revision_change":
            found = [] if len(revs) < 2 else alerts.revision_alerts(
                rule, store_changes.revision_changes(
                    con, dataset=IMS, old_revision=revs[-2], new_revision=revs[-1],
                    sex="total", levels=("country", "corridor")))
        else:
            years = sorted(set(release.totals["year"].astype(int)))
            measures = country_measures(release, years, frozenset({rule.country}))
            found = alerts.crossing_alerts(rule, measures, revs[-1],
                                           store_changes.ims_files(con, revs[-1])["totals"])
        rows += [{"country": rule.country, "rule": rule.name, "kind": rule.kind, **a}
                 for a in found]
    return alerts.frame(rows, build)


def write_alerts(con: duckdb.DuckDBPyConnection, rules: list[alerts.Rule]) -> None:
    """The alerts stage: this build's alerts, stored beside those of earlier builds."""
    replace_rows(con, "alerts", evaluate_alerts(con, rules), ["build"])
