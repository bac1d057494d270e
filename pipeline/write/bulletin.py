"""The weekly 工作通报 (a Word document) and the 催报提醒 texts, built sentence by sentence from the report.

Every number comes from the same `Report` (and `overview.headline`) as the workbook's 总览, so the two
never disagree; a section with nothing to say is left out (../shared/style/bulletin.md).
"""

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Literal

from pipeline.judge.report import Report, UnitRow
from pipeline.judge.rules import R1, R2, R3, R4, R6, R7
from pipeline.judge.texts import cn_date, md, undated_filed
from pipeline.model import PublicityItem

WEEK = dt.timedelta(days=7)

ParagraphKind = Literal["title", "meta", "to", "body", "heading", "list"]
"""What a paragraph is in the 通报; `write_bulletin` picks its style and indent from it."""


@dataclass(frozen=True)
class Paragraph:
    kind: ParagraphKind
    text: str


def pct(part: int, whole: int) -> str:
    """85.7%: one decimal, rounded half up as Excel's 0.0% format shows the same ratio in 总览."""
    if not whole:
        return "0%"
    return f"{(Decimal(part) * 100 / Decimal(whole)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def names(rows: list[UnitRow]) -> str:
    return "、".join(r.unit.name for r in rows)


def theme(report: Report) -> str:
    """我为创城做什么 大讨论大行动 → “我为创城做什么”大讨论大行动."""
    head, _, tail = report.campaign.name.partition(" ")
    return f"“{head}”{tail.strip()}"


def _with(report: Report, rule: str, level: str) -> list[UnitRow]:
    return [r for r in report.rows if any(g.rule == rule and g.level == level for g in r.gaps)]


def bulletin(report: Report) -> list[Paragraph]:
    c = report.campaign
    rows = report.rows
    units = len(rows)
    out = [Paragraph("title", f"关于{theme(report)}开展情况的通报（第{len(report.history) + 1}期）"),
           Paragraph("meta", f"{c.township}{c.office.removeprefix('乡')}　　{cn_date(report.as_of)}"),
           Paragraph("to", "各村、乡直各单位："),
           Paragraph("body", f"为推动{theme(report)}走深走实，现将截至{md(report.as_of)}各单位开展情况通报如下：")]

    statuses = "、".join(f"{s}{n}个" for s, n in report.by_status.items() if n)
    totals = report.subtheme_totals()
    idle = [t.subtheme for t in totals if not t.discussions + t.actions]
    problems = sum(r.problems_found for r in rows)
    rectified = sum(r.rectified for r in rows)
    overdue = sum(r.overdue for r in rows)
    progress = (f"截至{md(report.as_of)}，全乡{units}个单位中已有{report.submitted}个报送台账，报送率"
                f"{pct(report.submitted, units)}，按时报送率{pct(report.on_time, units)}；其中{statuses}。")
    if report.events:
        progress += (f"各单位共开展大讨论{report.sessions('大讨论')}场次、大行动{report.sessions('大行动')}场次，"
                     f"参与{report.participants()}人次；{len(totals)}个子主题中已有{len(totals) - len(idle)}个开展了活动")
        progress += f"，子主题{'、'.join(map(str, idle))}尚未开展。" if idle else "。"
    else:
        progress += "各单位尚未报送已开展的大讨论、大行动。"
    if problems:
        progress += f"共查摆问题{problems}个，已整改{rectified}个，整改率{pct(rectified, problems)}"
        progress += f"，{overdue}个超期未整改。" if overdue else "。"

    progress += "各单位情况见附件。"
    out += [Paragraph("heading", "一、总体进展"), Paragraph("body", progress)]

    typical = [(r, p) for r in rows for p in r.facts.publicity if p.typical]
    if typical:
        out.append(Paragraph("heading", "二、典型做法"))
        out += [Paragraph("list", f"{i}. {_typical(report, r, p)}") for i, (r, p) in enumerate(typical[:8], 1)]

    issues = _issues(report)
    number = "三" if typical else "二"
    if issues:
        out += [Paragraph("heading", f"{number}、存在问题"), Paragraph("body", f"截至目前，{'；'.join(issues)}。")]
        number = "四" if typical else "三"
    out += [Paragraph("heading", f"{number}、下步要求"), Paragraph("body", _next_steps(report))]
    return out


def _typical(report: Report, row: UnitRow, item: PublicityItem) -> str:
    """The unit that filed the case, what it did (its best-attended activity in the week before the
    publication), where and when it was published."""
    sub = report.intake.adopted.get(row.unit.name)
    week = [a for a in (sub.activities if sub else ()) if a.counted and item.date - WEEK <= a.date <= item.date]
    published = f"{md(item.date)}在{item.platform}发布《{item.title}》"
    if not week:
        return f"{row.unit.name}：{published}。"
    best = max(week, key=lambda a: (a.participants, a.date))
    what = f"“{best.topic}”" if best.topic else f"（{best.summary}）"
    return f"{row.unit.name}：{md(best.date)}开展{best.kind}{what}，{best.participants}人参加；{published}。"


def _issues(report: Report) -> list[str]:
    """One clause per kind of problem, in the order the office reads them out; joined by the caller."""
    clauses = []
    missing = [r for r in report.rows if r.status == "未报送" and not r.unused]
    if missing:
        clauses.append(f"{names(missing)}尚未报送台账")
    unsent = [r for r in report.rows if r.status == "未报送"]   # a ledger gone is not one that could not be used
    gone = [r for r in unsent if r.facts.gone and not r.facts.received]
    both = [r for r in unsent if r.facts.gone and r.facts.received]
    unusable = [r for r in unsent if r.facts.received and not r.facts.gone]
    told = [f"{names(rows)}{text}" for rows, text in (
        (gone, "上期采用的台账本期不在收件箱中"),
        (both, "上期采用的台账本期不在收件箱中、新报的台账未能采用（原因见各单位整改清单）"),
        (unusable, "报送的台账未能采用（原因见各单位整改清单）")) if rows]
    if told:
        clauses.append(f"{'，'.join(told)}，暂按未报送统计")
    late = [r for r in report.rows if r.overdue]
    if late:
        clauses.append("、".join(f"{r.unit.name}有{r.overdue}个问题" for r in late) + "超期未整改")
    behind = _with(report, R7, "滞后")
    if behind:
        clauses.append(f"{names(behind)}大讨论进度滞后于序时进度")
    failed = {R1: "大讨论次数未达到要求", R2: "负责的子主题未全部开展", R3: "尚未开展大行动", R6: "未报送宣传报道"}
    for rule, words in failed.items():
        group = _with(report, rule, "未达标")
        if group:
            clauses.append(f"{names(group)}{words}")
    pending = _with(report, R1, "待完成")
    if pending:
        clauses.append(f"{names(pending)}大讨论尚未达到{report.campaign.min_discussions}次")
    errors = sorted({p.unit for p in report.problems if p.level == "错误" and p.unit})
    if errors:
        clauses.append(f"{'、'.join(errors)}的台账有填写错误，详见各单位整改清单")
    return clauses


def _next_steps(report: Report) -> str:
    c = report.campaign
    next_report = min(report.as_of + dt.timedelta(days=c.report_interval_days), c.deadline)
    if report.days_left >= 0:
        text = f"距活动截止（{cn_date(c.deadline)}）还有{report.days_left}天。"
    else:
        text = f"活动已于{cn_date(c.deadline)}截止，未达标单位要说明情况、限期补齐。"
    asks = []
    when = "立即" if next_report < report.as_of else f"于{cn_date(next_report)}前"
    if any(r.status == "未报送" and not r.unused for r in report.rows):
        asks.append(f"尚未报送的单位{when}报送台账")
    if any(r.status == "未报送" and r.unused and not (r.facts.only_early or r.facts.only_gone or r.facts.only_cut_short)
           for r in report.rows):
        asks.append(f"台账未能采用的单位按整改清单更正后{when}重新报送")
    if any(r.status == "未报送" and r.facts.only_gone for r in report.rows):  # nothing to correct: send it again
        asks.append(f"上期台账本期不在收件箱中的单位{when}把最新的台账再报送一次")
    if any(r.status == "未报送" and r.facts.only_cut_short for r in report.rows):
        asks.append(f"报送的文件不完整的单位{when}重新报送一次")
    if any(r.status == "未报送" and r.facts.only_early for r in report.rows):
        asks.append("台账填报日期晚于统计日期的单位核对填报日期，无误则不必重报")
    if any(r.overdue for r in report.rows):
        asks.append("有超期问题的单位立即整改并更新整改状态")
    if _with(report, R7, "滞后"):
        asks.append("进度滞后的单位抓紧组织大讨论")
    if any(g.rule in (R1, R2, R3, R4) and g.level == "待完成" for g in report.gaps):
        asks.append(f"其余单位对照整改清单，在{cn_date(c.deadline)}前完成各项任务")
    if asks:
        text += "请" + "；".join(asks) + "。"
    if report.days_left >= 0:
        text += (f"请各单位每{c.report_interval_days}天更新一次台账报{c.office}，下次报送请于{cn_date(next_report)}前完成。")
    return text if c.contact_is_placeholder else text + f"联系方式：{c.contact}。"


ATTACHMENT_COLUMNS = ("序号", "单位", "状态", "大讨论（次）", "大行动（次）", "参与人次", "最近填报")
ATTACHMENT_WIDTHS_MM = (14, 38, 18, 18, 18, 22, 28)
"""156 mm, the type area's width: 序号, 参与人次 and a date such as 12月31日 on one line in 仿宋 小四, a unit name of
up to eight characters."""


def attachment(report: Report) -> list[tuple[str, ...]]:
    """附件: every unit the bulletin counts, with the figures of 单位进度, so each count can be checked by name."""
    return [(str(i), r.unit.name, r.status, str(r.facts.discussions), str(r.facts.actions), str(r.facts.participants),
             _last_filed(r)) for i, r in enumerate(report.rows, 1)]


def _last_filed(r: UnitRow) -> str:
    """The 最近填报 cell: a file without 填报日期 says so and which date it is dated by."""
    if r.last_filed is None:
        return "未报送"
    return undated_filed(md(r.last_filed), r.filed_note) if r.filed_note else md(r.last_filed)


def write_bulletin(report: Report, path: Path) -> None:
    """A 公文 to GB/T 9704-2012: see pipeline.write.gongwen for the page and the fonts."""
    from pipeline.write.gongwen import Gongwen

    doc = Gongwen(title=f"工作通报 {report.as_of.isoformat()}", author=report.campaign.office,
                  created=dt.datetime.combine(report.as_of, dt.time()))
    for paragraph in bulletin(report):
        doc.add(paragraph.kind, paragraph.text)
    doc.attachment(label="附件", title=f"各单位开展情况（截至{md(report.as_of)}）", columns=ATTACHMENT_COLUMNS,
                   rows=attachment(report), widths_mm=ATTACHMENT_WIDTHS_MM)
    doc.save(path)
