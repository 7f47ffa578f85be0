"""Item codes of the 政务服务 model (GB/T 39554.1): 基本编码 (``code``), 实施编码
(``implementation_code``, on a power or a sub-item) and 业务办理项编码 (a sub-item's ``code``).

What is unique, decided once for D005 and D006:

* an 实施编码 names one item as one body implements it in one division: unique in the catalogue,
  across powers and sub-items (a sub-item that repeats its own power's 实施编码 is that power's
  single 办理项, not a second item);
* a 业务办理项编码 names one 办理项: unique across sub-items;
* a 基本编码 names the item in the national basic catalogue: several 办理项 of one 主项, and one
  item held by several bodies, legitimately share it. It may repeat, but only with one name and
  one category (D006).

An 实施编码 reads, from the right, ``基本编码-区划代码(12)-000-实施主体编码-N-00``; a 基本编码 may
itself contain hyphens (``G-000007-001``). A code that does not have this layout (real lists carry a
few short forms) is not parsed: R010 and R011 say nothing about it. Codes compare as text,
upper-cased and trimmed: ``000172001000`` and ``172001000`` are different codes.
Abolished powers and abolished sub-items are history and take no part.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from powerlist import uscc
from powerlist.catalog import Catalog, Entry
from powerlist.checks.base import Finding, check
from powerlist.diagnostics import Severity
from powerlist.i18n import T
from powerlist.normalize import normalize_name

Key = tuple[str | int, ...]

CITE_CODING = T("《全国一体化政务服务平台 政务服务事项基本目录及实施清单 第1部分：编码要求》（GB/T 39554.1—2020）",
                "GB/T 39554.1-2020, coding of the basic catalogue and implementation lists of government services")
CITE_SAME_ITEM = T("《国务院办公厅关于全面实行行政许可事项清单管理的通知》（国办发〔2022〕2号）："
                   "同一事项同名称、同类型、同依据、同编码",
                   "State Council General Office notice 国办发〔2022〕2号: one item, one name, one type, one basis, one code")

_LAYOUT = re.compile(r"^(?P<basic>.+)-(?P<region>\d{12})-(?P<mid>\d{3})-(?P<subject>[0-9A-Z]+)-(?P<n>\d+)-(?P<tail>\d+)$")
# Qualifiers in brackets name a 办理项 of one matter: 取水许可（新办） / 取水许可（延续）.
_BRACKETED = re.compile(r"[（(【\[〔［][^（(【\[〔［）)】\]〕］]*[）)】\]〕］]")
_ORG_CODE = slice(8, 17)  # GB 32100: positions 9-17 of a USCC are the old 组织机构代码


@dataclass(frozen=True, slots=True)
class Layout:
    """The parts of an 实施编码."""

    basic: str
    region: str
    subject: str


@dataclass(frozen=True, slots=True)
class Occurrence:
    """One code where it is written: the entry and the key path of the value."""

    entry: Entry
    key: Key
    code: str


def norm(code: str) -> str:
    return code.strip().upper()


def parse(code: str) -> Layout | None:
    """The parts of an 实施编码, or None when it does not have the documented layout."""
    m = _LAYOUT.match(norm(code))
    return None if m is None else Layout(m["basic"], m["region"], m["subject"])


def _listed(cat: Catalog) -> list[Entry]:
    return [e for e in cat.powers if e.power.status != "abolished"]


def implementation_codes(e: Entry) -> Iterator[Occurrence]:
    """The 实施编码 a power carries: its own, then its non-abolished sub-items' (one that repeats the
    power's own is left out: it is the same implementation)."""
    p = e.power
    own = norm(p.implementation_code) if p.implementation_code else None
    if own is not None:
        yield Occurrence(e, ("implementation_code",), own)
    for i, s in enumerate(p.handling_items()):
        if s.implementation_code and s.status != "abolished" and norm(s.implementation_code) != own:
            yield Occurrence(e, ("sub_items", i, "implementation_code"), norm(s.implementation_code))


def handling_item_codes(e: Entry) -> Iterator[Occurrence]:
    """The 业务办理项编码 of a power's non-abolished sub-items."""
    for i, s in enumerate(e.power.handling_items()):
        if s.code and s.status != "abolished":
            yield Occurrence(e, ("sub_items", i, "code"), norm(s.code))


def _repeats(occurrences: Iterator[Occurrence]) -> Iterator[tuple[Occurrence, Occurrence]]:
    """``(first, later)`` for every occurrence whose code an earlier one already has."""
    first: dict[str, Occurrence] = {}
    for o in occurrences:
        seen = first.setdefault(o.code, o)
        if seen is not o:
            yield seen, o


def _where(o: Occurrence) -> str:
    """``powers/a/X.yaml`` or ``powers/a/X.yaml sub_items[1]``: the first place a code was written."""
    return o.entry.path if len(o.key) == 1 else f"{o.entry.path} sub_items[{o.key[1]}]"


def _duplicate(first: Occurrence, later: Occurrence, what_zh: str, what_en: str) -> Finding:
    same = first.entry is later.entry
    return Finding(later.entry, later.key, T(
        f"{what_zh}「{later.code}」与 {_where(first)} 重复",
        f"{what_en} '{later.code}' is already used by {_where(first)}"),
        related=[] if same else [first.entry])


def _all(cat: Catalog, of: Callable[[Entry], Iterator[Occurrence]]) -> Iterator[Occurrence]:
    for e in _listed(cat):
        yield from of(e)


@check(
    "D005", "duplicate-item-code",
    summary=T("实施编码或业务办理项编码重复", "An implementation code or handling-item code is used twice"),
    citation=CITE_CODING,
    explanation=T("实施编码在目录中唯一（事项本身和各办理项共用一个编码空间，办理项重复所属事项自身的实施编码除外）；"
                  "业务办理项编码在各办理项之间唯一。基本编码可以重复（同一主项的多个办理项、多个主体实施同一事项），"
                  "但名称和类别须一致（D006）。",
                  "An implementation code (实施编码) is unique in the catalogue, across powers and sub-items (a sub-item "
                  "repeating its own power's code is the same implementation); a handling-item code (业务办理项编码) is "
                  "unique across sub-items. A basic code (基本编码) may repeat, with one name and category (D006)."),
    example="# powers/water/SL-XK-001.yaml\nimplementation_code: \"000172001000-330100000000-000-11330100MB0000000X-1-00\"\n"
            "# powers/water/SL-XK-002.yaml\nimplementation_code: \"000172001000-330100000000-000-11330100MB0000000X-1-00\"\n",
)
def duplicate_item_code(cat: Catalog) -> Iterator[Finding]:
    """Each later occurrence (by path, then position in the file) of an 实施编码 or a 业务办理项编码
    already used is reported, related to the first. Abolished powers and sub-items are left out."""
    for first, later in _repeats(_all(cat, implementation_codes)):
        yield _duplicate(first, later, "实施编码", "implementation code")
    for first, later in _repeats(_all(cat, handling_item_codes)):
        yield _duplicate(first, later, "业务办理项编码", "handling-item code")


def _item_name(name: str) -> str:
    """The name a 基本编码 stands for: normalised, bracketed 办理项 qualifiers removed."""
    return normalize_name(_BRACKETED.sub("", name)) or normalize_name(name)


def _by_basic_code(cat: Catalog) -> dict[str, list[Entry]]:
    out: dict[str, list[Entry]] = {}
    for e in _listed(cat):
        if e.power.code:
            out.setdefault(norm(e.power.code), []).append(e)
    return out


def _identity(e: Entry) -> tuple[str, str]:
    return _item_name(e.power.name), e.power.category


def _usual(entries: list[Entry]) -> Entry:
    """The first entry (by path) giving the (name, category) most entries with one 基本编码 give."""
    counts = Counter(_identity(e) for e in entries)
    best = max(counts.values())
    return next(e for e in entries if counts[_identity(e)] == best)


@check(
    "D006", "basic-code-other-name",
    summary=T("同一基本编码对应不同名称或类别", "One basic code carries more than one name or category"),
    severity=Severity.WARNING,
    citation=CITE_SAME_ITEM,
    explanation=T("同一基本编码在目录中只能对应一个事项名称（按规范化名称比较，括号内的办理项限定语不计）和一个职权类别。"
                  "以多数条目的名称和类别为准，报告与之不同的条目。",
                  "One basic code (基本编码) carries one name (compared normalised, bracketed handling-item qualifiers "
                  "left out) and one category throughout the catalogue. The name and category most entries give "
                  "count; each entry that differs is reported."),
    example="# powers/water/SL-XK-001.yaml\ncode: \"000172001000\"\nname: 取水许可\ncategory: 行政许可\n"
            "# powers/water/SL-QR-001.yaml\ncode: \"000172001000\"\nname: 取水登记\ncategory: 行政确认\n",
)
def basic_code_other_name(cat: Catalog) -> Iterator[Finding]:
    """Powers sharing a 基本编码 (``code``) must agree on the normalised name (a bracketed qualifier
    such as （新办） is a 办理项 of the same item and is ignored) and on the category. The most
    common (name, category) counts; every entry that differs is reported, related to the first
    entry that gives the usual pair."""
    for code, entries in _by_basic_code(cat).items():
        if len(entries) < 2:
            continue
        ref = _usual(entries)
        for e in entries:
            p = e.power
            if _identity(e) == _identity(ref):
                continue
            yield Finding(e, ("code",), T(
                f"基本编码「{code}」在 {ref.label} 中为「{ref.power.name}」（{ref.power.category}），"
                f"此处为「{p.name}」（{p.category}）：同一事项应同名称、同类型",
                f"basic code '{code}' is '{ref.power.name}' ({ref.power.category}) in {ref.label} but "
                f"'{p.name}' ({p.category}) here: one item has one name and one category"), related=[ref])


# ------------------------------------------------------------------------------ R010 / R011


def _region_of(cat: Catalog, e: Entry) -> tuple[str, bool] | None:
    """The division code an 实施编码 of this power must carry, and whether the last six digits are
    free (a 6-digit code of a body at the lowest configured level: a township extends its county's
    code). From the body's ``region``, else a numeric powerlist.toml ``region``; None when unknown."""
    body = cat.body_by_id.get(e.power.body)
    region = body.body.region if body is not None and body.body.region else cat.settings.region
    if region is None or not region.isdigit() or len(region) not in (6, 12):
        return None
    lowest = bool(cat.settings.levels) and body is not None and body.body.level == cat.settings.levels[-1]
    return region, len(region) == 6 and lowest


def region_matches(code_region: str, region: str, free_tail: bool) -> bool:
    """Whether the 12-digit 区划代码 of an 实施编码 fits a 6- or 12-digit division code."""
    if len(region) == 12:
        return code_region == region
    return code_region[:6] == region and (free_tail or code_region[6:] == "000000")


@check(
    "R010", "implementation-code-region", needs=("bodies",),
    summary=T("实施编码中的区划代码与本级区划不符", "The division code inside an implementation code is not this region's"),
    citation=CITE_CODING,
    explanation=T("实施编码中的 12 位区划代码应为实施主体所在区划（bodies.yaml 的 region，6 位时补 6 个 0；"
                  "最低层级主体的后 6 位可为乡镇代码），主体未写 region 时用 powerlist.toml 中数字形式的 region。"
                  "格式无法解析的编码不检查。",
                  "The 12-digit division code in an implementation code must be the implementing body's division "
                  "(bodies.yaml region; a 6-digit region is followed by six zeros, or by a township code for a body at "
                  "the lowest configured level), or else powerlist.toml's region when it is numeric. Codes whose "
                  "layout cannot be parsed are not checked."),
    example="# bodies.yaml: city-water region \"330100\"\nbody: city-water\n"
            "implementation_code: \"000172001000-330200000000-000-11330100MB0000000X-1-00\"\n",
)
def implementation_code_region(cat: Catalog) -> Iterator[Finding]:
    """Each parsable 实施编码 (power or sub-item) whose 区划代码 does not fit the body's division."""
    for e in _listed(cat):
        where = _region_of(cat, e)
        if where is None:
            continue
        region, free_tail = where
        for o in implementation_codes(e):
            layout = parse(o.code)
            if layout is not None and not region_matches(layout.region, region, free_tail):
                yield Finding(e, o.key, T(
                    f"实施编码中的区划代码 {layout.region} 与实施主体所在区划 {region} 不符",
                    f"the division code {layout.region} in the implementation code is not the body's division {region}"))


def subject_matches(subject: str, code: str) -> bool:
    """The 实施主体编码 part equals the body's USCC, or is its embedded 9-character 组织机构代码
    (older lists wrote that instead)."""
    return subject == code or (len(subject) == 9 and subject == code[_ORG_CODE])


@check(
    "R011", "implementation-code-subject", needs=("bodies",),
    summary=T("实施编码中的实施主体编码与主体统一社会信用代码不符",
              "The body code inside an implementation code differs from the body's USCC"),
    citation=CITE_CODING,
    explanation=T("实施编码中的实施主体编码应为实施主体的统一社会信用代码（或旧版清单中其内含的 9 位组织机构代码）。"
                  "只在主体的 uscc 本身有效时比较（无效的 uscc 由 R004 报告）；格式无法解析的编码不检查。"
                  "这能在事项一级发现少了一位的代码。",
                  "The body code in an implementation code must be the body's unified social credit code (or the "
                  "9-character organisation code inside it, as older lists wrote). Compared only when the body's "
                  "uscc is itself valid (R004 reports an invalid one); codes whose layout cannot be parsed are not "
                  "checked. This finds a code that lost a digit at item level."),
    example="# bodies.yaml: city-water uscc \"11330100MB0000000X\"\nbody: city-water\n"
            "implementation_code: \"000172001000-330100000000-000-11330100MB000000X-1-00\"\n",
)
def implementation_code_subject(cat: Catalog) -> Iterator[Finding]:
    """Each parsable 实施编码 whose 实施主体编码 is neither the body's valid ``uscc`` nor the
    组织机构代码 inside it. Bodies without a uscc, or with an invalid one, are skipped."""
    for e in _listed(cat):
        body = cat.body_by_id.get(e.power.body)
        if body is None or not body.body.uscc or not uscc.is_valid(norm(body.body.uscc)):
            continue
        code = norm(body.body.uscc)
        for o in implementation_codes(e):
            layout = parse(o.code)
            if layout is None or subject_matches(layout.subject, code):
                continue
            short = T(f"（{len(layout.subject)} 位，应为 18 位）", f" ({len(layout.subject)} characters, not 18)") \
                if len(layout.subject) != uscc.LENGTH else T("", "")
            yield Finding(e, o.key, T(
                f"实施编码中的实施主体编码 {layout.subject}{short.zh} 与 {body.id} 的统一社会信用代码 {code} 不符",
                f"the body code {layout.subject}{short.en} in the implementation code differs from {body.id}'s "
                f"unified social credit code {code}"), related=[body])
