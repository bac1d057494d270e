"""The pipeline's stages timed one after another in one process, through the library (nothing in pipeline/
is changed): read the inbox, judge, write the supervision workbook, write the side outputs.

`python -m bench.stages DATA OUT AS_OF` prints {stage: [start, end]} (time.time(), so that the benchmark can
line the stages up with the memory it samples from outside). The whole `report` command does more
(start-up, the archive of every file read, the history, the lock) and writes the side outputs in a forked
process at the same time as the workbook; here they run one after the other, so each is seen alone.
"""

import datetime as dt
import gc
import json
import sys
import time
from pathlib import Path

from pipeline.config.campaign import load_campaign
from pipeline.config.roster import Roster
from pipeline.judge.report import build_report
from pipeline.read.inbox import read_inbox
from pipeline.write.outbox import Outbox, write_side_outputs
from pipeline.write.workbook import write_supervision_workbook

STAGES = ("read", "judge", "workbook", "side outputs")
GC_THRESHOLD = (100_000, 50, 100)
"""What pipeline.run sets while a report runs (_fewer_collections), so these stages collect as often."""


def main(data: Path, out: Path, as_of: dt.date) -> dict[str, tuple[float, float]]:
    campaign, _ = load_campaign(data / "campaign.yaml")
    roster = Roster.of(campaign)
    gc.set_threshold(*GC_THRESHOLD)
    marks = [time.time()]
    outcomes = read_inbox(data / "inbox", campaign=campaign, roster=roster)
    marks.append(time.time())
    report = build_report(campaign=campaign, roster=roster, outcomes=outcomes, as_of=as_of)
    marks.append(time.time())
    box = Outbox(out, as_of=as_of, mode=0o644, folder_mode=0o755)
    with box as staged:
        write_supervision_workbook(report, staged.workbook)
        marks.append(time.time())
        write_side_outputs(report, staged)
        marks.append(time.time())
        box.commit()
    return {stage: (marks[i], marks[i + 1]) for i, stage in enumerate(STAGES)}


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), dt.date.fromisoformat(sys.argv[3]))))
