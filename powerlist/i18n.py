"""Bilingual text: every message a legal officer reads exists in Chinese and English."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal

Lang = Literal["zh", "en"]
_current: list[Lang] = []


@dataclass(frozen=True, slots=True)
class Text:
    """A message in both languages; rendered with :func:`tr` in the chosen one."""

    zh: str
    en: str

    def get(self, lang: Lang | None = None) -> str:
        return self.zh if (lang or current_lang()) == "zh" else self.en

    def __str__(self) -> str:
        return self.get()


def T(zh: str, en: str) -> Text:
    return Text(zh, en)


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
