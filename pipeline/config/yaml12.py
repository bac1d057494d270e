"""Read campaign.yaml the way a person means it: YAML 1.2 scalars, any Notepad encoding, no duplicate keys.

PyYAML's SafeLoader follows YAML 1.1, which turns `no`/`on`/`off` into booleans and parses bare
dates itself; here only true/false are booleans and dates stay text for our models to check.
"""

import re
from collections.abc import Sequence, Set
from functools import cached_property
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


class Lines:
    """Where each key and list item of a YAML text is written, for messages about a value: a pydantic error location
    or a cross check's path (`("units", 13, "aliases", 0)`) gives the line of its last key or item. The text is
    composed once, when the first message asks (only a file with mistakes is), by libyaml and else by the
    pure-Python parser, which reads what libyaml may refuse (a lone surrogate written as an escape)."""

    def __init__(self, text: str | None) -> None:
        self._text = text

    @cached_property
    def _root(self) -> Node | None:
        if self._text is None:
            return None
        for loader in (_FastYaml12Loader, Yaml12Loader):
            try:
                return yaml.compose(self._text, Loader=loader)
            except yaml.YAMLError:
                continue
        return None

    def of(self, loc: Sequence[int | str]) -> int | None:
        """The line of the deepest key or item on `loc` that the file has: a key that is missing is named by the
        item or key it is missing from; None for a path that leaves the file at its top (a missing top-level key)."""
        node, line = self._root, None
        for step in loc:
            if isinstance(node, MappingNode):
                found = next(((key, value) for key, value in node.value if key.value == step), None)
                if found is None:
                    break
                line, node = found[0].start_mark.line + 1, found[1]
            elif isinstance(node, SequenceNode) and isinstance(step, int) and 0 <= step < len(node.value):
                node = node.value[step]
                line = node.start_mark.line + 1
            else:
                break
        return line
