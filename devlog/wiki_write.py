"""Writing a built wiki into its folder: only what changed, and only pages devlog owns.

The folder may be a clone of the team's wiki holding pages written by hand. devlog keeps a
manifest of the pages it owns, `.devlog-manifest.json`:

    {"version": 1, "pages": {"Home.md": "<sha256 hex of the file's bytes>", ...}}

(keys sorted, two-space indent, UTF-8, final newline; devlog.publish reads and writes the same).
A build writes a page only when the file's bytes differ from the new ones (so mtimes of unchanged
pages stay put, and a page edited by hand is put back), removes the pages the manifest lists that
the build no longer makes, and never touches another file. A file of the same name that devlog did
not own is taken over (a fresh GitHub wiki already has a Home.md). Pure filesystem: no jinja2.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from devlog.errors import DevlogError

MANIFEST = ".devlog-manifest.json"
MANIFEST_VERSION = 1


@dataclass
class WriteReport:
    """What a build did, by page file name (`Home.md`), relative to the output folder."""

    added: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return (
            f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged"
        )


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def manifest_text(pages: Mapping[str, str]) -> str:
    """The manifest's text: what `json.dumps(data, ensure_ascii=False, indent=2)` writes, plus a newline
    (built by hand: the json module's indenting encoder is slow for ten thousand pages)."""
    if not pages:
        return json.dumps({"version": MANIFEST_VERSION, "pages": {}}, indent=2) + "\n"
    dump = json.JSONEncoder(ensure_ascii=False).encode
    rows = ",\n".join(f"    {dump(name)}: {dump(digest)}" for name, digest in sorted(pages.items()))
    return f'{{\n  "version": {MANIFEST_VERSION},\n  "pages": {{\n{rows}\n  }}\n}}\n'


def _is_flat_page(name: str) -> bool:
    """A page file directly in the output folder: `Name.md`, no folder part, not the manifest."""
    return (
        name.endswith(".md")
        and name not in (MANIFEST, ".md")
        and "/" not in name
        and "\\" not in name
        and "\x00" not in name
        and not name.startswith("..")
    )


def read_manifest(out_dir: Path) -> dict[str, str]:
    """The pages devlog owns in `out_dir` (file name -> sha256); {} without a manifest.

    Names that are not flat page file names are ignored: a damaged manifest must never make
    devlog delete a file outside the pages it writes."""
    path = out_dir / MANIFEST
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        pages = data["pages"]
        if not isinstance(pages, dict):
            raise TypeError("'pages' is not an object")
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as err:
        raise DevlogError(
            f"{MANIFEST} is not valid ({err}); delete it to let devlog take its pages over", str(path)
        ) from None
    return {str(name): str(digest) for name, digest in pages.items() if _is_flat_page(str(name))}


def _write_atomic(path: str | Path, data: bytes) -> None:
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.devlog-tmp")
    with open(tmp, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


def write_pages(out_dir: Path, rendered: Mapping[str, str], keep: Mapping[str, str] | None = None) -> WriteReport:
    """Make `out_dir` hold exactly the pages in `rendered` (file name -> markdown text) among those
    devlog owns; see the module docstring. Returns what was added, changed and removed.

    `keep` (file name -> sha256) names pages the caller knows to be on disk as they should be (an
    incremental build that did not render them): they are neither read nor written, count as
    unchanged and stay in the manifest."""
    keep = keep or {}
    for name in [*rendered, *keep]:
        if not _is_flat_page(name):
            raise DevlogError(f"not a wiki page file name: {name!r}")
    out_dir.mkdir(parents=True, exist_ok=True)
    old = read_manifest(out_dir)
    report = WriteReport(unchanged=len(keep))
    pages: dict[str, str] = dict(keep)
    for name in sorted(rendered):
        if name in keep:
            raise DevlogError(f"page {name!r} is both rendered and kept")
        data = rendered[name].encode("utf-8")
        digest = sha256_hex(data)
        pages[name] = digest
        path = os.path.join(out_dir, name)
        try:
            with open(path, "rb") as handle:
                current = handle.read()
        except FileNotFoundError:
            current = None
        except IsADirectoryError:
            raise DevlogError(f"{name} in the wiki folder is a directory, not a page", str(out_dir)) from None
        if current == data:
            report.unchanged += 1
            continue
        _write_atomic(path, data)
        (report.added if current is None else report.changed).append(name)
    for name in sorted(set(old) - set(pages)):
        gone = out_dir / name
        if gone.is_file() or gone.is_symlink():
            gone.unlink()
        report.removed.append(name)
    manifest = out_dir / MANIFEST
    text = manifest_text(pages)
    try:
        same = manifest.read_text(encoding="utf-8") == text
    except (FileNotFoundError, UnicodeDecodeError):
        same = False
    if not same:
        _write_atomic(manifest, text.encode("utf-8"))
    return report
