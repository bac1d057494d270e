"""The template's shape (SPEC §3, contract) and the one table of header synonyms the reader accepts."""

from dataclasses import dataclass
from enum import Enum, auto
from functools import cached_property
from typing import get_args

from pipeline.model import RectStatus

INFO_SHEET = "基本信息"
ACTIVITY_SHEET = "活动台账"
RECT_SHEET = "问题整改"
PUBLICITY_SHEET = "宣传报道"
GUIDE_SHEET = "填报说明"
TEMPLATE_VERSION = "2026.1"
EXAMPLE_MARK = "示例"

INFO_LABELS = ("单位名称", "单位类别", "填报人", "联系电话", "填报日期", "模板版本")

# Where things sit in the template we hand out, 0-based as xlsxwriter counts (openpyxl adds 1). Units'
# files are read wherever their headers and labels are; these only lay the template out and name the
# cell a missing value belongs in.
TITLE_ROW = 0
HEADER_ROW = 1
EXAMPLE_ROW = 2
FIRST_DATA_ROW = EXAMPLE_ROW + 1
INFO_LABEL_COL = 0
INFO_VALUE_COL = 1


def info_row(label: str) -> int:
    """基本信息 has one label a row from the top, in INFO_LABELS order."""
    return INFO_LABELS.index(label)


def info_cell(label: str) -> str:
    """The A1 cell of a label's value, e.g. `info_cell("填报日期") == "B5"` (SPEC users point people there)."""
    return f"{chr(ord('A') + INFO_VALUE_COL)}{info_row(label) + 1}"
INFO_SYNONYMS: dict[str, tuple[str, ...]] = {
    "单位名称": ("单位", "填报单位", "报送单位", "村(单位)名称", "村名"),
    "填报日期": ("报送日期", "填表日期", "填报时间"),
    "填报人": ("填表人", "联系人"),
    "联系电话": ("电话", "手机", "联系方式"),
}

ACTIVITY_KINDS = ("大讨论", "大行动")
RECT_STATUSES: tuple[RectStatus, ...] = get_args(RectStatus)
PLATFORMS = ("微信群", "微信公众号", "抖音", "广播", "网站", "县融媒体“创城大家谈”", "其他")
YES_NO = ("是", "否")
DUE_IMMEDIATE = "立行立改"
DUE_ONGOING = "长期坚持"

KIND_SYNONYMS = {"讨论": "大讨论", "讨论会": "大讨论", "座谈": "大讨论", "行动": "大行动", "志愿服务": "大行动"}
STATUS_SYNONYMS = {
    **dict.fromkeys(("已完成", "完成", "整改完成", "已办结", "办结", "整改完毕", "已整改完毕", "已整改完成", "整改已完成",
                     "已完成整改", "完成整改", "整改到位", "已整改到位", "已销号", "销号", "已落实", "已落实到位", "已解决"), "已整改"),
    **dict.fromkeys(("正在整改", "推进中", "整改推进中", "整改进行中", "进行中", "正在进行", "正在推进", "处理中",
                     "正在处理", "落实中", "正在进行中"), "整改中"),
    **dict.fromkeys(("未完成", "待整改", "未开始", "尚未开始", "尚未整改", "暂未整改", "还未整改", "未落实", "尚未完成", "未完成整改",
                     "未解决"), "未整改"),
}
"""How units write each 整改状态. Only words that can mean one state: `基本完成`, `部分完成` (done or not?) or
`持续整改` (a 整改时限, not a state) stay a 警告 at their cell."""
PLATFORM_SYNONYMS = {"微信": "微信群", "公众号": "微信公众号", "微信公众平台": "微信公众号", "抖音号": "抖音",
                     "大喇叭": "广播", "广播站": "广播", "网络": "网站", "门户网站": "网站", "县融媒体": "县融媒体“创城大家谈”",
                     "创城大家谈": "县融媒体“创城大家谈”", "融媒体": "县融媒体“创城大家谈”"}
YES_NO_SYNONYMS = {"Y": "是", "y": "是", "√": "是", "✓": "是", "yes": "是", "N": "否", "n": "否", "×": "否",
                   "no": "否", "不是": "否"}


class SheetKind(Enum):
    """Which records a ledger sheet holds; the reader picks a sheet's row parser by it."""

    ACTIVITY = auto()
    RECTIFICATION = auto()
    PUBLICITY = auto()


@dataclass(frozen=True)
class SheetSpec:
    """A ledger sheet: its kind, name, header labels in template order, the required ones, and synonyms."""

    kind: SheetKind
    name: str
    columns: tuple[str, ...]
    required: tuple[str, ...]
    essential: tuple[str, ...]
    synonyms: dict[str, tuple[str, ...]]
    example: tuple[str, ...]

    def canonical(self, label: str) -> str | None:
        """The template column a header label means, or None."""
        return self.labels.get(label)

    @cached_property
    def labels(self) -> dict[str, str]:
        """Header label → the template column it means."""
        labels = {synonym: column for column, synonyms in reversed(self.synonyms.items()) for synonym in synonyms}
        return labels | {column: column for column in self.columns}


ACTIVITY = SheetSpec(
    kind=SheetKind.ACTIVITY,
    name=ACTIVITY_SHEET,
    columns=("序号", "活动日期", "活动类型", "子主题", "活动主题", "活动地点", "参加人数", "组织人", "协办单位",
             "活动形式", "内容摘要", "佐证材料", "备注"),
    required=("活动日期", "活动类型", "子主题", "参加人数", "内容摘要"),
    essential=("活动日期", "活动类型", "子主题", "参加人数", "内容摘要"),
    example=(EXAMPLE_MARK, "2026-12-03", "大讨论", "1-转作风、见行动、促创建", "我为创城做什么", "村部会议室", "30",
             "张三", "乡妇联", "座谈讨论", "围绕门前三包、文明交通开展讨论，查摆问题3条", "照片3张、签到表1份",
             "此行为示例，填写时请保留或删除，不计入统计"),
    synonyms={
        "序号": ("编号", "序", "No", "No."),
        "活动日期": ("日期", "时间", "活动时间", "开展日期", "开展时间", "讨论日期"),
        "活动类型": ("类型", "活动类别", "类别"),
        "子主题": ("所属子主题", "子主题名称", "讨论子主题"),
        "活动主题": ("主题", "讨论主题", "活动名称", "专题"),
        "活动地点": ("地点", "开展地点"),
        "参加人数": ("参会人数", "人数", "参加人员数", "参与人数", "参加人次", "参与人次"),
        "组织人": ("组织者", "负责人", "主持人"),
        "协办单位": ("联合单位", "共同组织单位", "合办单位"),
        "活动形式": ("形式", "开展形式"),
        "内容摘要": ("内容", "主要内容", "活动内容", "讨论内容", "内容简介"),
        "佐证材料": ("佐证", "佐证资料", "图片资料", "附件"),
        "备注": ("说明",),
    },
)

RECTIFICATION = SheetSpec(
    kind=SheetKind.RECTIFICATION,
    name=RECT_SHEET,
    columns=("序号", "发现日期", "关联活动序号", "问题描述", "整改措施", "责任人", "整改时限", "整改状态",
             "完成日期", "备注"),
    required=("问题描述", "整改措施", "责任人", "整改时限", "整改状态"),
    essential=("问题描述",),
    example=(EXAMPLE_MARK, "2026-12-03", "1", "村部周边乱堆乱放", "组织志愿者清理，落实门前三包", "李四",
             "2026-12-20", "整改中", "", "整改时限可填日期、立行立改或长期坚持"),
    synonyms={
        "序号": ("编号", "序", "No", "No."),
        "发现日期": ("查摆日期", "日期", "发现时间"),
        "关联活动序号": ("关联活动", "活动序号"),
        "问题描述": ("问题", "存在问题", "查摆问题", "问题内容"),
        "整改措施": ("措施", "整改办法"),
        "责任人": ("整改责任人", "负责人"),
        "整改时限": ("时限", "完成时限", "整改期限"),
        "整改状态": ("状态", "整改情况", "完成情况"),
        "完成日期": ("整改完成日期", "完成时间"),
        "备注": ("说明",),
    },
)

PUBLICITY = SheetSpec(
    kind=SheetKind.PUBLICITY,
    name=PUBLICITY_SHEET,
    columns=("序号", "发布日期", "发布平台", "标题", "链接", "典型案例", "备注"),
    required=("发布日期", "发布平台", "标题"),
    essential=("发布日期", "标题"),
    example=(EXAMPLE_MARK, "2026-12-04", "微信公众号", "某村开展“我为创城做什么”大讨论", "https://example.org/xxx",
             "否", ""),
    synonyms={
        "序号": ("编号", "序", "No", "No."),
        "发布日期": ("日期", "发布时间", "报道日期"),
        "发布平台": ("平台", "媒体", "发布媒体", "渠道"),
        "标题": ("报道标题", "信息标题", "题目"),
        "链接": ("网址", "链接地址", "URL"),
        "典型案例": ("是否典型", "是否典型案例", "典型"),
        "备注": ("说明",),
    },
)

LEDGER_SPECS = (ACTIVITY, RECTIFICATION, PUBLICITY)
