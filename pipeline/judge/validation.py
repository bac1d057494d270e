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
    early: frozenset[tuple[str, str]] = frozenset()
    """(file, unit) of each ledger not used only because it was sent early (merge.Intake.early): a typed 填报日期
    after the 统计日期, not after the deadline."""

    @property
    def ok(self) -> bool:
        """Every file 已采用, 已被新版本替代 or 已忽略, and no 错误 anywhere (SPEC §6)."""
        return all(all(part.result != "未采用" for part in f.record.each_unit())
                   and all(p.level != "错误" for p in f.problems) for f in self.files)

    @property
    def only_early(self) -> bool:
        """Not ok only because of ledgers sent early, which need no resending if their date is right."""
        return not self.ok and all(
            all(part.result != "未采用" or (part.file, part.unit) in self.early for part in f.record.each_unit())
            and all(p.level != "错误" for p in f.problems) for f in self.files)

    def count(self, level: str) -> int:
        return sum(1 for f in self.files for p in f.problems if p.level == level)

    def results(self) -> dict[str, int]:
        return count_results(f.record for f in self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "files": [{**_record(f.record), "problems": [asdict(p) for p in f.problems]} for f in self.files],
            "summary": {"files": len(self.files), **self.results(), "错误": self.count("错误"), "警告": self.count("警告")},
        }


def _record(record: FileRecord) -> dict[str, Any]:
    """A file's fields; `parts` (each unit's result) only for a file holding several units' ledgers."""
    fields = asdict(record)
    if not record.parts:
        del fields["parts"]
    return fields


def validate(outcomes: list[Outcome], *, as_of: dt.date, window: Window | None = None) -> Validation:
    """Read exactly as `report` does, then attach to each file the problems found in it."""
    intake = select(outcomes, as_of=as_of, window=window)
    read = {(o.file, o.unit): o for o in outcomes if isinstance(o, Submission)}
    checks = []
    for record in intake.files:
        problems: list[Problem] = []
        for part in record.each_unit():     # each unit's ledger, for a file holding several
            adopted = intake.adopted.get(part.unit) if part.result == "已采用" else None
            source = adopted or read.get((part.file, part.unit))
            own = source.problems if source else ()
            problems += own
            problems += (p for p in intake.unused_problems if p.file == part.file and p.unit == part.unit
                         and p not in own)   # a missing 填报日期 is the file's own problem, told beside the others'
        checks.append(FileCheck(record=record, problems=tuple(problems)))
    early = frozenset((r.file, r.unit) for records in intake.early.values() for r in records)
    return Validation(files=tuple(checks), early=early)
