"""Synthetic but realistic ledgers for the benchmark: N units, each with 40 activities, 20 problems and
10 publicity rows on the template's sheets, plus a campaign.yaml whose roster is those N units.

About 30 % of the units fall short (too few sessions, an overdue problem), so gap lists get written.
Files are written with xlsxwriter (fast); their layout is the template's, as a unit's re-saved file.
"""

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

import xlsxwriter
import yaml

from pipeline.read.schema import ACTIVITY, PUBLICITY, RECTIFICATION

START = dt.date(2026, 11, 27)
KINDS = ["村", "乡直单位", "窗口单位", "学校"]


def campaign_yaml(n: int) -> str:
    base = yaml.safe_load((Path(__file__).resolve().parent.parent / "campaign.yaml").read_text(encoding="utf-8"))
    base["units"] = [{"name": f"单位{i:05d}", "kinds": [KINDS[i % len(KINDS)]]} for i in range(n)]
    base["publicity_units"] = [base["units"][0]["name"]]
    base["start"], base["deadline"] = "2026-11-27", "2027-02-04"
    for sub in base["subthemes"]:
        sub["responsible"] = [r for r in sub["responsible"] if "kind" in r] or [{"kind": "村"}]
    base["exemptions"] = [{"unit": f"单位{i:05d}", "subtheme": i % 6 + 1, "reason": "无此类场所"} for i in range(0, n, 10)]
    return yaml.safe_dump(base, allow_unicode=True, sort_keys=False)


def write_ledger(path: Path, unit: str, index: int, rng: random.Random, *, later: bool = False) -> None:
    """`later`: the unit's next week's file, filed a day later with one more activity."""
    behind = index % 10 < 3
    wb = xlsxwriter.Workbook(str(path))
    date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
    info = wb.add_worksheet("基本信息")
    for r, (label, value) in enumerate([("单位名称", unit), ("单位类别", ""), ("填报人", "联络员"),
                                         ("联系电话", "0564-0000000"), ("填报日期", None), ("模板版本", "2026.1")]):
        info.write_string(r, 0, label)
        if value is None:
            info.write_datetime(r, 1, dt.datetime(2027, 1, 11 if later else 10), date_fmt)
        else:
            info.write_string(r, 1, value)
    acts = wb.add_worksheet("活动台账")
    acts.write_row(1, 0, ACTIVITY.columns)
    for r in range(41 if later else 40):
        day = dt.datetime.combine(START + dt.timedelta(days=rng.randint(0, 40)), dt.time())
        kind = "大行动" if behind or r % 3 else "大讨论"
        acts.write_number(2 + r, 0, r + 1)
        acts.write_datetime(2 + r, 1, day, date_fmt)
        acts.write_row(2 + r, 2, [kind, f"{r % 6 + 1}-子主题", f"第{r + 1}次活动", "会议室", rng.randint(10, 80), "联络员",
                                  "", "座谈", "围绕创城开展讨论，查摆问题并制定措施", "照片、签到表", ""])
    rects = wb.add_worksheet("问题整改")
    rects.write_row(1, 0, RECTIFICATION.columns)
    for r in range(20):
        due = dt.datetime.combine(START + dt.timedelta(days=20 if behind and r == 0 else 60), dt.time())
        rects.write_number(2 + r, 0, r + 1)
        rects.write_datetime(2 + r, 1, dt.datetime(2026, 12, 1), date_fmt)
        rects.write_row(2 + r, 2, ["", f"问题{r + 1}：村部周边环境需整治", "明确专人整改", "负责人"])
        rects.write_datetime(2 + r, 6, due, date_fmt)
        rects.write_string(2 + r, 7, "整改中")
    pubs = wb.add_worksheet("宣传报道")
    pubs.write_row(1, 0, PUBLICITY.columns)
    for r in range(10):
        pubs.write_number(2 + r, 0, r + 1)
        pubs.write_datetime(2 + r, 1, dt.datetime(2027, 1, 5), date_fmt)
        pubs.write_row(2 + r, 2, ["微信公众号", f"报道{r + 1}", "", "否"])
    wb.close()


def generate(folder: Path, n: int) -> None:
    """Write folder/campaign.yaml and folder/inbox/ with n ledgers (skipped when already there)."""
    inbox = folder / "inbox"
    if inbox.is_dir() and len(list(inbox.iterdir())) == n:
        return
    inbox.mkdir(parents=True, exist_ok=True)
    (folder / "campaign.yaml").write_text(campaign_yaml(n), encoding="utf-8")
    rng = random.Random(n)
    for i in range(n):
        write_ledger(inbox / f"单位{i:05d}_台账.xlsx", f"单位{i:05d}", i, rng)


CHANGED = 10
"""One ledger in this many is changed in the rerun's inbox (10 %)."""


def rerun_inbox(folder: Path, n: int) -> Path:
    """folder/inbox_rerun: next week's inbox — folder/inbox copied byte for byte, except that every tenth unit sent a
    new file (filed a day later, one activity more) under the same name. Written once; generate() first."""
    target = folder / "inbox_rerun"
    if target.is_dir() and len(list(target.iterdir())) == n:
        return target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(folder / "inbox", target)
    for i in range(CHANGED // 2, n, CHANGED):
        write_ledger(target / f"单位{i:05d}_台账.xlsx", f"单位{i:05d}", i, random.Random(i), later=True)
    return target


if __name__ == "__main__":
    generate(Path(sys.argv[1]), int(sys.argv[2]))
