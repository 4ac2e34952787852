"""Reading survey responses and their design: CSV, XLSX, and XLSForm tools' exports.

Field teams export from ODK Central (CSV: group paths joined by `-`, `meta-instanceID`,
`KEY`, `SubmissionDate`) or KoboToolbox (CSV or XLSX: group paths joined by `/`,
`_uuid`, `_submission_time`, `_index`). `read_responses` reads the first sheet (or the
one named), and strips group paths from the headers where that leaves every name unique,
so a question is named as in its XLSForm (`remit_amount`, not
`grp_remittances/remit_amount`); metadata columns are kept.

The design is described by `DesignSpec`, written on the command line as
`weight=w,strata=region,psu=cluster` or in a YAML/JSON file with the same keys
(`weight`, `strata`, `psu`, `fpc`, `replicates` a list of columns or a `prefix*`,
`method`, `rho`, `scale`, `lonely_psu`, `df`). Every problem is one line naming the file,
and the row and column where there is one.
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from tmo.errors import InputError
from tmo.surveys.design import (
    LONELY_PSU_POLICIES,
    REPLICATE_METHODS,
    Design,
    LonelyPsu,
    ReplicateMethod,
)

KOBO_META = re.compile(r"^_")
ODK_MARKERS = ("meta-instanceID", "KEY", "SubmissionDate")
EXCEL = (".xlsx", ".xlsm", ".xls")


@dataclass(frozen=True)
class DesignSpec:
    """Which columns carry the design (names after group paths are stripped)."""

    weight: str | None = None
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    replicates: tuple[str, ...] = ()
    method: ReplicateMethod | None = None
    rho: float = 0.0
    scale: float | None = None
    lonely_psu: LonelyPsu = "fail"
    df: float | None = None


def read_responses(path: Path, *, sheet: str | None = None) -> pd.DataFrame:
    """The responses of `path` (CSV or Excel), headers stripped of group paths where the
    short names stay unique. Cells are kept as read (numbers as numbers, text as text)."""
    if not path.is_file():
        raise InputError(f"{path}: no such file", hint="check the path of the responses")
    try:
        if path.suffix.lower() in EXCEL:
            frame = pd.read_excel(path, sheet_name=sheet if sheet is not None else 0)
        else:
            frame = _read_csv(path)
    except (ValueError, OSError, UnicodeDecodeError, csv.Error,
            pd.errors.ParserError) as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise InputError(f"{path}: cannot be read as responses ({first})",
                         hint="export the responses as CSV (UTF-8) or XLSX") from exc
    if frame.empty:
        raise InputError(f"{path}: no responses (the file has a header but no rows)")
    unnamed = [c for c in frame.columns if str(c).startswith("Unnamed:")]
    if unnamed and frame[unnamed].notna().any().any():
        col = list(frame.columns).index(unnamed[0]) + 1
        raise InputError(f"{path}: column {col} holds values but has no header")
    frame = frame.drop(columns=unnamed)
    return frame.rename(columns=_short_names([str(c) for c in frame.columns]))


def _read_csv(path: Path) -> pd.DataFrame:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        sample = handle.read(8192)
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    return pd.read_csv(path, sep=delimiter, encoding="utf-8-sig", keep_default_na=True,
                       na_values=["", "n/a", "NA"])


def _short_names(columns: list[str]) -> dict[str, str]:
    """Full header -> question name, for the headers whose short name is unique."""
    odk = any(c in columns for c in ODK_MARKERS)
    short = {}
    for c in columns:
        name = c
        if "/" in c and not KOBO_META.match(c):
            name = c.rsplit("/", 1)[1]
        elif odk and "-" in c and c not in ODK_MARKERS:
            name = c.rsplit("-", 1)[1]
        short[c] = name
    counts: dict[str, int] = {}
    for name in short.values():
        counts[name] = counts.get(name, 0) + 1
    return {c: n for c, n in short.items() if counts[n] == 1 and n != c}


def parse_design(text: str) -> DesignSpec:
    """A `DesignSpec` from `key=value,...` or from a YAML/JSON file of those keys."""
    path = Path(text)
    if path.suffix.lower() in (".yaml", ".yml", ".json") or path.is_file():
        if not path.is_file():
            raise InputError(f"{path}: no such design file")
        try:
            raw = (json.loads(path.read_text()) if path.suffix.lower() == ".json"
                   else yaml.safe_load(path.read_text()))
        except (yaml.YAMLError, json.JSONDecodeError) as exc:
            raise InputError(f"{path}: not a readable design file ({str(exc).splitlines()[0]})"
                             ) from exc
        if not isinstance(raw, dict):
            raise InputError(f"{path}: a design file is a mapping of keys to columns")
        return _spec(raw, str(path))
    pairs: dict[str, Any] = {}
    for part in filter(None, (p.strip() for p in text.split(","))):
        key, sep, value = part.partition("=")
        if not sep or not value.strip():
            raise InputError(f"--design: {part!r} is not key=value",
                             hint="e.g. --design weight=w,strata=region,psu=cluster")
        pairs[key.strip()] = value.strip()
    return _spec(pairs, "--design")


def _spec(raw: dict[str, Any], where: str) -> DesignSpec:
    known = {f.name for f in fields(DesignSpec)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise InputError(f"{where}: unknown design key {unknown[0]!r}",
                         hint="keys: " + ", ".join(sorted(known)))
    method = raw.get("method")
    if method is not None and method not in REPLICATE_METHODS:
        raise InputError(f"{where}: unknown replicate method {method!r}",
                         hint="use one of " + ", ".join(REPLICATE_METHODS))
    lonely = raw.get("lonely_psu", "fail")
    if lonely not in LONELY_PSU_POLICIES:
        raise InputError(f"{where}: unknown lonely_psu policy {lonely!r}",
                         hint="use one of " + ", ".join(LONELY_PSU_POLICIES))
    reps = raw.get("replicates", ())
    if isinstance(reps, str):
        reps = tuple(r for r in reps.replace(";", " ").split() if r)
    try:
        return DesignSpec(
            weight=_opt(raw, "weight"), strata=_opt(raw, "strata"), psu=_opt(raw, "psu"),
            fpc=_opt(raw, "fpc"), replicates=tuple(str(r) for r in reps), method=method,
            rho=float(raw.get("rho", 0.0)),
            scale=None if raw.get("scale") is None else float(raw["scale"]),
            lonely_psu=lonely, df=None if raw.get("df") is None else float(raw["df"]))
    except (TypeError, ValueError) as exc:
        raise InputError(f"{where}: rho, scale and df are numbers ({exc})") from exc


def _opt(raw: dict[str, Any], key: str) -> str | None:
    value = raw.get(key)
    return None if value is None else str(value)


def replicate_columns(frame: pd.DataFrame, patterns: tuple[str, ...], source: str
                      ) -> list[str]:
    """Column names for `patterns`: exact names, or `prefix*` expanded in numeric order."""
    out: list[str] = []
    for pattern in patterns:
        if pattern.endswith("*"):
            prefix = pattern[:-1]
            found = [str(c) for c in frame.columns if str(c).startswith(prefix)]
            if not found:
                raise InputError(f"{source}: no column starts with {prefix!r} "
                                 "(replicate weights)")
            out += sorted(found, key=_natural)
        else:
            out.append(pattern)
    return out


def _natural(name: str) -> tuple[str, int]:
    match = re.search(r"(\d+)$", name)
    return (name[:match.start()], int(match.group(1))) if match else (name, -1)


def load_design(path: Path, spec: DesignSpec, *, sheet: str | None = None) -> Design:
    """The responses of `path` with the design `spec` (checked, see `Design.of`)."""
    frame = read_responses(path, sheet=sheet)
    reps = replicate_columns(frame, spec.replicates, path.name)
    return Design.of(frame, weight=spec.weight, strata=spec.strata, psu=spec.psu,
                     fpc=spec.fpc, replicate_weights=reps, method=spec.method, rho=spec.rho,
                     scale=spec.scale, lonely_psu=spec.lonely_psu, df=spec.df,
                     source=path.name)
