"""The floor: what no implementation can avoid. Read every sheet with python-calamine, write the same
number of activity rows with xlsxwriter in constant-memory mode, and one small workbook per gap list."""

import sys
from pathlib import Path
from typing import Any

import python_calamine as calamine
import xlsxwriter


def main(inbox: Path, out: Path, gap_lists: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rows: list[Any] = []
    for path in sorted(inbox.iterdir()):
        workbook = calamine.CalamineWorkbook.from_path(str(path))
        for name in workbook.sheet_names:
            data = workbook.get_sheet_by_name(name).to_python()
            if name == "活动台账":
                rows.extend(data[2:])
    book = xlsxwriter.Workbook(str(out / "floor.xlsx"), {"constant_memory": True})
    sheet = book.add_worksheet("活动明细")
    for r, row in enumerate(rows):
        sheet.write_row(r, 0, row)
    book.close()
    for i in range(gap_lists):
        small = xlsxwriter.Workbook(str(out / f"gap{i}.xlsx"))
        small.add_worksheet("整改清单").write_row(0, 0, ["规则", "等级", "差距说明", "整改建议", "截止日期", "剩余天数"])
        small.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]))
