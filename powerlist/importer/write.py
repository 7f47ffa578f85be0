"""Write an import as a catalogue folder, atomically: everything is built in a staging folder beside
``--out`` and swapped in whole. ``--update`` copies the existing catalogue into the staging folder
and changes it through ruamel round-trip, keeping comments, flowcharts and waivers added by hand."""

from __future__ import annotations

import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from powerlist.importer import ImportFailure
from powerlist.importer.assemble import PowerOut
from powerlist.importer.emit import dump
from powerlist.importer.pipeline import Imported
from powerlist.signing import CACHE_DIRNAME

SOURCE_MARK = "# 来源："
# Keys an import owns on a power, and the source fields whose column makes an absent value a removal.
OWNED: dict[str, tuple[str, ...]] = {
    "name": (), "category": (), "body": (), "code": ("code",), "implementation_code": ("implementation_code",),
    "co_bodies": ("co_bodies",), "status": ("status", "remarks"), "sub_items": ("sub_name",),
    "handling_unit": ("handling_unit",), "levels": ("levels",), "basis": ("basis",),
    "time_limit": ("statutory", "promised", "time_text"), "responsibilities": ("responsibilities",),
    "accountability": ("accountability",), "remarks": ("remarks", "delegated"), "extra": ("*",),
}
_ID_LINE = re.compile(r"^id:\s*['\"]?([^'\"\s#]+)", re.M)


def power_text(p: PowerOut) -> str:
    return f"{SOURCE_MARK}{p.source}\n{dump(p.data)}"


def power_path(p: PowerOut) -> str:
    return f"powers/{p.body}/{p.id}.yaml"


def check_out(out: Path, update: bool) -> None:
    """Refuse a non-empty --out unless --update; --update needs a catalogue there."""
    if out.exists() and not out.is_dir():
        raise ImportFailure(f"{out} is a file; --out names a folder")
    busy = out.is_dir() and any(out.iterdir())
    if busy and not update:
        raise ImportFailure(f"{out} is not empty", "pass --update to update the catalogue there, or choose an empty folder")
    if update and not (out / "bodies.yaml").is_file():
        raise ImportFailure(f"{out} holds no catalogue to update (no bodies.yaml)", "drop --update to create one")


@contextmanager
def staging(out: Path) -> Iterator[Path]:
    """A folder beside ``out``; on success it replaces ``out`` in one rename (old copy removed after)."""
    out.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=out.parent))
    try:
        yield stage
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    old = out.parent / f".{out.name}.old-{os.getpid()}"
    if out.exists():
        os.replace(out, old)
    os.replace(stage, out)
    shutil.rmtree(old, ignore_errors=True)


def toml_text(missing: list[str], existing: str = "") -> str:
    """powerlist.toml with ``[import] missing = [...]`` set (the rest of an existing file untouched)."""
    line = "missing = [" + ", ".join(f'"{m}"' for m in missing) + "]"
    if re.search(r"^\[import\]\s*$", existing, re.M):
        body = re.sub(r"(^\[import\]\s*\n(?:(?!\[).*\n)*?)missing\s*=\s*\[[^\]]*\]", lambda m: m.group(1) + line,
                      existing, count=1, flags=re.M)
        if body != existing or line in existing:
            return body
        return re.sub(r"^\[import\]\s*$", "[import]\n" + line, existing, count=1, flags=re.M)
    sep = "" if not existing or existing.endswith("\n\n") else ("\n" if existing.endswith("\n") else "\n\n")
    return f"{existing}{sep}# Written by `powerlist import`: elements the imported source lacked (see docs/import.md)\n" \
           f"[import]\n{line}\n"


def write_new(stage: Path, imp: Imported) -> None:
    for p in imp.powers:
        target = stage / power_path(p)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(power_text(p), encoding="utf-8")
    (stage / "bodies.yaml").write_text(dump(imp.bodies) or "[]\n", encoding="utf-8")
    (stage / "laws.yaml").write_text(dump(imp.laws) or "[]\n", encoding="utf-8")
    (stage / "powerlist.toml").write_text(toml_text(imp.missing), encoding="utf-8")


# ------------------------------------------------------------------------------------ --update


def _yaml() -> Any:
    from ruamel.yaml import YAML

    y = YAML()
    y.preserve_quotes = True
    y.indent(mapping=2, sequence=4, offset=2)
    y.width = 4096
    return y


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def existing_powers(root: Path) -> dict[str, Path]:
    """Power id -> file, read from each file's ``id:`` line (no full parse needed)."""
    out: dict[str, Path] = {}
    for path in sorted((root / "powers").rglob("*.yaml")):
        m = _ID_LINE.search(path.read_text(encoding="utf-8", errors="replace"))
        if m:
            out.setdefault(m.group(1), path)
    return out


def merge_power(path: Path, new: PowerOut, source_fields: set[str]) -> bool:
    """Update one hand-kept file in place; True when it changed. Keys the import does not own
    (process, waivers, …) and their comments are left as they are."""
    y = _yaml()
    text = path.read_text(encoding="utf-8")
    doc = y.load(text)
    changed = False
    for key, cols in OWNED.items():
        if key in new.data:
            if _plain(doc.get(key)) != new.data[key]:
                doc[key] = new.data[key]
                changed = True
        elif key in doc and cols and (source_fields.intersection(cols) or ("*" in cols and source_fields)):
            del doc[key]
            changed = True
    if changed:
        import io

        buf = io.StringIO()
        y.dump(doc, buf)
        body = buf.getvalue()
        if not body.startswith(SOURCE_MARK):
            lines = [ln for ln in body.splitlines(keepends=True) if not ln.startswith(SOURCE_MARK)]
            body = f"{SOURCE_MARK}{new.source}\n" + "".join(lines)
        path.write_text(body, encoding="utf-8")
    return changed


def merge_registry(path: Path, items: list[dict[str, Any]], key: str) -> None:
    """Append items whose ``key`` is new; fill keys an existing item lacks (a uscc found in the source)."""
    y = _yaml()
    doc = y.load(path.read_text(encoding="utf-8")) if path.is_file() else None
    if doc is None:
        doc = []
    by_key = {item.get(key): item for item in doc if isinstance(item, dict)}
    changed = False
    for item in items:
        old = by_key.get(item[key])
        if old is None:
            doc.append(item)
            changed = True
            continue
        for k, v in item.items():
            if k not in old:
                old[k] = v
                changed = True
    if changed:
        import io

        buf = io.StringIO()
        y.dump(doc, buf)
        path.write_text(buf.getvalue(), encoding="utf-8")


def write_update(stage: Path, out: Path, imp: Imported, source_names: set[str], source_fields: set[str]) -> None:
    shutil.rmtree(stage)
    shutil.copytree(out, stage, symlinks=True, ignore=shutil.ignore_patterns(CACHE_DIRNAME))
    known = existing_powers(stage)
    produced = set()
    for p in imp.powers:
        produced.add(p.id)
        path = known.get(p.id)
        if path is not None:
            merge_power(path, p, source_fields)
            continue
        target = stage / power_path(p)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(power_text(p), encoding="utf-8")
    for ident, path in known.items():
        if ident not in produced and _from_sources(path, source_names):
            path.unlink()  # listed by an earlier import of this source, gone from it now: 取消
    merge_registry(stage / "bodies.yaml", imp.bodies, "name")
    merge_registry(stage / "laws.yaml", imp.new_laws, "title")
    toml = stage / "powerlist.toml"
    old = toml.read_text(encoding="utf-8") if toml.is_file() else ""
    new = toml_text(imp.missing, old)
    if new != old:
        toml.write_text(new, encoding="utf-8")
    tomllib.loads(new)  # never leave a broken powerlist.toml behind


def _from_sources(path: Path, names: set[str]) -> bool:
    with path.open(encoding="utf-8", errors="replace") as fh:
        first = fh.readline()
    return first.startswith(SOURCE_MARK) and first[len(SOURCE_MARK):].split(" ", 1)[0].split("!", 1)[0] in names
