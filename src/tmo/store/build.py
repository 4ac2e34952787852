"""Build the store: resolve sources, read them, harmonise, validate, check, swap in.

A build writes a new DuckDB file beside the target and replaces the target with
`os.replace` only when everything succeeded, so a failed build leaves the previous
store untouched.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

import duckdb
import pandas as pd

from tmo import __version__
from tmo.checks.rules import run_all
from tmo.config import Settings
from tmo.errors import SourceError
from tmo.findings import Finding
from tmo.frame import TABLES, validate
from tmo.sources.base import Ingested
from tmo.sources.catalog import REFERENCE_SOURCES, load_catalog, reader
from tmo.sources.snapshot import MirrorIndex, ProgressHook, Resolved, fetch, locate
from tmo.store.schema import META_TABLES, REFERENCE_TABLES, view_sql


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


def _harmonise(ing: Ingested, res: Resolved, registry: object) -> tuple[dict, list[Finding]]:
    from tmo.countries import harmonize

    findings: list[Finding] = list(ing.findings)
    parts: dict[str, list[pd.DataFrame]] = {}
    for part in ing.parts:
        frame = part.frame.copy()
        for column, kind in part.geo.items():
            codes, found = harmonize(
                frame[column], kind, registry, source=f"{res.spec.key}:{column}",
                vocabulary=ing.name_vocabulary, rows=frame["src_row"],
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
        shown = "; ".join(f"{f.where}: {f.message}" for f in bad[:5])
        more = f" (and {len(bad) - 5} more)" if len(bad) > 5 else ""
        raise SourceError(
            f"{len(bad)} names or codes match no country or aggregate: {shown}{more}",
            hint="add the variant to the alias file of its source under "
            "src/tmo/countries/aliases/ (see docs/countries.md)",
        )


def read_all(resolved: list[Resolved], progress: BuildProgress | None = None):
    """Run every adapter; returns (reference, tables by name, findings)."""
    from tmo.countries import build_reference

    progress = progress or _Silent()
    by_key = {r.spec.key: r for r in resolved}
    progress.stage("Reading sources", len(resolved))
    ref_frames: dict[str, pd.DataFrame] = {}
    ref_findings: list[Finding] = []
    for key in REFERENCE_SOURCES:
        res = by_key[key]
        ing = reader(res.edition)(res.files, res.spec)
        ref_frames.update(ing.reference)
        ref_findings += ing.findings
        progress.advance(key)
    reference = build_reference(ref_frames)
    parts: dict[str, list[pd.DataFrame]] = {name: [] for name in TABLES}
    findings: list[Finding] = list(ref_findings)
    for res in resolved:
        if res.spec.key in REFERENCE_SOURCES:
            continue
        ing = reader(res.edition)(res.files, res.spec)
        tables, found = _harmonise(ing, res, reference.registry)
        findings += found
        for name, frame in tables.items():
            parts[name].append(frame)
        progress.advance(res.spec.key)
    _unmatched_error(findings)
    tables = {}
    for name, frames in parts.items():
        if frames:
            tables[name] = validate(name, pd.concat(frames, ignore_index=True), source=name)
    return reference, tables, findings


def _create(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str]) -> None:
    cols = ", ".join(f'"{c}" {t}' for c, t in columns.items())
    con.execute(f'CREATE TABLE base."{name}" ({cols})')


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
    reference,
    tables: dict[str, pd.DataFrame],
    findings: list[Finding],
    resolved: list[Resolved],
    info: dict[str, str],
) -> list[Finding]:
    """Write a complete store at `path` (which must not exist); returns all findings."""
    con = duckdb.connect(str(path))
    try:
        con.execute("CREATE SCHEMA base")
        for name, schema in TABLES.items():
            _create(con, name, schema.all_columns)
            if name in tables:
                _insert(con, name, tables[name])
        for name in REFERENCE_TABLES:
            con.register("incoming", getattr(reference, name))
            con.execute(f'CREATE TABLE base."{name}" AS SELECT * FROM incoming')
            con.unregister("incoming")
        for name, (columns, _doc) in META_TABLES.items():
            _create(con, name, columns)
        per_file = _source_rows(tables, reference)
        prov = [
            {"source": r.spec.key, "edition": r.edition.name, "file": s.file, "url": s.url,
             "sha256": s.sha256, "revision": r.spec.revision, "publisher": r.spec.publisher,
             "licence": r.spec.licence, "citation": r.spec.citation,
             "retrieved_at": s.retrieved_at, "rows": per_file.get(s.path.name, 0)}
            for r in resolved for s in r.snapshots
        ]
        _insert(con, "provenance", pd.DataFrame(prov, columns=list(META_TABLES["provenance"][0])))
        findings = findings + run_all(con)
        if findings:
            _insert(con, "findings", pd.DataFrame([f.as_dict() for f in findings]))
        info = {**info, "finished": datetime.now(UTC).isoformat(timespec="seconds")}
        _insert(con, "build_info", pd.DataFrame({"key": list(info), "value": list(info.values())}))
        for name in [*TABLES, *REFERENCE_TABLES, *META_TABLES]:
            con.execute(view_sql(name))
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
) -> BuildReport:
    """Build the store at `settings.db_path` atomically."""
    started = time.perf_counter()
    info = {"tmo_version": __version__,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "source_dir": str(settings.source_dir or ""),
            "mode": "mirror" if settings.source_dir else "download"}
    resolved = resolve(settings, keys, allow_changed=allow_changed, progress=progress)
    reference, tables, findings = read_all(resolved, progress)
    target = settings.db_path
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.building-{os.getpid()}")
    tmp.unlink(missing_ok=True)
    try:
        if progress:
            progress.stage("Writing the store", 1)
        findings = write_store(tmp, reference, tables, findings, resolved, info)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    rows = {name: len(frame) for name, frame in tables.items()}
    return BuildReport(target, rows, findings, resolved, time.perf_counter() - started)
