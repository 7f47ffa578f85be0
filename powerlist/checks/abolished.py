"""A: abolished items — what the State Council (or a local government) cancelled must not still be
listed as exercised, and every cancellation a catalogue records must point at a known decision.

Cancellations come from decisions.yaml (``cancels``: a name and, optionally, a category). A power
matches an item when the normalised names are equal (traditional/simplified and width folded) and,
if the item gives a category, the categories are equal — exact names only, so a penalty named
未取得取水许可擅自取水的处罚 is never taken for the licence 取水许可.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from powerlist.catalog import Catalog, Entry
from powerlist.checks.base import Finding, check
from powerlist.checks.refs import decision_items, looks_like_id
from powerlist.diagnostics import Severity
from powerlist.i18n import T, Text, value_zh
from powerlist.normalize import normalize_name

# 国发〔2017〕46号, 国发[2017]46号, 浙政发（2019）3号 ...
_DOC_NO = re.compile(r"[〔\[［(（]\s*\d{4}\s*[〕\]］)）]\s*第?\s*\d+\s*号")


def _doc(d: Entry) -> str:
    """《title》（doc_no）: how a legal officer cites the decision."""
    dec = d.decision
    return f"《{dec.title}》（{dec.doc_no}）" if dec.doc_no else f"《{dec.title}》"


def find_decision(cat: Catalog, ref: str) -> Entry | None:
    """The decision an ``abolished_by`` value names: by id, else by document number."""
    return cat.decision_by_id.get(ref) or cat.decision_by_doc_no.get(normalize_name(ref))


@check(
    "A001", "cancelled-still-listed", needs=("decisions",),
    summary=T("已取消的事项仍列为有效", "A cancelled power is still listed as active"),
    citation=T("国务院取消行政许可等事项的决定，如《国务院关于取消一批行政许可事项的决定》（国发〔2017〕46号）；"
               "已取消事项不得继续实施",
               "State Council decisions cancelling licences and other items, e.g. 《国务院关于取消一批行政许可事项的决定》"
               "(国发〔2017〕46号): a cancelled item may not be exercised"),
    example="# decisions.yaml: gf-2017-46 cancels {name: 拍卖特种行业许可, category: 行政许可}\n"
            "id: GA-XK-007\nname: 拍卖特种行业许可\ncategory: 行政许可\nbody: city-police\nstatus: active\n",
)
def cancelled_still_listed(cat: Catalog) -> Iterator[Finding]:
    """A power whose status is not abolished and whose normalised name (and category, when the
    decision item gives one) matches an item a decision ``cancels``. The message cites the
    decision's title and document number."""
    for e in cat.active_powers:
        for d, _ in decision_items(cat.cancellations_by_name, e):
            yield Finding(e, ("name",), T(
                f"「{e.power.name}」已由{_doc(d)}取消，仍列为{value_zh(e.power.status)}；应改为 status: {value_zh('abolished')}，"
                f"abolished_by: {d.id}",
                f"'{e.power.name}' was cancelled by {_doc(d)} but is still {e.power.status}; set status: abolished, "
                f"abolished_by: {d.id}"), related=[d])


def _unknown_message(ref: str, by_title: dict[str, Entry]) -> Text:
    titled = by_title.get(normalize_name(ref))
    if titled is not None:
        return T(f"「{ref}」是决定标题，请写其编码 {titled.id}", f"'{ref}' is a decision title; write its id {titled.id}")
    if _DOC_NO.search(ref):
        return T(f"文号「{ref}」不是 decisions.yaml 中任何决定的文号，请登记该决定（含 cancels）",
                 f"no decision in decisions.yaml has document number '{ref}'; register the decision (with its cancels)")
    if looks_like_id(ref):
        return T(f"decisions.yaml 中没有编码为「{ref}」的决定", f"decisions.yaml has no decision with id '{ref}'")
    return T(f"「{ref}」既不是决定编码，也不是已登记决定的文号",
             f"'{ref}' is neither a decision id nor the document number of a registered decision")


@check(
    "A002", "unknown-decision", needs=("decisions",),
    summary=T("abolished_by 指向的决定无从查找", "abolished_by names an unknown decision"),
    explanation=T("abolished_by 写 decisions.yaml 中决定的编码，或其文号（如 国发〔2017〕46号，括号写法不限）。",
                  "abolished_by holds a decision id from decisions.yaml, or that decision's document number "
                  "(e.g. 国发〔2017〕46号; any bracket style)."),
    example="id: GA-XK-007\nname: 拍卖特种行业许可\ncategory: 行政许可\nbody: city-police\n"
            "status: abolished\nabolished_by: gf-2017-64     # no such decision\n",
)
def unknown_decision(cat: Catalog) -> Iterator[Finding]:
    """A power's ``abolished_by`` must be a decision id, or the ``doc_no`` of a decision (compared
    after normalisation, so 国发〔2017〕46号 = 国发[2017]46号). The message says whether the value
    looks like an id, a document number, or a decision title."""
    by_title = {normalize_name(d.decision.title): d for d in cat.decisions}
    for e in cat.powers:
        ref = e.power.abolished_by
        if ref and find_decision(cat, ref) is None:
            yield Finding(e, ("abolished_by",), _unknown_message(ref, by_title))


@check(
    "A003", "abolished-by-but-active",
    summary=T("写明了取消决定，状态却仍有效", "abolished_by is set but the power is not abolished"),
    example="id: GA-XK-007\nname: 拍卖特种行业许可\ncategory: 行政许可\nbody: city-police\n"
            "status: active\nabolished_by: gf-2017-46\n",
)
def abolished_by_but_active(cat: Catalog) -> Iterator[Finding]:
    """``abolished_by`` on a power whose status is active or suspended: either the power was
    cancelled and is still listed, or the field is wrong. One of the two must change."""
    for e in cat.active_powers:
        ref = e.power.abolished_by
        if ref:
            d = find_decision(cat, ref)
            yield Finding(e, ("status",) if e.has_key("status") else ("abolished_by",), T(
                f"「{e.power.name}」写明由「{ref}」取消，状态却为{value_zh(e.power.status)}",
                f"'{e.power.name}' says it was abolished by '{ref}' but its status is {e.power.status}"),
                related=[d] if d is not None else [])


@check(
    "A004", "abolished-without-decision", severity=Severity.WARNING,
    summary=T("已取消事项没有写明取消依据", "An abolished power does not say which decision abolished it"),
    example="id: GA-XK-007\nname: 拍卖特种行业许可\ncategory: 行政许可\nbody: city-police\nstatus: abolished\n",
)
def abolished_without_decision(cat: Catalog) -> Iterator[Finding]:
    """A power with status abolished and no ``abolished_by``: the cancellation cannot be traced to
    a decision (the audit trail of 清权确权)."""
    for e in cat.powers:
        if e.power.status == "abolished" and not e.power.abolished_by:
            yield Finding(e, ("status",), T(f"「{e.power.name}」已取消，但未写 abolished_by（取消决定）",
                                            f"'{e.power.name}' is abolished but abolished_by (the decision) is missing"))
