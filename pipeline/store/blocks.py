"""The rendered detail rows of the last report, kept in the read cache's folder (读取缓存/明细行/) so that the
next report renders again only the ledgers that changed (see pipeline.write.blocks).

One pack file holds every block the last report wrote: the blocks one after another, then an index (each
block's key, place, length and CRC-32), then where the index starts and its own sha256. A report reads the
previous pack as it writes the workbook and writes a new one beside it: the blocks it recalled are copied,
the ones it rendered are added; once the outputs are in place the new pack replaces the old (os.replace,
atomic on Windows too). A killed run leaves only a temporary file; two runs at once each replace the pack
whole, and the later one wins. A damaged, truncated or foreign pack, or a damaged block, is not trusted:
those rows are rendered again. Like the read cache, it only ever saves work.
"""

import hashlib
import os
import pickle
import struct
import tempfile
import zlib
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from pipeline.store.cache import FOLDER, source_digest
from pipeline.store.files import TEMP_PREFIX

SUBFOLDER = "明细行"
PACK = "明细行.pack"
MAGIC = b"chuangcheng rendered rows 2\n"
_TRAILER = struct.Struct("<QQ32s")
RENDER_PACKAGES = ("pipeline.write", "pipeline.judge")
"""Besides the reader (the read cache's fingerprint): the modules whose source changes what a row renders to."""

_BUFFER = 1 << 20
_Place = tuple[int, int, int]
"""A block's offset in the pack, its length and its CRC-32: what finds damage, as in a zip file, at under half of
sha256's cost over a county's 50 MB of rows (a key is a sha256: it names what the block was made from)."""


def _render_source() -> bytes:
    return source_digest(RENDER_PACKAGES)


def _index_of(pack: BinaryIO) -> dict[bytes, _Place]:
    """The pack's index, or an empty one when the file is not a whole, sound pack of this format."""
    head = pack.read(len(MAGIC))
    size = pack.seek(0, os.SEEK_END)
    if head != MAGIC or size < len(MAGIC) + _TRAILER.size:
        return {}
    pack.seek(size - _TRAILER.size)
    start, length, digest = _TRAILER.unpack(pack.read(_TRAILER.size))
    if start + length + _TRAILER.size != size:
        return {}
    pack.seek(start)
    data = pack.read(length)
    if hashlib.sha256(data).digest() != digest:
        return {}
    try:
        index: dict[bytes, _Place] = pickle.loads(data)
    except Exception:  # a sound checksum over data that will not load: treated as damaged all the same
        return {}
    return index


@dataclass
class RowBlocks:
    """The write layer's `Blocks` over 读取缓存/明细行/明细行.pack: the previous report's blocks are recalled (as the
    bytes the write layer made of them; their checksum is checked here), and every block this report uses is
    written to a new pack that `save` puts in place."""

    folder: Path
    fingerprint: str
    mode: int = 0o644
    hits: int = 0
    failure: OSError | None = None
    """Why the new pack could not be written (the first failure; the report stands, next time renders again)."""
    _old: BinaryIO | None = field(default=None, repr=False)
    _index: dict[bytes, _Place] = field(default_factory=dict, repr=False)
    _new: BinaryIO | None = field(default=None, repr=False)
    _temp: Path | None = field(default=None, repr=False)
    _written: dict[bytes, _Place] = field(default_factory=dict, repr=False)
    _opened: bool = field(default=False, repr=False)
    _end: int = field(default=0, repr=False)
    _last: tuple[tuple[str, ...], bytes, bytes, int] | None = field(default=None, repr=False)
    """The block recalled last: its key, digest, bytes and checksum, which `keep` takes as they are when it is handed
    those same bytes (the usual rerun: every block recalled is kept; 3,000 keys and 57 MB of CRC-32 not done twice)."""

    @classmethod
    def beside(cls, archive: Path, *, fingerprint: str, mode: int = 0o644) -> "RowBlocks":
        digest = hashlib.sha256(fingerprint.encode() + _render_source()).hexdigest()
        return cls(archive / FOLDER / SUBFOLDER, digest, mode=mode)

    def _key(self, key: Sequence[str]) -> bytes:
        digest = hashlib.sha256(self.fingerprint.encode())
        for part in key:
            digest.update(b"\0" + part.encode("utf-8", "surrogatepass"))
        return digest.digest()

    def _open(self) -> None:
        """On first use: the previous pack (if any is there and sound) and the new one's temporary file."""
        self._opened = True
        try:  # blocks are recalled in the order they were written: a large buffer reads them in few calls
            self._old = open(self.folder / PACK, "rb", buffering=_BUFFER)  # noqa: SIM115 (closed in save or discard)
            self._index = _index_of(self._old)
        except OSError:
            self._old, self._index = None, {}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(dir=self.folder, prefix=TEMP_PREFIX)
            self._temp = Path(name)
            self._new = os.fdopen(handle, "wb", buffering=_BUFFER)
            self._new.write(MAGIC)
            self._end = len(MAGIC)
        except OSError as exc:
            self._fail(exc)

    def recall(self, key: Sequence[str]) -> bytes | None:
        if not self._opened:
            self._open()
        digest = self._key(key)
        place = self._index.get(digest)
        if place is None or self._old is None:
            return None
        try:
            self._old.seek(place[0])
            data = self._old.read(place[1])
        except OSError:
            return None
        if zlib.crc32(data) != place[2]:
            return None
        self.hits += 1
        self._last = (tuple(key), digest, data, place[2])
        return data

    def keep(self, key: Sequence[str], data: bytes) -> None:
        """Into the new pack, with the checksum of these bytes (a block recalled but not used, for other rows, is
        kept as the one rendered in its place)."""
        if not self._opened:
            self._open()
        last, self._last = self._last, None
        if last is not None and last[2] is data and last[0] == tuple(key):
            self._add(last[1], data, last[3])
        else:
            self._add(self._key(key), data, zlib.crc32(data))

    def _add(self, digest: bytes, data: bytes, checksum: int) -> None:
        if self._new is None:
            return
        try:
            self._new.write(data)
        except OSError as exc:
            self._fail(exc)
            return
        self._written[digest] = (self._end, len(data), checksum)
        self._end += len(data)

    def save(self) -> None:
        """After the outputs are in place: the new pack replaces the previous one (or, if it could not be
        written, is dropped and `failure` says why)."""
        self._close_old()
        if self._new is None or self._temp is None:
            return
        new, temp = self._new, self._temp
        self._new = self._temp = None
        try:
            with new:
                index = pickle.dumps(self._written, protocol=pickle.HIGHEST_PROTOCOL)
                start = self._end
                new.write(index)
                new.write(_TRAILER.pack(start, len(index), hashlib.sha256(index).digest()))
            os.chmod(temp, self.mode)
            os.replace(temp, self.folder / PACK)
        except OSError as exc:
            # On Windows a pack open in a concurrent run cannot be replaced: that run's pack stays, and is sound.
            if not isinstance(exc, PermissionError):
                self.failure = self.failure or exc
            with suppress(OSError):
                temp.unlink(missing_ok=True)

    def discard(self) -> None:
        """The report failed: the previous pack stays as it was, the new one is removed."""
        self._close_old()
        if self._new is not None and self._temp is not None:
            with suppress(OSError):
                self._new.close()
            with suppress(OSError):
                self._temp.unlink(missing_ok=True)
        self._new = self._temp = None

    def _close_old(self) -> None:
        self._last = None
        if self._old is not None:
            with suppress(OSError):
                self._old.close()
            self._old = None

    def _fail(self, exc: OSError) -> None:
        self.failure = self.failure or exc
        if self._new is not None:
            with suppress(OSError):
                self._new.close()
        if self._temp is not None:
            with suppress(OSError):
                self._temp.unlink(missing_ok=True)
        self._new = self._temp = None
