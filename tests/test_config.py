"""campaign.yaml: the default loads; every mistake is one precise Chinese message, never a traceback."""

import datetime as dt
import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipeline.cli import main
from pipeline.config.campaign import KEYS, load_campaign, parse_campaign
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


def line_of(text: str) -> int:
    """The number of the default file's line that starts with `text` (the line a mistake is made on)."""
    return next(n for n, line in enumerate(DEFAULT.splitlines(), start=1) if line.startswith(text))


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    """An unknown key's unclosed bracket is not a typing mistake the line checks know: the parser's line is given."""
    path = config_with(tmp_path, "exemptions: []", "exemptions: []\nfoo: [1, 2\nbar: 3")
    line = line_of("exemptions: []") + 2  # the parser stops at `bar`, the line after `foo: [1, 2`
    assert errors_of(path) == [f"第{line}行：格式有误：请检查这一行和上一行的缩进是否与同一层对齐、英文冒号后是否有空格、"
                               "括号和引号是否成对。"]


MISTAKES = {
    "chinese colon after a key": (
        "contact: 乡创城办", "contact：乡创城办", "contact",
        "“contact”后面用了中文冒号“：”。键和值之间请用英文冒号加空格“: ”，写成“contact: 乡创城办 联系电话：（请填写）”。"),
    "chinese colon in a list item": (
        "  - name: 白塔村", "  - name：白塔村", "  - name: 白塔村",
        "“name”后面用了中文冒号“：”。键和值之间请用英文冒号加空格“: ”，写成“- name: 白塔村”。"),
    "no space after the colon (the parser blames the next line)": (
        "deadline: 2027-02-04", "deadline:2027-02-04", "deadline",
        "“deadline:”的冒号后面缺少空格。请在英文冒号后加一个空格，写成“deadline: 2027-02-04”。"),
    "full-width space after the colon": (
        "township: 城西湖乡", "township:　城西湖乡", "township",
        "“township:”的冒号后面是全角空格。请改成一个半角空格（英文输入法下的空格），写成“township: 城西湖乡”。"),
    "chinese comma between items of a list": (
        "kinds: [乡直单位, 群团组织]\n    aliases: [城西湖乡妇联", "kinds: [乡直单位，群团组织]\n    aliases: [城西湖乡妇联",
        "    kinds: [乡直单位, 群团组织]",
        "方括号“[ ]”里用了中文逗号“，”分隔。各项之间请用英文逗号加空格“, ”，写成“kinds: [乡直单位, 群团组织]”。"),
    "chinese comma between {…} items": (
        "{unit: 乡妇联}, {unit: 乡团委}", "{unit: 乡妇联}，{unit: 乡团委}", "    responsible: [{unit: 乡妇联}",
        "方括号“[ ]”里用了中文逗号“，”分隔。各项之间请用英文逗号加空格“, ”，写成“responsible: [{unit: 乡妇联}, "
        "{unit: 乡团委}, {unit: 新时代文明实践所}, {kind: 村}]”。"),
    "chinese comma inside {…}": (
        "{unit: 乡工会}", "{unit: 乡工会，kind: 窗口单位}", "    responsible: [{unit: 乡工会}",
        "花括号“{ }”里用了中文逗号“，”分隔。各项之间请用英文逗号加空格“, ”，写成“responsible: [{unit: 乡工会, "
        "kind: 窗口单位}, {kind: 窗口单位}]”。"),
    "chinese colon inside {…}": (
        "{unit: 乡工会}", "{unit：乡工会}", "    responsible: [{unit: 乡工会}",
        "“unit”后面用了中文冒号“：”。键和值之间请用英文冒号加空格“: ”，写成“responsible: [{unit: 乡工会}, {kind: 窗口单位}]”。"),
    "full-width brackets": (
        "kinds: [学校]", "kinds: ［学校］", "    kinds: [学校]", "用了全角括号“［］”。请改用英文输入法下的括号，写成“kinds: [学校]”。"),
    "unclosed bracket": (
        "kinds: [学校]", "kinds: [学校", "    kinds: [学校]", "“[”没有配对的“]”。请在这一行末尾补上英文的“]”。"),
    "a tab for indentation": (
        "    kinds: [学校]", "\tkinds: [学校]", "    kinds: [学校]",
        "行首用了制表符（Tab）缩进。请删掉它，改用空格（英文输入法下的空格），与同一层的上下行左端对齐。"),
    "a full-width space for indentation": (
        "    kinds: [学校]", "　　kinds: [学校]", "    kinds: [学校]",
        "行首用了全角空格（中文输入法下的空格）缩进。请删掉它，改用半角空格（英文输入法下的空格），与同一层的上下行左端对齐。"),
    "an item appended under exemptions: []": (
        "exemptions: []", "exemptions: []\n  - {unit: 荷花村, subtheme: 5, reason: 无经营户}", "exemptions: []",
        "“exemptions: []”表示空列表，下面第{next}行起的项目接不上。请把这一行改成“exemptions:”（删掉“[]”），项目写在它下面，"
        "每项一行、以“- ”开头并比“exemptions”多缩进 2 个空格。"),
}


@pytest.mark.parametrize("case", MISTAKES)
def test_each_typing_mistake_is_named_on_its_line_with_the_fix(tmp_path: Path, case: str) -> None:
    old, new, line_start, advice = MISTAKES[case]
    line = line_of(line_start)
    path = config_with(tmp_path, old, new)
    assert errors_of(path) == [f"第{line}行：{advice.replace('{next}', str(line + 1))}"]


@pytest.mark.parametrize(("old", "new", "ref", "expect"), [
    # a list item 3 spaces in instead of 2: align with the item above it
    ("  - name: 柳林村", "   - name: 柳林村", "  - name: 荷花村", "请与第{ref}行的“- name”对齐（2 个空格）"),
    # a key of an item 3 spaces in instead of 4: align with the item's first key
    ("    audience: 乡村居民", "   audience: 乡村居民", "  - id: 2", "请与第{ref}行的“id”对齐（4 个空格）"),
    # 5 spaces instead of 4
    ("  - name: 柳林村\n    kinds: [村]", "  - name: 柳林村\n     kinds: [村]", "  - name: 柳林村", "请与第{ref}行的“name”对齐（4 个空格）"),
])
def test_misaligned_indentation_names_the_line_and_what_to_align_with(tmp_path: Path, old: str, new: str, ref: str,
                                                                        expect: str) -> None:
    path = config_with(tmp_path, old, new)
    changed = next(n for n, (a, b) in enumerate(zip(DEFAULT.splitlines(), path.read_text("utf-8").splitlines(),
                                                    strict=False), start=1) if a != b)
    spaces = len(new.splitlines()[-1]) - len(new.splitlines()[-1].lstrip())
    assert errors_of(path) == [f"第{changed}行：这一行缩进了 {spaces} 个空格，与上面各层都对不齐。同一层的项目左端要对齐："
                               f"{expect.format(ref=line_of(ref))}。"]


def test_several_mistakes_are_all_named_in_line_order(tmp_path: Path) -> None:
    path = config_with(tmp_path, "township: 城西湖乡", "township：城西湖乡")
    path.write_text(path.read_text("utf-8").replace("deadline: 2027-02-04", "deadline:2027-02-04"), encoding="utf-8")
    assert [m.split("：")[0] for m in errors_of(path)] == [f"第{line_of('township')}行", f"第{line_of('deadline')}行"]


def test_a_chinese_comma_inside_a_text_value_is_text(tmp_path: Path) -> None:
    path = config_with(tmp_path, "exemptions: []",
                       "exemptions: [{unit: 荷花村, subtheme: 5, reason: 无经营户，已核实, approved_by: 乡创城办}]")
    campaign, _ = load_campaign(path)
    assert campaign.exemptions[0].reason == "无经营户，已核实"


@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(line=st.integers(min_value=0, max_value=len(DEFAULT.splitlines()) - 1),
       at=st.integers(min_value=0, max_value=60), typed=st.sampled_from(["：", "，", "　", "\t", " ", "[", "}", "-", ":", ""]),
       drop=st.integers(min_value=0, max_value=2))
def test_any_one_line_mistyped_is_a_message_never_a_crash(line: int, at: int, typed: str, drop: int) -> None:
    lines = DEFAULT.splitlines()
    text = lines[line]
    lines[line] = text[:at] + typed + text[at + drop:]
    try:
        parse = load_yaml(text="\n".join(lines), path="campaign.yaml", keys=KEYS)
        parse_campaign(parse, path="campaign.yaml")
    except ConfigError as exc:
        assert exc.messages and all(m for m in exc.messages)


def test_unknown_key(tmp_path: Path) -> None:
    path = config_with(tmp_path, "report_interval_days: 7", "report_interval_days: 7\nreport_intervals: 3")
    line = line_of("report_interval_days") + 1  # the unknown key is written on the line below
    assert errors_of(path) == [f"第{line}行，report_intervals：未知的配置项“report_intervals”（请检查拼写；可用的配置项见 README）"]


def test_unknown_kind_names_the_unit(tmp_path: Path) -> None:
    path = config_with(tmp_path, "  - name: 荷花村\n    kinds: [村]", "  - name: 荷花村\n    kinds: [村庄]")
    line = line_of("  - name: 荷花村") + 1  # its kinds are on the line under its name
    assert errors_of(path) == [
        f"第{line}行，units → 第12项（荷花村）→ kinds → 第1项：未知的单位类别“村庄”，可选：村、乡直单位、窗口单位、学校、群团组织、"
        "社会组织、派驻单位"]


def test_responsible_unit_not_on_roster(tmp_path: Path) -> None:
    path = config_with(tmp_path, "{unit: 乡团委}", "{unit: 县团委}")
    (message,) = errors_of(path)
    line = line_of("    responsible: [{unit: 乡妇联}, {unit: 乡团委}")
    assert message.startswith(f"第{line}行，subthemes → 第2项（2）→ responsible → 第2项：单位“县团委”不在 units 名册中")
    assert "乡团委" in message


def test_exemption_naming_unknown_unit_and_subtheme(tmp_path: Path) -> None:
    path = config_with(tmp_path, "exemptions: []",
                       "exemptions:\n  - {unit: 东风村, subtheme: 9, reason: 无经营户, approved_by: 乡创城办}")
    messages = errors_of(path)
    line = line_of("exemptions: []") + 1  # the item is on the line under `exemptions:`
    assert messages[0].startswith(f"第{line}行，exemptions → 第1项：单位“东风村”不在 units 名册中")
    assert messages[1] == f"第{line}行，exemptions → 第1项：子主题编号 9 不存在"


def test_duplicate_unit_name(tmp_path: Path) -> None:
    path = config_with(tmp_path, "  - name: 柳林村", "  - name: 荷花村")
    assert errors_of(path) == [f"第{line_of('  - name: 柳林村')}行，units → 第13项（荷花村）：名称或别名“荷花村”与单位“荷花村”重复，"
                               "每个名称只能指向一个单位"]


def test_alias_equal_to_another_units_name(tmp_path: Path) -> None:
    path = config_with(tmp_path, "aliases: [城西湖乡商会]", "aliases: [乡工会]")
    assert errors_of(path) == [f"第{line_of('    aliases: [城西湖乡商会]')}行，units → 第11项（商会）：名称或别名“乡工会”与单位“乡工会”"
                               "重复，每个名称只能指向一个单位"]


def test_duplicate_alias(tmp_path: Path) -> None:
    path = config_with(tmp_path, "aliases: [城西湖乡商会]", "aliases: [妇联]")
    assert errors_of(path) == [f"第{line_of('    aliases: [城西湖乡商会]')}行，units → 第11项（商会）：名称或别名“妇联”与单位“乡妇联”"
                               "重复，每个名称只能指向一个单位"]


def test_deadline_before_start(tmp_path: Path) -> None:
    path = config_with(tmp_path, "deadline: 2027-02-04", "deadline: 2026-11-01")
    assert errors_of(path) == [f"第{line_of('deadline')}行，deadline：截止日期 2026-11-01 不晚于开始日期 start 2026-11-27，请检查两个日期"]


def test_min_discussions_below_one(tmp_path: Path) -> None:
    path = config_with(tmp_path, "min_discussions: 2 ", "min_discussions: 0 ")
    assert errors_of(path) == [f"第{line_of('min_discussions:')}行，min_discussions：应不小于1，现为“0”"]


def test_impossible_date(tmp_path: Path) -> None:
    path = config_with(tmp_path, "start: 2026-11-27", "start: 2026-13-01")
    assert errors_of(path) == [f"第{line_of('start')}行，start：日期“2026-13-01”无效，请写成 2026-11-27 这样的格式"]


def test_number_is_not_taken_as_a_timestamp(tmp_path: Path) -> None:
    path = config_with(tmp_path, "start: 2026-11-27", "start: 20261127")
    assert errors_of(path) == [f"第{line_of('start')}行，start：日期“20261127”无效，请写成 2026-11-27 这样的格式"]


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
                             f"  - 第{line_of('start')}行，start：日期“2026-13-01”无效，请写成 2026-11-27 这样的格式\n")
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()


def report_error(path: Path, tmp_path: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["report", "--config", str(path), "--inbox", str(tmp_path),
                                       "--outbox", str(tmp_path / "out")])
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()
    return result.exit_code, result.stderr


@pytest.mark.parametrize(("line", "written", "where", "shown"), [
    # "白塔\\x01村" is a valid YAML escape; python-docx refused the name when the bulletin was written (exit 3,
    # 程序内部出错). Now campaign.yaml is refused, naming the line of the name (the 14th unit).
    ("  - name: 白塔村", '  - name: "白塔\\x01村"', "units → 第14项（白塔[U+0001]村）→ name", "白塔[U+0001]村"),
    # Word's manual line break (Shift+Enter) is U+000B, which XML 1.0 cannot hold: pasted into contact, the
    # bulletin could not be written.
    ("contact: 乡创城办 联系电话：（请填写）", 'contact: "乡创城办\\v联系电话：0564-1234567"', "contact",
     "乡创城办[U+000B]联系电话：0564-1234567"),
])
def test_cli_refuses_an_invisible_character_by_its_line(tmp_path: Path, line: str, written: str, where: str,
                                                        shown: str) -> None:
    path = config_with(tmp_path, line, written)
    assert report_error(path, tmp_path) == (2, (
        f"错误：配置文件 {path} 有误，请修改后重新运行：\n"
        f"  - 第{line_of(line)}行，{where}：“{shown}”里有不可见字符"
        "（方括号标出的位置），通报和报表写不进这样的文字。请删除其中的不可见字符，或删掉这一项后重新输入\n"))


def test_a_name_is_one_line_a_free_text_keeps_its_tab(tmp_path: Path) -> None:
    """A tab or a line break is refused in a name (it heads the unit's reminder and names its gap list file), but
    kept in a free text such as contact, which Word and Excel show as written."""
    path = config_with(tmp_path, "aliases: [中心小学]", 'aliases: ["中心\\t小学", "中心\\n小学"]')
    assert errors_of(path) == [
        f"第{line_of('    aliases: [中心小学]')}行，units → 第15项（城西湖乡中心小学）→ aliases → 第{n}项：“中心{mark}小学”里有"
        f"{what}（方括号标出的位置），名称须写在一行内。请删除其中的{what}"
        for n, mark, what in ((1, "[制表符]", "制表符"), (2, "[换行]", "换行符"))]
    kept = config_with(tmp_path, "contact: 乡创城办 联系电话：（请填写）", 'contact: "乡创城办\\t联系电话：0564-1234567"')
    assert load_campaign(kept)[0].contact == "乡创城办\t联系电话：0564-1234567"


@pytest.mark.parametrize(("old", "new", "below", "where", "shown"), [
    ("    title: 诚信经营 文明同行", '    title: "诚信经营\\uFFFE文明同行"', 0, "subthemes → 第5项（5）→ title",
     "诚信经营[U+FFFE]文明同行"),
    ("    title: 诚信经营 文明同行", '    title: 诚信经营 文明同行\n    keywords: [市场, "个体\\x1f户"]', 1,
     "subthemes → 第5项（5）→ keywords → 第2项", "个体[U+001F]户"),
    ("township: 城西湖乡", 'township: "城西湖\\uD800乡"', 0, "township", "城西湖[U+D800]乡"),
])
def test_every_configured_text_is_refused_with_an_unwritable_character(tmp_path: Path, old: str, new: str, below: int,
                                                                        where: str, shown: str) -> None:
    """U+FFFE, a C0 control in a keyword, a lone surrogate (which libyaml refuses and the pure-Python parser reads).
    `below`: the keywords line is added under the title's."""
    path = config_with(tmp_path, old, new)
    line = line_of(old) + below
    assert errors_of(path) == [f"第{line}行，{where}：“{shown}”里有不可见字符（方括号标出的位置），通报和报表写不进这样的文字。"
                               "请删除其中的不可见字符，或删掉这一项后重新输入"]


def test_a_control_character_in_the_file_itself_is_named_by_line_and_column(tmp_path: Path) -> None:
    """Pasted in unescaped, the YAML reader refuses the whole file; it was 文件中：格式有误 with no line.
    `  - name: 白塔` is 12 characters, so the character is the 13th."""
    path = config_with(tmp_path, "  - name: 白塔村", "  - name: 白塔\x01村")
    assert errors_of(path) == [f"第{line_of('  - name: 白塔村')}行：第13个字符是不可见字符（U+0001），配置文件里不能有这样的字符。"
                               "请删除其中的不可见字符（可以删掉这一行的文字后重新输入）。"]


def test_cli_missing_config_file(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["validate", "--config", str(tmp_path / "none.yaml")])
    assert result.exit_code == 2
    assert "文件不存在" in result.output


def test_limits_can_be_raised_in_campaign_yaml(tmp_path: Path) -> None:
    path = config_with(tmp_path, "exemptions: []", "exemptions: []\nlimits: {max_rows: 200000, max_file_mb: 80}")
    campaign, _ = load_campaign(path)
    assert (campaign.limits.max_rows, campaign.limits.max_file_mb, campaign.limits.max_zip_entries) == (200000, 80, 500)
    bad = config_with(tmp_path, "exemptions: []", "exemptions: []\nlimits: {max_row: 5}")
    line = line_of("exemptions: []") + 1  # limits are written on the line under exemptions
    assert errors_of(bad) == [f"第{line}行，limits → max_row：未知的配置项“max_row”（请检查拼写；可用的配置项见 README）"]
    too_long = config_with(tmp_path, "exemptions: []", "exemptions: []\nlimits: {max_cell_chars: 40000}")
    assert errors_of(too_long) == [f"第{line}行，limits → max_cell_chars：应不大于32767，现为“40000”"]


def test_libyaml_reads_campaign_yaml_as_the_pure_python_parser_does() -> None:
    """Valid files go through libyaml (fast for a county roster); mistakes are re-read by the pure-Python
    parser, whose messages the tests above pin. Both must agree on what a valid file says."""
    text = DEFAULT + "\nextra_test_values: [no, on, 2026-12-01, 1_000, ~, 'x: y', true]\n"
    assert load_yaml(text=text, path="campaign.yaml") == yaml.load(text, Loader=Yaml12Loader)
    assert load_yaml(text=text, path="campaign.yaml")["extra_test_values"] == ["no", "on", "2026-12-01", 1000, None,
                                                                                "x: y", True]
