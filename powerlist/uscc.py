"""Unified social credit code (统一社会信用代码), GB 32100-2015.

18 characters from 31 symbols (0-9 and A-Y without I, O, S, V, Z). Position 1 is the registering
authority, 2 the kind of organisation (``11``: a government organ), 3-8 the administrative
division (GB/T 2260), 9-17 the organisation code, 18 a check character over the first 17.
"""

from __future__ import annotations

from dataclasses import dataclass

from powerlist.i18n import T, Text

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
LENGTH = 18
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


@dataclass(frozen=True, slots=True)
class UsccProblem:
    kind: str  # length | charset | checksum | authority | kind
    message: Text


def check_char(first17: str) -> str:
    """The 18th character for the first 17 (which must already be valid symbols)."""
    total = sum(_VALUE[ch] * w for ch, w in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def problem(code: str) -> UsccProblem | None:
    """What is wrong with ``code``, or None when it is a well-formed code with the right check character."""
    if len(code) != LENGTH:
        return UsccProblem("length", T(f"应为 18 位，实为 {len(code)} 位", f"must be 18 characters, not {len(code)}"))
    bad = sorted({ch for ch in code if ch not in _VALUE})
    if bad:
        shown = " ".join(repr(ch) for ch in bad)
        hint = T("（字母须大写）", " (letters must be upper case)") if any(ch.upper() in _VALUE for ch in bad) else T("", "")
        return UsccProblem("charset", T(
            f"含不允许的字符 {shown}（只能用 0-9 和除 I、O、S、V、Z 以外的大写字母）{hint.zh}",
            f"contains {shown}, outside 0-9 and A-Y without I, O, S, V, Z{hint.en}"))
    want = check_char(code[:17])
    if code[17] != want:
        return UsccProblem("checksum", T(f"校验位应为 {want}，实为 {code[17]}",
                                         f"check character should be {want}, not {code[17]}"))
    return None


def is_valid(code: str) -> bool:
    return problem(code) is None


# GB 32100-2015 表1 (with the later additions A and N): 登记管理部门代码 (1st character) -> its name
# and the 机构类别代码 (2nd character) valid for it.
AUTHORITIES: dict[str, tuple[Text, str]] = {
    "1": (T("机构编制", "establishment authorities"), "1239"),   # 机关 事业单位 群众团体 其他
    "2": (T("外交", "foreign affairs"), "19"),                          # 外国常驻新闻机构 其他
    # 律师执业机构 公证处 基层法律服务所 司法鉴定机构 仲裁委员会 其他
    "3": (T("司法行政", "justice administration"), "123459"),
    "4": (T("文化", "culture"), "19"),                                  # 外国在华文化中心 其他
    "5": (T("民政", "civil affairs"), "1239"),                          # 社会团体 民办非企业单位 基金会 其他
    "6": (T("旅游", "tourism"), "129"),                                 # 外国/港澳台旅游部门常驻代表机构 其他
    "7": (T("宗教", "religious affairs"), "129"),                       # 宗教活动场所 宗教院校 其他
    "8": (T("工会", "trade unions"), "19"),                             # 基层工会 其他
    "9": (T("工商", "industry and commerce"), "123"),                   # 企业 个体工商户 农民专业合作社
    "A": (T("中央军委改革和编制办公室", "the CMC reform and establishment office"), "19"),  # 军队事业单位 其他
    "N": (T("农业", "agriculture"), "1239"),                            # 组级 村级 乡镇级集体经济组织 其他
    "Y": (T("其他", "others"), "1"),
}


def authority_problem(code: str) -> UsccProblem | None:
    """What is wrong with the 1st (登记管理部门) or 2nd (机构类别) character of an 18-character code
    written in the right alphabet; None when both are valid (or the code is malformed otherwise:
    :func:`problem` reports that)."""
    if len(code) != LENGTH or any(ch not in _VALUE for ch in code):
        return None
    first, second = code[0], code[1]
    if first not in AUTHORITIES:
        known = "、".join(AUTHORITIES)
        return UsccProblem("authority", T(
            f"第 1 位（登记管理部门代码）「{first}」不存在，应为 {known} 之一",
            f"has no registering authority '{first}' in position 1 (one of {', '.join(AUTHORITIES)})"))
    name, kinds = AUTHORITIES[first]
    if second not in kinds:
        return UsccProblem("kind", T(
            f"第 2 位（机构类别代码）「{second}」对登记管理部门「{first}」（{name.zh}）无效，应为 {'、'.join(kinds)} 之一",
            f"has organisation kind '{second}' in position 2, invalid for registering authority '{first}' "
            f"({name.en}): one of {', '.join(kinds)}"))
    return None
