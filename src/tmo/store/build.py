"""Build the store: resolve sources, read them, harmonise, validate, check, swap in.

A build writes a new DuckDB file beside the target and replaces the target with
`os.replace` only when everything succeeded, so a failed build leaves the previous
store untouched. A build whose findings include an error (an adapter's, or a check
rule's on the new file) fails the same way, naming the first, unless its check is in
`ALLOWED_ERRORS` (none: the official files give no error). Every file is read under
the settings' limits on inputs (`tmo.sources.io.input_limits`), and so is every
download.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from tmo import __version__
from tmo.checks.rules import run_all
from tmo.config import Settings
from tmo.countries import CountryRegistry, Reference, build_reference, harmonize
from tmo.errors import SourceError
from tmo.findings import Finding
from tmo.frame import STATISTICS, TABLES, validate
from tmo.sources.base import Ingested, Part
from tmo.sources.catalog import REFERENCE_SOURCES, load_catalog, reader
from tmo.sources.io import input_limits
from tmo.sources.snapshot import MirrorIndex, ProgressHook, Resolved, fetch, locate
from tmo.store.schema import create_sql, view_sql
from tmo.store.writer import Stage, record_stage, write_new

# Checks whose error findings do not stop a build (e.g. "od_sum_vs_destination_total" if a
# publisher's release were known to break it). None: the official files give no error.
ALLOWED_ERRORS: frozenset[str] = frozenset()
# What an adapter's own code raises on input it did not foresee; turned into one line
# naming the source and its files (the traceback stays available with --debug).
UNFORESEEN: tuple[type[Exception], ...] = (
    ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError,
    OSError, UnicodeError, RecursionError)


class BuildProgress(Protocol):
    def stage(self, label: str, total: int) -> None: ...
    def advance(self, label: str) -> None: ...
    def download(self, name: str, done: int, total: int | None) -> None: ...


class _Silent:
    def stage(self, label: str, total: int) -> None:
        pass

    def advance(self, label: str) -> None:
        pass

    def download(self, name: str, done: int, total: int | None) -> None:
        pass


@dataclass
class BuildReport:
    db_path: Path
    rows: dict[str, int]
    findings: list[Finding]
    resolved: list[Resolved]
    seconds: float
    source_rows: dict[tuple[str, str], int] = field(default_factory=dict)
    removed: list[Path] = field(default_factory=list)  # debris of killed writers


def resolve(
    settings: Settings,
    keys: Iterable[str] | None = None,
    *,
    allow_changed: bool = False,
    progress: BuildProgress | None = None,
) -> list[Resolved]:
    """Local files for each source: from the mirror directory, else the download cache."""
    progress = progress or _Silent()
    catalog = load_catalog()
    wanted = list(catalog) if keys is None else list(dict.fromkeys([*REFERENCE_SOURCES, *keys]))
    index = MirrorIndex(settings.source_dir) if settings.source_dir else None
    hook: ProgressHook = progress.download
    progress.stage("Locating sources" if index else "Downloading sources", len(wanted))
    out = []
    for key in wanted:
        spec = catalog[key]
        if index is not None:
            out.append(locate(spec, index, allow_changed=allow_changed))
        else:
            out.append(fetch(spec, settings.cache_dir, allow_changed=allow_changed, progress=hook))
        progress.advance(key)
    return out


def _locator(part: Part, column: str):
    """Where the rows of a boolean mask of `part` are: "file, sheet 'S', rows 12, 14,
    column E (Location code)", from their provenance."""
    frame = part.frame

    def locate(mask) -> str:
        hit = frame.loc[mask]
        first = hit.iloc[0]
        sheet = f", sheet {first['src_sheet']!r}" if first.get("src_sheet") else ""
        rows = hit["src_row"].astype(str).drop_duplicates()
        shown = ", ".join(rows.head(5)) + (f" and {len(rows) - 5} more" if len(rows) > 5 else "")
        word = "row" if sheet else "line"  # rows of a text file are its lines
        return (f"{first['src_file']}{sheet}, {word}{'s' if len(rows) > 1 else ''} {shown}, "
                f"column {part.labels.get(column, column)}")
    return locate


def _confirm_aggregates(ing: Ingested, res: Resolved, registry: CountryRegistry
                        ) -> list[Finding]:
    """SourceError for a code an adapter left out or took as an aggregate that neither the
    UN annex nor the file itself lists as one (a country whose code was damaged).

    A file that names its rows (`Ingested.aggregate_names`: the WPP 2019 CSVs, whose codes
    from 900 are assumed aggregates) may name an aggregate the annex lacks (WPP's own
    groups): it is kept as an aggregate, with a warning finding naming it, unless its name
    is a country's or missing, which means a damaged code, refused."""
    unknown = {code: cell for code, cell in ing.assumed_aggregates.items()
               if registry.group_name(f"UN:{code}") is None and code not in ing.aggregates}
    findings: list[Finding] = []
    refused: dict[int, str] = {}
    for code, cell in sorted(unknown.items()):
        name = ing.aggregate_names.get(code)
        if name is None:
            refused[code] = (f"{cell}: location code {code} would be left out as an aggregate, "
                             f"but neither the UN annex nor the file lists an aggregate {code}")
            continue
        area = registry.match_name(name) if name else None
        if not name:
            refused[code] = (f"{cell}: location code {code} is no aggregate of the UN annex "
                             "and the file gives it no name; refused, not taken as an aggregate")
            continue
        if area is not None and not registry.is_aggregate(area):
            country = registry.by_iso3(area)
            m49 = f" (M49 {country.m49})" if country and country.m49 else ""
            refused[code] = (f"{cell}: location code {code} ({name!r}) is no aggregate of the "
                             f"UN annex, and {name!r} is the country {area}{m49}; refused, not "
                             "taken as an aggregate")
            continue
        ing.aggregates.add(code)
        findings.append(Finding(
            "aggregate_not_in_annex", "warning", res.spec.key, cell,
            f"location code {code} ({name!r}) is no aggregate of the UN annex: kept as an "
            "aggregate the file names, on the publisher's word only"))
    if refused:
        first = next(iter(refused.values()))
        more = f" ({len(refused) - 1} more such codes)" if len(refused) > 1 else ""
        raise SourceError(f"{first} (source {res.spec.key}){more}",
                          hint="a country's code may be damaged: download the file again")
    return findings


def _harmonise(ing: Ingested, res: Resolved, registry: CountryRegistry
               ) -> tuple[dict[str, pd.DataFrame], list[Finding]]:
    findings: list[Finding] = list(ing.findings)
    parts: dict[str, list[pd.DataFrame]] = {}
    findings += _confirm_aggregates(ing, res, registry)
    for part in ing.parts:
        frame = part.frame.copy()
        for column, kind in part.geo.items():
            codes, found = harmonize(
                frame[column], kind, registry, source=f"{res.spec.key}:{column}",
                vocabulary=ing.name_vocabulary, rows=frame["src_row"],
                aggregates=ing.aggregates, locate=_locator(part, column),
            )
            frame[column] = codes
            findings += found
        parts.setdefault(part.table, []).append(frame)
    _unmatched_error(findings)
    tables = {t: validate(t, pd.concat(f, ignore_index=True), source=res.spec.key)
              for t, f in parts.items()}
    return tables, findings


def _unmatched_error(findings: list[Finding]) -> None:
    bad = [f for f in findings if f.check.startswith("unmatched") and f.severity == "error"]
    if bad:
        shown = "; ".join(f"{f.where}: {f.message} (source {f.source.split(':')[0]})"
                          for f in bad[:5])
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        what = "name or code matches" if len(bad) == 1 else "names or codes match"
        raise SourceError(
            f"{len(bad)} {what} no country or aggregate: {shown}{more}",
            hint="a damaged code: download the file again; a new name: add it to the alias "
            "file of its source under src/tmo/countries/aliases/ (see docs/countries.md)",
        )


def refuse_errors(findings: list[Finding]) -> None:
    """SourceError naming the first error finding whose check is not in
    ALLOWED_ERRORS: a build that finds errors in the data never replaces the store."""
    errors = [f for f in findings if f.severity == "error" and f.check not in ALLOWED_ERRORS]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise SourceError(
            f"the data has {len(errors)} error finding(s), so the store was not replaced: "
            f"{first.check} in {first.source}, {first.where}: {first.message}{more}",
            hint="correct or download again the file named; the previous store is unchanged")


def _read(res: Resolved) -> Ingested:
    """Run a source's adapter; an error its code did not foresee becomes one line."""
    try:
        ing: Ingested = reader(res.edition)(res.files, res.spec)
    except UNFORESEEN as exc:
        files = ", ".join(str(p) for p in res.files.values())
        raise SourceError(
            f"source {res.spec.key!r}: cannot read {files} "
            f"({exc.__class__.__name__}: {' '.join(str(exc).split())})",
            hint="the file is damaged or its layout changed; `tmo --debug build` shows "
            "where the adapter failed") from exc
    return ing


def read_all(resolved: list[Resolved], progress: BuildProgress | None = None):
    """Run every adapter; returns (reference, tables by name, findings)."""
    progress = progress or _Silent()
    by_key = {r.spec.key: r for r in resolved}
    progress.stage("Reading sources", len(resolved))
    ref_frames: dict[str, pd.DataFrame] = {}
    ref_findings: list[Finding] = []
    for key in REFERENCE_SOURCES:
        res = by_key[key]
        ing = _read(res)
        ref_frames.update(ing.reference)
        ref_findings += ing.findings
        progress.advance(key)
    reference = build_reference(ref_frames)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in STATISTICS}
    findings: list[Finding] = list(ref_findings)
    for res in resolved:
        if res.spec.key in REFERENCE_SOURCES:
            continue
        ing = _read(res)
        tables, found = _harmonise(ing, res, reference.registry)
        findings += found
        for name, frame in tables.items():
            parts[name].append(frame)
        progress.advance(res.spec.key)
    _unmatched_error(findings)
    refuse_errors(findings)
    tables = {}
    for name, frames in parts.items():
        if frames:
            tables[name] = validate(name, pd.concat(frames, ignore_index=True), source=name)
    return reference, tables, findings


def _insert(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register("incoming", frame)
    cols = ", ".join(f'"{c}"' for c in frame.columns)
    con.execute(f'INSERT INTO base."{name}" ({cols}) SELECT {cols} FROM incoming')
    con.unregister("incoming")


def _source_rows(tables: dict[str, pd.DataFrame], reference) -> dict[str, int]:
    """Rows of the store each file fed (a row derived from two files counts for both)."""
    counts: dict[str, int] = dict(reference.rows_by_file)
    for frame in tables.values():
        for files, n in frame["src_file"].value_counts().items():
            for file in str(files).split("+"):
                counts[file] = counts.get(file, 0) + int(n)
    return counts


def write_store(
    path: Path,
    reference: Reference,
    *,
    tables: dict[str, pd.DataFrame],
    findings: list[Finding],
    resolved: list[Resolved],
    info: dict[str, str],
    stages: Sequence[Stage] = (),
) -> list[Finding]:
    """Write a complete store at `path` (which must not exist), then run the derived
    `stages` on it (e.g. the profiles); returns all findings."""
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA base")
        for name in TABLES:
            con.execute(create_sql(name))
        for name, frame in tables.items():
            _insert(con, name, frame)
        for name in ("countries", "country_groups"):
            _insert(con, name, validate(name, getattr(reference, name), source="reference"))
        per_file = _source_rows(tables, reference)
        prov = [
            {"source": r.spec.key, "edition": r.edition.name, "file": s.file, "url": s.url,
             "sha256": s.sha256, "revision": r.spec.revision, "publisher": r.spec.publisher,
             "licence": r.spec.licence, "citation": r.spec.citation,
             "retrieved_at": s.retrieved_at, "rows": per_file.get(s.path.name, 0)}
            for r in resolved for s in r.snapshots
        ]
        _insert(con, "provenance", pd.DataFrame(prov, columns=list(TABLES["provenance"].columns)))
        findings = findings + run_all(con)
        refuse_errors(findings)
        if findings:
            _insert(con, "findings", pd.DataFrame([f.as_dict() for f in findings]))
        info = {**info, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
        _insert(con, "build_info", pd.DataFrame({"key": list(info), "value": list(info.values())}))
        for name in TABLES:
            con.execute(view_sql(name))
        for stage in stages:
            stage(con)
        record_stage(con, "build")
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return findings


def build(
    settings: Settings,
    *,
    keys: Iterable[str] | None = None,
    allow_changed: bool = False,
    progress: BuildProgress | None = None,
    stages: Sequence[tuple[str, Stage]] = (),
    wait: float = 0,
) -> BuildReport:
    """Build the store at `settings.db_path` atomically, then the derived `stages`
    (label, function) on the new file before it is swapped in."""
    started = time.perf_counter()
    info = {"tmo_version": __version__,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "source_dir": str(settings.source_dir or ""),
            "mode": "mirror" if settings.source_dir else "download"}
    with input_limits(settings.inputs):  # downloads and reads alike
        resolved = resolve(settings, keys, allow_changed=allow_changed, progress=progress)
        reference, tables, findings = read_all(resolved, progress)
    target = settings.db_path
    written: list[Finding] = []

    def staged(label: str, stage: Stage) -> Stage:
        def run(con: duckdb.DuckDBPyConnection) -> None:
            if progress:
                progress.stage(label, 1)
            stage(con)
        return run

    def fill(tmp: Path) -> None:
        if progress:
            progress.stage("Writing the store", 1)
        written.extend(write_store(tmp, reference, tables=tables, findings=findings,
                                   resolved=resolved, info=info,
                                   stages=[staged(label, stage) for label, stage in stages]))

    report = write_new(target, fill, command="tmo build", wait=wait)
    rows = {name: len(frame) for name, frame in tables.items()}
    return BuildReport(target, rows, written, resolved, time.perf_counter() - started,
                       removed=report.removed)
