"""Moderation queue: submit, review, publish; refusals; durability when killed."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.practices.conftest import submission_text
from tmo.errors import InputError, NotFound
from tmo.practices.catalog import load_catalog
from tmo.practices.queue import ModerationQueue, default_queue_path
from tmo.practices.record import MAX_RECORD_BYTES
from tmo.practices.search import PracticeSearch


@pytest.fixture
def queue(tmp_path: Path) -> ModerationQueue:
    return ModerationQueue(tmp_path / "queue.sqlite")


def test_default_path_under_tmo_home(tmo_home: Path) -> None:
    assert default_queue_path() == tmo_home / "practices.sqlite"
    assert ModerationQueue().path == tmo_home / "practices.sqlite"
    assert (tmo_home / "practices.sqlite").is_file()


def test_submit_review_publish(queue: ModerationQueue, catalog) -> None:
    record = queue.submit(submission_text(), origin="desks.md", taken_ids=catalog.ids)
    assert record.provenance == "submitted"
    assert [s.id for s in queue.list()] == ["prt-lisbon-welcome-desks"]
    assert queue.published() == []
    # pending submissions are not searchable
    assert "prt-lisbon-welcome-desks" not in load_catalog(queue=queue.path).ids

    done = queue.approve("prt-lisbon-welcome-desks", taken_ids=catalog.ids)
    assert done.status == "approved"
    assert done.reviewed_at
    assert queue.list() == []
    published = load_catalog(queue=queue.path)
    assert len(published) == len(catalog) + 1
    hits = PracticeSearch(published, semantic=False).search("welcome desks for new families")
    assert hits[0].practice.id == "prt-lisbon-welcome-desks"
    assert hits[0].practice.provenance == "submitted"


def test_reject_keeps_the_reason_and_allows_resubmission(queue: ModerationQueue) -> None:
    queue.submit(submission_text(), origin="a.md")
    with pytest.raises(InputError, match="needs a reason"):
        queue.reject("prt-lisbon-welcome-desks", " ")
    done = queue.reject("prt-lisbon-welcome-desks", "no source given")
    assert (done.status, done.reason) == ("rejected", "no source given")
    assert queue.get("prt-lisbon-welcome-desks").reason == "no source given"
    with pytest.raises(InputError, match="already rejected"):
        queue.approve("prt-lisbon-welcome-desks")
    queue.submit(submission_text(), origin="b.md")
    assert queue.get("prt-lisbon-welcome-desks").status == "pending"


def test_refusals_have_clear_messages(queue: ModerationQueue, catalog, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="already used by a published practice"):
        queue.submit(submission_text("ury-departamento-20"), origin="x.md", taken_ids=catalog.ids)
    with pytest.raises(InputError, match=r"bytes; the limit is 65,536 bytes"):
        queue.submit("x" * (MAX_RECORD_BYTES + 1), origin="big.md")
    with pytest.raises(InputError, match="not UTF-8"):
        queue.submit(b"---\n\xff\xfe\n---\n", origin="bin.md")
    with pytest.raises(InputError, match=r"(?s)bad\.md: invalid practice record.*level"):
        queue.submit(submission_text().replace("level: local", "level: city"), origin="bad.md")
    with pytest.raises(InputError, match="related practice"):
        queue.submit(
            submission_text().replace("prt-talude-childcare-education", "no-such-practice"),
            origin="rel.md",
        )
    queue.submit(submission_text(), origin="a.md")
    with pytest.raises(InputError, match=r"already in the queue \(pending\)"):
        queue.submit(submission_text(), origin="again.md")
    with pytest.raises(NotFound):
        queue.approve("never-submitted")
    with pytest.raises(NotFound, match="submission file not found"):
        queue.submit_file(tmp_path / "absent.md")
    big = tmp_path / "big.md"
    big.write_bytes(b"a" * (MAX_RECORD_BYTES + 10))
    with pytest.raises(InputError, match=r"big\.md: submission is"):
        queue.submit_file(big)
    # nothing refused was stored
    assert [s.id for s in queue.list(None)] == ["prt-lisbon-welcome-desks"]


def test_approval_refused_when_a_curated_record_took_the_id(queue: ModerationQueue) -> None:
    queue.submit(submission_text(), origin="a.md")
    with pytest.raises(InputError, match="curated practice now uses that id"):
        queue.approve("prt-lisbon-welcome-desks", taken_ids={"prt-lisbon-welcome-desks"})


def test_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "junk.sqlite"
    path.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(InputError, match="not a moderation queue database"):
        ModerationQueue(path)


def test_a_failed_transaction_leaves_nothing(queue: ModerationQueue) -> None:
    def killed_between_statements() -> None:
        with queue._transaction() as db:
            db.execute("INSERT INTO submission "
                       "VALUES ('half', 'pending', 'x', 'x', 'x', 'now', NULL, NULL)")
            raise RuntimeError("killed between statements")

    with pytest.raises(RuntimeError, match="killed between statements"):
        killed_between_statements()
    assert queue.list(None) == []


WRITER = textwrap.dedent(
    """
    import sys
    from tests.practices.conftest import submission_text
    from tmo.practices.catalog import load_curated
    from tmo.practices.queue import ModerationQueue

    queue = ModerationQueue(sys.argv[1])
    taken = {r.id for r in load_curated()}
    for i in range(100000):
        text = submission_text(f"kill-test-{i}")
        record = queue.submit(text, origin=f"s{i}.md", taken_ids=taken)
        print(record.id, flush=True)
    """
)


@pytest.mark.parametrize("acknowledged", [5, 23, 40])
def test_nothing_acknowledged_is_lost_when_killed(tmp_path: Path, acknowledged: int) -> None:
    """SIGKILL a process that submits in a loop; every acknowledged submission survives,
    the database is intact, and no half-written row exists."""
    path = tmp_path / "queue.sqlite"
    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=f"{repo}{os.pathsep}{repo / 'src'}")
    proc = subprocess.Popen(
        [sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE, text=True, cwd=repo,
        env=env,
    )
    seen: list[str] = []
    try:
        assert proc.stdout is not None
        while len(seen) < acknowledged:
            line = proc.stdout.readline()
            assert line, "writer died early"
            seen.append(line.strip())
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    queue = ModerationQueue(path)
    stored = {s.id for s in queue.list(None)}  # parsing every row proves none is partial
    assert set(seen) <= stored
    assert len(stored) <= len(seen) + 1  # at most the one committed before its print
