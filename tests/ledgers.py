"""Build ledgers the way a unit does: open the committed template in a spreadsheet library, type, save."""

import datetime as dt
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from pipeline.read.schema import (
    ACTIVITY,
    FIRST_DATA_ROW,
    HEADER_ROW,
    INFO_SHEET,
    PUBLICITY,
    RECTIFICATION,
    info_cell,
)

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "templates" / "xlsx" / "创城大讨论台账模板.xlsx"
CAMPAIGN = ROOT / "campaign.yaml"
CORPUS = ROOT.parent / "shared" / "corpus" / "real-world"

Row = Mapping[str, Any]


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def write_ledger(path: Path, *, unit: str | None, filed: Any, activities: Sequence[Row] = (),
                 problems: Sequence[Row] = (), publicity: Sequence[Row] = (),
                 template: Path = TEMPLATE) -> Path:
    """Copy the template, fill 基本信息 and rows under each header (columns found by label), save as `path`.

    Rows are 1-based in openpyxl, hence the `+ 1` on the template's 0-based layout."""
    path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, path)
    wb = openpyxl.load_workbook(path)
    info = wb[INFO_SHEET]
    if unit is not None:
        info[info_cell("单位名称")] = unit
    if filed is not None:
        info[info_cell("填报日期")] = filed
    for spec, rows in ((ACTIVITY, activities), (RECTIFICATION, problems), (PUBLICITY, publicity)):
        ws = wb[spec.name]
        header = {cell.value: cell.column for cell in ws[HEADER_ROW + 1] if cell.value}
        for offset, values in enumerate(rows):
            for name, value in values.items():
                cell = ws.cell(row=FIRST_DATA_ROW + 1 + offset, column=header[name], value=value)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"  # typed with a leading apostrophe: text, not a formula
    wb.save(path)
    return path


def resaved_copy(source: Path, target: Path) -> Path:
    """A copy with the same content but other bytes (as a unit's file saved again): here the zip comment
    differs, so byte-identical files (one submission, SPEC §3) are not what a load test reads."""
    shutil.copyfile(source, target)
    with zipfile.ZipFile(target, "a") as archive:
        archive.comment = target.name.encode()
    return target


def activity(date: Any, kind: str = "大讨论", subtheme: Any = 1, people: Any = 30,
             summary: str | None = "围绕创城开展讨论", evidence: str | None = "照片2张", **extra: Any) -> dict[str, Any]:
    row = {"序号": extra.pop("序号", 1), "活动日期": date, "活动类型": kind, "子主题": subtheme, "参加人数": people,
           "内容摘要": summary, "佐证材料": evidence}
    row.update(extra)
    return row


def problem(due: Any, status: str = "整改中", found: Any = None, **extra: Any) -> dict[str, Any]:
    row = {"序号": 1, "发现日期": found, "问题描述": "村部周边乱堆乱放", "整改措施": "组织清理", "责任人": "王五",
           "整改时限": due, "整改状态": status}
    row.update(extra)
    return row


def read_sheet(path: Path, sheet: str) -> list[dict[str, Any]]:
    """A result workbook's sheet as dicts keyed by its header row (row 1)."""
    ws = openpyxl.load_workbook(path, read_only=True)[sheet]
    rows = [[_unescape(v) for v in r] for r in ws.iter_rows(values_only=True)]
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, r, strict=False)) for r in rows[1:]]


def _unescape(value: Any) -> Any:
    """OOXML writes a literal `_x000D_` as `_x005F_x000D_`; Excel and LibreOffice undo that, openpyxl's
    reader does not for inline strings (which streamed workbooks use)."""
    return value.replace("_x005F_", "_") if isinstance(value, str) else value
