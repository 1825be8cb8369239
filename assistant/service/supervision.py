"""A worker of `serve --workers N` ends with the process that started it.

uvicorn's workers outlive a supervisor killed with SIGKILL (an operator's `kill -9`, an OOM
kill, a crashed soak): orphaned, they keep serving the port, so the next `serve` cannot bind
it, and orphans left by the soak were seen using 13 % of a core each and not ending on
SIGTERM. Linux's parent-death signal ends a worker with its supervisor, so a restart starts
clean. Nothing acknowledged is lost: a turn is stored before it is acknowledged.
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys

log = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def end_with_supervisor(supervisor_pid: int) -> bool:
    """Ask the kernel to kill this process when its parent ends; True if it will."""
    if not sys.platform.startswith("linux") or os.getppid() != supervisor_pid:
        return False  # not a worker of that supervisor (or not Linux: no parent-death signal)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) != 0:
        log.warning("could not tie this worker to its supervisor (errno %d)", ctypes.get_errno())
        return False
    if os.getppid() != supervisor_pid:  # the supervisor ended before the call above
        os.kill(os.getpid(), signal.SIGKILL)
    return True
