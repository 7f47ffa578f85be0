"""Synthetic catalogues for the benchmark: N powers of realistic size (1-4 KB, mostly Chinese),
~40 bodies of a fictional city and its districts, laws.yaml with real titles from the built-in
registry, decisions.yaml, and a few percent planted defects of every family so the checks do real
work. Deterministic for a seed; YAML is written with string templates (no dumper) so 100,000
powers take seconds.

    python -m bench.generate OUT --size 2500 [--seed 1]
"""

from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import random
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import powerlist
from bench import vocab
from bench.vocab import Dept

GENERATOR_VERSION = 4  # bump when the output for a seed changes (bench.run regenerates cached trees)
MANIFEST = "bench-manifest.json"
MIN_BYTES, MAX_BYTES = 1024, 4096
DEFECT_RATE = 0.0015  # per kind; 17 kinds -> about 2.6 % of powers carry a planted defect

# (family, kind): every family of the contract, so every family of checks has work to do.
DEFECT_KINDS: tuple[tuple[str, str], ...] = (
    ("S", "unknown-key"), ("S", "tab"), ("S", "gbk"), ("S", "broken-yaml"),
    ("R", "unknown-body"),
    ("B", "no-basis"), ("B", "repealed-law"),
    ("D", "duplicate"), ("D", "traditional-duplicate"), ("D", "near-duplicate"),
    ("J", "two-bodies"), ("J", "delegation-non-enforcement"),
    ("A", "cancelled-active"),
    ("P", "dead-end"), ("P", "unreachable-step"), ("P", "over-statutory"),
    ("C", "filing-as-licence"),
)
COPY_KINDS = frozenset({"duplicate", "traditional-duplicate", "near-duplicate", "two-bodies"})
UNKNOWN_BODY = "city-quality"  # the former 质量技术监督局: merged away, not in bodies.yaml
# Where a branch leaves the main procedure (by step kind): 不予受理 after acceptance, 不予许可 at the
# decision, 撤销立案 / 移送 during investigation, a hearing after the notice.
BRANCH_FROM = {"reject": ("accept",), "refuse": ("decide",), "close": ("investigate",),
               "hearing": ("notify",), "transfer": ("investigate", "inspect", "execute")}
FLOW_OF = {"行政许可": "许可", "行政处罚": "处罚", "行政检查": "检查", "行政强制": "强制"}


@dataclass
class BodyRec:
    id: str
    name: str
    level: str
    region: str
    code: str  # power id prefix
    dept: Dept | None
    enforcement: bool = True
    status: str = "active"
    merged_into: str | None = None
    uscc: str = ""


@dataclass
class StepRec:
    id: str
    name: str
    kind: str
    actor: str
    action: str
    days: int
    next: list[str | tuple[str, str]] = field(default_factory=list)


@dataclass
class PowerRec:
    id: str
    name: str
    category: str
    body: BodyRec
    basis: list[tuple[str, list[str], str | None]]
    time_limit: tuple[int, int, str] | None
    steps: list[StepRec]
    responsibilities: list[str]
    accountability: list[str]
    sub_items: list[str] = field(default_factory=list)
    delegated_to: list[str] = field(default_factory=list)
    status: str = "active"
    abolished_by: str | None = None
    body_id: str | None = None  # overrides body.id (the unknown-body defect)

    @property
    def path(self) -> str:
        return f"powers/{self.body.id}/{self.id}.yaml"


@dataclass
class Planted:
    family: str
    kind: str
    path: str
    related: list[str] = field(default_factory=list)


@dataclass
class Generated:
    root: Path
    size: int
    seed: int
    files: int
    bytes: int
    seconds: float
    planted: list[Planted]

    def manifest(self) -> dict[str, object]:
        return {
            "generator": GENERATOR_VERSION, "size": self.size, "seed": self.seed, "files": self.files,
            "bytes": self.bytes, "seconds": round(self.seconds, 2),
            "planted": [{"family": p.family, "kind": p.kind, "path": p.path, "related": p.related} for p in self.planted],
        }


# ---------------------------------------------------------------------------- identifiers

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc(region: str, rng: random.Random) -> str:
    """A government organ's unified social credit code (GB 32100-2015) with a valid check character;
    positions 9-17 are an organisation code with its own GB 11714 check character."""
    org = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(8))
    s = sum(_USCC_CHARS.index(c) * w for c, w in zip(org, _ORG_WEIGHTS, strict=True))
    c9 = 11 - s % 11
    head = "11" + region + org + ("X" if c9 == 10 else "0" if c9 == 11 else str(c9))
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(head, _USCC_WEIGHTS, strict=True))
    return head + _USCC_CHARS[(31 - total % 31) % 31]


def article(n: int) -> str:
    """1..999 as a Chinese article reference: 第四十八条."""
    d = vocab.DIGITS
    h, t, u = n // 100, n // 10 % 10, n % 10
    out = ""
    if h:
        out += d[h] + "百"
    if t:
        out += ("" if t == 1 and not h else d[t]) + "十"
    elif h and u:
        out += "零"
    if u:
        out += d[u]
    return f"第{out}条"


# ---------------------------------------------------------------------------- registries


@dataclass(frozen=True)
class LawRec:
    id: str
    title: str
    level: str
    effective: str
    status: str = "in_force"
    repealed_on: str | None = None
    replaced_by: str | None = None


def _registry_laws() -> list[tuple[str, str, str]]:
    """(title, level, effective) of national laws and regulations in the built-in registry."""
    path = Path(powerlist.__file__).parent / "data" / "laws" / "national.csv"
    with path.open(encoding="utf-8") as fh:
        return [(r["title"], r["level"], r["effective"]) for r in csv.DictReader(fh)
                if r["level"] in ("法律", "行政法规") and r["superseded"] != "1"]


def _full_title(title: str, level: str) -> str:
    if level == "法律" and title.endswith("法") and not title.startswith(("中华人民共和国", "全国")):
        return "中华人民共和国" + title
    return title


def build_laws() -> tuple[list[LawRec], dict[str, list[LawRec]]]:
    """laws.yaml entries and each department's instruments (its laws first, then regulations)."""
    rows = _registry_laws()
    generic = ("行政许可法", "行政处罚法", "行政强制法")
    chosen: dict[str, LawRec] = {}
    by_dept: dict[str, list[LawRec]] = {}

    def add(title: str, level: str, effective: str) -> LawRec:
        if title not in chosen:
            chosen[title] = LawRec(f"law-{len(chosen) + 1:04d}", _full_title(title, level), level, effective or "2000-01-01")
        return chosen[title]

    for title, level, eff in rows:
        if title in generic:
            add(title, level, eff)
    for dept in vocab.DEPTS:
        hits = [add(t, lv, e) for t, lv, e in rows if any(w in t for w in dept.law_words)]
        hits.sort(key=lambda law: law.level != "法律")
        by_dept[dept.key] = hits[:24] or [chosen[g] for g in generic]
    laws = list(chosen.values())
    for ident, title, level, repealed, replaced in vocab.REPEALED:
        laws.append(LawRec(ident, title, level, "1990-01-01", "repealed", repealed, replaced))
    known = {law.title for law in laws}
    for i, (_, _, level, repealed, replaced) in enumerate(vocab.REPEALED):
        if replaced not in known:  # the successor is registered too, so replaced_by resolves
            known.add(replaced)
            laws.append(LawRec(f"successor-{i + 1}", replaced, level, repealed))
    return laws, by_dept


def build_bodies(rng: random.Random) -> tuple[list[BodyRec], list[BodyRec]]:
    """(every body in bodies.yaml, the bodies that hold powers)."""
    city, city_code = vocab.CITY
    holders = [BodyRec(f"city-{d.key}", f"{city}{d.name}", "市级", city_code, f"JC-{d.code}", d) for d in vocab.DEPTS]
    depts = {d.key: d for d in vocab.DEPTS}
    stems = ("linjiang", "donghu", "beishan", "nanpu")
    for (name, code), stem in zip(vocab.DISTRICTS, stems, strict=True):
        for key in vocab.DISTRICT_DEPTS:
            d = depts[key]
            holders.append(BodyRec(f"{stem}-{key}", f"{name}{d.name}", "县级", code, f"{stem[:2].upper()}-{d.code}", d))
    others = [
        BodyRec("city-service-office", f"{city}政务服务管理办公室", "市级", city_code, "JC-ZW", None, enforcement=False),
        BodyRec("linjiang-jiangbin-street", f"{vocab.DISTRICTS[0][0]}江滨街道办事处", "乡级", vocab.DISTRICTS[0][1],
                "LJ-JB", None, enforcement=False),
        BodyRec("city-zhijian", f"{city}质量技术监督局", "市级", city_code, "JC-ZJ", None,
                status="merged", merged_into="city-market"),
    ]
    bodies = holders + others
    for b in bodies:
        b.uscc = uscc(b.region, rng)
    return bodies, holders


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bodies_yaml(bodies: list[BodyRec]) -> str:
    out = [f"# Responsible bodies of {vocab.CITY[0]} (synthetic benchmark data)\n"]
    for b in bodies:
        out.append(f"- id: {b.id}\n  name: {b.name}\n  level: {b.level}\n  region: {_q(b.region)}\n"
                   f"  uscc: {_q(b.uscc)}\n  enforcement: {'true' if b.enforcement else 'false'}\n  status: {b.status}\n")
        if b.merged_into:
            out.append(f"  merged_into: {b.merged_into}\n")
    return "".join(out)


def laws_yaml(laws: list[LawRec]) -> str:
    out = ["# Legal instruments cited by the catalogue (titles from the national registry)\n"]
    for law in laws:
        out.append(f"- id: {law.id}\n  title: {law.title}\n  level: {law.level}\n  status: {law.status}\n"
                   f"  effective: {law.effective}\n")
        if law.repealed_on:
            out.append(f"  repealed_on: {law.repealed_on}\n  replaced_by: {law.replaced_by}\n")
    return "".join(out)


def decisions_yaml() -> str:
    out = ["# Cancellation / delegation decisions\n"]
    per = -(-len(vocab.CANCELLED) // len(vocab.DECISIONS))
    for i, (ident, title, doc_no, day) in enumerate(vocab.DECISIONS):
        out.append(f"- id: {ident}\n  title: {title}\n  doc_no: {doc_no}\n  date: {day}\n  cancels:\n")
        for _, name, cat in vocab.CANCELLED[i * per:(i + 1) * per]:
            out.append(f"    - name: {name}\n      category: {cat}\n")
    return "".join(out)


# ---------------------------------------------------------------------------- names


def _name_pool(dept: Dept, category: str, rng: random.Random, banned: set[str]) -> Iterator[str]:
    """Every name the templates make for this department and category, in a seeded order."""
    combos: list[str] = []
    for tpl in vocab.TEMPLATES[category]:
        subjects = dept.subjects if "{s}" in tpl else ("",)
        violations = vocab.VIOLATIONS if "{v}" in tpl else ("",)
        for s in subjects:
            for v in violations:
                for o in dept.objects:
                    combos.append(tpl.format(s=s, v=v.format(o=o), o=o))
    rng.shuffle(combos)
    return (c for c in dict.fromkeys(combos) if c not in banned)


class Names:
    """Per department, one seeded list of names per category; every body of the department takes
    names from the start of its list (district catalogues mirror the city's, as real ones do)."""

    def __init__(self, rng: random.Random) -> None:
        banned = {name for _, name, _ in vocab.CANCELLED}
        self.lists: dict[tuple[str, str], list[str]] = {}
        for dept in vocab.DEPTS:
            for category, _, _ in vocab.CATEGORIES:
                self.lists[(dept.key, category)] = list(_name_pool(dept, category, rng, banned))

    def take(self, dept: Dept, category: str, used: dict[str, int]) -> tuple[str, str] | None:
        """The next unused (category, name) for a body, falling back to penalties when a category runs dry."""
        for cat in (category, "行政处罚", "行政检查"):
            pool = self.lists[(dept.key, cat)]
            i = used.get(cat, 0)
            if i < len(pool):
                used[cat] = i + 1
                return cat, pool[i]
        return None


# ---------------------------------------------------------------------------- one power


class Maker:
    """Builds power records; every random choice comes from one seeded generator."""

    def __init__(self, rng: random.Random, laws_by_dept: dict[str, list[LawRec]], repealed: list[LawRec]) -> None:
        self.rng = rng
        self.laws_by_dept = laws_by_dept
        self.repealed = repealed
        self.serials: dict[tuple[str, str], int] = {}
        self.cat_code = {c: code for c, code, _ in vocab.CATEGORIES}

    def new_id(self, body: BodyRec, category: str) -> str:
        key = (body.code, category)
        self.serials[key] = self.serials.get(key, 0) + 1
        return f"{body.code}-{self.cat_code[category]}-{self.serials[key]:05d}"

    def _ref(self, law: LawRec) -> str:
        r = self.rng.random()
        return law.id if r < 0.4 else law.title if r < 0.8 else f"《{law.title}》"

    def basis(self, dept: Dept, category: str, name: str) -> list[tuple[str, list[str], str | None]]:
        rng = self.rng
        laws = self.laws_by_dept[dept.key]
        statutes = [law for law in laws if law.level == "法律"] or laws
        picks = [rng.choice(statutes)]  # a statute first: every category's power to create is satisfied
        for _ in range(rng.choice((0, 1, 1, 2))):
            law = rng.choice(laws)
            if law not in picks:
                picks.append(law)
        out: list[tuple[str, list[str], str | None]] = []
        for law in picks:
            arts = [article(rng.randint(2, 120)) for _ in range(rng.choice((1, 1, 2)))]
            text = None
            if rng.random() < 0.6:
                subj = rng.choice(dept.subjects)
                text = (f"{subj}违反本法规定的，由县级以上人民政府{dept.name[:-1]}主管部门责令改正，"
                        f"给予警告；情节严重的，处{rng.randint(1, 5)}万元以上{rng.randint(6, 50)}万元以下罚款。"
                        if category == "行政处罚" else
                        f"从事{name[:12]}相关活动，应当依照本法规定向{dept.name[:-1]}主管部门提出申请，经审查符合条件的予以办理。")
            out.append((self._ref(law), arts, text))
        return out

    def steps(self, dept: Dept, flow: str, budget: int) -> tuple[list[StepRec], int]:
        """A process of 4-12 steps (main chain, optional extra steps, end or rejoining branches);
        returns the steps and the longest start-to-end path in days (kept within ``budget``)."""
        rng = self.rng
        base = list(vocab.FLOWS[flow])
        target = rng.randint(4, 12)
        optional = [step for step in base if step[2] in ("review", "legal_review", "execute", "other")]
        while len(base) > max(target, 4) and optional:  # a simplified procedure keeps the legally required steps
            base.remove(optional.pop(rng.randrange(len(optional))))
        branch_pool = {
            "许可": ("reject", "refuse"), "处罚": ("close", "hearing", "transfer"),
            "检查": ("transfer",), "强制": ("transfer",), "其他": ("reject",),
        }[flow]
        n_branch = min(rng.choice((0, 1, 1, 2)), len(branch_pool), max(target - len(base), 0))
        extras = list(vocab.EXTRA_STEPS)
        rng.shuffle(extras)
        while len(base) + n_branch < target and extras:
            extra = extras.pop()
            kinds = [step[2] for step in base]
            if extra[2] in ("decide", "approve") and "decide" in kinds:
                at = kinds.index("decide")  # deliberation and signing come right before the decision
            else:  # anything else before the decision (after the notice, in a penalty flow)
                lo = kinds.index("notify") + 1 if flow == "处罚" and "notify" in kinds else 1
                hi = kinds.index("decide") if "decide" in kinds else len(base) - 1
                at = rng.randint(lo, max(lo, hi))
            base.insert(at, extra)
        roles = {"section": lambda: rng.choice(dept.sections[:3]), "team": lambda: dept.sections[3],
                 "legal": lambda: dept.sections[4]}

        def actor(role: str) -> str:
            return roles[role]() if role in roles else vocab.ROLES[role].format(d=dept.name)

        weights = [3 if kind in ("review", "investigate", "inspect") else 1 for _, _, kind, _, _ in base]
        days = [budget * w // sum(weights) for w in weights]
        main = [StepRec(i, n, k, actor(r), a, d) for (i, n, k, r, a), d in zip(base, days, strict=True)]
        for a, b in itertools.pairwise(main):
            a.next.append(b.id)
        longest = sum(days)
        branch_ids = rng.sample(branch_pool, n_branch)
        by_id = {b[0]: b for b in vocab.BRANCHES}
        for bid in branch_ids:
            _, name, kind, role, action, when = by_id[bid]
            sources = [i for i, st in enumerate(main[:-1]) if st.kind in BRANCH_FROM[bid]]
            if not sources:
                continue
            src = rng.choice(sources)
            step = StepRec(bid, name, kind, actor(role), action, 0)
            if bid == "hearing":  # a hearing rejoins the procedure after the step it starts from
                step.days = 1
                step.next.append(main[src + 1].id)
                longest += 1
            main[src].next.append((bid, when))
            main.append(step)
        return main, longest

    def power(self, body: BodyRec, category: str, name: str) -> PowerRec:
        rng = self.rng
        dept = body.dept
        assert dept is not None
        flow = FLOW_OF.get(category, "其他")
        if flow == "处罚":
            statutory, unit = 90, "calendar_days"
        elif flow == "强制":
            statutory, unit = 30, "calendar_days"
        elif flow == "许可":
            statutory, unit = 20, "working_days"
        else:
            statutory, unit = rng.choice((10, 15, 20, 30)), "working_days"
        promised = max(4, round(statutory * rng.uniform(0.4, 0.9)))
        steps, _ = self.steps(dept, flow, promised - 1)
        kind = "许可" if flow == "许可" else "处罚" if flow in ("处罚", "强制") else "其他"
        pool = vocab.RESPONSIBILITIES[kind]
        keep = sorted(rng.sample(range(len(pool)), rng.randint(3, min(6, len(pool)))))
        resp = [pool[i] for i in keep]
        acc = rng.sample(vocab.ACCOUNTABILITY[kind], rng.randint(2, 5))
        subs = [f"{name}（{s}）" for s in ("新办", "变更", "延续")[: rng.randint(2, 3)]] \
            if category == "行政许可" and rng.random() < 0.15 else []
        p = PowerRec(self.new_id(body, category), name, category, body, self.basis(dept, category, name),
                     (statutory, promised, unit), steps, resp, acc, subs)
        size = fit(p)
        while size < MIN_BYTES:
            p.accountability.append(rng.choice(vocab.ACCOUNTABILITY[kind]))
            size = len(render(p).encode())
        return p


def fit(p: PowerRec, limit: int = MAX_BYTES - 100) -> int:
    """Drop 责任事项/追责情形 lines until the file fits the size range; returns its size in bytes."""
    size = len(render(p).encode())
    while size > limit and (len(p.responsibilities) > 2 or len(p.accountability) > 2):
        (p.responsibilities if len(p.responsibilities) >= len(p.accountability) else p.accountability).pop()
        size = len(render(p).encode())
    return size


# ---------------------------------------------------------------------------- rendering


def _flow_item(n: str | tuple[str, str]) -> str:
    return n if isinstance(n, str) else f"{{to: {n[0]}, when: {n[1]}}}"


def render(p: PowerRec) -> str:
    out = [f"id: {p.id}\nname: {p.name}\ncategory: {p.category}\nbody: {p.body_id or p.body.id}\nstatus: {p.status}\n"]
    if p.abolished_by:
        out.append(f"abolished_by: {p.abolished_by}\n")
    if p.sub_items:
        out.append("sub_items:\n" + "".join(f"  - {s}\n" for s in p.sub_items))
    if p.basis:
        out.append("basis:\n")
        for law, arts, text in p.basis:
            out.append(f"  - law: {law}\n    articles: [{', '.join(arts)}]\n")
            if text:
                out.append(f"    text: {text}\n")
    else:
        out.append("basis: []\n")
    if p.time_limit:
        st, pr, unit = p.time_limit
        out.append(f"time_limit:\n  statutory: {st}\n  promised: {pr}\n  unit: {unit}\n")
    if p.delegated_to:
        out.append(f"delegated_to: [{', '.join(p.delegated_to)}]\n")
    out.append("responsibilities:\n" + "".join(f"  - {r}\n" for r in p.responsibilities))
    out.append("accountability:\n" + "".join(f"  - {a}\n" for a in p.accountability))
    out.append("process:\n  steps:\n")
    for s in p.steps:
        out.append(f"    - id: {s.id}\n      name: {s.name}\n      kind: {s.kind}\n      actor: {s.actor}\n"
                   f"      action: {s.action}\n      days: {s.days}\n")
        if s.next:
            out.append(f"      next: [{', '.join(_flow_item(n) for n in s.next)}]\n")
    return "".join(out)


# ---------------------------------------------------------------------------- defects


class Planter:
    """Turns a few clean powers into planted defects (and adds copies for the duplicate kinds)."""

    def __init__(self, maker: Maker, bodies: list[BodyRec], holders: list[BodyRec], taken: dict[str, set[str]]) -> None:
        self.maker = maker
        self.rng = maker.rng
        self.no_enforcement = next(b for b in bodies if not b.enforcement and b.level == "乡级")
        self.city = [b for b in holders if b.level == "市级"]
        self.taken = taken  # body id -> names in use (planted names must not collide by accident)
        # Each cancelled item at most once per body of its department, so it is not also a duplicate.
        self.cancel_slots = [(b, name, cat) for key, name, cat in vocab.CANCELLED
                             for b in holders if b.dept is not None and b.dept.key == key]
        self.rng.shuffle(self.cancel_slots)
        from opencc import OpenCC

        self.s2t = OpenCC("s2t")

    def mutate(self, kind: str, p: PowerRec) -> PowerRec | None:
        """Plant ``kind`` into ``p`` (in place, or a rebuilt power for its slot); None: ``p`` does not suit."""
        rng = self.rng
        if kind == "unknown-body":
            p.body_id = UNKNOWN_BODY
        elif kind == "no-basis":
            p.basis = []
        elif kind == "repealed-law":
            law = rng.choice(self.maker.repealed)
            p.basis = [(rng.choice((law.id, law.title)), [article(rng.randint(2, 60))], None)]
        elif kind == "delegation-non-enforcement":
            if p.category != "行政处罚" or p.body.level != "市级":
                return None
            p.delegated_to = [self.no_enforcement.id]
        elif kind == "cancelled-active":
            if not self.cancel_slots:
                return None
            body, name, category = self.cancel_slots.pop()
            p = self.maker.power(body, category, name)
        elif kind == "filing-as-licence":
            dept = p.body.dept
            assert dept is not None
            free = [o for o in dept.objects if f"{o}备案" not in self.taken[p.body.id]]
            if not free:
                return None
            p = self.maker.power(p.body, "行政许可", f"{rng.choice(free)}备案")
        elif kind == "dead-end":
            k = rng.randrange(0, len(p.steps) - 1)
            p.steps[k].next.append(("supplement", "材料需要补正"))
            p.steps += [StepRec("supplement", "补正材料", "other", p.steps[k].actor, "通知申请人补正材料", 1, ["recheck"]),
                        StepRec("recheck", "补正复核", "review", p.steps[k].actor, "复核补正后的材料", 1, ["supplement"])]
        elif kind == "unreachable-step":
            last = next(s for s in reversed(p.steps) if not s.next)
            p.steps += [
                StepRec("legacy-review", "原审查环节", "review", last.actor, "按原流程审查（已停用）", 1, ["legacy-check"]),
                StepRec("legacy-check", "原复核环节", "review", last.actor, "按原流程复核（已停用）", 1,
                        ["legacy-review", last.id]),
            ]
        elif kind == "over-statutory":
            assert p.time_limit is not None
            longest = max(p.steps[:-1], key=lambda s: s.days)
            longest.days += p.time_limit[0] + 1
        self.taken[p.body.id].add(p.name)
        return p

    def copy(self, kind: str, src: PowerRec) -> PowerRec | None:
        """A new power that duplicates ``src`` in the way ``kind`` names (None: src does not suit)."""
        rng = self.rng
        body, name = src.body, src.name
        if kind == "traditional-duplicate":
            name = self.s2t.convert(src.name)
            if name == src.name:
                return None
        elif kind == "near-duplicate":
            chars = [i for i, ch in enumerate(name) if "\u4e00" <= ch <= "\u9fff"]
            if len(chars) < 12:
                return None
            i = chars[rng.randrange(len(chars) // 3, 2 * len(chars) // 3)]
            swap = rng.choice([c for c in vocab.SWAP_CHARS if c != name[i]])
            name = name[:i] + swap + name[i + 1:]
            if name in self.taken[body.id]:
                return None
        elif kind == "two-bodies":
            if body.level != "市级":
                return None
            others = [b for b in self.city if b is not body and name not in self.taken[b.id]]
            if not others:
                return None
            body = rng.choice(others)
        dup = replace(src, id=self.maker.new_id(body, src.category), name=name, body=body,
                      steps=[replace(s, next=list(s.next)) for s in src.steps])
        self.taken[body.id].add(name)
        return dup


# ---------------------------------------------------------------------------- the catalogue


def _corrupt(kind: str, text: str) -> bytes:
    """The S defects are written bytes, not data: each breaks the file in one way."""
    if kind == "unknown-key":
        return (text + "remark: 本事项与上级部门联合实施\n").encode()  # a typo: `remarks` is a key (issue 12)
    if kind == "tab":
        return text.replace("\ncategory: ", "\ncategory:\t", 1).encode()
    if kind == "broken-yaml":
        return text.replace("\nname: ", "\nname: [", 1).encode()
    if kind == "gbk":
        try:
            return text.encode("gbk")
        except UnicodeEncodeError:
            return text.encode("gb18030")
    raise ValueError(kind)


def defect_counts(size: int, rate: float = DEFECT_RATE) -> dict[str, int]:
    """How many of each kind: a rate of the catalogue, at least one of each once there is room."""
    each = max(1, round(size * rate)) if size >= 10 * len(DEFECT_KINDS) else 0
    return {kind: each for _, kind in DEFECT_KINDS}


def generate(root: Path, size: int, seed: int = 1, rate: float = DEFECT_RATE) -> Generated:
    """Write a catalogue of exactly ``size`` power files into ``root`` (emptied first)."""
    started = time.perf_counter()
    rng = random.Random(seed)
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    laws, laws_by_dept = build_laws()
    bodies, holders = build_bodies(rng)
    names = Names(rng)
    maker = Maker(rng, laws_by_dept, [law for law in laws if law.status == "repealed"])
    counts = defect_counts(size, rate)
    copies = sum(n for k, n in counts.items() if k in COPY_KINDS)
    clean = size - copies

    # Spread the clean powers over the bodies: city bureaus hold more than district ones.
    weights = [(1.3 if b.level == "市级" else 0.8) * rng.uniform(0.8, 1.2) for b in holders]
    share = [int(clean * w / sum(weights)) for w in weights]
    for i in range(clean - sum(share)):
        share[i % len(share)] += 1
    shares = [c for _, _, c in vocab.CATEGORIES]
    cats = [c for c, _, _ in vocab.CATEGORIES]
    used: dict[str, dict[str, int]] = {b.id: {} for b in holders}
    taken: dict[str, set[str]] = {b.id: set() for b in holders}
    powers: list[PowerRec] = []
    for body, n in zip(holders, share, strict=True):
        assert body.dept is not None
        for category in rng.choices(cats, shares, k=n):
            got = names.take(body.dept, category, used[body.id])
            if got is None:
                raise ValueError(f"vocabulary exhausted for {body.id}: lower --size or extend bench/vocab.py")
            p = maker.power(body, *got)
            taken[body.id].add(p.name)
            powers.append(p)
    # Realistic clean variety: a few abolished or suspended powers, some delegated to a district.
    district_of = {(b.dept.key if b.dept else ""): b for b in holders if b.level == "县级"}
    for p in powers:
        r = rng.random()
        if r < 0.01:
            p.status, p.abolished_by = "abolished", rng.choice(vocab.DECISIONS)[0]
        elif r < 0.015:
            p.status = "suspended"
        elif r < 0.05 and p.body.level == "市级" and p.body.dept and p.body.dept.key in district_of:
            p.delegated_to = [district_of[p.body.dept.key].id]

    planter = Planter(maker, bodies, holders, taken)
    order = list(range(len(powers)))
    rng.shuffle(order)
    victims = iter(order)
    planted: list[Planted] = []
    corrupt: dict[str, str] = {}  # path -> S kind
    extra: list[PowerRec] = []
    for family, kind in DEFECT_KINDS:
        done = 0
        while done < counts[kind]:
            idx = next(victims, None)
            if idx is None or (kind == "cancelled-active" and not planter.cancel_slots):
                break  # nothing left that suits: fewer of this kind
            p = powers[idx]
            if p.status != "active" or p.delegated_to:
                continue
            if kind in COPY_KINDS:
                dup = planter.copy(kind, p)
                if dup is None:
                    continue
                extra.append(dup)
                planted.append(Planted(family, kind, dup.path, [p.path]))
            elif family == "S":
                corrupt[p.path] = kind
                planted.append(Planted(family, kind, p.path))
            else:
                made = planter.mutate(kind, p)
                if made is None:
                    continue
                fit(made)  # extra steps must not push it past the size range
                powers[idx] = made
                planted.append(Planted(family, kind, made.path))
            done += 1
    powers.extend(extra)
    # Copies that could not be made leave the catalogue short: top it up with clean powers.
    for body in rng.sample(holders, len(holders)):
        if len(powers) >= size:
            break
        assert body.dept is not None
        got = names.take(body.dept, "行政处罚", used[body.id])
        if got is not None:
            powers.append(maker.power(body, *got))

    total = _write_tree(root, bodies, laws, powers, corrupt)
    gen = Generated(root, size, seed, len(powers), total, time.perf_counter() - started, planted)
    (root / MANIFEST).write_text(json.dumps(gen.manifest(), ensure_ascii=False, indent=1), encoding="utf-8")
    return gen


def _write_tree(root: Path, bodies: list[BodyRec], laws: list[LawRec], powers: list[PowerRec],
                corrupt: dict[str, str]) -> int:
    total = 0
    for name, text in (("bodies.yaml", bodies_yaml(bodies)), ("laws.yaml", laws_yaml(laws)),
                       ("decisions.yaml", decisions_yaml()),
                       ("powerlist.toml", f'region = "{vocab.CITY[0]}"\n')):
        raw = text.encode()
        (root / name).write_bytes(raw)
        total += len(raw)
    for d in {p.body.id for p in powers}:
        (root / "powers" / d).mkdir(parents=True, exist_ok=True)
    base = str(root) + os.sep
    for p in powers:
        text = render(p)
        kind = corrupt.get(p.path)
        raw = _corrupt(kind, text) if kind else text.encode()
        with open(base + p.path, "wb") as fh:
            fh.write(raw)
        total += len(raw)
    return total


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.generate", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="folder to create (emptied first)")
    ap.add_argument("--size", type=int, default=2500, help="number of power files (default 2500)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    gen = generate(args.out, args.size, args.seed)
    kinds = len({p.kind for p in gen.planted})
    print(f"{gen.files} powers, {gen.bytes / 1e6:.1f} MB, {len(gen.planted)} planted defects of {kinds} kinds "
          f"in {gen.seconds:.1f} s -> {gen.root}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
