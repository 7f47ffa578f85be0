"""S: syntax and schema checks that need configuration or the file layout (the rest of the S
family is found while loading: see loader.py and validate.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from powerlist.catalog import Catalog, Entry
from powerlist.checks.base import Finding, check
from powerlist.diagnostics import Severity
from powerlist.i18n import T
from powerlist.models import POWER_ID_PATTERN

ID_RE = re.compile(POWER_ID_PATTERN)  # shared with `powerlist new`


def known_categories(cat: Catalog) -> frozenset[str]:
    """The categories S014 accepts (configured, and the listed-but-not-power ones)."""
    return frozenset(cat.settings.categories) | frozenset(cat.settings.not_powers)


def categorised(cat: Catalog) -> list[Entry]:
    """Active powers whose category S014 accepts. A check that judges the category (the C family)
    looks only at these: an unknown category is S014's one finding, not also a "wrong category"
    (行政审批 once drew a C011 beside its S014)."""
    allowed = known_categories(cat)
    return [e for e in cat.active_powers if e.power.category in allowed]


@check(
    "S014", "unknown-category",
    summary=T("职权类别不在配置的类别中", "The category is not one of the configured categories"),
    citation=T("《关于推行地方各级政府工作部门权力清单制度的指导意见》（中办发〔2015〕21号）",
               "2015 national guidance on power lists (中办发〔2015〕21号)"),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政审批\nbody: city-water\n",
)
def unknown_category(cat: Catalog) -> Iterator[Finding]:
    """A power's ``category`` must be one of the configured categories (powerlist.toml ``categories``
    / ``extra_categories``; by default the ten of the 2015 national guidance)."""
    allowed = known_categories(cat)
    shown = "、".join(cat.settings.categories)
    for e in cat.powers:
        if e.power.category not in allowed:
            yield Finding(e, ("category",), T(
                f"职权类别「{e.power.category}」不在配置的类别中（{shown}）",
                f"category '{e.power.category}' is not a configured category ({', '.join(cat.settings.categories)})"))


@check(
    "S015", "bad-id",
    summary=T("事项编码格式不对", "The power id has the wrong format"),
    explanation=T("编码以字母或数字开头，只能由字母、数字、点、下划线和连字符组成，1 至 64 个字符。",
                  "Ids start with a letter or digit and use only [A-Za-z0-9._-], 1 to 64 characters."),
    example="id: 水利/许可 001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n",
)
def bad_id(cat: Catalog) -> Iterator[Finding]:
    """Power ids are ``[A-Za-z0-9][A-Za-z0-9._-]{0,63}`` so they can be file names (never hidden ones),
    URLs and SARIF ids."""
    for e in cat.powers:
        if not ID_RE.match(e.power.id):
            yield Finding(e, ("id",), T(
                f"编码「{e.power.id}」须以字母或数字开头，只能含字母、数字、. _ -，且不超过 64 个字符",
                f"id '{e.power.id}' must match [A-Za-z0-9][A-Za-z0-9._-]{{0,63}}"))


@check(
    "S016", "file-name-mismatch", severity=Severity.WARNING,
    summary=T("文件名与事项编码不一致", "The file name does not match the power id"),
    example="# powers/water/取水.yaml\nid: SL-XK-001\n",
)
def file_name_mismatch(cat: Catalog) -> Iterator[Finding]:
    """``powers/.../SL-XK-001.yaml`` should hold ``id: SL-XK-001``: people find files by id."""
    for e in cat.powers:
        stem = PurePosixPath(e.path).stem
        if stem != e.power.id:
            yield Finding(e, ("id",), T(
                f"文件名「{stem}」与编码「{e.power.id}」不一致；建议改名为 {e.power.id}.yaml",
                f"file name '{stem}' does not match id '{e.power.id}'; rename it to {e.power.id}.yaml"))


@check(
    "S030", "name-too-long", severity=Severity.WARNING,
    summary=T("事项名称过长", "The power name is implausibly long"),
    explanation=T("正式的事项名称一般不超过 80 个字；超过 powerlist.toml [limits] max_name_chars（默认 200）"
                  "的名称多为误粘贴。查重只比较名称的前 max_name_chars 个字。",
                  "Official names rarely exceed 80 characters; one longer than powerlist.toml [limits] "
                  "max_name_chars (default 200) is usually a paste accident. Near-duplicate search compares "
                  "only the first max_name_chars characters."),
    example="id: SL-XK-001\nname: 取水许可取水许可取水许可……（300 个字）\ncategory: 行政许可\nbody: city-water\n",
)
def name_too_long(cat: Catalog) -> Iterator[Finding]:
    """A power name longer than ``[limits] max_name_chars`` characters (default 200)."""
    cap = cat.settings.limits.max_name_chars
    for e in cat.powers:
        if len(e.power.name) > cap:
            yield Finding(e, ("name",), T(
                f"事项名称有 {len(e.power.name)} 个字，超过上限 {cap}",
                f"the name has {len(e.power.name)} characters, over the limit of {cap}"))
