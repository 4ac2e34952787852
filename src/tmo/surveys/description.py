"""A survey described in one JSON file: what it is (title, country, fieldwork year,
currency, SYNTHETIC or not) and, per questionnaire module, the responses file and its
design columns. `tmo survey demo` writes one beside its synthetic responses; a field team
writes one beside its exports (docs/surveys.md gives an example).

    {"id": "MDA-2025-households", "title": "...", "country": "MDA",
     "fieldwork_year": 2025, "currency": "MDL", "synthetic": false,
     (the title may also be {"en": "...", "fr": "...", "es": "..."})
     "modules": {"households": {"responses": "households.csv",
                                "members": "members.csv", "member_key": "household",
                                "weight": "weight", "strata": "stratum", "psu": "psu"},
                 "attitudes": {"responses": "attitudes.csv", "weight": "weight",
                               "strata": "stratum", "psu": "psu"}}}

File names are relative to the description. The responses are read as text tables (CSV,
or the first sheet of an XLSX); nothing of them but the aggregates `tmo survey publish`
computes ever reaches the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from tmo.errors import InputError
from tmo.surveys.design import Design
from tmo.surveys.questionnaire import module_ids

REQUIRED = ("id", "title", "country", "modules")


@dataclass(frozen=True)
class ModuleData:
    responses: Path
    weight: str | None = None
    strata: str | None = None
    psu: str | None = None
    members: Path | None = None
    member_key: str | None = None


@dataclass(frozen=True)
class SurveyDescription:
    path: Path
    id: str
    title: str | dict[str, str]  # one title, or one per language (en, fr, es)
    country: str
    fieldwork_year: int | None
    currency: str
    synthetic: bool
    modules: dict[str, ModuleData]
    extra: dict[str, Any] = field(default_factory=dict)  # everything else in the file

    def title_in(self, lang: str) -> str:
        """The title in `lang` (else in English, else the first given)."""
        if isinstance(self.title, str):
            return self.title
        return self.title.get(lang) or self.title.get("en") or next(iter(self.title.values()))

    @property
    def files(self) -> list[str]:
        """The response files the estimates come from (names, as cited)."""
        out = []
        for m in self.modules.values():
            out.append(m.responses.name)
            if m.members is not None:
                out.append(m.members.name)
        return out


def load_description(path: Path) -> SurveyDescription:
    """The survey described at `path`; InputError naming the file and the problem."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError(f"{path}: cannot read the survey description ({exc.strerror})",
                         hint="pass the .json file `tmo survey demo` wrote, or your own "
                              "(docs/surveys.md)") from exc
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: line {exc.lineno}: not valid JSON ({exc.msg})") from exc
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise InputError(f"{path}: the survey description lacks {', '.join(missing)}",
                         hint="see docs/surveys.md for its fields")
    unknown = sorted(set(raw["modules"]) - set(module_ids()))
    if unknown:
        raise InputError(f"{path}: unknown questionnaire module(s) {', '.join(unknown)}",
                         hint=f"modules: {', '.join(module_ids())}")
    modules = {}
    for name, spec in raw["modules"].items():
        if "responses" not in spec:
            raise InputError(f"{path}: module {name} names no responses file")
        modules[name] = ModuleData(
            path.parent / spec["responses"], spec.get("weight"), spec.get("strata"),
            spec.get("psu"), path.parent / spec["members"] if spec.get("members") else None,
            spec.get("member_key"))
    year = raw.get("fieldwork_year")
    known = {*REQUIRED, "fieldwork_year", "currency", "synthetic"}
    title = raw["title"]
    if isinstance(title, dict) and not title:
        raise InputError(f"{path}: the survey's title is empty")
    return SurveyDescription(path, str(raw["id"]),
                             {str(k): str(v) for k, v in title.items()}
                             if isinstance(title, dict) else str(title),
                             str(raw["country"]).upper(),
                             int(year) if year is not None else None,
                             str(raw.get("currency", "")), bool(raw.get("synthetic", False)),
                             modules, {k: v for k, v in raw.items() if k not in known})


def read_table(path: Path) -> pd.DataFrame:
    """A responses file as read from disk (CSV or the first sheet of an XLSX)."""
    if not path.is_file():
        raise InputError(f"{path}: no such responses file",
                         hint="file names in the survey description are relative to it")
    try:
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            return pd.read_excel(path, sheet_name=0)
        return pd.read_csv(path, keep_default_na=True)
    except (ValueError, OSError, pd.errors.ParserError) as exc:
        raise InputError(f"{path}: cannot read the responses ({exc})".splitlines()[0],
                         hint="save the export as CSV (UTF-8) or XLSX") from exc


def designs(desc: SurveyDescription, module: str) -> tuple[Design, Design | None]:
    """The design over a module's responses, and over its member records (if any), each
    member row taking its household's design columns."""
    spec = desc.modules[module]
    frame = read_table(spec.responses)
    design = Design.of(frame, weight=spec.weight, strata=spec.strata, psu=spec.psu,
                       source=spec.responses.name)
    if spec.members is None:
        return design, None
    key = spec.member_key or "household"
    members = read_table(spec.members)
    for table, name in ((frame, spec.responses.name), (members, spec.members.name)):
        if key not in table.columns:
            raise InputError(f"{name}: no column {key!r} linking members to households",
                             hint="set member_key in the survey description")
    columns = [key, *(c for c in (spec.weight, spec.strata, spec.psu) if c)]
    joined = members.drop(columns=[c for c in columns[1:] if c in members.columns]).merge(
        frame[columns], on=key, how="left", validate="many_to_one")
    orphans = joined[spec.weight or key].isna() if spec.weight else pd.Series(False)
    if orphans.any():
        row = int(orphans.to_numpy().nonzero()[0][0]) + 1
        raise InputError(f"{spec.members.name}: row {row}: {key} "
                         f"{joined[key].iloc[row - 1]!r} is no household of "
                         f"{spec.responses.name}")
    return design, Design.of(joined, weight=spec.weight, strata=spec.strata, psu=spec.psu,
                             source=spec.members.name)
