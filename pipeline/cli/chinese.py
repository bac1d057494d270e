"""Click in Chinese: the usage line, the headings, the defaults, the help and version options and every usage
error are written here rather than taken from Click, whose own words are English; a fault of the program is
logged, never shown as a traceback. Part of the command line (the only package that imports click)."""

import re
import sys
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click

PROGRAM = "chuangcheng"
HELP_HELP = "显示本说明并退出"


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


class Commands(_Chinese, click.Group):
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
        except Exception as exc:  # a fault of the program itself: logged for a technician, never a traceback
            internal_error(exc)


class CliError(click.ClickException):
    """A stop: Chinese message, exit 2, no traceback."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"错误：{self.message}", err=True)


class Seconds(click.ParamType[float, Any]):
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


def option(*decls: str, help: str, default: Any = None, shown: str | None = None,
            **kwargs: Any) -> Callable[[_F], _F]:
    """An option whose help ends with its default in Chinese (Click would append “[default: …]”)."""
    if shown is None and default is not None and not kwargs.get("is_flag"):
        shown = str(default)
    text = f"{help}（默认：{shown}）" if shown else help
    return click.option(*decls, default=default, help=text, show_default=False, **kwargs)


INTERNAL_ERROR = 3
"""Exit code of a fault of the program (not of the input, the configuration or the machine)."""


def internal_error(exc: Exception) -> NoReturn:
    """Write the traceback to 错误记录/ in the working folder and tell the clerk, in one Chinese line, where."""
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
