"""Why a command stops: one code per kind of stop, each with its Chinese sentence. The CLI maps them to exit codes.

Data problems in the units' files are never exceptions; they are `Problem` values. These are the few
things that keep a command from doing its job at all: a configuration or argument that cannot be used,
another run holding the lock, an outbox that cannot be written, an archive that lacks a file.
"""

from collections.abc import Sequence
from enum import StrEnum


class Stop(StrEnum):
    """A kind of stop; its value is stable (scripts and tests may match it)."""

    CONFIG = "config"
    BAD_AS_OF = "bad-as-of"
    NO_INBOX = "no-inbox"
    LOCKED = "locked"
    UNWRITABLE = "unwritable"
    NOT_ARCHIVED = "not-archived"
    AMBIGUOUS_SHA = "ambiguous-sha"
    RESTORE_EXISTS = "restore-exists"


STOP_TEXTS: dict[Stop, str] = {
    Stop.CONFIG: "配置文件 {path} 有误，请修改后重新运行：",
    Stop.BAD_AS_OF: "--as-of 日期“{value}”无效，请写成 2026-12-20 这样的格式",
    Stop.NO_INBOX: "收件箱文件夹“{inbox}”不存在，请先创建并放入各单位报送的台账",
    Stop.LOCKED: "另一次汇总正在运行（锁文件 {path}），已等待 {timeout:g} 秒；请稍后再试。如确认没有在运行，可删除该锁文件",
    Stop.UNWRITABLE: "无法写入“{path}”：{reason}（文件是否正在 Excel/WPS 中打开？）",
    Stop.NOT_ARCHIVED: "存档中没有以“{sha}”开头的文件，请核对文件清单中的 SHA256",
    Stop.AMBIGUOUS_SHA: "存档中有多个以“{sha}”开头的文件，请核对文件清单中的 SHA256",
    Stop.RESTORE_EXISTS: "“{path}”已存在，未覆盖；请换一个 --to 文件夹",
}


class ChuangchengError(Exception):
    """A stop with its code and the facts its sentence is built from; `str()` is the Chinese sentence."""

    def __init__(self, code: Stop, **facts: object) -> None:
        self.code = code
        self.facts = facts
        super().__init__(STOP_TEXTS[code].format(**facts))


class ConfigError(ChuangchengError):
    """campaign.yaml cannot be used; carries every mistake found, one per line, after the header sentence."""

    def __init__(self, path: str, messages: Sequence[str]) -> None:
        super().__init__(Stop.CONFIG, path=path)
        self.path = path
        self.messages = list(messages)

    def lines(self) -> list[str]:
        """The header sentence, then each mistake as a list item."""
        return [str(self), *(f"  - {m}" for m in self.messages)]
