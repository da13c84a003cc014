"""Child processes for the benchmarks: timed runs with peak memory of the whole process tree, servers
started on a free loopback port and stopped by pid, directory sizes."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psutil


def log(message: str) -> None:
    """Progress on stderr (the table goes to stdout)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)  # noqa: T201


@dataclass
class Run:
    """A finished child process: wall time, peak RSS of its process tree (sampled) and of its largest process."""

    seconds: float
    peak_tree_rss: int
    peak_single_rss: int
    returncode: int
    stderr: str


def run_measured(cmd: Sequence[str], *, timeout: float, env: dict[str, str] | None = None,
                 interval: float = 0.05) -> Run:
    """Run ``cmd`` to completion, sampling the summed RSS of it and all its descendants every ``interval``.

    The tree figure over-counts pages shared after ``fork`` (each worker is counted in full), so it is
    an upper bound; the single-process figure is the largest one process reached.
    :raises subprocess.TimeoutExpired: after ``timeout`` seconds (the tree is killed first).
    """
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,  # noqa: S603
                            env={**os.environ, **(env or {})}, start_new_session=True)
    peak_tree = peak_single = 0
    chunks: list[str] = []
    reader = threading.Thread(target=lambda: chunks.append(proc.stderr.read() if proc.stderr else ""), daemon=True)
    reader.start()
    root = psutil.Process(proc.pid)
    while proc.poll() is None:
        if time.perf_counter() - started > timeout:
            _kill_group(proc)
            raise subprocess.TimeoutExpired(list(cmd), timeout)
        total = 0
        try:
            members = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            members = []
        for member in members:
            try:
                rss = member.memory_info().rss
            except psutil.Error:
                continue
            total += rss
            peak_single = max(peak_single, rss)
        peak_tree = max(peak_tree, total)
        time.sleep(interval)
    seconds = time.perf_counter() - started
    reader.join(timeout=5)
    return Run(seconds, peak_tree, peak_single, proc.returncode, "".join(chunks))


def _kill_group(proc: subprocess.Popen[str]) -> None:
    """Kill the child's own process group (it was started in a new session), nothing else."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for_port(port: int, proc: subprocess.Popen[bytes], timeout: float) -> None:
    """Until something accepts connections on 127.0.0.1:``port``.

    :raises RuntimeError: the process exited, or nothing listened in time.
    """
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with status {proc.returncode} before listening on port {port}")
        with socket.socket() as sock:
            sock.settimeout(0.5)
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listened on 127.0.0.1:{port} within {timeout:.0f} s")


@contextmanager
def server(cmd: Sequence[str], port: int, *, name: str, log_path: Path, startup: float = 60.0,
           env: dict[str, str] | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """Start a server process (own session, output to ``log_path``), wait for its port, stop it on exit."""
    log(f"starting {name} on 127.0.0.1:{port}")
    with open(log_path, "wb") as sink:
        proc = subprocess.Popen(cmd, stdout=sink, stderr=subprocess.STDOUT,  # noqa: S603 - our own commands
                                start_new_session=True, env={**os.environ, **(env or {})})
    try:
        wait_for_port(port, proc, startup)
        yield proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


def dir_size(path: Path) -> int:
    """Bytes of all files under ``path`` (symlinks not followed)."""
    total = 0
    for root, _dirs, names in os.walk(path):
        for name in names:
            try:
                total += os.lstat(os.path.join(root, name)).st_size
            except OSError:
                continue
    return total


def mib(n: float) -> str:
    return f"{n / 2**20:,.0f} MiB"
