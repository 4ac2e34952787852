"""`tmo survey estimate` and `tmo survey rake`: the table fits 80 columns, the machine
formats carry every field, the raked weights meet the margins (a census file, or the
fixture store's population, whose hand-made figures are in tests/fixture_store/figures.py)."""

from __future__ import annotations

import importlib.metadata
import io
import json
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from tmo.cli import cli

from ..fixture_store import figures

DESIGN = "weight=finalwgt,strata=stratid,psu=psuid"


@pytest.fixture(scope="module")
def nhanes2() -> Path:
    path = Path(str(importlib.metadata.distribution("samplics").locate_file(
        "samplics/datasets/data/nhanes2.csv")))
    assert path.is_file(), f"{path} missing: install the test extra (pip install -e '.[test]')"
    return path


def _run(*args: str, columns: int = 80) -> str:
    result = CliRunner().invoke(cli, ["survey", *args], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def test_estimate_prints_a_table_within_80_columns(nhanes2: Path) -> None:
    out = _run("estimate", str(nhanes2), "--design", DESIGN, "--mean", "zinc",
               "--proportion", "highbp", "--by", "race")
    lines = [line.rstrip() for line in out.splitlines()]
    assert max(len(line) for line in out.splitlines()) <= 80
    means = lines[lines.index("Mean of zinc"):]
    first = next(line.split() for line in means if line.split()[:1] == ["all"])
    assert first[1:3] == ["87.182", "0.4945"]  # the published figures, as printed
    shares = lines[lines.index("Shares of the answers to highbp (%, SE in points)"):]
    assert any(line.split()[:2] == ["race=3", "1"] for line in shares)
    assert "31 strata (stratid); 62 PSUs (psuid)" in out


def test_estimate_json_and_suppression(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("w,s,p,x\n1,a,1,3\n2,a,2,4\n1,b,3,5\n3,b,4,\n")
    doc = json.loads(_run("estimate", str(path), "--design", "weight=w,strata=s,psu=p",
                          "--mean", "x", "--format", "json"))
    [row] = doc["estimates"]
    assert (row["status"], row["reasons"], row["estimate"], row["n"], row["missing"]) == \
        ("suppressed", "few_respondents", None, 3, 1)


def test_estimate_with_replicates_says_so(nhanes2: Path) -> None:
    out = _run("estimate", str(nhanes2), "--design", DESIGN, "--mean", "zinc",
               "--replicates", "jkn", "--format", "csv")
    row = pd.read_csv(io.StringIO(out)).iloc[0]
    assert (row["method"], round(row["se"], 4)) == ("jkn", 0.4945)


def test_bad_input_is_one_line_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("w,x\n1,2\nmany,3\n")
    result = CliRunner().invoke(cli, ["survey", "estimate", str(path), "--design", "weight=w",
                                      "--mean", "x"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0] == "error: r.csv: row 3, column 'w': weight is 'many', not a number"
    assert lines[1].startswith("hint: ")
    assert len(lines) == 2


def _sample(tmp_path: Path) -> Path:
    path = tmp_path / "r.csv"
    pd.DataFrame({"w": [10.0, 20, 30, 40, 50, 60], "sex": ["F", "M"] * 3,
                  "age": ["young", "young", "old", "old", "young", "old"]}).to_csv(path,
                                                                                   index=False)
    return path


def test_rake_to_a_census_file(tmp_path: Path) -> None:
    margins = tmp_path / "m.csv"
    margins.write_text("variable,category,total,source\nsex,F,600,census table 1\n"
                       "sex,M,400,census table 1\nage,young,700,census table 2\n"
                       "age,old,300,census table 2\n")
    out = tmp_path / "raked.csv"
    text = _run("rake", str(_sample(tmp_path)), "--design", "weight=w", "--margins",
                str(margins), "--out", str(out))
    raked = pd.read_csv(out)
    assert raked.groupby("sex").raked_weight.sum().to_dict() == pytest.approx(
        {"F": 600, "M": 400})
    assert raked.groupby("age").raked_weight.sum().to_dict() == pytest.approx(
        {"young": 700, "old": 300})
    assert "census table 2" in text


@pytest.mark.parametrize("source", [(), ("--wpp", "2024")])
def test_rake_to_the_store_population(tmp_path: Path, fixture_store: Path,
                                      source: tuple[str, ...]) -> None:
    out = tmp_path / "raked.csv"
    text = _run("rake", str(_sample(tmp_path)), "--design", "weight=w", "--population", "MDA",
                "--year", "2020", *source, "--sex", "sex:female=F,male=M", "--out", str(out),
                "--db", str(fixture_store), columns=200)
    female, male = figures.POPULATION["MDA"]  # thousands
    raked = pd.read_csv(out)
    assert raked.groupby("sex").raked_weight.sum().to_dict() == pytest.approx(
        {"F": female * 1000, "M": male * 1000})
    assert "view population WHERE source = " + ("'UN WPP'" if source else "'UN DESA IMS'") in text


def test_where_is_a_domain_of_the_whole_design(nhanes2: Path) -> None:
    """--where race=2 gives the domain estimate (the weighted mean of race 2, on the
    design's 31 df), and --by crosses it with each region."""
    out = _run("estimate", str(nhanes2), "--design", DESIGN, "--mean", "zinc", "--where",
               "race=2", "--by", "region", "--format", "json")
    rows = {r["domain"]: r for r in json.loads(out)["estimates"]}
    assert rows["race=2"]["df"] == 31
    frame = pd.read_csv(nhanes2)
    inside = frame[(frame.race == 2) & frame.zinc.notna()]
    weighted = (inside.finalwgt * inside.zinc).sum() / inside.finalwgt.sum()
    assert rows["race=2"]["estimate"] == pytest.approx(weighted, rel=1e-12)
    assert set(rows) == {"race=2", *(f"race=2, region={r}" for r in (1, 2, 3, 4))}
