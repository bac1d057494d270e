"""Why a command stops: one code per kind of stop, each with its Chinese sentence. The CLI maps them to exit codes.

Data problems in the units' files are never exceptions; they are `Problem` values. These are the few
things that keep a command from doing its job at all: a configuration or argument that cannot be used,
another run holding the lock, an outbox that cannot be written, an archive that lacks a file.
"""

import errno
import os
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Stop(StrEnum):
    """A kind of stop; its value is stable (scripts and tests may match it)."""

    CONFIG = "config"
    BAD_AS_OF = "bad-as-of"
    NO_INBOX = "no-inbox"
    NOT_A_FOLDER = "not-a-folder"
    LOCKED = "locked"
    HISTORY_BUSY = "history-busy"
    HISTORY_FAILED = "history-failed"
    DISK_FULL = "disk-full"
    READ_ONLY = "read-only"
    FILE_IN_USE = "file-in-use"
    FOLDER_IN_USE = "folder-in-use"
    SIDE_WRITER = "side-writer"
    UNWRITABLE = "unwritable"
    NOT_ARCHIVED = "not-archived"
    AMBIGUOUS_SHA = "ambiguous-sha"
    RESTORE_EXISTS = "restore-exists"
    NOT_A_SHA = "not-a-sha"


STOP_TEXTS: dict[Stop, str] = {
    Stop.CONFIG: "配置文件 {path} 有误，请修改后重新运行：",
    Stop.BAD_AS_OF: "--as-of 日期“{value}”无效，请写成 2026-12-20 这样的格式",
    Stop.NO_INBOX: "收件箱文件夹“{inbox}”不存在，请先创建并放入各单位报送的台账",
    Stop.NOT_A_FOLDER: "“{path}”是一个文件，不是文件夹；请指定一个文件夹（{what}）",
    Stop.LOCKED: "另一次汇总正在运行（锁文件 {path}），已等待 {timeout:g} 秒；请等它结束后再试",
    Stop.HISTORY_BUSY: "历史数据库“{path}”正被另一个程序占用，已等待 {timeout:g} 秒。请关闭正在打开它的程序（如数据库查看软件）后重新运行",
    Stop.HISTORY_FAILED: "历史数据库“{path}”无法使用：{reason}。本次报表未生成；请把该文件交给技术人员检查",
    Stop.DISK_FULL: "磁盘空间不足，无法写入“{folder}”。请清理磁盘或换一个文件夹后重新运行；已有的报表和存档没有被改动",
    Stop.READ_ONLY: "文件夹“{folder}”只读或没有写入权限。请换一个文件夹（--outbox / --archive），或开放该文件夹的写入权限后重新运行",
    Stop.FILE_IN_USE: "“{path}”正被其他程序打开（多半是 Excel 或 WPS），无法替换。请关闭该文件后重新运行",
    Stop.FOLDER_IN_USE: "文件夹“{path}”中有文件正被其他程序打开（多半是 Excel 或 WPS 打开的整改清单），无法替换。请关闭后重新运行",
    Stop.SIDE_WRITER: "写整改清单、工作通报和催报提醒的进程意外退出（代码 {exitcode}），可能是电脑内存不足。本次报表未生成，已有的报表没有被改动；请重新运行",
    Stop.UNWRITABLE: "无法写入“{path}”：{reason}。本次报表未生成，已有的报表没有被改动",
    Stop.NOT_ARCHIVED: "存档中没有以“{sha}”开头的文件，请核对文件清单中的 SHA256",
    Stop.AMBIGUOUS_SHA: "存档中有多个以“{sha}”开头的文件，请核对文件清单中的 SHA256",
    Stop.RESTORE_EXISTS: "“{path}”已存在，未覆盖；请换一个 --to 文件夹",
    Stop.NOT_A_SHA: "“{sha}”不是 SHA256 的开头：请照文件清单最后一列抄写 SHA256 的前几位（至少 6 位，只有 0–9 和 a–f）",
}


_OS_REASONS = {
    errno.EEXIST: "已有同名的文件或文件夹",
    errno.ENOTDIR: "路径中有一项是文件而不是文件夹",
    errno.EISDIR: "这是一个文件夹，不是文件",
    errno.ENOENT: "路径不存在（文件夹可能已被移走或改名）",
    errno.ENAMETOOLONG: "路径太长，请换一个短一些的文件夹",
    errno.EIO: "磁盘读写出错（U 盘或网络盘是否已断开？）",
}


def os_reason(exc: OSError) -> str:
    """An operating-system error in words a clerk can act on (the system's own words are English on Linux)."""
    return _OS_REASONS.get(exc.errno or 0, f"系统错误（代码 {exc.errno}）" if exc.errno else "系统错误")


class InternalError(Exception):
    """A fault of the program itself, not of the input or the machine: the CLI writes `detail` (a traceback)
    to a log file and tells the clerk where it is."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


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


class Notice(StrEnum):
    """Something the office must know about a run that still completed."""

    HISTORY_SET_ASIDE = "history-set-aside"
    NOT_RECORDED = "not-recorded"
    CACHE_NOT_SAVED = "cache-not-saved"
    ROWS_NOT_SAVED = "rows-not-saved"
    GONE_FROM_INBOX = "gone-from-inbox"
    INCOMPLETE_FILES = "incomplete-files"
    REPLACED_ENTRY = "replaced-entry"


NOTICE_TEXTS: dict[Notice, str] = {
    Notice.HISTORY_SET_ASIDE: (
        "提示：历史数据库“{path}”已损坏，已改名为“{aside}”保存，并新建了一个空的历史数据库；通报的期号和周趋势从本次重新开始。"
        "如需找回以前的记录，请把新建的“{name}”移走，再把“{aside}”改名回“{name}”，交给技术人员修复。"),
    Notice.NOT_RECORDED: (
        "提示：统计日期 {as_of} 不是今天，本次为试算，没有记入历史（通报期号、周趋势和“持续无进展”只按正式周报计算）。"
        "如要把这一次作为该周的正式周报记入历史（例如补做或重做某一周），请加 --record 重新运行（make report 写 RECORD=1）。"),
    Notice.CACHE_NOT_SAVED: (
        "提示：读取缓存文件夹“{path}”无法写入（{reason}），本次读取的结果没有（全部）保存，下次汇总会把没保存的台账重新读一遍；"
        "本次汇总结果不受影响。"),
    Notice.ROWS_NOT_SAVED: (
        "提示：排好的明细行无法保存到“{path}”（{reason}），下次汇总会把各台账的明细行重新排版（多花一些时间）；"
        "本次汇总结果不受影响。"),
    Notice.GONE_FROM_INBOX: (
        "提示：上期正式周报（{previous}）采用的{units}的台账本期已不在收件箱中，{units}本期按未报送统计"
        "（整改清单、催报提醒和工作通报里都写明了上期采用的台账本期不在收件箱中）。如是移走或误删，请放回收件箱后重新运行：{files}"),
    Notice.INCOMPLETE_FILES: (
        "提示：{files}不完整（结尾缺失），可能尚未复制完或从微信下载不完整，本次未能读取。发催报提醒之前，请先从微信重新下载"
        "或重新复制到收件箱，再运行一次；重新下载后仍不完整的，再请单位重新报送。"),
    Notice.REPLACED_ENTRY: "提示：历史中原有的第{number}期周报（统计日期 {before}）已被本次运行替换，{changes}。{restore}",
}

RESTORE_COMMAND = r".venv\Scripts\chuangcheng restore" if os.name == "nt" else ".venv/bin/chuangcheng restore"
"""How a clerk runs restore from the project folder (README): `python -m pipeline` fails outside .venv."""
GONE_FILE = "{unit}《{file}》用 " + RESTORE_COMMAND + " {sha} 从存档取回"
"""One of Notice.GONE_FROM_INBOX's {files}: the file the history kept, and the command that brings it back."""
GONE_UNNAMED = ("{unit}的台账（历史里没有记下是哪个文件：它的 SHA256 在上期汇总表的文件清单里，用 " + RESTORE_COMMAND
                + " 从存档取回）")
"""One of Notice.GONE_FROM_INBOX's {files} where the history entry (recorded before files were kept) does not say
which file it was."""


def gone_files(gone: Sequence[tuple[str, str, str]]) -> str:
    """Notice.GONE_FROM_INBOX's {files}: (unit, file, SHA256) of each ledger gone; file and SHA256 are empty where
    the history did not keep them."""
    return "；".join(GONE_FILE.format(unit=unit, file=file, sha=sha[:8]) if file and sha
                    else GONE_UNNAMED.format(unit=unit) for unit, file, sha in gone)


@dataclass(frozen=True)
class Said:
    """A notice with the facts its sentence is built from."""

    code: Notice
    facts: tuple[tuple[str, object], ...]

    @classmethod
    def of(cls, code: Notice, **facts: object) -> "Said":
        return cls(code=code, facts=tuple(facts.items()))

    @property
    def text(self) -> str:
        return NOTICE_TEXTS[self.code].format(**dict(self.facts))
