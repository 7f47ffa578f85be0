"""D: duplicates — one id in two files, one power listed twice, and names so alike they probably
are one power.

Names compare after :func:`normalize_name`: traditional and simplified characters, full- and
half-width forms, brackets, punctuation and whitespace fold together, so 取水许可 and 取水許可 are
the same name. Abolished powers are history and take no part (only what is still listed can be
listed twice).

Near-duplicates (D003) are found within one body: exact names are collapsed first, then
:func:`powerlist.similarity.similar_pairs` finds the pairs at or above the threshold without
comparing every pair. Names that differ only inside brackets are sub-items of one matter
(取水许可（新办） / 取水许可（延续）) and are not reported.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from difflib import SequenceMatcher

import opencc

from powerlist.catalog import Catalog, Entry
from powerlist.checks.base import Finding, check
from powerlist.checks.refs import repeats
from powerlist.diagnostics import Severity
from powerlist.i18n import T
from powerlist.normalize import normalize_name
from powerlist.similarity import similar_pairs

_BRACKETED = re.compile(r"[（(【\[〔［][^（(【\[〔［）)】\]〕］]*[）)】\]〕］]")


@check(
    "D001", "duplicate-power-id",
    summary=T("事项编码重复", "Two power files use the same id"),
    explanation=T("事项编码在整个目录中唯一；以路径排序的第一个为准，其后的每一个都报告。",
                  "A power id is unique in the catalogue; the first file (by path) counts, each later one is reported."),
    example="# powers/water/SL-XK-001.yaml and powers/water/SL-XK-001-copy.yaml both:\nid: SL-XK-001\n",
)
def duplicate_power_id(cat: Catalog) -> Iterator[Finding]:
    """Every power file after the first (by path) that uses an id already taken, related to the first."""
    for first, e in repeats(cat.powers, lambda e: e.power.id):
        yield Finding(e, ("id",), T(f"编码「{e.power.id}」已被 {first.path} 使用",
                                    f"id '{e.power.id}' is already used by {first.path}"), related=[first])


def _active(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.power.status != "abolished"]


_T2S = opencc.OpenCC("t2s")
_ODD_MARKS = re.compile(r"[「」『』［］\[\]()〔〕]")
_FULL_WIDTH_ALNUM = re.compile(r"[０-９Ａ-Ｚａ-ｚ]")


def _variance(e: Entry) -> int:
    """How far a name's spelling is from the plain one (simplified script, half-width letters and
    digits, no spaces, （） brackets): the plainest entry of a group is the reference, and D002 lands
    on the variants, whatever their paths."""
    name = e.power.name
    return ((_T2S.convert(name) != name) + bool(_FULL_WIDTH_ALNUM.search(name))
            + any(ch.isspace() for ch in name) + bool(_ODD_MARKS.search(name)))


def _spelling_note(a: str, b: str) -> tuple[str, str]:
    return ("（写法不同：繁简、全半角或标点）", " (written differently: script, width or punctuation)") if a != b else ("", "")


@check(
    "D002", "duplicate-power",
    summary=T("同一主体重复列出同一事项", "The same power is listed twice for one body"),
    citation=T("一事一部门；清权确权", "one matter, one department"),
    example="# powers/water/SL-XK-001.yaml\nid: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n"
            "# powers/water/SL-XK-009.yaml\nid: SL-XK-009\nname: 取水許可\ncategory: 行政许可\nbody: city-water\n",
)
def duplicate_power(cat: Catalog) -> Iterator[Finding]:
    """Active powers with the same normalised name, category and body: each one after the first
    (by path) is reported, related to the first. Traditional/simplified and width variants count
    as the same name; the message says when the spelling differs. Within one power, a 办理项
    (sub-item) listed twice under the same normalised name is reported on the later one."""
    for entries in cat.powers_by_name_category.values():
        if len(entries) < 2:
            continue
        for first, e in repeats(sorted(_active(entries), key=_variance), lambda e: e.power.body):
            zh, en = _spelling_note(e.power.name, first.power.name)
            yield Finding(e, ("name",), T(
                f"「{e.power.name}」与 {first.label}「{first.power.name}」重复{zh}",
                f"'{e.power.name}' duplicates {first.label} '{first.power.name}'{en}"), related=[first])
    for e in cat.active_items:
        yield from _repeated_sub_items(e)


def _repeated_sub_items(e: Entry) -> Iterator[Finding]:
    seen: dict[str, int] = {}
    for j, name in enumerate(e.power.sub_item_names()):
        key = normalize_name(name)
        if key in seen:
            yield Finding(e, ("sub_items", j), T(
                f"办理项「{name}」在「{e.power.name}」中重复列出（第 {seen[key] + 1} 项与第 {j + 1} 项）",
                f"the handling item '{name}' is listed twice in '{e.power.name}' (items {seen[key] + 1} and {j + 1})"))
        else:
            seen[key] = j


def _names_in_body(entries: list[Entry]) -> dict[str, Entry]:
    """Normalised name -> its first entry (by path) among one body's active powers."""
    out: dict[str, Entry] = {}
    for e in entries:
        out.setdefault(normalize_name(e.power.name), e)
    return out


def _split_brackets(name: str) -> tuple[str, str]:
    """(name outside brackets, text inside them), both normalised."""
    return normalize_name(_BRACKETED.sub("", name)), normalize_name("".join(_BRACKETED.findall(name)))


def _sub_items_of_one_matter(a: str, b: str) -> bool:
    base_a, inner_a = _split_brackets(a)
    base_b, inner_b = _split_brackets(b)
    return base_a == base_b and bool(inner_a) and bool(inner_b)


# Words that name one handling item (办理项) of a matter, or its territorial scope: two names that
# differ only by them are sibling items (…许可 / …许可注销, 停业 / 歇业, 跨省 / 省内异地), not one
# power listed twice. A trailing procedure word may go with the operation (变更审查 / 换证审查 / 核发).
_OPERATION = ("新办|新设|设立|筹设|变更|延续|注销|补办|补发|补证|换发|换证|核发|发放|迁入|迁出|转入|转出|转籍|停业|歇业"
              "|复业|终止|注册|抵押|解押|封存|解封|撤销|恢复|增项|首次|复核|复评|补评|修复|年检|年审|报告|报验")
_MARKERS = (re.compile(f"{_OPERATION}|跨省|省内|省外|跨市|市内|跨县|县内|跨区域|异地|本地|境内|境外"),
            re.compile(f"({_OPERATION})(审查|审批|审核|登记|申请|办理)?|跨省|省内|省外|跨市|市内|跨县|县内|跨区域|异地|本地|境内|境外"))
# A party or object: the differing text sits in a word ending like this (采矿权人 / 探矿权人,
# 公司 / 分公司, 生产者 / 生产经营者).
_PARTY_END = ("人", "者", "公司", "企业", "单位", "机构", "户", "场所")
_PARTY_REACH = 4  # how far past the difference the party word may end


def _without_markers(name: str, markers: re.Pattern[str]) -> tuple[str, list[str]]:
    """The normalised name with operation and scope words taken out, and the words themselves (an
    operation without its trailing procedure word: 变更审批 and 变更审查 are not told apart by it)."""
    words = [m.group(1) or m.group() if markers.groups else m.group() for m in markers.finditer(name)]
    return markers.sub("", name), words


def _party_difference(a: str, b: str) -> bool:
    """Whether every difference between ``a`` and ``b`` lies inside a word naming a party (on the
    side or sides that hold the differing text)."""
    ops = [op for op in SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    return bool(ops) and all((i1 == i2 or _ends_in_party(a, i2)) and (j1 == j2 or _ends_in_party(b, j2))
                             for _, i1, i2, j1, j2 in ops)


def _ends_in_party(text: str, end: int) -> bool:
    window = text[:end + _PARTY_REACH]
    return any(window.endswith(p, 0, k) for k in range(end, len(window) + 1) for p in _PARTY_END)


def siblings(a: str, b: str) -> bool:
    """Names of distinct items of one matter: they differ only by an operation word (新办/变更/注销…),
    by scope (跨省/省内), or by the party or object the item concerns (采矿权人/探矿权人)."""
    na, nb = normalize_name(a), normalize_name(b)
    for markers in _MARKERS:
        core_a, words_a = _without_markers(na, markers)
        core_b, words_b = _without_markers(nb, markers)
        if core_a == core_b and words_a != words_b:
            return True
    return _party_difference(_without_markers(na, _MARKERS[0])[0], _without_markers(nb, _MARKERS[0])[0])

@check(
    "D003", "near-duplicate-name", severity=Severity.WARNING,
    summary=T("同一主体下事项名称高度相似", "Two powers of one body have nearly the same name"),
    citation=T("一事一部门；清权确权", "one matter, one department"),
    explanation=T("相似度为 rapidfuzz 的 ratio（2×最长公共子序列 ÷ 两名称长度之和），阈值由 powerlist.toml "
                  "[check] near_duplicate_threshold 设定（默认 0.9）。仅括号内不同的名称视为同一事项的子项，不报告；"
                  "仅在办理环节（新办、变更、注销、停业、歇业、转入、转出……）、范围（跨省、省内异地）或当事人（采矿权人、探矿权人）"
                  "上不同的名称是同一事项的不同办理项，也不报告。",
                  "Similarity is rapidfuzz's ratio (2 × longest common subsequence ÷ total length) on normalised "
                  "names; the threshold is powerlist.toml [check] near_duplicate_threshold (default 0.9). Names "
                  "that differ only inside brackets are sub-items of one matter and are not reported; nor are names that "
                  "differ only by an operation (新办, 变更, 注销, 停业, 歇业, 转入, 转出 …), a scope (跨省, 省内异地) or a "
                  "party (采矿权人, 探矿权人): they are sibling items of one matter."),
    example="# two powers of body city-water:\nname: 建设项目水资源论证报告书审批\n---\nname: 建设项目水资源论证报告书审查\n",
)
def near_duplicate_name(cat: Catalog) -> Iterator[Finding]:
    """Distinct normalised names of one body's active powers whose similarity reaches the threshold.
    Each pair is reported once, on the later entry (by path), related to the earlier; the message
    gives the similarity. Many different powers differ by one word, hence a warning."""
    threshold = cat.settings.near_duplicate_threshold
    for entries in cat.active_powers_by_body.values():
        names = _names_in_body(entries)
        if len(names) < 2:
            continue
        # S030 reports names over the limit; comparing only their head keeps the search linear
        cap = cat.settings.limits.max_name_chars
        keys = [k[:cap] for k in names]
        entries_of = list(names.values())
        for i, j, score in similar_pairs(keys, threshold):
            a, b = sorted((entries_of[i], entries_of[j]), key=lambda e: (e.path, e.prefix))
            # An over-long name (S030) is no item name: the sibling tests (difflib, quadratic) are skipped
            within = len(a.power.name) <= cap and len(b.power.name) <= cap
            if within and (_sub_items_of_one_matter(a.power.name, b.power.name) or siblings(a.power.name, b.power.name)):
                continue
            pct = int(score)
            name_a, name_b = _shown(a.power.name, cap), _shown(b.power.name, cap)
            yield Finding(b, ("name",), T(
                f"「{name_b}」与 {a.label}「{name_a}」名称相似（{pct}%），是否同一事项？",
                f"'{name_b}' is {pct}% similar to {a.label} '{name_a}': the same power?"), related=[a])


def _shown(name: str, cap: int) -> str:
    """A name as a message shows it: over-long ones (S030) cut, so thousands of pairs stay small."""
    return name if len(name) <= cap else f"{name[:40]}…（{len(name)}字）"


@check(
    "D004", "same-name-other-category", severity=Severity.WARNING,
    summary=T("同一主体的同名事项分列不同类别", "One body lists the same name under two categories"),
    citation=T("一事一部门；清权确权", "one matter, one department"),
    example="# two powers of body city-water:\nname: 水资源费征收\ncategory: 行政征收\n---\n"
            "name: 水资源费征收\ncategory: 其他行政权力\n",
)
def same_name_other_category(cat: Catalog) -> Iterator[Finding]:
    """Active powers of one body with the same normalised name but a different category from the
    first (by path): one matter listed twice, or one of them misclassified."""
    by_name: dict[str, list[list[Entry]]] = defaultdict(list)  # name -> one list per category
    for (name, _), entries in cat.powers_by_name_category.items():
        by_name[name].append(entries)
    for groups in by_name.values():
        if len(groups) < 2:
            continue
        merged = sorted(_active([e for g in groups for e in g]), key=lambda e: e.path)
        for first, e in repeats(merged, lambda e: e.power.body):
            if e.power.category == first.power.category:
                continue
            yield Finding(e, ("category",), T(
                f"「{e.power.name}」列为{e.power.category}，而 {first.label} 同名事项列为{first.power.category}",
                f"'{e.power.name}' is listed as {e.power.category}, but {first.label} of the same name "
                f"as {first.power.category}"), related=[first])
