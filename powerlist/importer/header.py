"""Which row is the header and which column is which field: headers offices use, by synonym.

A ``--mapping FILE.toml`` adds or overrides synonyms::

    [columns]
    "Name" = "name"          # header text as written -> field (see FIELDS)
    "内部备注" = "ignore"     # leave a column out (it is listed in the report)
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from powerlist.importer import ImportFailure

# field -> (what it becomes, header texts seen in real lists). Order matters only for the docs.
FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "seq": ("序号 (not kept: gaps are normal)", ("序号", "编号")),
    "name": ("name (主项)", ("事项名称", "权责事项名称", "权力事项名称", "职权名称", "主项名称", "权力名称",
                            "职权事项名称", "项目名称", "主项")),
    "sub_name": ("sub_items[].name (子项 / 办理项)", ("子项名称", "子项", "实施事项", "办理项", "办理项名称",
                                                   "业务办理项", "业务办理项名称", "子项事项名称")),
    "category": ("category", ("职权类型", "职权类别", "权力类型", "权力类别", "事项类型", "权责类型", "事项类别",
                              "权责类别")),
    "code": ("code (基本编码)", ("职权编码", "事项编码", "基本编码", "权力编码", "主项编码")),
    "implementation_code": ("implementation_code (实施编码)", ("实施编码",)),
    # 事项编码 / 职权编码 beside a 基本编码 column: the list's own numbering, kept as the power's id
    "own_id": ("id (事项编码 when a 基本编码 column holds the code)", ()),
    "sub_code": ("sub_items[].code (业务办理项编码)", ("业务办理项编码", "子项编码", "办理项编码")),
    "body": ("body (bodies.yaml name)", ("实施主体", "行使主体", "责任主体", "法定主体", "部门", "实施部门",
                                         "实施机关", "实施主体名称", "责任单位")),
    "body_code": ("bodies.yaml uscc", ("实施主体编码", "统一社会信用代码", "实施主体代码")),
    "handling_unit": ("handling_unit", ("承办机构", "承办科室", "内设机构", "承办处室")),
    "basis": ("basis", ("设定依据", "实施依据", "法律依据", "法定依据", "具体条款", "设定和实施依据", "依据")),
    "levels": ("levels", ("行使层级", "实施层级及权限", "实施层级", "行使层级及权限")),
    "statutory": ("time_limit.statutory", ("法定办结时限", "法定时限", "法定期限")),
    "promised": ("time_limit.promised", ("承诺办结时限", "承诺时限", "承诺期限")),
    "time_text": ("time_limit (法定/承诺 in one cell)", ("办理时限", "办结时限", "时限")),
    "responsibilities": ("responsibilities", ("责任事项", "责任事项内容")),
    "accountability": ("accountability", ("追责情形", "追责对象范围", "问责情形", "追责情形及依据")),
    "remarks": ("remarks (and status: 已取消 / 暂停)", ("备注",)),
    "region": ("checked against the catalogue region", ("区划代码", "行政区划代码")),
    "co_bodies": ("co_bodies", ("联合实施主体", "共同实施主体")),
    "delegated": ("remarks (下放情况)", ("下放情况", "下放层级")),
    "status": ("status", ("状态", "事项状态")),
    "fees": ("fees[].name/standard (收费标准; 不收费 -> fees: [])", ("收费标准", "收费项目及标准", "收费项目和标准")),
    "fee_basis": ("fees[].basis (收费依据)", ("收费依据",)),
    "charged": ("fees: [] when 否 / 不收费 (是否收费)", ("是否收费",)),
    "materials": ("materials (申请材料, one per line or ；)", ("申请材料", "申请材料目录", "申报材料")),
    "complaint_phone": ("complaint.phone", ("投诉电话", "监督电话", "监督投诉电话", "投诉举报电话")),
    "complaint_address": ("complaint.address", ("投诉地址", "监督投诉地址")),
    "ignore": ("left out", ()),
}
# Fields one power may draw from several columns (设定依据 and 实施依据 side by side).
MULTI = frozenset({"basis", "ignore"})
_DROP = re.compile(r"[\s*＊:：]|（必填）|\(必填\)")
_HEADER_SCAN = 30  # title, 填报单位 and 更新日期 rows come first; a header lower than this is not one


def normal(text: str) -> str:
    return _DROP.sub("", text).replace("(", "（").replace(")", "）")


@dataclass
class Column:
    index: int
    header: str
    field: str | None  # None: no field of its own, kept in ``extra``
    note: str = ""


def load_mapping(path: Path | None) -> dict[str, str]:
    """--mapping FILE.toml -> normalised header text -> field."""
    if path is None:
        return {}
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ImportFailure(f"{path}: cannot read the mapping ({exc})") from None
    cols = doc.get("columns", {})
    if not isinstance(cols, dict) or set(doc) - {"columns"}:
        raise ImportFailure(f"{path}: the mapping holds one table, [columns], of \"header\" = \"field\"")
    bad = sorted(f"{k} = {v}" for k, v in cols.items() if v not in FIELDS)
    if bad:
        raise ImportFailure(f"{path}: unknown field(s): {', '.join(bad)}", "fields: " + ", ".join(FIELDS))
    return {normal(k): v for k, v in cols.items()}


def _synonyms(mapping: dict[str, str]) -> list[tuple[str, str]]:
    pairs = [(normal(s), f) for f, (_, names) in FIELDS.items() for s in names]
    pairs += list(mapping.items())
    return sorted(pairs, key=lambda p: -len(p[0]))  # the longest synonym first: 实施主体编码 before 实施主体


def field_of(header: str, mapping: dict[str, str], synonyms: list[tuple[str, str]]) -> str | None:
    key = normal(header)
    if not key:
        return None
    if key in mapping:
        return mapping[key]
    for syn, fld in synonyms:
        if key == syn:
            return fld
    for syn, fld in synonyms:  # 事项名称（主项）, 法定办结时限（工作日）
        if len(syn) >= 2 and key.startswith(syn):
            return fld
    return None


def find_header(cells: list[list[str]], mapping: dict[str, str]) -> tuple[int, list[Column]] | None:
    """(row index, columns) of the first row within the first rows that names a power and two fields."""
    synonyms = _synonyms(mapping)
    best: tuple[int, int] | None = None
    for r, row in enumerate(cells[:_HEADER_SCAN]):
        fields = {field_of(c, mapping, synonyms) for c in row if c}
        fields.discard(None)
        if ("name" in fields or "sub_name" in fields) and len(fields) >= 2 and (best is None or len(fields) > best[1]):
            best = (r, len(fields))
    if best is None:
        return None
    return best[0], columns(cells[best[0]], mapping, synonyms)


def columns(row: list[str], mapping: dict[str, str], synonyms: list[tuple[str, str]]) -> list[Column]:
    out: list[Column] = []
    taken: set[str] = set()
    # A list with a 基本编码 column uses 事项编码 / 职权编码 for its own numbering (powerlist's export
    # puts the id there): the 基本编码 column is the code, wherever it stands.
    basic = any(normal(h) == "基本编码" and field_of(h, mapping, synonyms) == "code" for h in row)
    for i, header in enumerate(row):
        fld = field_of(header, mapping, synonyms)
        if basic and fld == "code" and normal(header) != "基本编码":
            fld = "own_id" if "own_id" not in taken else None
            if fld is None:
                out.append(Column(i, header, None, "second numbering column: kept in extra"))
                continue
        if fld is not None and fld in taken and fld not in MULTI:
            out.append(Column(i, header, None, f"second column for {fld}: kept in extra"))
            continue
        if fld is not None:
            taken.add(fld)
        out.append(Column(i, header, fld))
    if "name" not in taken and "sub_name" in taken:
        # A list of single items whose only name column is 实施事项/办理项: that name is the power's.
        for col in out:
            if col.field == "sub_name":
                col.field = "name"
                col.note = "the only name column: taken as the power's name"
    return out
