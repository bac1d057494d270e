"""campaign.yaml's value errors, each at the line of the key or list item it is about (a clerk edits the file in
Notepad and looks for the line): pydantic's checks of one value and the cross checks of several."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from pipeline.cli import main
from tests.test_config import errors_of

# Small campaign.yaml texts written as a clerk lays them out, block lists and all; the note under each gives the
# lines of its mistakes, counted by hand.
VALUES_WRONG = """\
name: 测试活动
township: 城西湖乡
office: 乡创城办
start: 2026-11-27
deadline: 2027-02-30
subthemes:
  - id: 1
    audience: 干部职工
    title: 转作风
    responsible:
      - kind: 村
units:
  - name: 乡创城办
    kinds: [乡直单位]
  - name: 柳林村
exemptions:
  - unit: 柳林村
    subtheme: 七
    reason: 无经营户
limits:
  max_rows: -5
"""
"""contact is missing (a top-level key has no line to name); line 5: 2月30日; line 15: the unit 柳林村 has no kinds
(named by its item's line); line 18: the sub-theme is not a number; line 21: a negative limit."""

CROSS_WRONG = """\
name: 测试活动
township: 城西湖乡
office: 乡创城办
contact: 乡创城办 0564-1234567
start: 2026-11-27
deadline: 2026-11-01
publicity_units:
  - 乡创城办
  - 县文广站
subthemes:
  - id: 1
    audience: 干部职工
    title: 转作风
    responsible:
      - kind: 村
      - unit: 县团委
  - id: 1
    audience: 居民
    title: 人人创
    responsible: [{kind: 村}]
units:
  - name: 乡创城办
    kinds: [乡直单位]
  - name: 白塔村
    kinds: [村]
    aliases:
      - 白塔
      - 乡创城办
exemptions:
  - unit: 白塔村
    subtheme: 7
    reason: 无经营户
"""
"""Each value valid alone, wrong with the others: line 6 deadline before start; line 9 a publicity unit not on the
roster; line 16 a responsible unit not on it; line 17 sub-theme 1 again (first on line 11); line 28 an alias that is
another unit's name; line 31 an exemption of a sub-theme that does not exist."""

CROSS_MESSAGES = [
    "第6行，deadline：截止日期 2026-11-01 不晚于开始日期 start 2026-11-27，请检查两个日期",
    "第28行，units → 第2项（白塔村）：名称或别名“乡创城办”与单位“乡创城办”重复，每个名称只能指向一个单位",
    "第17行，subthemes → 第2项（1）：子主题编号 1 重复，第11行已用过",
    # 县团委 and 县文广站 share no character with a roster name, so no name is suggested
    "第16行，subthemes → 第1项（1）→ responsible → 第2项：单位“县团委”不在 units 名册中",
    "第9行，publicity_units → 第2项：单位“县文广站”不在 units 名册中",
    "第31行，exemptions → 第1项：子主题编号 7 不存在",
]


VALUE_MESSAGES = [
    "contact：缺少此项，请补上",
    "第5行，deadline：日期“2027-02-30”无效，请写成 2026-11-27 这样的格式",
    "第15行，units → 第2项（柳林村）→ kinds：缺少此项，请补上",
    "第18行，exemptions → 第1项（柳林村）→ subtheme：应为整数，现为“七”",
    "第21行，limits → max_rows：应不小于100，现为“-5”",
]


@pytest.mark.parametrize(("text", "messages"), [(VALUES_WRONG, VALUE_MESSAGES), (CROSS_WRONG, CROSS_MESSAGES)],
                         ids=["one value wrong", "values wrong together"])
def test_every_value_error_names_the_line_of_its_key_or_item(tmp_path: Path, text: str,
                                                             messages: list[str]) -> None:
    path = tmp_path / "campaign.yaml"
    path.write_text(text, encoding="utf-8")
    assert errors_of(path) == messages


def test_cli_names_the_line_of_each_value_error_with_exit_2(tmp_path: Path) -> None:
    """Saved by Notepad as GBK with Windows line ends: the lines are counted as the clerk sees them."""
    path = tmp_path / "campaign.yaml"
    path.write_bytes(CROSS_WRONG.replace("\n", "\r\n").encode("gbk"))
    result = CliRunner().invoke(main, ["validate", "--config", str(path), "--inbox", str(tmp_path)])
    assert result.exit_code == 2
    assert result.stderr == "".join([f"错误：配置文件 {path} 有误，请修改后重新运行：\n",
                                     *(f"  - {message}\n" for message in CROSS_MESSAGES)])
    assert "Traceback" not in result.output
