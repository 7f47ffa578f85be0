"""The comparison as DuckDB queries over every list's rows at once.

Why DuckDB: 3,000 county exports of ~3,300 items are 10M rows; DuckDB reads the Parquet files in
parallel, only the columns asked for, and its aggregates spill to disk past the memory limit, so
the national comparison is a few SQL statements and never a Python dict of 10M entries. Folders
are loaded by the normal loader and handed over as Arrow tables (pyarrow), the same columns.

Items match as powerlist.matchkey says: by 基本编码 when both sides have one, else by folded name +
category; a codeless item takes the code its name carries in the lists that give one.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from powerlist.compare.inputs import Source, load_folder, unique_labels
from powerlist.compare.model import ATTR_KEYS, CompareError, Item, ListStat, Side, Summary, error

if TYPE_CHECKING:
    import duckdb

# The columns compared: attribute -> (comparison expression, displayed value) in `per`.
_CMP = {"name": ("h_name", "name"), "category": ("category", "category"), "basis": ("h_basis", "basis"),
        "time_limit": ("time_limit", "time_limit"), "body_type": ("body_type", "body_type")}
_COLS = ("code", "code_key", "name_key", "name", "name_norm", "category", "basis_text", "basis_key",
         "time_limit", "body_type")


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass
class Comparison:
    con: duckdb.DuckDBPyConnection
    lists: list[ListStat]
    summary: Summary
    tmp: tempfile.TemporaryDirectory[str] | None = field(default=None, repr=False)

    def close(self) -> None:
        self.con.close()
        if self.tmp is not None:
            self.tmp.cleanup()

    def __enter__(self) -> Comparison:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- reading the result ------------------------------------------------------------------------

    def ordered_keys(self, limit: int | None = None) -> list[tuple[Any, ...]]:
        """(k, code, n, majority values …) of items, those with departures or gaps first."""
        lim = f" LIMIT {int(limit)}" if limit is not None else ""
        return self.con.execute(f"SELECT k, code, n, {', '.join('m_' + a for a in ATTR_KEYS)} FROM shown "
                                f"ORDER BY rank, k{lim}").fetchall()

    def items(self, limit: int | None = None, lists: int | None = None) -> list[Item]:
        """The first ``limit`` items side by side, with the values of the first ``lists`` lists (for the
        capped XLSX and HTML tables; JSON and Parquet stream everything instead)."""
        heads = self.ordered_keys(limit)
        if not heads:
            return []
        keys = [h[0] for h in heads]
        self.con.execute("CREATE OR REPLACE TEMP TABLE pick AS SELECT unnest(?::VARCHAR[]) AS k", [keys])
        cap = f" AND f.list < {int(lists)}" if lists is not None else ""
        cols = ", ".join(f"f.{_CMP[a][1]}, f.d_{a}" for a in ATTR_KEYS)
        rows = self.con.execute(f"SELECT f.k, f.list, {cols} FROM flags f JOIN pick USING (k) WHERE true{cap}").fetchall()
        sides: dict[str, dict[int, Side]] = {}
        for r in rows:
            vals = {a: r[2 + 2 * i] or "" for i, a in enumerate(ATTR_KEYS)}
            differs = tuple(a for i, a in enumerate(ATTR_KEYS) if r[3 + 2 * i])
            sides.setdefault(r[0], {})[r[1]] = Side(vals, differs)
        return [Item(h[0], h[1], h[2], {a: h[3 + i] or "" for i, a in enumerate(ATTR_KEYS)}, sides.get(h[0], {}))
                for h in heads]

    def item_query(self) -> str:
        """Every item with who carries it, who lacks it and who departs how (one row per item)."""
        diff = ", ".join(f"{a}: CASE WHEN f.d_{a} THEN f.{_CMP[a][1]} END" for a in ATTR_KEYS)
        any_d = " OR ".join(f"f.d_{a}" for a in ATTR_KEYS)
        total = len(self.lists)
        return f"""
WITH agg AS (
  SELECT f.k,
         list(l.label ORDER BY f.list) FILTER (WHERE 2 * f.n <= {total}) AS carried_by,
         list({{list: l.label, {diff}}} ORDER BY f.list) FILTER (WHERE {any_d}) AS differences
  FROM flags f JOIN lists l ON l.list = f.list GROUP BY f.k),
gap AS (SELECT g.k, list(l.label ORDER BY g.list) AS missing_from FROM gaps g JOIN lists l ON l.list = g.list GROUP BY g.k)
SELECT s.k AS key, s.code, s.n AS lists, {', '.join(f's.m_{a} AS {a}' for a in ATTR_KEYS)},
       coalesce(agg.carried_by, []) AS carried_by, coalesce(gap.missing_from, []) AS missing_from,
       coalesce(agg.differences, []) AS differences
FROM shown s LEFT JOIN agg USING (k) LEFT JOIN gap USING (k)
ORDER BY s.rank, s.k"""

    def stream(self, batch: int = 10_000) -> Iterator[dict[str, Any]]:
        """Every item as a dict (the JSON shape), fetched in batches."""
        import pyarrow as pa

        reader = self.con.sql(self.item_query()).to_arrow_reader(batch)
        while True:
            try:
                rb: pa.RecordBatch = reader.read_next_batch()
            except StopIteration:
                return
            yield from rb.to_pylist()

    def copy_parquet(self, path: Path) -> None:
        self.con.execute(f"COPY ({self.item_query()}) TO {_q(str(path))} (FORMAT parquet, COMPRESSION zstd)")


def _connect(memory_limit: str | None, threads: int | None) -> tuple[duckdb.DuckDBPyConnection, tempfile.TemporaryDirectory[str]]:
    import duckdb

    tmp = tempfile.TemporaryDirectory(prefix="powerlist-compare-")
    con = duckdb.connect(":memory:", config={"temp_directory": tmp.name, "preserve_insertion_order": False,
                                            "memory_limit": memory_limit or "3GB",
                                            **({"threads": threads} if threads else {})})
    return con, tmp


def compare(paths: Sequence[Path], *, known_codes: Callable[[], list[str]], memory_limit: str | None = None,
            threads: int | None = None, progress: Callable[[str, int, int], None] | None = None) -> Comparison:
    """Compare the lists at ``paths`` (catalogue folders, export folders, .parquet files)."""
    import duckdb
    import pyarrow as pa

    from powerlist.compare.inputs import resolve

    sources = resolve(paths)
    folders = [s for s in sources if s.kind == "folder"]
    tables = []
    for i, s in enumerate(folders, 1):
        tables.append(load_folder(s, known_codes))
        if progress is not None:
            progress("load", i, len(folders))
    unique_labels(sources)
    con, tmp = _connect(memory_limit, threads)
    try:
        _fill(con, sources, tables, pa)
        lists, summary = _stats(con, sources)
    except duckdb.Error as exc:
        con.close()
        tmp.cleanup()
        raise error(f"无法读取输入：{_first_line(exc)}", f"cannot read the inputs: {_first_line(exc)}") from None
    except BaseException:
        con.close()
        tmp.cleanup()
        raise
    return Comparison(con, lists, summary, tmp)


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def _fill(con: duckdb.DuckDBPyConnection, sources: list[Source], tables: list[Any], pa: Any) -> None:
    labels = pa.table({"list": list(range(len(sources))), "label": [s.label for s in sources],
                       "source": [str(s.path) for s in sources]})
    con.register("lists_arrow", labels)
    con.execute("CREATE TEMP TABLE lists AS SELECT * FROM lists_arrow")
    parts: list[str] = []
    folder_ix = [i for i, s in enumerate(sources) if s.kind == "folder"]
    if tables:
        numbered = [t.select(list(_COLS)).append_column("list", pa.array([ix] * t.num_rows, pa.int32()))
                    for ix, t in zip(folder_ix, tables, strict=True)]
        con.register("folders_arrow", pa.concat_tables(numbered))
        parts.append(f"SELECT list, {', '.join(_COLS)} FROM folders_arrow")
    files = [(str(s.path), i) for i, s in enumerate(sources) if s.kind == "parquet"]
    if files:
        con.register("files_arrow", pa.table({"filename": [f for f, _ in files], "list": [i for _, i in files]}))
        paths = "[" + ", ".join(_q(f) for f, _ in files) + "]"
        parts.append(f"SELECT f.list, {', '.join('p.' + c for c in _COLS)} FROM read_parquet({paths}, filename = true) p "
                     "JOIN files_arrow f ON f.filename = p.filename")
    con.execute("CREATE TEMP VIEW src AS " + " UNION ALL ".join(parts))
    # One row per (item, list). A list may carry one code several times (办理项 of one 主项): its first
    # values stand for it. Names and bases compare folded (hashes of the normalised text). Almost
    # every (item, list) pair is a single row, so only the repeated pairs are aggregated: grouping
    # all 10M rows with their text was most of a national comparison's time.
    con.execute("""
CREATE TEMP VIEW keyed AS
WITH codes AS (SELECT name_key, min(code_key) AS ck FROM src WHERE code_key IS NOT NULL GROUP BY name_key)
SELECT coalesce(s.code_key, c.ck, s.name_key) AS k, s.list AS list, s.code, s.name, s.name_norm, s.category,
       s.basis_text, s.basis_key, s.time_limit, s.body_type
FROM src s LEFT JOIN codes c ON s.code_key IS NULL AND c.name_key = s.name_key""")
    con.execute("CREATE TEMP TABLE repeated AS SELECT k, list FROM keyed GROUP BY k, list HAVING count(*) > 1")
    con.execute("""
CREATE TEMP TABLE per AS
SELECT k, list, code, name, hash(name_norm) AS h_name, category, basis_text AS basis, hash(basis_key) AS h_basis,
       time_limit, body_type
FROM keyed ANTI JOIN repeated USING (k, list)
UNION ALL
SELECT k, list, min(code), min(name), hash(min(name_norm)), min(category), min(basis_text), hash(min(basis_key)),
       min(time_limit), min(body_type)
FROM keyed SEMI JOIN repeated USING (k, list) GROUP BY k, list""")
    modes = ", ".join(f"mode({_CMP[a][0]}) AS m_{a}" for a in ATTR_KEYS)
    con.execute(f"CREATE TEMP TABLE items AS SELECT k, count(*) AS n, min(code) AS code, {modes} FROM per GROUP BY k")
    flags = ", ".join(f"coalesce(p.{_CMP[a][0]} <> i.m_{a}, false) AS d_{a}" for a in ATTR_KEYS)
    con.execute(f"CREATE TEMP TABLE flags AS SELECT p.*, i.n, {flags} FROM per p JOIN items i USING (k)")
    total = len(sources)
    any_d = " OR ".join(f"d_{a}" for a in ATTR_KEYS)
    # The majority's values as displayed (a name, not its hash), and an order: departures first.
    shown = ", ".join(f"mode({_CMP[a][1]}) FILTER (WHERE NOT d_{a}) AS m_{a}" for a in ATTR_KEYS)
    con.execute(f"""
CREATE TEMP TABLE shown AS
SELECT k, any_value(code) AS code, any_value(n) AS n, count(*) FILTER (WHERE {any_d}) AS departing, {shown},
       CASE WHEN count(*) FILTER (WHERE {any_d}) > 0 THEN 0 WHEN any_value(n) < {total} THEN 1 ELSE 2 END AS rank
FROM flags GROUP BY k""")
    # Majority items a list lacks: (item, list) pairs with no row, only for items most lists carry.
    con.execute(f"""
CREATE TEMP TABLE gaps AS
SELECT i.k, l.list FROM items i CROSS JOIN lists l
WHERE 2 * i.n > {total} AND i.n < {total}
  AND NOT EXISTS (SELECT 1 FROM per p WHERE p.k = i.k AND p.list = l.list)""")


def _stats(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> tuple[list[ListStat], Summary]:
    total = len(sources)
    any_d = " OR ".join(f"d_{a}" for a in ATTR_KEYS)
    counts = ", ".join(f"count(*) FILTER (WHERE d_{a})" for a in ATTR_KEYS)
    rows = con.execute(f"""
SELECT list, count(*), count(*) FILTER (WHERE 2 * n <= {total}), count(*) FILTER (WHERE {any_d}), {counts}
FROM flags GROUP BY list""").fetchall()
    missing = dict(con.execute("SELECT list, count(*) FROM gaps GROUP BY list").fetchall())
    stats = [ListStat(i, s.label, str(s.path)) for i, s in enumerate(sources)]
    for r in rows:
        st = stats[r[0]]
        st.items, st.minority, st.differing_items = r[1], r[2], r[3]
        st.differs = {a: r[4 + j] for j, a in enumerate(ATTR_KEYS)}
        st.missing = missing.get(r[0], 0)
    for st in stats:
        if not st.differs:
            st.differs = dict.fromkeys(ATTR_KEYS, 0)
    row = con.execute(f"""
SELECT count(*), count(*) FILTER (WHERE n = {total}), count(*) FILTER (WHERE 2 * n > {total}),
       count(*) FILTER (WHERE departing > 0) FROM shown""").fetchall()[0]
    return stats, Summary(total, row[0], row[1], row[2], row[3])


def check_out(out: Path, formats: dict[str, str]) -> str:
    """The output format from ``out``'s suffix; CompareError naming the choices otherwise."""
    suffix = out.suffix.lower().lstrip(".")
    if suffix not in formats:
        choices = ", ".join(f".{s}" for s in formats)
        raise error(f"--out {out}：不支持的文件类型（可选 {choices}）",
                    f"--out {out}: unknown file type (choose from {choices})")
    parent = out.absolute().parent
    if not parent.is_dir():
        raise error(f"无法写入 {out}：文件夹 {parent} 不存在", f"cannot write {out}: folder {parent} does not exist")
    if out.is_dir():
        raise error(f"--out {out} 是文件夹", f"--out {out} is a folder")
    return suffix


def temp_beside(out: Path) -> Path:
    """A fresh temporary path in ``out``'s folder (renamed onto ``out`` once complete)."""
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.absolute().parent)
    os.close(fd)
    os.unlink(tmp)  # DuckDB's COPY and the writers create it themselves
    return Path(tmp)


__all__ = ["CompareError", "Comparison", "check_out", "compare", "temp_beside"]
