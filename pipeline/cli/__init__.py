"""Command line: the only package that imports click or prints. It parses options, calls pipeline.run, prints
what came back and maps stops to exit codes. Heavy modules are imported lazily, so --help is instant.

Everything a clerk reads is Chinese, Click's own words too (pipeline.cli.chinese).
"""

from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import click

from pipeline.cli.chinese import PROGRAM, CliError, Commands, Seconds, option
from pipeline.errors import ChuangchengError, ConfigError

if TYPE_CHECKING:
    from pipeline.run import RunResult, Setup

VALIDATE_CLOSING = "以上问题需要由报送单位改正台账后重新报送；这是台账内容的问题，不是程序出错。"
VALIDATE_CLOSING_EARLY = ("以上未采用的台账填报日期晚于统计日期：填报日期无误则不必重报，统计日期到该日后即采用；"
                          "如填错，请报送单位更正后重新报送。这不是程序出错。")
"""The closing line when the only thing in the way is ledgers sent early (Validation.only_early)."""
VALIDATE_CLOSING_SOME_EARLY = "其中填报日期晚于统计日期的台账，按各自的“建议”处理：填报日期无误则不必重报。"


def _advice(hint: str) -> str:
    """A file's 建议 after its reason, as each problem's follows its message."""
    return f"。建议：{hint}" if hint else ""


def _item(text: str) -> str:
    """One line of validate's list, indented under its file; a line break a unit typed in a quoted cell goes on
    indented deeper, so the next line does not read as another problem."""
    return "    " + "\n      ".join(text.splitlines() or [""])


def _fail(exc: ChuangchengError) -> NoReturn:
    raise CliError("\n".join(exc.lines()) if isinstance(exc, ConfigError) else str(exc)) from None


def _load(config: Path) -> "Setup":
    from pipeline import run

    try:
        setup = run.load(config)
    except ChuangchengError as exc:
        _fail(exc)
    for warning in setup.warnings:
        click.echo(warning, err=True)
    return setup


_FOLDER = click.Path(path_type=Path)
_INBOX = option("--inbox", type=_FOLDER, metavar="文件夹", default=Path("inbox"), help="各单位报送文件所在文件夹")
_CONFIG = option("--config", type=_FOLDER, metavar="文件", default=Path("campaign.yaml"), help="活动配置文件")
_AS_OF = option("--as-of", "as_of", metavar="YYYY-MM-DD", help="统计日期", shown="今天，按活动所在时区")
_ARCHIVE = option("--archive", type=_FOLDER, metavar="文件夹", default=Path("archive"),
                   help="存档文件夹：每个读过的文件和历次正式周报的统计结果都保存在这里")


@click.group(cls=Commands, name=PROGRAM, invoke_without_command=True, subcommand_metavar="命令 [选项]...",
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chuangcheng", message="%(prog)s 版本 %(version)s", help="显示版本号并退出")
@click.pass_context
def main(ctx: click.Context) -> None:
    """创城台账汇总：校验各单位台账，生成督查汇总表和整改清单。"""
    if ctx.invoked_subcommand is None:
        assert isinstance(ctx.command, Commands)
        click.echo(ctx.command.overview(ctx))


@main.command()
@_INBOX
@option("--outbox", type=_FOLDER, metavar="文件夹", default=Path("outbox"), help="报表输出文件夹")
@_CONFIG
@_AS_OF
@option("--record", is_flag=True,
         help="把本次记入历史，作为统计日期所在报告周的正式周报（替换该周原有的记录），用于补做或重做某一周；"
              "统计日期是今天时自动记入，其他日期不加此项只是试算")
@_ARCHIVE
@option("--lock-timeout", type=Seconds(), metavar="秒数", default=120.0, shown="120 秒",
         help="另一次汇总正在运行时最多等待的秒数")
def report(inbox: Path, outbox: Path, config: Path, as_of: str | None, record: bool, archive: Path,
           lock_timeout: float) -> None:
    """生成督查汇总表（督查汇总表_日期.xlsx）、各单位整改清单、工作通报和催报提醒。"""
    from pipeline import run

    setup = _load(config)
    try:
        result = run.report(run.ReportSettings(setup=setup, inbox=inbox, outbox=outbox, archive=archive,
                                               as_of=run.as_of(as_of, setup), lock_timeout=lock_timeout,
                                               record=record))
    except ChuangchengError as exc:
        _fail(exc)
    _summary(result)


def _summary(result: "RunResult") -> None:
    report, written = result.report, result.written
    statuses = "，".join(f"{k} {v}" for k, v in report.by_status.items())
    files = "，".join(f"{k} {v}" for k, v in report.files_by_result().items())
    levels = [p.level for p in report.problems]
    click.echo(f"统计日期：{report.as_of.isoformat()}（距截止日期 {report.campaign.deadline.isoformat()} 还有 "
               f"{report.days_left} 天）")
    click.echo(f"单位：共 {len(report.rows)} 个；{statuses}")
    click.echo(f"文件：共 {len(report.intake.files)} 个；{files}")
    click.echo(f"数据问题：错误 {levels.count('错误')} 条，警告 {levels.count('警告')} 条；差距 {len(report.gaps)} 项")
    click.echo(f"已生成：{written.workbook}")
    click.echo(f"已生成：{written.gap_list_folder}（整改清单 {len(written.gap_lists)} 份）")
    click.echo(f"已生成：{written.bulletin}")
    click.echo(f"已生成：{written.reminders}")
    if result.recorded is not None:
        first, last = result.recorded
        click.echo(f"已记入历史：第{len(report.history) + 1}期周报（报告周 {first.isoformat()} 至 {last.isoformat()}）")
    for notice in result.notices:
        click.echo(notice.text, err=True)


@main.command()
@click.argument("sha", metavar="SHA256")
@option("--archive", type=_FOLDER, metavar="文件夹", default=Path("archive"), help="存档文件夹")
@option("--to", "target", type=_FOLDER, metavar="文件夹", default=Path("恢复的文件"), help="恢复到哪个文件夹")
def restore(sha: str, archive: Path, target: Path) -> None:
    """按 SHA256（文件清单最后一列，至少前 6 位）从存档取回一个文件。"""
    from pipeline import run

    try:
        destination = run.restore(sha=sha, archive=archive, target=target)
    except ChuangchengError as exc:
        _fail(exc)
    click.echo(f"已恢复：{destination}")


@main.command()
@_INBOX
@_CONFIG
@_AS_OF
@option("--json", "as_json", is_flag=True, help="以 JSON 格式输出（供其他程序读取）")
@option("--archive", type=_FOLDER, metavar="文件夹", default=Path("archive"),
        help="存档文件夹：读取缓存里已有的台账不再重读（只读，不写入）")
def validate(inbox: Path, config: Path, as_of: str | None, as_json: bool, archive: Path) -> None:
    """逐个文件检查台账，列出每个问题所在的工作表和单元格。

    有问题时最后一行说明这些问题由报送单位改正，退出码为 1（供脚本判断；make validate 则以 0 结束）。"""
    import json

    from pipeline import run

    setup = _load(config)
    try:
        result = run.validate(setup=setup, inbox=inbox, as_of=run.as_of(as_of, setup), archive=archive)
    except ChuangchengError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        for item in result.files:
            record = item.record
            unit = f"（{record.unit}）" if record.unit else ""
            click.echo(f"【{record.result}】{record.file}{unit}")
            for part in record.parts:        # a workbook holding several units' ledgers: each unit's result
                click.echo(_item(f"{part.unit}：{part.result}" + (f"，原因：{part.reason}" if part.reason else "")
                                 + _advice(result.hint(part))))
            if record.reason and not record.parts:
                click.echo(_item(f"原因：{record.reason}" + _advice(result.hint(record))))
            for p in item.problems:
                where = " ".join(x for x in ((p.unit if record.parts else ""), p.sheet, p.cell) if x)
                click.echo(_item(f"{where} [{p.level}] {p.message}。建议：{p.hint}"))
        summary = "，".join(f"{k} {v}" for k, v in result.results().items())
        click.echo(f"合计：文件 {len(result.files)} 个（{summary}）；数据问题 错误 {result.count('错误')} 条，"
                   f"警告 {result.count('警告')} 条")
        if not result.ok:
            click.echo(VALIDATE_CLOSING_EARLY if result.only_early else VALIDATE_CLOSING)
            if result.early and not result.only_early:
                click.echo(VALIDATE_CLOSING_SOME_EARLY)
    if not result.ok:
        raise SystemExit(1)


@main.command()
@option("--out", type=_FOLDER, metavar="文件夹", help="输出文件夹", shown="templates/xlsx/，--per-unit 时为 outbox/templates/")
@option("--per-unit", is_flag=True, help="为名册中每个单位各生成一份已填好单位名称的模板")
@_CONFIG
def templates(out: Path | None, per_unit: bool, config: Path) -> None:
    """生成台账模板（创城大讨论台账模板.xlsx）。"""
    from pipeline import run

    setup = _load(config)
    folder = out or (Path("outbox/templates") if per_unit else Path("templates/xlsx"))
    try:
        paths = run.templates(setup=setup, folder=folder, per_unit=per_unit)
    except ChuangchengError as exc:
        _fail(exc)
    if per_unit:
        click.echo(f"已为 {len(paths)} 个单位生成模板：{folder}")
    else:
        click.echo(f"已生成模板：{paths[0]}")


@main.command()
@option("--dir", "folder", type=_FOLDER, metavar="文件夹", default=Path("demo"),
         help="示例文件夹（其中 inbox/ 为示例报送，outbox/ 为示例报表）")
@_CONFIG
def demo(folder: Path, config: Path) -> None:
    """生成一套示例报送（完成、滞后、超期、未报送、填错等情形）并出示例报表。"""
    from pipeline import run

    setup = _load(config)
    try:
        inbox, result = run.demo(setup=setup, folder=folder)
    except ChuangchengError as exc:
        _fail(exc)
    click.echo(f"已生成示例报送：{inbox}")
    _summary(result)
