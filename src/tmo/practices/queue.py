"""The moderation queue: submitted practices wait here until a reviewer approves or
rejects them. Approved ones are published (searchable with the curated records).

Storage is one SQLite file (default `$TMO_HOME/practices.sqlite`) in WAL mode with
`synchronous=FULL`; every change is a single transaction, so a process killed
mid-write leaves either the whole submission or none of it. Rejected submissions are
kept with the reason; the same id may be submitted again after a rejection.
"""

from __future__ import annotations

import builtins
import hashlib
import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from tmo.config import settings
from tmo.errors import InputError, NotFound
from tmo.practices.curated import load_curated
from tmo.practices.places import Places
from tmo.practices.record import MAX_RECORD_BYTES, Practice, parse_practice

STATUSES = ("pending", "approved", "rejected")
SCHEMA = """
CREATE TABLE IF NOT EXISTS submission (
    id           TEXT PRIMARY KEY,
    status       TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
    text         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    origin       TEXT NOT NULL,
    submitted_at TEXT NOT NULL,
    reviewed_at  TEXT,
    reason       TEXT
);
CREATE INDEX IF NOT EXISTS submission_status ON submission (status);
"""


def default_queue_path() -> Path:
    """`$TMO_HOME/practices.sqlite` (TMO_HOME defaults to ~/.local/share/tmo)."""
    return settings().home / "practices.sqlite"


def _curated_ids() -> set[str]:
    return {r.id for r in load_curated()}


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Submission:
    id: str
    status: str
    title: str
    origin: str
    submitted_at: str
    reviewed_at: str | None
    reason: str | None
    sha256: str


class ModerationQueue:
    """Submit, list, approve and reject practice records stored in one SQLite file."""

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else default_queue_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise InputError(f"cannot open moderation queue {self.path}: {exc}") from None
        with closing(db):
            try:
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
            except sqlite3.DatabaseError as exc:
                raise InputError(
                    f"{self.path} is not a moderation queue database: {exc}"
                ) from None
            yield db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    # -- submission -------------------------------------------------------------------

    def submit(
        self, data: bytes | str, *, origin: str, taken_ids: Iterable[str] | None = None
    ) -> Practice:
        """Validate and enqueue one record as pending; InputError says why it was refused.

        taken_ids: ids of the curated records (default: read from the practices folder);
        a submission may not reuse them, and its `related` ids must be among them or
        among the approved submissions."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        if len(raw) > MAX_RECORD_BYTES:
            raise InputError(
                f"{origin}: submission is {len(raw):,} bytes; the limit is "
                f"{MAX_RECORD_BYTES:,} bytes ({MAX_RECORD_BYTES // 1024} KiB)",
                hint="a practice summary fits in a few paragraphs",
            )
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{origin}: submission is not UTF-8 text ({exc})") from None
        record = parse_practice(text, origin, provenance="submitted")
        taken = set(_curated_ids() if taken_ids is None else taken_ids)
        if record.id in taken:
            raise InputError(
                f"{origin}: id {record.id!r} is already used by a published practice",
                hint="choose another id",
            )
        with self._transaction() as db:
            row = db.execute("SELECT status FROM submission WHERE id = ?", (record.id,)).fetchone()
            if row is not None and row[0] != "rejected":
                raise InputError(
                    f"{origin}: id {record.id!r} is already in the queue ({row[0]})",
                    hint="choose another id, or wait for the review",
                )
            known = taken | {
                r[0] for r in db.execute("SELECT id FROM submission WHERE status = 'approved'")
            }
            dangling = [other for other in record.related if other not in known]
            if dangling:
                raise InputError(
                    f"{origin}: related practice(s) not found: {', '.join(dangling)}",
                    hint="`tmo practices list` shows the ids",
                )
            db.execute(
                "INSERT OR REPLACE INTO submission "
                "(id, status, text, sha256, origin, submitted_at, reviewed_at, reason) "
                "VALUES (?, 'pending', ?, ?, ?, ?, NULL, NULL)",
                (record.id, text, hashlib.sha256(raw).hexdigest(), origin, _now()),
            )
        return record

    def submit_file(
        self, path: Path | str, *, taken_ids: Iterable[str] | None = None
    ) -> Practice:
        path = Path(path)
        if not path.is_file():
            raise NotFound(f"submission file not found: {path}")
        size = path.stat().st_size
        if size > MAX_RECORD_BYTES:
            raise InputError(
                f"{path}: submission is {size:,} bytes; the limit is {MAX_RECORD_BYTES:,} bytes",
                hint="a practice summary fits in a few paragraphs",
            )
        return self.submit(path.read_bytes(), origin=str(path), taken_ids=taken_ids)

    # -- review -----------------------------------------------------------------------

    def _rows(self, where: str = "", params: tuple = ()) -> list[tuple]:
        with self._connect() as db:
            return db.execute(
                "SELECT id, status, text, origin, submitted_at, reviewed_at, reason, sha256 "
                f"FROM submission {where} ORDER BY submitted_at, id",
                params,
            ).fetchall()

    @staticmethod
    def _submission(row: tuple) -> Submission:
        rid, status, text, origin, submitted, reviewed, reason, sha = row
        title = parse_practice(text, f"queue:{rid}", provenance="submitted").title
        return Submission(rid, status, title, origin, submitted, reviewed, reason, sha)

    def list(self, status: str | None = "pending") -> list[Submission]:
        if status is None:
            return [self._submission(r) for r in self._rows()]
        if status not in STATUSES:
            raise InputError(f"unknown status {status!r}", hint="statuses: " + ", ".join(STATUSES))
        return [self._submission(r) for r in self._rows("WHERE status = ?", (status,))]

    def get(self, practice_id: str) -> Submission:
        rows = self._rows("WHERE id = ?", (practice_id,))
        if not rows:
            raise NotFound(f"no submission with id {practice_id!r} in {self.path}")
        return self._submission(rows[0])

    def _review(self, practice_id: str, status: str, reason: str | None) -> Submission:
        with self._transaction() as db:
            row = db.execute(
                "SELECT status FROM submission WHERE id = ?", (practice_id,)
            ).fetchone()
            if row is None:
                raise NotFound(
                    f"no submission with id {practice_id!r} in {self.path}",
                    hint="`tmo practices review` lists the pending submissions",
                )
            if row[0] != "pending":
                raise InputError(f"submission {practice_id!r} was already {row[0]}")
            db.execute(
                "UPDATE submission SET status = ?, reviewed_at = ?, reason = ? WHERE id = ?",
                (status, _now(), reason, practice_id),
            )
        return self.get(practice_id)

    def approve(
        self, practice_id: str, *, taken_ids: Iterable[str] | None = None
    ) -> Submission:
        """Publish a pending submission (refused if a curated record took its id since)."""
        if practice_id in set(_curated_ids() if taken_ids is None else taken_ids):
            raise InputError(
                f"cannot approve {practice_id!r}: a curated practice now uses that id",
                hint="reject it and ask for a resubmission under another id",
            )
        return self._review(practice_id, "approved", None)

    def reject(self, practice_id: str, reason: str) -> Submission:
        if not reason or not reason.strip():
            raise InputError("a rejection needs a reason (--reason TEXT)")
        return self._review(practice_id, "rejected", reason.strip())

    # builtins.list: in this class body `list` names the method above
    def published(self, *, places: Places | None = None) -> builtins.list[Practice]:
        """The approved submissions as practice records (country codes checked against
        `places`, default: `tmo.practices.places.default_places()`)."""
        return [
            parse_practice(row[2], f"queue:{row[0]}", provenance="submitted", places=places)
            for row in self._rows("WHERE status = 'approved'")
        ]


def published_version(path: Path) -> tuple[int, str] | None:
    """What identifies the queue's published set (how many approved, the latest review),
    read without creating or changing anything; None when there is no queue."""
    if not path.is_file():
        return None
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=5)
    except sqlite3.Error:
        return None
    try:
        row = db.execute("SELECT count(*), coalesce(max(reviewed_at), '') FROM submission "
                         "WHERE status = 'approved'").fetchone()
    except sqlite3.Error:  # no table yet, or a damaged file: nothing published
        return None
    finally:
        db.close()
    return (int(row[0]), str(row[1]))
