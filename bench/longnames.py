"""A hostile catalogue for the near-duplicate search (issue 9, item 3): 100 powers of one body whose
names are 10,000 characters each, sharing most of their text. Before names were bounded this made
D003 quadratic in the name length (32 s for one 100,000-character name).

    python -m bench.longnames DIR        # writes the catalogue into DIR (replacing it)
"""

from __future__ import annotations

import random
import shutil
import sys
from pathlib import Path

NAMES = 100
LENGTH = 10_000
_ALPHABET = "取水许可审批登记备案核发变更延续注销对未按规定的处罚检查征收确认奖励裁决"

POWER = """\
id: LN-{i:03d}
name: {name}
category: 行政许可
body: city-water
basis:
  - law: 中华人民共和国水法
    articles: [第四十八条]
"""

BODIES = "- id: city-water\n  name: 某市水务局\n  level: 市级\n  enforcement: true\n"
LAWS = "- id: water-law\n  title: 中华人民共和国水法\n  level: 法律\n"


def write(root: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    shared = "".join(rng.choice(_ALPHABET) for _ in range(LENGTH))
    shutil.rmtree(root, ignore_errors=True)
    (root / "powers" / "water").mkdir(parents=True)
    (root / "bodies.yaml").write_text(BODIES, encoding="utf-8")
    (root / "laws.yaml").write_text(LAWS, encoding="utf-8")
    for i in range(NAMES):
        # each name differs from the shared text in a few scattered places
        chars = list(shared)
        for _ in range(20):
            chars[rng.randrange(LENGTH)] = rng.choice(_ALPHABET)
        (root / "powers" / "water" / f"LN-{i:03d}.yaml").write_text(
            POWER.format(i=i, name="".join(chars)), encoding="utf-8")
    return root


if __name__ == "__main__":
    write(Path(sys.argv[1]))
