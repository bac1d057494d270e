"""Command line: the only module that imports click or prints. It parses options, calls pipeline.run, prints
what came back and maps stops to exit codes. Heavy modules are imported lazily, so --help is instant."""

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from pipeline.errors import ChuangchengError, ConfigError

if TYPE_CHECKING:
    from pipeline.run import RunResult, Setup


class CliError(click.ClickException):
    """A stop: Chinese message, exit 2, no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


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


_INBOX = click.option("--inbox", type=click.Path(path_type=Path), default=Path("inbox"), show_default=True,
                      help="各单位报送文件所在文件夹")
_CONFIG = click.option("--config", type=click.Path(path_type=Path), default=Path("campaign.yaml"),
                       show_default=True, help="活动配置文件")
_AS_OF = click.option("--as-of", "as_of", default=None, help="统计日期 YYYY-MM-DD，默认今天（活动所在时区）")


class _Commands(click.Group):
    """Click's own usage errors (an unknown option, a missing value) also reach the clerk in Chinese."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else "chuangcheng"
            click.echo(f"错误：命令用法有误（{exc.format_message()}）。运行“{where} --help”查看用法。", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)
        except Exception as exc:  # a fault of the program itself: logged for a technician, never a traceback
            _internal_error(exc)


INTERNAL_ERROR = 3
"""Exit code of a fault of the program (not of the input, the configuration or the machine)."""


def _internal_error(exc: Exception) -> NoReturn:
    import datetime as dt
    import traceback

    from pipeline.errors import InternalError

    detail = exc.detail if isinstance(exc, InternalError) else traceback.format_exc()
    log = Path("错误记录") / f"错误_{dt.datetime.now():%Y%m%d-%H%M%S}.txt"
    try:
        log.parent.mkdir(exist_ok=True)
        log.write_text(detail, encoding="utf-8")
        where = f"详细信息已写入“{log.resolve()}”，请把该文件发给技术人员"
    except OSError:
        where = "请把本窗口的内容截图发给技术人员"
    click.echo(f"错误：程序内部出错（{type(exc).__name__}），本次没有完成。{where}。", err=True)
    sys.exit(INTERNAL_ERROR)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chuangcheng")
def main() -> None:
    """创城台账汇总：校验各单位台账，生成督查汇总表和整改清单。"""


@main.command()
@_INBOX
@click.option("--outbox", type=click.Path(path_type=Path), default=Path("outbox"), show_default=True,
              help="报表输出文件夹")
@_CONFIG
@_AS_OF
@click.option("--archive", type=click.Path(path_type=Path), default=Path("archive"), show_default=True,
              help="存档文件夹：每个读过的文件和历次统计结果都保存在这里")
@click.option("--lock-timeout", type=float, default=120.0, show_default=True, help="另一次汇总正在运行时最多等待的秒数")
def report(inbox: Path, outbox: Path, config: Path, as_of: str | None, archive: Path, lock_timeout: float) -> None:
    """生成督查汇总表（督查汇总表_日期.xlsx）和各单位整改清单。"""
    from pipeline import run

    setup = _load(config)
    try:
        result = run.report(run.ReportSettings(setup=setup, inbox=inbox, outbox=outbox, archive=archive,
                                               as_of=run.as_of(as_of, setup), lock_timeout=lock_timeout))
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
    for notice in result.notices:
        click.echo(notice.text, err=True)


@main.command()
@click.argument("sha")
@click.option("--archive", type=click.Path(path_type=Path), default=Path("archive"), show_default=True)
@click.option("--to", "target", type=click.Path(path_type=Path), default=Path("恢复的文件"), show_default=True,
              help="恢复到哪个文件夹")
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
@click.option("--json", "as_json", is_flag=True, help="以 JSON 格式输出（供其他程序读取）")
def validate(inbox: Path, config: Path, as_of: str | None, as_json: bool) -> None:
    """逐个文件检查台账，列出每个问题所在的工作表和单元格。"""
    import json

    from pipeline import run

    setup = _load(config)
    try:
        result = run.validate(setup=setup, inbox=inbox, as_of=run.as_of(as_of, setup))
    except ChuangchengError as exc:
        _fail(exc)
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2, default=str))
    else:
        for item in result.files:
            record = item.record
            unit = f"（{record.unit}）" if record.unit else ""
            click.echo(f"【{record.result}】{record.file}{unit}")
            if record.reason:
                click.echo(f"    原因：{record.reason}")
            for p in item.problems:
                where = " ".join(x for x in (p.sheet, p.cell) if x)
                click.echo(f"    {where} [{p.level}] {p.message}。建议：{p.hint}")
        summary = "，".join(f"{k} {v}" for k, v in result.results().items())
        click.echo(f"合计：文件 {len(result.files)} 个（{summary}）；数据问题 错误 {result.count('错误')} 条，"
                   f"警告 {result.count('警告')} 条")
    if not result.ok:
        raise SystemExit(1)


@main.command()
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="输出文件夹（默认 templates/xlsx/，--per-unit 时为 outbox/templates/）")
@click.option("--per-unit", is_flag=True, help="为名册中每个单位各生成一份已填好单位名称的模板")
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
@click.option("--dir", "folder", type=click.Path(path_type=Path), default=Path("demo"), show_default=True,
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
