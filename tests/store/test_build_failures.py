"""Bad input gives one clear error naming the file and place, and the store is untouched."""

from __future__ import annotations

import gzip
import hashlib
import shutil
from pathlib import Path

import openpyxl
import pytest

from tmo.errors import SchemaError, SourceError
from tmo.store.build import build

from ..conftest import DATA
from .conftest import settings_for

OD_CSV = "ims2024_od_by_sex_long.csv.gz"
DEST_XLSX = "undesa_pd_2024_ims_stock_by_sex_and_destination.xlsx"


def mirror_with(tmp: Path, replaced: str) -> tuple[Path, Path]:
    """A mirror of ../shared/data made of links, except a real copy of `replaced`."""
    root = tmp / "mirror"
    for src in DATA.rglob("*"):
        if src.is_file():
            dst = root / src.relative_to(DATA)
            dst.parent.mkdir(parents=True, exist_ok=True)
            if src.name == replaced:
                dst.write_bytes(src.read_bytes())
                target = dst
            else:
                dst.symlink_to(src)
    return root, target


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def good_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small good store, built once for the module."""
    return build(settings_for(tmp_path_factory.mktemp("good")), keys=["rpw_corridors"]).db_path


@pytest.fixture
def previous(good_store: Path, tmp_path: Path) -> Path:
    """A copy of the small good store that a failed build must leave exactly as it was."""
    folder = tmp_path / "previous"
    folder.mkdir()
    return Path(shutil.copy(good_store, folder / good_store.name))


def assert_untouched(store: Path, before: str) -> None:
    assert digest(store) == before
    leftovers = [p.name for p in store.parent.iterdir() if ".building-" in p.name]
    assert leftovers == []


def rewrite_csv(path: Path, edit) -> None:
    lines = gzip.decompress(path.read_bytes()).decode().splitlines()
    # level 1: ten times faster than the default on the 2024 table, and still new bytes
    path.write_bytes(gzip.compress(("\n".join(edit(lines)) + "\n").encode(), 1))


def test_unknown_country_code(tmp_path: Path, previous: Path) -> None:
    before = digest(previous)
    mirror, csv = mirror_with(tmp_path, OD_CSV)
    rewrite_csv(csv, lambda ls: [*ls[:2], ls[2].replace(ls[2].split(",")[1], "ZZZ", 1), *ls[3:]])
    with pytest.raises(SourceError, match=r"ZZZ") as err:
        build(settings_for(previous.parent, mirror), keys=["ims_od_2024"], allow_changed=True)
    assert "ims_od_2024" in str(err.value)
    assert "3" in str(err.value)
    assert_untouched(previous, before)


def test_negative_stock(tmp_path: Path, previous: Path) -> None:
    before = digest(previous)
    mirror, csv = mirror_with(tmp_path, OD_CSV)

    def negate(lines: list[str]) -> list[str]:
        cells = lines[5].split(",")
        cells[4] = "-" + cells[4]
        return [*lines[:5], ",".join(cells), *lines[6:]]

    rewrite_csv(csv, negate)
    with pytest.raises(SourceError, match=r"(?i)negative") as err:
        build(settings_for(previous.parent, mirror), keys=["ims_od_2024"], allow_changed=True)
    assert OD_CSV in str(err.value)
    assert "6" in str(err.value)
    assert_untouched(previous, before)


def test_truncated_workbook(tmp_path: Path, previous: Path) -> None:
    before = digest(previous)
    mirror, xlsx = mirror_with(tmp_path, DEST_XLSX)
    xlsx.write_bytes(xlsx.read_bytes()[: 100_000])
    with pytest.raises(SourceError, match=DEST_XLSX):
        build(settings_for(previous.parent, mirror), keys=["ims_destination_2024"],
              allow_changed=True)
    assert_untouched(previous, before)


def test_moved_header(tmp_path: Path, previous: Path) -> None:
    before = digest(previous)
    mirror, xlsx = mirror_with(tmp_path, DEST_XLSX)
    book = openpyxl.load_workbook(xlsx)
    book["Table 1"].insert_rows(3, amount=2)
    book.save(xlsx)
    with pytest.raises(SchemaError, match=r"Table 1") as err:
        build(settings_for(previous.parent, mirror), keys=["ims_destination_2024"],
              allow_changed=True)
    assert DEST_XLSX in str(err.value)
    assert_untouched(previous, before)


def test_wrong_checksum_without_permission(tmp_path: Path, previous: Path) -> None:
    before = digest(previous)
    mirror, csv = mirror_with(tmp_path, OD_CSV)
    rewrite_csv(csv, lambda ls: ls)  # same content, new bytes
    with pytest.raises(SourceError, match="sha256"):
        build(settings_for(previous.parent, mirror), keys=["ims_od_2024"])
    assert_untouched(previous, before)
