"""Passage vectors: int8 storage in the index and the derived matrix file semantic search scans.

Vectors are L2-normalised, so int8 with a scale of 127 keeps cosine order almost exactly (a
quarter of float32's size). SQLite holds them keyed by (model, passage hash); after each index
run the rows are laid out as one matrix file per model under `.devlog/vectors/`, which a
search maps into memory and scans in chunks instead of reading every BLOB.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from devlog.store import Store

SCALE = 127.0
_CHUNK_ROWS = 16_384


def quantize(vectors: np.ndarray) -> list[bytes]:
    rows = np.clip(np.rint(np.asarray(vectors, dtype=np.float32) * SCALE), -127, 127).astype(np.int8)
    return [row.tobytes() for row in rows]


def model_slug(model: str) -> str:
    readable = "".join(c if c.isalnum() or c in "-_." else "_" for c in model)[:60]
    return f"{readable}-{hashlib.sha1(model.encode()).hexdigest()[:8]}"


@dataclass
class VectorMatrix:
    """Every passage vector of one model: ids[i] and entry_ids[i] describe data[i]."""

    ids: np.ndarray
    entry_ids: np.ndarray
    data: np.ndarray  # int8, (n, dim)
    _entry_vectors: tuple[np.ndarray, np.ndarray] | None = field(default=None, repr=False)

    def scores(self, query: np.ndarray) -> np.ndarray:
        """Cosine similarity of every row with a normalised query, in chunks to bound memory."""
        q = np.asarray(query, dtype=np.float32) / SCALE
        out = np.empty(len(self.ids), dtype=np.float32)
        for start in range(0, len(self.ids), _CHUNK_ROWS):
            block = self.data[start : start + _CHUNK_ROWS].astype(np.float32)
            out[start : start + len(block)] = block @ q
        return out

    def top(
        self, query: np.ndarray, k: int, allowed: np.ndarray | None = None, feedback: int = 0, weight: float = 0.0
    ) -> list[tuple[int, float]]:
        """The k best (passage id, score), restricted to `allowed` passage ids when given.

        With `feedback`, the query is first moved towards the mean of its `feedback` best rows
        (Rocchio pseudo-relevance feedback): a paraphrase then also finds what its first hits say
        in other words.
        """
        mask = None if allowed is None else ~np.isin(self.ids, allowed)
        scores = self._masked_scores(query, mask)
        if feedback and np.isfinite(scores).any():
            first = self._best(scores, feedback)
            moved = np.asarray(query, dtype=np.float32) + weight * (
                self.data[np.sort(first)].astype(np.float32) / SCALE
            ).mean(axis=0)
            scores = self._masked_scores(moved / np.linalg.norm(moved), mask)
        best = self._best(scores, k)
        return [(int(self.ids[i]), float(scores[i])) for i in best]

    def _masked_scores(self, query: np.ndarray, mask: np.ndarray | None) -> np.ndarray:
        scores = self.scores(query)
        if mask is not None:
            scores[mask] = -np.inf
        return scores

    @staticmethod
    def _best(scores: np.ndarray, k: int) -> np.ndarray:
        k = min(k, int(np.isfinite(scores).sum()))
        if k <= 0:
            return np.zeros(0, dtype=np.int64)
        best = np.argpartition(-scores, k - 1)[:k]
        return best[np.argsort(-scores[best], kind="stable")]

    def entry_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(entry ids, normalised mean vector per entry), for `devlog related`; computed once."""
        if self._entry_vectors is None:
            self._entry_vectors = self._mean_per_entry()
        return self._entry_vectors

    def _mean_per_entry(self) -> tuple[np.ndarray, np.ndarray]:
        order = np.argsort(self.entry_ids, kind="stable")
        entries = np.unique(self.entry_ids)
        sums = np.zeros((len(entries), self.data.shape[1]), dtype=np.float32)
        for start in range(0, len(order), _CHUNK_ROWS):
            rows = order[start : start + _CHUNK_ROWS]
            np.add.at(sums, np.searchsorted(entries, self.entry_ids[rows]), self.data[rows].astype(np.float32))
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return entries, sums / norms


def _paths(folder: Path, model: str) -> tuple[Path, Path, Path]:
    slug = model_slug(model)
    return folder / f"{slug}.npy", folder / f"{slug}.ids.npy", folder / f"{slug}.json"


def build_matrix(store: Store, model: str) -> VectorMatrix:
    ids, entry_ids, blobs = [], [], []
    for passage_id, entry_id, blob in store.vector_rows(model):
        ids.append(passage_id)
        entry_ids.append(entry_id)
        blobs.append(blob)
    dim = len(blobs[0]) if blobs else 0  # int8: one byte per dimension
    data = np.frombuffer(b"".join(blobs), dtype=np.int8).reshape(len(blobs), dim)
    return VectorMatrix(np.asarray(ids, dtype=np.int64), np.asarray(entry_ids, dtype=np.int64), data)


def write_matrix(folder: Path, model: str, version: int, matrix: VectorMatrix) -> None:
    """Write the derived files atomically (temp name, then rename), the description last."""
    folder.mkdir(parents=True, exist_ok=True)
    data_path, ids_path, meta_path = _paths(folder, model)
    for path, array in ((data_path, matrix.data), (ids_path, np.stack([matrix.ids, matrix.entry_ids]))):
        temp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        with open(temp, "wb") as handle:
            np.save(handle, np.ascontiguousarray(array))
        os.replace(temp, path)
    meta = {"model": model, "version": version, "rows": len(matrix.ids), "dim": int(matrix.data.shape[1])}
    temp = meta_path.with_name(f".{meta_path.name}.{os.getpid()}.tmp")
    temp.write_text(json.dumps(meta), encoding="utf-8")
    os.replace(temp, meta_path)


def load_matrix(folder: Path, model: str, version: int) -> VectorMatrix | None:
    """The matrix file if it is there and matches the index's passages version, else None."""
    data_path, ids_path, meta_path = _paths(folder, model)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("model") != model or meta.get("version") != version:
            return None
        data = np.load(data_path, mmap_mode="r")
        ids = np.load(ids_path)
    except (OSError, ValueError):
        return None
    if data.ndim != 2 or ids.ndim != 2 or ids.shape != (2, meta["rows"]) or data.shape[0] != meta["rows"]:
        return None
    return VectorMatrix(ids[0], ids[1], data)


def matrix_for(store: Store, folder: Path, model: str) -> VectorMatrix:
    """The current matrix: from its file when fresh, else rebuilt from the index (and saved)."""
    version = store.passages_version()
    matrix = load_matrix(folder, model, version)
    if matrix is None:
        matrix = build_matrix(store, model)
        with contextlib.suppress(OSError):  # a read-only workspace still searches, from memory
            write_matrix(folder, model, version, matrix)
    return matrix
