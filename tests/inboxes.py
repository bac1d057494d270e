"""The hand-worked inbox of the end-to-end tests (tests/test_run.py works its numbers out from SPEC §4)."""

from pathlib import Path

from tests.ledgers import activity, d, problem, write_ledger


def four_units(box: Path) -> Path:
    """荷花村, 乡妇联 (jointly with 荷花村), 柳林村 (an old and a newer file) and 白塔村 (filed late), plus a photo."""
    # 荷花村: one 大讨论 (1), one 大行动 (2), one problem due 2027-01-10 still 整改中.
    write_ledger(box / "荷花村_1218.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), "大讨论", 1, 30),
                             activity(d("2026-12-12"), "大行动", "2-文明城市人人创 文明成果人人享", "25人", 序号=2)],
                 problems=[problem(d("2027-01-10"), found=d("2026-12-05"))])
    # 乡妇联: a 大讨论 on sub-theme 2 organised jointly with 荷花村 (credited to both).
    write_ledger(box / "妇联.xlsx", unit="城西湖乡妇联", filed=d("2026-12-19"),
                 activities=[activity(d("2026-12-10"), "大讨论", 2, 40, 协办单位="荷花村")])
    # 柳林村: an old file, then a newer cumulative one with a 大讨论 on sub-theme 5 and one bad row.
    old = [activity(d("2026-12-08"), "大行动", 1, 20)]
    write_ledger(box / "柳林村_旧.xlsx", unit="柳林村", filed=d("2026-12-10"), activities=old)
    write_ledger(box / "柳林村_新.xlsx", unit="柳林村", filed=d("2027-01-08"),
                 activities=[*old, activity(d("2027-01-05"), "大讨论", "诚信经营", "三十", 序号=2),
                             activity("12月32日", 序号=3)])
    # 白塔村: files late (2027-01-15) but complete.
    write_ledger(box / "白塔村.xlsx", unit="白塔村", filed=d("2027-01-15"),
                 activities=[activity(d("2026-12-01"), "大讨论", 1), activity(d("2026-12-15"), "大讨论", 2, 序号=2),
                             activity(d("2027-01-03"), "大行动", 5, 序号=3), activity(d("2027-01-04"), "大行动", 6, 序号=4)],
                 problems=[problem(d("2027-01-05"), "已整改", found=d("2026-12-01"), 完成日期=d("2027-01-04"))])
    (box / "活动照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(40))
    return box
