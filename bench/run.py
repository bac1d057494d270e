"""`make bench`: time pipeline, floor and naive in one run, alternating, medians of 3; write bench/results.md.

N = 50 and 1,000 (and 10,000 with BENCH_FULL=1; the naive scripts are skipped there: they would take most of
an hour).
"""

import cProfile
import datetime as dt
import io
import os
import platform
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.metadata import version
from pathlib import Path

from bench.generate import generate

HERE = Path(__file__).resolve().parent
AS_OF = "2027-01-12"
REPEATS = 3


def timed(cmd: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one whole process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}")
    return elapsed, usage.ru_maxrss / 1024


def commands(data: Path, out: Path, n: int, *, naive: bool) -> dict[str, list[str]]:
    py = sys.executable
    cmds = {
        "pipeline": [py, "-m", "pipeline", "report", "--inbox", str(data / "inbox"), "--outbox", str(out / "p"),
                     "--archive", str(out / "a"), "--config", str(data / "campaign.yaml"), "--as-of", AS_OF],
        "floor": [py, "-m", "bench.floor", str(data / "inbox"), str(out / "f"), str(n * 3 // 10)],
    }
    if naive:
        cmds["naive"] = [py, "-m", "bench.naive", str(data / "inbox"), str(out / "n")]
        cmds["naive_activities"] = [py, "-m", "bench.naive", str(data / "inbox"), str(out / "n1"), "活动台账"]
    return cmds


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
    return buffer.getvalue().split("ncalls", 1)[-1]


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
    return buffer.getvalue().split("ncalls", 1)[-1]


def main() -> None:
    sizes = [50, 1000] + ([10_000] if os.environ.get("BENCH_FULL") else [])
    lines = [f"# Benchmark results ({dt.date.today().isoformat()})", "",
             f"Machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}; "
             f"python-calamine {version('python-calamine')}, xlsxwriter {version('xlsxwriter')}, "
             f"pandas {version('pandas')}, openpyxl {version('openpyxl')}.", "",
             "Each ledger: 40 activities, 20 problems, 10 publicity rows; 30 % of units with gaps. "
             "Whole processes, alternating, median of 3 (min–max); peak RSS is the largest of the runs (of the "
             "process itself, as wait4 reports it: its reading processes and forked writer are counted apart).", "",
             "pipeline: `chuangcheng report` (supervision workbook with all detail sheets, gap lists, bulletin, "
             "reminders, archive, history). floor: calamine reads every sheet, xlsxwriter (constant_memory) writes "
             "the activity rows, one small workbook per gap list. naive: pandas.read_excel(engine=\"openpyxl\") of "
             "every sheet of every ledger, pandas.to_excel of the rows of its three data sheets (naive_activities: of "
             "the activity rows only, as the floor writes).", "",
             "| N | command | median s | min–max s | peak RSS MB |", "|---|---|---|---|---|"]
    ratios = []
    profile = reading = ""
    for n in sizes:
        data = HERE / "data" / str(n)
        generate(data, n)
        times: dict[str, list[float]] = {}
        rss: dict[str, float] = {}
        with tempfile.TemporaryDirectory() as tmp:
            cmds = commands(data, Path(tmp), n, naive=n <= 1000)
            for _ in range(REPEATS):
                for name, cmd in cmds.items():
                    elapsed, peak = timed(cmd)
                    times.setdefault(name, []).append(elapsed)
                    rss[name] = max(rss.get(name, 0.0), peak)
                    print(f"N={n} {name}: {elapsed:.2f} s, {peak:.0f} MB", flush=True)
            if n == 1000:
                profile = profile_top(data, Path(tmp))
                reading = profile_reading(data)
        med = {k: statistics.median(v) for k, v in times.items()}
        for name in cmds:
            lines.append(f"| {n} | {name} | {med[name]:.2f} | {min(times[name]):.2f}–{max(times[name]):.2f} | "
                         f"{rss[name]:.0f} |")
        ratio = f"N={n}: pipeline / floor = {med['pipeline'] / med['floor']:.2f}"
        if "naive" in med:
            ratio += (f"; naive / pipeline = {med['naive'] / med['pipeline']:.2f} (writing only the activity rows: "
                      f"{med['naive_activities'] / med['pipeline']:.2f})")
        ratios.append(ratio)
    helps = sorted(timed([sys.executable, "-m", "pipeline", "--help"])[0] for _ in range(5))
    lines += ["", "Ratios (targets at N = 1,000: pipeline ≤ 1.5 × floor, naive ≥ 5 × pipeline):", "",
              *(f"- {r}" for r in ratios), "", f"`python -m pipeline --help`: median {helps[2]:.3f} s.", "",
              "Profile of the pipeline at N = 1,000 (cProfile, top entries by own time; the reading processes "
              "appear as the main process waiting on a lock):", "", "```", "ncalls" + profile, "```", "",
              "Profile of reading 200 of those ledgers in one process (what each reading process does):", "", "```",
              "ncalls" + reading, "```", "", "Reproduce: `make bench` (add `BENCH_FULL=1` for N = 10,000)."]
    (HERE / "results.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
