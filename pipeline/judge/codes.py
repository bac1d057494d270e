"""The selection step's registry: every code merge.py produces, each with the Chinese a clerk reads for it.

A builder returns a `Note` (code, sentence, hint), as read/texts.py does for the read stage.
"""

import datetime as dt
from collections.abc import Sequence
from enum import unique

from pipeline.model import Activity, Code, Note, PublicityItem, Rectification
from pipeline.read.texts import d


@unique
class SelectionCode(Code):
    """Which file a unit's report stands on: warnings on the adopted file, and the 文件清单 reason of the others."""

    TIE = "tie"
    INCREMENTAL = "incremental"
    ROWS_VANISHED = "rows-vanished"
    SUPERSEDED = "superseded"
    TIED_OUT = "tied-out"
    MERGED = "merged"
    FILED_AFTER_AS_OF = "filed-after-as-of"
    UNDATED_AFTER_AS_OF = "undated-after-as-of"
    YEAR_SLIP = "year-slip"
    SHARED_FILE = "shared-file"
    READ_AS_OTHER = "read-as-other"
    GONE_FROM_INBOX = "gone-from-inbox"
    FORMER_UNIT = "former-unit"


# Warnings on the adopted file (数据问题)
def tie(date: dt.date, chosen: str, others: Sequence[str], *, undated: Sequence[tuple[str, str]] = ()) -> Note:
    """`undated`: (file, column) of those of `others` without 填报日期, dated by their latest row's `column`: the
    date is then theirs, not a 填报日期 they hold."""
    if not undated:
        return Note(SelectionCode.TIE, f"同一填报日期 {d(date)} 有多份台账（{'、'.join(others)}），已采用“{chosen}”",
                    "每次报送请更新“填报日期”，并只报送最新的一份")
    said = f"表中最晚{'、'.join(sorted({column for _, column in undated}))}"
    text = (f"多份台账（{'、'.join(others)}）均未填写填报日期，按{said} {d(date)} 计，日期相同"
            if len(undated) == len(others) else
            f"同一日期 {d(date)} 有多份台账（{'、'.join(others)}；其中{'、'.join(f for f, _ in undated)}未填写填报日期，按{said}计）")
    where = "" if len(undated) == len(others) else f"{'、'.join(f for f, _ in undated)}的"
    return Note(SelectionCode.TIE, f"{text}，已采用“{chosen}”",
                f"请在{where}“基本信息”表填写填报日期，每次报送更新它，并只报送最新的一份")


def incremental(older: str) -> Note:
    return Note(SelectionCode.INCREMENTAL, f"本次报送未包含以往记录，已与上次报送“{older}”合并，请累计填写",
                "每次报送请在原台账后面追加新行，保留以往全部记录")


def vanished(older: str, label: str) -> Note:
    return Note(SelectionCode.ROWS_VANISHED, f"较上次报送（{older}）减少的记录：{label}",
                "如为误删请补回；如确需删除请在备注中说明原因")


def describe_activity(a: Activity) -> str:
    return f"{d(a.date)} {a.kind} 子主题{'、'.join(map(str, a.subthemes))}“{a.summary[:15]}”"


def describe_rectification(r: Rectification) -> str:
    return f"问题“{r.description[:20]}”"


def describe_publicity(p: PublicityItem) -> str:
    return f"{d(p.date)} 宣传报道“{p.title[:20]}”"


# 文件清单 reasons of the files not adopted
def superseded_by(newer: str) -> Note:
    return Note(SelectionCode.SUPERSEDED, f"已被更新的台账“{newer}”替代")


def tied_out(chosen: str, date: dt.date) -> Note:
    """A file of the same date as the one adopted (the tie warning on that file says why it won): not newer."""
    return Note(SelectionCode.TIED_OUT, f"与“{chosen}”日期相同（{d(date)}），已采用“{chosen}”")


def merged_into(newer: str) -> Note:
    return Note(SelectionCode.MERGED, f"内容已并入“{newer}”一并统计（该单位的新台账只填了新增记录）")


def filed_after_as_of(filed: dt.date, as_of: dt.date, *, slip: bool = False) -> Note:
    also = "；该日期晚于活动截止日期，可能是年份填错" if slip else ""
    return Note(SelectionCode.FILED_AFTER_AS_OF, f"填报日期晚于统计日期（{d(filed)} > {d(as_of)}），本期不采用{also}")


def undated_after_as_of(column: str, latest: dt.date, as_of: dt.date) -> Note:
    """A file without 填报日期, dated by its latest row (`column` of it), which is after as_of: said as that date."""
    return Note(SelectionCode.UNDATED_AFTER_AS_OF,
                f"未填写填报日期，按表中最晚{column} {d(latest)} 计，晚于统计日期 {d(as_of)}，本期不采用")


def shared_file(parts: Sequence[tuple[str, str, str]]) -> Note:
    """文件清单 reason of a workbook holding several units' ledgers: (unit, 处理结果, reason) of each."""
    each = "；".join(f"{unit}：{result}" + (f"（{reason}）" if reason else "") for unit, result, reason in parts)
    return Note(SelectionCode.SHARED_FILE, f"本文件含{len(parts)}个单位的台账，各按该单位的报送计——{each}")


def read_as_other(unit: str, *, named_for: str) -> Note:
    """For the unit a file's name names (`named_for`), whose 基本信息 names `unit`: the file was counted as that
    unit's, and may be this one's with the wrong 单位名称 (a copy of another unit's ledger filled in)."""
    return Note(SelectionCode.READ_AS_OTHER,
                f"文件名像是本单位的，但“基本信息”中的单位名称为“{unit}”，已按“{unit}”的台账计；"
                f"如是本单位的台账，请把单位名称改为“{named_for}”后重新报送")


def gone_from_inbox(previous: dt.date, *, known: bool) -> Note:
    """For a unit the previous official report counted as reported, none of whose files is in the inbox now
    (moved to another folder, deleted): it is 未报送 by the inbox, but it did send a ledger. `known`: the history
    kept which file (entries recorded since it does), so the sentence is about that file."""
    what = "这份台账" if known else "本单位的台账"
    return Note(SelectionCode.GONE_FROM_INBOX,
                f"上期周报（{d(previous)}）采用了{what}，本期收件箱中已没有它（可能被移走或删除）")


def former_unit(reason: str, *, name: str, when: dt.date) -> Note:
    """A ledger refused as naming no roster unit (`reason`, the refusal's own sentence) that the report of `when`
    counted for `name`, a unit no longer on the roster: most often renamed in campaign.yaml (judge.renames)."""
    return Note(SelectionCode.FORMER_UNIT,
                f"{reason.rstrip('。')}。{d(when)} 的周报曾把这份台账（或同名文件）计入“{name}”，名册中现已没有“{name}”："
                f"如该单位已改名，请乡创城办在 campaign.yaml 中该单位的新名称下写上 aliases: [{name}]，写着旧名称的台账即计入新名称")


def year_slip(filed: dt.date, deadline: dt.date, meant: dt.date | None) -> Note:
    """A 填报日期 after the campaign deadline on a file not used: most often the year typed wrong (SPEC §3)."""
    guess = f"，是否应为 {d(meant)}" if meant else ""
    return Note(SelectionCode.YEAR_SLIP,
                f"填报日期 {d(filed)} 晚于活动截止日期 {d(deadline)}，可能是年份填错{guess}；本表因此未被采用",
                "请核对“填报日期”的年份，改正后重新报送")
