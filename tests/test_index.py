"""The index on a real SQLite file: incremental runs must always equal a fresh rebuild."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from devlog.cli import cli
from devlog.indexer import index_workspace
from devlog.store import SCHEMA_VERSION, Store, columns
from devlog.workspace import open_workspace

DAY = """# 날짜: {day}

## 스크럼
**어제 완료된 업무**
1. {done}

**오늘 진행할 업무**
- [ ] {plan}
- [x] 회의록 정리

## 해결이 필요한 이슈 및 해결 방안
- {issue}

## 새로 배운 내용
#### David zoom 미팅: 멘토링
- David의 조언: 작게 시작하고 자주 배포하기

## 오늘의 회고
- 오늘은 {mood}
"""


def write_day(root: Path, day: str, author: str | None = None, **text: str) -> Path:
    values = {"done": "API 설계", "plan": "모델 서빙", "issue": "GPU 클라우드 비용: 예산 초과", "mood": "좋았다"}
    values.update(text)
    folder = root / "entries" / author if author else root / "entries"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{day}.md"
    path.write_text(DAY.format(day=day, **values), encoding="utf-8")
    return path


def snapshot(db_path: Path) -> dict[str, list[tuple]]:
    """Everything in the index except ids, so an incremental index can be compared with a rebuild."""
    db = sqlite3.connect(db_path)
    out = {
        "file": sorted(db.execute("SELECT path, size, hash, status FROM file")),
        "entry": sorted(
            db.execute("SELECT f.path, e.date, e.author, e.title FROM entry e JOIN file f ON f.id = e.file_id")
        ),
        "section": sorted(
            db.execute("SELECT f.path, kind, heading_path, line, text FROM section s JOIN file f ON f.id = s.file_id")
        ),
        "item": sorted(
            db.execute("SELECT f.path, i.text, i.checked, i.line FROM item i JOIN file f ON f.id = i.file_id"), key=repr
        ),
        "passage": sorted(db.execute("SELECT path, line, kind, text, hash FROM passage")),
        "fts": sorted(
            db.execute("SELECT p.path, p.line, t.tokens FROM passage_fts t JOIN passage p ON p.id = t.rowid")
        ),
        "finding": sorted(db.execute("SELECT path, line, code FROM finding")),
        "mention": sorted(db.execute("SELECT f.path, m.person FROM mention m JOIN file f ON f.id = m.file_id")),
        "person": sorted(db.execute("SELECT name, source FROM person")),
    }
    db.close()
    return out


def run_index(root: Path, rebuild: bool = False):
    workspace = open_workspace(str(root))
    store = Store.open(workspace.db_path)
    try:
        return index_workspace(workspace, store, rebuild=rebuild, workers=1), snapshot(workspace.db_path)
    finally:
        store.close()


def fresh_snapshot(root: Path) -> dict[str, list[tuple]]:
    (root / ".devlog" / "index.db").unlink()
    return run_index(root)[1]


def test_incremental_runs_match_a_fresh_rebuild(tmp_path: Path) -> None:
    for day in ("2025-04-07", "2025-04-08", "2025-04-09"):
        write_day(tmp_path, day)
    write_day(tmp_path, "2025-04-08", author="minji", issue="CORS 에러")
    report, _ = run_index(tmp_path)
    assert (report.added, report.updated, report.removed, report.unchanged) == (4, 0, 0, 0)

    # change one, delete one, rename one, add one
    write_day(tmp_path, "2025-04-08", issue="Docker 이미지 용량 9GB")
    (tmp_path / "entries" / "2025-04-07.md").unlink()
    (tmp_path / "entries" / "2025-04-09.md").rename(tmp_path / "entries" / "2025-04-10.md")
    write_day(tmp_path, "2025-04-11", author="minji")
    report, incremental = run_index(tmp_path)
    assert (report.added, report.updated, report.removed) == (2, 1, 2)
    assert report.unchanged == 1
    assert incremental == fresh_snapshot(tmp_path)


def test_unchanged_files_are_not_read_and_touched_files_not_reparsed(tmp_path: Path) -> None:
    path = write_day(tmp_path, "2025-04-07", issue="비용 문제")
    run_index(tmp_path)
    stat = path.stat()
    # Same size and mtime: skipped without reading, even though the bytes differ.
    path.write_text(path.read_text(encoding="utf-8").replace("비용 문제", "배포 문제"), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    report, snap = run_index(tmp_path)
    assert report.unchanged == 1 and report.to_parse == 0
    assert any("비용 문제" in row[-1] for row in snap["section"])
    # A new mtime with the same content: read and hashed, but not re-parsed or rewritten.
    path.write_text(path.read_text(encoding="utf-8").replace("배포 문제", "비용 문제"), encoding="utf-8")
    report, _ = run_index(tmp_path)
    assert report.to_parse == 1 and report.unchanged == 1 and report.updated == 0


def test_rebuild_option_and_status(tmp_path: Path) -> None:
    write_day(tmp_path, "2025-04-07")
    (tmp_path / "entries" / "photo.md").write_bytes(b"\x89PNG\x00\x00binary")
    report, first = run_index(tmp_path)
    report, again = run_index(tmp_path, rebuild=True)
    assert report.added == 2 and first == again
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "index", "--status"])
    assert result.exit_code == 0
    assert "skipped  entries/photo.md  binary file, skipped" in result.output
    assert "ok       entries/2025-04-07.md" in result.output


def test_schema_columns_match_the_sqlmodel_declarations() -> None:
    from devlog.store import schema

    tables = schema.SQLModel.metadata.tables
    for table, names in columns.TABLES.items():
        declared = [c.name for c in tables[table].columns]
        assert set(names) <= set(declared), table
        missing = set(declared) - set(names) - {"id"}
        assert not missing, f"{table}: columns never written by the fast path: {missing}"
    assert len(schema.MIGRATIONS) == SCHEMA_VERSION


@pytest.mark.parametrize(
    "damage",
    [
        lambda p: p.write_bytes(b"this is not a database at all" * 100),
        lambda p: p.write_bytes(p.read_bytes()[:2048] + b"\x00garbage" * 512),
        lambda p: sqlite3.connect(p).execute("PRAGMA user_version = 99").connection.commit(),
    ],
    ids=["not-a-database", "truncated", "too-new"],
)
def test_a_damaged_database_is_rebuilt_with_one_line(tmp_path: Path, damage) -> None:
    write_day(tmp_path, "2025-04-07")
    _, before = run_index(tmp_path)
    db_path = tmp_path / ".devlog" / "index.db"
    for suffix in ("-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    damage(db_path)
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "index"])
    assert result.exit_code == 0, result.output
    notices = [line for line in result.output.splitlines() if "rebuilding it from the logs" in line]
    assert len(notices) == 1
    assert snapshot(db_path) == before


def test_search_on_a_damaged_index_rebuilds_and_answers(tmp_path: Path) -> None:
    write_day(tmp_path, "2025-04-07")
    run_index(tmp_path)
    (tmp_path / ".devlog" / "index.db").write_bytes(b"junk" * 1000)
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "search", "비용", "--mode", "keyword"])
    assert result.exit_code == 0, result.output
    assert "rebuilding it from the logs" in result.output and "2025-04-07" in result.output


def test_two_concurrent_index_runs_end_with_a_correct_index(tmp_path: Path) -> None:
    for n in range(1, 29):
        write_day(tmp_path, f"2025-02-{n:02d}", issue=f"이슈 번호 {n}")
    command = [sys.executable, "-m", "devlog", "--workspace", str(tmp_path), "index", "--quiet"]
    procs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outputs
    combined = "".join(out + err for out, err in outputs)
    assert "28 added" in combined  # one run did the work, the other found it done
    assert "28 unchanged" in combined
    _, incremental = run_index(tmp_path)
    assert incremental == fresh_snapshot(tmp_path)


def test_parallel_and_serial_indexing_agree(tmp_path: Path) -> None:
    for n in range(1, 29):
        write_day(tmp_path, f"2025-02-{n:02d}", issue=f"이슈 {n}")
    workspace = open_workspace(str(tmp_path))
    from devlog import indexer

    store = Store.open(workspace.db_path)
    old = indexer.PARALLEL_MIN_FILES
    indexer.PARALLEL_MIN_FILES = 1
    try:
        index_workspace(workspace, store, workers=2)
    finally:
        indexer.PARALLEL_MIN_FILES = old
        store.close()
    parallel = snapshot(workspace.db_path)
    assert parallel == fresh_snapshot(tmp_path)


def test_people_come_from_authors_config_and_mentions(tmp_path: Path) -> None:
    write_day(tmp_path, "2025-04-07", author="minji")
    (tmp_path / "devlog.toml").write_text('[people]\nnames = ["Jenny"]\n', encoding="utf-8")
    _, snap = run_index(tmp_path)
    assert ("David", "mention") in snap["person"]
    assert ("minji", "author") in snap["person"]
    assert ("Jenny", "config") in snap["person"]


def test_check_lists_the_warnings_kept_in_the_index(tmp_path: Path) -> None:
    write_day(tmp_path, "2025-04-07")
    (tmp_path / "entries" / "notes.md").write_text("## 메모\n- [링크 제목](URL)\n", encoding="utf-8")
    without_index = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "check"])
    run_index(tmp_path)
    with_index = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "check"])
    assert without_index.output == with_index.output
    assert "entries/notes.md:1: no-date:" in with_index.output
    assert "entries/notes.md:2: placeholder-link:" in with_index.output


def test_an_old_schema_is_migrated_in_place(tmp_path: Path) -> None:
    from sqlalchemy import create_engine, text

    from devlog.store import schema

    write_day(tmp_path, "2025-04-07")
    db_path = tmp_path / ".devlog" / "index.db"
    db_path.parent.mkdir(parents=True)
    engine = create_engine(f"sqlite:///{db_path}")
    with engine.begin() as connection:  # a database as the first release of devlog left it
        schema.MIGRATIONS[0](connection)
        connection.execute(text("CREATE INDEX ix_passage_date ON passage (date)"))
        connection.execute(text("PRAGMA user_version = 1"))
    engine.dispose()
    result = CliRunner().invoke(cli, ["--workspace", str(tmp_path), "index", "--no-embed"])
    assert result.exit_code == 0 and "rebuilding" not in result.output
    db = sqlite3.connect(db_path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert db.execute("SELECT value FROM meta WHERE key = 'passages_version'").fetchone() == ("1",)
    assert db.execute("SELECT count(*) FROM sqlite_master WHERE name = 'ix_passage_date'").fetchone() == (0,)
    assert db.execute("SELECT count(*) FROM entry").fetchone() == (1,)


def test_filling_an_empty_index_skips_wal_and_returns_to_it(tmp_path: Path) -> None:
    write_day(tmp_path, "2025-04-07")
    run_index(tmp_path)
    db_path = tmp_path / ".devlog" / "index.db"
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    reader = sqlite3.connect(db_path)  # a search holding the index open during a rebuild
    reader.execute("SELECT count(*) FROM entry").fetchone()
    report, _ = run_index(tmp_path, rebuild=True)
    assert report.added == 1 and reader.execute("SELECT count(*) FROM entry").fetchone() == (1,)
    assert sqlite3.connect(db_path).execute("PRAGMA journal_mode").fetchone() == ("wal",)
    reader.close()
