"""pydantic v2 models of the catalogue format (``catalog-format.md``), strict: an unknown key is an
error, and a value must already have the right type (``days: "3"`` is a string, not a number).

Membership rules that depend on configuration (categories, body levels) are checks, not types,
so a catalogue can configure its own sets.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag, model_validator

NonNeg = Annotated[int | float, Field(ge=0)]
# Dates are written unquoted in YAML and arrive as ISO strings from the loader: accept both.
Day = Annotated[date, Field(strict=False)]
NonEmpty = Annotated[str, Field(min_length=1)]

STEP_KINDS = (
    "accept", "review", "inspect", "decide", "serve", "file", "investigate", "notify",
    "hearing", "legal_review", "approve", "execute", "other",
)
StepKind = Literal[
    "accept", "review", "inspect", "decide", "serve", "file", "investigate", "notify",
    "hearing", "legal_review", "approve", "execute", "other",
]
LAW_LEVELS = ("法律", "行政法规", "国务院决定", "地方性法规", "部门规章", "地方政府规章", "规范性文件")
LawLevel = Literal["法律", "行政法规", "国务院决定", "地方性法规", "部门规章", "地方政府规章", "规范性文件"]


_FIELD_SETS: dict[frozenset[str], frozenset[str]] = {}


def _empty(kind: type[list[Any]] | type[dict[Any, Any]] = list) -> Any:
    """An empty list (or dict) by default: made by ``kind()`` per model rather than pydantic's deep
    copy of a ``[]`` default (a tenth of validating a power); the JSON Schema still says
    ``"default": []`` (``{}``)."""
    return Field(default_factory=kind, json_schema_extra={"default": kind()})


class Model(BaseModel):
    # Frozen: checks only read, and a frozen model lets every instance share one canonical
    # fields-set object (below) instead of a private set of ~200 bytes each: at 100,000 powers
    # with ~25 objects each that is half a gigabyte.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, use_attribute_docstrings=True)

    @model_validator(mode="after")
    def _share_fields_set(self) -> Self:
        fs = frozenset(self.__pydantic_fields_set__)
        object.__setattr__(self, "__pydantic_fields_set__", _FIELD_SETS.setdefault(fs, fs))
        return self

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        # pydantic updates the copy's fields-set in place: lend it a private set for the copy.
        shared = self.__pydantic_fields_set__
        object.__setattr__(self, "__pydantic_fields_set__", set(shared))
        try:
            return super().model_copy(update=update, deep=deep)
        finally:
            object.__setattr__(self, "__pydantic_fields_set__", shared)


class Waiver(Model):
    """An accepted finding on this entry (a sqlfluff/ruff-style suppression that must give a reason)."""

    code: Annotated[str, Field(pattern=r"^[SRBDJAPCGU](\d{1,3})?$")]
    """The code waived: a full code (J001), or a family letter or prefix (J, J00)."""
    reason: NonEmpty
    """Why the finding is accepted, e.g. the approving document number."""
    expires: Day | None = None
    """Optional last day the waiver holds; after it the finding counts again."""


class Basis(Model):
    law: NonEmpty
    """A laws.yaml id, or an instrument title as written (《》 optional)."""
    articles: list[str | int] = _empty()
    """Article references, e.g. 第四十八条."""
    text: str | None = None
    """Optional excerpt of the provision."""


class Fee(Model):
    """A fee charged for the item (收费项目), as the public guide states it."""

    name: NonEmpty
    """收费项目名称, e.g. 取水许可证工本费."""
    standard: str | None = None
    """收费标准, free text as published (10元/证)."""
    basis: list[Basis] = _empty()
    """收费依据: the instruments that provide for the fee (same shape as a power's basis)."""


MATERIAL_SOURCES = ("申请人自备", "政府部门核发", "中介机构出具", "其他")
MaterialSource = Literal["申请人自备", "政府部门核发", "中介机构出具", "其他"]


class Material(Model):
    """One required application material (申请材料)."""

    name: NonEmpty
    """材料名称, e.g. 取水许可申请书."""
    source: MaterialSource | None = None
    """Where the applicant gets it: 申请人自备 | 政府部门核发 | 中介机构出具 | 其他."""
    basis: list[Basis] = _empty()
    """Optional: the provisions that require the material."""


class Complaint(Model):
    """Where to complain (投诉举报渠道), on a body or a power (the power's own wins)."""

    phone: str | None = None
    """投诉电话 / 监督电话, as published (0571-…; 12345)."""
    address: str | None = None
    """投诉地址 (postal or web)."""
    hours: str | None = None
    """受理时间."""

    def stated(self) -> bool:
        """True when at least one channel is given."""
        return any((self.phone, self.address))


class TimeLimit(Model):
    statutory: NonNeg | None = None
    """法定办结时限."""
    promised: NonNeg | None = None
    """承诺办结时限 (should not exceed the statutory limit)."""
    unit: Literal["working_days", "calendar_days", "months"] = "working_days"
    """Unit of the limits and of every step's ``days`` (``months``: 个月, as some statutes state them)."""
    text: str | None = None
    """The limit as written in the source (法定：20个工作日；承诺：5个工作日), kept verbatim."""


class NextEdge(Model):
    to: NonEmpty
    """The id of the following step."""
    when: str | None = None
    """The condition under which this branch is taken."""


class Step(Model):
    id: NonEmpty
    name: NonEmpty
    kind: StepKind | None = None
    """What the step is legally (makes procedure checks exact); recognised from the name when absent."""
    actor: str | None = None
    """谁来办: who handles the step."""
    action: str | None = None
    """怎么办: what is done."""
    days: NonNeg | None = None
    """什么时间办结: time for this step, in the power's time_limit.unit (may be 0)."""
    next: list[str | NextEdge] = _empty()
    """Following steps: ids, or {to, when}. A step with no next is an end."""

    def targets(self) -> list[str]:
        return [n if isinstance(n, str) else n.to for n in self.next]


class Process(Model):
    steps: list[Step] = _empty()


Status = Literal["active", "suspended", "abolished"]


def _sub_item_tag(value: Any) -> str:
    # Choose the union member by shape, so a bad mapping is reported against SubItem only (not
    # also as "should be a string"). Tags are named like pydantic's own union members so that
    # loader.clean_path drops them from error locations.
    return "SubItem" if isinstance(value, (dict, SubItem)) else "str"


class SubItem(Model):
    """A 办理项 / 子项 of a power (政务服务事项 practice): a handling item with its own codes and,
    optionally, its own category and status."""

    name: NonEmpty
    """The 办理项 / 子项 name, e.g. 取水许可（延续）."""
    code: NonEmpty | None = None
    """业务办理项编码; always a string (quote codes that look like numbers: 0-leading digits)."""
    implementation_code: NonEmpty | None = None
    """实施编码 of this 办理项: 基本编码-区划代码(12)-000-实施主体编码-N-00."""
    category: NonEmpty | None = None
    """Its category, when it differs from the power's (absent: the power's category)."""
    status: Status | None = None
    """active | suspended | abolished (absent: the power's status)."""


SubItemEntry = Annotated[
    Annotated[str, Tag("str")] | Annotated[SubItem, Tag("SubItem")],
    Discriminator(_sub_item_tag),
]


# A power id names its file (powers/<body>/<id>.yaml): it starts with a letter or digit, so that
# "..", ".x" or "-x" can never make a hidden file, a path step or an option (issue 9).
POWER_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"


class Power(Model):
    """One administrative power (one file under powers/)."""

    id: NonEmpty
    """Unique in the catalogue; [A-Za-z0-9._-], 1..64 characters."""
    name: NonEmpty
    """The power's official name (事项名称)."""
    code: NonEmpty | None = None
    """基本编码 (GB/T 39554.1), e.g. "000172001000"; always a string. Several 办理项 of one 主项, and
    one item across bodies, may share it; it then carries one name and one category (D006)."""
    implementation_code: NonEmpty | None = None
    """实施编码: 基本编码-区划代码(12)-000-实施主体编码(18)-N-00; unique in the catalogue (D005)."""
    category: NonEmpty
    """One of the configured categories (default: the ten of the 2015 national guidance)."""
    body: NonEmpty
    """Id of the responsible body in bodies.yaml (实施主体)."""
    handling_unit: NonEmpty | None = None
    """承办机构 / 承办科室 / 内设机构: the unit inside the body that handles it."""
    co_bodies: list[str] = _empty()
    """Bodies that act jointly (联合实施)."""
    levels: list[NonEmpty] = _empty()
    """行使层级, e.g. [市级, 县级] (also on upper-level lists)."""
    status: Status = "active"
    abolished_by: str | None = None
    """Decision id (decisions.yaml) or document number that abolished it."""
    sub_items: list[SubItemEntry] = _empty()
    """Sub-items (子项 / 办理项): names, or mappings {name, code, implementation_code, category, status}."""
    basis: list[Basis] = _empty()
    """设定依据 / 实施依据: at least one for an active power."""
    time_limit: TimeLimit | None = None
    delegated_to: list[str] = _empty()
    """Body ids that exercise it after 下放."""
    responsibilities: list[str] = _empty()
    """责任事项."""
    accountability: list[str] = _empty()
    """追责情形."""
    process: Process | None = None
    """运行流程图: a directed graph of steps."""
    fees: list[Fee] | None = None
    """收费标准 with its basis: absent = not stated; [] = free of charge (不收费)."""
    materials: list[Material] | None = None
    """申请材料: absent = not stated."""
    complaint: Complaint | None = None
    """投诉举报渠道 for this item; absent: the body's."""
    remarks: str | None = None
    """备注, as written in the source."""
    extra: dict[str, str] = _empty(dict)
    """Source columns that have no field of their own (column name -> value), kept by import."""
    waivers: list[Waiver] = _empty()
    """Accepted findings on this entry, each with a reason."""

    def handling_items(self) -> list[SubItem]:
        """Every sub-item as a :class:`SubItem` (a bare name becomes ``SubItem(name=...)``), so a
        check reads one shape whichever form the file uses. Constructed, not validated: a bare name
        was valid as written (even empty, as before) and must not fail here."""
        return [SubItem.model_construct(name=s) if isinstance(s, str) else s for s in self.sub_items]

    def sub_item_names(self) -> list[str]:
        """The sub-items' names, in order (what text writers and name-based checks read)."""
        return [s if isinstance(s, str) else s.name for s in self.sub_items]


class Body(Model):
    """A responsible body (bodies.yaml)."""

    id: NonEmpty
    name: NonEmpty
    level: NonEmpty
    """省级 | 市级 | 县级 | 乡级 (or as configured)."""
    region: str | None = None
    """Administrative division code (GB/T 2260), quoted."""
    uscc: str | None = None
    """Unified social credit code (GB 32100), checksum-checked."""
    org_code: str | None = None
    """Organisation code (组织机构代码, GB 11714: 8 characters and a check character), which older lists
    give instead of a USCC."""
    other_codes: list[str] = _empty()
    """Codes a source gave for the body that are neither (a platform's internal id, a fragment): kept,
    not checked."""
    enforcement: bool | None = None
    """Holds law-enforcement qualification (执法资格)."""
    complaint: Complaint | None = None
    """投诉举报渠道 for the body's items (a power may give its own)."""
    status: Literal["active", "merged", "abolished"] = "active"
    merged_into: str | None = None


class Law(Model):
    """A legal instrument (laws.yaml)."""

    id: NonEmpty
    title: NonEmpty
    level: LawLevel
    status: Literal["in_force", "amended", "repealed"] = "in_force"
    effective: Day | None = None
    repealed_on: Day | None = None
    replaced_by: str | None = None
    """Id or title of the instrument that replaced it."""
    issuer_level: Literal["省级", "设区的市级", "国家级"] | None = None
    """Optional: who issued a 地方政府规章/规范性文件 (a provincial rule may create a temporary licence)."""
    inferred: bool | None = None
    """Set by `powerlist import`: added from a basis title, level inferred from the title (confirm it)."""


class CancelItem(Model):
    name: NonEmpty
    category: str | None = None


class DelegateItem(Model):
    name: NonEmpty
    category: str | None = None
    to_level: str | None = None


class Decision(Model):
    """A cancellation / delegation decision (decisions.yaml)."""

    id: NonEmpty
    title: NonEmpty
    doc_no: str | None = None
    date: Day | None = None
    cancels: list[CancelItem] = _empty()
    delegates: list[DelegateItem] = _empty()


REGISTRY_MODELS: dict[str, type[Model]] = {"bodies": Body, "laws": Law, "decisions": Decision}


def model_in(annotation: Any) -> type[Model] | None:
    """The first model class named anywhere in a field annotation (``list[Step]``, ``Process | None``)."""
    if isinstance(annotation, type) and issubclass(annotation, Model):
        return annotation
    for arg in typing.get_args(annotation):
        found = model_in(arg)
        if found is not None:
            return found
    return None
