"""Command line: the only module that imports click or prints. It parses options, calls pipeline.run, prints
what came back and maps stops to exit codes. Heavy modules are imported lazily, so --help is instant.

Everything a clerk reads is Chinese, Click's own words too: the usage line, the headings, the defaults, the
help and version options and every usage error are written here rather than taken from Click.
"""

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from pipeline.errors import ChuangchengError, ConfigError

if TYPE_CHECKING:
    from pipeline.run import RunResult, Setup

PROGRAM = "chuangcheng"
HELP_HELP = "显示本说明并退出"
VALIDATE_CLOSING = "以上问题需要由报送单位改正台账后重新报送；这是台账内容的问题，不是程序出错。"


def _width(text: str) -> int:
    """Terminal columns: Chinese characters take two (Click counts one, which misaligns and overflows)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken between Chinese characters or at spaces, never inside a word
    such as an option name."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in re.findall(r"[!-~]+|\s+|.", paragraph.strip()):
            if line and _width(line + token.rstrip()) > width:
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line += token
        lines.append(line.rstrip())
    return lines


class _Formatter(click.HelpFormatter):
    """Click's help layout measured in terminal columns, with Chinese headings."""

    def write_text(self, text: str) -> None:
        for line in _wrap(text, self.width - self.current_indent):
            self.write(f"{'':>{self.current_indent}}{line}\n" if line else "\n")

    def write_dl(self, rows: Iterable[tuple[str, str]], col_max: int = 30, col_spacing: int = 2) -> None:
        rows = list(rows)
        first = min(max((_width(term) for term, _ in rows), default=0), col_max) + col_spacing
        for term, text in rows:
            self.write(f"{'':>{self.current_indent}}{term}")
            if not text:
                self.write("\n")
                continue
            if _width(term) <= first - col_spacing:
                self.write(" " * (first - _width(term)))
            else:
                self.write("\n" + " " * (first + self.current_indent))
            lines = _wrap(text, max(self.width - first - self.current_indent, 10))
            self.write("\n".join([lines[0], *(" " * (first + self.current_indent) + line for line in lines[1:])]))
            self.write("\n")

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, "用法：" if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{heading}：\n")


class _Context(click.Context):
    formatter_class = _Formatter


class _ExtraArguments(click.UsageError):
    def __init__(self, extra: Sequence[str], ctx: click.Context) -> None:
        super().__init__(" ".join(extra), ctx)
        self.extra = tuple(extra)


class _Chinese:
    """What a command and the command group share: Chinese headings, help option and extra-argument error."""

    context_class: type[click.Context] = _Context

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("options_metavar", "[选项]")
        super().__init__(*args, **kwargs)

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option: click.Option | None = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.help = HELP_HELP
        return option

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        params: list[click.Parameter] = self.get_params(ctx)  # type: ignore[attr-defined]
        rows = [row for p in params if not isinstance(p, click.Argument) and (row := p.get_help_record(ctx))]
        if rows:
            with formatter.section("选项"):
                formatter.write_dl(rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        strict = not ctx.allow_extra_args
        ctx.allow_extra_args = True
        try:
            rest: list[str] = super().parse_args(ctx, args)  # type: ignore[misc]
        except click.UsageError as exc:
            exc.ctx = exc.ctx or ctx  # the parser's errors name no command; the message needs its options
            raise
        finally:
            ctx.allow_extra_args = not strict
        if strict and rest and not ctx.resilient_parsing:
            raise _ExtraArguments(rest, ctx)
        return rest


class _Command(_Chinese, click.Command):
    pass


def _did_you_mean(possibilities: Sequence[str] | None) -> str:
    return f"，是不是要用“{'”或“'.join(sorted(possibilities))}”？" if possibilities else "。"


def _named(param: click.Parameter | None) -> str:
    if isinstance(param, click.Option):
        return f"选项 {max(param.opts, key=len)} "
    return f"参数 {param.human_readable_name} " if param is not None else "参数"


def _usage_message(exc: click.UsageError) -> str:
    """A usage error as Chinese sentences, built from what Click knows of it (never from its English words)."""
    if isinstance(exc, click.NoSuchCommand):
        return f"没有“{exc.command_name}”这个命令{_did_you_mean(exc.possibilities)}"
    if isinstance(exc, click.NoSuchOption):
        return f"没有“{exc.option_name}”这个选项{_did_you_mean(exc.possibilities)}"
    if isinstance(exc, click.MissingParameter):
        return f"缺少{_named(exc.param)}".rstrip() + "。"
    if isinstance(exc, click.BadParameter):
        said = exc.message if any("\u4e00" <= ch <= "\u9fff" for ch in exc.message) else "无法识别"
        return f"{_named(exc.param)}的取值{said}。"
    if isinstance(exc, click.BadOptionUsage):
        params = exc.ctx.command.params if exc.ctx else []
        option = next((p for p in params if isinstance(p, click.Option) and exc.option_name in p.opts), None)
        if option is not None and option.is_flag:
            return f"选项 {exc.option_name} 是开关，后面不能带取值。"
        return f"选项 {exc.option_name} 后面缺少取值。"
    if isinstance(exc, _ExtraArguments):
        return f"多出了“{' '.join(exc.extra)}”（路径中有空格时请整个加上英文引号）。"
    return "命令写法不对。"


class _Commands(_Chinese, click.Group):
    """The command group. Click's usage errors (an unknown option, a missing value) reach the clerk in Chinese;
    standalone it exits 2 for them, as for any stop."""

    command_class = _Command

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        super().format_options(ctx, formatter)
        self.format_commands(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("命令"):
            formatter.write_dl(self._rows(ctx))

    def _rows(self, ctx: click.Context) -> list[tuple[str, str]]:
        """Each command with the first line of its help (Click's own shortening counts a Chinese character as
        one column and ends in “...”)."""
        commands = [(name, self.get_command(ctx, name)) for name in self.list_commands(ctx)]
        return [(name, (c.help or "").strip().splitlines()[0]) for name, c in commands if c and not c.hidden]

    def overview(self, ctx: click.Context) -> str:
        """What bare `chuangcheng` prints: each command in one line, and where to read more."""
        rows = self._rows(ctx)
        wide = max(len(n) for n, _ in rows)
        lines = [self.help or "", "", "常用命令："]
        lines += [f"  {ctx.command_path} {name:<{wide}}  {text}" for name, text in rows]
        lines += ["", f"查看某个命令的全部选项：{ctx.command_path} 命令 --help（例如 {ctx.command_path} report --help）"]
        return "\n".join(lines)

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as exc:
            where = exc.ctx.command_path if exc.ctx else PROGRAM
            click.echo(f"错误：{_usage_message(exc)}运行“{where} --help”查看用法。", err=True)
            sys.exit(2)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("已中止。", err=True)
            sys.exit(1)


class CliError(click.ClickException):
    """A stop: Chinese message, exit 2, no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


class _Seconds(click.ParamType[float, Any]):
    name = "秒数"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"“{value}”不是数字，请写秒数，例如 120", param, ctx)
        if seconds < 0:
            self.fail(f"“{value}”不能是负数", param, ctx)
        return seconds


_F = TypeVar("_F", bound=Callable[..., Any])


def _option(*decls: str, help: str, default: Any = None, shown: str | None = None,
            **kwargs: Any) -> Callable[[_F], _F]:
    """An option whose help ends with its default in Chinese (Click would append “[default: …]”)."""
    if shown is None and default is not None and not kwargs.get("is_flag"):
        shown = str(default)
    text = f"{help}（默认：{shown}）" if shown else help
    return click.option(*decls, default=default, help=text, show_default=False, **kwargs)


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
_INBOX = _option("--inbox", type=_FOLDER, metavar="文件夹", default=Path("inbox"), help="各单位报送文件所在文件夹")
_CONFIG = _option("--config", type=_FOLDER, metavar="文件", default=Path("campaign.yaml"), help="活动配置文件")
_AS_OF = _option("--as-of", "as_of", metavar="YYYY-MM-DD", help="统计日期", shown="今天，按活动所在时区")
_ARCHIVE = _option("--archive", type=_FOLDER, metavar="文件夹", default=Path("archive"),
                   help="存档文件夹：每个读过的文件和历次正式周报的统计结果都保存在这里")


@click.group(cls=_Commands, name=PROGRAM, invoke_without_command=True, subcommand_metavar="命令 [选项]...",
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="chuangcheng", message="%(prog)s 版本 %(version)s", help="显示版本号并退出")
@click.pass_context
def main(ctx: click.Context) -> None:
    """创城台账汇总：校验各单位台账，生成督查汇总表和整改清单。"""
    if ctx.invoked_subcommand is None:
        assert isinstance(ctx.command, _Commands)
        click.echo(ctx.command.overview(ctx))


@main.command()
@_INBOX
@_option("--outbox", type=_FOLDER, metavar="文件夹", default=Path("outbox"), help="报表输出文件夹")
@_CONFIG
@_AS_OF
@_option("--record", is_flag=True,
         help="把本次记入历史，作为统计日期所在报告周的正式周报（替换该周原有的记录），用于补做或重做某一周；"
              "统计日期是今天时自动记入，其他日期不加此项只是试算")
@_ARCHIVE
@_option("--lock-timeout", type=_Seconds(), metavar="秒数", default=120.0, shown="120 秒",
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
@_option("--archive", type=_FOLDER, metavar="文件夹", default=Path("archive"), help="存档文件夹")
@_option("--to", "target", type=_FOLDER, metavar="文件夹", default=Path("恢复的文件"), help="恢复到哪个文件夹")
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
@_option("--json", "as_json", is_flag=True, help="以 JSON 格式输出（供其他程序读取）")
def validate(inbox: Path, config: Path, as_of: str | None, as_json: bool) -> None:
    """逐个文件检查台账，列出每个问题所在的工作表和单元格。

    有问题时最后一行说明这些问题由报送单位改正，退出码为 1（供脚本判断；make validate 则以 0 结束）。"""
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
            click.echo(VALIDATE_CLOSING)
    if not result.ok:
        raise SystemExit(1)


@main.command()
@_option("--out", type=_FOLDER, metavar="文件夹", help="输出文件夹", shown="templates/xlsx/，--per-unit 时为 outbox/templates/")
@_option("--per-unit", is_flag=True, help="为名册中每个单位各生成一份已填好单位名称的模板")
@_CONFIG
def templates(out: Path | None, per_unit: bool, config: Path) -> None:
    """生成台账模板（创城大讨论台账模板.xlsx）。"""
    from pipeline import run

    setup = _load(config)
    folder = out or (Path("outbox/templates") if per_unit else Path("templates/xlsx"))
    paths = run.templates(setup=setup, folder=folder, per_unit=per_unit)
    if per_unit:
        click.echo(f"已为 {len(paths)} 个单位生成模板：{folder}")
    else:
        click.echo(f"已生成模板：{paths[0]}")


@main.command()
@_option("--dir", "folder", type=_FOLDER, metavar="文件夹", default=Path("demo"),
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
