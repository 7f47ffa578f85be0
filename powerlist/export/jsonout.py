"""``powers.json``: every published power with its bodies and legal instruments resolved.

The shape is declared once, as TypedDicts: mypy checks the writer against them and pydantic turns
them into ``schemas/export.schema.json``.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

import orjson
from pydantic import ConfigDict, TypeAdapter, with_config
from typing_extensions import TypedDict

from powerlist import __version__
from powerlist.catalog import Entry, LawRef
from powerlist.export.clean import Cleaned
from powerlist.export.outdir import Staging
from powerlist.export.rows import complaint_of
from powerlist.jsonschema import register
from powerlist.models import Basis, Power

NAME = "powers.json"
FORMAT_VERSION: Literal[1] = 1
_STRICT = ConfigDict(extra="forbid", use_attribute_docstrings=True)


@with_config(_STRICT)
class BodyRef(TypedDict):
    id: str
    name: str | None
    """None when the id is not in bodies.yaml (only with --allow-errors)."""
    level: str | None


@with_config(_STRICT)
class BodyOut(TypedDict):
    id: str
    name: str
    level: str
    region: str | None
    uscc: str | None
    enforcement: bool | None
    status: Literal["active", "merged", "abolished"]
    merged_into: str | None
    powers: int
    """Number of published powers this body exercises."""


@with_config(_STRICT)
class LawOut(TypedDict):
    id: str
    title: str
    level: str
    status: Literal["in_force", "amended", "repealed"]
    effective: date | None
    repealed_on: date | None
    replaced_by: str | None


@with_config(_STRICT)
class Instrument(TypedDict):
    title: str
    level: str
    status: Literal["in_force", "amended", "repealed"]
    source: str
    """"catalog" (laws.yaml), "national", or a province name (built-in registry)."""
    law_id: str | None
    """The laws.yaml id when the instrument is in the catalogue's registry."""


@with_config(_STRICT)
class BasisOut(TypedDict):
    law: str
    """The reference as written in the power file."""
    instrument: Instrument | None
    """What the reference resolves to; None when it names no known instrument."""
    articles: list[str]
    text: str | None


@with_config(_STRICT)
class TimeLimitOut(TypedDict):
    statutory: float | None
    promised: float | None
    unit: Literal["working_days", "calendar_days", "months"]
    text: str | None
    """The limit as written in the source, when the catalogue keeps it."""


@with_config(_STRICT)
class SubItemOut(TypedDict):
    name: str
    code: str | None
    """业务办理项编码."""
    implementation_code: str | None
    category: str
    """Its own category, or the power's when it has none."""
    status: Literal["active", "suspended", "abolished"]
    """Its own status, or the power's when it has none."""


@with_config(_STRICT)
class EdgeOut(TypedDict):
    to: str
    when: str | None


@with_config(_STRICT)
class StepOut(TypedDict):
    id: str
    name: str
    kind: str | None
    actor: str | None
    action: str | None
    days: float | None
    next: list[EdgeOut]


@with_config(_STRICT)
class FeeOut(TypedDict):
    name: str
    standard: str | None
    basis: list[BasisOut]
    """收费依据, resolved like the power's basis."""


@with_config(_STRICT)
class MaterialOut(TypedDict):
    name: str
    source: str | None
    """申请人自备 | 政府部门核发 | 中介机构出具 | 其他."""
    basis: list[BasisOut]


@with_config(_STRICT)
class ComplaintOut(TypedDict):
    phone: str | None
    address: str | None
    hours: str | None
    inherited: bool
    """True when the channel is the body's (bodies.yaml), not the power's own."""


@with_config(_STRICT)
class PowerOut(TypedDict):
    id: str
    name: str
    category: str
    status: Literal["active", "suspended"]
    path: str
    """The power's file, relative to the catalogue root."""
    body: BodyRef
    co_bodies: list[BodyRef]
    delegated_to: list[BodyRef]
    sub_items: list[str]
    """Sub-item names (子项 / 办理项); their codes are in handling_items."""
    handling_items: list[SubItemOut]
    code: str | None
    """基本编码."""
    implementation_code: str | None
    """实施编码."""
    handling_unit: str | None
    levels: list[str]
    remarks: str | None
    extra: dict[str, str]
    basis: list[BasisOut]
    time_limit: TimeLimitOut | None
    responsibilities: list[str]
    accountability: list[str]
    steps: list[StepOut]
    fees: list[FeeOut] | None
    """收费标准 with its basis: None not stated; [] free of charge (不收费)."""
    materials: list[MaterialOut] | None
    """申请材料; None not stated."""
    complaint: ComplaintOut | None
    """投诉举报渠道: the power's own, else its body's."""


@with_config(_STRICT)
class Counts(TypedDict):
    powers: int
    bodies: int
    laws: int
    by_category: dict[str, int]


@with_config(_STRICT)
class ExportDoc(TypedDict):
    """powerlist's JSON export of a cleaned catalogue (powers.json)."""

    format_version: Literal[1]
    generator: str
    region: str | None
    categories: list[str]
    counts: Counts
    bodies: list[BodyOut]
    laws: list[LawOut]
    powers: list[PowerOut]


def _body_ref(cl: Cleaned, body_id: str) -> BodyRef:
    e = cl.catalog.body_by_id.get(body_id)
    return BodyRef(id=body_id, name=e.body.name if e else None, level=e.body.level if e else None)


def _sub_items(p: Power) -> list[SubItemOut]:
    return [SubItemOut(name=s.name, code=s.code, implementation_code=s.implementation_code,
                       category=s.category or p.category, status=s.status or p.status)
            for s in p.handling_items()]


def _basis_out(b: Basis, hit: LawRef | None) -> BasisOut:
    inst = None if hit is None else Instrument(
        title=hit.title, level=hit.level, status=hit.status,  # type: ignore[typeddict-item]
        source=hit.source, law_id=hit.entry.id if hit.entry else None)
    return BasisOut(law=b.law, instrument=inst, articles=[str(a) for a in b.articles], text=b.text)


def _guide_basis(cl: Cleaned, bases: list[Basis]) -> list[BasisOut]:
    # Fee and material bases are not in resolved_basis (power bases only): resolve each here.
    return [_basis_out(b, cl.catalog.resolve_basis(b.law)) for b in bases]


def _fees(cl: Cleaned, p: Power) -> list[FeeOut] | None:
    if p.fees is None:
        return None
    return [FeeOut(name=f.name, standard=f.standard, basis=_guide_basis(cl, f.basis)) for f in p.fees]


def _materials(cl: Cleaned, p: Power) -> list[MaterialOut] | None:
    if p.materials is None:
        return None
    return [MaterialOut(name=m.name, source=m.source, basis=_guide_basis(cl, m.basis)) for m in p.materials]


def _complaint(cl: Cleaned, e: Entry) -> ComplaintOut | None:
    ch = complaint_of(cl, e)
    if ch is None:
        return None
    return ComplaintOut(phone=ch.phone, address=ch.address, hours=ch.hours, inherited=e.power.complaint is None)


def _power(cl: Cleaned, e: Entry) -> PowerOut:
    p = e.power
    basis = [_basis_out(b, cl.law(b.law)) for b in p.basis]
    tl = p.time_limit
    steps = [] if p.process is None else [
        StepOut(id=s.id, name=s.name, kind=s.kind, actor=s.actor, action=s.action, days=s.days,
                next=[EdgeOut(to=n, when=None) if isinstance(n, str) else EdgeOut(to=n.to, when=n.when) for n in s.next])
        for s in p.process.steps]
    return PowerOut(
        id=p.id, name=p.name, category=p.category, status=p.status,  # type: ignore[typeddict-item]
        path=e.path, body=_body_ref(cl, p.body),
        co_bodies=[_body_ref(cl, b) for b in p.co_bodies],
        delegated_to=[_body_ref(cl, b) for b in p.delegated_to],
        sub_items=p.sub_item_names(), handling_items=_sub_items(p),
        code=p.code, implementation_code=p.implementation_code, handling_unit=p.handling_unit,
        levels=list(p.levels), remarks=p.remarks, extra=dict(p.extra), basis=basis,
        time_limit=None if tl is None else TimeLimitOut(statutory=tl.statutory, promised=tl.promised, unit=tl.unit,
                                                        text=tl.text),
        responsibilities=list(p.responsibilities), accountability=list(p.accountability), steps=steps,
        fees=_fees(cl, p), materials=_materials(cl, p), complaint=_complaint(cl, e),
    )


def document(cl: Cleaned) -> ExportDoc:
    cat = cl.catalog
    bodies = [BodyOut(id=b.body.id, name=b.body.name, level=b.body.level, region=b.body.region, uscc=b.body.uscc,
                      enforcement=b.body.enforcement, status=b.body.status, merged_into=b.body.merged_into,
                      powers=len(cl.by_body.get(b.body.id, ()))) for b in cat.body_by_id.values()]
    laws = [LawOut(id=x.law.id, title=x.law.title, level=x.law.level, status=x.law.status, effective=x.law.effective,
                   repealed_on=x.law.repealed_on, replaced_by=x.law.replaced_by) for x in cat.law_by_id.values()]
    return ExportDoc(
        format_version=FORMAT_VERSION, generator=f"powerlist {__version__}", region=cat.settings.region,
        categories=cl.categories,
        counts=Counts(powers=len(cl.powers), bodies=len(bodies), laws=len(laws),
                      by_category={c: len(v) for c, v in cl.by_category.items()}),
        bodies=bodies, laws=laws, powers=[_power(cl, e) for e in cl.powers],
    )


def write(cl: Cleaned, out: Staging) -> None:
    out.write_bytes(NAME, orjson.dumps(document(cl), option=orjson.OPT_INDENT_2) + b"\n")


@register("export.schema.json")
def schema() -> dict[str, Any]:
    body = TypeAdapter(ExportDoc).json_schema()
    return {**body, "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": "https://powerlist.example/schemas/export.schema.json",
            "title": "powerlist: JSON export of a cleaned catalogue (powers.json)"}
