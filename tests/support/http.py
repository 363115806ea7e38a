"""Loopback HTTP for tests and benchmarks: a free port, and a GET that returns errors too."""

import socket
import urllib.error
import urllib.request


def free_port() -> int:
    """A TCP port nobody listens on now, for a server a test or benchmark starts."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(url: str) -> tuple[int, bytes]:
    """Status and body of a GET, an HTTP error included (so a 503 can be asserted)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
