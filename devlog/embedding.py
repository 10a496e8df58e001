"""The semantic half of `devlog index`: embed passages that have no vector for the model yet.

Vectors are keyed by (model, passage hash), so unchanged passages are never embedded twice and
naming another model embeds everything for it. Work is committed every few batches, so an
interrupted run keeps what it did.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from devlog.embedder import Embedder
from devlog.indexer import index_lock
from devlog.records import embed_text
from devlog.store import Store
from devlog.workspace import Workspace

if TYPE_CHECKING:
    from devlog.vectors import VectorMatrix

BATCH = 64
COMMIT_EVERY = 16  # batches


@dataclass
class EmbedReport:
    model: str
    embedded: int = 0
    pruned: int = 0
    seconds: float = 0.0  # in the embedder itself
    total_seconds: float = 0.0

    @property
    def per_second(self) -> float:
        return self.embedded / self.seconds if self.seconds else 0.0


def vectors_dir(workspace: Workspace) -> Path:
    return workspace.state_dir / "vectors"


def models_dir(workspace: Workspace) -> Path:
    return workspace.state_dir / "models"


def embed_passages(
    workspace: Workspace,
    store: Store,
    embedder: Embedder,
    progress: Callable[[int], Callable[[int], None] | None] | None = None,
) -> EmbedReport:
    """Embed every passage missing a vector for `embedder`, then bring the matrix file up to date."""
    from devlog.vectors import matrix_for, quantize

    started = time.perf_counter()
    report = EmbedReport(embedder.name)
    with index_lock(workspace.state_dir):
        if store.embedded_state(embedder.name) == store.embedding_state(embedder.name):
            # Nothing changed since a complete run: skip the scan for missing vectors (1.4 s at 10,000 days).
            report.total_seconds = time.perf_counter() - started
            return report
        todo = store.missing_vectors(embedder.name)
        tick = progress(len(todo)) if progress and todo else None
        for first in range(0, len(todo), BATCH * COMMIT_EVERY):
            with store.transaction():
                for start in range(first, min(first + BATCH * COMMIT_EVERY, len(todo)), BATCH):
                    batch = todo[start : start + BATCH]
                    texts = [embed_text(day, kind, heading, text) for _hash, day, kind, heading, text in batch]
                    t0 = time.perf_counter()
                    vectors = embedder.encode(texts, batch_size=BATCH)
                    report.seconds += time.perf_counter() - t0
                    store.add_vectors(embedder.name, zip((row[0] for row in batch), quantize(vectors), strict=True))
                    report.embedded += len(batch)
                    if tick:
                        tick(len(batch))
        with store.transaction():
            report.pruned = store.prune_vectors()
            if report.embedded or report.pruned:
                store.bump_passages_version()
            store.record_embedded_state(embedder.name)
        # Rebuilt only when passages or vectors changed since the file was written.
        matrix_for(store, vectors_dir(workspace), embedder.name)
    report.total_seconds = time.perf_counter() - started
    return report


def load_workspace_embedder(workspace: Workspace) -> Embedder:
    from devlog.embedder import load_embedder

    return load_embedder(workspace.config.model, models_dir(workspace) / "use-v3")


def semantic_loader(workspace: Workspace, store: Store, query: str) -> Callable[[], tuple[VectorMatrix, Any] | None]:
    """What hybrid search calls, only when it needs meaning: (matrix, query vector) or None."""

    def load() -> tuple[VectorMatrix, Any] | None:
        embedder = load_workspace_embedder(workspace)
        matrix = current_matrix(workspace, store, embedder.name)
        if not len(matrix.ids):
            return None
        return matrix, embedder.encode([query])[0]

    return load


def current_matrix(workspace: Workspace, store: Store, model: str | None = None) -> VectorMatrix:
    """The vector matrix of the workspace's model, from its file when fresh (no model loaded)."""
    from devlog.vectors import matrix_for

    name = model or load_workspace_embedder(workspace).name
    return matrix_for(store, vectors_dir(workspace), name)
