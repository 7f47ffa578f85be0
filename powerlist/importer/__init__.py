"""``powerlist import``: turn the spreadsheets, Word tables and PDF tables offices keep into a
catalogue. One module per job: sources (open files) → header (which column is which field) →
rows (forward-fill, grouping) → fields (basis, time limits, status, codes) → bodies/laws (registries)
→ write (atomic, --update through ruamel) → report."""

from __future__ import annotations


class ImportFailure(Exception):
    """The import cannot happen (exit 2): an unreadable, encrypted, scanned or headerless source."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
