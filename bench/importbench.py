"""The import bench: a 5,000-row office spreadsheet, and the time python-calamine alone takes to read
it (the floor `powerlist import` is compared with).

    python -m bench.importbench make FILE.xlsx [ROWS]
    python -m bench.importbench calamine FILE.xlsx
"""

from __future__ import annotations

import sys
from pathlib import Path

HEADERS = ["序号", "事项名称", "子项名称", "职权类型", "实施主体", "实施主体编码", "基本编码", "设定依据",
           "法定办结时限", "承诺办结时限", "责任事项", "备注"]
CATEGORIES = ["行政许可", "行政处罚", "行政检查", "行政确认", "其他行政权力"]
BODIES = ["区水务局", "区林业局", "区交通运输局", "区市场监督管理局", "区卫生健康局", "区教科体局"]


def make(path: Path, rows: int = 5000) -> None:
    """A title row, a header, ``rows`` rows (every third row a 子项 of the row above), codes as text."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("权责清单")
    ws.append(["某区权责清单（基准测试）"])
    ws.append(HEADERS)
    main = ""
    for i in range(1, rows + 1):
        if i % 3 != 0:
            main = f"事项{i:05d}"
        body = BODIES[i % len(BODIES)]
        ws.append([i, main, f"{main}（办理项{i % 3}）" if i % 3 else f"{main}（延续）", CATEGORIES[i % len(CATEGORIES)],
                   body, f"11511602MB{i % 7:07d}Q", f"{i:012d}",
                   f"1.《中华人民共和国行政许可法》第十二条：……；2.《某省管理条例》第{i % 40 + 1}条", "20个工作日",
                   "法定：20个工作日；承诺：5个工作日" if i % 2 else "即办", "受理责任；审查责任；决定责任", ""])
    wb.save(path)


def calamine(path: Path) -> int:
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    return sum(len(wb.get_sheet_by_name(n).to_python()) for n in wb.sheet_names)


def main(argv: list[str]) -> int:
    if len(argv) >= 2 and argv[0] == "make":
        make(Path(argv[1]), int(argv[2]) if len(argv) > 2 else 5000)
        return 0
    if len(argv) == 2 and argv[0] == "calamine":
        print(calamine(Path(argv[1])))
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
