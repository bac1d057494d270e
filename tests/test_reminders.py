"""催报提醒 (../shared/style/bulletin.md): every item a unit owes, most urgent first, each with its own date,
no clause said twice, short enough for one WeChat message. One test per kind of item.

The campaign (campaign.yaml): 2026-11-27 … 2027-02-04 (69 days), 2 大讨论 per 村/乡直单位, a report every
7 days, so the first report is due 12月4日 and, on 1月15日, the next one 1月22日.
"""

from pathlib import Path

from tests.ledgers import activity, d, problem, write_ledger
from tests.runs import report

CLOSE = "完成后请及时更新台账报乡创城办。"


def messages(box: Path, tmp: Path, as_of: str) -> dict[str, str]:
    """unit → its message, in the file's order."""
    box.mkdir(exist_ok=True)
    result = report(box, tmp / "out", as_of)
    lines = result.written.reminders.read_text(encoding="utf-8-sig").splitlines()
    found = [line for line in lines if line.startswith("【")]
    return {m.split("】", 1)[1].split("：", 1)[0]: m for m in found}


def test_a_file_received_but_not_used_comes_first_with_why(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2027-12-11"), activities=[activity(d("2026-12-05"))])
    sent = messages(box, tmp_path, "2026-12-20")
    assert next(iter(sent)) == "柳林村"              # the most urgent kind of item: its unit comes first
    # first report due 11-27 + 7 = 12-04, 16 days before 12-20; 柳林村 (村) answers for sub-themes 1, 2, 5, 6
    assert sent["柳林村"] == (
        "【乡创城办提醒】柳林村：截至12月20日，本单位报送的《柳林村.xlsx》已收到，但未能采用：填报日期晚于统计日期（2027-12-11 > 2026-12-20），"
        "本期不采用；该日期晚于活动截止日期，可能是年份填错；暂按未报送统计（期限12月4日，已逾期16天），"
        "请立即更正后重新报送；须开展大讨论不少于2次、大行动至少1次，查摆问题并逐一整改，子主题1、2、5、6各须开展至少1次活动，"
        "请于2027年2月4日前完成。" + CLOSE)


def test_a_unit_that_sent_nothing_is_told_to_report_and_what_it_owes(tmp_path: Path) -> None:
    late = messages(tmp_path / "inbox", tmp_path, "2026-12-20")
    assert late["乡团委"] == (
        "【乡创城办提醒】乡团委：截至12月20日，本单位尚未报送台账（期限12月4日，已逾期16天），请立即报送台账；"
        "须开展大讨论不少于2次、大行动至少1次，查摆问题并逐一整改，子主题1、2各须开展至少1次活动，请于2027年2月4日前完成。" + CLOSE)
    # 乡文广站 also answers for publicity; before 12月4日 the report is not yet late
    early = messages(tmp_path / "inbox", tmp_path / "early", "2026-12-01")
    assert early["乡文广站"] == (
        "【乡创城办提醒】乡文广站：截至12月1日，本单位尚未报送台账，请于2026年12月4日前报送台账；"
        "须开展大讨论不少于2次、大行动至少1次，查摆问题并逐一整改，子主题1、5各须开展至少1次活动，须报送宣传报道，"
        "请于2027年2月4日前完成。" + CLOSE)


def test_an_overdue_problem_comes_before_what_is_due_later(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"), "大讨论", 1, 30), activity(d("2026-12-12"), "大行动", 2, 25, 序号=2)],
                 problems=[problem(d("2026-12-15"), found=d("2026-12-05"))])
    # the problem was due 12-15 (5 days ago); one 大讨论 of two; sub-themes 1 and 2 held, 5 and 6 not
    assert messages(box, tmp_path, "2026-12-20")["荷花村"] == (
        "【乡创城办提醒】荷花村：截至12月20日，本单位有1个问题超期未整改（期限12月15日，已逾期5天），请立即整改并更新整改状态；"
        "大讨论已开展1次，还差1次，子主题5、6尚未开展，请于2027年2月4日前完成。" + CLOSE)


def test_behind_schedule_has_its_own_date_and_the_count_is_said_once(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2027-01-14"),
                 activities=[activity(d("2026-12-05"), "大行动", s, 序号=s) for s in (1, 2, 5, 6)],
                 problems=[problem(d("2027-01-30"), found=d("2026-12-05"))])
    # 序时进度 on 1-15: 2 × 49 days // 69 = 1 大讨论, due at the next report (1-22); the two 大讨论 by 2-04
    assert messages(box, tmp_path, "2027-01-15")["柳林村"] == (
        "【乡创城办提醒】柳林村：截至1月15日，本单位大讨论已开展0次，按序时进度应不少于1次，请于2027年1月22日前补齐；"
        "大讨论还差2次（要求不少于2次），请于2027年2月4日前完成。" + CLOSE)


def test_items_due_the_same_day_share_the_date(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "白塔村.xlsx", unit="白塔村", filed=d("2026-12-18"), activities=[activity(d("2026-12-05"))])
    # one 大讨论 on sub-theme 1; no 大行动, no problem registered: four items, all due 2-04
    assert messages(box, tmp_path, "2026-12-20")["白塔村"] == (
        "【乡创城办提醒】白塔村：截至12月20日，本单位大讨论已开展1次，还差1次，子主题2、5、6尚未开展，尚未开展大行动，"
        "尚未登记查摆出的问题，请于2027年2月4日前完成。" + CLOSE)


def test_a_reminder_comes_last_even_when_due_sooner(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "荷花村.xlsx", unit="荷花村", filed=d("2026-12-10"),
                 activities=[activity(d("2026-12-05")), *(activity(d("2026-12-06"), "大行动", s, 序号=s) for s in (2, 5, 6))],
                 problems=[problem(d("2027-01-20"), found=d("2026-12-05"))])
    # filed 12-10: 10 days old on 12-20 (> 7), to be updated by the next report, 12-27
    assert messages(box, tmp_path, "2026-12-20")["荷花村"] == (
        "【乡创城办提醒】荷花村：截至12月20日，本单位大讨论已开展1次，还差1次，请于2027年2月4日前完成；"
        "台账已10天未更新（最近填报12月10日），请于2026年12月27日前更新台账。" + CLOSE)


def test_a_long_message_keeps_the_most_urgent_items_and_counts_the_rest(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "乡文广站.xlsx", unit="乡文广站", filed=d("2027-01-05"),
                 problems=[problem(d("2027-01-05"), found=d("2026-12-05"), 整改措施=None)],
                 publicity=[{"序号": 1, "发布日期": d("2026-12-20"), "发布平台": "微信群", "标题": "文广站动员", "典型案例": "否"}])
    write_ledger(box / "乡文广站_新.xlsx", unit="乡文广站", filed=d("2028-01-10"))
    sent = messages(box, tmp_path, "2027-01-15")["乡文广站"]
    # 9 items: the unused file (to be sent again by the next report, 1-22), the overdue problem (1-05), behind
    # (1-22), 大讨论 0 of 2, sub-themes 1 and 5, 大行动, the problem's missing measure (2-04), no publicity since
    # 1-08 and the ledger 10 days old (1-22). With five of them the message is 293 characters; the sixth
    # (“，尚未开展大行动”, 8 more) would pass the limit, so four are counted.
    assert sent == (
        "【乡创城办提醒】乡文广站：截至1月15日，本单位报送的《乡文广站_新.xlsx》已收到，但未能采用：填报日期晚于统计日期（2028-01-10 > 2027-01-15），"
        "本期不采用；该日期晚于活动截止日期，可能是年份填错；本期按此前采用的台账统计，请于2027年1月22日前更正后重新报送；"
        "有1个问题超期未整改（期限1月5日，已逾期10天），请立即整改并更新整改状态；"
        "大讨论已开展0次，按序时进度应不少于1次，请于2027年1月22日前补齐；"
        "大讨论还差2次（要求不少于2次），子主题1、5尚未开展，请于2027年2月4日前完成；"
        "另有4项，详见整改清单。" + CLOSE)
    assert len(sent) == 293


def test_a_unit_that_owes_nothing_gets_no_message(tmp_path: Path) -> None:
    box = tmp_path / "inbox"
    write_ledger(box / "柳林村.xlsx", unit="柳林村", filed=d("2026-12-19"), activities=[
        activity(d("2026-12-01"), "大讨论", 1), activity(d("2026-12-02"), "大讨论", 2, 序号=2),
        activity(d("2026-12-03"), "大行动", 5, 序号=3), activity(d("2026-12-04"), "大行动", 6, 序号=4)],
        problems=[problem(d("2027-01-20"))])
    assert "柳林村" not in messages(box, tmp_path, "2026-12-20")
