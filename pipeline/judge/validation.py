"""`validate`: every file with its result and its own problems, and one verdict that drives the exit code."""

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from pipeline.judge.merge import Window, select
from pipeline.judge.texts import EARLY_HINT
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
            all(part.result != "未采用" or self.sent_early(part) for part in f.record.each_unit())
            and all(p.level != "错误" for p in f.problems) for f in self.files)

    def sent_early(self, part: FileRecord) -> bool:
        return (part.file, part.unit) in self.early

    def hint(self, part: FileRecord) -> str:
        """What to do about a ledger not used, beside its reason: for one sent early, what its 整改清单 says."""
        return EARLY_HINT if self.sent_early(part) else ""

    def count(self, level: str) -> int:
        return sum(1 for f in self.files for p in f.problems if p.level == level)

    def results(self) -> dict[str, int]:
        return count_results(f.record for f in self.files)

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "only_early": self.only_early,
            "files": [{**self._record(f.record), "problems": [asdict(p) for p in f.problems]} for f in self.files],
            "summary": {"files": len(self.files), **self.results(), "错误": self.count("错误"), "警告": self.count("警告")},
        }

    def _record(self, record: FileRecord) -> dict[str, Any]:
        """A file's fields and whether it was sent early (`early`, also in each of its `parts`); `parts` (each
        unit's result) only for a file holding several units' ledgers."""
        fields = {**asdict(record), "early": self.sent_early(record)}
        if record.parts:
            fields["parts"] = [{**part, "early": self.sent_early(record.parts[i])} for i, part in enumerate(fields["parts"])]
        else:
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
