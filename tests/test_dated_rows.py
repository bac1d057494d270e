"""What a clerk reads about dates: each row's date named by its own column, and a file without 填报日期 named as one.

Each case builds the files as a unit does and reads the words where the unit and the township read them:
数据问题, the 不计入原因 column of the detail sheets, 文件清单 and the unit's 整改清单.
"""

from pathlib import Path

import openpyxl

from pipeline.run import RunResult
from tests.ledgers import activity, d, problem, read_sheet, write_ledger
from tests.runs import report


def gap_list_rows(result: RunResult, unit: str) -> list[tuple[str, ...]]:
    """The rows of the unit's 整改清单 under its 台账填写问题 header (位置, 等级, 问题, 建议, 文件)."""
    ws = openpyxl.load_workbook(result.written.gap_list_folder / f"{unit}.xlsx")["整改清单"]
    rows = [tuple(str(v) for v in row if v not in (None, "")) for row in ws.iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(rows) if row[:1] == ("位置",))
    return [row for row in rows[start + 1:] if row]


def problem_rows(result: RunResult, unit: str) -> list[tuple[object, ...]]:
    return [(r["工作表"], r["单元格"], r["等级"], r["问题"], r["建议"])
            for r in read_sheet(result.written.workbook, "数据问题") if r["单位名称"] == unit]


PUBLISHED_LATE = ("报道的发布日期 2026-12-20 晚于本表填报日期 2026-12-18，台账只能记录填表时已发布的报道，此条不计入统计",
                  "请核对本行的“发布日期”和“基本信息”表的“填报日期”")
PUBLISHED_EARLY = ("报道的发布日期 2026-11-20 早于活动开始日期（2026-11-27 至 2027-02-04），不计入统计",
                   "如日期填错请更正；本次活动期间以外的报道不计入")
FOUND_LATE = ("问题的发现日期 2026-12-19 晚于本表填报日期 2026-12-18，台账只能记录填表时已查摆出的问题，此条不计入统计",
              "请核对本行的“发现日期”和“基本信息”表的“填报日期”")


def test_a_report_or_a_problem_dated_after_the_form_is_named_by_its_own_date_column(tmp_path: Path) -> None:
    """A 宣传报道 row is a 报道 dated by 发布日期 and a 问题整改 row a 问题 dated by 发现日期 (SPEC §3): neither
    is an activity, and the words say so (they said “活动日期 … 晚于本表填报日期” for both)."""
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"))],
                 problems=[problem(d("2026-12-30"), found=d("2026-12-19"))],                  # row 4: found after
                 publicity=[{"序号": 1, "发布日期": d("2026-12-20"), "发布平台": "微信群", "标题": "柳林村开展大讨论"},
                            {"序号": 2, "发布日期": d("2026-11-20"), "发布平台": "微信群", "标题": "柳林村动员会"}])
    result = report(box, tmp_path / "out", "2026-12-20")
    # the template's rows start at 4 (title, header, 示例); every date column is column B
    assert problem_rows(result, "柳林村") == [
        ("问题整改", "B4", "错误", *FOUND_LATE),
        ("宣传报道", "B4", "错误", *PUBLISHED_LATE),
        ("宣传报道", "B5", "警告", *PUBLISHED_EARLY),
    ]
    book = result.written.workbook
    reasons = {r["标题"]: r["不计入原因"] for r in read_sheet(book, "宣传报道") if r["单位名称"] == "柳林村"}
    assert reasons == {"柳林村开展大讨论": PUBLISHED_LATE[0], "柳林村动员会": PUBLISHED_EARLY[0]}
    (rect,) = [r for r in read_sheet(book, "问题整改") if r["单位名称"] == "柳林村"]
    assert (rect["计入统计"], rect["不计入原因"]) == ("否", FOUND_LATE[0])
    assert gap_list_rows(result, "柳林村") == [
        ("问题整改 B4", "错误", *FOUND_LATE, "柳林村.xlsx"),
        ("宣传报道 B4", "错误", *PUBLISHED_LATE, "柳林村.xlsx"),
        ("宣传报道 B5", "警告", *PUBLISHED_EARLY, "柳林村.xlsx"),
    ]
