"""How much memory a build holds with its forked workers, where the system says it.

Linux says it in /proc: the resident pages of a process (statm) and, among a
process's pages, those it holds alone (smaps_rollup's Private_*). A forked worker
holds alone what it copied (a page it wrote to, or that the builder wrote to after
the fork) and what it made. The builder's resident pages, plus each worker's own,
are the memory of the whole build, each page counted once. Other systems do not
say it this way: `readable()` is false there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
from pathlib import Path

_OWN = Path("/proc/self/smaps_rollup")
_PAGE = os.sysconf("SC_PAGE_SIZE")


def readable() -> bool:
    return _OWN.is_file()


def resident(pid: int) -> int:
    """Bytes of memory that process `pid` has in RAM, what it shares with its forked workers included."""
    return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE


def own() -> int:
    """Bytes of memory this process holds alone (reading them costs about 20 ms for a national build's)."""
    kilobytes = 0
    for line in _OWN.read_text().splitlines():
        if line.startswith(("Private_Clean:", "Private_Dirty:")):
            kilobytes += int(line.split()[1])
    return kilobytes * 1024


def give_back() -> None:
    """Give the system the memory freed so far that the C library still holds (glibc's malloc_trim).

    Python frees most objects back to the C library, which keeps the pages for later (a national
    build's builder holds 130 MiB so, of 716, when its bulk pages start): they count in the build's
    memory, and a forked worker that allocates into them copies them. Elsewhere, nothing is done."""
    try:
        ctypes.CDLL(ctypes.util.find_library("c")).malloc_trim(0)
    except (OSError, AttributeError, TypeError):  # no C library found, or not glibc
        pass
