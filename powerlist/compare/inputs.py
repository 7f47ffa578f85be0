"""What ``powerlist compare`` is given: catalogue folders, export folders (holding powers.parquet)
or .parquet files. Each becomes a :class:`Source`; a folder is loaded with the normal loader and
turned into the same columnar rows as the Parquet export, so one DuckDB query compares them all."""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from powerlist.compare.model import error
from powerlist.export.parquetout import NAME as PARQUET_NAME

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass
class Source:
    path: Path
    kind: str  # "folder" (a catalogue) or "parquet" (an export)
    label: str = ""


def _label(path: Path) -> str:
    """An export's name: its folder for exports/<county>/powers.parquet, else the file's stem."""
    return path.parent.name if path.name == PARQUET_NAME and path.parent.name else path.stem


def resolve(paths: Sequence[Path]) -> list[Source]:
    """Each path as a source (duplicates once); CompareError naming the first unusable path."""
    from powerlist.catalog.layout import is_catalog

    out: list[Source] = []
    seen: set[str] = set()
    for path in paths:
        real = os.path.realpath(path)
        if real in seen:
            continue
        seen.add(real)
        if not path.exists():
            raise error(f"{path}：文件或文件夹不存在", f"{path}: no such file or folder")
        if path.is_dir():
            if is_catalog(path):
                out.append(Source(path, "folder"))
            elif (path / PARQUET_NAME).is_file():
                out.append(Source(path / PARQUET_NAME, "parquet", _label(path / PARQUET_NAME)))
            else:
                raise error(f"{path} 既不是目录，也不是含 {PARQUET_NAME} 的导出文件夹",
                            f"{path} is neither a catalogue nor an export folder holding {PARQUET_NAME}")
        elif path.suffix.lower() == ".parquet":
            if not os.access(path, os.R_OK):
                raise error(f"{path}：无法读取（权限不足）", f"{path}: cannot be read (permission denied)")
            out.append(Source(path, "parquet", _label(path)))
        else:
            raise error(f"{path}：不是目录文件夹或 .parquet 文件", f"{path}: not a catalogue folder or a .parquet file")
    if len(out) < 2:
        raise error("至少需要两份清单才能比较", "compare needs at least two lists")
    return out


def unique_labels(sources: list[Source]) -> None:
    """Labels made unique (青溪县, 青溪县-2 …) so every column group has its own name."""
    used: set[str] = set()
    for s in sources:
        base, n = s.label or s.path.name, 1
        name = base
        while name in used:
            n += 1
            name = f"{base}-{n}"
        used.add(name)
        s.label = name


def load_folder(source: Source, known_codes: Callable[[], list[str]]) -> pa.Table:
    """A catalogue folder as export rows: loaded, abolished and cancelled items left out (as the
    export leaves them out), no check run. Sets the source's label from its region."""
    from powerlist.catalog import load_catalog
    from powerlist.config import ConfigError, load_settings
    from powerlist.diagnostics import Result
    from powerlist.export.clean import clean
    from powerlist.export.parquetout import label_of, table

    try:
        settings = load_settings(source.path, None, known_codes)
        cat = load_catalog(source.path, settings)
    except ConfigError as exc:
        raise error(f"{source.path}：{exc}", f"{source.path}: {exc}") from None
    except OSError as exc:
        raise error(f"{source.path}：无法读取（{exc.strerror or exc}）",
                    f"{source.path}: cannot be read ({exc.strerror or exc})") from None
    cleaned = clean(cat, Result([], [], 0, 0))
    source.label = label_of(cat)
    return table(cat, cleaned.powers, source.label)
