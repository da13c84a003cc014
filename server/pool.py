"""A small pool of long-lived query worker processes that can be killed one by one.

Processes come from a ``forkserver`` that has already imported pyoxigraph, so replacing a killed worker
takes milliseconds, and no worker inherits the web server's threads or sockets (as ``fork`` would).

A request is one round trip on the worker's own pipe: plain ``pickle`` (requests and replies are
plain data; multiprocessing's pickler copies its dispatch table per message) and one ``poll`` object
per worker, which both waits for the answer and tells an idle worker that died (its pipe reads as
closed), instead of multiprocessing's selector built per call.
"""

from __future__ import annotations

import logging
import multiprocessing
import pickle
import queue
import select
import signal
import threading
import time
import weakref
from collections.abc import Callable
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from typing import Any

from server import worker as worker_module

log = logging.getLogger("kg.executor")


class WorkerDied(Exception):
    """A worker process ended without answering (killed by the OS, out of memory, crashed)."""


class OutOfTime(Exception):
    """The worker did not answer in time; it has been killed and is being replaced."""


def process_context() -> BaseContext:
    """The forkserver context, preloading the worker module (and so pyoxigraph) once."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["server.worker"])
    return context


class _Worker:
    def __init__(self, context: BaseContext, memory_mb: int) -> None:
        parent, child = context.Pipe()
        self.process = context.Process(  # type: ignore[attr-defined]
            target=worker_module.main, args=(child, memory_mb), daemon=True, name="kg-query-worker")
        self.process.start()
        child.close()
        self.conn: Connection = parent
        self._poller = select.poll()
        self._poller.register(parent.fileno(), select.POLLIN)

    def send(self, request: dict[str, Any]) -> None:
        self.conn.send_bytes(pickle.dumps(request, pickle.HIGHEST_PROTOCOL))

    def answered(self, seconds: float) -> bool:
        """Whether the worker's pipe became readable within ``seconds`` (an answer, or its end)."""
        return bool(self._poller.poll(max(0, int(seconds * 1000))))

    def receive(self) -> tuple[Any, ...]:
        """The worker's reply. :raises EOFError: the worker has ended."""
        reply: tuple[Any, ...] = pickle.loads(self.conn.recv_bytes())  # noqa: S301 - our own worker's reply
        return reply

    def died_idle(self) -> bool:
        """An idle worker writes nothing, so a readable pipe means it has ended; its exit status is asked
        too, since a killed worker's end of the pipe can read as open a moment after it died."""
        return self.answered(0) or not self.process.is_alive()

    def kill(self) -> None:
        """SIGKILL: pyoxigraph cannot be interrupted, so this is the only way to stop a query."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()

    def stop(self) -> None:
        self.conn.close()  # the worker sees EOF and returns
        self.process.join(2)
        if self.process.is_alive():
            self.kill()


def _stop_all(workers: set[_Worker]) -> None:
    for worker in list(workers):
        workers.discard(worker)
        worker.stop()


class Pool:
    """``size`` workers; :meth:`call` lends one out for one request and kills it if it runs over time."""

    def __init__(self, context: BaseContext, size: int, memory_mb: int,
                 warmup: Callable[[], dict[str, Any] | None] | None = None) -> None:
        self._context = context
        self._size = max(1, size)
        self._memory_mb = memory_mb
        self.warmup = warmup
        self._idle: queue.SimpleQueue[_Worker] = queue.SimpleQueue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False
        # An app dropped without close() (a test's, say) still stops its workers.
        weakref.finalize(self, _stop_all, self._all)

    def start(self) -> None:
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self._size):
            self._spawn()

    def pids(self) -> list[int]:
        """Process ids of the live workers (tests use them to check that killed queries stop using CPU)."""
        return [w.process.pid for w in list(self._all) if w.process.pid and w.process.is_alive()]

    def call(self, request: dict[str, Any], seconds: float, wait: float) -> tuple[Any, ...]:
        """Run ``request`` on an idle worker.

        A worker that was killed (SIGKILL from outside: the OOM killer, say) without answering is replaced
        and the request is run again on another, up to once per worker the pool had plus one: queries are
        read-only, and a worker killed while idle can take a moment to read as ended, so the request that
        meets it must not fail for it. A worker that ends any other way (a query past its memory or stack
        limit) fails the request at once.

        :raises queue.Empty: no worker became free within ``wait`` seconds.
        :raises OutOfTime: no answer within ``seconds``; the worker was killed and is being replaced.
        :raises WorkerDied: ``size + 1`` workers in a row ended without answering it.
        """
        if not self._started:
            self.start()
        deadline = time.monotonic() + wait
        attempts = self._size + 1
        for attempt in range(1, attempts + 1):
            worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            while worker.died_idle():  # its successor is on the way
                self._replace(worker)
                worker = self._idle.get(timeout=max(0.0, deadline - time.monotonic()))
            try:
                worker.send(request)
                answered = worker.answered(seconds)
                reply = worker.receive() if answered else ()
            except (EOFError, OSError) as exc:
                self._replace(worker)
                if attempt == attempts or worker.process.exitcode != -signal.SIGKILL:
                    raise WorkerDied(f"exit code {worker.process.exitcode}: {exc!r}") from None
                continue
            if not answered:
                self._replace(worker)
                raise OutOfTime
            self._idle.put(worker)
            return reply
        raise AssertionError("unreachable")  # pragma: no cover

    def close(self) -> None:
        with self._lock:
            self._closed = True
        _stop_all(self._all)

    def _spawn(self) -> None:
        worker = _Worker(self._context, self._memory_mb)
        request = self.warmup() if self.warmup else None
        if request is not None:
            try:
                worker.send(request)
                worker.receive()
            except (EOFError, OSError):
                log.warning("a new query worker failed to open the store")
        with self._lock:
            if self._closed:
                worker.stop()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill ``worker`` now; start its successor in the background so the caller answers at once."""
        with self._lock:
            self._all.discard(worker)
        worker.kill()
        if not self._closed:
            threading.Thread(target=self._respawn, name="kg-worker-respawn", daemon=True).start()

    def _respawn(self) -> None:
        try:
            self._spawn()
        except OSError:
            log.exception("could not start a query worker; the pool is one worker short")
