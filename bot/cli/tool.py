"""What the offline `rex` commands (match, export) share: errors in one line with their exit
code, and progress on stderr only once a run has taken long enough for someone to wait."""

import argparse
import sys
import time
from typing import NoReturn

EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
QUIET_SECONDS = 1.0


def say(prog: str, message: str, code: int) -> int:
    """One line on stderr, `prog: message`; returns the exit code to leave with."""
    print(f"{prog}: {message}", file=sys.stderr)
    return code


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a usage error is one line like the command's other errors."""

    def error(self, message: str) -> NoReturn:
        raise SystemExit(say(self.prog, message, EXIT_BAD_INPUT))


class Progress:
    """Progress lines on stderr, held until a run has taken more than `QUIET_SECONDS`."""

    def __init__(self, prog: str) -> None:
        self.prog = prog
        self.started = time.perf_counter()
        self.held: list[str] = []

    def __call__(self, line: str) -> None:
        self.held.append(line)
        if time.perf_counter() - self.started > QUIET_SECONDS:
            for held in self.held:
                say(self.prog, held, 0)
            self.held.clear()
