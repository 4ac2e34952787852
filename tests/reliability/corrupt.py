"""Corrupted copies of the real official files (../shared/data), made by the corpus tests.

Every damage starts from the bytes of a real file and changes as little as it can:
a cell of a CSV line, a cell of a worksheet's XML (the rest of the .xlsx copied part by
part), a double or a string inside an R serialisation (recompressed), a NUMBER record
of a BIFF .xls; or the whole file (truncated, bytes flipped, emptied, another encoding,
a compressed bomb). `Mirror` lays out a source folder of links to the real files with
one file replaced, so that `tmo build --source-dir` finds everything else untouched.
"""

from __future__ import annotations

import csv
import gzip
import io
import re
import shutil
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable
from functools import cache
from pathlib import Path

import openpyxl
import pandas as pd

from tmo.sources import rda

from ..conftest import DATA

GIB = 1024**3
MIB = 1024**2


# ---------------------------------------------------------------- the mirror

class Mirror:
    """A source folder: a symbolic link to every real file, except those replaced."""

    def __init__(self, root: Path) -> None:
        self.root = root
        for src in DATA.rglob("*"):
            if src.is_file():
                dst = root / src.relative_to(DATA)
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.symlink_to(src)

    def path(self, name: str) -> Path:
        """Where the file `name` is in the mirror (or would be, beside its kin)."""
        found = list(self.root.rglob(name))
        if found:
            return found[0]
        return self.root / FOLDER.get(name, "extra") / name

    def replace(self, name: str, data: bytes) -> Path:
        path = self.path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.unlink(missing_ok=True)
        path.write_bytes(data)
        return path


# Where files absent from ../shared/data would go (checksum-free official editions).
FOLDER = {"WPP2024_Demographic_Indicators_Medium.csv.gz": "wpp2024",
          "undesa_pd_2024_ims_stock_by_sex_destination_and_origin.xlsx": "undesa_ims/official"}


@cache
def real(name: str) -> Path:
    """The real file of that name in ../shared/data (the first, by path)."""
    return sorted(DATA.rglob(name))[0]


def original(name: str) -> bytes:
    return real(name).read_bytes()


# ---------------------------------------------------------------- whole files

def truncated(name: str, fraction: float = 0.5) -> bytes:
    data = original(name)
    return data[: int(len(data) * fraction)]


def flipped(name: str, at: float = 0.5, count: int = 64) -> bytes:
    """`count` bytes inverted from `at` (a fraction of the file)."""
    data = bytearray(original(name))
    start = int(len(data) * at)
    for i in range(start, min(start + count, len(data))):
        data[i] ^= 0xFF
    return bytes(data)


def gz(text: str, encoding: str = "utf-8") -> bytes:
    return gzip.compress(text.encode(encoding), 1)


def gzip_bomb(size: int = GIB, prefix: bytes = b"") -> bytes:
    """About 1 MB that gunzips to `size` bytes of zeros (after `prefix`): one gzip member
    of 1 MiB of zeros, repeated (a gzip file may hold many members)."""
    member = gzip.compress(b"\0" * MIB, 9)
    head = gzip.compress(prefix, 9) if prefix else b""
    return head + member * (size // MIB)


def zip_bomb(name: str, part: str, size: int = GIB) -> bytes:
    """The real .xlsx `name` with its part `part` replaced by `size` bytes of blanks,
    honestly deflated (declared size, CRC and all): about 1 MB."""
    chunk = b" " * MIB
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    body = block * (size // MIB) + deflate.flush()
    crc = 0
    for _ in range(size // MIB):
        crc = zlib.crc32(chunk, crc)
    out = io.BytesIO()
    # name, crc, compressed size, size, offset, method
    entries: list[tuple[bytes, int, int, int, int, int]] = []
    with zipfile.ZipFile(real(name)) as book:
        for info in book.infolist():
            raw_name = info.filename.encode()
            if info.filename == part:
                data, method, data_crc, full = body, 8, crc, size
            else:
                full_data = book.read(info)
                packer = zlib.compressobj(9, zlib.DEFLATED, -15)
                data = packer.compress(full_data) + packer.flush()
                method, data_crc, full = 8, zlib.crc32(full_data), len(full_data)
            offset = out.tell()
            out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0, data_crc,
                                  len(data), full, len(raw_name), 0))
            out.write(raw_name)
            out.write(data)
            entries.append((raw_name, data_crc, len(data), full, offset, method))
    start = out.tell()
    for raw_name, data_crc, csize, full, offset, method in entries:
        out.write(struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0,
                              data_crc, csize, full, len(raw_name), 0, 0, 0, 0, 0, offset))
        out.write(raw_name)
    end = out.tell()
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries),
                          end - start, start, 0))
    return out.getvalue()


# ---------------------------------------------------------------- text files

@cache
def text(name: str, encoding: str = "utf-8-sig") -> str:
    data = original(name)
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode(encoding)


def set_field(line: str, column: int, value: str, sep: str = ",") -> str:
    cells = line.split(sep)
    cells[column] = value
    return sep.join(cells)


def edit_lines(name: str, edit: Callable[[list[str]], list[str]], *, encoding: str = "utf-8",
               ) -> bytes:
    """The text file `name` (gunzipped if needed) with its lines edited, encoded and
    gzipped again if it was."""
    lines = text(name).split("\n")
    out = "\n".join(edit(list(lines)))
    data = out.encode(encoding)
    if original(name)[:2] == b"\x1f\x8b":
        data = gzip.compress(data, 1)
    return data


def cell_edit(name: str, line: int, column: int | str, value: str, sep: str = ",") -> bytes:
    """The text file with the field `column` (position or header name) of line `line`
    (1 = the header) set to `value`."""
    def edit(lines: list[str]) -> list[str]:
        col = column if isinstance(column, int) else lines[0].split(sep).index(column)
        lines[line - 1] = set_field(lines[line - 1], col, value, sep)
        return lines
    return edit_lines(name, edit)


def csv_cell(name: str, line: int, column: str, value: str) -> bytes:
    """A quoted CSV (fields may hold commas) with one field of line `line` replaced;
    every other line is kept byte for byte."""
    lines = text(name).split("\n")
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[line - 1]]))
    cells[header.index(column)] = value
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    lines[line - 1] = out.getvalue()
    data = "\n".join(lines).encode("utf-8")
    return gzip.compress(data, 1) if original(name)[:2] == b"\x1f\x8b" else data


def csv_line(name: str, test: Callable[[dict[str, str]], bool]) -> int:
    """The first data line (1-based) of a quoted CSV whose record passes `test`."""
    rows = csv.DictReader(io.StringIO(text(name)))
    for number, record in enumerate(rows, start=2):
        if test(record):
            return number
    raise LookupError(name)


def line_of(name: str, test: Callable[[list[str]], bool], sep: str = ",") -> int:
    """The first line (1-based, after the header) whose fields pass `test`."""
    for i, line in enumerate(text(name).split("\n")[1:], start=2):
        if test(line.split(sep)):
            return i
    raise LookupError(name)


# ---------------------------------------------------------------- xlsx workbooks

@cache
def parts(name: str) -> dict[str, bytes]:
    with zipfile.ZipFile(real(name)) as book:
        return {info.filename: book.read(info) for info in book.infolist()}


@cache
def sheet_part(name: str, sheet: str) -> str:
    """The worksheet part of a sheet, through xl/workbook.xml and its relationships."""
    found = parts(name)
    rel = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="(rId\d+)"',
                    found["xl/workbook.xml"].decode())
    assert rel, sheet
    target = re.search(rf'Id="{rel.group(1)}"[^>]*Target="([^"]+)"|Target="([^"]+)"[^>]*'
                       rf'Id="{rel.group(1)}"', found["xl/_rels/workbook.xml.rels"].decode())
    assert target
    path = (target.group(1) or target.group(2)).lstrip("/")
    return path if path.startswith("xl/") else f"xl/{path}"


def xlsx(name: str, edits: dict[str, Callable[[str], str]]) -> bytes:
    """The real .xlsx with some parts' XML edited (part -> edit), everything else copied."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as book:
        for part, data in parts(name).items():
            edited = edits[part](data.decode("utf-8")).encode("utf-8") if part in edits else data
            book.writestr(part, edited)
    return out.getvalue()


def set_cell(xml: str, ref: str, value: str, *, kind: str = "n") -> str:
    """The worksheet XML with cell `ref` holding `value`: a number cell's raw text
    (kind "n": '1e30', 'inf', '-1') or an inline string (kind "text")."""
    pattern = re.compile(rf'<c r="{ref}"([^>]*?)(/>|>.*?</c>)', re.S)
    match = pattern.search(xml)
    assert match, ref
    attrs = re.sub(r'\s+t="[^"]*"', "", match.group(1))
    cell = (f'<c r="{ref}"{attrs}><v>{value}</v></c>' if kind == "n" else
            f'<c r="{ref}"{attrs} t="inlineStr"><is><t>{value}</t></is></c>')
    return xml[:match.start()] + cell + xml[match.end():]


def cell_value(xml: str, ref: str) -> str | None:
    match = re.search(rf'<c r="{ref}"[^>]*>(?:<f>[^<]*</f>)?<v>([^<]*)</v>', xml)
    return match.group(1) if match else None


def xlsx_cell(name: str, sheet: str, ref: str, value: str, *, kind: str = "n") -> bytes:
    part = sheet_part(name, sheet)
    return xlsx(name, {part: lambda xml: set_cell(xml, ref, value, kind=kind)})


def number_cell(name: str, sheet: str, min_row: int, min_column: str = "B") -> str:
    """The reference of the first number cell at or below `min_row`, from `min_column`."""
    xml = parts(name)[sheet_part(name, sheet)].decode()
    for match in re.finditer(r'<c r="([A-Z]+)(\d+)"([^>]*)><v>[^<]*</v></c>', xml):
        letters, row, attrs = match.groups()
        if (int(row) >= min_row and 't="' not in attrs
                and (len(letters), letters) >= (len(min_column), min_column)):
            return f"{letters}{row}"
    raise LookupError(sheet)


def row_with(name: str, sheet: str, column: str, value: str) -> int:
    """The first row whose cell in `column` holds the raw value `value`."""
    xml = parts(name)[sheet_part(name, sheet)].decode()
    match = re.search(rf'<c r="{column}(\d+)"[^>]*><v>{re.escape(value)}</v>', xml)
    assert match, (sheet, column, value)
    return int(match.group(1))


def shared_string(name: str, old: str, new: str) -> bytes:
    """The .xlsx with one shared string's text replaced (every cell using it changes)."""
    def edit(xml: str) -> str:
        found = re.search(rf"(<t(?: [^>]*)?>){re.escape(old)}</t>", xml)
        assert found, old
        return xml[:found.start()] + f"{found.group(1)}{new}</t>" + xml[found.end():]
    return xlsx(name, {"xl/sharedStrings.xml": edit})


def sheet_renamed(name: str, old: str, new: str) -> bytes:
    return xlsx(name, {"xl/workbook.xml": lambda xml: xml.replace(f'name="{old}"',
                                                                    f'name="{new}"', 1)})


def dimension(name: str, sheet: str, ref: str) -> bytes:
    """The .xlsx with a sheet declaring its extent as `ref` (e.g. A1:XFD1048576)."""
    def edit(xml: str) -> str:
        return re.sub(r'<dimension ref="[^"]*"/>', f'<dimension ref="{ref}"/>', xml, count=1)
    return xlsx(name, {sheet_part(name, sheet): edit})


def as_xlsx(name: str, edit: Callable[[dict[str, pd.DataFrame]], None]) -> bytes:
    """An .xls's sheets (every cell as read by xlrd) written as an .xlsx workbook, after
    `edit` changed the frames: a text cell cannot be added to a BIFF file in place."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # xlrd's deprecation in pandas
        book = pd.read_excel(real(name), sheet_name=None, header=None, dtype=object,
                             keep_default_na=False, na_values=[""])
    edit(book)
    out = io.BytesIO()
    wb = openpyxl.Workbook()
    for blank in wb.worksheets:
        wb.remove(blank)
    for sheet, frame in book.items():
        ws = wb.create_sheet(sheet)
        for row in frame.itertuples(index=False):
            ws.append([None if pd.isna(v) else v for v in row])
    wb.save(out)
    return out.getvalue()


# ---------------------------------------------------------------- xls (BIFF) files

NUMBER = b"\x03\x02\x0e\x00"  # BIFF8 NUMBER record: row, column, format, 8-byte double


def xls_number(name: str, value: float, *, min_row: int = 4, column: int | None = None,
               ) -> tuple[bytes, int, int]:
    """The .xls with the first NUMBER record at or below `min_row` (0-based; in
    `column`, 0-based, if given) set to `value`; returns the bytes and the cell's row and
    column (1-based, as a user sees them)."""
    data = bytearray(original(name))
    at = data.find(NUMBER)
    while at >= 0:
        row, col = struct.unpack_from("<HH", data, at + 4)
        if row >= min_row and column in (None, col):
            struct.pack_into("<d", data, at + 10, value)
            return bytes(data), row + 1, col + 1
        at = data.find(NUMBER, at + 1)
    raise LookupError(name)


# ---------------------------------------------------------------- R data files

@cache
def rda_data(name: str) -> bytes:
    return rda._decompress(real(name))


@cache
def frame(name: str, obj: str) -> pd.DataFrame:
    return rda.read_frames(real(name))[obj]


def rda_double(name: str, obj: str, column: str, value: float,
               where: Callable[[pd.DataFrame], pd.Series] | None = None) -> tuple[bytes, int]:
    """The .rda with one double of `column` set to `value`: the first row (among those
    `where` selects) whose 8 bytes occur once in the whole serialisation (so that
    exactly that cell changes); returns the gzipped bytes and the row (1-based)."""
    data = rda_data(name)
    table = frame(name, obj).reset_index(drop=True)
    values = table[column]
    once = values[values.notna() & (values != 0) & ~values.duplicated(keep=False)]
    if where is not None:
        once = once[where(table).loc[once.index]]
    once = once.sort_values(ascending=False)  # large values: rarely repeated elsewhere
    for i, v in zip(once.index.to_numpy(), once.to_numpy(), strict=True):
        pattern = struct.pack(">d", float(v))
        if data.count(pattern) == 1:
            at = data.index(pattern)
            patched = data[:at] + struct.pack(">d", value) + data[at + 8:]
            return gzip.compress(patched, 1), int(i) + 1
    raise LookupError(column)


def rda_double_at(name: str, obj: str, column: str, row: int, value: float) -> bytes:
    """The .rda with the double of `column` in `row` (1-based) set to `value`; the
    column's cells are found by their first 64 values, which occur once."""
    data = bytearray(rda_data(name))
    values = frame(name, obj)[column].to_numpy()
    blob = b"".join(struct.pack(">d", float(v)) for v in values[:64])
    at = bytes(data).index(blob)
    assert bytes(data).count(blob) == 1
    struct.pack_into(">d", data, at + 8 * (row - 1), value)
    return gzip.compress(bytes(data), 1)


def rda_int(name: str, obj: str, column: str, old: int, new: int) -> tuple[bytes, int]:
    """The .rda with the integer column `column` changed from `old` to `new` in every
    row that holds it: the column's 4-byte cells are found by position (the frame's
    vector is the only one whose cells at those offsets are the column's values)."""
    data = bytearray(rda_data(name))
    values = frame(name, obj)[column].to_numpy()
    blob = b"".join(struct.pack(">i", int(v)) for v in values[:50])
    at = bytes(data).index(blob)
    rows = [i for i, v in enumerate(values) if int(v) == old]
    for i in rows:
        struct.pack_into(">i", data, at + 4 * i, new)
    return gzip.compress(bytes(data), 1), rows[0] + 1


def rda_string(name: str, old: str, new: str, count: int = 1) -> bytes:
    """The .rda with the first `count` strings `old` (all if -1) replaced by `new`."""
    data = rda_data(name)
    head = struct.pack(">i", len(old)) + old.encode()
    return gzip.compress(data.replace(head, struct.pack(">i", len(new)) + new.encode(),
                                      count), 1)


def rda_bytes(name: str, edit: Callable[[bytes], bytes]) -> bytes:
    return gzip.compress(edit(rda_data(name)), 1)


def copy(src: Path, dst: Path) -> None:
    shutil.copyfile(src, dst)
