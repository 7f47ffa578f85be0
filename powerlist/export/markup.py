"""Escaping for HTML and SVG: every text from a catalogue passes through :func:`esc`."""

from __future__ import annotations

import re

# What html.escape(quote=True) replaces, plus the characters XML 1.0 cannot hold (C0 controls
# except tab/LF/CR, lone surrogates, U+FFFE/FFFF): a YAML "\x01" escape can carry them, and one
# would make a standalone SVG unreadable.
_NOT_XML = [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0xD800, 0xE000), 0xFFFE, 0xFFFF]
_TABLE = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;", ord("'"): "&#x27;",
          **dict.fromkeys(_NOT_XML, "\ufffd")}
_NEEDS = re.compile("[&<>\"'\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def esc(value: object) -> str:
    """Text safe inside an element or a double- or single-quoted attribute. Most catalogue text
    needs nothing: one search decides, so a site of 2,500 pages escapes in milliseconds."""
    text = str(value)
    return text.translate(_TABLE) if _NEEDS.search(text) else text


def text_width(s: str, size: float) -> float:
    """Rough rendered width: wide (CJK, full-width) characters one em, others about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.58 for c in s)


def wrap(s: str, size: float, width: float, max_lines: int) -> list[str]:
    """Break text into lines that fit ``width`` (character by character, as Chinese is set);
    the last line ends with … when text is left over."""
    lines: list[str] = []
    cur, w = "", 0.0
    for c in s.replace("\n", " "):
        cw = size if ord(c) > 0x2E7F else size * 0.58
        if cur and w + cw > width:
            lines.append(cur)
            cur, w = "", 0.0
            if len(lines) == max_lines:
                break
        cur += c
        w += cw
    else:
        if cur:
            lines.append(cur)
        return lines
    last = lines[-1]
    lines[-1] = last[:-1] + "…" if len(last) > 1 else last + "…"
    return lines
