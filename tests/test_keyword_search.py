"""Keyword search in Korean and English on a real index."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from devlog.cli import cli
from devlog.textindex import analyze, build_query, snippet, strip_particle

REFERENCE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "2025-04-10.md"

DAYS = {
    "2025-04-10.md": """# 날짜: 2025-04-10

## 해결이 필요한 이슈 및 해결 방안
- GPU 클라우드 비용: 2주 전에 GPU를 신청해야 하는 이슈가 있었다.
- 팀 이름 변경 요청: pumati로 변경함.

## 오늘의 회고
- 돈 문제로 고민이 많았다.
""",
    "2025-04-11.md": """# 날짜: 2025-04-11

## 스크럼
**오늘 진행할 업무**
1. EC2 서버에 배포
2. Docker 이미지 최적화

## 새로 배운 내용
- GitHub Actions로 자동 배포 파이프라인을 구성하는 법
""",
    "minji/2025-04-11.md": """# 날짜: 2025-04-11

## 해결이 필요한 이슈 및 해결 방안
- CORS 에러: FastAPI에 CORSMiddleware를 추가해서 해결
""",
}


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    for name, text in DAYS.items():
        path = tmp_path / "entries" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "index"])
    assert result.exit_code == 0, result.output
    return tmp_path


def search(workspace: Path, *args: str) -> list[dict]:
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "search", "--mode", "keyword", "--json", *args])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["mode"] == "keyword"
    return data["results"]


def test_two_syllable_korean_word_finds_it_inside_a_longer_phrase(workspace: Path) -> None:
    results = search(workspace, "비용")
    assert results and results[0]["date"] == "2025-04-10"
    assert "GPU 클라우드 **비용**" in results[0]["snippet"]
    assert set(results[0]) == {"date", "author", "path", "line", "kind", "heading", "snippet", "score"}
    assert results[0]["kind"] == "issue" and results[0]["line"] == 4


def test_a_word_with_a_particle_finds_the_bare_word(workspace: Path) -> None:
    results = search(workspace, "배포가")
    assert {r["date"] for r in results} == {"2025-04-11"}
    assert any("**배포**" in r["snippet"] for r in results)


def test_one_syllable_and_mixed_queries(workspace: Path) -> None:
    assert [r["kind"] for r in search(workspace, "돈")] == ["retro"]
    assert search(workspace, "GPU 비용")[0]["line"] == 4
    assert search(workspace, "gpu")[0]["date"] == "2025-04-10"  # Latin words fold case
    assert search(workspace, "GP") == []  # ...but stay whole


def test_filters(workspace: Path) -> None:
    assert {r["author"] for r in search(workspace, "에러", "--author", "minji")} == {"minji"}
    assert search(workspace, "에러", "--author", "nobody") == []
    assert {r["kind"] for r in search(workspace, "배포", "--kind", "plan")} == {"plan"}
    assert {r["date"] for r in search(workspace, "비용 OR 배포", "--since", "2025-04-11")} <= {"2025-04-11"}
    assert search(workspace, "비용", "--until", "2025-04-09") == []


def test_plain_output_and_no_results(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "search", "CORS", "--mode", "keyword"])
    assert result.exit_code == 0
    assert "2025-04-11 (minji)  issue  해결이 필요한 이슈 및 해결 방안" in result.output
    assert "entries/minji/2025-04-11.md:4" in result.output
    assert "\x1b[" not in result.output  # no colour when not on a terminal
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "search", "쿠버네티스", "--mode", "keyword"])
    assert result.exit_code == 0 and "no results" in result.output


def test_search_without_an_index_says_how_to_make_one(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "search", "비용", "--mode", "keyword"])
    assert result.exit_code == 1
    assert "run `devlog index`" in result.output


def test_ls_and_show(workspace: Path) -> None:
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "ls"])
    assert result.exit_code == 0
    assert len(result.output.strip().splitlines()) == 3
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "show", "2025-04-11", "--author", "minji"])
    assert result.exit_code == 0 and "CORSMiddleware" in result.output and "[issue]" in result.output
    result = CliRunner().invoke(cli, ["--workspace", str(workspace), "show", "2025-01-01"])
    assert result.exit_code == 1 and "no entry on 2025-01-01" in result.output


@pytest.mark.skipif(not REFERENCE.exists(), reason="../shared/reference is not present")
def test_the_reference_day(tmp_path: Path) -> None:
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2025-04-10.md").write_bytes(REFERENCE.read_bytes())
    assert CliRunner().invoke(cli, ["--workspace", str(tmp_path), "index"]).exit_code == 0
    assert "GPU 클라우드 **비용**" in search(tmp_path, "비용")[0]["snippet"]
    assert any(r["kind"] == "meeting" for r in search(tmp_path, "David의 조언"))
    assert search(tmp_path, "DistilBERT")[0]["heading"].endswith("llm 모델")


def test_analyzer_and_query_building() -> None:
    assert analyze("GPU 클라우드") == "GPU 클라 라우 우드 드"
    assert analyze("돈") == "돈"
    assert strip_particle("배포가") == "배포" and strip_particle("회의") == "회의"
    assert strip_particle("서버에서") == "서버"
    query = build_query('"GPU" 비용을')
    assert query is not None and query.match == '"gpu" AND ("비용 용을" OR "비용")'
    assert build_query("!!! ...") is None


def test_snippet_window_and_markers() -> None:
    text = "앞부분 " * 50 + "GPU 클라우드 비용 문제" + " 뒷부분" * 50
    cut = snippet(text, ("비용",), width=60)
    assert cut.startswith("…") and cut.endswith("…")
    assert "\x02비용\x03" in cut
