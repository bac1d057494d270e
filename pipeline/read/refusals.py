"""read/'s registry of why a file is not read: the 已忽略 and 未采用 codes, each with the Chinese a clerk reads
for it in 文件清单, 未采用文件 and the reminders, and the details inside a 损坏 or 超出上限 reason.

As in `pipeline.read.texts` (the data problems), a builder returns a `Note` and code values are stable strings.
"""

from collections.abc import Sequence
from enum import unique

from pipeline.model import Code, Note
from pipeline.read.texts import TEMPLATE_HINT


@unique
class RefusalCode(Code):
    """Why a file is 未采用 (文件清单 原因)."""

    EMPTY_FILE = "empty-file"
    NOT_A_SPREADSHEET = "not-a-spreadsheet"
    TOO_OLD_EXCEL = "too-old-excel"
    ET_NOT_XLS = "et-not-xls"
    ENCRYPTED = "encrypted"
    CORRUPTED = "corrupted"
    TRUNCATED = "truncated"
    PACKED_TRUNCATED = "packed-truncated"
    READER_DIED = "reader-died"
    NO_TEMP_COPY = "no-temp-copy"
    OVER_LIMIT = "over-limit"
    EMPTY_ZIP = "empty-zip"
    NESTED_ZIP = "nested-zip"
    UNSAFE_ZIP_MEMBER = "unsafe-zip-member"
    NOT_TEMPLATE = "not-template"
    UNKNOWN_UNIT = "unknown-unit"
    NO_DATES = "no-dates"


@unique
class IgnoreCode(Code):
    """Why a file is 已忽略 without being read."""

    LOCK_FILE = "lock-file"
    OS_DEBRIS = "os-debris"
    IDENTICAL = "identical"


# Files never read: IgnoreCode
IGNORED_LOCK = Note(IgnoreCode.LOCK_FILE, "办公软件打开文件时产生的临时锁文件，已忽略")
IGNORED_DEBRIS = Note(IgnoreCode.OS_DEBRIS, "系统或隐藏文件，已忽略")


def identical(first: str) -> Note:
    """A second copy of the same bytes (WeChat saves a file again as `名(1).xlsx`): one submission, read once."""
    return Note(IgnoreCode.IDENTICAL, f"与《{first}》内容相同，按同一份报送只读取一次")


# Files that cannot be used: RefusalCode (the advice is part of the sentence, so no hint)
EMPTY_FILE = Note(RefusalCode.EMPTY_FILE, "文件为空（0 字节），可能传输中断，请重新报送")


def not_a_spreadsheet(what: str) -> Note:
    return Note(RefusalCode.NOT_A_SPREADSHEET, f"不是可读取的表格文件（{what}），请将台账另存为 .xlsx 后重新报送")


TOO_OLD_EXCEL = Note(RefusalCode.TOO_OLD_EXCEL,
                     "Excel 4.0 或更早的旧格式，无法读取，请用 Excel 或 WPS 打开后另存为 .xlsx 再报送")
ET_NOT_XLS = Note(RefusalCode.ET_NOT_XLS, "WPS 表格（.et）格式无法直接读取，请在 WPS 中“另存为” .xlsx 后重新报送")
ENCRYPTED = Note(RefusalCode.ENCRYPTED, "文件已加密，请取消密码后重新报送")
READER_DIED = Note(RefusalCode.READER_DIED, "读取该文件的进程意外退出，重试一次仍然失败（可能是文件损坏，或电脑内存不足），未读取；"
                   "请重新保存后报送")


NO_TEMP_COPY = Note(RefusalCode.NO_TEMP_COPY, "读取该文件要先在本机的临时文件夹里存一个副本，但没有存成（临时文件夹所在的磁盘已满、"
                    "没有写入权限或被杀毒软件拦截），未读取；这是本机的问题，不是文件的问题：请腾出磁盘空间后重新运行")
CIRCUMSTANTIAL = frozenset({RefusalCode.READER_DIED, RefusalCode.NO_TEMP_COPY})
"""Refusals caused by the run's circumstances (the machine), not by the file: never remembered by a read cache."""


def corrupted(detail: str) -> Note:
    return Note(RefusalCode.CORRUPTED, f"文件已损坏或不完整，无法读取（{detail}），请重新保存后报送")


def _size(size: int) -> str:
    """A file's size as WeChat shows it beside a file (23.4 KB), so the clerk can compare the two."""
    if size < 1024:
        return f"{size} 字节"
    return f"{size / 1024:.1f} KB" if size < 2**20 else f"{size / 2**20:.1f} MB"


CUT_SHORT = frozenset({RefusalCode.TRUNCATED, RefusalCode.PACKED_TRUNCATED})
"""Files that arrived incomplete: the unit sends them again, with nothing to correct."""


def truncated(size: int) -> Note:
    """A file whose end is missing (read/sniff.cut_short): most often still being copied into inbox/ or cut off by
    WeChat's download, so the office fetches it again before the unit is asked to resend a file that is fine. The
    unit reads this reason too (its reminder asks it to send the file again): what the office does is said in
    the run's notice (Notice.INCOMPLETE_FILES), not here."""
    return Note(RefusalCode.TRUNCATED,
                f"文件不完整，无法读取（收到的只有 {_size(size)}，结尾缺失），可能尚未复制完或下载不完整")


def packed_truncated(size: int) -> Note:
    """The same inside a zip that is itself whole: the file was already cut short when the unit packed it."""
    return Note(RefusalCode.PACKED_TRUNCATED,
                f"压缩包里的这个文件本身不完整，无法读取（只有 {_size(size)}，结尾缺失），可能打包时它还没有保存或复制完："
                "请单位打开原文件确认内容完整后重新打包报送")


def over_limit(key: str, detail: str) -> Note:
    """A file over one of the limits (campaign.yaml `limits:`), naming the limit so the office can raise it."""
    return Note(RefusalCode.OVER_LIMIT, f"文件超出处理上限（{detail}；上限项 limits.{key}），未读取；请只保留台账内容后重新报送")


EMPTY_ZIP = Note(RefusalCode.EMPTY_ZIP, "压缩包是空的，没有任何文件")
NESTED_ZIP = Note(RefusalCode.NESTED_ZIP, "压缩包内又套压缩包，未读取；请解压后直接报送表格文件")


def zip_member_unsafe(name: str) -> Note:
    return Note(RefusalCode.UNSAFE_ZIP_MEMBER, f"压缩包内的路径“{name}”不安全（绝对路径或含“..”），未读取")


def not_template(found: Sequence[str]) -> Note:
    shown = "、".join(found[:5]) or "无"
    return Note(RefusalCode.NOT_TEMPLATE,
                f"不是本活动的台账模板（未找到“活动台账”“问题整改”“宣传报道”等工作表；文件中的工作表：{shown}）")


def flat_not_template(flat: str) -> Note:
    return Note(RefusalCode.NOT_TEMPLATE,
                f"{flat}中没有台账的表头（未找到“活动日期”“活动类型”“参加人数”或“问题描述”“发布日期”等列），"
                f"不是本活动的台账；{TEMPLATE_HINT}")


def unknown_unit(name: str, suggestions: Sequence[str], *, guess: str = "") -> Note:
    """`guess`: the roster unit the file is told to (see Roster.near), which is then the one suggestion."""
    listed = f"；名册中最接近的是：{'、'.join(suggestions)}" if suggestions else ""
    near = f"，疑为“{guess}”" if guess else listed
    shown = f"单位名称“{name}”不在名册中" if name else "无法识别单位：“基本信息”未填写单位名称，文件名中也没有名册中的单位"
    fix = "请在“基本信息”填写名册中的单位全称后重新报送" if guess else "请核对单位名称，或请乡创城办在 campaign.yaml 中登记该单位"
    return Note(RefusalCode.UNKNOWN_UNIT, f"{shown}{near}。{fix}")


NO_DATES = Note(RefusalCode.NO_DATES, "“填报日期”未填写，表中也没有任何带日期的记录，无法确定报送时间")


# Details inside a 损坏 or 超出上限 reason
_CALAMINE_DETAILS = (
    ("password", "文件已加密"),
    ("entity", "含有自定义 XML 实体，可能是恶意构造的文件，未展开读取"),
    ("eocd", "压缩结构不完整，可能传输中断"),
    ("deflate", "压缩数据损坏，可能传输中断"),
    ("checksum", "压缩数据校验失败，可能传输中断"),
    ("declared uncompressed size", "压缩数据与声明的大小不符"),
    ("mimetype", "缺少必要的内部文件"),
    ("relationships", "内部关联文件缺失或错误"),
    ("shared strings", "共享文字表损坏"),
    ("utf-8", "文字编码损坏"),
    ("decode", "文字编码损坏"),
    ("fill whole buffer", "内容被截断"),
    ("unexpected eof", "内容被截断"),
    ("too small", "内容被截断"),
    ("ill-formed", "内部 XML 格式错误"),
    ("expecting", "内部 XML 格式错误"),
    ("range is missing", "内部 XML 格式错误"),
    ("attribute", "内部 XML 格式错误"),
    ("xml", "内部 XML 格式错误"),
    ("cfb", "旧版 Excel 文件结构损坏"),
    ("zip", "压缩结构损坏"),
    ("detect file format", "无法识别的文件格式"),
)


def calamine_detail(message: str) -> str:
    """What a reader error means, in Chinese (the library's own words are English)."""
    lowered = message.lower()
    return next((zh for en, zh in _CALAMINE_DETAILS if en in lowered), "内部结构错误")


def zip_damage(message: str) -> str:
    """What a damaged zip container means, in Chinese (zipfile's own words, e.g. "File is not a zip file", are
    English and reached the clerk in 文件清单, 未采用文件 and the reminders)."""
    lowered = message.lower()
    return "内容被截断" if "truncated" in lowered or "eof" in lowered else "压缩结构损坏"


def missing_sheet_part(sheet: str) -> str:
    return f"工作簿列出了工作表“{sheet}”，但其内容缺失"


def cell_limit(message: str) -> str:
    return f"表格声明的单元格数量异常：{message.split('(')[-1].split(' cells')[0]} 个"


def reader_crash(sheet: str) -> str:
    where = f"工作表“{sheet}”的" if sheet else ""
    return f"{where}内部数据自相矛盾，读取程序无法解析"
