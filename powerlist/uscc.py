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
    kind: str  # length | charset | checksum
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
