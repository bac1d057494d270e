"""What a file really is, from its first bytes and container layout, not its extension."""

import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum, auto
from pathlib import PurePosixPath

from pipeline.config.campaign import Limits
from pipeline.model import Note
from pipeline.read import refusals as R

SPREADSHEET_EXTS = (".xlsx", ".xlsm", ".xltx", ".xltm", ".xlsb", ".xls", ".et", ".ods")
LOCK_PREFIXES = ("~$", ".~lock")
DEBRIS = {".ds_store", "thumbs.db", "desktop.ini", "__macosx"}

_CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _utf16(name: str) -> bytes:
    return name.encode("utf-16-le")


class Kind(Enum):
    SPREADSHEET = auto()
    HTML = auto()
    """An HTML table, as web systems export a “.xls”: read as a table (read/flat.py)."""
    CSV = auto()
    """Comma- or tab-separated text, as Excel and WPS save a sheet: read as a table (read/flat.py)."""
    ARCHIVE = auto()
    REFUSED = auto()


@dataclass(frozen=True)
class Sniffed:
    """What a file is; `why` is set exactly when it is refused."""

    kind: Kind
    why: Note | None = None
    entries: tuple[zipfile.ZipInfo, ...] | None = None
    """A zip container's directory as sniffing read it, for `check_container` (the file is opened once)."""


SPREADSHEET = Sniffed(Kind.SPREADSHEET)
HTML = Sniffed(Kind.HTML)
CSV = Sniffed(Kind.CSV)
ARCHIVE = Sniffed(Kind.ARCHIVE)


def _refused(why: Note) -> Sniffed:
    return Sniffed(Kind.REFUSED, why)


def ignored_reason(name: str) -> Note | None:
    """Lock files and OS debris are ignored (listed as 已忽略), never read."""
    base = PurePosixPath(name).name
    if base.startswith(LOCK_PREFIXES):
        return R.IGNORED_LOCK
    if base.lower() in DEBRIS or base.startswith(".") or "__MACOSX/" in name:
        return R.IGNORED_DEBRIS
    return None


_END = b"PK\x05\x06"
"""The end-of-central-directory record's signature: the last 22 bytes of a zip, before a comment of at most 64 KB."""


def cut_short(data: bytes, entries: Sequence[zipfile.ZipInfo] = ()) -> bool:
    """Whether a zip container (xlsx, ods, zip) lacks its end: no complete end record in its last 64 KB, or members
    whose data run past the end of the file. That is what a file still being copied, or a download cut off (or
    filled with zeros up to its size and never completed), looks like; other damage keeps the end in place."""
    if not data.startswith(b"PK\x03\x04"):
        return False
    end = data.rfind(_END, max(0, len(data) - 22 - 65535))
    if end < 0 or end + 22 > len(data):
        return True
    return any(e.header_offset + e.compress_size > len(data) for e in entries)


def _zip_kind(data: bytes, ext: str) -> Sniffed:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if cut_short(data, archive.infolist()):
                return _refused(R.truncated(len(data)))
            names = set(archive.namelist())
            workbook = Sniffed(Kind.SPREADSHEET, entries=tuple(archive.infolist()))
            if "mimetype" in names:
                mime = archive.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mime:
                    return workbook
                if b"opendocument.text" in mime:
                    return _refused(R.not_a_spreadsheet("ODF 文字文档"))
                return _refused(R.not_a_spreadsheet("OpenDocument 文档"))
            if "xl/workbook.xml" in names or "xl/workbook.bin" in names:
                return workbook
            if "[Content_Types].xml" in names:
                types = archive.read("[Content_Types].xml")[:200_000]
                if b"spreadsheetml" in types or b"sheet.binary" in types or b"ms-excel" in types:
                    return workbook
                if b"wordprocessingml" in types:
                    return _refused(R.not_a_spreadsheet("Word 文档"))
                if b"presentationml" in types:
                    return _refused(R.not_a_spreadsheet("PPT 演示文稿"))
                return _refused(R.not_a_spreadsheet("Office 文档，但不是表格"))
            if any(n.startswith("Index/") and n.endswith(".iwa") for n in names):
                return _refused(R.not_a_spreadsheet("苹果 Numbers 表格"))
            if ext == ".zip" or ext not in SPREADSHEET_EXTS:
                return ARCHIVE
            return _refused(R.corrupted("扩展名是表格，内容却缺少工作簿部件"))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, KeyError, EOFError, OSError, ValueError) as exc:
        if cut_short(data):
            return _refused(R.truncated(len(data)))
        return _refused(R.corrupted(R.zip_damage(f"{type(exc).__name__} {exc}")))


def sniff(data: bytes, name: str) -> Sniffed:
    """Classify a file by content; the extension only breaks ties the content cannot."""
    ext = PurePosixPath(name).suffix.lower()
    head = data[:16]
    if not data:
        return _refused(R.EMPTY_FILE)
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return _zip_kind(data, ext)
    if head.startswith(_CFB):
        if _utf16("EncryptionInfo") in data or _utf16("EncryptedPackage") in data:
            return _refused(R.ENCRYPTED)
        if _utf16("WordDocument") in data:
            return _refused(R.not_a_spreadsheet("Word 97-2003 文档"))
        if _utf16("PowerPoint Document") in data:
            return _refused(R.not_a_spreadsheet("PPT 97-2003 演示文稿"))
        return SPREADSHEET
    if head[:2] in (b"\x09\x00", b"\x09\x02", b"\x09\x04") and head[2:3] in (b"\x04", b"\x06", b"\x08"):
        return _refused(R.TOO_OLD_EXCEL)
    if head.startswith(b"%PDF"):
        return _refused(R.not_a_spreadsheet("PDF 文件"))
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"BM")) or head[4:12] in (b"ftypheic", b"ftypmif1"):
        return _refused(R.not_a_spreadsheet("图片"))
    if head.startswith((b"Rar!", b"7z\xbc\xaf")):
        return _refused(R.not_a_spreadsheet("RAR/7z 压缩包，请改用 .zip 或直接发送表格"))
    lowered = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith(_HTML_STARTS) or (lowered.startswith(b"<?xml") and b"<html" in data[:2048].lower()):
        return HTML
    if lowered.startswith(b"<?xml"):
        return _refused(R.not_a_spreadsheet("XML 文件"))
    if ext == ".csv" and data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return CSV     # Excel's “Unicode 文本”: UTF-16 with its byte-order mark
    if b"\x00" not in data[:512] and _looks_like_text(data[:512]):
        return CSV if ext == ".csv" or any(sep in data[:512] for sep in (b",", b"\t")) else _refused(
            R.not_a_spreadsheet("纯文本文件"))
    if ext == ".csv":
        return CSV
    return _refused(R.not_a_spreadsheet(f"未知格式 {ext or '无扩展名'}"))


_HTML_STARTS = (b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body", b"<style")


def _looks_like_text(head: bytes) -> bool:
    for encoding in ("utf-8", "gb18030"):
        try:
            text = head.decode(encoding)
        except UnicodeDecodeError:
            continue
        return all(ch.isprintable() or ch in "\r\n\t" for ch in text[:-4])
    return False


MEDIA_PARTS = ("xl/media/", "xl/embeddings/", "xl/drawings/", "Pictures/", "Thumbnails/", "docProps/thumbnail")
"""Parts of a workbook the reader never opens (photos pasted into a ledger, embedded objects, drawings):
they do not count towards the limits, which measure what is read."""


def _is_media(name: str) -> bool:
    return name.startswith(MEDIA_PARTS)


def check_container(data: bytes, limits: Limits, *, workbook: bool = False,
                    entries: Sequence[zipfile.ZipInfo] | None = None) -> Note | None:
    """Refuse a zip container (xlsx, ods, zip) by its directory alone, before anything is inflated.

    For a `workbook`, only the parts the reader opens count (not MEDIA_PARTS); an archive's members are all read.
    `entries`: the directory, when sniffing has read it already."""
    if not data.startswith(b"PK"):
        return None
    if entries is None:
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                entries = archive.infolist()
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
    if len(entries) > limits.max_zip_entries:
        return R.over_limit("max_zip_entries", f"压缩结构内有 {len(entries)} 个部件，上限 {limits.max_zip_entries} 个")
    if workbook:
        entries = [e for e in entries if not _is_media(e.filename)]
    total = sum(e.file_size for e in entries)
    if total > limits.max_unpacked_mb * 2**20:
        return R.over_limit("max_unpacked_mb", f"解压后 {total / 2**20:.0f} MB，上限 {limits.max_unpacked_mb} MB")
    for e in entries:
        if e.file_size > 2**20 and e.file_size > limits.max_compression_ratio * max(e.compress_size, 1):
            return R.over_limit("max_compression_ratio",
                                f"部件“{e.filename[:40]}”压缩比 {e.file_size // max(e.compress_size, 1)} 倍，"
                                f"上限 {limits.max_compression_ratio} 倍")
    return None
