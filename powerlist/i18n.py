"""Bilingual text: every message a legal officer reads exists in Chinese and English."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
_current: list[Lang] = []


@dataclass(frozen=True, slots=True)
class Text:
    """A message in both languages; rendered with :func:`tr` in the chosen one."""

    zh: str
    en: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "zh", clean_zh(self.zh))

    def get(self, lang: Lang | None = None) -> str:
        return self.zh if (lang or current_lang()) == "zh" else self.en

    def __str__(self) -> str:
        return self.get()


def T(zh: str, en: str) -> Text:
    return Text(zh, en)


# Chinese text is set without spaces: messages assembled from parts (a value, a label, a number and
# its unit) leave ASCII spaces that read as gaps, e.g. "（临川市水务局） 实施", "10 个工作日 长于".
_FULL = "，。；：、！？（）「」《》【】"
_CJK = "\u3400-\u4dbf\u4e00-\u9fff"
_MEASURE = "个项日天年月条次件元位倍周人家处所份款"
_GAPS = re.compile(
    f"[ ]+(?=[{_FULL}])|(?<=[{_FULL}])[ ]+"  # beside full-width punctuation
    f"|(?<=[{_CJK}])[ ]+(?=[{_CJK}])"  # between two Chinese characters
    f"|(?<=[{_CJK}])[ ]+(?=\\d)"  # 时限 20 -> 时限20
    f"|(?<=\\d)[ ]+(?=[{_MEASURE}])"  # 20 个工作日 -> 20个工作日
)


def clean_zh(text: str) -> str:
    """``text`` without the ASCII spaces Chinese typesetting does not have (next to full-width
    punctuation, between Chinese characters, between a number and its measure word). Every
    :class:`Text` applies it to its Chinese side, so no message needs to remember it."""
    return _GAPS.sub("", text) if " " in text else text


def lang_from_env(environ: dict[str, str] | None = None) -> Lang:
    """zh for zh_* locales (LC_ALL, LC_MESSAGES, LANG, LANGUAGE in POSIX order), else en."""
    env = os.environ if environ is None else environ
    override = env.get("POWERLIST_LANG", "").strip().lower()
    if override in ("zh", "en"):
        return override  # type: ignore[return-value]
    for var in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = env.get(var, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def set_lang(lang: Lang | None) -> None:
    _current[:] = [lang] if lang else []


def current_lang() -> Lang:
    return _current[0] if _current else lang_from_env()


def tr(text: Text | str, lang: Lang | None = None) -> str:
    return text if isinstance(text, str) else text.get(lang)


# The laws messages cite most, by a short key: (full Chinese title, English name). A message cites
# "《中华人民共和国行政许可法》第四十二条", never "许可法第四十二条" (issue 14).
LAW_TITLES: dict[str, tuple[str, str]] = {
    "licensing": ("中华人民共和国行政许可法", "Administrative Licensing Law"),
    "penalty": ("中华人民共和国行政处罚法", "Administrative Penalty Law"),
    "compulsion": ("中华人民共和国行政强制法", "Administrative Compulsion Law"),
    "legislation": ("中华人民共和国立法法", "Legislation Law"),
}


def cite(law: str, article_zh: str, article_en: str) -> Text:
    """A law and an article as a message cites them: ``《中华人民共和国行政许可法》第四十二条`` /
    ``Administrative Licensing Law, article 42``. ``law`` is a key of :data:`LAW_TITLES`."""
    zh, en = LAW_TITLES[law]
    return Text(f"《{zh}》{article_zh}", f"{en}, {article_en}")


# Canonical values of the format as a Chinese message shows them (the loader accepts these names as
# aliases too: powerlist.catalog.aliases). Booleans are 是/否.
VALUE_ZH: dict[str, str] = {
    "active": "有效", "suspended": "暂停", "abolished": "已取消", "merged": "已合并",
    "in_force": "现行有效", "amended": "已修改", "repealed": "已废止",
    "working_days": "工作日", "calendar_days": "日历日", "months": "个月",
}


def number(x: float) -> str:
    """20.0 -> 20, 1.5 -> 1.5: a limit as people write it."""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def duration(x: float, unit: str) -> Text:
    """A time limit in its unit (``time_limit.unit``): 20 个工作日 / 20 working days, 日, 个月."""
    if unit == "months":
        return T(f"{number(x)} 个月", f"{number(x)} months")
    calendar = unit == "calendar_days"
    return T(f"{number(x)} 日" if calendar else f"{number(x)} 个工作日",
             f"{number(x)} calendar days" if calendar else f"{number(x)} working days")


# 避头尾 (GB/T 15834 and the W3C's Chinese layout requirements): these never start a line ...
NO_LINE_START = frozenset("，。、；：？！）」』》〉】〕〗〙｝］’”…—～·‧,.;:?!)]}%‰℃、｡､")
# ... and these never end one. One pair of sets for every place that breaks Chinese text into lines.
NO_LINE_END = frozenset("（「『《〈【〔〖〘｛［‘“([{")


def value_zh(value: object) -> str:
    """A catalogue value for a Chinese message: ``active`` -> 有效, ``False`` -> 否; others as written."""
    if isinstance(value, bool):
        return "是" if value else "否"
    return VALUE_ZH.get(str(value), str(value)) if value is not None else "未填写"
