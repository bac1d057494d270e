"""The pipeline's stages timed one after another in one process, through the library (nothing in pipeline/
is changed): read the inbox, judge, write the supervision workbook, write the side outputs.

`python -m bench.stages DATA OUT AS_OF [INBOX ARCHIVE]` prints {stage: [start, end, cpu]}: start and end as time.time(), so
that the benchmark can line the stages up with the memory it samples from outside, and the CPU seconds the
stage used in this process and its reading processes. The whole `report` command does more
(start-up, the archive of every file read, the history, the lock) and writes the side outputs in a forked
process at the same time as the workbook; here they run one after the other, so each is seen alone. With INBOX
(a folder name under DATA) and ARCHIVE, the reading uses ARCHIVE's read cache and the workbook its rendered detail
rows, as a weekly rerun does.
"""

import datetime as dt
import gc
import json
import resource
import sys
import time
from pathlib import Path

from pipeline.config.campaign import load_campaign
from pipeline.config.roster import Roster
from pipeline.judge.report import build_report
from pipeline.read.inbox import read_inbox
from pipeline.run import GC_THRESHOLD
from pipeline.store.blocks import RowBlocks
from pipeline.store.cache import ReadCache
from pipeline.write.outbox import Outbox, write_side_outputs
from pipeline.write.workbook import write_supervision_workbook

STAGES = ("read", "judge", "workbook", "side outputs")


def mark() -> tuple[float, float]:
    """Now, and the CPU time so far of this process and of the children it has waited for (the reading
    pool's processes are waited for when read_inbox shuts the pool down)."""
    me, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.time(), me.ru_utime + me.ru_stime + children.ru_utime + children.ru_stime


def main(data: Path, out: Path, as_of: dt.date, *, inbox: str = "inbox",
         archive: Path | None = None) -> dict[str, tuple[float, float, float]]:
    campaign, _ = load_campaign(data / "campaign.yaml")
    roster = Roster.of(campaign)
    gc.set_threshold(*GC_THRESHOLD)
    marks = [mark()]
    memo, blocks = None, None
    if archive is not None:
        memo = ReadCache.beside(archive, campaign=campaign, writable=True)
        blocks = RowBlocks.beside(archive, fingerprint=memo.fingerprint)
    outcomes = read_inbox(data / inbox, campaign=campaign, roster=roster, memo=memo)
    marks.append(mark())
    report = build_report(campaign=campaign, roster=roster, outcomes=outcomes, as_of=as_of)
    marks.append(mark())
    box = Outbox(out, as_of=as_of, mode=0o644, folder_mode=0o755)
    with box as staged:
        write_supervision_workbook(report, staged.workbook, blocks=blocks)
        marks.append(mark())
        write_side_outputs(report, staged)
        marks.append(mark())
        box.commit()
    if blocks is not None:
        blocks.save()
    return {stage: (marks[i][0], marks[i + 1][0], marks[i + 1][1] - marks[i][1]) for i, stage in enumerate(STAGES)}


if __name__ == "__main__":
    inbox, archive = (sys.argv[4], Path(sys.argv[5])) if len(sys.argv) > 5 else ("inbox", None)
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3]), inbox=inbox,
                          archive=archive)))
