"""The curated records: the folder they live in and their loading.

The folder is `Settings.practices_dir` (`$TMO_PRACTICES_DIR`) when set, else the
`practices/` folder at the root of the repository (next to `src/`). Both the catalog
and the moderation queue (which refuses submissions reusing a curated id) read it here.
"""

from __future__ import annotations

from pathlib import Path

from tmo.config import settings
from tmo.errors import InputError, NotFound
from tmo.practices.places import Places, default_places
from tmo.practices.record import Practice, parse_practice

REPOSITORY_DIR = Path(__file__).resolve().parents[3] / "practices"


def practices_dir() -> Path:
    """The folder of curated records: $TMO_PRACTICES_DIR, else <repo>/practices."""
    folder = settings().practices_dir or REPOSITORY_DIR
    if not folder.is_dir():
        raise NotFound(
            f"good-practice folder not found: {folder}",
            hint="set TMO_PRACTICES_DIR to the folder holding the practice Markdown files",
        )
    return folder


def load_curated(directory: Path | None = None, *, places: Places | None = None
                 ) -> list[Practice]:
    """Parse every `*.md` record of the folder; one InputError lists all bad files.
    `places`: the country registry the codes are checked against (default: the store's
    when one is built, else the committed ISO 3166 table)."""
    folder = directory or practices_dir()
    places = places or default_places()
    records: list[Practice] = []
    errors: list[str] = []
    for path in sorted(folder.glob("*.md")):
        try:
            record = parse_practice(path.read_text(encoding="utf-8"), str(path), places=places)
        except InputError as exc:
            errors.append(str(exc))
            continue
        if record.id != path.stem:
            errors.append(f"{path}: id {record.id!r} differs from the file name {path.stem!r}")
        records.append(record)
    if errors:
        raise InputError(
            f"{len(errors)} invalid practice file(s) in {folder}:\n" + "\n".join(errors)
        )
    return records
