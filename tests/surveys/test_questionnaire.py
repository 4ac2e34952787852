"""The questionnaire modules: complete in English, French and Spanish, every question
feeding a defined indicator and every indicator fed; exported as XLSForm, the form reads
back as the module it came from and converts to an XForm with pyxform (the XLSForm
project's own converter, which ODK and KoboToolbox use)."""

from __future__ import annotations

import dataclasses
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tmo.errors import InputError
from tmo.surveys.questionnaire import (
    LANGUAGE_NAMES,
    LANGUAGES,
    Choice,
    indicator_defs,
    load_module,
    module_ids,
    problems,
)
from tmo.surveys.xlsform import read_xlsform, write_xlsform

MODULES = ("attitudes", "households")


def test_the_shipped_modules_are_complete() -> None:
    assert tuple(module_ids()) == MODULES
    for module_id in MODULES:
        assert problems(load_module(module_id)) == []


def test_every_indicator_is_fed_and_defined_in_three_languages() -> None:
    defs = indicator_defs()
    for d in defs.values():
        assert d.feeds_from(load_module(d.module)), d.id
        assert all(d.label.get(lg) and d.definition.get(lg) for lg in LANGUAGES), d.id
    # the four indicators of issue #23 and the comparison with the published share
    assert {"hh_member_abroad", "hh_remittances", "remit_median", "children_parent_abroad",
            "perceived_immigrant_share", "perception_gap"} <= set(defs)


def test_problems_name_each_defect() -> None:
    module = load_module("attitudes")
    first = module.questions[0]
    broken = dataclasses.replace(
        module,
        questions=(dataclasses.replace(first, label={"en": "Sex", "es": "Sexo"}),
                   dataclasses.replace(first, name="x", type="select_one nowhere",
                                       feeds=("no_such_indicator",)),
                   *module.questions[1:]),
        choices={**module.choices, "sex": (Choice("female", {"en": "Female", "fr": "F",
                                                             "es": "M", "de": "W"}),)})
    found = problems(broken)
    assert "attitudes.respondent_sex label: no fr text" in found
    assert "attitudes.x: choice list 'nowhere' is not defined" in found
    assert "attitudes.x: feeds unknown indicator 'no_such_indicator'" in found
    assert "attitudes choice sex.female: text in unknown language 'de'" in found
    without = dataclasses.replace(module, questions=tuple(
        q for q in module.questions if "acceptance_index" not in q.feeds))
    assert "indicator acceptance_index: no question of attitudes feeds it" in problems(without)


@pytest.fixture(scope="module")
def forms(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("xlsform")
    return {m: write_xlsform(load_module(m), out / f"tmo_{m}.xlsx") for m in MODULES}


def test_xlsform_round_trips(forms: dict[str, Path]) -> None:
    for module_id, path in forms.items():
        assert read_xlsform(path) == load_module(module_id)


def test_xlsform_sheets_and_language_columns(forms: dict[str, Path]) -> None:
    book = load_workbook(forms["households"], read_only=True)
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    header = next(book["survey"].iter_rows(values_only=True))
    for lang in LANGUAGES:
        assert f"label::{LANGUAGE_NAMES[lang]}" in header
        assert f"hint::{LANGUAGE_NAMES[lang]}" in header
    rows = list(book["survey"].iter_rows(values_only=True))[1:]
    types = [r[0] for r in rows]
    # one row per question, and the repeat of members abroad closed
    assert types.count("begin_repeat") == types.count("end_repeat") == 1
    assert len(rows) == sum(1 for _ in load_module("households").walk()) + 1
    settings = list(book["settings"].iter_rows(values_only=True))
    assert settings[1][settings[0].index("default_language")] == "English (en)"


XLS2XFORM = Path(__file__).resolve().parents[2] / ".tools" / "xlsform" / "bin" / "xls2xform"


def test_pyxform_converts_each_form(forms: dict[str, Path], tmp_path: Path) -> None:
    # pyxform lives in its own environment (scripts/system-deps says why)
    if not XLS2XFORM.exists():
        pytest.fail(f"{XLS2XFORM} is missing: scripts/system-deps installs pyxform there")
    for module_id, path in forms.items():
        out = tmp_path / f"{module_id}.xml"
        done = subprocess.run([str(XLS2XFORM), "--skip_validate", str(path), str(out)],
                              check=False, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        xform = out.read_text(encoding="utf-8")
        for lang in LANGUAGES:
            assert f'<translation lang="{LANGUAGE_NAMES[lang]}"' in xform, (module_id, lang)
        for q in load_module(module_id).walk():
            assert f"/{q.name}" in xform, (module_id, q.name)


def test_a_workbook_without_the_sheets_is_refused(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "survey"  # type: ignore[union-attr]
    path = tmp_path / "form.xlsx"
    book.save(path)
    with pytest.raises(InputError, match=r"form\.xlsx: no sheet choices, settings"):
        read_xlsform(path)
