"""Tests for bench/generate.py (the synthetic workspace generator).

Checks use plain regexes on purpose: the generator must not depend on devlog's parser.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "bench" / "generate.py"
LAST_DAY = dt.date(2025, 6, 30)
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _load():
    spec = importlib.util.spec_from_file_location("devlog_bench_generate", SCRIPT)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod
    spec.loader.exec_module(mod)
    return mod


gen = _load()


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _date_spellings(d: dt.date) -> list[str]:
    return [d.isoformat(), f"{d:%Y.%m.%d}", f"{d:%Y/%m/%d}", f"{d:%y%m%d}", f"{d.day} {MONTHS[d.month - 1]} {d.year}"]


def _rel_date(rel: str) -> dt.date:
    m = re.fullmatch(r"entries/(?:([a-z0-9]+)/)?(\d{4}-\d{2}-\d{2})\.md", rel)
    assert m, rel
    return dt.date.fromisoformat(m.group(2))


def _author_of(rel: str, first: str) -> str:
    parts = rel.split("/")
    return parts[1] if len(parts) == 3 else first


def test_deterministic_for_a_seed(tmp_path):
    a = gen.generate(tmp_path / "a", days=80, seed=3)
    b = gen.generate(tmp_path / "b", days=80, seed=3)
    c = gen.generate(tmp_path / "c", days=80, seed=4)
    assert len(a) == len(b) == len(c) == 80
    ta, tb, tc = _tree(tmp_path / "a"), _tree(tmp_path / "b"), _tree(tmp_path / "c")
    assert ta == tb
    assert ta.keys() == tc.keys()  # layout depends only on days/authors
    assert ta != tc  # ... content on the seed


def test_entries_do_not_depend_on_days(tmp_path):
    gen.generate(tmp_path / "s", days=20)
    gen.generate(tmp_path / "l", days=60)
    short = _tree(tmp_path / "s")
    long_ = _tree(tmp_path / "l")
    for rel, data in short.items():
        assert long_[rel] == data, rel


def test_layout_dates_and_authors(tmp_path):
    paths = gen.generate(tmp_path, days=37, seed=7, authors=3)
    assert len(paths) == 37
    assert (tmp_path / "devlog.toml").read_text(encoding="utf-8") == '[workspace]\nname = "synthetic"\n'
    files = sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "entries").rglob("*.md"))
    assert len(files) == 37
    assert sorted(p.relative_to(tmp_path).as_posix() for p in paths) == files

    names = gen.author_names(3)
    assert names[:3] == ["minji", "alex", "sora"]
    dated = sorted(((_rel_date(f), _author_of(f, names[0]), f) for f in files), reverse=True)
    days = [d for d, _, _ in dated]
    assert days[0] == LAST_DAY
    assert len(set(days)) == 37  # one file per day
    assert all(d.weekday() < 5 for d in days)
    for newer, older in itertools.pairwise(days):
        gap = (newer - older).days
        assert gap == 1 or (gap == 3 and newer.weekday() == 0), (newer, older)
    # rotation anchored on the newest day, first author at the top level
    for k, (d, author, rel) in enumerate(dated):
        assert author == names[k % 3], rel
        if author == names[0]:
            assert rel == f"entries/{d.isoformat()}.md"
        else:
            assert rel == f"entries/{author}/{d.isoformat()}.md"
    counts = {n: sum(1 for _, a, _ in dated if a == n) for n in names}
    assert counts == {"minji": 13, "alex": 12, "sora": 12}
    # returned oldest first
    assert [_rel_date(p.relative_to(tmp_path).as_posix()) for p in paths] == sorted(days)


def test_every_file_is_utf8_and_contains_its_date(tmp_path):
    paths = gen.generate(tmp_path, days=400, seed=11)
    for p in paths:
        text = p.read_bytes().decode("utf-8")  # strict
        assert "\r" not in text
        d = dt.date.fromisoformat(p.stem)
        pattern = "|".join(re.escape(s) for s in _date_spellings(d))
        assert re.search(pattern, text), p


SHAPE_RE = {
    "team": r"\A# 날짜: \d{4}-\d{2}-\d{2}\n",
    "en_standup": r"\A# \d{1,2} [A-Z][a-z]+ \d{4}\n# or, ",
    "emoji": r"\A> - \d{6} log\n",
    "dayn": r"\A# Day \d+ - ",
    "frontmatter": r"\A---\n(?:.*\n)*?date: ",
    "checkbox": r"\A# (?:📅 )?\d{4}[./]\d{2}[./]\d{2}",
    "opener": r"\A# 데일리 스크럼\n\n## \d{4}-\d{2}-\d{2}\n",
    "h1topics": r"\A\d{6} ",
}


def _shape(text: str) -> str | None:
    for name, rx in SHAPE_RE.items():
        if re.match(rx, text):
            return name
    return None


def test_shape_mix_and_sizes(tmp_path):
    paths = gen.generate(tmp_path, days=800, seed=7)
    shapes: dict[str | None, int] = {}
    sizes = []
    for p in paths:
        text = p.read_text(encoding="utf-8")
        s = _shape(text)
        shapes[s] = shapes.get(s, 0) + 1
        sizes.append(p.stat().st_size)
    assert None not in shapes, "a file matched no known shape"
    assert 0.65 <= shapes["team"] / len(paths) <= 0.85
    assert len(shapes) >= 7
    mean = sum(sizes) / len(sizes)
    assert 1800 <= mean <= 4500
    assert min(sizes) < 600 and max(sizes) > 8000


def _numbered(block: str) -> list[str]:
    return re.findall(r"^\d+\. (.+)$", block, flags=re.M)


def _team_lists(text: str) -> tuple[list[str], list[str]]:
    m = re.search(r"\*\*어제 완료된 업무\*\* ?\n(.*?)\n\n\*\*오늘 진행할 업무\*\*\n(.*?)(?:\n\n|\Z)", text, re.S)
    assert m, text[:300]
    return _numbered(m.group(1)), _numbered(m.group(2))


def test_carry_over_repeats_previous_plan(tmp_path):
    paths = gen.generate(tmp_path, days=300, seed=5)
    by_author: dict[str, list[Path]] = {}
    for p in paths:  # oldest first
        by_author.setdefault(p.parent.name, []).append(p)
    checked = 0
    for entries in by_author.values():
        for prev, cur in itertools.pairwise(entries):
            pt, ct = prev.read_text(encoding="utf-8"), cur.read_text(encoding="utf-8")
            if _shape(pt) == "team" and _shape(ct) == "team":
                _, plan = _team_lists(pt)
                done, _ = _team_lists(ct)
                assert plan and done == plan, cur
                checked += 1
    assert checked > 100


def test_regenerating_replaces_previous_synthetic_entries(tmp_path):
    gen.generate(tmp_path, days=30)
    gen.generate(tmp_path, days=10)
    assert len(list((tmp_path / "entries").rglob("*.md"))) == 10


def test_refuses_to_clobber_a_real_workspace(tmp_path):
    (tmp_path / "entries").mkdir()
    (tmp_path / "entries" / "2025-01-02.md").write_text("# mine\n", encoding="utf-8")
    (tmp_path / "devlog.toml").write_text('[workspace]\nname = "team"\n', encoding="utf-8")
    with pytest.raises(FileExistsError):
        gen.generate(tmp_path, days=3)
    assert (tmp_path / "entries" / "2025-01-02.md").read_text(encoding="utf-8") == "# mine\n"


def test_cli(tmp_path):
    out = tmp_path / "ws"
    res = subprocess.run(
        [sys.executable, str(SCRIPT), str(out), "--days", "12", "--seed", "2", "--authors", "2"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "files written: 12" in res.stdout
    assert re.search(r"total: [\d.]+ MB", res.stdout) and re.search(r"seconds: [\d.]+", res.stdout)
    assert len(list((out / "entries").rglob("*.md"))) == 12
    assert len(list((out / "entries" / "alex").glob("*.md"))) == 6
