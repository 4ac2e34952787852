"""Locating official files in a mirror, verifying checksums, and the download cache."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from tmo.errors import SourceError
from tmo.sources import snapshot
from tmo.sources.base import Edition, FileSpec, SourceSpec
from tmo.sources.catalog import REFERENCE_SOURCES, load_catalog
from tmo.sources.snapshot import MirrorIndex, fetch, locate

from ..conftest import DATA


def _spec(*editions: Edition) -> SourceSpec:
    return SourceSpec("demo", "Demo", "Publisher", "CC BY 4.0", "cite", "2024", editions)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_every_declared_source_is_found_in_the_shared_mirror() -> None:
    index = MirrorIndex(DATA)
    catalog = load_catalog()
    assert set(REFERENCE_SOURCES) <= set(catalog)
    for spec in catalog.values():
        res = locate(spec, index)
        for snap in res.snapshots:
            declared = next(f for f in res.edition.files if f.name == snap.file)
            if declared.sha256:
                assert snap.sha256 == declared.sha256


def test_same_file_name_twice_is_told_apart_by_checksum() -> None:
    index = MirrorIndex(DATA)
    for key, folder in (("wpp2024", "wpp2024"), ("wpp2019", "wpp2019")):
        res = locate(load_catalog()[key], index)
        assert res.files["UNlocations.txt"].parent.name == folder


def test_first_complete_edition_wins(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.csv").write_bytes(b"x")
    spec = _spec(Edition("official", "m:f", (FileSpec("a.xlsx"),)),
                 Edition("mirror", "m:g", (FileSpec("b.csv"),)))
    res = locate(spec, MirrorIndex(tmp_path))
    assert res.edition.name == "mirror"
    assert res.files == {"b.csv": tmp_path / "sub" / "b.csv"}


def test_missing_files_are_named(tmp_path: Path) -> None:
    spec = _spec(Edition("official", "m:f", (FileSpec("a.xlsx"), FileSpec("c.xlsx"))))
    (tmp_path / "a.xlsx").write_bytes(b"x")
    with pytest.raises(SourceError, match=r"official edition lacks c\.xlsx"):
        locate(spec, MirrorIndex(tmp_path))


def test_wrong_checksum_is_an_error_unless_allowed(tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_bytes(b"changed")
    spec = _spec(Edition("official", "m:f", (FileSpec("a.csv", sha256=_sha(b"original")),)))
    with pytest.raises(SourceError, match=r"a\.csv: sha256 .* differs") as err:
        locate(spec, MirrorIndex(tmp_path))
    assert "--allow-changed-checksums" in (err.value.hint or "")
    res = locate(spec, MirrorIndex(tmp_path), allow_changed=True)
    assert res.snapshots[0].sha256 == _sha(b"changed")


def test_ambiguous_copies_without_checksum_are_an_error(tmp_path: Path) -> None:
    for d in ("x", "y"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "a.csv").write_bytes(d.encode())
    spec = _spec(Edition("official", "m:f", (FileSpec("a.csv"),)))
    with pytest.raises(SourceError, match=r"2 files named a\.csv"):
        locate(spec, MirrorIndex(tmp_path))


def test_missing_source_dir(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="does not exist"):
        MirrorIndex(tmp_path / "nope")


class _FakeResponse:
    def __init__(self, payload: bytes) -> None:
        self.payload = payload
        self.headers = {"Content-Length": str(len(payload))}

    def read(self, n: int) -> bytes:
        chunk, self.payload = self.payload[:n], self.payload[n:]
        return chunk

    def __enter__(self) -> _FakeResponse:
        return self

    def __exit__(self, *args: object) -> None:
        return None


def test_download_once_then_reuse_and_detect_damage(tmp_path: Path, monkeypatch) -> None:
    payload = b"year,orig_iso3\n"
    calls: list[str] = []

    def fake_urlopen(request, timeout):
        calls.append(request.full_url)
        return _FakeResponse(payload)

    monkeypatch.setattr(snapshot.urllib.request, "urlopen", fake_urlopen)
    spec = _spec(Edition("official", "m:f",
                         (FileSpec("a.csv", url="https://example.org/a.csv",
                                   sha256=_sha(payload)),)))
    first = fetch(spec, tmp_path)
    cached = tmp_path / "demo" / "a.csv"
    assert first.files["a.csv"] == cached
    assert cached.read_bytes() == payload
    meta = json.loads((tmp_path / "demo" / "a.csv.meta.json").read_text())
    assert meta["sha256"] == _sha(payload)
    assert meta["url"] == "https://example.org/a.csv"
    fetch(spec, tmp_path)
    assert len(calls) == 1, "a cached file is not downloaded again"
    cached.write_bytes(b"damaged")
    with pytest.raises(SourceError, match="is damaged"):
        fetch(spec, tmp_path)


def test_download_with_wrong_checksum_is_not_kept(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(snapshot.urllib.request, "urlopen",
                        lambda request, timeout: _FakeResponse(b"other"))
    spec = _spec(Edition("official", "m:f",
                         (FileSpec("a.csv", url="https://example.org/a.csv",
                                   sha256=_sha(b"expected")),)))
    with pytest.raises(SourceError, match="differs"):
        fetch(spec, tmp_path)
    assert not (tmp_path / "demo" / "a.csv").exists()
