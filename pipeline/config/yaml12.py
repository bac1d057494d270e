"""Read campaign.yaml the way a person means it: YAML 1.2 scalars, any Notepad encoding, no duplicate keys.

PyYAML's SafeLoader follows YAML 1.1, which turns `no`/`on`/`off` into booleans and parses bare
dates itself; here only true/false are booleans and dates stay text for our models to check.
"""

import re
from collections.abc import Sequence, Set
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, SequenceNode

from pipeline.config import texts
from pipeline.config.mistakes import find_mistakes
from pipeline.errors import ConfigError

_BOOL_TAG = "tag:yaml.org,2002:bool"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


class _Yaml12:
    """YAML 1.2 booleans, no implicit timestamps, and duplicate keys refused (mixed into a SafeLoader)."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)  # type: ignore[attr-defined]
            if isinstance(key, str) and key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, texts.CONFIG_DUPLICATE_KEY.format(key=key), key_node.start_mark
                )
            seen.add(key)
        return super().construct_mapping(node, deep=deep)  # type: ignore[misc, no-any-return]


class Yaml12Loader(_Yaml12, yaml.SafeLoader):
    """The pure-Python parser: its error messages and line marks are the ones users are shown."""


class _FastYaml12Loader(_Yaml12, getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same rules on libyaml's parser (ten times faster for a county's roster of thousands of units)."""


for _loader in (Yaml12Loader, _FastYaml12Loader):
    _loader.yaml_implicit_resolvers = {
        first: [(tag, rx) for tag, rx in resolvers if tag not in (_BOOL_TAG, _TIMESTAMP_TAG)]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    _loader.add_implicit_resolver(_BOOL_TAG, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))


def decode_text(data: bytes) -> str:
    """Decode what Notepad may save: UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def load_yaml(*, text: str, path: str, keys: Set[str] = frozenset()) -> Any:
    """Parse YAML text; a file that cannot be parsed raises ConfigError naming each typing mistake found on its
    line (`keys`: the keys the file may use, which the colon and bracket checks look after), or else the line
    where the parser stopped."""
    try:
        return yaml.load(text, Loader=_FastYaml12Loader)
    except yaml.YAMLError:
        pass
    mistakes = find_mistakes(text, keys=keys)
    if mistakes:
        raise ConfigError(path, mistakes)
    try:
        return yaml.load(text, Loader=Yaml12Loader)
    except yaml.reader.ReaderError as exc:
        raise ConfigError(path, [_unreadable_character(text, exc)]) from None
    except yaml.MarkedYAMLError as exc:
        lines = text.splitlines()
        marks = [m.line for m in (exc.context_mark, exc.problem_mark) if m is not None and m.line < len(lines)]
        line = marks[-1] + 1 if marks else 0
        raise ConfigError(path, [texts.config_syntax_error(line=line, problem=exc.problem or "")]) from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, [texts.config_syntax_error(line=0, problem=str(exc))]) from None


def _unreadable_character(text: str, exc: yaml.reader.ReaderError) -> str:
    """A character YAML refuses in the file itself (a control character pasted in), by its line and column."""
    start = text.rfind("\n", 0, exc.position) + 1
    return texts.unwritable_in_file(line=text.count("\n", 0, start) + 1, column=exc.position - start + 1,
                                    character=int(exc.character))


def line_of(text: str, loc: Sequence[int | str]) -> int | None:
    """The line in `text` where the value at `loc` (a pydantic error location) starts, for a message about a value
    whose mistake an editor may not show; None where the path leaves the file (a key that is not there). The
    pure-Python parser reads what libyaml may refuse (a lone surrogate written as an escape)."""
    try:
        node: Node | None = yaml.compose(text, Loader=Yaml12Loader)
    except yaml.YAMLError:
        return None
    for step in loc:
        if isinstance(node, MappingNode):
            node = next((value for key, value in node.value if key.value == step), None)
        elif isinstance(node, SequenceNode) and isinstance(step, int) and step < len(node.value):
            node = node.value[step]
        else:
            node = None
        if node is None:
            return None
    return None if node is None else node.start_mark.line + 1
