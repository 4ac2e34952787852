"""Map published geographic identifiers to area codes, reporting what does not match.

Each distinct value is resolved once (tables have up to a million rows), then mapped
back. A value that resolves to nothing becomes NA and yields one error finding naming
the source, the rows where it occurs and the value; nothing is dropped here.

M49 numbers: given the aggregates a file lists (`aggregates`, as a build always gives
them), a number is a country or special code, an aggregate of the reference (the UN
annex) or of that list, or unknown; a number from 900 is no aggregate by itself.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import numpy as np
import pandas as pd

from tmo.countries.registry import CountryRegistry, aliases
from tmo.findings import Finding
from tmo.vocabulary import GeoKind

# The alias file consulted for the codes of each kind (codes that are not ISO3, or for
# kind "iso2" not ISO 3166 alpha-2).
CODE_VOCABULARY = {"wb": "worldbank", "unhcr": "unhcr", "iso2": "iso2"}
# Non-ISO codes of places, accepted with kind "iso3" too: the World Bank's codes,
# which IOM GDI's WDI extract keeps (CHI Channel Islands, KSV Kosovo).
ISO3_EXTRA = {"CHI": "XCX", "KSV": "XKX"}
SHOWN_ROWS = 5


def resolve(value: object, kind: GeoKind, registry: CountryRegistry,
            vocabulary: str | None = None, aggregates: Collection[int] | None = None,
            ) -> str | None:
    """The area code of one published identifier, or None. For kind "m49",
    `aggregates` (the codes the file lists as aggregates) makes the look-up strict;
    without it any number from 900 is taken as an aggregate (look-ups by number)."""
    text = _text(value)
    if not text:
        return None
    if kind == "m49":
        return _resolve_m49(text, registry, aggregates)
    if kind == "name":
        return registry.match_name(text, vocabulary)
    return _resolve_code(text.upper(), kind, registry)


def _text(value: object) -> str:
    """The identifier as stripped text; "" for None and missing values."""
    # pd.isna takes any object; pandas-stubs only lists scalars and arrays
    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    return str(value).strip()


def _resolve_m49(text: str, registry: CountryRegistry,
                 aggregates: Collection[int] | None) -> str | None:
    try:
        number = float(text)
    except ValueError:
        return None
    if not np.isfinite(number) or not number.is_integer():
        return None
    if aggregates is None:
        return registry.area_for_m49(int(number))
    return registry.known_area_for_m49(int(number), aggregates)


def _resolve_code(code: str, kind: GeoKind, registry: CountryRegistry) -> str | None:
    """An upper-case code of kind iso2, iso3, wb or unhcr."""
    if kind == "iso2":
        country = registry.by_iso2(code)
        return country.iso3 if country else aliases("iso2").get(code.lower())
    if registry.by_iso3(code) is not None:
        return code
    if kind == "iso3":
        return ISO3_EXTRA.get(code)
    if kind == "wb" and registry.group_name(f"WB:{code}") is not None:
        return f"WB:{code}"
    if kind in CODE_VOCABULARY:
        return aliases(CODE_VOCABULARY[kind]).get(code.lower())
    raise ValueError(f"unknown GeoKind {kind!r}")


def _rows(values: pd.Series, rows: pd.Series | None, where: pd.Series) -> str:
    n = int(where.sum())
    if rows is None:
        return f"{n} rows"
    shown = rows[where.to_numpy()].astype(str).head(SHOWN_ROWS).tolist()
    more = f" and {n - SHOWN_ROWS} more" if n > SHOWN_ROWS else ""
    return f"rows {', '.join(shown)}{more}"


def harmonize(values: pd.Series, kind: GeoKind, registry: CountryRegistry, *, source: str,
              vocabulary: str | None = None, rows: pd.Series | None = None,
              aggregates: Collection[int] | None = None,
              locate: Callable[[np.ndarray], str] | None = None,
              ) -> tuple[pd.Series, list[Finding]]:
    """Area codes for `values` of a GeoKind ("m49", "iso3", "iso2", "wb", "unhcr", "name").

    Returns the codes (same index as `values`, NA where unmatched) and one error
    finding per unmatched value (check "unmatched_name" for kind "name", else
    "unmatched_code"), located as "<source> rows <src_row>, ..." when `rows` (the
    provenance row numbers, aligned with `values`) is given, or by `locate` (given the
    positions of the value's rows as a boolean array, e.g. "file, sheet 'Table 1', row
    29, column E"). `aggregates`: see `resolve`.
    """
    if kind == "name" and vocabulary is not None:
        aliases(vocabulary)  # fail early on an unknown vocabulary
    codes_of = pd.Series(pd.unique(values), dtype=object)
    mapping = {v: resolve(v, kind, registry, vocabulary, aggregates)
               for v in codes_of if pd.notna(v)}
    codes = values.map(mapping)
    check = "unmatched_name" if kind == "name" else "unmatched_code"

    def where(mask: np.ndarray) -> str:
        if locate is not None:
            return locate(mask)
        return f"{source} {_rows(values, rows, pd.Series(mask))}"

    findings = []
    empty = values.isna() | values.astype("string").str.strip().eq("").fillna(False)
    if empty.any():
        findings.append(Finding(check, "error", source, where(empty.to_numpy()),
                                f"{kind} identifier is empty"))
    for value, code in mapping.items():
        if code is None and str(value).strip():
            findings.append(Finding(
                check, "error", source, where((values == value).to_numpy()),
                f"{kind} {value!r} matches no country, special code or aggregate"
                + (f" (vocabulary {vocabulary})" if kind == "name" and vocabulary else "")))
    return codes, findings
