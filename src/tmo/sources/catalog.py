"""Load the declared sources (`catalog.yaml`) and resolve their adapter functions."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from tmo.errors import NotFound
from tmo.sources.base import Edition, FileSpec, SourceSpec

CATALOG_PATH = Path(__file__).with_name("catalog.yaml")

# Reference sources are read first: every other source is harmonised against them.
REFERENCE_SOURCES = ("countries_iso", "un_aggregates_2020", "wb_income", "wup_capitals")


def _file(raw: dict[str, Any]) -> FileSpec:
    return FileSpec(
        name=raw["name"],
        url=raw.get("url"),
        sha256=raw.get("sha256"),
        aliases=tuple(raw.get("aliases", ())),
    )


@cache
def load_catalog(path: Path = CATALOG_PATH) -> dict[str, SourceSpec]:
    """All declared sources, in declaration order (reference sources first)."""
    raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    specs = {}
    for key, entry in raw.items():
        editions = tuple(
            Edition(e["name"], e["reader"], tuple(_file(f) for f in e["files"]))
            for e in entry["editions"]
        )
        specs[key] = SourceSpec(
            key=key,
            title=entry["title"],
            publisher=entry["publisher"],
            licence=entry["licence"],
            citation=entry["citation"],
            revision=str(entry["revision"]),
            editions=editions,
        )
    return specs


def source(key: str) -> SourceSpec:
    catalog = load_catalog()
    if key not in catalog:
        raise NotFound(f"unknown source {key!r}; known: {', '.join(catalog)}")
    return catalog[key]


def reader(edition: Edition) -> Callable[..., Any]:
    """The adapter function named by an edition (`module:function`)."""
    module, _, name = edition.reader.partition(":")
    return getattr(importlib.import_module(module), name)
