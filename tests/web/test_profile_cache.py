"""The kept profile answers: equal to the profile built directly, one build per key however
many ask at once, bounded, warmed in a separate process that stops with the server, and
saved beside the store for the next start."""

from __future__ import annotations

import gzip
import io
import json
import os
import pickle
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from tmo.errors import NotFound
from tmo.profiles.context import build_profile
from tmo.web import answer_file, profile_cache
from tmo.web.profile_cache import API_OMITS, ProfileAnswer, ProfileCache


@pytest.fixture(scope="module")
def store_copy(store: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store in a folder of its own: the warm-up saves its answers beside it."""
    copy = tmp_path_factory.mktemp("cache") / "tmo.duckdb"
    shutil.copy2(store, copy)
    return copy


def cache_over(db: Path, **kwargs) -> ProfileCache:
    return ProfileCache(db, duckdb.connect(str(db), read_only=True), **kwargs)


def wait_for(cache: ProfileCache, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while cache.status()["state"] == "warming":
        assert time.monotonic() < deadline, cache.status()
        time.sleep(0.1)
    return cache.status()


def test_answer_is_the_profile(store_copy: Path) -> None:
    cache = cache_over(store_copy)
    answer = cache.answer(("MDA", None, None))
    expected = build_profile(store_copy, "MDA")
    assert answer.data() == expected
    body = json.loads(answer.body)
    assert body["status"] == "ok"
    assert body["data"] == {k: v for k, v in expected.items() if k not in API_OMITS}
    assert gzip.decompress(answer.body_gz) == answer.body
    assert cache.get(("MDA", None, None)) is answer


def test_one_build_per_key_however_many_ask(store_copy: Path, monkeypatch) -> None:
    cache = cache_over(store_copy)
    calls: list[tuple] = []
    real = profile_cache.build_answer
    gate = threading.Event()

    def slow_build(con, key):
        calls.append(key)
        gate.wait(10)
        return real(con, key)

    monkeypatch.setattr(profile_cache, "build_answer", slow_build)
    futures = [cache.future(("TUV", None, None)) for _ in range(20)]
    gate.set()
    answers = {f.result(timeout=60) for f in futures}
    assert calls == [("TUV", None, None)] and len(answers) == 1
    assert cache.future(("TUV", None, None)).result() is answers.pop()  # kept, not rebuilt
    assert len(calls) == 1


def test_unknown_country_refused_without_a_build(store_copy: Path, monkeypatch) -> None:
    cache = cache_over(store_copy)
    monkeypatch.setattr(profile_cache, "build_answer", lambda con, key: pytest.fail("built"))
    with pytest.raises(NotFound, match="unknown country 'ZZZ'"):
        cache.answer(("ZZZ", None, None))


def test_bad_year_is_not_kept(store_copy: Path) -> None:
    cache = cache_over(store_copy)
    with pytest.raises(NotFound, match="not an estimate year"):
        cache.answer(("MDA", 2023, None))
    assert len(cache) == 0 and not cache._pending


def test_least_recently_used_goes_first(store_copy: Path) -> None:
    cache = cache_over(store_copy, maxsize=2)
    parts = ProfileAnswer(b"{}", b"{}", gzip.compress(b"{}"))
    cache.put(("A", None, None), parts)
    cache.put(("B", None, None), parts)
    assert cache.get(("A", None, None)) is parts  # A is now the most recent
    cache.put(("C", None, None), parts)
    assert cache.get(("B", None, None)) is None
    assert cache.get(("A", None, None)) is parts and len(cache) == 2


def test_warm_up_builds_in_a_process_saves_and_a_restart_reads(store_copy: Path) -> None:
    saved = answer_file.path_for(store_copy)
    saved.unlink(missing_ok=True)
    cache = cache_over(store_copy)
    cache.warm(["MDA", "TUV", "OOO"])  # OOO (no country of birth) builds too
    status = wait_for(cache)
    assert status["state"] == "done", status
    assert status["ready"] == status["total"] == 3 and status["loaded"] == 0
    assert status["saved"] == 3 and saved.is_file()
    assert cache.get(("MDA", None, None)).data() == build_profile(store_copy, "MDA")

    again = cache_over(store_copy)
    again.warm(["MDA", "TUV", "OOO"])
    status = wait_for(again, seconds=10)
    assert status["loaded"] == 3 and status["ready"] == 3 and status["state"] == "done"
    assert "saved" not in status  # nothing new to save
    assert again.get(("TUV", None, None)) == cache.get(("TUV", None, None))


def test_saved_answers_of_another_store_or_code_are_not_read(tmp_path: Path) -> None:
    file = tmp_path / "x.profiles.sqlite"
    row = (("MDA", None, None), (b"{}", b"{}", b"gz"))
    assert answer_file.write(file, "fp-1", [row]) == 1
    assert answer_file.read(file, "fp-1") == [row]
    assert answer_file.read(file, "fp-2") == []
    file.write_bytes(b"not a database")
    assert answer_file.read(file, "fp-1") == []
    assert answer_file.read(tmp_path / "absent.sqlite", "fp-1") == []


def test_fingerprint_follows_the_store_file(store_copy: Path, tmp_path: Path) -> None:
    other = tmp_path / "tmo.duckdb"
    shutil.copy2(store_copy, other)
    first = answer_file.fingerprint(other, "2026-01-01")
    assert answer_file.fingerprint(other, "2026-01-01") == first
    assert answer_file.fingerprint(other, "2026-01-02") != first  # another build
    stat = other.stat()
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
    assert answer_file.fingerprint(other, "2026-01-01") != first  # the file changed


def test_unwritable_folder_only_costs_a_warm_up(store_copy: Path, tmp_path: Path,
                                                monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(answer_file, "write", refuse)
    cache = cache_over(store_copy)
    cache.put(("MDA", None, None), ProfileAnswer(b"{}", b"{}", b""))
    cache._warm = {"state": "done", "ready": 1, "total": 1, "failed": {}}
    cache._save(tmp_path / "x.sqlite", "fp", [("MDA", None, None)])
    assert cache.status()["saved"] == 0


def test_warm_up_stops_with_the_server(store_copy: Path) -> None:
    answer_file.path_for(store_copy).unlink(missing_ok=True)
    cache = cache_over(store_copy)
    thread = cache.warm()  # every country: far more than it can build before the stop
    deadline = time.monotonic() + 60
    while cache._proc is None and time.monotonic() < deadline:
        time.sleep(0.05)
    proc = cache._proc
    cache.stop()
    thread.join(timeout=20)
    assert not thread.is_alive()
    assert proc.poll() is not None
    status = cache.status()
    assert status["state"] == "stopped" and status["ready"] < status["total"]


def test_warm_up_process_ends_when_its_server_dies(store_copy: Path, tmp_path: Path) -> None:
    # a stand-in server starts the warm-up process, reports its pid and dies at once
    script = (
        "import subprocess, sys\n"
        "p = subprocess.Popen([sys.executable, '-m', 'tmo.web.warm_up', sys.argv[1],"
        " *['MDA'] * 200], stdout=subprocess.PIPE)\n"
        "print(p.pid, flush=True)\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(store_copy)], capture_output=True,
                         text=True, check=True, timeout=60)
    pid = int(out.stdout.strip())
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
        except FileNotFoundError:
            return
        if state == "Z":  # exited, waiting to be reaped by init
            return
        time.sleep(0.2)
    pytest.fail(f"warm-up process {pid} still runs after its server died")


def test_warm_up_stream(store_copy: Path) -> None:
    out = subprocess.run([sys.executable, "-m", "tmo.web.warm_up", str(store_copy), "MDA",
                          "QQQ"], capture_output=True, check=True, timeout=120).stdout
    stream = io.BytesIO(out)
    key, parts, error = pickle.load(stream)
    assert key == ("MDA", None, None) and error is None
    assert ProfileAnswer(*parts).data()["country"]["iso3"] == "MDA"
    key, parts, error = pickle.load(stream)
    assert key == ("QQQ", None, None) and parts is None and "unknown country" in error


def test_one_process_builds_the_others_wait_and_read(store_copy: Path) -> None:
    saved = answer_file.path_for(store_copy)
    saved.unlink(missing_ok=True)
    with answer_file.builder(saved) as mine:  # another worker of the server is building
        assert mine
        cache = cache_over(store_copy)
        cache.warm(["MDA", "TUV"])
        time.sleep(1.5)
        status = cache.status()
        assert status["state"] == "warming" and "another process" in status["waiting"]
        assert cache._proc is None  # it builds nothing itself
        with answer_file.builder(saved) as second:
            assert not second  # the lock is held
        builder = cache_over(store_copy)
        for key in (("MDA", None, None), ("TUV", None, None)):
            builder.put(key, builder.answer(key))
        builder._warm = {"state": "warming", "ready": 2, "total": 2, "failed": {}}
        builder._save(saved, answer_file.fingerprint(store_copy, builder._build_time()),
                      [("MDA", None, None), ("TUV", None, None)])
    status = wait_for(cache, seconds=20)
    assert status["state"] == "done" and status["loaded"] == 2 and cache._proc is None
    assert cache.get(("MDA", None, None)) == builder.get(("MDA", None, None))
