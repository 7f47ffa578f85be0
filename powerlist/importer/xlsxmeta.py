"""What calamine does not tell about an xlsx sheet: merged ranges and formula cells. Read straight
from the sheet XML with regular expressions (openpyxl would build every cell: 10× slower)."""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field

_MERGE = re.compile(rb'<mergeCell [^>]*ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')
_FORMULA = re.compile(rb'<c [^>]*r="([A-Z]+)(\d+)"[^>]*>(?:(?!</c>).)*?<f[ >/]', re.S)
_SHEET = re.compile(rb'<sheet [^>]*name="([^"]*)"[^>]*r:id="([^"]*)"')
_REL = re.compile(rb'<Relationship [^>]*Id="([^"]*)"[^>]*Target="([^"]*)"')
_REL2 = re.compile(rb'<Relationship [^>]*Target="([^"]*)"[^>]*Id="([^"]*)"')


@dataclass
class SheetMeta:
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 0-based r0, c0, r1, c1
    formulas: list[tuple[int, int]] = field(default_factory=list)  # 0-based row, column


def col_index(letters: bytes | str) -> int:
    n = 0
    for ch in letters if isinstance(letters, str) else letters.decode():
        n = n * 26 + ord(ch) - 64
    return n - 1


def col_letters(index: int) -> str:
    out = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        out = chr(65 + rem) + out
    return out


def _unescape(raw: bytes) -> str:
    text = raw.decode("utf-8")
    for a, b in (("&lt;", "<"), ("&gt;", ">"), ("&quot;", '"'), ("&apos;", "'"), ("&amp;", "&")):
        text = text.replace(a, b)
    return text


def _sheet_paths(zf: zipfile.ZipFile) -> dict[str, str]:
    rels = zf.read("xl/_rels/workbook.xml.rels")
    targets = {i.decode(): t.decode() for i, t in _REL.findall(rels)}
    targets.update({i.decode(): t.decode() for t, i in _REL2.findall(rels)})
    out: dict[str, str] = {}
    for name, rid in _SHEET.findall(zf.read("xl/workbook.xml")):
        target = targets.get(rid.decode(), "")
        out[_unescape(name)] = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return out


def read_meta(path: str) -> dict[str, SheetMeta]:
    """Sheet name -> merged ranges and formula cells; empty when the file is not a plain xlsx zip."""
    out: dict[str, SheetMeta] = {}
    try:
        with zipfile.ZipFile(path) as zf:
            for name, member in _sheet_paths(zf).items():
                xml = zf.read(member)
                meta = SheetMeta()
                for c0, r0, c1, r1 in _MERGE.findall(xml):
                    meta.merged.append((int(r0) - 1, col_index(c0), int(r1) - 1, col_index(c1)))
                if b"<f" in xml:
                    meta.formulas = [(int(r) - 1, col_index(c)) for c, r in _FORMULA.findall(xml)]
                out[name] = meta
    except (zipfile.BadZipFile, KeyError, OSError):
        return {}
    return out
