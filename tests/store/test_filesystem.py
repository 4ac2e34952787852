"""Problems of the file system are one line each saying what is wrong and where
(`tmo.sources.snapshot`): missing, dangling or looping links, special files, folders that
cannot be listed, files that cannot be read. Tests run as root, which reads everything,
so permission is denied through `os.access` (what the build asks) or `os.scandir`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tmo.errors import SourceError
from tmo.sources import snapshot
from tmo.sources.base import Edition, FileSpec, SourceSpec
from tmo.sources.snapshot import MirrorIndex, locate, unusable


def _spec(*names: str) -> SourceSpec:
    return SourceSpec("demo", "Demo", "Publisher", "CC BY 4.0", "cite", "2024",
                      (Edition("official", "m:f", tuple(FileSpec(n) for n in names)),))


def _error(root: Path, *names: str) -> str:
    with pytest.raises(SourceError) as err:
        locate(_spec(*names), MirrorIndex(root))
    assert "\n" not in str(err.value)
    return str(err.value)


def test_dangling_link(tmp_path: Path) -> None:
    (tmp_path / "a.csv").symlink_to(tmp_path / "gone.csv")
    assert _error(tmp_path, "a.csv") == (f"{tmp_path}/a.csv: is a symbolic link to "
                                         f"'{tmp_path}/gone.csv', which does not exist "
                                         "(a dangling link)")


def test_loop_of_links(tmp_path: Path) -> None:
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    assert "a.csv: is a symbolic link to" in _error(tmp_path, "a.csv")
    assert "in a loop of links that never reaches a file" in _error(tmp_path, "a.csv")


@pytest.mark.parametrize(("make", "kind"), [
    (lambda p: p.symlink_to("/dev/zero"), "a character device"),
    (os.mkfifo, "a named pipe (FIFO)"),
])
def test_special_files_are_never_read(tmp_path: Path, make, kind: str) -> None:
    """/dev/zero would be hashed for ever, a FIFO would block the build."""
    make(tmp_path / "a.csv")
    assert _error(tmp_path, "a.csv") == f"{tmp_path}/a.csv: is not a regular file but {kind}"


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a.csv").write_text("x")
    (tmp_path / "a.csv").chmod(0o000)
    monkeypatch.setattr(snapshot.os, "access", lambda path, mode: False)
    assert unusable(tmp_path / "a.csv") == ("cannot be read: permission denied (mode "
                                            f"----------, owner uid {os.getuid()})")


def test_unreadable_folder_is_named_when_a_file_is_not_found(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "a.csv").write_text("x")
    real_scandir = os.scandir

    def scandir(path: str = ".") -> object:
        if str(path) == str(tmp_path / "sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    message = _error(tmp_path, "a.csv")
    assert "official edition lacks a.csv" in message
    assert f"1 folder(s) could not be searched, e.g. {tmp_path}/sub: " in message
    assert "Permission denied" in message


@pytest.mark.parametrize(("make", "said"), [
    (lambda root: root / "absent", "does not exist"),
    (lambda root: (root / "f.txt").write_text("x") and root / "f.txt", "is a file, not a folder"),
])
def test_source_folder_problems(tmp_path: Path, make, said: str) -> None:
    root = make(tmp_path)
    with pytest.raises(SourceError, match=f"^source directory {root} {said}$") as err:
        MirrorIndex(root)
    assert "--source-dir" in (err.value.hint or "")


def test_source_folder_without_permission(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                          ) -> None:
    monkeypatch.setattr(snapshot.os, "access", lambda path, mode: False)
    with pytest.raises(SourceError, match=r"cannot be listed: permission denied \(mode d"):
        MirrorIndex(tmp_path)


def test_links_to_folders_are_followed_once(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.csv").write_text("x")
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "linked").symlink_to(data)
    (data / "back").symlink_to(mirror)  # a loop of folders
    res = locate(_spec("a.csv"), MirrorIndex(mirror))
    assert res.files["a.csv"] == mirror / "linked" / "a.csv"
