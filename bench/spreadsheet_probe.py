"""Which cell beginnings does a real spreadsheet run as a formula? Ask LibreOffice Calc.

Regenerates ``tests/data/spreadsheet_evaluation.json``, the evidence behind the export's formula
neutraliser (``powerlist.export.rows.neutralise``). Needs LibreOffice (``soffice``, Debian package
``libreoffice-calc-nogui``); the test suite only reads the JSON, so it never needs LibreOffice.

For every candidate beginning ``p`` the cell text is ``p + "SUM(1+1)"`` (or ``p + "=SUM(1+1)"``
for the whitespace/invisible candidates). It is written

* into a CSV exactly as ``powers.csv`` is written (UTF-8 with BOM, CRLF), opened by LibreOffice
  with its default CSV import and again with "evaluate formulas" switched on explicitly;
* into an XLSX cell exactly as ``powers.xlsx`` writes it (openpyxl write-only, no neutralising).

LibreOffice saves each as XLSX; a cell that comes back holding a formula (openpyxl data type
``f``) was evaluated. The neutralised text is tried the same way, to show the prefix works.

    python -m bench.spreadsheet_probe [--out tests/data/spreadsheet_evaluation.json]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.utils.exceptions import IllegalCharacterError

from powerlist.export.rows import neutralise
from powerlist.export.xlsxout import discard

BODY = "SUM(1+1)"
# name -> beginning of the cell. Formula characters are followed directly by the body; the others
# (whitespace, invisible and control characters) come before "=".
CANDIDATES: dict[str, str] = {
    "equals": "=", "plus": "+", "minus": "-", "at": "@",
    "tab": "\t=", "cr": "\r=", "lf": "\n=", "space": " =", "nbsp": "\u00a0=", "ideographic_space": "\u3000=",
    "zwsp": "\u200b=", "bom": "\ufeff=", "nul": "\x00=", "soh": "\x01=",
    "fullwidth_equals": "\uff1d", "fullwidth_plus": "\uff0b", "fullwidth_minus": "\uff0d", "fullwidth_at": "\uff20",
    "tab_alone": "\t", "cr_alone": "\r",
}
# CSV import options (tokens: separator, quote, UTF-8, first line, column formats, language,
# quoted as text, detect special numbers, -, -, trim spaces, -, evaluate formulas).
CSV_EVALUATE = "CSV:44,34,76,1,,0,false,true,false,false,false,-1,true"


def _csv_bytes(text: str) -> bytes:
    buf = io.StringIO(newline="")
    # As in powers.csv: a header row after the BOM, the text in a later column of a data row.
    csv.writer(buf, lineterminator="\r\n").writerows([["序号", "事项名称"], [1, text]])
    return "\ufeff".encode() + buf.getvalue().encode("utf-8")


def _xlsx(path: Path, text: str) -> bool:
    """Write one cell as powers.xlsx would; False when openpyxl refuses the text."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("s")
    try:
        ws.append(["序号", "事项名称"])
        ws.append([1, WriteOnlyCell(ws, value=text)])
    except IllegalCharacterError:
        discard(wb)
        return False
    wb.save(path)
    return True


def _convert(files: list[Path], outdir: Path, infilter: str | None) -> list[str]:
    cmd = ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{outdir}/profile"]
    if infilter:
        cmd.append(f"--infilter={infilter}")
    cmd += ["--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(outdir)]
    subprocess.run([*cmd, *map(str, files)], check=True, capture_output=True, timeout=600)
    return [*cmd, f"{files[0].parent}/*{''.join(files[0].suffixes[-1:])}"]


def _is_formula(path: Path) -> bool | None:
    if not path.exists():
        return None
    ws = load_workbook(path).worksheets[0]
    return any(c.data_type == "f" for row in ws.iter_rows() for c in row)


def _cell_text(name: str) -> str:
    p = CANDIDATES[name]
    return p + ("=" + BODY if name.endswith("_alone") else BODY)


def probe(work: Path) -> dict[str, object]:
    src = work / "src"
    src.mkdir()
    csvs: list[Path] = []
    xlsxs: list[Path] = []
    for name in CANDIDATES:
        for variant, text in (("raw", _cell_text(name)), ("neutralised", neutralise(_cell_text(name)))):
            c = src / f"{name}.{variant}.csv"
            c.write_bytes(_csv_bytes(text))
            csvs.append(c)
            x = src / f"{name}.{variant}.x.xlsx"
            if _xlsx(x, text):
                xlsxs.append(x)
    dirs = {"csv_default": work / "csv_default", "csv_evaluate": work / "csv_evaluate", "xlsx": work / "xlsx"}
    commands = [
        _convert(csvs, dirs["csv_default"], None),
        _convert(csvs, dirs["csv_evaluate"], CSV_EVALUATE),
        _convert(xlsxs, dirs["xlsx"], None),
    ]
    table: dict[str, dict[str, object]] = {}
    for name in CANDIDATES:
        row: dict[str, object] = {"cell": _cell_text(name)}
        for variant in ("raw", "neutralised"):
            suffix = "" if variant == "raw" else "_neutralised"
            d, e = (_is_formula(dirs[k] / f"{name}.{variant}.xlsx") for k in ("csv_default", "csv_evaluate"))
            row[f"csv_default{suffix}"], row[f"csv_evaluate{suffix}"] = d, e
            row[f"csv{suffix}"] = None if d is None and e is None else bool(d or e)
            row[f"xlsx{suffix}"] = _is_formula(dirs["xlsx"] / f"{name}.{variant}.x.xlsx")
        table[name] = row
    version = subprocess.run(["soffice", "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return {
        "libreoffice": version,
        "how": "python -m bench.spreadsheet_probe: each cell written as powers.csv / powers.xlsx write it, "
               "converted to xlsx by LibreOffice headless, read back with openpyxl; true = LibreOffice "
               "turned the text into a formula. csv: either default import or 'evaluate formulas' on. "
               "null: the cell cannot be written in that format (openpyxl refuses the character).",
        "commands": [" ".join(c).replace(str(work), "WORK") for c in commands],
        "candidates": table,
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path("tests/data/spreadsheet_evaluation.json"))
    args = ap.parse_args()
    if shutil.which("soffice") is None:
        raise SystemExit("soffice not found: apt-get install libreoffice-calc-nogui")
    with tempfile.TemporaryDirectory() as tmp:
        data = probe(Path(tmp))
    args.out.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    candidates: dict[str, dict[str, object]] = data["candidates"]  # type: ignore[assignment]
    evaluated = [name for name, row in candidates.items() if row["csv"] or row["xlsx"]]
    print(f"{args.out}: evaluated by LibreOffice: {', '.join(evaluated)}")


if __name__ == "__main__":
    main()
