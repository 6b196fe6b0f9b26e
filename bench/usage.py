"""What one piece of work costs: wall time, processor time and peak memory of the whole process tree.

A build forks workers (the bulk pages) and runs other programs (Zensical, Hugo):
its memory is that of all of them at once. The process that started the build
samples, a few times a second, the memory of the build's process and of every
process descending from it: the resident size (RSS, which counts a page shared by
a forked worker once per process: an upper bound) and the proportional size
(PSS, which shares it out: what the machine really lends). The sampling runs
outside the build, so that its own work (reading /proc) is not counted as the
build's processor time. A sample can fall between two spikes, so the kernel's own
high-water mark of the largest single process is given too: the builder's, whose
pages its forked workers start from (generator/build/bulk.py). The processor time
counts the build's process and the children it has waited for.
"""

from __future__ import annotations

import resource
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
SAMPLE_EVERY = 0.2  # seconds


@dataclass(frozen=True)
class Usage:
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float  # sum over the process tree, at its largest sample
    peak_pss_mb: float
    # The kernel's high-water mark of the largest single process: this one or a child it
    # has waited for.
    peak_process_mb: float


def measured(work: Callable[[], T]) -> tuple[T, dict[str, float]]:
    """Run `work` in this process: its result, and its wall time, processor time and kernel peak (Usage's fields)."""
    cpu_before, start = _cpu_seconds(), time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    cpu_seconds = _cpu_seconds() - cpu_before
    peak_process = max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN))
    return result, {"seconds": seconds, "cpu_seconds": cpu_seconds, "peak_process_mb": peak_process / 1024}


def run_watched(command: list[str], **options) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run `command` (options of `subprocess.Popen`) and sample its process tree's memory from here: the
    result, and the peak RSS and PSS summed over the tree, in MiB."""
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **options) as process:
        sampler = _TreeMemory(process.pid)
        sampler.start()
        try:
            stdout, stderr = process.communicate()
        finally:
            sampler.stop()
    done = subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
    return done, sampler.peak_rss / 1024, sampler.peak_pss / 1024


def _cpu_seconds() -> float:
    usage = [resource.getrusage(who) for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)]
    return sum(u.ru_utime + u.ru_stime for u in usage)


class _TreeMemory(threading.Thread):
    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peak_rss = self.peak_pss = 0  # kB
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.is_set():
            self.sample()
            self._done.wait(SAMPLE_EVERY)

    def stop(self) -> None:
        self._done.set()
        self.join()

    def sample(self) -> None:
        rss = pss = 0
        for pid in _tree(self.root):
            rss_kb, pss_kb = _memory_kb(pid)
            rss += rss_kb
            pss += pss_kb
        self.peak_rss = max(self.peak_rss, rss)
        self.peak_pss = max(self.peak_pss, pss)


def _tree(root: int) -> list[int]:
    """`root` and every process descending from it (from /proc: no system call per process)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # gone meanwhile
                continue
            # "pid (command) state ppid …": the command may hold spaces and parentheses.
            parents[int(entry.name)] = int(stat[stat.rindex(")") + 2 :].split()[1])
    found, frontier = [root], {root}
    while frontier:
        frontier = {pid for pid, parent in parents.items() if parent in frontier}
        found += frontier
    return found


def _memory_kb(pid: int) -> tuple[int, int]:
    try:
        lines = Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()
    except OSError:
        return 0, 0
    values = {line.split(":")[0]: int(line.split()[1]) for line in lines[1:] if line.split(":")[0] in ("Rss", "Pss")}
    return values.get("Rss", 0), values.get("Pss", 0)
