"""`make demo`: a realistic sample inbox, filled into the real template the way a unit would (openpyxl).

It shows every status and sheet at once: complete, behind schedule, overdue rectification, not
reported, a superseded file, co-organised activities, and a few typical mistakes.
"""

import datetime as dt
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import openpyxl

from pipeline.config.campaign import Campaign, Unit
from pipeline.config.roster import Roster
from pipeline.read.schema import ACTIVITY, FIRST_DATA_ROW, INFO_SHEET, PUBLICITY, RECTIFICATION, SheetSpec, info_cell
from pipeline.write.template import write_template

Row = Mapping[str, Any]


def demo_as_of(campaign: Campaign) -> dt.date:
    """Seven weeks in: late enough for the schedule rule (R7) to bite."""
    return min(campaign.start + dt.timedelta(days=49), campaign.deadline)


def fill_ledger(template: Path, out: Path, *, info: Mapping[str, Any], activities: Sequence[Row] = (),
                rectifications: Sequence[Row] = (), publicity: Sequence[Row] = ()) -> None:
    """Fill a copy of the template: 基本信息 values beside their labels, data rows below the 示例 row."""
    workbook = openpyxl.load_workbook(template)
    sheet = workbook[INFO_SHEET]
    for label, value in info.items():
        sheet[info_cell(label)] = value
    for spec, rows in ((ACTIVITY, activities), (RECTIFICATION, rectifications), (PUBLICITY, publicity)):
        _fill(workbook[spec.name], spec, rows)
    workbook.save(out)


def _fill(sheet: Any, spec: SheetSpec, rows: Sequence[Row]) -> None:
    for offset, values in enumerate(rows):
        for col, name in enumerate(spec.columns, start=1):
            value = offset + 1 if name == "序号" else values.get(name)
            if value is not None:
                sheet.cell(row=FIRST_DATA_ROW + 1 + offset, column=col, value=value)  # openpyxl counts from 1


def _act(day: Any, kind: str, subtheme: Any, people: Any, summary: str, **extra: Any) -> dict[str, Any]:
    return {"活动日期": day, "活动类型": kind, "子主题": subtheme, "参加人数": people, "内容摘要": summary,
            "佐证材料": "照片、签到表", "活动地点": "会议室", "组织人": "负责同志", **extra}


def _rect(found: dt.date, text: str, due: Any, status: str, done: dt.date | None = None) -> dict[str, Any]:
    return {"发现日期": found, "问题描述": text, "整改措施": "明确专人、限期整改", "责任人": "分管负责人",
            "整改时限": due, "整改状态": status, "完成日期": done}


def write_demo_inbox(inbox: Path, *, campaign: Campaign, roster: Roster) -> list[Path]:
    """Write the sample files into `inbox` (created; existing demo files are overwritten)."""
    inbox.mkdir(parents=True, exist_ok=True)
    s = campaign.start
    day = {n: s + dt.timedelta(days=n) for n in range(0, 60)}
    as_of = demo_as_of(campaign)
    villages = [u for u in campaign.units if "村" in u.kinds]
    titles = {sub.id: sub.label for sub in campaign.subthemes}
    written: list[Path] = []
    with tempfile.TemporaryDirectory() as tmp:
        def ledger(unit: Unit, name: str, filed: dt.date, **rows: Any) -> None:
            template = Path(tmp) / f"{unit.name}.xlsx"
            if not template.exists():
                write_template(template, campaign=campaign, roster=roster, unit=unit)
            info = {"单位名称": unit.name, "填报人": "联络员", "联系电话": "0564-0000000", "填报日期": filed}
            fill_ledger(template, inbox / name, info=info, **rows)
            written.append(inbox / name)

        by_name = {u.name: u for u in campaign.units}
        office = by_name.get(campaign.publicity_units[0]) if campaign.publicity_units else None
        if office is not None:
            required = roster.required_subthemes(office) or (1,)
            acts = [_act(day[3], "大讨论", required[0], 25, "学习实施方案，讨论创城短板"),
                    _act(day[20], "大讨论", required[0], 22, "围绕转作风促创建开展第二次讨论"),
                    _act(day[27], "大行动", required[-1], 30, "机关干部上街开展文明劝导")]
            acts += [_act(day[30], "大行动", sid, 15, "围绕子主题开展志愿服务") for sid in required[1:]]
            ledger(office, f"{office.name}_台账_{(as_of - dt.timedelta(days=1)).isoformat()}.xlsx",
                   as_of - dt.timedelta(days=1), activities=acts,
                   rectifications=[_rect(day[3], "宣传氛围不浓", day[15], "已整改", day[12])],
                   publicity=[{"发布日期": day[5], "发布平台": "微信公众号", "标题": "我乡启动“我为创城做什么”大讨论",
                               "典型案例": "否"},
                              {"发布日期": as_of - dt.timedelta(days=3), "发布平台": "县融媒体“创城大家谈”",
                               "标题": "村民议事会讨论门前三包", "典型案例": "是"}])
        if len(villages) >= 1:
            v = villages[0]
            req = roster.required_subthemes(v)
            acts = [_act(day[5], "大讨论", req[0], "约40人", "村两委和党员讨论创城任务"),
                    _act(day[25], "大讨论", req[min(1, len(req) - 1)], 35, "村民代表讨论文明新风")]
            acts += [_act(day[30 + i], "大行动", sid, 20, "组织志愿者开展行动") for i, sid in enumerate(req)]
            ledger(v, f"{v.name}台账.xlsx", as_of - dt.timedelta(days=2), activities=acts,
                   rectifications=[_rect(day[5], "村部周边乱堆乱放", "立行立改", "已整改", day[5])])
        if len(villages) >= 2:
            v = villages[1]
            old = [_act(day[10], "大行动", 1, 18, "清理村内卫生死角")]
            ledger(v, f"{v.name}_{day[14].isoformat()}.xlsx", day[14], activities=old,
                   rectifications=[_rect(day[10], "垃圾清运不及时", campaign.deadline, "整改中")])
            ledger(v, f"{v.name}_{(as_of - dt.timedelta(days=3)).isoformat()}.xlsx", as_of - dt.timedelta(days=3),
                   activities=[*old, _act(day[35], "大行动", 2, "三十", "孝老爱亲志愿服务", 佐证材料=None)],
                   rectifications=[_rect(day[10], "垃圾清运不及时", campaign.deadline, "整改中")])
        if len(villages) >= 3:
            v = villages[2]
            ledger(v, f"{v.name}台账(1).xlsx", as_of - dt.timedelta(days=5),
                   activities=[_act(day[8], "大讨论", titles[1], 28, "讨论村规民约修订"),
                               _act("12月32日", "大讨论", 2, 30, "讨论移风易俗"),
                               _act(day[12], "大行动", "小手拉大手", 26, "")],
                   rectifications=[_rect(day[8], "村内道路占道经营", day[30], "整改中")])
        partner = by_name.get("乡妇联")
        if partner is not None and villages:
            ledger(partner, f"{partner.name}.xlsx", as_of - dt.timedelta(days=6),
                   activities=[_act(day[25], "大讨论", 2, 30, "妇女议事会讨论家庭美德", 协办单位=villages[0].name)],
                   rectifications=[_rect(day[25], "家风宣传阵地不足", "长期坚持", "整改中")])
    (inbox / f"~${villages[0].name if villages else '某单位'}台账.xlsx").write_bytes(b"lock")
    (inbox / "活动照片.jpg").write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    return written
