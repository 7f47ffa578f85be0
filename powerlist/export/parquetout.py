"""``powers.parquet``: one row per published item, in the columns ``powerlist compare`` reads.

Each list is checked in its own repository; a province or the country compares their exports. A
Parquet file per list lets one DuckDB query read thousands of them (columns read only where asked,
out of core), so this writer carries the match key (powerlist.matchkey: the same key the upper-
level check uses) and every attribute compare puts side by side, already normalised.

Columns (docs/export.md): catalogue, id, code, implementation_code, code_key, name_key, match_key,
name, name_norm, category, status, body, body_name, body_type, body_level, basis (list of instrument
titles), basis_text, basis_key, statutory_days, promised_days, time_unit, time_limit, sub_items, levels.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from powerlist.catalog import Catalog, Entry
from powerlist.export.clean import Cleaned, number
from powerlist.matchkey import code_key, match_key
from powerlist.normalize import normalize_name, normalize_title

if TYPE_CHECKING:
    import pyarrow as pa

    from powerlist.export.outdir import Staging

NAME = "powers.parquet"
VERSION = "1"  # in the file's metadata (powerlist.parquet): bumped when a column changes meaning

# A body's name without its region (临川市水务局, 青溪县水务局 -> 水务局): what siblings' bodies share.
# A region word is at least two characters before its suffix, so 城市管理局 keeps its 城市.
_REGION = re.compile(r"^[\u4e00-\u9fff]{2,7}?(?:自治区|自治州|自治县|特别行政区|省|市|州|地区|盟|县|区|旗)")
_UNIT_SHORT = {"working_days": "工作日", "calendar_days": "自然日", "months": "月"}


def schema() -> pa.Schema:
    import pyarrow as pa

    s, ls, f = pa.string(), pa.list_(pa.string()), pa.float64()
    return pa.schema([
        ("catalogue", s), ("id", s), ("code", s), ("implementation_code", s), ("code_key", s), ("name_key", s),
        ("match_key", s), ("name", s), ("name_norm", s), ("category", s), ("status", s), ("body", s),
        ("body_name", s), ("body_type", s), ("body_level", s), ("basis", ls), ("basis_text", s), ("basis_key", s),
        ("statutory_days", f), ("promised_days", f), ("time_unit", s), ("time_limit", s), ("sub_items", ls),
        ("levels", ls),
    ], metadata={b"powerlist.parquet": VERSION.encode()})


def body_type(name: str, region: str | None = None) -> str:
    """The body's kind, its region words dropped: 江南省临川市青溪县水务局 -> 水务局."""
    text = name.strip()
    if region:
        for part in sorted(_REGION_PARTS.findall(region), key=len, reverse=True):
            text = text.removeprefix(part)
    for _ in range(3):  # province, city, county
        m = _REGION.match(text)
        if m is None or len(text) - m.end() < 2:
            break
        text = text[m.end():]
    return text


_REGION_PARTS = re.compile(r"[\u4e00-\u9fff]+?(?:自治区|自治州|自治县|特别行政区|省|市|州|地区|盟|县|区|旗)")


def time_limit_text(statutory: float | None, promised: float | None, unit: str) -> str:
    """"20/10 工作日" (statutory/promised); "" when neither is stated."""
    if statutory is None and promised is None:
        return ""
    return f"{number(statutory) or '-'}/{number(promised) or '-'} {_UNIT_SHORT.get(unit, unit)}"


def _law_title(cat: Catalog, ref: str) -> str:
    hit = cat.resolved_basis.get(ref)
    return hit.title if hit is not None else ref.strip().removeprefix("《").removesuffix("》")


def records(cat: Catalog, entries: Iterable[Entry], label: str) -> dict[str, list[Any]]:
    """The items as columns (a dict of lists, the shape ``pyarrow.table`` takes)."""
    cols: dict[str, list[Any]] = {name: [] for name in schema().names}
    region = cat.settings.region
    bodies: dict[str, tuple[str, str, str | None]] = {}
    for e in entries:
        p = e.power
        if p.body not in bodies:
            b = cat.body_by_id.get(p.body)
            bname = b.body.name if b is not None else p.body
            bodies[p.body] = (bname, body_type(bname, region), b.body.level if b is not None else None)
        bname, btype, blevel = bodies[p.body]
        titles = list(dict.fromkeys(_law_title(cat, b.law) for b in p.basis))
        tl = p.time_limit
        unit = tl.unit if tl is not None else "working_days"
        ck = code_key(p.code)
        nk = match_key(p.name, p.category)
        row = {
            "catalogue": label, "id": p.id, "code": p.code, "implementation_code": p.implementation_code,
            "code_key": ck, "name_key": nk, "match_key": ck or nk, "name": p.name, "name_norm": normalize_name(p.name),
            "category": p.category, "status": p.status, "body": p.body, "body_name": bname, "body_type": btype,
            "body_level": blevel, "basis": titles, "basis_text": "；".join(f"《{t}》" for t in sorted(titles)),
            "basis_key": "；".join(sorted({normalize_title(t) for t in titles})),
            "statutory_days": float(tl.statutory) if tl is not None and tl.statutory is not None else None,
            "promised_days": float(tl.promised) if tl is not None and tl.promised is not None else None,
            "time_unit": unit if tl is not None else None,
            "time_limit": time_limit_text(tl.statutory, tl.promised, unit) if tl is not None else "",
            "sub_items": p.sub_item_names(), "levels": list(p.levels),
        }
        for k, v in row.items():
            cols[k].append(v)
    return cols


def table(cat: Catalog, entries: Iterable[Entry], label: str) -> pa.Table:
    import pyarrow as pa

    return pa.table(records(cat, entries, label), schema=schema())


def label_of(cat: Catalog) -> str:
    """The list's name: its region (powerlist.toml), else its folder's name."""
    return cat.settings.region or cat.root.resolve().name


def to_bytes(t: pa.Table) -> bytes:
    import pyarrow.parquet as pq

    buf = io.BytesIO()
    pq.write_table(t, buf, compression="zstd")
    return buf.getvalue()


def write(cl: Cleaned, out: Staging) -> None:
    out.write_bytes(NAME, to_bytes(table(cl.catalog, cl.powers, label_of(cl.catalog))))
