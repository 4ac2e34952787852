"""The warmed profile answers of one store, saved beside it so that a restarted server is
warm at once.

The file (`<store>.profiles.sqlite`) holds a fingerprint of the store file (size,
modification time, build time) and of the code that builds profiles; answers saved under
another fingerprint are never read. Writing goes to a temporary file that then replaces
the old one, so a reader never sees half a file.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import tmo

SUFFIX = ".profiles.sqlite"
SCHEMA = """
CREATE TABLE meta (fingerprint TEXT NOT NULL);
CREATE TABLE answers (iso3 TEXT NOT NULL, year INTEGER, revision TEXT,
                      profile BLOB NOT NULL, body BLOB NOT NULL, body_gz BLOB NOT NULL);
"""


def path_for(db: Path) -> Path:
    return db.with_name(db.name + SUFFIX)


def code_digest() -> str:
    """A digest of the package's code and data files: a new version of the code that
    builds profiles never reads answers of the old one."""
    root = Path(tmo.__file__).parent
    digest = hashlib.sha256()
    for file in sorted(root.rglob("*")):
        if file.suffix in {".py", ".yaml", ".csv", ".tsv", ".txt"} and file.is_file():
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()


def fingerprint(db: Path, finished: str) -> str:
    stat = db.stat()
    return hashlib.sha256(f"{stat.st_size}:{stat.st_mtime_ns}:{finished}:{code_digest()}"
                          .encode()).hexdigest()


@contextmanager
def builder(path: Path) -> Iterator[bool]:
    """Whether this process may build the answers of `path`: True for the one process that
    holds the lock beside it (the server's other workers wait and read its file), and also
    where no lock can be taken (a read-only folder, a system without `fcntl`)."""
    try:
        import fcntl

        handle = open(path.with_name(path.name + ".lock"), "a+b")  # noqa: SIM115
    except (ImportError, OSError):
        yield True
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


Row = tuple[tuple[str, int | None, str | None], tuple[bytes, bytes, bytes]]


def read(path: Path, expected: str) -> list[Row]:
    """The saved answers if the file exists and matches `expected`; otherwise none."""
    if not path.is_file():
        return []
    try:
        con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            meta = con.execute("SELECT fingerprint FROM meta").fetchone()
            if meta is None or meta[0] != expected:
                return []
            return [((iso3, year, rev), (profile, body, gz)) for iso3, year, rev, profile, body,
                    gz in con.execute("SELECT * FROM answers")]
        finally:
            con.close()
    except sqlite3.Error:  # a damaged or foreign file is ignored; it is rewritten after warm-up
        return []


def write(path: Path, fp: str, rows: Iterable[Row]) -> int:
    """Replace the file with `rows` under fingerprint `fp`; the number of answers written."""
    tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    tmp.unlink(missing_ok=True)
    try:
        con = sqlite3.connect(tmp)
        try:
            con.executescript(SCHEMA)
            con.execute("INSERT INTO meta VALUES (?)", [fp])
            n = 0
            for (iso3, year, rev), (profile, body, gz) in rows:
                con.execute("INSERT INTO answers VALUES (?, ?, ?, ?, ?, ?)",
                            [iso3, year, rev, profile, body, gz])
                n += 1
            con.commit()
        finally:
            con.close()
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return n
