"""Resource limits for reading catalogue files (configurable in powerlist.toml ``[limits]``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 1_048_576
    max_depth: int = 64
    max_nodes: int = 200_000
    # Official names run to ~80 characters; a longer one is a paste accident or an attack, and
    # the near-duplicate search compares only this many characters so it stays linear.
    max_name_chars: int = 200
