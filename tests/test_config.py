"""campaign.yaml: the default loads; every mistake is one precise Chinese message, never a traceback."""

import datetime as dt
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from pipeline.cli import main
from pipeline.config.campaign import load_campaign
from pipeline.config.yaml12 import Yaml12Loader, load_yaml
from pipeline.errors import ConfigError
from tests.ledgers import CAMPAIGN

DEFAULT = CAMPAIGN.read_text(encoding="utf-8")


def config_with(tmp_path: Path, old: str, new: str, *, encoding: str = "utf-8") -> Path:
    assert old in DEFAULT, old
    path = tmp_path / "campaign.yaml"
    path.write_bytes(DEFAULT.replace(old, new, 1).encode(encoding))
    return path


def errors_of(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_campaign(path)
    return info.value.messages


def test_default_campaign_matches_the_seed() -> None:
    campaign, warnings = load_campaign(CAMPAIGN)
    assert campaign.start == dt.date(2026, 11, 27)
    assert campaign.deadline == dt.date(2027, 2, 4)
    assert campaign.min_discussions == 2
    assert [s.title for s in campaign.subthemes] == [
        "转作风、见行动、促创建", "文明城市人人创 文明成果人人享", "争做文明使者 树立窗口形象",
        "小手拉大手 文明一起走", "诚信经营 文明同行", "创城我知晓 创建我建言"]
    kinds = {u.name: u.kinds for u in campaign.units}
    assert kinds["乡创城办"] == ("乡直单位",)
    assert kinds["乡妇联"] == ("乡直单位", "群团组织")
    assert kinds["城北市场监管所"] == ("派驻单位",)
    assert kinds["商会"] == ("社会组织",)
    sixth = campaign.subthemes[5].responsible
    assert [r.unit or r.kind for r in sixth] == ["城北市场监管所", "乡人社所", "乡统计站", "商会", "新时代文明实践所", "村"]
    assert campaign.exemptions == ()
    assert any("示例单位" in w for w in warnings)


def test_yaml_syntax_error_names_the_line_and_the_chinese_colon(tmp_path: Path) -> None:
    path = config_with(tmp_path, "min_discussions: 2 ", "min_discussions：2\nfoo: [1 ")
    messages = errors_of(path)
    assert len(messages) == 1
    assert messages[0].startswith("第")
    assert "行" in messages[0]


def test_chinese_colon_hint(tmp_path: Path) -> None:
    path = config_with(tmp_path, "contact: 乡创城办", "contact：乡创城办")
    line = DEFAULT.splitlines().index("contact: 乡创城办 联系电话：（请填写）") + 1
    (message,) = errors_of(path)
    assert message.startswith(f"第{line}行")
    assert "键和值之间请用英文冒号加空格" in message


def test_unknown_key(tmp_path: Path) -> None:
    path = config_with(tmp_path, "report_interval_days: 7", "report_interval_days: 7\nreport_intervals: 3")
    assert errors_of(path) == ["report_intervals：未知的配置项“report_intervals”（请检查拼写；可用的配置项见 README）"]


def test_unknown_kind_names_the_unit(tmp_path: Path) -> None:
    path = config_with(tmp_path, "  - name: 荷花村\n    kinds: [村]", "  - name: 荷花村\n    kinds: [村庄]")
    assert errors_of(path) == [
        "units → 第12项（荷花村） → kinds → 第1项：未知的单位类别“村庄”，可选：村、乡直单位、窗口单位、学校、群团组织、社会组织、派驻单位"]


def test_responsible_unit_not_on_roster(tmp_path: Path) -> None:
    path = config_with(tmp_path, "{unit: 乡团委}", "{unit: 县团委}")
    (message,) = errors_of(path)
    assert message.startswith("subthemes → 第2项（2）→ responsible → 第2项：单位“县团委”不在 units 名册中")
    assert "乡团委" in message


def test_exemption_naming_unknown_unit_and_subtheme(tmp_path: Path) -> None:
    path = config_with(tmp_path, "exemptions: []",
                       "exemptions:\n  - {unit: 东风村, subtheme: 9, reason: 无经营户, approved_by: 乡创城办}")
    messages = errors_of(path)
    assert messages[0].startswith("exemptions → 第1项：单位“东风村”不在 units 名册中")
    assert messages[1] == "exemptions → 第1项：子主题编号 9 不存在"


def test_duplicate_unit_name(tmp_path: Path) -> None:
    path = config_with(tmp_path, "  - name: 柳林村", "  - name: 荷花村")
    assert errors_of(path) == ["units → 第13项（荷花村）：名称或别名“荷花村”与单位“荷花村”重复，每个名称只能指向一个单位"]


def test_alias_equal_to_another_units_name(tmp_path: Path) -> None:
    path = config_with(tmp_path, "aliases: [城西湖乡商会]", "aliases: [乡工会]")
    assert errors_of(path) == ["units → 第11项（商会）：名称或别名“乡工会”与单位“乡工会”重复，每个名称只能指向一个单位"]


def test_duplicate_alias(tmp_path: Path) -> None:
    path = config_with(tmp_path, "aliases: [城西湖乡商会]", "aliases: [妇联]")
    assert errors_of(path) == ["units → 第11项（商会）：名称或别名“妇联”与单位“乡妇联”重复，每个名称只能指向一个单位"]


def test_deadline_before_start(tmp_path: Path) -> None:
    path = config_with(tmp_path, "deadline: 2027-02-04", "deadline: 2026-11-01")
    assert errors_of(path) == ["deadline：截止日期 2026-11-01 不晚于开始日期 start 2026-11-27，请检查两个日期"]


def test_min_discussions_below_one(tmp_path: Path) -> None:
    path = config_with(tmp_path, "min_discussions: 2 ", "min_discussions: 0 ")
    assert errors_of(path) == ["min_discussions：应不小于1，现为“0”"]


def test_impossible_date(tmp_path: Path) -> None:
    path = config_with(tmp_path, "start: 2026-11-27", "start: 2026-13-01")
    assert errors_of(path) == ["start：日期“2026-13-01”无效，请写成 2026-11-27 这样的格式"]


def test_number_is_not_taken_as_a_timestamp(tmp_path: Path) -> None:
    path = config_with(tmp_path, "start: 2026-11-27", "start: 20261127")
    assert errors_of(path) == ["start：日期“20261127”无效，请写成 2026-11-27 这样的格式"]


def test_yaml_11_words_keep_their_meaning(tmp_path: Path) -> None:
    """`no` and `on` are names here, not booleans (PyYAML's YAML 1.1 default would turn them into False/True)."""
    path = config_with(tmp_path, "aliases: [城西湖乡商会]", "aliases: [no, on, yes]")
    campaign, _ = load_campaign(path)
    assert next(u for u in campaign.units if u.name == "商会").aliases == ("no", "on", "yes")


def test_duplicate_key_is_an_error(tmp_path: Path) -> None:
    path = config_with(tmp_path, "min_discussions: 2 ", "min_discussions: 2\nmin_discussions: 3\n#")
    (message,) = errors_of(path)
    assert "配置项“min_discussions”重复出现" in message


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_notepad_encodings(tmp_path: Path, encoding: str) -> None:
    path = config_with(tmp_path, "contact: 乡创城办 联系电话：（请填写）", "contact: 乡创城办 联系电话：0564-1234567",
                       encoding=encoding)
    campaign, _ = load_campaign(path)
    assert campaign.contact == "乡创城办 联系电话：0564-1234567"


def test_kind_without_units_is_a_warning(tmp_path: Path) -> None:
    path = config_with(tmp_path, "  - name: 城西湖乡中心小学\n    kinds: [学校]", "  - name: 城西湖乡中心小学\n    kinds: [窗口单位]")
    _, warnings = load_campaign(path)
    assert "提示：配置中用到了单位类别“学校”，但名册里没有这类单位，相应责任无人承担。" in warnings


def test_cli_reports_config_mistakes_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    path = config_with(tmp_path, "start: 2026-11-27", "start: 2026-13-01")
    result = CliRunner().invoke(main, ["report", "--config", str(path), "--inbox", str(tmp_path),
                                       "--outbox", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert result.stderr == (f"错误：配置文件 {path} 有误，请修改后重新运行：\n"
                             "  - start：日期“2026-13-01”无效，请写成 2026-11-27 这样的格式\n")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def test_cli_missing_config_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--config", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "文件不存在" in result.output


def test_limits_can_be_raised_in_campaign_yaml(tmp_path: Path) -> None:
    path = config_with(tmp_path, "exemptions: []", "exemptions: []\nlimits: {max_rows: 200000, max_file_mb: 80}")
    campaign, _ = load_campaign(path)
    assert (campaign.limits.max_rows, campaign.limits.max_file_mb, campaign.limits.max_zip_entries) == (200000, 80, 500)
    bad = config_with(tmp_path, "exemptions: []", "exemptions: []\nlimits: {max_row: 5}")
    assert errors_of(bad) == ["limits → max_row：未知的配置项“max_row”（请检查拼写；可用的配置项见 README）"]
    too_long = config_with(tmp_path, "exemptions: []", "exemptions: []\nlimits: {max_cell_chars: 40000}")
    assert errors_of(too_long) == ["limits → max_cell_chars：应不大于32767，现为“40000”"]


def test_libyaml_reads_campaign_yaml_as_the_pure_python_parser_does() -> None:
    """Valid files go through libyaml (fast for a county roster); mistakes are re-read by the pure-Python
    parser, whose messages the tests above pin. Both must agree on what a valid file says."""
    text = DEFAULT + "\nextra_test_values: [no, on, 2026-12-01, 1_000, ~, 'x: y', true]\n"
    assert load_yaml(text=text, path="campaign.yaml") == yaml.load(text, Loader=Yaml12Loader)
    assert load_yaml(text=text, path="campaign.yaml")["extra_test_values"] == ["no", "on", "2026-12-01", 1000, None,
                                                                                "x: y", True]
