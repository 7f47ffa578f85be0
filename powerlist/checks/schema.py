"""S: syntax and schema checks that need configuration or the file layout (the rest of the S
family is found while loading: see loader.py and validate.py)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import PurePosixPath

from powerlist.catalog import Catalog
from powerlist.diagnostics import Severity
from powerlist.i18n import T
from powerlist.registry import Finding, check

ID_RE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


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
    allowed = set(cat.settings.categories)
    shown = "、".join(cat.settings.categories)
    for e in cat.powers:
        if e.power.category not in allowed:
            yield Finding(e, ("category",), T(
                f"职权类别「{e.power.category}」不在配置的类别中（{shown}）",
                f"category '{e.power.category}' is not a configured category ({', '.join(cat.settings.categories)})"))


@check(
    "S015", "bad-id",
    summary=T("事项编码格式不对", "The power id has the wrong format"),
    explanation=T("编码只能由字母、数字、点、下划线和连字符组成，1 至 64 个字符。",
                  "Ids use only [A-Za-z0-9._-], 1 to 64 characters."),
    example="id: 水利/许可 001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n",
)
def bad_id(cat: Catalog) -> Iterator[Finding]:
    """Power ids are ``[A-Za-z0-9._-]{1,64}`` so they can be file names, URLs and SARIF ids."""
    for e in cat.powers:
        if not ID_RE.match(e.power.id):
            yield Finding(e, ("id",), T(
                f"编码「{e.power.id}」只能含字母、数字、. _ -，且不超过 64 个字符",
                f"id '{e.power.id}' must match [A-Za-z0-9._-]{{1,64}}"))


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
