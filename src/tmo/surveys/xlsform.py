"""A questionnaire module as an XLSForm (https://xlsform.org), the spreadsheet ODK Collect,
KoboToolbox and SurveyCTO load: sheets `survey`, `choices` and `settings`, one
`label::Language (code)` and `hint::Language (code)` column per language, repeats as
`begin_repeat`/`end_repeat` rows. Two things a form tool ignores travel with it: the
`tmo_feeds` column (the indicators each question feeds) and a `tmo_indicators` sheet
(their definitions), so the form read back (`read_xlsform`) is the module it came from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from tmo.errors import InputError
from tmo.surveys.questionnaire import (
    LANGUAGE_NAMES,
    LANGUAGES,
    IndicatorDef,
    Module,
    Question,
    indicator_defs,
    module_from,
)

SURVEY_COLUMNS = ["type", "name", *(f"label::{LANGUAGE_NAMES[lg]}" for lg in LANGUAGES),
                  *(f"hint::{LANGUAGE_NAMES[lg]}" for lg in LANGUAGES),
                  "required", "relevant", "constraint", "repeat_count", "tmo_feeds"]
CHOICE_COLUMNS = ["list_name", "name", *(f"label::{LANGUAGE_NAMES[lg]}" for lg in LANGUAGES)]
INDICATOR_COLUMNS = ["id", "module", "estimator", "unit",
                     *(f"label::{LANGUAGE_NAMES[lg]}" for lg in LANGUAGES),
                     *(f"definition::{LANGUAGE_NAMES[lg]}" for lg in LANGUAGES), "questions"]
END = {"begin_repeat": "end_repeat", "begin_group": "end_group"}


def _texts(text: dict[str, str]) -> list[str]:
    return [text.get(lg, "") for lg in LANGUAGES]


def _survey_rows(questions: tuple[Question, ...]) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for q in questions:
        rows.append([q.type, q.name, *_texts(q.label), *_texts(q.hint),
                     "yes" if q.required else "", q.relevant, q.constraint, q.repeat_count,
                     " ".join(q.feeds)])
        if q.is_group:
            rows += _survey_rows(q.questions)
            rows.append([END[q.type], q.name] + [""] * (len(SURVEY_COLUMNS) - 2))
    return rows


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list[Any]]) -> None:
    ws = book.create_sheet(title)
    ws.append(header)
    for row in rows:
        ws.append(row)


def write_xlsform(module: Module, path: Path, *, version: str = "1",
                  indicators: dict[str, IndicatorDef] | None = None) -> Path:
    """Write `module` as an XLSForm workbook at `path`."""
    indicators = indicator_defs() if indicators is None else indicators
    book = Workbook()
    book.remove(book.active)  # type: ignore[arg-type]
    _sheet(book, "survey", SURVEY_COLUMNS, _survey_rows(module.questions))
    _sheet(book, "choices", CHOICE_COLUMNS,
           [[name, c.name, *_texts(c.label)] for name, items in module.choices.items()
            for c in items])
    _sheet(book, "settings",
           ["form_title", "form_id", "version", "default_language", "tmo_unit",
            *(f"tmo_title::{LANGUAGE_NAMES[lg]}" for lg in LANGUAGES)],
           [[module.title.get("en", module.id), f"tmo_{module.id}", version,
             LANGUAGE_NAMES["en"], module.unit, *_texts(module.title)]])
    _sheet(book, "tmo_indicators", INDICATOR_COLUMNS,
           [[d.id, d.module, d.estimator, d.unit, *_texts(d.label), *_texts(d.definition),
             " ".join(d.feeds_from(module))]
            for d in indicators.values() if d.module == module.id])
    path.parent.mkdir(parents=True, exist_ok=True)
    book.save(path)
    return path


def _records(ws: Worksheet) -> list[dict[str, Any]]:
    rows = list(ws.iter_rows(values_only=True))
    if not rows:
        return []
    header = [str(h) if h is not None else "" for h in rows[0]]
    return [{h: ("" if v is None else v) for h, v in zip(header, row, strict=False) if h}
            for row in rows[1:] if any(v not in (None, "") for v in row)]


def _languages(record: dict[str, Any], column: str) -> dict[str, str]:
    return {lg: str(record[f"{column}::{LANGUAGE_NAMES[lg]}"]) for lg in LANGUAGES
            if record.get(f"{column}::{LANGUAGE_NAMES[lg]}")}


def _nest(path: Path, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The survey rows as nested question mappings (repeats hold their children)."""
    stack: list[list[dict[str, Any]]] = [[]]
    for n, rec in enumerate(records, start=2):
        kind = str(rec.get("type", "")).strip()
        if kind in END.values():
            if len(stack) == 1:
                raise InputError(f"{path}: sheet survey, row {n}: {kind} without a begin")
            children = stack.pop()
            stack[-1][-1]["questions"] = children
            continue
        stack[-1].append({
            "name": str(rec.get("name", "")), "type": kind,
            "label": _languages(rec, "label"), "hint": _languages(rec, "hint"),
            "required": str(rec.get("required", "")).lower() in ("yes", "true", "1"),
            "relevant": str(rec.get("relevant", "")),
            "constraint": str(rec.get("constraint", "")),
            "repeat_count": str(rec.get("repeat_count", "")),
            "feeds": str(rec.get("tmo_feeds", "")).split()})
        if kind in END:
            stack.append([])
    if len(stack) != 1:
        raise InputError(f"{path}: sheet survey: a begin_repeat or begin_group is not closed")
    return stack[0]


def read_xlsform(path: Path) -> Module:
    """The module an XLSForm written by `write_xlsform` holds (or any XLSForm with
    labels in the three languages); InputError naming the file and sheet otherwise."""
    try:
        book = load_workbook(path, read_only=True)
    except (OSError, ValueError, KeyError) as exc:
        raise InputError(f"{path}: not a readable XLSForm workbook ({exc})",
                         hint="save the form as .xlsx") from exc
    missing = [s for s in ("survey", "choices", "settings") if s not in book.sheetnames]
    if missing:
        raise InputError(f"{path}: no sheet {', '.join(missing)}",
                         hint="an XLSForm has the sheets survey, choices and settings")
    settings = (_records(book["settings"]) or [{}])[0]
    choices: dict[str, list[dict[str, Any]]] = {}
    for rec in _records(book["choices"]):
        choices.setdefault(str(rec["list_name"]), []).append(
            {"name": str(rec["name"]), "label": _languages(rec, "label")})
    form_id = str(settings.get("form_id", path.stem))
    return module_from({
        "id": form_id.removeprefix("tmo_"), "unit": str(settings.get("tmo_unit", "")),
        "title": _languages(settings, "tmo_title") or {"en": str(settings.get("form_title"))},
        "questions": _nest(path, _records(book["survey"])), "choices": choices})
