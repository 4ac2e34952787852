"""Map published geographic identifiers to area codes, reporting what does not match."""

from __future__ import annotations

import pandas as pd

from tmo.checks.finding import Finding
from tmo.countries.registry import CountryRegistry, aliases

# Codes some publishers use for places the registry knows under another code.
CODE_ALIASES = {
    "wb": {"KSV": "XKX", "CHI": "XCX"},
    "unhcr": {"UNK": "OOO", "KOS": "XKX"},
    "iso3": {"CHI": "XCX"},  # World Bank's code for the Channel Islands, used by IOM GDI
}


def _one(value: object, kind: str, registry: CountryRegistry,
         vocabulary: str | None) -> str | None:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    text = str(value).strip()
    if kind == "m49":
        try:
            return registry.area_for_m49(int(float(text)))
        except ValueError:
            return None
    if kind == "name":
        return registry.match_name(text, vocabulary)
    code = CODE_ALIASES.get(kind, {}).get(text.upper(), text.upper())
    if registry.by_iso3(code):
        return code
    if kind == "wb" and registry.group_name(f"WB:{code}"):
        return f"WB:{code}"
    if kind in ("wb", "unhcr"):
        return aliases(kind).get(code.lower())
    return None


def harmonize(values: pd.Series, kind: str, registry: CountryRegistry, *, source: str,
              vocabulary: str | None = None, rows: pd.Series | None = None
              ) -> tuple[pd.Series, list[Finding]]:
    """Area codes for `values` of a GeoKind; unmatched values become NA with one
    error finding each, naming the source and the rows where they occur."""
    uniques = pd.unique(values)
    mapping = {v: _one(v, kind, registry, vocabulary) for v in uniques}
    codes = values.map(mapping)
    findings = []
    for value, code in mapping.items():
        if code is None:
            where = values == value
            at = rows[where].astype(str).head(5).tolist() if rows is not None else []
            more = f" and {int(where.sum()) - 5} more" if where.sum() > 5 else ""
            findings.append(Finding(
                "unmatched_name" if kind == "name" else "unmatched_code", "error", source,
                f"{source} rows {', '.join(at)}{more}",
                f"{kind} {value!r} matches no country, special code or aggregate"))
    return codes, findings
