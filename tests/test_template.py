"""The template read back as a unit's spreadsheet program sees it (openpyxl)."""

import hashlib
from pathlib import Path

import openpyxl

from pipeline import run
from pipeline.read.grids import cell_ref
from pipeline.read.schema import EXAMPLE_ROW, HEADER_ROW, info_cell
from tests.ledgers import CAMPAIGN, TEMPLATE
from tests.runs import setup

ACTIVITY_HEADER = ["序号", "活动日期", "活动类型", "子主题", "活动主题", "活动地点", "参加人数", "组织人", "协办单位",
                   "活动形式", "内容摘要", "佐证材料", "备注"]
RECT_HEADER = ["序号", "发现日期", "关联活动序号", "问题描述", "整改措施", "责任人", "整改时限", "整改状态", "完成日期", "备注"]
PUBLICITY_HEADER = ["序号", "发布日期", "发布平台", "标题", "链接", "典型案例", "备注"]


def validations(ws: openpyxl.worksheet.worksheet.Worksheet) -> dict[str, str]:
    """Column letter → list source of each dropdown."""
    out = {}
    for dv in ws.data_validations.dataValidation:
        if dv.type == "list":
            out[str(dv.sqref).split(":")[0].rstrip("0123456789")] = dv.formula1
    return out


def test_sheets_headers_and_info_labels() -> None:
    wb = openpyxl.load_workbook(TEMPLATE)
    assert wb.sheetnames == ["填报说明", "基本信息", "活动台账", "问题整改", "宣传报道"]
    assert [c.value for c in wb["基本信息"]["A"]] == ["单位名称", "单位类别", "填报人", "联系电话", "填报日期", "模板版本"]
    assert [c.value for c in wb["活动台账"][HEADER_ROW + 1]] == ACTIVITY_HEADER
    assert [c.value for c in wb["问题整改"][HEADER_ROW + 1]] == RECT_HEADER
    assert [c.value for c in wb["宣传报道"][HEADER_ROW + 1]] == PUBLICITY_HEADER


def test_filing_date_is_at_b5_where_units_are_told_to_look() -> None:
    info = openpyxl.load_workbook(TEMPLATE)["基本信息"]
    assert info_cell("填报日期") == "B5"
    assert info["A5"].value == "填报日期"
    assert info["B5"].number_format == "yyyy-mm-dd"
    assert info["B5"].comment is not None and info["B5"].comment.text == "每次报送前更新为当天日期，如 2026-12-18"


def test_dropdowns_cover_every_enumerated_column() -> None:
    wb = openpyxl.load_workbook(TEMPLATE)
    assert validations(wb["活动台账"]) == {
        "C": '"大讨论,大行动"',
        "D": '"1-转作风、见行动、促创建,2-文明城市人人创 文明成果人人享,3-争做文明使者 树立窗口形象,'
             '4-小手拉大手 文明一起走,5-诚信经营 文明同行,6-创城我知晓 创建我建言"'}
    assert validations(wb["问题整改"]) == {"H": '"未整改,整改中,已整改"'}
    assert validations(wb["宣传报道"]) == {
        "C": '"微信群,微信公众号,抖音,广播,网站,县融媒体“创城大家谈”,其他"', "F": '"是,否"'}


def test_example_row_dates_and_frozen_header() -> None:
    wb = openpyxl.load_workbook(TEMPLATE)
    ws = wb["活动台账"]
    assert ws[cell_ref(EXAMPLE_ROW, 0)].value == "示例"
    example_date = ws[cell_ref(EXAMPLE_ROW, 1)]
    assert example_date.is_date
    assert example_date.number_format == "yyyy-mm-dd"
    assert ws.column_dimensions["B"].number_format == "yyyy-mm-dd"  # the whole column, for rows units add
    assert ws.freeze_panes == cell_ref(HEADER_ROW + 1, 0)             # everything up to the header stays in view
    assert ws.protection.sheet and ws.protection.insertRows is False  # False = insertion allowed
    header = ws[cell_ref(HEADER_ROW, 1)]
    assert header.protection.locked and not ws.column_dimensions["B"].protection.locked  # header locked, data open


def test_guide_states_rules_and_deadline() -> None:
    text = "\n".join(str(c.value) for c in openpyxl.load_workbook(TEMPLATE)["填报说明"]["A"] if c.value)
    assert "2027年2月4日前完成" in text
    assert "大讨论原则上不少于2次" in text
    assert "立行立改" in text


def test_make_templates_reproduces_the_committed_template(tmp_path: Path) -> None:
    run.templates(setup=setup(), folder=tmp_path, per_unit=False)
    fresh = (tmp_path / TEMPLATE.name).read_bytes()
    assert hashlib.sha256(fresh).hexdigest() == hashlib.sha256(TEMPLATE.read_bytes()).hexdigest()


def test_per_unit_templates_state_each_units_duties(tmp_path: Path) -> None:
    run.templates(setup=setup(), folder=tmp_path, per_unit=True)
    assert len(list(tmp_path.glob("*.xlsx"))) == 16
    wb = openpyxl.load_workbook(tmp_path / "荷花村_创城大讨论台账.xlsx")
    assert wb["基本信息"][info_cell("单位名称")].value == "荷花村"
    assert wb["基本信息"][info_cell("单位类别")].value == "村"
    guide = [str(c.value) for c in wb["填报说明"]["A"] if c.value]
    assert "【荷花村的任务】（截止2027年2月4日）" in guide
    assert any("开展大讨论不少于2次" in line for line in guide)
    assert any(line.startswith("· 负责的子主题：1-转作风、见行动、促创建、2-文明城市人人创 文明成果人人享、5-诚信经营 文明同行、6-创城我知晓 创建我建言")
               for line in guide)
    school = [str(c.value) for c in openpyxl.load_workbook(tmp_path / "城西湖乡中心小学_创城大讨论台账.xlsx")["填报说明"]["A"]
              if c.value]
    assert any("不在“不少于2次大讨论”的考核范围内" in line for line in school)
    assert any("负责的子主题：4-小手拉大手 文明一起走" in line for line in school)
    office = [str(c.value) for c in openpyxl.load_workbook(tmp_path / "乡创城办_创城大讨论台账.xlsx")["填报说明"]["A"]
              if c.value]
    assert any("负责宣传报道" in line for line in office)


def test_per_unit_template_states_exemptions(tmp_path: Path) -> None:
    config = tmp_path / "campaign.yaml"
    config.write_text(CAMPAIGN.read_text(encoding="utf-8").replace(
        "exemptions: []", "exemptions:\n  - {unit: 荷花村, subtheme: 5, reason: 辖区内无经营户, approved_by: 乡创城办}"),
        encoding="utf-8")
    run.templates(setup=setup(config), folder=tmp_path / "t", per_unit=True)
    guide = [str(c.value) for c in openpyxl.load_workbook(tmp_path / "t" / "荷花村_创城大讨论台账.xlsx")["填报说明"]["A"]
             if c.value]
    assert "· 已免除：子主题5（辖区内无经营户，乡创城办批准）。" in guide
    assert any(line.startswith("· 负责的子主题：1-转作风、见行动、促创建、2-文明城市人人创 文明成果人人享、6-") for line in guide)


def test_readme_synonym_table_matches_the_code() -> None:
    from pipeline.read.schema import LEDGER_SPECS

    readme = (CAMPAIGN.parent / "README.md").read_text(encoding="utf-8")
    table = {}
    for line in readme.split("| 模板列名 | 也能识别 |")[1].split("\n\n")[0].splitlines()[2:]:
        name, synonyms = (cell.strip() for cell in line.strip("|").split("|"))
        table[name] = synonyms
    code = {col: "、".join(syns) for spec in LEDGER_SPECS for col, syns in spec.synonyms.items()}
    assert table == code
