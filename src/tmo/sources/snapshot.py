"""Raw inputs as unmodified snapshots: find them in a local mirror or download them
once into the cache, and verify their checksums.

A downloaded file is kept as `<cache>/<source>/<file>` with a sidecar
`<file>.meta.json` (url, sha256, retrieved_at, publisher, licence). On reuse the
checksum is verified against the sidecar, so a damaged cache is never used. A download
is bounded by the limit on inputs' bytes (`TMO_MAX_INPUT_BYTES`, docs/reliability.md):
refused at once when the server declares more, else once more has arrived.

Every problem of the file system is one line saying what is wrong and where
(`unusable`): a missing or unreadable source folder, a folder below it that cannot be
listed (named when a file is not found), a dangling symbolic link, a loop of links, a
file without read permission, something that is not a regular file (a FIFO or device
would block or never end). Symbolic links to files and folders are followed; a folder
reached twice (a loop of folder links) is searched once.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import stat
import tempfile
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tmo.errors import SourceError
from tmo.sources.base import Edition, FileSpec, SourceSpec
from tmo.sources.io import limits, too_large

ProgressHook = Callable[[str, int, int | None], None]  # (file name, bytes so far, total)


@dataclass(frozen=True)
class Snapshot:
    """One resolved local file of a source edition."""

    source: str
    file: str  # declared file name
    path: Path
    sha256: str
    url: str | None
    retrieved_at: str  # ISO timestamp: download time, or the mirror file's mtime


@dataclass(frozen=True)
class Resolved:
    spec: SourceSpec
    edition: Edition
    snapshots: tuple[Snapshot, ...]

    @property
    def files(self) -> dict[str, Path]:
        return {s.file: s.path for s in self.snapshots}


SOURCE_DIR_HINT = "pass --source-dir pointing at a folder holding the official files"
FILE_HINT = "fix the file (or the link) or remove it, then build again"
KINDS = {stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFCHR: "a character device",
         stat.S_IFBLK: "a block device", stat.S_IFSOCK: "a socket"}


def _link(path: Path) -> str:
    try:
        return f"a symbolic link to {os.readlink(path)!r}"
    except OSError:
        return "a symbolic link"


def _unreachable(path: Path, exc: OSError) -> str:
    """Why `path` cannot even be looked at."""
    if isinstance(exc, FileNotFoundError):
        if path.is_symlink():
            return f"is {_link(path)}, which does not exist (a dangling link)"
        return "does not exist"
    if exc.errno == errno.ELOOP:
        return f"is {_link(path)} in a loop of links that never reaches a file"
    if exc.errno == errno.EACCES:
        return "cannot be reached: permission denied on a folder above it"
    return f"cannot be read ({exc.strerror or exc})"


def unusable(path: Path, *, folder: bool = False) -> str | None:
    """What stops the build from reading `path` (a file, or a folder if `folder`), in
    words; None if nothing does. Permission is asked of `os.access`, so the answer is
    the same for root (tested with a mocked `os.access`)."""
    try:
        info = path.stat()
    except OSError as exc:
        return _unreachable(path, exc)
    return _folder_problem(path, info) if folder else _file_problem(path, info)


def _folder_problem(path: Path, info: os.stat_result) -> str | None:
    if not stat.S_ISDIR(info.st_mode):
        return "is a file, not a folder"
    if not os.access(path, os.R_OK | os.X_OK):
        return (f"cannot be listed: permission denied (mode {stat.filemode(info.st_mode)}, "
                f"owner uid {info.st_uid})")
    return None


def _file_problem(path: Path, info: os.stat_result) -> str | None:
    mode = info.st_mode
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(mode):
        return f"is not a regular file but {KINDS.get(stat.S_IFMT(mode), 'a special file')}"
    if not os.access(path, os.R_OK):
        return (f"cannot be read: permission denied (mode {stat.filemode(mode)}, owner uid "
                f"{info.st_uid})")
    return None


def check_readable(path: Path) -> None:
    """SourceError "<path>: <what is wrong>" unless `path` is a readable regular file."""
    why = unusable(path)
    if why is not None:
        raise SourceError(f"{path}: {why}", hint=FILE_HINT)


def sha256_of(path: Path) -> str:
    check_readable(path)
    digest = hashlib.sha256()
    try:
        with path.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError as exc:
        raise SourceError(f"{path}: cannot be read ({exc.strerror or exc})",
                          hint=FILE_HINT) from exc
    return digest.hexdigest()


class MirrorIndex:
    """File names under a local mirror directory, searched recursively once (symbolic
    links followed, each folder once); folders that cannot be listed are remembered and
    named when a file is not found."""

    def __init__(self, root: Path) -> None:
        why = unusable(root, folder=True)
        if why is not None:
            raise SourceError(f"source directory {root} {why}", hint=SOURCE_DIR_HINT)
        self.root = root
        self.unlisted: list[str] = []  # "<folder>: <why>" of folders that could not be read
        self._by_name: dict[str, list[Path]] = {}
        seen: set[tuple[int, int]] = set()
        for dirpath, dirs, names in os.walk(root, onerror=self._unlisted, followlinks=True):
            here = os.stat(dirpath)
            if (here.st_dev, here.st_ino) in seen:
                dirs[:] = []  # reached again through a link: searched already
                continue
            seen.add((here.st_dev, here.st_ino))
            for name in names:
                self._by_name.setdefault(name, []).append(Path(dirpath) / name)
        if root in {Path(u.split(": ", 1)[0]) for u in self.unlisted}:
            raise SourceError(f"source directory {self.unlisted[0]}", hint=SOURCE_DIR_HINT)
        self._hashes: dict[Path, str] = {}

    def _unlisted(self, exc: OSError) -> None:
        where = Path(exc.filename) if exc.filename else self.root
        why = unusable(where, folder=True) or f"cannot be listed ({exc.strerror or exc})"
        self.unlisted.append(f"{where}: {why}")

    def sha256(self, path: Path) -> str:
        if path not in self._hashes:
            self._hashes[path] = sha256_of(path)
        return self._hashes[path]

    def find(self, spec: FileSpec) -> list[Path]:
        found: list[Path] = []
        for name in spec.names:
            found.extend(self._by_name.get(name, []))
        return sorted(found)


def _mtime_iso(path: Path) -> str:
    return datetime.fromtimestamp(path.stat().st_mtime, UTC).isoformat(timespec="seconds")


def _check_sum(source: str, spec: FileSpec, path: Path, actual: str, allow_changed: bool) -> None:
    if spec.sha256 and actual != spec.sha256 and not allow_changed:
        raise SourceError(
            f"{path}: sha256 {actual[:12]}... differs from the {spec.sha256[:12]}... declared "
            f"for source {source!r} (file {spec.name})",
            hint="the file is damaged or the publisher re-issued it; check it, then rebuild "
            "with --allow-changed-checksums to accept and record the new checksum",
        )


def locate(spec: SourceSpec, index: MirrorIndex, *, allow_changed: bool = False) -> Resolved:
    """The first edition of `spec` whose files are all present in the mirror."""
    missing_by_edition: list[str] = []
    for edition in spec.editions:
        chosen: list[Snapshot] = []
        missing: list[str] = []
        for fspec in edition.files:
            candidates = index.find(fspec)
            if not candidates:
                missing.append(fspec.name)
                continue
            if len(candidates) > 1 and fspec.sha256:
                exact = [p for p in candidates if index.sha256(p) == fspec.sha256]
                candidates = exact or candidates
            if len(candidates) > 1:
                raise SourceError(
                    f"source {spec.key!r}: {len(candidates)} files named {fspec.name} under "
                    f"{index.root} and none carries the declared checksum: "
                    + ", ".join(str(p) for p in candidates),
                    hint="keep one copy per file name, or the copy of this revision",
                )
            path = candidates[0]
            actual = index.sha256(path)
            _check_sum(spec.key, fspec, path, actual, allow_changed)
            chosen.append(Snapshot(spec.key, fspec.name, path, actual, fspec.url, _mtime_iso(path)))
        if not missing:
            return Resolved(spec, edition, tuple(chosen))
        missing_by_edition.append(f"{edition.name} edition lacks {', '.join(missing)}")
    unlisted = (f"; {len(index.unlisted)} folder(s) could not be searched, e.g. "
                f"{index.unlisted[0]}" if index.unlisted else "")
    raise SourceError(
        f"source {spec.key!r} ({spec.title}) not found under {index.root}: "
        + "; ".join(missing_by_edition) + unlisted,
        hint="add the official files to the source directory, or build without "
        "--source-dir to download them",
    )


def _download(url: str, target: Path, progress: ProgressHook | None) -> dict[str, str]:
    """Stream `url` into `target` (through a temporary file, replaced in one step),
    refused beyond the limit on inputs' bytes (`TMO_MAX_INPUT_BYTES`): at once when the
    server declares a larger Content-Length, else as soon as the bytes received exceed
    it. Nothing is left behind by a refused or failed download. Returns the answer's
    validators (ETag, Last-Modified, Content-Length) for the release watch."""
    cap = limits().max_bytes
    request = urllib.request.Request(url, headers={"User-Agent": "tmo (migration observatory)"})
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    where = f"{target.name} (download from {url})"
    try:
        with urllib.request.urlopen(request, timeout=120) as response, os.fdopen(fd, "wb") as out:
            validators = {key: response.headers[name].strip() for key, name in
                          (("etag", "ETag"), ("last_modified", "Last-Modified"),
                           ("content_length", "Content-Length")) if response.headers.get(name)}
            total = response.headers.get("Content-Length")
            total_n = int(total) if total and total.isdigit() else None
            if total_n is not None and total_n > cap:
                raise too_large(where, f"the size the server declares ({total_n:,} bytes)",
                                "max_bytes")
            done = 0
            for block in iter(lambda: response.read(1 << 16), b""):
                done += len(block)
                if done > cap:
                    raise too_large(where, f"the bytes received so far ({done:,})",
                                    "max_bytes", plural=True)
                out.write(block)
                if progress:
                    progress(target.name, done, total_n)
        os.replace(tmp, target)
    except OSError as exc:
        raise SourceError(
            f"could not download {url}: {exc}",
            hint="check the network, or build offline with --source-dir DIR",
        ) from exc
    finally:
        Path(tmp).unlink(missing_ok=True)
    return validators


def fetch(
    spec: SourceSpec,
    cache_dir: Path,
    *,
    allow_changed: bool = False,
    progress: ProgressHook | None = None,
) -> Resolved:
    """Download the first edition whose files all have URLs, once, into the cache."""
    edition = next((e for e in spec.editions if all(f.url for f in e.files)), None)
    if edition is None:
        raise SourceError(f"source {spec.key!r} declares no downloadable edition")
    snaps = []
    for fspec in edition.files:
        target = cache_dir / spec.key / fspec.name
        meta_path = target.with_name(target.name + ".meta.json")
        if target.is_file() and meta_path.is_file():
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            actual = sha256_of(target)
            if actual != meta["sha256"]:
                raise SourceError(
                    f"cached file {target} is damaged: sha256 {actual[:12]}... but "
                    f"{meta['sha256'][:12]}... was recorded when it was downloaded",
                    hint=f"delete {target} and build again to download it afresh",
                )
            snaps.append(Snapshot(spec.key, fspec.name, target, actual, fspec.url,
                                  meta["retrieved_at"]))
            continue
        assert fspec.url is not None
        validators = _download(fspec.url, target, progress)
        actual = sha256_of(target)
        try:
            _check_sum(spec.key, fspec, target, actual, allow_changed)
        except SourceError:
            target.unlink(missing_ok=True)
            raise
        retrieved = datetime.now(UTC).isoformat(timespec="seconds")
        meta = {"source": spec.key, "file": fspec.name, "url": fspec.url, "sha256": actual,
                "retrieved_at": retrieved, "publisher": spec.publisher, "licence": spec.licence,
                "revision": spec.revision, **validators}
        meta_path.write_text(json.dumps(meta, indent=1), encoding="utf-8")
        snaps.append(Snapshot(spec.key, fspec.name, target, actual, fspec.url, retrieved))
    return Resolved(spec, edition, tuple(snaps))


def cached(spec: SourceSpec, cache_dir: Path) -> list[dict[str, str]]:
    """What the cache holds for a source: one sidecar record per downloaded file."""
    folder = cache_dir / spec.key
    return [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(folder.glob("*.meta.json"))
    ] if folder.is_dir() else []
