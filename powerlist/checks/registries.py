"""R: the registries — bodies.yaml, laws.yaml, decisions.yaml — and the references into them.

A power names its bodies by id (``body``, ``co_bodies``, ``delegated_to``); a merged body names
its successor (``merged_into``); a repealed law its replacement (``replaced_by``). Every such
reference must resolve, and a body that no longer exists must not hold an active power.
``abolished_by`` is checked by the A family (A002), not here.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Iterator
from functools import cache

from rapidfuzz import fuzz, process

from powerlist import uscc
from powerlist.catalog import Catalog, Entry
from powerlist.catalog.source import SourceFile
from powerlist.checks.base import Finding, check, registry_state
from powerlist.checks.refs import body_label, body_refs, names_only, repeats
from powerlist.i18n import T, Text
from powerlist.normalize import normalize_name

_KIND = {"body": T("主体", "body"), "law": T("法律文件", "law"), "decision": T("决定", "decision")}
_RETIRED = {"merged": T("已合并", "merged"), "abolished": T("已撤销", "abolished")}


@check(
    "R001", "duplicate-registry-id",
    summary=T("登记簿中编码重复", "An id is used twice in a registry"),
    explanation=T("bodies.yaml、laws.yaml、decisions.yaml 中每个编码只能出现一次，否则引用它的事项指向不明。",
                  "Each id in bodies.yaml, laws.yaml and decisions.yaml must be unique, or references to it "
                  "are ambiguous. The first one counts; each later one is reported."),
    example="# bodies.yaml\n- id: city-water\n  name: 某市水务局\n  level: 市级\n"
            "- id: city-water\n  name: 某市水利局\n  level: 市级\n",
)
def duplicate_registry_id(cat: Catalog) -> Iterator[Finding]:
    """Each later body, law or decision reusing an id is reported, related to the first."""
    for entries in (cat.bodies, cat.laws, cat.decisions):
        for first, e in repeats(entries, lambda e: e.id):
            kind = _KIND[e.kind]
            yield Finding(e, ("id",), T(f"{kind.zh}编码「{e.id}」重复，以第一个为准",
                                        f"{kind.en} id '{e.id}' is used twice; the first one counts"), related=[first])


def _body_hinter(cat: Catalog) -> Callable[[str], str]:
    """Unknown body reference -> the id probably meant ("" when nothing is close): authors write the
    body's name instead of its id, or mistype the id."""
    by_name = {normalize_name(b.body.name): b.id for b in cat.bodies if b.id}
    ids = list(cat.body_by_id)

    @cache
    def hint(ref: str) -> str:
        hit = by_name.get(normalize_name(ref))
        if hit is not None:
            return hit
        close = process.extractOne(ref, ids, scorer=fuzz.ratio, score_cutoff=80)
        return close[0] if close else ""

    return hint


def _known_body_ids(cat: Catalog) -> set[str]:
    """Ids of bodies.yaml entries, valid or not: an entry that fails validation is reported once by
    its own S finding, not again as "unknown body" on every power naming it."""
    return set(cat.body_by_id) | {e.id for e in cat.broken if e.kind == "body" and e.id}


@check(
    "R002", "unknown-body", needs=("bodies",),
    summary=T("引用的主体不在 bodies.yaml 中", "A referenced body is not in bodies.yaml"),
    citation=T("实施主体须明确（一事一部门）", "the responsible body must be identified (one matter, one department)"),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-waterworks   # no such id\n",
)
def unknown_body(cat: Catalog) -> Iterator[Finding]:
    """``body``, ``co_bodies``, ``delegated_to`` of every power and ``merged_into`` of every body must
    be ids in bodies.yaml. Retired bodies stay in the registry with status merged/abolished, so
    that the history (abolished powers, merged bodies) still resolves. A body entry that fails
    validation still counts as known (its own S finding says what is wrong)."""
    known = _known_body_ids(cat)
    refs = [(e, k, r) for e in cat.powers if not names_only(e, known) for k, r in body_refs(e) if r not in known]
    refs += [(b, ("merged_into",), b.body.merged_into) for b in cat.bodies
             if b.body.merged_into and b.body.merged_into not in known]
    hint_for = _body_hinter(cat)
    for e, key, ref in refs:
        hint = hint_for(ref)
        tip = T(f"，是否应为「{hint}」？", f"; did you mean '{hint}'?") if hint else T("", "")
        yield Finding(e, key, T(f"主体「{ref}」不在 bodies.yaml 中{tip.zh}", f"body '{ref}' is not in bodies.yaml{tip.en}"))


def _missing_file(name: str) -> Entry:
    """An entry standing for a registry file that does not exist: its finding points at the file's
    name, line 1 (the file the author has to create)."""
    path = f"{name}.yaml"
    return Entry(name, None, SourceFile(path, name, None, array("I")), (), None, None)


def _decision_refs(cat: Catalog) -> list[Entry]:
    return [e for e in cat.powers if e.power.abolished_by]


@check(
    "R012", "missing-registry",
    summary=T("登记簿文件不存在（bodies.yaml、laws.yaml，或被引用的 decisions.yaml）",
              "A registry file is missing (bodies.yaml, laws.yaml, or a referenced decisions.yaml)"),
    explanation=T("目录根下须有 bodies.yaml；设定依据引用内置法规库以外的文件时须有 laws.yaml；"
                  "有事项写了 abolished_by 时还须有 decisions.yaml。"
                  "文件缺失时只报告这一次，依赖它核对引用的检查（如 R002、B002、A002）不再逐项报告。",
                  "The catalogue root holds bodies.yaml; laws.yaml once a basis names an instrument the "
                  "built-in registry does not hold; decisions.yaml once a power names an abolished_by decision. "
                  "A missing file is reported once; the checks that resolve references into it (R002, B002, "
                  "A002 …) then stay silent rather than flag every power."),
    example="# a catalogue folder with powers/ and laws.yaml, but no bodies.yaml\n",
)
def missing_registry(cat: Catalog) -> Iterator[Finding]:
    """One finding per registry file that is absent (not merely broken: a broken file has its own
    S finding) and needed: bodies.yaml always once there are powers, laws.yaml once a basis names an
    instrument the built-in registry does not hold, decisions.yaml (optional) only when some power
    names a decision in ``abolished_by``."""
    if not cat.powers:
        return
    # Counted only for a file that is missing: a present laws.yaml costs no basis resolution here.
    needed: dict[str, tuple[Callable[[], int], Text]] = {
        "bodies": (lambda: len(cat.powers), T("项事项的实施主体无法核对", "power(s) whose bodies cannot be checked")),
        # Titles of the built-in national/provincial registry resolve without laws.yaml (an upper
        # list or an imported one often cites only those): the file is needed once a basis does not.
        "laws": (lambda: sum(1 for e in cat.powers if any(cat.resolved_basis[b.law] is None for b in e.power.basis)),
                 T("项事项的设定依据不在内置法规库中，无法核对",
                   "power(s) whose bases are not in the built-in registry and cannot be checked")),
        "decisions": (lambda: len(_decision_refs(cat)),
                      T("项事项的 abolished_by 无法核对", "power(s) whose abolished_by cannot be checked")),
    }
    for name, (count_of, what) in needed.items():
        if registry_state(cat, name) != "missing":
            continue
        count = count_of()
        if name != "bodies" and not count:
            continue
        yield Finding(_missing_file(name), (), T(
            f"{name}.yaml 不存在：{count} {what.zh}，相关检查不再逐项报告；请在目录根下建立该文件",
            f"{name}.yaml is missing: {count} {what.en}, and the checks that need it do not report them one by one; "
            f"create it at the catalogue root"))


@check(
    "R003", "unknown-replacement",
    summary=T("替代文件无从查找", "The replacing instrument cannot be found"),
    example="# laws.yaml\n- id: old-reg\n  title: 某市取水管理办法\n  level: 地方政府规章\n"
            "  status: repealed\n  replaced_by: new-reg    # no such law\n",
)
def unknown_replacement(cat: Catalog) -> Iterator[Finding]:
    """A law's ``replaced_by`` must name a laws.yaml id or title, or a title in the built-in
    national/provincial registry (the same resolution a basis gets)."""
    for e in cat.laws:
        ref = e.law.replaced_by
        if ref and cat.resolve_basis(ref) is None:
            yield Finding(e, ("replaced_by",), T(
                f"「{e.law.title}」的替代文件「{ref}」不在 laws.yaml 中，也不在内置法规库中",
                f"'{e.law.title}' is replaced by '{ref}', which is neither in laws.yaml nor in the built-in registry"))


@check(
    "R004", "bad-uscc",
    summary=T("统一社会信用代码不正确", "The unified social credit code is malformed"),
    citation=T("GB 32100-2015《法人和其他组织统一社会信用代码编码规则》",
               "GB 32100-2015 (unified social credit code)"),
    example="# bodies.yaml\n- id: city-water\n  name: 某市水务局\n  level: 市级\n  uscc: \"11330100002496857A\"\n",
)
def bad_uscc(cat: Catalog) -> Iterator[Finding]:
    """A body's ``uscc`` must be 18 characters from 0-9 A-H J-N P-R T U W-Y whose 18th is the
    GB 32100 check character: weights 1 3 9 27 19 26 16 17 20 29 25 13 8 24 10 30 28 over the
    first 17, check = (31 − Σ mod 31) mod 31. An empty value counts as not given."""
    for e in cat.bodies:
        code = e.body.uscc
        if code is None or not code.strip():
            continue
        problem = uscc.problem(code)
        if problem is not None:
            yield Finding(e, ("uscc",), T(f"统一社会信用代码「{code}」{problem.message.zh}",
                                          f"unified social credit code '{code}' {problem.message.en}"))


def _uscc_of(e: Entry) -> str:
    return (e.body.uscc or "").strip()


@check(
    "R007", "shared-uscc",
    summary=T("两个主体使用同一统一社会信用代码", "Two bodies share one unified social credit code"),
    citation=T("GB 32100-2015：统一社会信用代码是法人和其他组织唯一的、终身不变的身份识别码",
               "GB 32100-2015: the code identifies one organisation, uniquely and for life"),
    example="# bodies.yaml\n- id: city-water\n  name: 某市水务局\n  level: 市级\n  uscc: \"11330100002496857H\"\n"
            "- id: city-market\n  name: 某市市场监督管理局\n  level: 市级\n  uscc: \"11330100002496857H\"\n",
)
def shared_uscc(cat: Catalog) -> Iterator[Finding]:
    """Each active body whose ``uscc`` an earlier active body (by position) already uses is reported,
    related to the first: one of the two is a copy-and-paste slip, and item codes built from it
    (实施编码) point at the wrong body. Merged or abolished bodies are history and are not compared
    (a renamed body keeps its code)."""
    active = [e for e in cat.bodies if e.body.status == "active" and _uscc_of(e)]
    for first, e in repeats(active, _uscc_of):
        yield Finding(e, ("uscc",), T(
            f"统一社会信用代码「{_uscc_of(e)}」已由 {body_label(first)} 使用",
            f"unified social credit code '{_uscc_of(e)}' is already used by {body_label(first)}"), related=[first])


@check(
    "R008", "uscc-bad-authority",
    summary=T("统一社会信用代码的登记管理部门或机构类别无效",
              "The credit code's registering authority or organisation kind is invalid"),
    citation=T("GB 32100-2015《法人和其他组织统一社会信用代码编码规则》第 4.2 条及表 1",
               "GB 32100-2015 (unified social credit code), 4.2 and table 1"),
    explanation=T("第 1 位为登记管理部门代码（1 机构编制、2 外交、3 司法行政、4 文化、5 民政、6 旅游、7 宗教、8 工会、"
                  "9 工商、A 中央军委改革和编制办公室、N 农业、Y 其他），第 2 位为该部门下的机构类别代码。",
                  "Position 1 is the registering authority (1 establishment, 2 foreign affairs, 3 justice, 4 culture, "
                  "5 civil affairs, 6 tourism, 7 religion, 8 trade unions, 9 industry and commerce, A CMC reform "
                  "office, N agriculture, Y others); position 2 the kind of organisation valid for that authority."),
    example="# bodies.yaml\n- id: city-water\n  name: 某市水务局\n  level: 市级\n  uscc: \"B13301000024968577\"\n",
)
def uscc_bad_authority(cat: Catalog) -> Iterator[Finding]:
    """An 18-character ``uscc`` in the GB 32100 alphabet whose 1st character is not a registering
    authority of GB 32100-2015 表1, or whose 2nd is not a kind of organisation that authority
    registers. The table (:data:`powerlist.uscc.AUTHORITIES`): 1 机构编制 {1 机关, 2 事业单位,
    3 群众团体, 9 其他}; 2 外交 {1, 9}; 3 司法行政 {1 律师执业机构, 2 公证处, 3 基层法律服务所,
    4 司法鉴定机构, 5 仲裁委员会, 9}; 4 文化 {1, 9}; 5 民政 {1 社会团体, 2 民办非企业单位,
    3 基金会, 9}; 6 旅游 {1, 2, 9}; 7 宗教 {1 宗教活动场所, 2 宗教院校, 9}; 8 工会 {1, 9};
    9 工商 {1 企业, 2 个体工商户, 3 农民专业合作社}; A 中央军委改革和编制办公室 {1, 9};
    N 农业 {1, 2, 3, 9}; Y 其他 {1}. Codes of the wrong length or alphabet are R004's alone."""
    for e in cat.bodies:
        code = _uscc_of(e)
        problem = uscc.authority_problem(code) if code else None
        if problem is not None:
            yield Finding(e, ("uscc",), T(f"统一社会信用代码「{code}」{problem.message.zh}",
                                          f"unified social credit code '{code}' {problem.message.en}"))


@check(
    "R005", "retired-body-holds-power", needs=("bodies",),
    summary=T("已合并或撤销的主体仍承担有效事项", "A merged or abolished body still holds an active power"),
    citation=T("机构改革后职权随机构划转（一事一部门）",
               "after a reorganisation powers move with the body (one matter, one department)"),
    example="# bodies.yaml: {id: city-water-old, status: merged, merged_into: city-water}\n"
            "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water-old\n",
)
def retired_body_holds_power(cat: Catalog) -> Iterator[Finding]:
    """An active power (status not abolished) whose ``body``, ``co_bodies`` or ``delegated_to``
    names a body with status merged or abolished. The message names ``merged_into`` when given."""
    current = {i for i, b in cat.body_by_id.items() if b.body.status == "active"}
    for e in cat.active_powers:
        if names_only(e, current):
            continue
        for key, ref in body_refs(e):
            b = cat.body_by_id.get(ref)
            if b is None or b.body.status == "active":
                continue
            status = _RETIRED[b.body.status]
            successor = cat.body_by_id.get(b.body.merged_into or "")
            move = T(f"，应改由 {body_label(successor)} 承担", f"; move it to {body_label(successor)}") if successor else T(
                "，请明确承接主体", "; name the body that took it over")
            related = [b, successor] if successor else [b]
            yield Finding(e, key, T(f"主体 {body_label(b)} {status.zh}，仍承担有效事项「{e.power.name}」{move.zh}",
                                    f"body {body_label(b)} is {status.en} but still holds '{e.power.name}'{move.en}"),
                          related=related)


@check(
    "R006", "unknown-body-level",
    summary=T("主体层级不在配置的层级中", "The body level is not one of the configured levels"),
    example="# bodies.yaml\n- id: city-water\n  name: 某市水务局\n  level: 地市级\n",
)
def unknown_body_level(cat: Catalog) -> Iterator[Finding]:
    """A body's ``level`` must be one of powerlist.toml ``levels`` (default 省级 市级 县级 乡级):
    jurisdiction checks compare bodies by level, so a misspelt level hides conflicts."""
    allowed = cat.settings.levels
    shown = "、".join(allowed)
    for e in cat.bodies:
        if e.body.level not in allowed:
            yield Finding(e, ("level",), T(f"层级「{e.body.level}」不在配置的层级中（{shown}）",
                                           f"level '{e.body.level}' is not a configured level ({', '.join(allowed)})"))
