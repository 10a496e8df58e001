"""`devlog init`: the files a new workspace starts with. Existing files are never overwritten."""

from __future__ import annotations

from pathlib import Path

from devlog.workspace import CONFIG_NAME, STATE_DIR

CONFIG_TEMPLATE = """\
# devlog.toml: settings for this team's devlog workspace. Every key is optional.

[workspace]
# name = "pumati"            # shown on the wiki's home page
# entries = "entries"        # folder holding the daily logs
# author = "minji"           # your name: `devlog new` then writes entries/<author>/<date>.md

[new]
# path = "entries/{date}.md"                 # where `devlog new` writes the team's entry
# author_path = "entries/{author}/{date}.md" # ... and an author's entry
# template = "entry"                         # templates/<name>.md.j2 (workspace templates win)
# work_days = ["mon", "tue", "wed", "thu", "fri"]

[people]
# names = ["David", "Jenny"]  # mentors and teammates to gather pages for

[search]
# model = "use"   # default multilingual embedder; or "st:<sentence-transformers model name or path>"

[wiki]
# remote = "https://github.com/<org>/<repo>.wiki.git"
# branch = "master"
# title = "Team devlog"

[kinds]
# Extra headings for section kinds (done, plan, learned, issue, retro, links, meeting):
# learned = ["스터디 정리"]
"""


def init_workspace(root: Path) -> list[str]:
    """Create devlog.toml, entries/ and a .gitignore line for .devlog/; report what was done."""
    done = []
    config = root / CONFIG_NAME
    if config.exists():
        done.append(f"kept existing {config}")
    else:
        config.write_text(CONFIG_TEMPLATE, encoding="utf-8")
        done.append(f"wrote {config}")
    (root / "entries").mkdir(exist_ok=True)
    ignore = root / ".gitignore"
    lines = ignore.read_text(encoding="utf-8").splitlines() if ignore.exists() else []
    if any(line.strip().rstrip("/") in (STATE_DIR, "/" + STATE_DIR) for line in lines):
        done.append(f"{ignore} already ignores {STATE_DIR}/")
    else:
        with ignore.open("a", encoding="utf-8") as handle:
            if lines and lines[-1].strip():
                handle.write("\n")
            handle.write(f"# devlog's derived index and wiki (rebuild with `devlog index`)\n{STATE_DIR}/\n")
        done.append(f"added {STATE_DIR}/ to {ignore}")
    return done
