"""What a benchmark report says about the machine it ran on, and its memory high-water mark."""

import os
import platform
import resource
import sys


def machine() -> dict[str, object]:
    """CPUs, Python and platform, so results from two machines are not compared blindly."""
    return {
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def peak_rss_mb() -> float:
    """This process's peak resident memory in MB (macOS counts bytes, Linux KiB)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10
