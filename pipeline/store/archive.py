"""Content-addressed archive of every file read: DIR/files/<sha256><.ext>, written once, never overwritten."""

import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from pipeline.store.files import InUse, write_whole

SHA_START = re.compile(r"[0-9a-f]{6,64}", re.IGNORECASE)
"""What `find` takes: the start of a SHA256 as 文件清单 lists it, at least 6 hex digits (fewer match too many files)."""

_EXT = re.compile(r"^\.[a-z0-9]{1,8}$")


@dataclass(frozen=True)
class Archive:
    root: Path
    mode: int = 0o644
    """Permissions of a stored copy (the entry point passes what the user's umask gives)."""

    @property
    def files(self) -> Path:
        return self.root / "files"

    def path_for(self, name: str, sha256: str) -> Path:
        ext = PurePosixPath(name).suffix.lower()
        return self.files / f"{sha256}{ext if _EXT.match(ext) else ''}"

    def store(self, name: str, sha256: str, data: bytes) -> None:
        """Keep a copy; a file already stored (same content) is left as it is."""
        target = self.path_for(name, sha256)
        if target.exists():
            return
        try:
            write_whole(target, data, mode=self.mode)
        except FileNotFoundError:  # the first file stored: its folder is made now
            self.files.mkdir(parents=True, exist_ok=True)
            write_whole(target, data, mode=self.mode)
        except InUse:  # on Windows a copy another run is reading cannot be replaced: it is there, whole
            if not target.is_file():
                raise

    def find(self, sha_prefix: str) -> list[Path]:
        """Stored files whose hash starts with the given prefix (at least 6 hex digits)."""
        prefix = sha_prefix.strip().lower()
        if not SHA_START.fullmatch(prefix) or not self.files.is_dir():
            return []
        return sorted(p for p in self.files.iterdir() if p.name.startswith(prefix))
