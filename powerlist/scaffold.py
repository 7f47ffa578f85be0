"""``powerlist new``: a new power file with a flowchart template for its category that already
passes the checks (given a basis the catalogue can resolve).

Templates follow the procedure the law prescribes:

* 行政许可 — 受理 → 审查 → 决定 → 送达, with a 不予受理 branch; 20 working days
  (许可法 arts 32, 34, 37, 42, 44);
* 行政处罚 — 立案 → 调查取证 → 法制审核 → 告知（陈述申辩/听证）→ [听证] → 决定 → 送达 → 执行;
  90 calendar days (处罚法 arts 42, 44, 54, 58, 60, 61, 63, 67);
* 行政强制 — 审批 → 实施 (two officers, on-site record) → 处理 → 解除 / 依法处置; 30 calendar
  days (强制法 arts 18, 19, 25, 27, 28);
* every other category — a generic 受理 → 审查 → 决定 → 送达.

The text is written through :func:`powerlist.fmt.format_text`, so a new file is already in
canonical form (``powerlist fmt --check`` passes on it).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import get_close_matches
from pathlib import Path, PurePosixPath

from powerlist.catalog import Catalog, load_catalog
from powerlist.catalog.layout import POWERS_DIR, discover
from powerlist.catalog.parse import parse_text
from powerlist.config import Settings
from powerlist.fsutil import read_inside
from powerlist.i18n import T, Text
from powerlist.models import POWER_ID_PATTERN

ID_RE = re.compile(POWER_ID_PATTERN)


class ScaffoldError(Exception):
    """The file cannot be created (bad option, existing id or file); nothing was written."""

    def __init__(self, message: Text, hint: Text | None = None) -> None:
        super().__init__(message.en)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class StepSpec:
    id: str
    name: str
    kind: str
    actor: str  # "{body}" is replaced by the body's name
    action: str
    days: int
    next: tuple[str | tuple[str, str], ...] = ()  # step ids, or (id, condition)


@dataclass(frozen=True)
class Template:
    statutory: int
    unit: str
    note: str  # a comment line above time_limit: where the limit comes from
    steps: tuple[StepSpec, ...]


LICENCE = Template(20, "working_days", "许可法第四十二条：自受理之日起二十个工作日内作出决定（经负责人批准可延长十日）", (
    StepSpec("accept", "受理", "accept", "{body}政务服务窗口",
             "审查申请材料是否齐全、符合法定形式；不齐全的当场或五日内一次告知需补正的全部内容（许可法第三十二条）",
             1, ("review", ("refuse", "申请事项依法不属于本机关职权范围或材料不符合要求且逾期未补正")),),
    StepSpec("refuse", "不予受理", "other", "{body}政务服务窗口", "出具不予受理通知书，说明理由并告知申请人依法享有的权利", 0),
    StepSpec("review", "审查", "review", "{body}承办科室",
             "对申请材料的实质内容进行审查，需要核实的指派两名以上工作人员核查（许可法第三十四条）", 12, ("decide",)),
    StepSpec("decide", "决定", "decide", "{body}负责人",
             "作出准予或者不予行政许可的书面决定；不予许可的说明理由并告知救济途径（许可法第三十八条）", 5, ("serve",)),
    StepSpec("serve", "送达", "serve", "{body}政务服务窗口", "自作出决定之日起十日内颁发、送达许可证件（许可法第四十四条）", 2),
))

PENALTY = Template(90, "calendar_days", "处罚法第六十条：自立案之日起九十日内作出处罚决定", (
    StepSpec("file", "立案", "file", "{body}执法机构", "对违法线索核查，符合立案标准的报负责人批准立案（处罚法第五十四条）", 3,
             ("investigate",)),
    StepSpec("investigate", "调查取证", "investigate", "{body}执法人员",
             "两名以上具有行政执法资格的执法人员出示执法证件，全面、客观、公正调查，收集证据并制作笔录（处罚法第四十二条、第五十五条）",
             30, ("legal_review",)),
    StepSpec("legal_review", "法制审核", "legal_review", "{body}法制审核机构",
             "对拟作出的处罚决定进行法制审核（处罚法第五十八条）", 5, ("notify",)),
    StepSpec("notify", "告知（陈述申辩/听证）", "notify", "{body}执法机构",
             "告知拟作出的处罚内容及事实、理由、依据，以及陈述、申辩和要求听证的权利（处罚法第四十四条、第六十三条）", 5,
             ("decide", ("hearing", "当事人要求听证"))),
    StepSpec("hearing", "听证", "hearing", "{body}法制审核机构",
             "举行听证七日前通知当事人，由非本案调查人员主持并制作听证笔录（处罚法第六十四条）", 15, ("decide",)),
    StepSpec("decide", "决定", "decide", "{body}负责人",
             "对调查结果进行审查，作出处罚决定；情节复杂或重大违法的集体讨论决定（处罚法第五十七条）", 7, ("serve",)),
    StepSpec("serve", "送达", "serve", "{body}执法机构", "宣告后当场交付当事人，或者七日内送达处罚决定书（处罚法第六十一条）", 7,
             ("execute",)),
    StepSpec("execute", "执行", "execute", "{body}执法机构",
             "当事人自收到决定书之日起十五日内到指定银行缴纳罚款（罚缴分离，处罚法第六十七条）；逾期不履行的依法强制执行", 15),
))

COMPULSORY = Template(30, "calendar_days", "强制法第二十五条：查封、扣押的期限不得超过三十日（情况复杂的经批准可延长三十日）", (
    StepSpec("approve", "审批", "approve", "{body}负责人",
             "实施前向行政机关负责人报告并经批准；情况紧急当场实施的，二十四小时内补办批准手续（强制法第十八条、第十九条）",
             1, ("implement",)),
    StepSpec("implement", "实施", "execute", "{body}执法人员",
             "由两名以上执法人员实施，出示执法证件，通知当事人到场，当场告知理由、依据和权利、救济途径，听取陈述和申辩，"
             "制作现场笔录（强制法第十八条）", 1, ("handle",)),
    StepSpec("handle", "处理", "decide", "{body}执法机构", "在查封、扣押期限内查清事实，作出处理决定（强制法第二十七条）", 26,
             (("release", "违法事实不成立、与违法行为无关或期限届满"), ("dispose", "查实违法"))),
    StepSpec("release", "解除", "decide", "{body}执法机构", "及时作出解除决定，退还财物（强制法第二十八条）", 2),
    StepSpec("dispose", "依法处置", "decide", "{body}执法机构", "依法作出没收、销毁等决定并送达当事人（强制法第二十七条）", 2),
))

GENERIC = Template(20, "working_days", "请按设定依据核定法定办结时限", (
    StepSpec("accept", "受理", "accept", "{body}政务服务窗口", "接收申请材料并审查是否齐全、符合法定形式", 1, ("review",)),
    StepSpec("review", "审查", "review", "{body}承办科室", "对申请材料或事实进行审查，需要时组织核查", 12, ("decide",)),
    StepSpec("decide", "决定", "decide", "{body}负责人", "依法作出书面决定", 5, ("serve",)),
    StepSpec("serve", "送达", "serve", "{body}承办科室", "将决定文书送达当事人", 2),
))

TEMPLATES: dict[str, Template] = {"行政许可": LICENCE, "行政处罚": PENALTY, "行政强制": COMPULSORY}


def template_for(category: str) -> Template:
    return TEMPLATES.get(category, GENERIC)


# ------------------------------------------------------------------------------------ text


def scalar(value: str) -> str:
    """A string as YAML: plain when it reads back as the same string, else double-quoted."""
    plain = bool(value) and value == value.strip() and "#" not in value and "\n" not in value
    if plain:
        parsed = parse_text(f"k: {value}\n")
        plain = not parsed.problems and parsed.data == {"k": value}
    return value if plain else json.dumps(value, ensure_ascii=False)


def _flow(items: list[str]) -> str:
    return "[" + ", ".join(items) + "]"


def render(power_id: str, name: str, category: str, body: str, body_name: str,
           basis: list[tuple[str, list[str]]]) -> str:
    """The new power's YAML (canonical form, ending with a newline)."""
    from powerlist.fmt import format_text

    tpl = template_for(category)
    kind = category if category in TEMPLATES else "通用"
    lines = [
        f"# 由 powerlist new 按「{kind}」模板生成：请对照设定依据核对各环节的承办机构、办理内容与时限。",
        "# Generated by `powerlist new`: check every step's actor, action and days against the basis.",
        f"id: {scalar(power_id)}",
        f"name: {scalar(name)}",
        f"category: {scalar(category)}",
        f"body: {scalar(body)}",
        "status: active",
    ]
    if basis:
        lines.append("basis:")
        for law, articles in basis:
            lines.append(f"  - law: {scalar(law)}")
            if articles:
                lines.append(f"    articles: {_flow([scalar(a) for a in articles])}")
    else:
        lines.append("basis: []  # 待补充：设定依据（powerlist new --law 标题 --article 条款）")
    lines += [f"# {tpl.note}", "time_limit:", f"  statutory: {tpl.statutory}", f"  unit: {tpl.unit}",
              "process:", "  steps:"]
    for s in tpl.steps:
        lines += [f"    - id: {s.id}", f"      name: {scalar(s.name)}", f"      kind: {s.kind}",
                  f"      actor: {scalar(s.actor.replace('{body}', body_name))}", f"      action: {scalar(s.action)}",
                  f"      days: {s.days}"]
        if s.next:
            edges = [n if isinstance(n, str) else f"{{to: {n[0]}, when: {scalar(n[1])}}}" for n in s.next]
            lines.append(f"      next: {_flow(edges)}")
    return format_text("\n".join(lines) + "\n")


# ------------------------------------------------------------------------------------ checks and writing


def load_registries(root: Path, settings: Settings) -> Catalog:
    """bodies/laws/decisions only: enough to validate the options without reading every power."""
    return load_catalog(root, settings, files=[(rel, kind) for rel, kind in discover(root) if kind != "power"])


def find_power_id(root: Path, power_id: str) -> str | None:
    """The file already using ``power_id`` (its top-level ``id:`` line), found by scanning bytes:
    far cheaper than loading 100,000 powers to answer one question."""
    pattern = re.compile(rb"(?m)^id:[ \t]*([\"']?)" + re.escape(power_id.encode()) + rb"\1[ \t]*(?:#.*)?\r?$")
    # discover(): only files check reads (no link out of the catalogue, no FIFO to wait on).
    for rel, kind in discover(root):
        if kind != "power":
            continue
        if PurePosixPath(rel).stem == power_id:
            return rel
        try:
            if pattern.search(read_inside(root, rel)):
                return rel
        except OSError:
            continue
    return None


def plan(root: Path, settings: Settings, power_id: str, name: str, category: str, body: str,
         laws: list[str], articles: list[str]) -> tuple[Path, str]:
    """Validate the options against the catalogue; return the file to create and its text."""
    if not ID_RE.match(power_id):
        raise ScaffoldError(T(f"编码「{power_id}」不合规：以字母或数字开头，只能用字母、数字和 . _ -，1 至 64 个字符",
                              f"id {power_id!r} is invalid: start with a letter or digit, then letters, digits "
                              "and . _ - (1 to 64 characters)"))
    if not name.strip():
        raise ScaffoldError(T("事项名称不能为空", "the name must not be empty"))
    if category not in settings.categories:
        raise ScaffoldError(T(f"类别「{category}」不在本目录配置的类别中", f"category {category!r} is not configured"),
                            T("可选：" + "、".join(settings.categories), "choose one of: " + ", ".join(settings.categories)))
    if articles and not laws:
        raise ScaffoldError(T("--article 须与 --law 一起使用", "--article needs a --law"))
    reg = load_registries(root, settings)
    _check_body(reg, body)
    for law in laws:
        if reg.resolve_basis(law) is None:
            raise ScaffoldError(T(f"找不到法律依据「{law}」", f"no instrument {law!r} in laws.yaml or the built-in registry"),
                                T("先在 laws.yaml 中登记，或核对标题", "register it in laws.yaml first, or check the title"))
    taken = find_power_id(root, power_id)
    if taken is not None:
        raise ScaffoldError(T(f"编码 {power_id} 已被 {taken} 使用", f"id {power_id} is already used by {taken}"))
    target = root / POWERS_DIR / body / f"{power_id}.yaml"
    if target.exists():
        raise ScaffoldError(T(f"{target} 已存在，不会覆盖", f"{target} already exists; it is not overwritten"))
    basis = [(law, articles if i == 0 else []) for i, law in enumerate(laws)]
    body_entry = reg.body_by_id[body]
    return target, render(power_id, name.strip(), category, body, body_entry.body.name, basis)


def _check_body(reg: Catalog, body: str) -> None:
    if body.startswith(".") or any(c in body for c in "/\\\0") or not body.strip():
        # The body id becomes a folder name under powers/: it must not climb out or hide.
        raise ScaffoldError(T(f"主体编码「{body}」不能用作文件夹名（不能以 . 开头，不能含 / 或 \\）",
                              f"body id {body!r} cannot name a folder (no leading '.', no '/' or '\\')"))
    entry = reg.body_by_id.get(body)
    if entry is None:
        close = get_close_matches(body, list(reg.body_by_id), n=3)
        hint = T("是否指：" + "、".join(close), "did you mean: " + ", ".join(close)) if close else T(
            "主体须先在 bodies.yaml 中登记", "register the body in bodies.yaml first")
        raise ScaffoldError(T(f"bodies.yaml 中没有主体「{body}」", f"no body {body!r} in bodies.yaml"), hint)
    if entry.body.status != "active":
        to = entry.body.merged_into
        raise ScaffoldError(T(f"主体「{body}」状态为 {entry.body.status}" + (f"，已并入 {to}" if to else ""),
                              f"body {body!r} is {entry.body.status}" + (f" (merged into {to})" if to else "")))


def create(root: Path, settings: Settings, power_id: str, name: str, category: str, body: str,
           laws: list[str] | None = None, articles: list[str] | None = None) -> Path:
    """Write the new power file (atomically; an existing file is never replaced). Returns its path."""
    import os

    target, text = plan(root, settings, power_id, name, category, body, laws or [], articles or [])
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.new")
    tmp.write_text(text, encoding="utf-8")
    exists = ScaffoldError(T(f"{target} 已存在，不会覆盖", f"{target} already exists; it is not overwritten"))
    try:
        os.link(tmp, target)  # fails if the file appeared meanwhile: never overwrite
    except FileExistsError:
        raise exists from None
    except OSError:  # no hard links on this file system: check, then rename
        if target.exists():
            raise exists from None
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return target
