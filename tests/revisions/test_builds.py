"""Build-to-build changes on two small builds of the fixture files that differ by known
rows, the store's history of builds, and the alerts of per-country rules."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from tmo.config import Settings
from tmo.errors import InputError
from tmo.pipeline import build_store
from tmo.revisions.alerts import load_rules, parse_rules
from tmo.revisions.stage import evaluate_alerts

from ..fixture_store import figures
from ..fixture_store.make import _small_country_codes, write_sources

OD_2020 = "ims2020_od_by_sex_long.csv.gz"


def read_od(path: Path) -> pd.DataFrame:
    return pd.read_csv(path)


def write_od(path: Path, frame: pd.DataFrame) -> None:
    text = io.StringIO()
    frame.to_csv(text, index=False, lineterminator="\n")
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        fh.write(text.getvalue())


def build(folder: Path, **kw) -> duckdb.DuckDBPyConnection:
    cfg = Settings(home=folder, db_path=folder / "tmo.duckdb", cache_dir=folder / "cache",
                   source_dir=folder / "sources", **kw)
    with _small_country_codes():
        build_store(cfg, keys=["ims_od_2020"], allow_changed=True)
    return duckdb.connect(str(cfg.db_path), read_only=True)


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Three builds: the fixture files; then the IMS 2020 origin-destination file with
    one figure changed (MDA -> ITA, 2020, female +100), one corridor-year removed
    (ROU -> MDA, 1995, both sexes) and one added (ETH -> MDA, 2020: 50 women, 70 men);
    then the same files again."""
    folder = tmp_path_factory.mktemp("builds")
    write_sources(folder / "sources")
    path = folder / "sources" / OD_2020
    (folder / "tmo.duckdb").write_bytes(b"not a store")  # what the first build replaces
    first = build(folder)
    firsts = first.execute("SELECT * FROM build_sources").df()
    row = first.execute("SELECT summary FROM build_history").fetchone()
    assert row is not None
    first_summary = json.loads(row[0])
    first.close()
    od = read_od(path)
    hit = (od["year"] == 2020) & (od["orig_iso3"] == "MDA") & (od["dest_iso3"] == "ITA") \
        & (od["sex"] == "female")
    assert hit.sum() == 1
    od.loc[hit, "stock"] += 100
    gone = (od["year"] == 1995) & (od["orig_iso3"] == "ROU") & (od["dest_iso3"] == "MDA")
    assert gone.sum() == 2
    od = od[~gone]
    new = pd.DataFrame([[2020, "ETH", "MDA", sex, n, 1, 0, 0, 0]
                        for sex, n in (("female", 50), ("male", 70))], columns=od.columns)
    write_od(path, pd.concat([od, new], ignore_index=True))
    second = build(folder)
    from tmo.cli.changes import build_summary
    summary_2 = build_summary(folder / "tmo.duckdb")
    after_second = {t: second.execute(f"SELECT * FROM {t}").df() for t in
                    ("build_history", "build_sources", "build_view_changes")}
    second.close()
    third = build(folder)
    after_third = {t: third.execute(f"SELECT * FROM {t}").df() for t in
                   ("build_history", "build_sources", "build_view_changes")}
    third.close()
    return {"first": firsts, "first_summary": first_summary, "second": after_second,
            "third": after_third,
            "summary": build_summary(folder / "tmo.duckdb"), "summary_2": summary_2,
            "db": folder / "tmo.duckdb"}


def test_first_build_has_nothing_to_compare(history) -> None:
    assert set(history["first"]["status"]) == {"first"}
    assert set(history["first"]["build"]) == {1}
    # the file it replaced was no store: said, not taken for an empty history
    assert "previous_unreadable" in history["first_summary"]


def test_rows_added_removed_and_changed(history) -> None:
    views = history["second"]["build_view_changes"]
    assert views[["build", "view", "added", "removed", "changed"]].values.tolist() == [
        [2, "migrant_stock", 3, 3, 2]]  # female, male, total; the female and its total


def test_which_source_changed(history) -> None:
    sources = history["second"]["build_sources"]
    now = sources[sources["build"] == 2].set_index("source")["status"]
    assert now["ims_od_2020"] == "changed"
    assert set(now.drop("ims_od_2020")) == {"same"}


def test_history_is_kept_and_a_same_build_changes_nothing(history) -> None:
    third = history["third"]
    assert third["build_history"]["build"].tolist() == [1, 2, 3]
    assert third["build_view_changes"]["build"].tolist() == [2]  # build 3 changed nothing
    assert set(third["build_sources"].query("build == 3")["status"]) == {"same"}
    fingerprints = third["build_history"]["previous_fingerprint"].tolist()
    assert fingerprints[0] == ""
    assert all(fingerprints[1:])
    assert history["summary"] == ["Build 3: no source file changed since the previous store"]


def test_the_build_prints_what_changed(history) -> None:
    assert history["summary_2"] == [
        "Build 2: 1 source file(s) changed: ims_od_2020 (changed)",
        "  migrant_stock: 3 added, 3 removed, 2 changed",
        "Details: tmo changes --builds"]


def test_changes_builds_command(history) -> None:
    import json

    from click.testing import CliRunner

    from tmo.cli import cli

    res = CliRunner().invoke(cli, ["changes", "--db", str(history["db"]), "--builds",
                                   "--format", "json"])
    assert res.exit_code == 0, res.output
    builds = json.loads(res.output)["builds"]
    assert [b["build"] for b in builds] == [3, 2, 1]
    assert builds[1]["views"] == [{"build": 2, "view": "migrant_stock", "added": 3,
                                   "removed": 3, "changed": 2}]
    md = CliRunner().invoke(cli, ["changes", "--db", str(history["db"]), "--builds"])
    assert "| ims_od_2020 | ims2020_od_by_sex_long.csv.gz | changed |" in md.output
    assert "| migrant_stock | 3 | 3 | 2 |" in md.output


# ------------------------------------------------------------------------ alerts

RULES = [
    {"name": "mda-corridors", "country": "MDA", "kind": "corridor_change", "threshold": 10},
    {"name": "mda-quiet", "country": "MDA", "kind": "corridor_change", "threshold": 12},
    {"name": "deu-revised", "country": "DEU", "kind": "revision_change",
     "measure": "immigrants", "threshold": 10},
    {"name": "mda-share", "country": "MDA", "kind": "share_crossing",
     "measure": "immigrant_share", "level": 0.3},
]


def test_alerts_on_the_fixture_store(fixture_store: Path) -> None:
    con = duckdb.connect(str(fixture_store), read_only=True)
    try:
        found = evaluate_alerts(con, parse_rules(RULES, "rules"))
    finally:
        con.close()
    by_rule = found.groupby("rule").size().to_dict()
    # every corridor grows by 10/9 from 2020 to 2024 (TENTHS): +11.1 %, above 10, below 12
    mda = {(o, d) for d, origins in figures.OD.items() for o in origins if "MDA" in (o, d)}
    assert by_rule["mda-corridors"] == len(mda)
    assert "mda-quiet" not in by_rule
    # DEU's immigrants in 2020: 110,000 x 8/10 (IMS 2020) -> x 9/10 (IMS 2024): +12.5 %
    deu = found[found["rule"] == "deu-revised"].iloc[0]
    assert (deu["previous"], deu["value"]) == (88_000, 99_000)
    # MDA's immigrant share: 8,000 x 9/10 / 2,500,000 = 0.288 % in 2020, 0.32 % in 2024
    share = found[found["rule"] == "mda-share"].iloc[0]
    assert (round(share["previous"], 3), round(share["value"], 2)) == (0.288, 0.32)
    assert "rose above 0.3 %" in share["message"]
    cor = found[(found["rule"] == "mda-corridors") & (found["partner"] == "MDA")
                & (found["area"] == "ITA")].iloc[0]
    assert (cor["previous"], cor["value"], cor["year"]) == (45_000, 50_000, 2024)
    assert cor["source"].startswith("undesa_pd_2024_ims_stock_by_sex_destination_and_origin")


@pytest.mark.parametrize(("text", "problem"), [
    ("- {country: MDA, kind: corridor_change}\n", ("rule 1: a corridor_change rule needs "
     "`threshold`")),
    ("- {country: MDA, kind: rising, threshold: 3}\n", "rule 1: `kind` must be one of"),
    ("- {country: Moldova, kind: share_crossing, level: 3}\n", "rule 1: `country` must be"),
    ("- {country: MDA, kind: share_crossing, level: 3, measure: stock}\n",
     "`measure` of a share_crossing rule must be one of"),
    ("- {country: MDA, kind: corridor_change, threshold: -1}\n", "must be a number, zero"),
    ("rules: [\n", "line 2: not valid YAML"),
])
def test_a_bad_rules_file_is_one_line(tmp_path: Path, text: str, problem: str) -> None:
    path = tmp_path / "alerts.yaml"
    path.write_text(text)
    with pytest.raises(InputError) as err:
        load_rules(path)
    assert str(err.value).startswith(str(path))
    assert problem in str(err.value)
    assert "\n" not in str(err.value)


def test_a_bad_rules_file_stops_the_build_before_it_starts(tmp_path: Path) -> None:
    rules = tmp_path / "alerts.yaml"
    rules.write_text("- {country: MDA, kind: nonsense}\n")
    store = tmp_path / "tmo.duckdb"
    store.write_bytes(b"previous store")
    cfg = Settings(home=tmp_path, db_path=store, cache_dir=tmp_path / "cache",
                   source_dir=tmp_path, alerts=rules)
    with pytest.raises(InputError, match="rule 1: `kind` must be one of"):
        build_store(cfg)
    assert store.read_bytes() == b"previous store"


def test_a_store_older_than_monitoring_is_one_line(fixture_store: Path, tmp_path: Path
                                                  ) -> None:
    import shutil

    from click.testing import CliRunner

    from tmo.cli import cli

    db = tmp_path / "old.duckdb"
    shutil.copy(fixture_store, db)
    con = duckdb.connect(str(db))
    con.execute("DROP VIEW build_history")  # as a store written before them
    con.close()
    res = CliRunner().invoke(cli, ["changes", "--db", str(db), "--builds"])
    assert res.exit_code == 1
    assert res.output.splitlines() == [
        "error: this store was built before the monitoring views (build_history)",
        "hint: build it again with `tmo build` (docs/monitoring.md)"]
