"""A unit that sent no ledger but is named as 协办单位 in another unit's activity is credited with it (SPEC §3):
its one R5(a) gap, which "states everything it owes" (SPEC §4), must not ask again for what it is credited with."""

from pathlib import Path

from tests.ledgers import activity, read_sheet, write_ledger
from tests.runs import report


def test_a_co_organiser_that_sent_nothing_is_not_asked_for_what_it_is_credited_with(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    # 荷花村 held one 大讨论 on sub-theme 1 with 柳林村 as co-organiser; 柳林村 sent no ledger.
    write_ledger(inbox / "荷花村.xlsx", unit="荷花村", filed="2026-12-10",
                 activities=[activity("2026-12-01", subtheme=1, people=40, 协办单位="柳林村")])
    book = report(inbox, tmp_path / "out", "2026-12-20").written.workbook
    progress = {r["单位名称"]: r for r in read_sheet(book, "单位进度")}
    # Credited: 1 大讨论, sub-theme 1 covered (单位进度 says so).
    assert (progress["柳林村"]["大讨论次数"], progress["柳林村"]["已覆盖子主题"]) == (1, "1")
    gap = next(r for r in read_sheet(book, "差距清单") if r["单位名称"] == "柳林村")
    # It owes one more 大讨论 (2 - 1) and sub-themes 2, 5, 6 (of 1, 2, 5, 6): not 2 sessions and sub-theme 1 again.
    assert "大讨论不少于2次" not in gap["整改建议"]
    assert "子主题1、2、5、6" not in gap["整改建议"]
    # The reminder says the same, and the supervisors' figures stay as they were.
    reminders = next((tmp_path / "out").glob("催报提醒_*.txt")).read_text(encoding="utf-8-sig")
    line = next(p for p in reminders.split("\n\n") if "】柳林村：" in p)
    assert "大讨论须再开展1次（作为协办单位已计1次）" in line and "子主题2、5、6各须开展至少1次活动" in line
    assert "子主题1、2、5、6" not in line and "大讨论不少于2次" not in line
