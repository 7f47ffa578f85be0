"""The floors every figure is compared with, run as their own process like the tools:
reading every catalogue file, parsing every file with libyaml (PyYAML ``CSafeLoader``), and
parsing every file with the fast parser alone (``yaml_rs.loads``, what powerlist's data path uses
for plain block YAML), one process. A file a parser cannot read (the planted broken ones) counts
as parsed.

    python -m bench.floors read|libyaml|fast CATALOGUE
"""

from __future__ import annotations

import contextlib
import os
import sys

YAML_SUFFIXES = (".yaml", ".yml")


def catalogue_files(root: str) -> list[str]:
    """Every YAML file under the catalogue, hidden folders skipped (what ``powerlist check`` reads)."""
    out: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        out.extend(os.path.join(dirpath, f) for f in sorted(filenames) if f.endswith(YAML_SUFFIXES))
    return out


def read_all(files: list[str]) -> int:
    total = 0
    for path in files:
        with open(path, "rb") as fh:
            total += len(fh.read())
    return total


def parse_all(files: list[str]) -> int:
    import yaml

    loader = yaml.CSafeLoader
    parsed = 0
    for path in files:
        with open(path, "rb") as fh:
            raw = fh.read()
        # Broken files are planted on purpose: the floor only times parsing.
        with contextlib.suppress(Exception):
            yaml.load(raw.decode("utf-8-sig"), Loader=loader)
        parsed += 1
    return parsed


def parse_all_fast(files: list[str]) -> int:
    from yaml_rs import loads

    parsed = 0
    for path in files:
        with open(path, "rb") as fh:
            raw = fh.read()
        with contextlib.suppress(Exception):
            loads(raw.decode("utf-8-sig"), parse_datetime=False)
        parsed += 1
    return parsed


FLOORS = {"read": read_all, "libyaml": parse_all, "fast": parse_all_fast}


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or args[0] not in FLOORS:
        print(__doc__, file=sys.stderr)
        return 2
    files = catalogue_files(args[1])
    done = FLOORS[args[0]](files)
    print(len(files), done)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
