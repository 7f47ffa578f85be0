"""The real 广安区 service list (tests/data/real/guangan-zwfw) laid out as a catalogue: one power per
sub-item (name, category from taskType, body from department; the list has no basis, time limits or
process, so the B and P families are not run). The real defects must be found and the false alarms
of issue 12 must not return."""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

from powerlist.api import check, settings_for
from powerlist.diagnostics import Diagnostic

SOURCE = Path(__file__).parent / "data" / "real" / "guangan-zwfw" / "bszl-data.js"
TASK_TYPES = {"1": "行政许可", "20": "公共服务", "10": "其他行政权力", "7": "行政确认",
              "5": "行政给付", "9": "行政裁决", "8": "行政奖励"}
# Families the source can support: no basis (B), no process (P), no decisions (A).
SELECT = ["S", "R", "D", "J", "C"]
_ENTITY = re.compile(r"-\d{12}-000-([0-9A-Za-z]+)-")


def _items() -> list[dict[str, object]]:
    text = SOURCE.read_text(encoding="utf-8")
    data: list[dict[str, object]] = json.loads(text[text.index("["): text.rindex("]") + 1])
    return data


def _uscc(dept_code: str, entity_codes: Counter[str]) -> str:
    """The body's 统一社会信用代码 as the list gives it: ``deptCode`` when it is one (17-18
    characters: a truncated code stays truncated), else the most frequent 18-character 实施主体编码."""
    if len(dept_code) in (17, 18) and dept_code.isalnum():
        return dept_code
    full = [(n, c) for c, n in entity_codes.items() if len(c) == 18]
    return max(full)[1] if full else ""


def _q(s: str) -> str:
    return json.dumps(s, ensure_ascii=False)


def build_catalog(root: Path) -> int:
    """Write the catalogue under ``root``; return the number of powers written."""
    (root / "powers").mkdir(parents=True)
    bodies: list[str] = []
    n = 0
    for d_i, dept in enumerate(_items(), 1):
        body = f"b{d_i:02d}"
        codes: Counter[str] = Counter()
        dept_codes: Counter[str] = Counter()
        for group in dept["items"]:  # type: ignore[attr-defined]
            for sub in group["sub_items"]:
                n += 1
                q = parse_qs(urlparse(sub["link"]).query)
                item_code = q.get("itemCode", [""])[0]
                m = _ENTITY.search(item_code)
                if m:
                    codes[m.group(1)] += 1
                dept_codes[q.get("deptCode", [""])[0]] += 1
                category = TASK_TYPES[q.get("taskType", ["10"])[0]]
                (root / "powers" / f"R-{n:04d}.yaml").write_text(
                    f"id: R-{n:04d}\nname: {_q(sub['name'])}\ncategory: {category}\nbody: {body}\n", encoding="utf-8")
        uscc = _uscc(dept_codes.most_common(1)[0][0], codes)
        bodies.append(f"- id: {body}\n  name: {_q(str(dept['department']))}\n  level: 县级\n  region: \"511602\"\n"
                      f"  uscc: {_q(uscc) if uscc else 'null'}\n  enforcement: true\n")
    (root / "bodies.yaml").write_text("".join(bodies), encoding="utf-8")
    (root / "laws.yaml").write_text("[]\n", encoding="utf-8")
    return n


def run_real(root: Path) -> list[Diagnostic]:
    build_catalog(root)
    settings = settings_for(root, select=SELECT)
    result = check(root, settings, as_of=date(2026, 1, 1)).result
    assert not result.crashed, result.crashed
    return result.diagnostics


def _names(diags: list[Diagnostic], code: str, root: Path) -> set[str]:
    return {_name(root, d.path) for d in diags if d.code == code}


def _name(root: Path, path: str) -> str:
    line = (root / path).read_text(encoding="utf-8").splitlines()[1]
    return str(json.loads(line.removeprefix("name: ")))


@pytest.fixture(scope="module")
def real_root(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Diagnostic]]:
    root = tmp_path_factory.mktemp("real") / "cat"
    return root, run_real(root)


def test_the_two_duplicate_names_are_found(real_root: tuple[Path, list[Diagnostic]]) -> None:
    root, diags = real_root
    assert _names(diags, "D002", root) == {"求职创业补贴申领", "城市建筑物、设施上张挂、张贴宣传品审批"}


def test_the_two_truncated_credit_codes_are_found(real_root: tuple[Path, list[Diagnostic]]) -> None:
    _, diags = real_root
    short = {d.message.en.split("'")[1] for d in diags if d.code == "R004" and "not 17" in d.message.en}
    assert short == {"1151130000877869M", "1151130108778239R"}


def test_public_services_raise_nothing_as_powers(real_root: tuple[Path, list[Diagnostic]]) -> None:
    _, diags = real_root
    codes = Counter(d.code for d in diags)
    assert codes["S014"] == 0  # 348 before issue 12: 公共服务 was an unknown category
    assert codes["C012"] == 0  # 48 before: every one already categorised 公共服务
    assert codes["R002"] == 0


SIBLINGS = [
    ("巡游出租汽车经营许可", "巡游出租汽车经营许可注销"),
    ("烟草专卖零售许可证停业", "烟草专卖零售许可证歇业"),
    ("烟草专卖零售许可证新办", "烟草专卖零售许可证补办"),
    ("采矿权人名称变更登记", "探矿权人名称变更登记"),
    ("拖拉机/联合收割机驾驶证转出", "拖拉机/联合收割机驾驶证转入"),
    ("居民身份证跨省异地办理", "居民身份证省内异地办理"),
    ("公司设立登记", "分公司设立登记"),
    ("食品(含保健食品)经营许可核发", "食品(含保健食品)经营许可换发"),
]


@pytest.mark.parametrize(("a", "b"), SIBLINGS)
def test_sibling_items_are_not_near_duplicates(real_root: tuple[Path, list[Diagnostic]], a: str, b: str) -> None:
    root, diags = real_root
    names = {_name(root, d.path) for d in diags if d.code == "D003"}
    names |= {_name(root, r.path) for d in diags if d.code == "D003" for r in d.related}
    assert not {a, b} <= names
    assert {a, b} <= {json.loads(p.read_text(encoding="utf-8").splitlines()[1].removeprefix("name: "))
                      for p in (root / "powers").iterdir()}  # the pair is really in the list


def test_near_duplicates_fall_from_38_to_a_few(real_root: tuple[Path, list[Diagnostic]]) -> None:
    _, diags = real_root
    assert sum(d.code == "D003" for d in diags) <= 3


def test_licence_category_findings(real_root: tuple[Path, list[Diagnostic]]) -> None:
    root, diags = real_root
    flagged = _names(diags, "C011", root)
    assert "拖拉机\\联合收割机检验合格标志核发" not in flagged
    assert {"民办初级中学、小学、幼儿园办学许可证到期换发", "线下学科类校外培训机构办学许可证到期换发"} <= flagged


def test_text_output_folds_a_frequent_code_and_show_all_lists_it(real_root: tuple[Path, list[Diagnostic]], run_cli) -> None:  # type: ignore[no-untyped-def]
    root, diags = real_root
    n = sum(d.code == "C010" for d in diags)
    assert n > 5
    args = ["check", str(root), "--select", "C010", "--no-cache", "--no-source", "--lang", "en"]
    folded = run_cli(*args).stdout
    listed = re.compile(r"(?m)^\S+:\d+:\d+ C010 ")
    assert len(listed.findall(folded)) == 3
    assert f"{n}  C010 [warning]" in folded and f"+{n - 3} more not listed" in folded
    full = run_cli(*args, "--show-all").stdout
    assert len(listed.findall(full)) == n
    assert "Folded findings" not in full


def test_completeness_is_in_the_summary(real_root: tuple[Path, list[Diagnostic]], run_cli) -> None:  # type: ignore[no-untyped-def]
    root, _ = real_root
    out = run_cli("check", root, "--select", "R", "--no-cache", "--format", "json").stdout
    comp = json.loads(out)["summary"]["completeness"]
    # 787 powers once the 348 public services are set aside; the list gives bodies and nothing else.
    assert comp == {"powers": 787, "basis": 0, "body": 787, "time_limit": 0, "flowchart": 0, "responsibilities": 0,
                    "licences": 536, "materials": 0, "complaint": 0}
    text = run_cli("check", root, "--select", "R", "--no-cache", "--lang", "en").stdout
    assert "Completeness (787 active powers): basis 0% (0), body 100% (787)" in text


if __name__ == "__main__":  # figures for the closing note: findings by code
    import sys
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        diags = run_real(Path(tmp) / "cat")
    print(sorted(Counter(d.code for d in diags).items()))
    for d in diags:
        if len(sys.argv) > 1 and d.code in sys.argv[1:]:
            print(d.code, d.path, d.message)
