"""`make bench`: the pipeline against the true floor and the naive peer, alternating in one invocation; the
pipeline's stages timed in-process; medians of 3; memory as the peak summed PSS of each process tree.
Writes bench/results.md.

N = 50, 1,000 and 10,000 (the last without the naive script: it would take most of an hour); BENCH_QUICK=1 leaves out 10,000.
Every run starts from an empty outbox and archive, so each pipeline run is a cold first run; right after it, the
rerun reads next week's inbox (10 % of the ledgers changed) with the archive, and so the read cache, it left.
"""

import compileall
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import resource
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.floor import Shape, shape_of
from bench.generate import generate, rerun_inbox
from bench.memory import Run, measure
from bench.provenance import commit, machine
from bench.stages import STAGES
from pipeline.store.cache import FOLDER

HERE = Path(__file__).resolve().parent
AS_OF = "2027-01-12"
RERUN_AS_OF = "2027-01-19"
"""The rerun is next week's report, a week later. (The generated rectifications fall due before the first date or
after both, so none of the detail rows' report-date cells changes between the two: every kept row is used as kept.)"""
REPEATS = 3
TARGETS = (1000, 10_000)
"""The sizes issue 19 sets targets for (N = 1,000: pipeline ≤ 1.5 × true floor, naive ≥ 6 × pipeline;
N = 10,000: pipeline ≤ 1.5 × true floor, peak summed PSS ≤ 500 MB)."""
RERUN_TARGET = 0.4
"""Issue 19: a rerun where 10 % of the ledgers changed costs at most this share of a cold run at N = 1,000."""
HELP_RUNS = 11
"""`--help` runs; their median is the figure (one run takes under a tenth of a second, and a shared machine's
other work can double any single one)."""
QUIET = 1.0
"""A 1-minute load average below this when a size's runs start: the machine was otherwise idle."""


def load() -> float:
    """The 1-minute load average."""
    return float(Path("/proc/loadavg").read_text().split()[0])


def cpu_seconds() -> tuple[float, float]:
    """(CPU seconds the whole machine has spent busy, CPU seconds of this process and its waited-for
    descendants): the difference over an interval is what other work on the machine used."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    busy = sum(fields) - fields[3] - fields[4]  # all but idle and iowait
    ours = sum(getattr(resource.getrusage(who), f) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)
               for f in ("ru_utime", "ru_stime"))
    return busy / os.sysconf("SC_CLK_TCK"), ours


@dataclass
class Measured:
    """Every run of one size."""

    n: int
    shape: Shape
    runs: dict[str, list[Run]] = field(default_factory=dict)
    stages: list[dict[str, tuple[float, float, float]]] = field(default_factory=list)
    """Each stages run: stage → (start, end, CPU seconds)."""
    stage_runs: list[Run] = field(default_factory=list)
    rerun_stages: list[dict[str, tuple[float, float, float]]] = field(default_factory=list)
    """The same, reading next week's inbox with last week's read cache."""
    rerun_stage_runs: list[Run] = field(default_factory=list)
    sizes: dict[str, int] = field(default_factory=dict)
    """Bytes of the supervision workbook each command wrote (its last run)."""
    others: float = 0.0
    """Cores' worth of CPU that other processes used on average while this size was measured."""
    profile: str = ""
    reading: str = ""

    def median(self, name: str) -> float:
        return statistics.median(r.seconds for r in self.runs[name])

    def cpu(self, name: str) -> float:
        return statistics.median(r.cpu_seconds for r in self.runs[name])


def commands(data: Path, out: Path, shape: Path, *, naive: bool) -> dict[str, list[str]]:
    py = sys.executable
    cmds = {
        "pipeline": [py, "-m", "pipeline", "report", "--inbox", str(data / "inbox"), "--outbox", str(out / "p"),
                     "--archive", str(out / "a"), "--config", str(data / "campaign.yaml"), "--as-of", AS_OF],
        "rerun": [py, "-m", "pipeline", "report", "--inbox", str(data / "inbox_rerun"), "--outbox", str(out / "r"),
                  "--archive", str(out / "a"), "--config", str(data / "campaign.yaml"), "--as-of", RERUN_AS_OF],
        "true floor": [py, "-m", "bench.floor", str(data / "inbox"), str(out / "f"), str(shape)],
    }
    if naive:
        cmds["naive"] = [py, "-m", "bench.naive", str(data / "inbox"), str(out / "n")]
    return cmds


def fresh(out: Path) -> None:
    for name in ("p", "a", "f", "n", "s", "r", "sr"):
        shutil.rmtree(out / name, ignore_errors=True)


def profile_top(data: Path, out: Path, lines: int = 12) -> str:
    from click.testing import CliRunner

    from pipeline.cli import main

    profiler = cProfile.Profile()
    profiler.enable()
    CliRunner().invoke(main, ["report", "--inbox", str(data / "inbox"), "--outbox", str(out / "prof"), "--archive",
                              str(out / "prof_a"), "--config", str(data / "campaign.yaml"), "--as-of", AS_OF])
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(lines)
    return buffer.getvalue().split("ncalls", 1)[-1].rstrip()


def profile_reading(data: Path, lines: int = 12, count: int = 200) -> str:
    """What each reading process does, profiled in-process (the pipeline profile above only sees it wait)."""
    from pipeline.config.campaign import load_campaign
    from pipeline.config.roster import Roster
    from pipeline.read.ledger import read_ledger

    campaign, _ = load_campaign(data / "campaign.yaml")
    roster = Roster.of(campaign)
    files = [(p.name, p.read_bytes()) for p in sorted((data / "inbox").iterdir())[:count]]
    profiler = cProfile.Profile()
    profiler.enable()
    for name, blob in files:
        read_ledger(blob, file=name, sha256="", campaign=campaign, roster=roster)
    profiler.disable()
    buffer = io.StringIO()
    pstats.Stats(profiler, stream=buffer).sort_stats("tottime").print_stats(lines)
    return buffer.getvalue().split("ncalls", 1)[-1].rstrip()


def measure_size(n: int) -> Measured:
    data = HERE / "data" / str(n)
    generate(data, n)
    rerun_inbox(data, n)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        out = Path(tmp)
        cmds = commands(data, out, out / "shape.json", naive=n <= 1000)
        measure(cmds["pipeline"])  # warms the page cache; its outputs give the floor its shape
        shape = shape_of(next((out / "p").glob("督查汇总表_*.xlsx")), next((out / "p").glob("整改清单_*")))
        shape.dump(out / "shape.json")
        result = Measured(n=n, shape=shape)
        busy, ours, started = *cpu_seconds(), time.perf_counter()
        stage_cmd = [sys.executable, "-m", "bench.stages", str(data), str(out / "s"), AS_OF]
        rerun_stage_cmd = [*stage_cmd[:4], str(out / "sr"), RERUN_AS_OF, "inbox_rerun", str(out / "w")]
        for _ in range(REPEATS):
            for name, cmd in cmds.items():
                if name == "rerun":  # after the cold run, with its archive; its cache copied for the stages' rerun
                    shutil.copytree(out / "a" / FOLDER, out / "w" / FOLDER)
                else:
                    fresh(out)
                run = measure(cmd)
                result.runs.setdefault(name, []).append(run)
                written = [*(out / "p").glob("督查汇总表_*.xlsx"), *(out / "f").glob("floor.xlsx")]
                if name != "naive" and written:
                    result.sizes[name] = written[0].stat().st_size
                print(f"N={n} {name}: {run.seconds:.2f} s, {run.peak_pss_mb:.0f} MB PSS", flush=True)
            fresh(out)
            run = measure(stage_cmd, capture=True)
            result.stage_runs.append(run)
            result.stages.append({k: (a, b, c) for k, (a, b, c) in json.loads(run.stdout).items()})
            print(f"N={n} stages: " + ", ".join(f"{k} {b - a:.2f} s" for k, (a, b, _) in result.stages[-1].items()),
                  flush=True)
            run = measure(rerun_stage_cmd, capture=True)
            shutil.rmtree(out / "w")
            result.rerun_stage_runs.append(run)
            result.rerun_stages.append({k: (a, b, c) for k, (a, b, c) in json.loads(run.stdout).items()})
        busy_after, ours_after = cpu_seconds()
        result.others = max(0.0, (busy_after - busy) - (ours_after - ours)) / (time.perf_counter() - started)
        if n == 1000:
            result.profile = profile_top(data, out)
            result.reading = profile_reading(data)
    return result


def whole_table(results: list[Measured]) -> list[str]:
    lines = ["| N | command | median s | min–max s | CPU s | peak summed PSS MB | peak summed RSS MB | "
             "largest one-process RSS MB |", "|---|---|---|---|---|---|---|---|"]
    for m in results:
        for name, runs in m.runs.items():
            secs = [r.seconds for r in runs]
            lines.append(f"| {m.n:,} | {name} | {m.median(name):.2f} | {min(secs):.2f}–{max(secs):.2f} | "
                         f"{m.cpu(name):.2f} | {max(r.peak_pss_mb for r in runs):.0f} | {max(r.peak_rss_mb for r in runs):.0f} | "
                         f"{max(r.largest_rss_mb for r in runs):.0f} |")
    return lines


def ratio_lines(results: list[Measured]) -> list[str]:
    lines = []
    for m in results:
        pipeline, floor = m.median("pipeline"), m.median("true floor")
        memory = max(r.peak_pss_mb for r in m.runs["pipeline"])
        text = f"- N = {m.n:,}: pipeline / true floor = {pipeline / floor:.2f}"
        checks = [f"pipeline ≤ 1.5 × true floor: {'met' if pipeline <= 1.5 * floor else 'not met'}"]
        if "naive" in m.runs:
            naive = m.median("naive")
            text += f"; naive / pipeline = {naive / pipeline:.2f}"
            checks.append(f"naive ≥ 6 × pipeline: {'met' if naive >= 6 * pipeline else 'not met'}")
        text += f"; in CPU time pipeline / true floor = {m.cpu('pipeline') / m.cpu('true floor'):.2f}"
        if "naive" in m.runs:
            text += f" and naive / pipeline = {m.cpu('naive') / m.cpu('pipeline'):.2f}"
        text += (f"; pipeline {pipeline / m.n * 1000:.1f} ms and {memory / m.n * 1000:.0f} kB of peak summed PSS "
                 f"per ledger ({memory:.0f} MB)")
        if m.n == 10_000:
            checks.append(f"summed PSS ≤ 500 MB: {'met' if memory <= 500 else 'not met'}")
        if m.n in TARGETS:
            text += f". Targets: {'; '.join(checks)}"
        lines.append(text + ".")
    return lines


def stage_table(results: list[Measured], *, rerun: bool = False) -> list[str]:
    lines = ["| N | stage | median s | share of the stages | CPU s | peak summed PSS MB during the stage |",
             "|---|---|---|---|---|---|"]
    for m in results:
        stages, runs = (m.rerun_stages, m.rerun_stage_runs) if rerun else (m.stages, m.stage_runs)
        durations = {s: statistics.median(run[s][1] - run[s][0] for run in stages) for s in STAGES}
        total = sum(durations.values())
        for s in STAGES:
            peaks = [p for r, st in zip(runs, stages, strict=True)
                     if (p := r.peak_pss_between(st[s][0], st[s][1])) is not None]
            peak = f"{statistics.median(peaks):.0f}" if peaks else "(too short to sample)"
            cpu = statistics.median(run[s][2] for run in stages)
            lines.append(f"| {m.n:,} | {s} | {durations[s]:.2f} | {durations[s] / total:.0%} | {cpu:.2f} | {peak} |")
        startup = statistics.median(st[STAGES[0]][0] - r.started_at for r, st in zip(runs, stages, strict=True))
        lines.append(f"| {m.n:,} | (start-up and imports, before reading) | {startup:.2f} | | | |")
        whole = statistics.median(r.seconds for r in runs)
        cpu = statistics.median(r.cpu_seconds for r in runs)
        lines.append(f"| {m.n:,} | (whole stages process, start-up and imports included) | {whole:.2f} | | "
                     f"{cpu:.2f} | {statistics.median(r.peak_pss_mb for r in runs):.0f} |")
    return lines


def rerun_lines(results: list[Measured]) -> list[str]:
    lines = ["| N | cold run median s | rerun with 10 % changed median s | rerun / cold | CPU s cold / rerun |",
             "|---|---|---|---|---|"]
    for m in results:
        cold, warm = m.median("pipeline"), m.median("rerun")
        lines.append(f"| {m.n:,} | {cold:.2f} | {warm:.2f} | {warm / cold:.2f} | "
                     f"{m.cpu('pipeline'):.2f} / {m.cpu('rerun'):.2f} |")
    for m in results:
        if m.n == 1000:
            ratio, cpu = m.median("rerun") / m.median("pipeline"), m.cpu("rerun") / m.cpu("pipeline")
            lines += ["", f"Target at N = 1,000: rerun ≤ {RERUN_TARGET} × cold run: "
                          f"{'met' if ratio <= RERUN_TARGET else 'not met'} ({ratio:.3f}, from the unrounded medians; "
                          f"in CPU time {cpu:.3f})."]
    return lines


def shape_lines(results: list[Measured]) -> list[str]:
    lines = []
    for m in results:
        sheets = ", ".join(f"{name} {rows:,} row{'s' * (rows != 1)} / {cells:,} cells"
                           for name, rows, cells in m.shape.sheets)
        gaps = m.shape.gap_lists
        sizes = ", ".join(f"{name} {size / 2**20:.1f} MB" for name, size in m.sizes.items())
        lines.append(f"- N = {m.n:,}: {sheets}; {len(gaps):,} gap lists, {sum(gaps.values()):,} cells in all. "
                     f"Size of the workbook written: {sizes}.")
    return lines


def quiet(results: list[Measured], *, load_at_start: float) -> str:
    others = "; ".join(f"N = {m.n:,}: {m.others:.2f}" for m in results)
    text = (f"Other work on the machine while each size was measured, in cores' worth of CPU on average (from "
            f"/proc/stat less the benchmark's own CPU time): {others}.")
    if load_at_start < QUIET and all(m.others < QUIET / 4 for m in results):
        return f"The machine was quiet (1-minute load {load_at_start:.2f} at the start). {text}"
    return (f"**The machine was busy** (1-minute load {load_at_start:.2f} at the start; other work shared its cores), "
            "so these times are longer than on a quiet machine and the ratios less certain; the commands of one "
            f"size shared the same conditions, alternating. {text}")


def describe(results: list[Measured], *, helps: list[float], minutes: float, load_at_start: float) -> str:
    by_n = {m.n: m for m in results}
    lines = [
        f"# Benchmark results ({dt.date.today().isoformat()})", "",
        f"Machine: {machine()}. Program: {commit()}. The whole benchmark took {minutes:.1f} minutes.", "",
        quiet(results, load_at_start=load_at_start), "",
        "Inputs: N ledgers from bench/generate.py, each with 40 activities, 20 problems and 10 publicity rows; "
        "30 % of the units fall short, so gap lists get written. Every command runs as its own process, "
        f"alternating (pipeline, true floor, naive, stages, then again), {REPEATS} times; the figures are medians "
        "(min–max beside them). Each run starts with an empty outbox and archive (a cold first run), except the "
        "rerun, which follows a cold run and uses the archive it left. The program's bytecode is compiled "
        "before the first run, as Python caches it on any machine where it may write (this one sets "
        "PYTHONDONTWRITEBYTECODE). *CPU s* is "
        "the user and system time of the process and every descendant it waited for (reading processes, "
        "helpers): the work done, which other work on a shared machine changes far less than the wall time. "
        "Memory is "
        "sampled every 50 ms from /proc/<pid>/smaps_rollup of the process and all its descendants: *summed "
        "PSS* counts a page shared by k processes 1/k in each, so it is what the tree really occupies; summed "
        "RSS counts shared pages once per process; the largest one-process RSS is that of the largest single "
        "process of the tree in any sample.", "",
        "## What each command does", "",
        "- **pipeline**: `python -m pipeline report` — reads, validates and archives every ledger (a pool of "
        "reading processes), judges R1–R8, writes the supervision workbook (all sheets, formats, charts), and "
        "beside it in a forked process the gap lists, the bulletin (.docx) and the reminders (at N = 10,000, "
        "above 150,000 rows, it writes them first in the same process); records the history.",
        "- **rerun**: the same command right after the cold run, with the report date a week later, on next "
        "week's inbox (bench/generate.py `rerun_inbox`: the same files byte for byte, except that every tenth "
        "unit sent a new file, filed a day later with one activity more), with the archive the cold run left: the"
        " read cache gives the 900 unchanged ledgers, only the 100 changed ones are read; the detail sheets' rows"
        " of the 900 come from the rows the cold run rendered (读取缓存/明细行), only their row numbers are filled in "
        "(their date-dependent cells would be rendered again where their values changed; the generated due "
        "dates lie before or after both report dates, so none does); judging, the other sheets "
        "and the other outputs are done in full.",
        "- **true floor** (bench/floor.py): a pool of one reading process per core reads every cell of every "
        "sheet of every ledger with python-calamine; from those cells it renders as many cells as each sheet "
        "of the pipeline's supervision workbook holds (the non-empty cells of the pipeline's own output, counted "
        "once per N before the timed runs, listed below), as raw sheet XML rows (inline strings, numbers, dates "
        "as day numbers in one date style), and the main process deflates them as they arrive (zlib at the "
        "level pipeline/write/sheetxml.py uses) into one workbook file, one member per sheet; each reading "
        "process also writes, for each of its units that has a gap list in the pipeline's output, a small "
        "workbook with as many cells as that gap list holds. A detail sheet's cells (活动明细, 问题整改, 宣传报道) "
        "come from the matching ledger sheet's cells (its header row included), every other sheet's from all the ledger's cells, in "
        "order, repeated as needed. No validation, no rules, no column widths, formats, charts, bulletin or "
        "reminders, no archive or history. Rows go from the reading processes straight into the zip (each "
        "sheet deflated into a temporary file, the files joined into the zip at the end), a few batches in "
        "flight, so its memory stays flat.",
        "- **naive** (bench/naive.py): a clerk's script — pandas.read_excel(engine=\"openpyxl\") of every sheet "
        "of every ledger, pandas.to_excel of the rows of its three data sheets; one process. Not run at "
        "N = 10,000.",
        "- **stages** (bench/stages.py): the pipeline's library stages one after another in one process "
        "(pipeline.read.inbox.read_inbox without archiving, pipeline.judge.report.build_report, "
        "pipeline.write.workbook.write_supervision_workbook, pipeline.write.outbox.write_side_outputs into an "
        "Outbox's Staged paths), each timed and its memory peak taken from the samples inside its time span.",
        "", "What the true floor writes (the pipeline's output, counted):", "", *shape_lines(results), "",
        "## Whole processes", "", *whole_table(results), "",
        "Ratios, from medians of the same invocation:", "", *ratio_lines(results), "",
        f"`python -m pipeline --help`: median {statistics.median(helps):.3f} s ({HELP_RUNS} runs; target < 0.1 s).", "",
        "## Where the pipeline's time and memory go", "",
        "The stages in one process, one after the other (the report command overlaps the workbook with the side "
        "outputs in a forked process from 200 units up to 150,000 rows, and adds start-up, the archive and the history):", "",
        *stage_table(results), "",
        "## Weekly rerun with 10 % changed", "",
        "Whole processes, from the same invocation (the rerun follows each cold run):", "", *rerun_lines(results), "",
        "Where the rerun's time goes: the stages in one process, reading next week's inbox with a copy of the "
        "cache the cold run left (bench/stages.py with INBOX and ARCHIVE):", "", *stage_table(results, rerun=True),
        "",
    ]
    if 1000 in by_n and by_n[1000].profile:
        lines += ["Profile of the whole pipeline at N = 1,000 (cProfile, top entries by own time; the reading "
                  "processes appear as the main process waiting on a lock):", "", "```",
                  "ncalls" + by_n[1000].profile, "```", "",
                  "Profile of reading 200 of those ledgers in one process (what each reading process does):", "",
                  "```", "ncalls" + by_n[1000].reading, "```", ""]
    lines += ["Reproduce: `make bench` (`BENCH_QUICK=1 make bench` leaves out N = 10,000)."]
    return "\n".join(lines) + "\n"


def compile_program() -> None:
    """Compile the program's bytecode before anything is timed, as Python caches it wherever it may write (and pip
    does when it installs the office PC's package): on a machine with PYTHONDONTWRITEBYTECODE set, as this one
    is, every measured process would otherwise compile pipeline/'s 10,000 lines again (about 0.06 s)."""
    compileall.compile_dir(HERE.parent / "pipeline", quiet=1)
    compileall.compile_dir(HERE, quiet=1)


def main() -> None:
    compile_program()
    sizes = [50, 1000] + ([] if os.environ.get("BENCH_QUICK") else [10_000])
    started, load_at_start = time.time(), load()
    results = [measure_size(n) for n in sizes]
    helps = [measure([sys.executable, "-m", "pipeline", "--help"]).seconds for _ in range(HELP_RUNS)]
    text = describe(results, helps=helps, minutes=(time.time() - started) / 60, load_at_start=load_at_start)
    (HERE / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
