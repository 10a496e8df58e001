"""Domain errors. The core raises these; only cli.py turns them into exit codes."""

from __future__ import annotations


class DevlogError(Exception):
    """A problem the user can fix, with the file and line it is about when known."""

    def __init__(self, message: str, path: str | None = None, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.message}"
        if self.path:
            return f"{self.path}: {self.message}"
        return self.message
