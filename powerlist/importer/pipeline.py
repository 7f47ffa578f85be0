"""One import run: every table of every source -> powers, bodies, laws and what the report needs."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from powerlist.importer import ImportFailure
from powerlist.importer.assemble import Assembler, PowerOut
from powerlist.importer.bodies import BodyBook
from powerlist.importer.header import Column, find_header, load_mapping
from powerlist.importer.laws import LawBook
from powerlist.importer.rows import Skipped, fill_merged, group, read_rows
from powerlist.importer.sources import Table, open_source
from powerlist.importer.xlsxmeta import col_letters

# Elements a catalogue entry can have that a source may lack entirely (powerlist.toml [import] missing).
ELEMENTS: dict[str, tuple[str, ...]] = {
    "basis_text": ("basis",), "time_limit": ("statutory", "promised", "time_text"),
    "responsibilities": ("responsibilities",), "accountability": ("accountability",),
}


@dataclass
class TableReport:
    label: str
    kind: str
    encoding: str | None
    header_row: int | None
    columns: list[Column]
    rows: int = 0
    blank: int = 0
    powers: int = 0
    skipped: list[Skipped] = field(default_factory=list)
    formulas: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class Imported:
    powers: list[PowerOut]
    bodies: list[dict[str, Any]]
    laws: list[dict[str, Any]]
    new_laws: list[dict[str, Any]]
    tables: list[TableReport]
    problems: list[tuple[str, int, str]]
    missing: list[str]
    categories: list[str]
    assumed_level: list[str]
    unstated_law_levels: list[str]
    body_code_conflicts: list[str]
    laws_builtin: int
    laws_catalogue: int


def run_import(sources: list[Path], *, mapping: Path | None = None, default_category: str | None = None,
               body_level: str = "县级", existing_bodies: list[dict[str, Any]] | None = None,
               existing_laws: list[dict[str, Any]] | None = None, province: str | None = None) -> Imported:
    synonyms = load_mapping(mapping)
    bodies, laws = BodyBook(body_level), LawBook(province)
    bodies.load_existing(existing_bodies or [])
    laws.load_existing(existing_laws or [])
    asm = Assembler(bodies, laws, default_category)
    reports: list[TableReport] = []
    seen_fields: set[str] = set()
    for path in sources:
        tables = open_source(path)
        usable = 0
        for table in tables:
            rep = _table(table, synonyms, asm)
            reports.append(rep)
            if rep.header_row is not None:
                usable += 1
                seen_fields.update(c.field for c in rep.columns if c.field)
        if not usable:
            raise ImportFailure(f"{path}: no header row recognised in any table",
                                "a header names the power (事项名称 / 职权名称 …) and one more field; "
                                "map other headers with --mapping FILE.toml")
    powers = asm.powers
    return Imported(
        powers, bodies.items(), laws.items(), list(laws.added.values()), reports, asm.problems,
        missing_elements(powers, seen_fields), sorted({p.data["category"] for p in powers}),
        bodies.assumed_level, laws.unstated, bodies.code_conflicts, len(laws.builtin), len(laws.in_catalogue))


def _table(table: Table, synonyms: dict[str, str], asm: Assembler) -> TableReport:
    found = find_header(table.cells, synonyms)
    rep = TableReport(table.label, table.kind, table.encoding, None, [], notes=list(table.notes))
    if found is None:
        rep.notes.append("no header row recognised: table not imported")
        rep.skipped = [Skipped(r + 1, "no header row recognised in this table", " | ".join(c for c in row if c))
                       for r, row in enumerate(table.cells) if any(row)]
        return rep
    header_row, cols = found
    rep.header_row, rep.columns = header_row + 1, cols
    fill_merged(table)
    rows, skipped, blank = read_rows(table, header_row, cols)
    rep.rows, rep.blank, rep.skipped = len(rows), blank, skipped
    rep.formulas = [f"{col_letters(c)}{r + 1}" for r, c in table.formulas if r > header_row]
    groups = group(rows)
    sheet_ref = f"{table.file} {table.sheet}" if table.sheet else table.file
    for g in groups:
        asm.add(g, table.label, sheet_ref, cols)
    rep.powers = len(groups)
    return rep


def missing_elements(powers: list[PowerOut], fields: set[str]) -> list[str]:
    """Elements no imported power has: ``process`` always (spreadsheets have no flowcharts), the others
    when no column held them or every cell was empty."""
    out = ["process"]
    keys = {"basis_text": "basis", "time_limit": "time_limit", "responsibilities": "responsibilities",
            "accountability": "accountability"}
    for element, cols in ELEMENTS.items():
        if not fields.intersection(cols) or not any(keys[element] in p.data for p in powers):
            out.append(element)
    return out
