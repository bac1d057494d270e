"""The typing mistakes people make in campaign.yaml, found on the line where they were made.

A YAML parser reports where it got stuck, which is often the line after the mistake (`deadline:2027-02-04`
is read as text and the parser stops at the next key), and in its own words. These checks read the text
line by line as a person would and name the mistake with the line as it should read. They run only when
the file could not be used, and look only at campaign.yaml's own keys, so a value is never taken for a mistake.
"""

import re
from collections.abc import Iterator, Set
from dataclasses import dataclass

from pipeline.config.texts import YamlMistake, indent_expectation, yaml_mistake

_FULL_WIDTH_SPACE = "\u3000"
_KEY = re.compile(r"(?P<key>[A-Za-z_][A-Za-z0-9_]*)[ \t]*(?P<colon>[:：])(?P<after>.?)")
_BRACKETS = {"［": "[", "］": "]", "｛": "{", "｝": "}"}


@dataclass(frozen=True)
class _Line:
    number: int
    indent: int
    body: str
    """The line without its indentation and comment."""


@dataclass(frozen=True)
class _Level:
    """A block the following lines may continue: its column, and the last line seen at it with its key (what
    a message tells a misaligned line to align with)."""

    column: int
    line: int
    key: str
    sequence: bool


def _strip_comment(text: str) -> str:
    """The text before a `#` comment that is outside quotes."""
    for i, ch in _outside_quotes(text):
        if ch == "#" and (i == 0 or text[i - 1] in " \t"):
            return text[:i].rstrip()
    return text.rstrip()


def _outside_quotes(text: str) -> Iterator[tuple[int, str]]:
    """(position, character) of each character outside quotes."""
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            quote = "" if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        else:
            yield i, ch


def _key_at_start(body: str, keys: Set[str]) -> re.Match[str] | None:
    """A known key at the start of a line's body, after any list dashes: `- name：白塔村` gives name."""
    item = re.match(r"(?:-[ \t]+)*", body)
    match = _KEY.match(body, item.end() if item else 0)
    return match if match and match["key"] in keys else None


def _colon_mistake(line: _Line, match: re.Match[str]) -> str | None:
    """A known key followed by a Chinese colon, or by an English one with no space after it."""
    key, colon, after = match["key"], match["colon"], match["after"]
    body = line.body
    fixed = f"{body[:match.end('key')]}: {body[match.end('colon'):].lstrip(' ' + _FULL_WIDTH_SPACE)}".rstrip()
    if colon == "：":
        return yaml_mistake(YamlMistake.FULL_WIDTH_COLON, line=line.number, key=key, fixed=fixed)
    if after == _FULL_WIDTH_SPACE:
        return yaml_mistake(YamlMistake.FULL_WIDTH_SPACE_AFTER_COLON, line=line.number, key=key, fixed=fixed)
    if after and after not in " \t":
        return yaml_mistake(YamlMistake.NO_SPACE_AFTER_COLON, line=line.number, key=key, fixed=fixed)
    return None


def _key_after(body: str, i: int, keys: Set[str]) -> re.Match[str] | None:
    """A known key starting after position i (past spaces)."""
    j = i + 1
    while j < len(body) and body[j] == " ":
        j += 1
    match = _KEY.match(body, j)
    return match if match and match["key"] in keys else None


def _flow_mistake(line: _Line, keys: Set[str]) -> str | None:
    """Inside [...] or {...}: the colon mistakes after a key, and Chinese commas between items (a Chinese comma
    inside a value, as in `reason: 无经营户，已核实`, is text and left alone)."""
    body = line.body
    commas: list[int] = []
    inner: list[str] = []
    brackets = ""
    for i, ch in _outside_quotes(body):
        if ch in "[{":
            inner.append(ch)
        elif ch in "]}" and inner:
            inner.pop()
        if not inner:
            continue
        if ch in "{," and (match := _key_after(body, i, keys)) and (found := _colon_mistake(line, match)):
            return found
        if ch == "，" and (inner[-1] == "[" or body[i + 1:].lstrip().startswith("{") or _key_after(body, i, keys)):
            commas.append(i)
            brackets = brackets or ("方括号“[ ]”" if inner[-1] == "[" else "花括号“{ }”")
    if not commas:
        return None
    fixed = "".join(", " if i in commas else ch for i, ch in enumerate(body))
    return yaml_mistake(YamlMistake.FULL_WIDTH_COMMA, line=line.number, brackets=brackets,
                        fixed=re.sub(r", +", ", ", fixed))


def _bracket_mistake(line: _Line, match: re.Match[str] | None) -> str | None:
    """A value written in full-width brackets: `kinds: ［村］`."""
    value = line.body[match.end("colon"):].strip() if match else ""
    if value[:1] in ("［", "｛") and value[-1:] in ("］", "｝"):
        fixed = "".join(_BRACKETS.get(ch, ch) for ch in line.body)
        return yaml_mistake(YamlMistake.FULL_WIDTH_BRACKET, line=line.number, bracket=value[0] + value[-1],
                            fixed=fixed)
    return None


def _label(line: _Line, match: re.Match[str] | None) -> str:
    """How a message names a line: its key, with the dash for a list item (`- name`)."""
    dash = "- " if line.body.startswith("-") else ""
    return dash + (match["key"] if match else line.body.lstrip("- ")[:8])


def _indent_mistakes(lines: list[_Line], keys: Set[str]) -> Iterator[tuple[int, str]]:
    """The first line whose indentation matches no block it could belong to, or an item under `key: []`."""
    levels: list[_Level] = [_Level(0, 0, "", sequence=False)]
    opened: _Level | None = None
    """The block the previous line opened (`key:` with nothing after it), which this line may deepen."""
    empty: tuple[_Line, str, str] | None = None
    for line in lines:
        match = _key_at_start(line.body, keys)
        dash = line.body == "-" or line.body.startswith("- ")
        if empty is not None and (line.indent > empty[0].indent or (dash and line.indent == empty[0].indent)):
            head, key, value = empty
            yield head.number, yaml_mistake(YamlMistake.ITEMS_AFTER_EMPTY, line=head.number, key=key, empty=value,
                                            what="空列表" if value == "[]" else "空的一组“键: 值”", item=line.number)
            return
        closed: _Level | None = None
        while levels[-1].column > line.indent:
            closed = levels.pop()
        top = levels[-1]
        if opened is not None and (line.indent > opened.column or (dash and line.indent == opened.column)):
            levels.append(_Level(line.indent, line.number, _label(line, match), sequence=dash))
        elif top.column == line.indent:
            levels[-1] = _Level(top.column, line.number, _label(line, match), sequence=top.sequence)
        else:
            options = [(lv.column, lv.line, lv.key, False) for lv in (closed, top)
                       if lv is not None and lv.line and lv.sequence == dash]
            if opened is not None:
                options.append((opened.column + 2, opened.line, opened.key, True))
            yield line.number, yaml_mistake(YamlMistake.INDENT_MISALIGNED, line=line.number, spaces=line.indent,
                                            expect=indent_expectation(options))
            return
        opened, empty = None, None
        item = re.match(r"(?:-[ \t]+)+", line.body) if dash else None
        if item is not None and match is not None:
            levels.append(_Level(line.indent + item.end(), line.number, match["key"], sequence=False))
        if match is not None:
            value = line.body[match.end("colon"):].strip()
            if not value:
                opened = _Level(line.indent + match.start(), line.number, match["key"], sequence=False)
            elif value in ("[]", "{}"):
                empty = (line, match["key"], value)


def find_mistakes(text: str, *, keys: Set[str]) -> list[str]:
    """Every mistake found, one message per line in line order; `keys` are the keys campaign.yaml may have.
    The indentation check names the first misaligned line only: below it every level is in doubt."""
    found: dict[int, str] = {}
    structured: list[_Line] = []
    block_scalar: int | None = None
    depth = 0
    unclosed: tuple[_Line, str] | None = None
    """A line whose [ or { is still open: a mistake unless the lines below continue it, more indented."""
    for number, raw in enumerate([*text.splitlines(), "..."], start=1):
        body = _strip_comment(raw)
        stripped = body.lstrip(" ")
        indent = len(body) - len(stripped)
        if unclosed is not None and stripped and indent <= unclosed[0].indent:
            head, opener = unclosed
            found[head.number] = yaml_mistake(YamlMistake.UNCLOSED_BRACKET, line=head.number, opener=opener,
                                              closer="]" if opener == "[" else "}")
            unclosed, depth = None, 0
        if not stripped or stripped.startswith(("---", "...")) or (block_scalar is not None and indent > block_scalar):
            continue
        block_scalar = None
        if stripped[0] in ("\t", _FULL_WIDTH_SPACE):
            code = YamlMistake.TAB_INDENT if stripped[0] == "\t" else YamlMistake.FULL_WIDTH_INDENT
            found[number] = yaml_mistake(code, line=number)
            continue
        line = _Line(number, indent, stripped)
        match = _key_at_start(stripped, keys)
        message = (match and _colon_mistake(line, match)) or _flow_mistake(line, keys) or _bracket_mistake(line, match)
        if message:
            found[number] = message
        if depth == 0:
            structured.append(line)
        opens = [ch for _, ch in _outside_quotes(stripped) if ch in "[]{}"]
        if depth == 0 and (depth := max(0, sum(1 if ch in "[{" else -1 for ch in opens))) and match is not None:
            unclosed = (line, next(ch for ch in opens if ch in "[{"))
        elif depth:
            depth = max(0, depth + sum(1 if ch in "[{" else -1 for ch in opens))
        if match is not None and re.fullmatch(r"[|>][-+0-9]*", stripped[match.end("colon"):].strip()):
            block_scalar = indent
    for number, message in _indent_mistakes(structured, keys):
        found.setdefault(number, message)
    return [found[n] for n in sorted(found)]
