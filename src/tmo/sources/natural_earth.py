"""Natural Earth admin-0 countries (GeoJSON) -> SVG outlines for maps.

Quirks: `ISO_A3` is "-99" for France, Norway and others, so the adapter reads
`ISO_A3_EH` and falls back to `ADM0_A3` for Kosovo ("KOS" -> XKX). Areas with no
ISO code (Northern Cyprus, Somaliland) are left out of the map and reported as
info findings, never dropped silently. Coordinates must be finite longitudes and
latitudes (JSON's non-standard NaN and Infinity are refused); the file's size, features
and values are bounded by the limits on inputs before it is parsed (`check_json`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from tmo.errors import SchemaError
from tmo.findings import Finding
from tmo.sources.base import Ingested, SourceSpec
from tmo.sources.io import check_json, unreadable
from tmo.sources.numbers import LATITUDE, LONGITUDE, Measure

WIDTH, HEIGHT = 960.0, 480.0
FALLBACK = {"KOS": "XKX"}


def project(lon: float, lat: float) -> tuple[float, float]:
    """Equirectangular projection into the WIDTH x HEIGHT frame."""
    return (lon + 180.0) / 360.0 * WIDTH, (90.0 - lat) / 180.0 * HEIGHT


def _coordinate(value: float, measure: Measure) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not (
            measure.low <= value <= measure.high):
        raise ValueError(f"{value!r} is not {measure}")
    return float(value)


def ring_path(ring: list[list[float]]) -> str:
    pts: list[str] = []
    for lon, lat, *_ in ring:
        x, y = project(_coordinate(lon, LONGITUDE), _coordinate(lat, LATITUDE))
        p = f"{x:.1f},{y:.1f}"
        if not pts or pts[-1] != p:
            pts.append(p)
    return "M" + "L".join(pts) + "Z" if len(pts) > 2 else ""


def geometry_path(geometry: dict) -> str:
    kind = geometry.get("type")
    if kind == "Polygon":
        polygons = [geometry["coordinates"]]
    elif kind == "MultiPolygon":
        polygons = geometry["coordinates"]
    else:
        raise ValueError(f"unsupported geometry type {kind!r}")
    return "".join(ring_path(ring) for poly in polygons for ring in poly)


def _no_constant(word: str) -> float:
    raise ValueError(f"{word} is not a JSON number")


def read_countries(files: dict[str, Path], source: SourceSpec) -> Ingested:
    name = "ne_110m_admin_0_countries.geojson"
    path = files[name]
    check_json(path, name)
    with unreadable(name, "not valid GeoJSON", (UnicodeDecodeError, json.JSONDecodeError,
                                                ValueError)):
        data = json.loads(path.read_text(encoding="utf-8"), parse_constant=_no_constant)
    if (not isinstance(data, dict) or data.get("type") != "FeatureCollection"
            or not isinstance(data.get("features"), list)):
        raise SchemaError(f"{name}: expected a GeoJSON FeatureCollection")
    rows, findings = [], []
    for i, feature in enumerate(data["features"], start=1):
        if not isinstance(feature, dict) or not isinstance(feature.get("properties") or {}, dict):
            raise SchemaError(f"{name} feature {i}: expected a GeoJSON Feature")
        props = feature.get("properties") or {}
        code = props.get("ISO_A3_EH")
        if not code or code == "-99":
            code = FALLBACK.get(props.get("ADM0_A3", ""))
        if not code:
            findings.append(Finding("no_iso_code", "info", source.key, f"{name} feature {i}",
                                    f"{props.get('ADMIN')} has no ISO 3166 code: not drawn"))
            continue
        try:
            svg = geometry_path(feature["geometry"])
        except (KeyError, TypeError, ValueError, OverflowError) as exc:
            raise SchemaError(f"{name} feature {i} ({props.get('ADMIN')}): bad geometry: {exc}") \
                from exc
        rows.append({"iso3": code, "svg_path": svg, "src_file": name, "src_sheet": "features",
                     "src_row": str(i)})
    frame = pd.DataFrame(rows)
    frame = frame.groupby("iso3", as_index=False).agg(
        svg_path=("svg_path", "".join), src_file=("src_file", "first"),
        src_sheet=("src_sheet", "first"), src_row=("src_row", "+".join))
    out = Ingested(findings=findings)
    out.add("country_shapes", frame, {"iso3": "iso3"})
    return out
