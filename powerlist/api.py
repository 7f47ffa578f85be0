"""Library entry points the CLI (and other programs) call: load -> model -> index -> checks."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from powerlist.catalog import Catalog, Parser, load_catalog
from powerlist.config import ConfigError, Settings, load_settings
from powerlist.engine import Result, run
from powerlist.registry import unknown_patterns


@dataclass
class Checked:
    catalog: Catalog
    result: Result


def settings_for(
    root: Path, config: Path | None = None, select: list[str] | None = None, ignore: list[str] | None = None
) -> Settings:
    """Configuration from powerlist.toml (or --config) with command-line selection applied."""
    settings = load_settings(root, config)
    bad = unknown_patterns([*(select or []), *(ignore or [])])
    if bad:
        raise ConfigError(f"--select/--ignore name no known code: {', '.join(bad)} (see `powerlist rules`)")
    return settings.with_cli(select, ignore)


def check(root: Path, settings: Settings, as_of: date | None = None, parse: Parser | None = None) -> Checked:
    cat = load_catalog(root, settings, parse=parse)
    return Checked(cat, run(cat, as_of=as_of))
