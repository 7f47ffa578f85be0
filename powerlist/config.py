"""``powerlist.toml`` -> :class:`Settings`. Unknown keys are errors: a typo must not silently
switch a check off.

A leaf: the codes a configuration may name come from the caller (``known_codes``, a callable
asked only when the file selects, ignores or re-grades codes), so that reading settings imports
no check (start-up time of a warm run). :func:`powerlist.api.settings_for` passes
:func:`powerlist.checks.all_checks`."""

from __future__ import annotations

import os
import stat
import tomllib
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from powerlist.diagnostics import Severity
from powerlist.fsutil import is_inside, read_regular
from powerlist.limits import Limits

DEFAULT_CATEGORIES: tuple[str, ...] = (
    "行政许可", "行政处罚", "行政强制", "行政征收", "行政给付",
    "行政检查", "行政确认", "行政奖励", "行政裁决", "其他行政权力",
)
DEFAULT_LEVELS: tuple[str, ...] = ("省级", "市级", "县级", "乡级")
# Listed beside the powers but not powers (issue 12): no basis, flowchart or category checks.
DEFAULT_NOT_POWERS: tuple[str, ...] = ("公共服务",)
CONFIG_NAME = "powerlist.toml"

KnownCodes = Callable[[], Collection[str]]
"""Every code a configuration may name (e.g. :func:`powerlist.checks.all_checks`), asked lazily."""


class ConfigError(Exception):
    """The configuration cannot be used; the run cannot happen (exit 2)."""


@dataclass(frozen=True)
class Settings:
    region: str | None = None
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    levels: tuple[str, ...] = DEFAULT_LEVELS
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: dict[str, Severity] = field(default_factory=dict)
    near_duplicate_threshold: float = 0.9
    limits: Limits = Limits()
    source: Path | None = None
    not_powers: tuple[str, ...] = DEFAULT_NOT_POWERS
    import_missing: tuple[str, ...] = ()
    """[import] missing: elements the imported source lacked (S026 folds their findings into one count)."""
    upper: tuple[Path, ...] = ()
    """[upper] catalogues (or ``--upper``): upper-level lists the U checks compare with (absolute paths)."""
    upper_level: str | None = None
    """[upper] level: this list's own level (default: the highest level among its active bodies)."""

    def is_not_power(self, category: str) -> bool:
        """Whether ``category`` is listed beside the powers without being one (``not_powers``)."""
        return category in self.not_powers

    def with_cli(self, select: list[str] | None = None, ignore: list[str] | None = None) -> Settings:
        """Combine the command line with the configuration as ruff does: ``--select`` states the
        selection outright and replaces the configured ``select`` *and* ``ignore`` (so
        ``--select D003`` shows D003 even where powerlist.toml ignores it); ``--ignore`` adds to
        whatever selection is in force."""
        if select:
            return replace(self, select=tuple(select), ignore=tuple(ignore or ()))
        return replace(self, ignore=self.ignore + tuple(ignore or ()))

    def with_upper(self, paths: list[Path] | None) -> Settings:
        """``--upper`` states the upper lists outright: given, it replaces ``[upper] catalogues``."""
        return replace(self, upper=tuple(p.absolute() for p in paths)) if paths else self

    def fingerprint(self) -> str:
        """What the cache must be keyed by: everything that can change a finding."""
        return repr((self.categories, self.levels, self.select, self.ignore,
                     sorted((k, v.value) for k, v in self.severity.items()),
                     self.near_duplicate_threshold, self.limits, self.not_powers, self.import_missing,
                     tuple(str(p) for p in self.upper), self.upper_level))


_TOP = {"region", "categories", "extra_categories", "levels", "check", "limits", "not_powers", "import", "upper"}
_CHECK = {"select", "ignore", "severity", "near_duplicate_threshold"}
_LIMITS = {"max_file_bytes", "max_depth", "max_nodes", "max_name_chars"}


def _strs(value: Any, where: str, allow_empty: bool = True) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where} must be a list of non-empty strings")
    if not value and not allow_empty:
        raise ConfigError(f"{where} must not be empty")
    return tuple(value)


def _unknown(table: dict[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise ConfigError(f"unknown key(s) in {where}: {', '.join(extra)} (allowed: {', '.join(sorted(allowed))})")


def _codes(known_codes: KnownCodes | None, where: str) -> Collection[str]:
    if known_codes is None:
        raise ValueError(f"{where}: [check] names codes; pass known_codes= to check them against")
    return known_codes()


def parse_settings(doc: dict[str, Any], source: Path | None = None, known_codes: KnownCodes | None = None) -> Settings:
    """``known_codes`` is called (once) only when ``[check]`` has select, ignore or severity."""
    where = str(source or CONFIG_NAME)
    _unknown(doc, _TOP, where)
    kw: dict[str, Any] = {"source": source}
    if "region" in doc:
        if not isinstance(doc["region"], str):
            raise ConfigError(f"{where}: region must be a string")
        kw["region"] = doc["region"]
    cats = _strs(doc["categories"], f"{where}: categories", allow_empty=False) if "categories" in doc else DEFAULT_CATEGORIES
    if "extra_categories" in doc:
        cats = cats + tuple(c for c in _strs(doc["extra_categories"], f"{where}: extra_categories") if c not in cats)
    kw["categories"] = cats
    if "levels" in doc:
        kw["levels"] = _strs(doc["levels"], f"{where}: levels", allow_empty=False)
    if "not_powers" in doc:
        kw["not_powers"] = _strs(doc["not_powers"], f"{where}: not_powers")
    chk = doc.get("check", {})
    if not isinstance(chk, dict):
        raise ConfigError(f"{where}: [check] must be a table")
    _unknown(chk, _CHECK, f"{where} [check]")
    codes = _codes(known_codes, where) if {"select", "ignore", "severity"} & chk.keys() else ()
    for key in ("select", "ignore"):
        if key in chk:
            pats = _strs(chk[key], f"{where}: check.{key}")
            bad = [p for p in pats if not any(c.startswith(p.upper()) for c in codes)]
            if bad:
                raise ConfigError(f"{where}: check.{key} names no known code: {', '.join(bad)}")
            kw[key] = tuple(p.upper() for p in pats)
    if "severity" in chk:
        kw["severity"] = _severities(chk["severity"], where, codes)
    if "near_duplicate_threshold" in chk:
        thr = chk["near_duplicate_threshold"]
        if not isinstance(thr, (int, float)) or isinstance(thr, bool) or not 0 < thr <= 1:
            raise ConfigError(f"{where}: check.near_duplicate_threshold must be a number in (0, 1]")
        kw["near_duplicate_threshold"] = float(thr)
    lim = doc.get("limits", {})
    if not isinstance(lim, dict):
        raise ConfigError(f"{where}: [limits] must be a table")
    _unknown(lim, _LIMITS, f"{where} [limits]")
    lkw: dict[str, int] = {}
    for key, value in lim.items():
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            raise ConfigError(f"{where}: limits.{key} must be a positive integer")
        lkw[key] = value
    kw["limits"] = Limits(**lkw)
    kw["import_missing"] = _import_missing(doc.get("import", {}), where)
    kw["upper"], kw["upper_level"] = _upper(doc.get("upper", {}), where, source)
    return Settings(**kw)


def _upper(table: Any, where: str, source: Path | None) -> tuple[tuple[Path, ...], str | None]:
    """``[upper] catalogues = [...]`` (paths relative to the powerlist.toml that names them) and
    ``level`` (this list's own level, for the U checks)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [upper] must be a table")
    _unknown(table, {"catalogues", "level"}, f"{where} [upper]")
    base = source.parent if source is not None else Path()
    paths = tuple((base / p).absolute() for p in _strs(table.get("catalogues", []), f"{where}: upper.catalogues"))
    level = table.get("level")
    if level is not None and (not isinstance(level, str) or not level):
        raise ConfigError(f"{where}: upper.level must be a non-empty string (e.g. \"市级\")")
    return paths, level


IMPORT_ELEMENTS = ("process", "time_limit", "responsibilities", "accountability", "basis_text")


def _import_missing(table: Any, where: str) -> tuple[str, ...]:
    """``[import] missing = [...]``, written by `powerlist import`."""
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: [import] must be a table")
    _unknown(table, {"missing"}, f"{where} [import]")
    missing = _strs(table.get("missing", []), f"{where}: import.missing")
    bad = sorted(set(missing) - set(IMPORT_ELEMENTS))
    if bad:
        raise ConfigError(f"{where}: import.missing names unknown element(s): {', '.join(bad)} "
                          f"(known: {', '.join(IMPORT_ELEMENTS)})")
    return missing


def _severities(sev: Any, where: str, codes: Collection[str]) -> dict[str, Severity]:
    """``[check.severity]``: CODE or prefix = "error" | "warning". A prefix (``P``, ``P0``) sets every
    code it names; a longer prefix or a full code overrides a shorter one."""
    if not isinstance(sev, dict):
        raise ConfigError(f"{where}: [check.severity] must be a table of CODE = \"error\"|\"warning\"")
    out: dict[str, Severity] = {}
    for pattern in sorted(sev, key=len):
        named = [c for c in codes if c.startswith(pattern.upper())]
        if not named:
            raise ConfigError(f"{where}: check.severity names unknown code {pattern}")
        try:
            level = Severity(sev[pattern])
        except ValueError:
            raise ConfigError(f"{where}: check.severity.{pattern} must be \"error\" or \"warning\"") from None
        out.update(dict.fromkeys(named, level))
    return out


def _check_config_path(path: Path, root: Path | None) -> None:
    """A configuration that is a folder, a FIFO, a dangling link or (the catalogue's own
    powerlist.toml) a link out of the catalogue is an error, never silently the defaults."""
    if root is not None and not is_inside(root, path):
        raise ConfigError(f"{path} is a link that points outside the catalogue; it is not read")
    try:
        mode = os.stat(path).st_mode
    except OSError:
        raise ConfigError(f"{path} is a dangling link (its target does not exist)") from None
    if stat.S_ISDIR(mode):
        raise ConfigError(f"{path} is a folder, not a file: write the configuration into a file {CONFIG_NAME}")
    if not stat.S_ISREG(mode):
        raise ConfigError(f"{path} is not a regular file (a FIFO, socket or device); it is not read")


def load_settings(root: Path, config: Path | None = None, known_codes: KnownCodes | None = None) -> Settings:
    """Read ``--config`` or ``<root>/powerlist.toml``; defaults when neither exists. ``known_codes``:
    see :func:`parse_settings` (needed when the file selects, ignores or re-grades codes)."""
    path = config if config is not None else root / CONFIG_NAME
    if not os.path.lexists(path):
        if config is not None:
            raise ConfigError(f"config file not found: {config}")
        return Settings()
    _check_config_path(path, root if config is None else None)
    try:
        doc = tomllib.loads(read_regular(path).decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror}") from None
    return parse_settings(doc, path, known_codes)
