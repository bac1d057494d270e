"""Zip member names as the unit typed them, whatever program packed the zip.

A zip stores a member's name as bytes; only bit 11 of its flags says they are UTF-8, and only some programs set
it. Without the flag the bytes are what the packing system used: UTF-8 from macOS 压缩, Linux `zip` and many
Android share sheets; GBK from Windows' 发送到 → 压缩文件夹 on a Chinese system; cp437 from old DOS-era tools.
"""

import zipfile

UTF8_FLAG = 0x800


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; zipfile read a name without the flag as cp437, which gives its bytes back unchanged."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.filename.encode("cp437")
    except UnicodeEncodeError:  # not a cp437 reading (zipfile decoded it otherwise): keep it as it is
        return info.filename
    return decoded(raw)


def decoded(raw: bytes) -> str:
    """Name bytes without the UTF-8 flag: UTF-8 when they are valid UTF-8, else GB18030, else cp437.

    Many names are valid both ways: 荷花村的台账.xlsx in UTF-8 also reads as GB18030 (鑽疯姳鏉戠殑鍙拌处.xlsx), and
    GBK 小学.xlsx also reads as UTF-8 (Сѧ.xlsx), because GBK's two-byte characters often look like UTF-8's
    two-byte Cyrillic, Greek or Hebrew letters. So where both readings are valid, UTF-8 wins only when it gives
    Chinese characters: UTF-8 Chinese is three bytes a character, a pattern GBK text rarely forms by chance."""
    if raw.isascii():
        return raw.decode("ascii")
    utf8 = _attempt(raw, "utf-8")
    gbk = _attempt(raw, "gb18030")
    if utf8 is not None and (gbk is None or _has_cjk(utf8)):
        return utf8
    return gbk if gbk is not None else raw.decode("cp437")


def _attempt(raw: bytes, encoding: str) -> str | None:
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError:
        return None


_CJK = ((0x3000, 0x303F), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0xFF00, 0xFFEF), (0x20000, 0x3134F))
"""CJK punctuation, ideographs (with extension A, compatibility and the supplementary planes) and full-width forms."""


def _has_cjk(text: str) -> bool:
    return any(low <= ord(ch) <= high for ch in text for low, high in _CJK)
