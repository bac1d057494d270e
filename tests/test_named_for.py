"""A file named for one unit whose 基本信息 names another (SPEC §3, received is not silence): told to the unit its
name names only when the name does not name the filling unit too and that unit has no ledger of its own this period
(adopted, or merely dated after the 统计日期); the office's name beside a unit's is the addressee."""

from pathlib import Path

from tests.ledgers import activity, d, write_ledger
from tests.runs import report
from tests.test_received import seen_in


def test_a_file_named_for_the_office_and_for_its_unit_is_told_to_its_unit_only(tmp_path: Path) -> None:
    """Villages save the office's file as 城西湖乡创城办台账（荷花村）.xlsx and fill in their own 单位名称. The longest
    roster name in it is 城西湖乡创城办 (an alias of 乡创城办), yet the name names 荷花村 too: each file is its
    village's, and 乡创城办, which sent nothing, is not told to rename a village's file and send it again."""
    box = tmp_path / "inbox"
    write_ledger(box / "城西湖乡创城办台账（荷花村）.xlsx", unit="荷花村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"))])
    write_ledger(box / "城西湖乡创城办台账（柳林村）.xlsx", unit="柳林村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-06"))])
    result = report(box, tmp_path / "out", "2026-12-20")
    office = seen_in(result, "乡创城办")
    assert (office.progress["状态"], office.progress["未采用文件"]) == ("未报送", None)
    assert not [line for line in office.gap_list if "城西湖乡创城办台账" in line]
    # 12-04 is the first report's deadline, 16 days before 12-20
    assert office.reminder.startswith(
        "【乡创城办提醒】乡创城办：截至12月20日，本单位尚未报送台账（期限12月4日，已逾期16天），请立即报送台账；")
    silent = next(c for c in office.issues.split("；") if c.endswith("尚未报送台账"))
    assert "乡创城办" in silent
    assert "报送的台账未能采用" not in office.issues
    assert "台账未能采用的单位" not in office.steps and "更正后" not in office.steps
    for village in ("荷花村", "柳林村"):
        own = seen_in(result, village)
        assert (own.progress["状态"], own.progress["未采用文件"]) == ("进行中", None)
        listed = own.files[f"城西湖乡创城办台账（{village}）.xlsx"]
        assert (listed["单位名称"], listed["处理结果"]) == (village, "已采用")
        assert own.problems == []    # no 警告 that the name looks like 乡创城办's: it names the village too
        assert "已收到" not in own.reminder


def test_a_unit_with_its_own_ledger_adopted_is_not_told_of_a_file_named_for_it(tmp_path: Path) -> None:
    """乡团委 sent its own ledger; 乡妇联 sent its ledger as 乡团委.xlsx (started from 乡团委's copy, 单位名称 its own).
    乡团委's adopted ledger is this period's: it has nothing to correct, and is not told 更正后重新报送 about a file
    that is most likely 乡妇联's, which still counts it as its own with the 警告 at 单位名称."""
    box = tmp_path / "inbox"
    write_ledger(box / "乡团委_台账.xlsx", unit="乡团委", filed=d("2026-12-16"),
                 activities=[activity(d("2026-12-05"), subtheme=2, summary="团员青年讨论")])
    write_ledger(box / "乡团委.xlsx", unit="乡妇联", filed=d("2026-12-18"), activities=[activity(d("2026-12-09"))])
    result = report(box, tmp_path / "out", "2026-12-20")
    league = seen_in(result, "乡团委")
    assert (league.progress["状态"], league.progress["未采用文件"]) == ("进行中", None)
    assert league.files["乡团委_台账.xlsx"]["处理结果"] == "已采用"
    assert not [line for line in league.gap_list if "《乡团委.xlsx》" in line]
    assert "已收到" not in league.reminder and "更正后重新报送" not in league.reminder
    assert "乡团委报送的台账未能采用" not in league.issues
    assert "台账未能采用的单位" not in league.steps
    women = seen_in(result, "乡妇联")
    assert (women.progress["状态"], women.files["乡团委.xlsx"]["单位名称"]) == ("进行中", "乡妇联")
    assert [(p["单元格"], p["问题"]) for p in women.problems] == [
        ("B1", "“基本信息”中的单位名称为“乡妇联”，文件名却像是“乡团委”的，已按“乡妇联”读取")]


def test_a_unit_whose_own_ledger_is_merely_early_is_not_told_of_a_file_named_for_it(tmp_path: Path) -> None:
    """乡团委's own ledger is dated 12-22, after the 统计日期 12-20 (sent ahead); 乡妇联 sent 乡团委.xlsx with its own
    单位名称. 乡团委 was told to rename 乡妇联's file and 更正后重新报送, and the bulletin asked it to correct and resend;
    its own ledger is here, so it is asked only to check its date, as any unit whose only file is early."""
    box = tmp_path / "inbox"
    write_ledger(box / "乡团委_台账.xlsx", unit="乡团委", filed=d("2026-12-22"),
                 activities=[activity(d("2026-12-05"), subtheme=2)])
    write_ledger(box / "乡团委.xlsx", unit="乡妇联", filed=d("2026-12-18"), activities=[activity(d("2026-12-09"))])
    league = seen_in(report(box, tmp_path / "out", "2026-12-20"), "乡团委")
    assert (league.progress["状态"], league.progress["未采用文件"]) == (
        "未报送", "《乡团委_台账.xlsx》：填报日期晚于统计日期（2026-12-22 > 2026-12-20），本期不采用")
    assert "《乡团委.xlsx》" not in league.reminder and "单位名称改为" not in league.reminder
    assert "台账填报日期晚于统计日期的单位核对填报日期，无误则不必重报" in league.steps
    assert "台账未能采用的单位" not in league.steps


def test_a_village_filling_in_another_villages_office_named_file_is_told_to_that_village(tmp_path: Path) -> None:
    """柳林村 fills in 荷花村's 城西湖乡创城办台账（荷花村）.xlsx (单位名称 柳林村). The office's name in a file name is its
    addressee: the name is 荷花村's. 乡创城办, which sent nothing, was told 已收到台账…请把单位名称改为“乡创城办” and
    named in the bulletin among units whose ledger could not be used; 荷花村 was told nothing, and 柳林村 warned that the
    name looks like 乡创城办's."""
    box = tmp_path / "inbox"
    write_ledger(box / "城西湖乡创城办台账（荷花村）.xlsx", unit="柳林村", filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"))])
    result = report(box, tmp_path / "out", "2026-12-20")
    office, lotus, willow = (seen_in(result, u) for u in ("乡创城办", "荷花村", "柳林村"))
    assert office.progress["未采用文件"] is None and "报送的台账未能采用" not in office.issues.split("荷花村")[0]
    assert lotus.progress["未采用文件"] == (
        "《城西湖乡创城办台账（荷花村）.xlsx》：文件名像是本单位的，但“基本信息”中的单位名称为“柳林村”，已按“柳林村”的台账计；"
        "如是本单位的台账，请把单位名称改为“荷花村”后重新报送")
    assert [(p["单元格"], p["问题"]) for p in willow.problems] == [
        ("B1", "“基本信息”中的单位名称为“柳林村”，文件名却像是“荷花村”的，已按“柳林村”读取")]


def test_the_offices_own_file_naming_a_partner_stays_the_offices(tmp_path: Path) -> None:
    """The office's 乡创城办台账（与商会联合活动）.xlsx with 单位名称 left blank is read by its file name as the office's
    (the longest name in it): the office's name is an addressee only when telling a unit of a file bearing its name,
    never when deciding whose ledger a file is. (Reviewer R6: it was read as 商会's, and 乡创城办 left 未报送.)"""
    box = tmp_path / "inbox"
    write_ledger(box / "乡创城办台账（与商会联合活动）.xlsx", unit=None, filed=d("2026-12-18"),
                 activities=[activity(d("2026-12-05"))])
    result = report(box, tmp_path / "out", "2026-12-20")
    office, chamber = seen_in(result, "乡创城办"), seen_in(result, "商会")
    assert (office.progress["状态"], chamber.progress["状态"]) == ("进行中", "未报送")
    assert office.files["乡创城办台账（与商会联合活动）.xlsx"]["单位名称"] == "乡创城办"
    assert chamber.progress["未采用文件"] is None


def test_a_unit_whose_own_ledger_has_a_year_slip_is_not_told_of_a_file_named_for_it(tmp_path: Path) -> None:
    """乡团委's own ledger is dated 2027-12-18 (the year typed wrong), so not used; its own ledger is here all the
    same: it is told to correct its date, not to rename 乡妇联's 乡团委.xlsx (reviewer R6)."""
    box = tmp_path / "inbox"
    write_ledger(box / "乡团委_台账.xlsx", unit="乡团委", filed=d("2027-12-18"),
                 activities=[activity(d("2026-12-05"), subtheme=2)])
    write_ledger(box / "乡团委.xlsx", unit="乡妇联", filed=d("2026-12-18"), activities=[activity(d("2026-12-09"))])
    league = seen_in(report(box, tmp_path / "out", "2026-12-20"), "乡团委")
    assert "《乡团委_台账.xlsx》" in league.reminder and "可能是年份填错" in league.reminder
    assert "《乡团委.xlsx》" not in league.reminder and "单位名称改为" not in league.reminder
    assert str(league.progress["未采用文件"]).count("《") == 1
