"""User-facing Chinese text for configuration messages, kept in one place.

Ledger-reading messages live in `pipeline.read.texts` and `pipeline.read.refusals`, gap texts and report labels in
`pipeline.judge.texts`.
"""

from collections.abc import Sequence
from enum import StrEnum, unique
from typing import Any

from pipeline.config.characters import LINE_BREAK, UNWRITABLE

# --- campaign.yaml that YAML cannot read -------------------------------------------------------------------


@unique
class YamlMistake(StrEnum):
    """A typing mistake in campaign.yaml found on its line (pipeline.config.mistakes), with the fix to make."""

    TAB_INDENT = "tab-indent"
    FULL_WIDTH_INDENT = "full-width-indent"
    FULL_WIDTH_COLON = "full-width-colon"
    NO_SPACE_AFTER_COLON = "no-space-after-colon"
    FULL_WIDTH_SPACE_AFTER_COLON = "full-width-space-after-colon"
    FULL_WIDTH_COMMA = "full-width-comma"
    FULL_WIDTH_BRACKET = "full-width-bracket"
    ITEMS_AFTER_EMPTY = "items-after-empty"
    UNCLOSED_BRACKET = "unclosed-bracket"
    INDENT_MISALIGNED = "indent-misaligned"


_YAML_MISTAKES: dict[YamlMistake, str] = {
    YamlMistake.TAB_INDENT: "行首用了制表符（Tab）缩进。请删掉它，改用空格（英文输入法下的空格），与同一层的上下行左端对齐",
    YamlMistake.FULL_WIDTH_INDENT: "行首用了全角空格（中文输入法下的空格）缩进。请删掉它，改用半角空格（英文输入法下的空格），"
                                   "与同一层的上下行左端对齐",
    YamlMistake.FULL_WIDTH_COLON: "“{key}”后面用了中文冒号“：”。键和值之间请用英文冒号加空格“: ”，写成“{fixed}”",
    YamlMistake.NO_SPACE_AFTER_COLON: "“{key}:”的冒号后面缺少空格。请在英文冒号后加一个空格，写成“{fixed}”",
    YamlMistake.FULL_WIDTH_SPACE_AFTER_COLON: "“{key}:”的冒号后面是全角空格。请改成一个半角空格（英文输入法下的空格），"
                                              "写成“{fixed}”",
    YamlMistake.FULL_WIDTH_COMMA: "{brackets}里用了中文逗号“，”分隔。各项之间请用英文逗号加空格“, ”，写成“{fixed}”",
    YamlMistake.FULL_WIDTH_BRACKET: "用了全角括号“{bracket}”。请改用英文输入法下的括号，写成“{fixed}”",
    YamlMistake.ITEMS_AFTER_EMPTY: "“{key}: {empty}”表示{what}，下面第{item}行起的项目接不上。请把这一行改成“{key}:”"
                                   "（删掉“{empty}”），项目写在它下面，每项一行、以“- ”开头并比“{key}”多缩进 2 个空格",
    YamlMistake.UNCLOSED_BRACKET: "“{opener}”没有配对的“{closer}”。请在这一行末尾补上英文的“{closer}”",
    YamlMistake.INDENT_MISALIGNED: "这一行缩进了 {spaces} 个空格，与上面各层都对不齐。{expect}",
}


def yaml_mistake(code: YamlMistake, *, line: int, **facts: object) -> str:
    """One mistake found on its line: where, what is wrong, and how the line should read."""
    return f"第{line}行：{_YAML_MISTAKES[code].format(**facts)}。"


def indent_expectation(options: Sequence[tuple[int, int, str, bool]]) -> str:
    """`options`: (spaces, line, key, deeper) of each block the line could belong to: aligned with that line's
    key, or (deeper) one level under it."""
    said = "；或者".join(
        f"比第{line}行的“{key}”多缩进 2 个空格（共 {spaces} 个）" if deeper else f"与第{line}行的“{key}”对齐（{spaces} 个空格）"
        for spaces, line, key, deeper in options)
    return f"同一层的项目左端要对齐：请{said}" if said else "同一层的项目左端要对齐，请与上下行对照调整"


CONFIG_DUPLICATE_KEY = "配置项“{key}”重复出现"

_YAML_PROBLEMS = {
    "mapping values are not allowed here": "这里不能出现“键: 值”（常见原因：冒号后缺空格、上一行缩进不对）",
    "could not find expected ':'": "缺少英文冒号“:”",
    "found character '\\t' that cannot start any token": "使用了制表符（Tab），请改用空格缩进",
    "expected <block end>, but found '-'": "列表项“-”的缩进与上一行不一致",
    "did not find expected key": "缩进不一致或缺少冒号",
    "did not find expected ',' or ']'": "方括号列表没有正确闭合，缺少“]”或逗号",
    "did not find expected ',' or '}'": "花括号没有正确闭合，缺少“}”或逗号",
    "found unexpected end of stream": "文件意外结束（引号或括号没有闭合）",
    "found undefined alias": "使用了未定义的锚点别名“*”",
}


def config_syntax_error(*, line: int, problem: str) -> str:
    """A YAML syntax error that no line check explained, in words a clerk can act on, with the line number."""
    reason = next((zh for en, zh in _YAML_PROBLEMS.items() if problem.startswith(en)), "")
    if not reason:
        reason = problem if any("\u4e00" <= ch <= "\u9fff" for ch in problem) else (
            "格式有误：请检查这一行和上一行的缩进是否与同一层对齐、英文冒号后是否有空格、括号和引号是否成对")
    where = f"第{line}行" if line else "文件中"
    return f"{where}：{reason}。"


_KIND_LIST = "村、乡直单位、窗口单位、学校、群团组织、社会组织、派驻单位"


def config_where(loc: Sequence[int | str], raw: Any) -> str:
    """A pydantic error location as the office would say it: `units → 第12项（荷花村）→ kinds`."""
    parts: list[str] = []
    node = raw
    for step in loc:
        if isinstance(step, int):
            label = f"第{step + 1}项"
            item = node[step] if isinstance(node, list) and step < len(node) else None
            if isinstance(item, dict):
                tag = item.get("name") or item.get("unit") or item.get("id")
                if tag is not None:
                    label += f"（{visible(str(tag))}）"
            parts.append(label)
            node = item
        else:
            parts.append(str(step))
            node = node.get(step) if isinstance(node, dict) else None
    if not parts:
        return "文件顶层"
    # after a closing full-width bracket, which carries its own space, the arrow follows it directly
    return "".join(part if i == 0 else ("→ " if parts[i - 1].endswith("）") else " → ") + part
                   for i, part in enumerate(parts))


def config_field_error(*, kind: str, loc: Sequence[int | str], value: Any, ctx: dict[str, Any]) -> str:
    """Translate one pydantic error type into a Chinese sentence (without the location)."""
    shown = f"“{visible(str(value))}”" if not isinstance(value, dict | list) else ""
    is_kind = any(step in ("kinds", "kind", "min_discussions_kinds") for step in loc)
    if kind == "missing":
        return "缺少此项，请补上"
    if kind == "extra_forbidden":
        return f"未知的配置项“{loc[-1]}”（请检查拼写；可用的配置项见 README）"
    if kind == "literal_error" and is_kind:
        return f"未知的单位类别{shown}，可选：{_KIND_LIST}"
    if kind == "literal_error":
        return f"取值{shown}无效，可选：{ctx.get('expected', '')}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"应为整数，现为{shown}"
    if kind == "greater_than_equal":
        return f"应不小于{ctx.get('ge')}，现为{shown}"
    if kind == "less_than_equal":
        return f"应不大于{ctx.get('le')}，现为{shown}"
    if kind in ("string_type", "string_too_short"):
        return f"应为非空文字，现为{shown or '空'}"
    if kind in ("list_type", "tuple_type", "too_short"):
        return "应为列表，例如 [村, 乡直单位]"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为“键: 值”形式的条目"
    if kind == "bool_parsing":
        return f"应为 true 或 false，现为{shown}"
    if kind.startswith("cc_"):
        return str(ctx.get("message", ""))
    return f"取值{shown}无效"


def config_problem(*, where: str, what: str, line: int | None = None) -> str:
    """A value's mistake at its place: the line of its key or list item (None only for a key missing at the top of
    the file, which has no line), then the path to it, so a clerk finds it whichever way they look."""
    return f"第{line}行，{where}：{what}" if line else f"{where}：{what}"


_BREAK_MARKS = {"\t": "[制表符]"}


def visible(value: str) -> str:
    """A configured text as a message shows it: each character that cannot be seen, or would break the message's
    line, named in brackets where it stands (`白塔[U+0001]村`, `白塔[换行]村`)."""
    value = UNWRITABLE.sub(lambda m: f"[U+{ord(m[0]):04X}]", value)
    return LINE_BREAK.sub(lambda m: _BREAK_MARKS.get(m[0], "[换行]"), value)


def unwritable_text(value: str) -> str:
    """A text holding characters a .docx or .xlsx cannot hold (pipeline.config.characters.UNWRITABLE)."""
    return (f"“{visible(value)}”里有不可见字符（方括号标出的位置），通报和报表写不进这样的文字。"
            "请删除其中的不可见字符，或删掉这一项后重新输入")


def name_not_one_line(value: str) -> str:
    """A name holding a tab or a line break (pipeline.config.characters.LINE_BREAK)."""
    found = {"制表符" if ch == "\t" else "换行符" for ch in LINE_BREAK.findall(value)}
    what = "和".join(sorted(found, key="换行符制表符".index))
    return f"“{visible(value)}”里有{what}（方括号标出的位置），名称须写在一行内。请删除其中的{what}"


def unwritable_in_file(*, line: int, column: int, character: int) -> str:
    """A character the YAML reader refuses in the file itself (pasted from another program)."""
    return (f"第{line}行：第{column}个字符是不可见字符（U+{character:04X}），配置文件里不能有这样的字符。"
            "请删除其中的不可见字符（可以删掉这一行的文字后重新输入）。")


DATE_FORMAT_HINT = "请写成 2026-11-27 这样的格式"


def bad_config_date(value: Any) -> str:
    return f"日期“{value}”无效，{DATE_FORMAT_HINT}"


def bad_timezone(value: str) -> str:
    return f"时区“{value}”无法识别，一般应为 Asia/Shanghai"


RESPONSIBLE_ONE_OF = "每个责任单位须写成 {unit: 单位名称} 或 {kind: 单位类别}，二者选一"


def deadline_not_after_start(*, start: Any, deadline: Any, line: int | None) -> str:
    return config_problem(where="deadline", what=f"截止日期 {deadline} 不晚于开始日期 start {start}，请检查两个日期",
                          line=line)


def joined_outside(*, where: str, joined: Any, start: Any, deadline: Any, line: int | None) -> str:
    return config_problem(where=f"{where}→ joined", line=line,
                          what=f"加入日期 {joined} 不在活动期间（{start} 至 {deadline}）内，请检查日期")


def unknown_unit(*, where: str, name: str, suggestions: Sequence[str], line: int | None) -> str:
    near = f"（名册中相近的有：{'、'.join(suggestions)}）" if suggestions else ""
    return config_problem(where=where, what=f"单位“{name}”不在 units 名册中{near}", line=line)


def duplicate_name(*, where: str, name: str, other: str, line: int | None) -> str:
    return config_problem(where=where, what=f"名称或别名“{name}”与{other}重复，每个名称只能指向一个单位", line=line)


def unknown_subtheme(*, where: str, subtheme: int, line: int | None) -> str:
    return config_problem(where=where, what=f"子主题编号 {subtheme} 不存在", line=line)


def exemption_waives_nothing(*, where: str, unit: str, subtheme: int, line: int | None) -> str:
    said = config_problem(where=where, what=f"单位“{unit}”本不负责子主题{subtheme}，这项免除不起作用；"
                                            "请核对单位名称或子主题编号。", line=line)
    return f"提示：{said}"


def duplicate_subtheme(*, where: str, subtheme: int, line: int | None, first: int | None) -> str:
    """A sub-theme number used again, named where it is used again (and where first, when the file says)."""
    before = f"，第{first}行已用过" if first else ""
    return config_problem(where=where, what=f"子主题编号 {subtheme} 重复{before}", line=line)


def kind_without_units(kind: str) -> str:
    return f"提示：配置中用到了单位类别“{kind}”，但名册里没有这类单位，相应责任无人承担。"


PLACEHOLDER_MARKS = ("请填写", "待填写", "XXX", "xxx", "＊＊＊")
"""What a value still to be filled in contains (campaign.yaml ships `联系电话：（请填写）`)."""


def placeholders(*, contact: bool, units: Sequence[str]) -> str:
    """One warning for everything campaign.yaml still holds as shipped (said once a run)."""
    parts = []
    if contact:
        parts.append("联系方式（contact）尚未填写，通报、整改清单和模板暂不印联系方式")
    if units:
        parts.append(f"名册中仍有示例单位（{'、'.join(units)}），请换成本乡实际单位")
    return f"提示：campaign.yaml 中还有待替换的内容：{'；'.join(parts)}。"


def config_unreadable(path: str, reason: str) -> str:
    return f"无法读取配置文件 {path}：{reason}"


CONFIG_NOT_MAPPING = "文件顶层应为“键: 值”形式的配置（可能是空文件或格式不对）"
