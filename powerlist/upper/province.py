"""Which province a catalogue, or an instrument, belongs to: a local list may add a licence only
on its own province's 地方性法规 or provincial 地方政府规章 (行政许可法 第十五条), so the U001
exception needs both sides' province.

A catalogue's province comes from powerlist.toml ``region`` (a division code: its first two digits;
or a name: 江南省临川市 gives 江南省), else from its bodies' division codes (the most common first
two digits). A name is known for the real provinces from their GB/T 2260 code.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from powerlist import lawdb
from powerlist.catalog import Catalog, LawRef

# GB/T 2260 provincial codes (first two digits) of the real provinces.
_CODES: dict[str, str] = {
    "11": "北京", "12": "天津", "13": "河北", "14": "山西", "15": "内蒙古", "21": "辽宁", "22": "吉林",
    "23": "黑龙江", "31": "上海", "32": "江苏", "33": "浙江", "34": "安徽", "35": "福建", "36": "江西",
    "37": "山东", "41": "河南", "42": "湖北", "43": "湖南", "44": "广东", "45": "广西", "46": "海南",
    "50": "重庆", "51": "四川", "52": "贵州", "53": "云南", "54": "西藏", "61": "陕西", "62": "甘肃",
    "63": "青海", "64": "宁夏", "65": "新疆", "71": "台湾", "81": "香港", "82": "澳门",
}
_FULL = dict(lawdb.PROVINCES)
# A name that is not a real province (a fictional or newly renamed one) still reads as one up to
# its 省 / 自治区 suffix: 江南省临川市 -> 江南省.
_NAMED = re.compile(r"^(?P<name>[\u4e00-\u9fff]{2,8}?(?:省|自治区|特别行政区))")
LOCAL_LEVELS = ("地方性法规", "地方政府规章")


@dataclass(frozen=True, slots=True)
class Province:
    code: str | None  # first two digits of the division code
    name: str | None  # full name, 江南省

    @property
    def known(self) -> bool:
        return self.name is not None


def name_in(text: str) -> str | None:
    """The full province name a title or region name starts with (浙江省…, 江南省…), or None."""
    head = text.strip().lstrip("《")
    short = lawdb.province_of(head)
    if short is not None:
        return _FULL[short]
    m = _NAMED.match(head)
    return m["name"] if m else None


def of_catalog(cat: Catalog) -> Province:
    region = (cat.settings.region or "").strip()
    code: str | None = region[:2] if region[:2].isdigit() and len(region) >= 2 else None
    name = name_in(region) if region and code is None else None
    if code is None:
        counts = Counter(b.body.region[:2] for b in cat.bodies
                         if b.body.region and b.body.region[:2].isdigit() and b.body.status == "active")
        code = counts.most_common(1)[0][0] if counts else None
    if name is None and code is not None and code in _CODES:
        name = _FULL[_CODES[code]]
    return Province(code, name)


def is_own_local_instrument(ref: LawRef, province: Province) -> bool:
    """A 地方性法规 or provincial 地方政府规章 of ``province``: what a local licence may rest on
    when the upper list does not carry it. An unknown province accepts any such instrument (we
    cannot tell, and a false alarm here would send a legal officer after a lawful item)."""
    if ref.level not in LOCAL_LEVELS:
        return False
    law = ref.entry.law if ref.entry is not None else None
    if ref.level == "地方政府规章" and law is not None and law.issuer_level not in (None, "省级"):
        return False  # a districted city's rule creates no licence (许可法 第十五条)
    if province.name is None:
        return True
    if ref.source not in ("catalog", "national"):
        return _FULL.get(ref.source) == province.name
    return name_in(ref.title) == province.name
