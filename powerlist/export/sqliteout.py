"""``powers.sqlite``: the cleaned catalogue as normalised tables for sqlite3 or Datasette.

Tables: bodies, laws, powers, power_bodies (joint / delegated bodies), basis, steps, edges,
sub_items, duties (责任事项 / 追责情形). Keys are declared; foreign keys point where a reader
joins, and every foreign-key column is indexed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from powerlist.export.clean import Cleaned, article
from powerlist.export.outdir import Staging

NAME = "powers.sqlite"

SCHEMA = """
CREATE TABLE bodies (
  id TEXT PRIMARY KEY, name TEXT NOT NULL, level TEXT NOT NULL, region TEXT, uscc TEXT,
  enforcement INTEGER, status TEXT NOT NULL, merged_into TEXT
);
CREATE TABLE laws (
  id TEXT PRIMARY KEY, title TEXT NOT NULL, level TEXT NOT NULL, status TEXT NOT NULL,
  effective TEXT, repealed_on TEXT, replaced_by TEXT
);
CREATE TABLE powers (
  id TEXT PRIMARY KEY, seq INTEGER NOT NULL, name TEXT NOT NULL, category TEXT NOT NULL,
  body_id TEXT NOT NULL REFERENCES bodies(id), status TEXT NOT NULL,
  statutory_days REAL, promised_days REAL, time_unit TEXT, path TEXT NOT NULL
);
CREATE TABLE power_bodies (
  power_id TEXT NOT NULL REFERENCES powers(id), body_id TEXT NOT NULL REFERENCES bodies(id),
  role TEXT NOT NULL CHECK (role IN ('joint', 'delegated')), PRIMARY KEY (power_id, body_id, role)
);
CREATE TABLE basis (
  power_id TEXT NOT NULL REFERENCES powers(id), seq INTEGER NOT NULL, law_ref TEXT NOT NULL,
  law_id TEXT REFERENCES laws(id), title TEXT NOT NULL, level TEXT, articles TEXT NOT NULL, text TEXT,
  PRIMARY KEY (power_id, seq)
);
CREATE TABLE steps (
  power_id TEXT NOT NULL REFERENCES powers(id), step_id TEXT NOT NULL, seq INTEGER NOT NULL,
  name TEXT NOT NULL, kind TEXT, actor TEXT, action TEXT, days REAL, PRIMARY KEY (power_id, step_id)
);
CREATE TABLE edges (
  power_id TEXT NOT NULL, from_step TEXT NOT NULL, to_step TEXT NOT NULL, condition TEXT, seq INTEGER NOT NULL,
  PRIMARY KEY (power_id, from_step, seq),
  FOREIGN KEY (power_id, from_step) REFERENCES steps(power_id, step_id)
);
CREATE TABLE sub_items (
  power_id TEXT NOT NULL REFERENCES powers(id), seq INTEGER NOT NULL, name TEXT NOT NULL,
  PRIMARY KEY (power_id, seq)
);
CREATE TABLE duties (
  power_id TEXT NOT NULL REFERENCES powers(id), kind TEXT NOT NULL CHECK (kind IN ('responsibility', 'accountability')),
  seq INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY (power_id, kind, seq)
);
CREATE INDEX powers_body ON powers(body_id);
CREATE INDEX powers_category ON powers(category);
CREATE INDEX powers_name ON powers(name);
CREATE INDEX power_bodies_body ON power_bodies(body_id);
CREATE INDEX basis_law ON basis(law_id);
CREATE INDEX edges_to ON edges(power_id, to_step);
"""


def _basis(cl: Cleaned) -> Iterator[tuple[object, ...]]:
    for e in cl.powers:
        for i, b in enumerate(e.power.basis, 1):
            hit = cl.law(b.law)
            law_id = hit.entry.id if hit is not None and hit.entry is not None else None
            yield (e.power.id, i, b.law, law_id, cl.law_title(b.law), hit.level if hit else None,
                   "、".join(article(a) for a in b.articles), b.text)


def _steps(cl: Cleaned) -> Iterator[tuple[object, ...]]:
    for e in cl.powers:
        for i, s in enumerate(e.power.process.steps if e.power.process else [], 1):
            yield (e.power.id, s.id, i, s.name, s.kind, s.actor, s.action, s.days)


def _edges(cl: Cleaned) -> Iterator[tuple[object, ...]]:
    for e in cl.powers:
        for s in e.power.process.steps if e.power.process else []:
            for i, n in enumerate(s.next, 1):
                to, when = (n, None) if isinstance(n, str) else (n.to, n.when)
                yield (e.power.id, s.id, to, when, i)


def write(cl: Cleaned, out: Staging) -> None:
    cat = cl.catalog
    con = sqlite3.connect(out.path(NAME))
    try:
        # A fresh file in a temporary folder: no journal needed, an interrupted export is discarded whole.
        con.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + SCHEMA)
        con.executemany("INSERT INTO bodies VALUES (?,?,?,?,?,?,?,?)", [
            (b.id, b.name, b.level, b.region, b.uscc, b.enforcement, b.status, b.merged_into)
            for b in (x.body for x in cat.body_by_id.values())])
        con.executemany("INSERT INTO laws VALUES (?,?,?,?,?,?,?)", [
            (x.id, x.title, x.level, x.status, x.effective and x.effective.isoformat(),
             x.repealed_on and x.repealed_on.isoformat(), x.replaced_by)
            for x in (e.law for e in cat.law_by_id.values())])
        con.executemany("INSERT INTO powers VALUES (?,?,?,?,?,?,?,?,?,?)", [
            (p.id, n, p.name, p.category, p.body, p.status,
             p.time_limit.statutory if p.time_limit else None, p.time_limit.promised if p.time_limit else None,
             p.time_limit.unit if p.time_limit else None, e.path)
            for n, (e, p) in enumerate(((e, e.power) for e in cl.powers), 1)])
        con.executemany("INSERT OR IGNORE INTO power_bodies VALUES (?,?,?)", [
            (e.power.id, b, role) for e in cl.powers
            for role, ids in (("joint", e.power.co_bodies), ("delegated", e.power.delegated_to)) for b in ids])
        con.executemany("INSERT INTO basis VALUES (?,?,?,?,?,?,?,?)", _basis(cl))
        # A repeated step id is an error the checks report; with --allow-errors the first one stands.
        con.executemany("INSERT OR IGNORE INTO steps VALUES (?,?,?,?,?,?,?,?)", _steps(cl))
        con.executemany("INSERT OR IGNORE INTO edges VALUES (?,?,?,?,?)", _edges(cl))
        con.executemany("INSERT INTO sub_items VALUES (?,?,?)", [
            (e.power.id, i, s) for e in cl.powers for i, s in enumerate(e.power.sub_item_names(), 1)])
        con.executemany("INSERT INTO duties VALUES (?,?,?,?)", [
            (e.power.id, kind, i, t) for e in cl.powers
            for kind, texts in (("responsibility", e.power.responsibilities), ("accountability", e.power.accountability))
            for i, t in enumerate(texts, 1)])
        con.commit()
    finally:
        con.close()
