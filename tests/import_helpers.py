"""Builders shared by the import tests: the real 广安区 service list laid out as a sheet."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, urlparse

REAL = Path(__file__).parent / "data" / "real" / "guangan-zwfw" / "bszl-data.js"
# taskType -> 事项类型, per tests/data/real/guangan-zwfw/README.md
TASK_TYPES = {"1": "行政许可", "20": "公共服务", "10": "其他行政权力", "7": "行政确认", "5": "行政给付",
              "9": "行政裁决", "8": "行政奖励"}
REAL_HEADERS = ["部门", "事项名称（主项）", "办理项名称", "实施编码", "事项类型", "实施主体编码", "区划代码"]


def real_rows() -> list[list[str]]:
    text = REAL.read_text(encoding="utf-8")
    start = text.index("const bszlData =") + len("const bszlData =")
    data = json.loads(text[start:].strip().rstrip(";"))
    rows = []
    for dept in data:
        for item in dept["items"]:
            for sub in item["sub_items"]:
                q = parse_qs(urlparse(sub["link"]).query)
                rows.append([dept["department"], item["main_item"], sub["name"], q["itemCode"][0],
                             TASK_TYPES.get(q["taskType"][0], q["taskType"][0]), q["deptCode"][0], q["areaCode"][0]])
    return rows


def write_real_xlsx(path: Path) -> list[list[str]]:
    from openpyxl import Workbook

    rows = real_rows()
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "政务服务事项"
    ws.append(["广安区政务服务事项目录"])
    ws.append(REAL_HEADERS)
    for r in rows:
        ws.append(r)  # every code written as text, as the source keeps it
    wb.save(path)
    return rows
