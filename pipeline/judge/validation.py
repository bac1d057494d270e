"""`validate`: every file with its result and its own problems, and one verdict that drives the exit code."""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.judge.merge import Window, select
from pipeline.model import FileRecord, Outcome, Problem, Submission, count_results


@dataclass(frozen=True)
class FileCheck:
    record: FileRecord
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Validation:
    files: tuple[FileCheck, ...]

    @property
    def ok(self) -> bool:
        """Every file 已采用, 已被新版本替代 or 已忽略, and no 错误 anywhere (SPEC §6)."""
        return all(f.record.result != "未采用" and all(p.level != "错误" for p in f.problems) for f in self.files)

    def count(self, level: str) -> int:
        return sum(1 for f in self.files for p in f.problems if p.level == level)

    def results(self) -> dict[str, int]:
        return count_results(f.record for f in self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": [{**asdict(f.record), "problems": [asdict(p) for p in f.problems]} for f in self.files],
            "summary": {"files": len(self.files), **self.results(), "错误": self.count("错误"), "警告": self.count("警告")},
        }


def validate(outcomes: list[Outcome], *, as_of: dt.date, window: Window | None = None) -> Validation:
    """Read exactly as `report` does, then attach to each file the problems found in it."""
    intake = select(outcomes, as_of=as_of, window=window)
    read = {o.file: o for o in outcomes if isinstance(o, Submission)}
    checks = []
    for record in intake.files:
        adopted = intake.adopted.get(record.unit) if record.result == "已采用" else None
        source = adopted or read.get(record.file)
        about = tuple(p for p in intake.unused_problems if p.file == record.file)
        checks.append(FileCheck(record=record, problems=(*(source.problems if source else ()), *about)))
    return Validation(files=tuple(checks))
