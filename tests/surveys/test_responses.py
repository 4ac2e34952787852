"""Reading responses and designs: exports of ODK Central and KoboToolbox, and bad input
refused in one line naming the file, the row (as a spreadsheet shows it) and the column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from tmo.errors import InputError
from tmo.surveys import mean
from tmo.surveys.responses import DesignSpec, load_design, parse_design, read_responses

ROWS = "w,region,cluster,x\n2,N,1,10\n2,N,2,12\n3,S,3,7\n3,S,4,\n"


def _write(tmp_path: Path, text: str, name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_kobo_and_odk_group_paths_are_stripped(tmp_path: Path) -> None:
    kobo = _write(tmp_path, "grp_a/remit,grp_b/w,_uuid\n5,1,u1\n", "kobo.csv")
    odk = _write(tmp_path, "SubmissionDate,hh-remit,hh-w,meta-instanceID,KEY\n"
                           "2026-01-01,5,1,uuid:1,uuid:1\n", "odk.csv")
    assert list(read_responses(kobo).columns) == ["remit", "w", "_uuid"]
    assert list(read_responses(odk).columns) == ["SubmissionDate", "remit", "w", "meta-instanceID",
                                                 "KEY"]


def test_short_names_that_collide_keep_their_group_path(tmp_path: Path) -> None:
    path = _write(tmp_path, "a/age,b/age,c/sex\n1,2,F\n")
    assert list(read_responses(path).columns) == ["a/age", "b/age", "sex"]


def test_xlsx_reads_like_csv(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    pd.read_csv(_write(tmp_path, ROWS)).to_excel(path, index=False)
    design = load_design(path, parse_design("weight=w,strata=region,psu=cluster"))
    assert mean(design, "x").estimate == pytest.approx((2 * 10 + 2 * 12 + 3 * 7) / 7)


@pytest.mark.parametrize(("text", "message"), [
    ("w,region,cluster,x\n2,N,1,10\nabc,N,2,12\n",
     "r.csv: row 3, column 'w': weight is 'abc', not a number"),
    ("w,region,cluster,x\n2,N,1,10\n-1,N,2,12\n", "r.csv: row 3, column 'w': negative weight"),
    ("w,region,cluster,x\n2,N,1,10\n2,,2,12\n",
     "r.csv: row 3, column 'region': empty design label"),
    ("w,strata,cluster,x\n2,N,1,10\n", "r.csv: no column 'region'"),
])
def test_bad_design_columns_name_file_row_and_column(tmp_path: Path, text: str,
                                                     message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(InputError, match=message.replace("(", r"\(")) as info:
        load_design(path, parse_design("weight=w,strata=region,psu=cluster"))
    assert "\n" not in str(info.value)


def test_a_text_answer_where_a_number_belongs_names_its_cell(tmp_path: Path) -> None:
    path = _write(tmp_path, ROWS.replace("3,S,3,7", "3,S,3,seven"))
    design = load_design(path, DesignSpec(weight="w", strata="region", psu="cluster"))
    with pytest.raises(InputError, match=r"r.csv: row 4, column 'x': 'seven' is not a number"):
        mean(design, "x")


def test_missing_answers_are_counted_not_estimated(tmp_path: Path) -> None:
    design = load_design(_write(tmp_path, ROWS), parse_design("weight=w,strata=region,psu=cluster"))
    est = mean(design, "x")
    assert (est.n, est.missing) == (3, 1)


def test_a_lonely_psu_is_refused_unless_a_policy_is_chosen(tmp_path: Path) -> None:
    path = _write(tmp_path, ROWS + "1,E,5,4\n")
    with pytest.raises(InputError, match="single PSU"):
        mean(load_design(path, parse_design("weight=w,strata=region,psu=cluster")), "x")
    adjusted = load_design(path, parse_design("weight=w,strata=region,psu=cluster,"
                                              "lonely_psu=adjust"))
    assert mean(adjusted, "x").se > 0


def test_design_files_and_replicate_prefixes(tmp_path: Path) -> None:
    _write(tmp_path, "weight: w\nreplicates: rw*\nmethod: jk1\n", "design.yaml")
    rows = "w,rw1,rw2,rw10,x\n1,0,2,2,1\n1,2,0,2,2\n1,2,2,0,3\n"
    spec = parse_design(str(tmp_path / "design.yaml"))
    design = load_design(_write(tmp_path, rows), spec)
    assert design.replicates is not None
    assert design.replicates.columns == ("rw1", "rw2", "rw10")
    # JK1 over three units: the variance of the mean is s²/n
    assert mean(design, "x").se == pytest.approx((1.0 / 3) ** 0.5)


@pytest.mark.parametrize(("text", "message"), [
    ("weight", "'weight' is not key=value"),
    ("wieght=w", "unknown design key 'wieght'"),
    ("weight=w,method=jackknife", "unknown replicate method 'jackknife'"),
])
def test_bad_design_specs(text: str, message: str) -> None:
    with pytest.raises(InputError, match=message):
        parse_design(text)


def test_unreadable_and_empty_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_responses(tmp_path / "missing.csv")
    with pytest.raises(InputError, match="no responses"):
        read_responses(_write(tmp_path, "w,x\n"))
    with pytest.raises(InputError, match="cannot be read"):
        read_responses(_write(tmp_path, "not a workbook", "r.xlsx"))
