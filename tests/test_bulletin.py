"""The weekly bulletin and the reminders: complete sentences from the data, numbers equal to the workbook's."""

import re
import zipfile
from pathlib import Path

import docx
import openpyxl
from docx.shared import Pt

from tests.ledgers import activity, d, problem, read_sheet, write_ledger
from tests.runs import report


def run_report(box: Path, tmp: Path, as_of: str) -> Path:
    report(box, tmp / "out", as_of, archive=tmp / "archive")
    return tmp / "out"


def inbox(box: Path) -> None:
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), "大讨论", 1, 30), activity(d("2026-12-12"), "大行动", 2, 25, 序号=2)],
                 problems=[problem(d("2026-12-15"), found=d("2026-12-05"))])
    write_ledger(box / "乡创城办.xlsx", unit="乡创城办", filed=d("2026-12-19"),
                 activities=[activity(d("2026-12-03"), "大讨论", 1, 40), activity(d("2026-12-10"), "大讨论", 1, 35, 序号=2),
                             activity(d("2026-12-11"), "大行动", 1, 20, 序号=3)],
                 problems=[problem(d("2026-12-10"), "已整改", found=d("2026-12-03"), 完成日期=d("2026-12-09"))],
                 publicity=[{"序号": 1, "发布日期": d("2026-12-18"), "发布平台": "县融媒体“创城大家谈”",
                             "标题": "我乡干部讨论转作风", "典型案例": "是"}])


def paragraphs(out: Path, as_of: str) -> list[str]:
    return [p.text for p in docx.Document(str(out / f"工作通报_{as_of}.docx")).paragraphs]


def overview(out: Path, as_of: str) -> dict[str, object]:
    """总览's table of main numbers: label (columns A–B) → value (column C)."""
    rows = list(openpyxl.load_workbook(out / f"督查汇总表_{as_of}.xlsx")["总览"].iter_rows(values_only=True))
    header = next(i for i, r in enumerate(rows) if r[0] == "项目")
    return {str(r[0]): r[2] for r in rows[header + 1:] if r[0]}


def test_bulletin_structure_and_numbers_equal_the_workbook(tmp_path: Path) -> None:
    inbox(tmp_path / "inbox")
    out = run_report(tmp_path / "inbox", tmp_path, "2026-12-20")
    text = paragraphs(out, "2026-12-20")
    assert text[:4] == ["关于“我为创城做什么”大讨论大行动开展情况的通报（第1期）", "城西湖乡创城办　　2026年12月20日",
                        "各村、乡直各单位：", "为推动“我为创城做什么”大讨论大行动走深走实，现将截至12月20日各单位开展情况通报如下："]
    assert [t for t in text if re.fullmatch(r"[一二三四]、.*", t)] == ["一、总体进展", "二、典型做法", "三、存在问题", "四、下步要求"]
    numbers = overview(out, "2026-12-20")
    progress = text[text.index("一、总体进展") + 1]
    assert f"全乡{numbers['名册单位数']}个单位中已有{numbers['已报送单位数']}个报送台账" in progress
    assert "报送率12.5%" in progress and numbers['报送率'] == 2 / 16
    assert f"大讨论{numbers['大讨论场次']}场次、大行动{numbers['大行动场次']}场次" in progress
    assert f"参与{numbers['参与人次合计']}人次" in progress
    assert f"共查摆问题{numbers['查摆问题数']}个，已整改{numbers['已整改数']}个，整改率50.0%" in progress
    assert f"{numbers['超期未整改数']}个超期未整改" in progress
    # the case 乡创城办 filed on 12-18; of its activities in the week before (12-11 … 12-18) only the 大行动 of 12-11
    assert "1. 乡创城办：12月11日开展大行动（围绕创城开展讨论），20人参加；12月18日在县融媒体“创城大家谈”发布《我乡干部讨论转作风》。" in text
    issues = text[text.index("三、存在问题") + 1]
    assert "荷花村有1个问题超期未整改" in issues
    assert "乡团委" in issues and "尚未报送台账" in issues
    steps = text[text.index("四、下步要求") + 1]
    assert steps.startswith("距活动截止（2027年2月4日）还有46天。")
    assert steps.endswith("下次报送请于2026年12月27日前完成。")     # the contact is still a placeholder
    assert "荷花村大讨论尚未达到2次" in issues and "另有" not in issues
    whole = "\n".join(text)
    assert not re.search(r"XX|None|\{|\}|nan", whole)


def test_sections_with_nothing_to_say_are_left_out(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    out = run_report(tmp_path / "inbox", tmp_path, "2026-12-01")
    text = paragraphs(out, "2026-12-01")
    assert "二、典型做法" not in text
    assert [t for t in text if re.fullmatch(r"[一二三四]、.*", t)] == ["一、总体进展", "二、存在问题", "三、下步要求"]
    assert "各单位尚未报送已开展的大讨论、大行动。" in text[text.index("一、总体进展") + 1]


def test_reminders_one_per_unit_most_urgent_first(tmp_path: Path) -> None:
    inbox(tmp_path / "inbox")
    write_ledger(tmp_path / "inbox" / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-19"), activities=[
        activity(d("2026-12-01"), "大讨论", 1), activity(d("2026-12-02"), "大讨论", 2, 序号=2),
        activity(d("2026-12-03"), "大行动", 5, 序号=3), activity(d("2026-12-04"), "大行动", 6, 序号=4)],
        problems=[problem(d("2027-01-20"))])
    out = run_report(tmp_path / "inbox", tmp_path, "2026-12-20")
    raw = (out / "催报提醒_2026-12-20.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    messages = [line for line in raw.decode("utf-8-sig").split("\r\n") if line.startswith("【")]
    units = [m.split("】", 1)[1].split("：", 1)[0] for m in messages]
    assert len(units) == len(set(units)) == 14          # 柳林村 and 乡创城办 owe nothing and get no message
    assert "柳林村" not in units and "乡创城办" not in units
    assert units[-1] == "荷花村"                          # 13 unreported units first, then the overdue problem
    lotus = next(m for m in messages if "】荷花村：" in m)
    assert lotus.startswith("【乡创城办提醒】荷花村：截至12月20日，本单位有1个问题超期未整改（期限12月15日，已逾期5天）")


def test_the_bulletin_is_laid_out_as_an_official_document(tmp_path: Path) -> None:
    inbox(tmp_path / "inbox")
    out = run_report(tmp_path / "inbox", tmp_path, "2026-12-20")
    document = docx.Document(str(out / "工作通报_2026-12-20.docx"))
    section = document.sections[0]
    # GB/T 9704-2012: A4, margins top 37, bottom 35, left 28, right 26 mm
    sizes = (section.page_width, section.page_height, section.top_margin, section.bottom_margin, section.left_margin,
             section.right_margin)
    assert [round(s.mm, 1) for s in sizes if s is not None] == [210, 297, 37, 35, 28, 26]

    def font(text: str) -> tuple[str, float]:
        style = next(p for p in document.paragraphs if p.text == text).style
        assert style is not None and style.font.size is not None
        east_asian = style.element.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        return east_asian, style.font.size.pt

    title = "关于“我为创城做什么”大讨论大行动开展情况的通报（第1期）"
    assert font(title) == ("方正小标宋简体", 22)              # 小标宋 二号
    assert font("一、总体进展") == ("黑体", 16)                 # 三号
    assert font("各村、乡直各单位：") == ("仿宋_GB2312", 16)
    assert document.styles["cc-subheading"].font.size == Pt(16)
    footer = document.sections[0].footer.paragraphs[0]
    xml = footer._p.xml
    assert 'w:fldCharType="begin"' in xml and "<w:instrText" in xml and " PAGE " in xml
    assert footer.text == "— 1 —"
    # 附件: every unit counted in the text, by name, with its status as 单位进度 has it
    table = document.tables[0]
    listed = {row.cells[1].text: row.cells[2].text for row in table.rows[1:]}
    progress = {r["单位名称"]: r["状态"] for r in read_sheet(out / "督查汇总表_2026-12-20.xlsx", "单位进度")}
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "单位", "状态"]
    assert listed == progress and len(listed) == 16
    assert listed["荷花村"] == "未达标" and listed["乡创城办"] == "已达标" and listed["乡团委"] == "未报送"


def test_the_attachment_holds_a_unit_name_with_characters_xml_escapes(tmp_path: Path) -> None:
    """The attachment's rows are put in as text when the file is saved: a name with & < > reads as written."""
    from tests.ledgers import CAMPAIGN

    name = "乡团委<青年&志愿者>"
    config = tmp_path / "campaign.yaml"
    config.write_text(CAMPAIGN.read_text(encoding="utf-8").replace("乡团委", name), encoding="utf-8")
    box = tmp_path / "inbox"
    inbox(box)
    report(box, tmp_path / "out", "2026-12-20", archive=tmp_path / "archive", config=config)
    table = docx.Document(str(tmp_path / "out" / "工作通报_2026-12-20.docx")).tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert [r[0] for r in rows] == [str(i) for i in range(1, 17)]
    assert [r[1:3] for r in rows if r[1] == name] == [[name, "未报送"]]
    assert next(r for r in rows if r[1] == "荷花村")[2:] == ["未达标", "1", "1", "55", "12月18日"]


def test_the_bulletin_is_dated_the_report_date_whatever_day_it_is_made(tmp_path: Path) -> None:
    """Every part of the .docx carries the report date, not the moment it was written (python-docx's own stamp), so
    the same report gives the same bytes on any day: with an attachment table and without one."""
    inbox(tmp_path / "inbox")
    (tmp_path / "empty").mkdir()
    for box, name in ((tmp_path / "inbox", "full"), (tmp_path / "empty", "empty")):
        out = run_report(box, tmp_path / name, "2026-12-20")
        with zipfile.ZipFile(out / "工作通报_2026-12-20.docx") as bulletin:
            assert {info.date_time for info in bulletin.infolist()} == {(2026, 12, 20, 0, 0, 0)}
            assert bulletin.testzip() is None
    assert "附件" in "".join(paragraphs(tmp_path / "full" / "out", "2026-12-20"))
    out = run_report(tmp_path / "inbox", tmp_path / "typo", "1926-12-20")  # a zip part cannot be dated before 1980
    with zipfile.ZipFile(out / "工作通报_1926-12-20.docx") as bulletin:
        assert {info.date_time for info in bulletin.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def test_the_attachment_table_gives_each_column_its_width_in_the_grid(tmp_path: Path) -> None:
    """LibreOffice lays a table out by its grid, not by its cells' widths: a grid of equal columns wrapped 序号 and
    every date (1月14 / 日) while the unit names had room to spare. The grid holds the same widths as the cells,
    which fill the type area (156 mm) exactly."""
    inbox(tmp_path / "inbox")
    out = run_report(tmp_path / "inbox", tmp_path, "2026-12-20")
    (table,) = docx.Document(str(out / "工作通报_2026-12-20.docx")).tables
    grid = [round(column.width.mm) for column in table.columns]
    assert grid == [round(cell.width.mm) for cell in table.rows[0].cells]
    assert sum(grid) == 156
    assert grid[0] < grid[1] > grid[2]
