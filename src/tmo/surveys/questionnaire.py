"""The survey questionnaires as data: modules of questions (`modules/*.yaml`), their
choice lists, and the indicator definitions each question feeds (`modules/indicators.yaml`).

A module is what one XLSForm holds (`tmo.surveys.xlsform`): households with members abroad
(one form per household, a repeat per member abroad) and public attitudes (one form per
adult respondent). Every label, hint and definition is in English, French and Spanish;
`problems` lists what is missing or inconsistent, and the shipped modules have none.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tmo.errors import InputError, NotFound

MODULES = Path(__file__).with_name("modules")
LANGUAGES = ("en", "fr", "es")
# The XLSForm column suffix of each language (ODK shows the name, then the code).
LANGUAGE_NAMES = {"en": "English (en)", "fr": "Français (fr)", "es": "Español (es)"}
GROUP_TYPES = ("begin_repeat", "begin_group")

Text = dict[str, str]  # language -> text


@dataclass(frozen=True)
class Choice:
    name: str
    label: Text


@dataclass(frozen=True)
class Question:
    """One question (or a repeat/group holding questions) of a module."""

    name: str
    type: str  # XLSForm type: integer, decimal, text, select_one LIST, begin_repeat...
    label: Text
    hint: Text = field(default_factory=dict)
    required: bool = False
    relevant: str = ""
    constraint: str = ""
    repeat_count: str = ""
    feeds: tuple[str, ...] = ()
    questions: tuple[Question, ...] = ()  # the children of a repeat or group

    @property
    def list_name(self) -> str | None:
        """The choice list of a select question."""
        kind, _, rest = self.type.partition(" ")
        return rest.strip() if kind in ("select_one", "select_multiple") else None

    @property
    def is_group(self) -> bool:
        return self.type in GROUP_TYPES


@dataclass(frozen=True)
class Module:
    id: str
    unit: str  # what one submission describes: household, person
    title: Text
    questions: tuple[Question, ...]
    choices: dict[str, tuple[Choice, ...]]

    def walk(self) -> Iterator[Question]:
        """Every question, children of repeats included, in form order."""
        def visit(items: tuple[Question, ...]) -> Iterator[Question]:
            for q in items:
                yield q
                yield from visit(q.questions)
        return visit(self.questions)

    def question(self, name: str) -> Question:
        for q in self.walk():
            if q.name == name:
                return q
        raise NotFound(f"module {self.id} has no question {name!r}")


@dataclass(frozen=True)
class IndicatorDef:
    """How one survey indicator is estimated (see the header of indicators.yaml)."""

    id: str
    module: str
    estimator: str
    unit: str
    label: Text
    definition: Text
    spec: dict[str, Any]  # condition, among, variable, numerator, denominator, score, actual

    def feeds_from(self, module: Module) -> list[str]:
        """The questions of `module` that feed this indicator."""
        return [q.name for q in module.walk() if self.id in q.feeds]


def _question(raw: dict[str, Any]) -> Question:
    return Question(
        name=raw["name"], type=raw["type"], label=dict(raw.get("label") or {}),
        hint=dict(raw.get("hint") or {}), required=bool(raw.get("required", False)),
        relevant=str(raw.get("relevant", "")), constraint=str(raw.get("constraint", "")),
        repeat_count=str(raw.get("repeat_count", "")),
        feeds=tuple(raw.get("feeds") or ()),
        questions=tuple(_question(q) for q in raw.get("questions") or ()))


def module_from(raw: dict[str, Any]) -> Module:
    """A module from its parsed YAML (or from an XLSForm read back)."""
    choices = {name: tuple(Choice(str(c["name"]), dict(c["label"])) for c in items)
               for name, items in (raw.get("choices") or {}).items()}
    return Module(raw["id"], raw.get("unit", ""), dict(raw.get("title") or {}),
                  tuple(_question(q) for q in raw["questions"]), choices)


@cache
def load_module(module_id: str) -> Module:
    path = MODULES / f"{module_id}.yaml"
    if not path.is_file():
        raise NotFound(f"no questionnaire module {module_id!r}",
                       hint=f"available: {', '.join(module_ids())}")
    return module_from(yaml.safe_load(path.read_text(encoding="utf-8")))


def module_ids() -> list[str]:
    return sorted(p.stem for p in MODULES.glob("*.yaml") if p.stem != "indicators")


@cache
def indicator_defs() -> dict[str, IndicatorDef]:
    raw = yaml.safe_load((MODULES / "indicators.yaml").read_text(encoding="utf-8"))
    out = {}
    for item in raw["indicators"]:
        spec = {k: v for k, v in item.items()
                if k not in ("id", "module", "estimator", "unit", "label", "definition")}
        out[item["id"]] = IndicatorDef(item["id"], item["module"], item["estimator"],
                                       item["unit"], dict(item["label"]),
                                       dict(item["definition"]), spec)
    return out


def _missing_languages(where: str, text: Text, optional: bool = False) -> list[str]:
    if optional and not text:
        return []
    unknown = [f"{where}: text in unknown language {lang!r}" for lang in text
               if lang not in LANGUAGES]
    return unknown + [f"{where}: no {lang} text" for lang in LANGUAGES if not text.get(lang)]


def problems(module: Module, indicators: dict[str, IndicatorDef] | None = None) -> list[str]:
    """Everything wrong with a module: a label or hint missing in a language, a select
    question without its choice list, a name used twice, a feed naming no indicator, an
    indicator of the module fed by no question."""
    indicators = indicator_defs() if indicators is None else indicators
    out = _missing_languages(f"{module.id} title", module.title)
    seen: set[str] = set()
    for q in module.walk():
        where = f"{module.id}.{q.name}"
        if q.name in seen:
            out.append(f"{where}: name used twice")
        seen.add(q.name)
        out += _missing_languages(f"{where} label", q.label)
        out += _missing_languages(f"{where} hint", q.hint, optional=True)
        if q.list_name is not None and q.list_name not in module.choices:
            out.append(f"{where}: choice list {q.list_name!r} is not defined")
        out += [f"{where}: feeds unknown indicator {f!r}" for f in q.feeds
                if f not in indicators]
        if not q.is_group and not q.feeds:
            out.append(f"{where}: feeds no indicator")
    for name, items in module.choices.items():
        for c in items:
            out += _missing_languages(f"{module.id} choice {name}.{c.name}", c.label)
    for ind in indicators.values():
        if ind.module == module.id and not ind.feeds_from(module):
            out.append(f"indicator {ind.id}: no question of {module.id} feeds it")
    return out


def check(module: Module) -> Module:
    """`module`, or InputError naming its first problems."""
    found = problems(module)
    if found:
        raise InputError(f"questionnaire module {module.id}: {'; '.join(found[:3])}"
                         + (f" (and {len(found) - 3} more)" if len(found) > 3 else ""),
                         hint="every label needs en, fr and es text; see docs/surveys.md")
    return module
