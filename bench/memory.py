"""Memory of a whole process tree: the summed PSS (and RSS) of a process and all its descendants, sampled from
/proc/<pid>/smaps_rollup while it runs.

PSS counts a page shared by k processes as 1/k in each, so the sum over a tree is what the tree really
occupies (forked readers share the interpreter's pages; summed RSS would count them once per process).
Linux only; this kernel has no /proc/<pid>/task/<tid>/children, so descendants are found from each
process's parent id in /proc/<pid>/stat (read once per new process id, so a sample stays cheap).
"""

import os
import resource
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field

INTERVAL = 0.05
"""Seconds between samples (a sample of a few processes costs well under a millisecond)."""


@dataclass(frozen=True)
class Sample:
    at: float
    """time.time() of the sample, to line it up with stage boundaries another process reports."""
    pss_mb: float
    rss_mb: float
    largest_rss_mb: float
    """The RSS of the largest single process of the tree at that moment."""


@dataclass(frozen=True)
class Run:
    """One whole process: wall seconds and the samples of its tree. (Not wait4's ru_maxrss: Linux keeps a
    forked child's pre-exec high-water mark, so it would report the benchmark's own size.)"""

    seconds: float
    cpu_seconds: float
    """User and system CPU time of the process and every descendant it waited for (pool workers, helpers):
    the work done, which other work on the machine changes far less than the wall time."""
    started_at: float
    """time.time() just before the process was started."""
    samples: tuple[Sample, ...] = field(repr=False)
    stdout: bytes = field(repr=False, default=b"")

    @property
    def peak_pss_mb(self) -> float:
        return max((s.pss_mb for s in self.samples), default=0.0)

    @property
    def peak_rss_mb(self) -> float:
        return max((s.rss_mb for s in self.samples), default=0.0)

    @property
    def largest_rss_mb(self) -> float:
        return max((s.largest_rss_mb for s in self.samples), default=0.0)

    def peak_pss_between(self, start: float, end: float) -> float | None:
        """The largest summed PSS sampled in [start, end]; None when the span was too short to be sampled."""
        return max((s.pss_mb for s in self.samples if start <= s.at <= end), default=None)


def rollup(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in kB; (0, 0) once it has gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
            for line in handle:
                if line.startswith(b"Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith(b"Rss:"):
                    rss = int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        return 0, 0
    return pss, rss


class Tree:
    """The descendants of one process, kept up to date from /proc."""

    def __init__(self, root: int) -> None:
        self.root = root
        self.parents: dict[int, int] = {}

    def members(self) -> list[int]:
        alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        for gone in self.parents.keys() - alive:
            del self.parents[gone]
        for pid in alive - self.parents.keys():
            try:
                with open(f"/proc/{pid}/stat", "rb") as handle:
                    self.parents[pid] = int(handle.read().rsplit(b")", 1)[1].split()[1])
            except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
                continue
        children: dict[int, list[int]] = {}
        for pid, parent in self.parents.items():
            children.setdefault(parent, []).append(pid)
        found, todo = [], [self.root]
        while todo:
            pid = todo.pop()
            found.append(pid)
            todo.extend(children.get(pid, ()))
        return found

    def sample(self) -> Sample:
        pss = rss = largest = 0
        for pid in self.members():
            p, r = rollup(pid)
            pss, rss, largest = pss + p, rss + r, max(largest, r)
        return Sample(at=time.time(), pss_mb=pss / 1024, rss_mb=rss / 1024, largest_rss_mb=largest / 1024)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _sample_until(tree: Tree, samples: list[Sample], done: threading.Event) -> None:
    """In a thread beside the one waiting for the process (which holds no lock while it waits)."""
    while not done.is_set():
        samples.append(tree.sample())
        done.wait(INTERVAL)


def measure(cmd: Sequence[str], *, capture: bool = False) -> Run:
    """Run cmd to its end, sampling its process tree every INTERVAL seconds; a failure stops the benchmark."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        before = _children_cpu()
        started_at, start = time.time(), time.perf_counter()
        proc = subprocess.Popen(list(cmd), stdout=out if capture else subprocess.DEVNULL, stderr=err)
        samples: list[Sample] = []
        done = threading.Event()
        sampler = threading.Thread(target=_sample_until, args=(Tree(proc.pid), samples, done), daemon=True)
        sampler.start()
        _, status = os.waitpid(proc.pid, 0)
        elapsed = time.perf_counter() - start
        cpu = _children_cpu() - before
        done.set()
        sampler.join()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if proc.returncode != 0:
            raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err.read().decode(errors='replace')[-2000:]}")
        return Run(seconds=elapsed, cpu_seconds=cpu, started_at=started_at, samples=tuple(samples), stdout=out.read())
