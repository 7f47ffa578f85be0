"""B: legal basis (设定依据 / 实施依据).

Every active power needs a basis, and each basis must name an instrument that can be found —
in laws.yaml (by id or title) or in the built-in national/provincial registry — and that is still
in force. Titles compare after dropping 《》 and the 中华人民共和国 prefix. Abolished powers are
history and are not judged here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import cache

from rapidfuzz import fuzz, process

from powerlist import lawdb
from powerlist.catalog import Catalog, Entry, LawRef
from powerlist.checks.base import Finding, check
from powerlist.checks.refs import looks_like_id
from powerlist.diagnostics import Severity
from powerlist.i18n import T, Text
from powerlist.normalize import normalize_title


def _title(ref: LawRef) -> str:
    return f"《{ref.title}》"


def _replacement(cat: Catalog, ref: LawRef) -> Text:
    """", replaced by 《X》" when laws.yaml says what replaced the instrument, else nothing."""
    successor = ref.entry.law.replaced_by if ref.entry is not None else None
    if ref.entry is None and ref.status == "repealed":
        repeal = lawdb.repeal_of(ref.title)  # the built-in repeal table names the replacement
        successor = repeal.replaced_by if repeal is not None else None
    if not successor:
        return T("", "")
    hit = cat.resolve_basis(successor)
    shown = _title(hit) if hit is not None else f"「{successor}」"
    return T(f"，已由{shown}取代", f", replaced by {shown}")


@check(
    "B001", "missing-basis",
    summary=T("有效事项没有设定依据", "An active power has no legal basis"),
    citation=T("职权法定：行政机关的职权须有法律、法规、规章依据（中办发〔2015〕21号）",
               "powers must rest on law (2015 national guidance on power lists, 中办发〔2015〕21号)"),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\nbasis: []\n",
)
def missing_basis(cat: Catalog) -> Iterator[Finding]:
    """A power whose status is not abolished must list at least one ``basis``."""
    for e in cat.active_powers:
        if not e.power.basis:
            key = ("basis",) if e.has_key("basis") else ("name",)
            yield Finding(e, key, T(f"事项「{e.power.name}」没有设定依据", f"'{e.power.name}' has no legal basis"),
                          at="key")


def _refs(cat: Catalog, keep: Callable[[LawRef | None], bool]) -> set[str]:
    """The distinct basis references whose resolution satisfies ``keep``."""
    return {ref for ref, hit in cat.resolved_basis.items() if keep(hit)}


def _citing(cat: Catalog, refs: set[str]) -> Iterator[Entry]:
    """Active powers with a basis among ``refs``; usually ``refs`` is empty and nothing is scanned."""
    if refs:
        for e in cat.active_powers:
            if any(b.law in refs for b in e.power.basis):
                yield e


def _suggester(cat: Catalog) -> Callable[[str], str]:
    """Unknown reference -> the closest laws.yaml id or known title ("" when nothing is close)."""
    ids = list(cat.law_by_id)
    titles = {normalize_title(e.law.title): e.law.title for e in cat.laws}
    for law in lawdb.all_laws():
        if law.source == "national":
            titles.setdefault(normalize_title(law.title), law.title)
    keys = list(titles)

    @cache
    def suggest(ref: str) -> str:
        if looks_like_id(ref):
            close = process.extractOne(ref, ids, scorer=fuzz.ratio, score_cutoff=80)
            return close[0] if close else ""
        close = process.extractOne(normalize_title(ref), keys, scorer=fuzz.ratio, score_cutoff=80)
        return f"《{titles[close[0]]}》" if close else ""

    return suggest


@check(
    "B002", "unknown-instrument", needs=("laws",),
    summary=T("设定依据无从查找", "A basis names an instrument that cannot be found"),
    explanation=T("依据应写 laws.yaml 中的编码或文件标题（《》可省略）；国家法律、行政法规和内置省份的地方性法规"
                  "可直接写标题，其他文件请先登记到 laws.yaml。",
                  "A basis names a laws.yaml id or an instrument title (《》 optional). National laws, "
                  "administrative regulations and the built-in provinces' local regulations resolve by title; "
                  "register anything else in laws.yaml."),
    example="id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\n"
            "basis:\n  - law: 某市取水管理暂行规定   # not in laws.yaml\n",
)
def unknown_instrument(cat: Catalog) -> Iterator[Finding]:
    """Each basis ``law`` must resolve (:meth:`Catalog.resolve_basis`): a laws.yaml id, a laws.yaml
    title, or a title in the built-in registry. The message suggests the closest known id or title."""
    unknown = _refs(cat, lambda hit: hit is None)
    if not unknown:
        return
    suggest = _suggester(cat)
    for e in _citing(cat, unknown):
        for i, b in enumerate(e.power.basis):
            if b.law not in unknown:
                continue
            article = _article_fix(b.law)
            if article is not None:
                yield Finding(e, ("basis", i, "law"), article)
                continue
            hint = suggest(b.law)
            tip = T(f"，是否指 {hint}？", f"; did you mean {hint}?") if hint else T("", "")
            if looks_like_id(b.law):
                msg = T(f"laws.yaml 中没有编码为「{b.law}」的文件{tip.zh}", f"laws.yaml has no id '{b.law}'{tip.en}")
            else:
                msg = T(f"依据「{b.law}」不在 laws.yaml 中，也不在内置法规库中，请登记到 laws.yaml{tip.zh}",
                        f"'{b.law}' is neither in laws.yaml nor in the built-in registry; add it to laws.yaml{tip.en}")
            yield Finding(e, ("basis", i, "law"), msg)


_ARTICLE = re.compile(r"第[一二三四五六七八九十百千零〇两\d]+条(?:第[一二三四五六七八九十百千零〇两\d]+[款项])*")


def _article_fix(law: str) -> Text | None:
    """``law: 《水法》第四十八条``: the article belongs in ``articles:``; say how to write it."""
    first = _ARTICLE.search(law)
    if first is None:
        return None
    title = law[:first.start()].rstrip(" 　,，、") or "《…》"
    listed = ", ".join(_ARTICLE.findall(law))
    return T(f"依据「{law}」把条款写进了 law：条款应写在 articles 中，即 law: {title}，articles: [{listed}]",
             f"'{law}' puts the article into law: the article belongs in articles: "
             f"write law: {title} and articles: [{listed}]")


def _resolved(cat: Catalog, e: Entry) -> list[tuple[int, LawRef | None]]:
    return [(i, cat.resolved_basis[b.law]) for i, b in enumerate(e.power.basis)]


def _repealed(hit: LawRef | None) -> bool:
    return hit is not None and hit.status == "repealed"


@check(
    "B003", "all-basis-repealed",
    summary=T("设定依据已全部废止", "Every basis of an active power is repealed"),
    citation=T("依据废止后，事项应调整或取消（清权确权）", "a power whose basis is repealed must be revised or cancelled"),
    example="# laws.yaml: {id: old-reg, status: repealed, replaced_by: new-reg}\n"
            "id: SL-XK-001\nname: 取水许可\ncategory: 行政许可\nbody: city-water\nbasis:\n  - law: old-reg\n",
)
def all_basis_repealed(cat: Catalog) -> Iterator[Finding]:
    """An active power all of whose basis instruments resolve and are repealed has no legal ground
    left. Reported once, at the first basis; the message lists each instrument and, where laws.yaml
    gives ``replaced_by``, what replaced it. (A basis that does not resolve is B002's; with one in
    the list the power is not judged here.)"""
    for e in _citing(cat, _refs(cat, _repealed)):
        refs = _resolved(cat, e)
        if any(not _repealed(r) for _, r in refs):
            continue
        laws = [r for _, r in refs if r is not None]
        listed = [(_title(r), _replacement(cat, r)) for r in laws]
        yield Finding(e, ("basis", 0, "law"), T(
            f"事项「{e.power.name}」的依据均已废止：" + "；".join(t + rep.zh for t, rep in listed),
            f"every basis of '{e.power.name}' is repealed: " + "; ".join(t + rep.en for t, rep in listed)),
            related=[r.entry for r in laws if r.entry is not None])


@check(
    "B004", "repealed-basis", severity=Severity.WARNING,
    summary=T("援引已废止的文件", "A basis cites a repealed instrument"),
    example="basis:\n  - law: water-law\n  - law: old-reg        # status: repealed in laws.yaml\n",
)
def repealed_basis(cat: Catalog) -> Iterator[Finding]:
    """A repealed instrument cited beside others that still stand: the power keeps a ground, but
    the citation is stale (when all are repealed, B003 reports the power instead)."""
    for e in _citing(cat, _refs(cat, _repealed)):
        refs = _resolved(cat, e)
        repealed = [(i, r) for i, r in refs if r is not None and _repealed(r)]
        if len(repealed) == len(refs):
            continue
        for i, r in repealed:
            rep = _replacement(cat, r)
            yield Finding(e, ("basis", i, "law"), T(f"{_title(r)}已废止{rep.zh}，请更新依据",
                                                    f"{_title(r)} is repealed{rep.en}; update the basis"),
                          related=[r.entry] if r.entry is not None else [])


@check(
    "B005", "amended-basis", severity=Severity.WARNING,
    summary=T("援引的文件已修订，需复核条款", "A basis cites an amended instrument: re-check the articles"),
    example="basis:\n  - law: water-permit-reg   # status: amended in laws.yaml\n    articles: [第二条]\n",
)
def amended_basis(cat: Catalog) -> Iterator[Finding]:
    """An instrument marked ``amended`` in laws.yaml, or superseded by a newer text in the built-in
    registry: the cited articles may have moved or changed."""
    for e in _citing(cat, _refs(cat, lambda hit: hit is not None and hit.status == "amended")):
        for i, r in _resolved(cat, e):
            if r is None or r.status != "amended":
                continue
            if r.entry is not None:
                why = T("laws.yaml 标记为已修订", "marked amended in laws.yaml")
            else:
                why = T("内置法规库显示该文本已被新版本取代", "the built-in registry lists a newer text")
            yield Finding(e, ("basis", i, "law"), T(f"{_title(r)}：{why.zh}，请复核所引条款",
                                                    f"{_title(r)}: {why.en}; re-check the cited articles"),
                          related=[r.entry] if r.entry is not None else [])


DOCUMENT_LEVEL = "规范性文件"
LEVY = "行政征收"


def _judged_by_c006(category: str) -> bool:
    """C006 judges licences, penalties and compulsory powers by their own statutes."""
    return category in ("行政许可", "行政处罚") or category.startswith("行政强制")


def _documents_only(cat: Catalog, e: Entry) -> list[LawRef] | None:
    """``e``'s bases when every one resolves to a 规范性文件, else None."""
    hits = [cat.resolved_basis[b.law] for b in e.power.basis]
    if not hits or any(h is None or h.level != DOCUMENT_LEVEL for h in hits):
        return None
    return [h for h in hits if h is not None]


def _levy_note(category: str) -> Text:
    if category != LEVY:
        return T("", "")
    return T("；税种的设立、税率的确定和税收征收管理等税收基本制度，以及对非国有财产的征收、征用，只能制定法律"
             "（《中华人民共和国立法法》第十一条）",
             "; taxes (creating a tax, setting its rate, collecting it) and taking non-state property are matters "
             "for law alone (Legislation Law, article 11)")


@check(
    "B006", "basis-below-rules", severity=Severity.WARNING,
    summary=T("事项的依据全部低于规章", "Every basis of a power ranks below a rule (normative documents only)"),
    citation=T("职权法定：行政职权须有法律、法规、规章依据（《关于推行地方各级政府工作部门权力清单制度的指导意见》，"
               "中办发〔2015〕21号）；行政征收另见《中华人民共和国立法法》第十一条",
               "powers must rest on laws, regulations or rules (2015 national guidance on power lists, 中办发〔2015〕21号); "
               "for levies also the Legislation Law (《中华人民共和国立法法》), article 11"),
    explanation=T("权力清单中的每项职权都应有法律、法规或规章依据；只以规范性文件为依据的职权应当清理（调整或取消）。"
                  "行政许可、行政处罚和行政强制由 C006 按各自的法律判断；本检查覆盖其他类别（行政征收、行政给付、"
                  "行政检查、行政确认、行政奖励、行政裁决、其他行政权力及自定义类别）。行政征收另按立法法第十一条："
                  "税收基本制度和对非国有财产的征收、征用只能制定法律。国务院决定不按规范性文件计。",
                  "Every power in a power list needs a law, regulation or rule behind it; a power resting only on "
                  "normative documents should be revised or cancelled. Licences, penalties and compulsory powers are "
                  "C006's, judged by their own statutes; this check covers every other category (levies, benefits, "
                  "inspections, confirmations, awards, rulings, other powers and configured categories). For levies, "
                  "the Legislation Law (article 11) reserves taxes and taking non-state property to law. A State "
                  "Council decision does not count as a normative document here."),
    example="# laws.yaml: {id: city-doc, title: 某市人民政府关于加强某某管理的通知, level: 规范性文件}\n"
            "id: SC-JC-009\nname: 对某某经营活动的监督检查\ncategory: 行政检查\nbody: city-market\n"
            "basis:\n  - law: city-doc\n",
)
def basis_below_rules(cat: Catalog) -> Iterator[Finding]:
    """An active power outside 行政许可, 行政处罚 and 行政强制 (C006 judges those) whose every basis
    resolves to an instrument of level 规范性文件. One 法律, 法规, 规章 or 国务院决定 among the bases
    passes; a basis that resolves nowhere leaves the power to B002. For 行政征收 the message adds
    立法法 第十一条."""
    for e in _citing(cat, _refs(cat, lambda hit: hit is not None and hit.level == DOCUMENT_LEVEL)):
        category = e.power.category
        docs = None if _judged_by_c006(category) else _documents_only(cat, e)
        if docs is None:
            continue
        note = _levy_note(category)
        yield Finding(e, ("basis",), T(
            f"{category}「{e.power.name}」的依据只有规范性文件{'、'.join(_title(d) for d in docs)}，"
            f"没有法律、法规或规章依据（职权法定）{note.zh}",
            f"「{category}」 '{e.power.name}' rests only on the normative document(s) "
            f"{', '.join(_title(d) for d in docs)}, with no law, regulation or rule behind it{note.en}"),
            related=[d.entry for d in docs if d.entry is not None], at="key")
