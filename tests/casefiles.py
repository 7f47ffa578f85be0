"""Rule cases (sqlfluff style): ``tests/cases/<CODE>.yaml`` holds named cases, each a small file
tree laid over ``tests/cases/_base`` plus the findings expected for that code as
``[code, path, line]``. ``test_cases.py`` turns every case into a test."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CASES = Path(__file__).parent / "cases"
BASE = CASES / "_base"

# A complete, clean licence used by cases that need "a normal power" to vary one thing.
GOOD_POWER = """\
id: SL-XK-001
name: 取水许可
category: 行政许可
body: city-water
status: active
basis:
  - law: 中华人民共和国水法
    articles: [第四十八条]
  - law: water-permit-reg
    articles: [第二条]
time_limit:
  statutory: 20
  promised: 10
process:
  steps:
    - id: accept
      name: 受理
      kind: accept
      actor: 政务服务中心水务窗口
      action: 审查申请材料是否齐全，不齐全的一次性告知补正
      days: 1
      next: [review, {to: refuse, when: 材料不符合要求}]
    - id: refuse
      name: 不予受理
      actor: 政务服务中心水务窗口
      action: 出具不予受理通知书并说明理由
      days: 0
    - id: review
      name: 审查
      kind: review
      actor: 水资源管理科
      action: 审查申请材料，组织现场勘查
      days: 12
      next: [decide]
    - id: decide
      name: 决定
      kind: decide
      actor: 分管局领导
      action: 作出准予或不予许可的书面决定
      days: 3
      next: [serve]
    - id: serve
      name: 送达
      kind: serve
      actor: 政务服务中心水务窗口
      action: 制发取水许可证并送达
      days: 2
"""


@dataclass
class Case:
    code: str
    name: str
    files: dict[str, str | None]
    expect: list[tuple[str, str, int]]
    config: str | None = None
    as_of: str | None = None
    select: list[str] | None = None
    base: bool = True
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return f"{self.code}:{self.name}"

    def materialise(self, root: Path) -> Path:
        """Write the base registries and the case's files; ``null`` deletes a base file."""
        if self.base:
            shutil.copytree(BASE, root, dirs_exist_ok=True)
        root.mkdir(parents=True, exist_ok=True)
        for rel, text in self.files.items():
            target = root / rel
            if text is None:
                target.unlink(missing_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            encoding = self.extra.get("encodings", {}).get(rel, "utf-8")
            target.write_bytes(text.replace("{{GOOD_POWER}}", GOOD_POWER).encode(encoding))
        for rel, target in self.extra.get("symlinks", {}).items():
            # symlinks: {powers/x/leak.yaml: ../../../secret.env} (the target need not exist)
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            (root / rel).symlink_to(target)
        if self.config is not None:
            (root / "powerlist.toml").write_text(self.config, encoding="utf-8")
        return root


def load_cases() -> list[Case]:
    out: list[Case] = []
    for f in sorted(CASES.glob("*.yaml")):
        code = f.stem
        for raw in yaml.safe_load(f.read_text(encoding="utf-8")) or []:
            out.append(Case(
                code=code,
                name=raw["name"],
                files=raw.get("files", {}),
                expect=[(e[0], e[1], int(e[2])) for e in raw.get("expect", [])],
                config=raw.get("config"),
                as_of=raw.get("as_of"),
                select=raw.get("select"),
                base=raw.get("base", True),
                extra={k: v for k, v in raw.items() if k not in ("name", "files", "expect", "config", "as_of", "select", "base")},
            ))
    return out
