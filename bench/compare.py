"""The compare section of ``make bench`` (issue 13): ``powerlist compare`` over 100 generated county
catalogues from their folders (~300k items) and over 3,000 generated Parquet exports (~10M rows).

The inputs are generated once and kept under bench/_work (outside the timed part). County folders
come from bench.generate with one seed per county (the name lists are shuffled per seed, so the
counties share most items and differ in the rest); the Parquet exports are written directly with
pyarrow, in the columns ``export --format parquet`` writes: a national core every county carries,
a regional share some carry, and a few per cent departing names, limits, bases and body types.

    python -m bench.compare parquet --lists 3000 --rows 3333     # generate only
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

from bench.generate import GENERATOR_VERSION, MANIFEST, generate

PARQUET_VERSION = 1
CATS = ("行政许可", "行政处罚", "行政检查", "行政强制", "行政征收", "行政确认", "其他行政权力")
BODIES = ("水务局", "市场监督管理局", "生态环境局", "自然资源局", "交通运输局", "卫生健康委员会", "应急管理局", "农业农村局")
LAWS = ("中华人民共和国水法", "中华人民共和国食品安全法", "中华人民共和国环境保护法", "中华人民共和国城乡规划法",
        "中华人民共和国道路交通安全法", "中华人民共和国安全生产法", "中华人民共和国农业法", "中华人民共和国药品管理法")
LIMITS = ("20/10 工作日", "20/15 工作日", "90/60 自然日", "15/10 工作日", "30/20 工作日")


def county_folders(work: Path, lists: int, size: int, log: object = print) -> list[Path]:
    """``lists`` catalogues of ``size`` powers (bench.generate, seed = county number), reused when present."""
    out = []
    for i in range(1, lists + 1):
        root = work / f"county-{size}-{i:03d}"
        meta = root / MANIFEST
        ok = False
        if meta.exists():
            m = json.loads(meta.read_text(encoding="utf-8"))
            ok = m.get("generator") == GENERATOR_VERSION and m.get("size") == size and m.get("seed") == i
        if not ok:
            gen = generate(root, size, seed=i, rate=0.0)
            (root / MANIFEST).write_text(json.dumps(gen.manifest(), ensure_ascii=False), encoding="utf-8")
        out.append(root)
    return out


def _universe(rng: random.Random, n: int) -> list[tuple[str | None, str, str, str, str, str]]:
    """(code, name, category, basis, limit, body type) of ``n`` national items."""
    items = []
    for i in range(n):
        cat = CATS[i % len(CATS)]
        name = f"{rng.choice(BODIES)[:-1]}事项{i:05d}{cat[2:]}"
        code = f"{i:012d}" if rng.random() < 0.6 else None
        items.append((code, name, cat, rng.choice(LAWS), rng.choice(LIMITS), rng.choice(BODIES)))
    return items


def parquet_exports(work: Path, lists: int, rows: int, seed: int = 1) -> list[Path]:
    """``lists`` Parquet exports of ``rows`` items each, reused when present (a stamp file says so)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from powerlist.export.parquetout import schema
    from powerlist.matchkey import code_key, match_key
    from powerlist.normalize import normalize_name, normalize_title

    folder = work / f"parquet-{lists}x{rows}"
    stamp = folder / "stamp.json"
    want = {"version": PARQUET_VERSION, "lists": lists, "rows": rows, "seed": seed}
    files = [folder / f"county-{i:04d}.parquet" for i in range(1, lists + 1)]
    if stamp.exists() and json.loads(stamp.read_text()) == want and all(f.exists() for f in files):
        return files
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    core, regional = int(rows * 0.75), int(rows * 0.75)  # 75 % in every list; the rest from a regional pool
    universe = _universe(rng, core + regional)
    keys = {}  # per universe item: code_key, name_key, name_norm, basis_key (computed once)
    for ix, (code, name, cat, law, _, _) in enumerate(universe):
        keys[ix] = (code_key(code), match_key(name, cat), normalize_name(name), normalize_title(law))
    sch = schema()
    for n, path in enumerate(files, 1):
        picks = list(range(core)) + rng.sample(range(core, core + regional), rows - core)
        cols: dict[str, list[object]] = {f: [] for f in sch.names}
        label = f"county-{n:04d}"
        for ix in picks:
            code, name, cat, law, limit, body = universe[ix]
            ck, nk, nn, bk = keys[ix]
            r = rng.random()
            if r < 0.01:  # a local wording of the name (matched by code where it has one)
                name, nn = name + "（县级）", nn + "县级"
                nk = match_key(name, cat)
            elif r < 0.05:
                limit = rng.choice(LIMITS)
            elif r < 0.07:
                law, bk = LAWS[0], normalize_title(LAWS[0])
            elif r < 0.08:
                body = rng.choice(BODIES)
            row = {"catalogue": label, "id": f"X-{ix:06d}", "code": code, "implementation_code": None, "code_key": ck,
                   "name_key": nk, "match_key": ck or nk, "name": name, "name_norm": nn, "category": cat,
                   "status": "active", "body": body, "body_name": "某县" + body, "body_type": body, "body_level": "县级",
                   "basis": [law], "basis_text": f"《{law}》", "basis_key": bk, "statutory_days": None,
                   "promised_days": None, "time_unit": None, "time_limit": limit, "sub_items": [], "levels": []}
            for k, v in row.items():
                cols[k].append(v)
        pq.write_table(pa.table(cols, schema=sch), path, compression="zstd")
    stamp.write_text(json.dumps(want))
    return files


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.compare", description=__doc__.split("\n\n")[0])
    ap.add_argument("kind", choices=("parquet", "folders"))
    ap.add_argument("--lists", type=int, default=3000)
    ap.add_argument("--rows", type=int, default=3333, help="items per list")
    ap.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "_work")
    args = ap.parse_args(argv)
    if args.kind == "parquet":
        files = parquet_exports(args.work, args.lists, args.rows)
        print(f"{len(files)} exports in {files[0].parent}")
    else:
        roots = county_folders(args.work, args.lists, args.rows)
        print(f"{len(roots)} catalogues under {args.work}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
