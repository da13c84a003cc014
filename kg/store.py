"""The on-disk Oxigraph store: where it lives, how it is opened, and how a build is published.

Layout of a store directory (``--store DIR``, default ``./kg-store`` or ``$KG_STORE``)::

    DIR/current          symlink to the published generation (switched atomically with rename)
    DIR/generations/G    one complete Oxigraph (RocksDB) database per build
    DIR/.lock            held by the one process that is building

A build writes a new generation that nobody reads, then renames the ``current`` link onto it, so
readers never see a half-written store and a killed build leaves the previous graph intact. Readers
open the published generation read-only; they never share a directory with a writer (RocksDB does not
support that). A plain Oxigraph directory (for example one made by ``oxigraph load``) also opens.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pyoxigraph as ox

from kg.errors import StoreError

DEFAULT_STORE = "kg-store"
CURRENT = "current"
GENERATIONS = "generations"
#: Previous generations kept after a publish, so a server still reading one is not cut off.
KEEP_GENERATIONS = 2


def default_store_path() -> str:
    """``$KG_STORE`` or ``./kg-store``."""
    return os.environ.get("KG_STORE", DEFAULT_STORE)


def _is_oxigraph_dir(path: Path) -> bool:
    """A bare RocksDB directory as Oxigraph writes it (it has a ``CURRENT`` manifest pointer)."""
    return (path / "CURRENT").is_file()


def current_generation(store_dir: str | os.PathLike[str]) -> Path:
    """The directory of the published database.

    :raises StoreError: when nothing has been built there yet.
    """
    root = Path(store_dir)
    link = root / CURRENT
    if link.exists():
        return link.resolve()
    if _is_oxigraph_dir(root):
        return root
    raise StoreError(f"no graph at {root}: run 'kg build PATH --store {root}' first")


def open_read(store_dir: str | os.PathLike[str]) -> ox.Store:
    """Open the published graph read-only (never locks; many readers may share it)."""
    path = current_generation(store_dir)
    try:
        return ox.Store.read_only(str(path))
    except OSError as exc:
        raise StoreError(f"cannot open the store at {path}: {exc}") from None


def open_memory() -> ox.Store:
    """An in-memory store, for tests and one-off runs."""
    return ox.Store()


@contextmanager
def writer_lock(store_dir: str | os.PathLike[str]) -> Iterator[None]:
    """Hold the store's build lock; a second concurrent build fails at once with a clear message."""
    root = Path(store_dir)
    root.mkdir(parents=True, exist_ok=True)
    handle = open(root / ".lock", "w")  # noqa: SIM115 - released in finally
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"another build is writing {root}; wait for it to finish") from None
        yield
    finally:
        handle.close()


def new_generation_path(store_dir: str | os.PathLike[str]) -> Path:
    """A fresh, not yet existing directory name for the next generation."""
    parent = Path(store_dir) / GENERATIONS
    parent.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime())
    return parent / f"g-{stamp}-{time.monotonic_ns() % 10**9:09d}-{os.getpid()}"


def publish(store_dir: str | os.PathLike[str], generation: Path) -> None:
    """Point ``current`` at ``generation`` atomically (symlink + rename), then drop old generations."""
    root = Path(store_dir)
    link = root / CURRENT
    tmp = root / f".{CURRENT}.{os.getpid()}"
    if tmp.is_symlink() or tmp.exists():
        tmp.unlink()
    _marker(generation).touch()
    os.symlink(os.path.relpath(generation, root), tmp)
    os.replace(tmp, link)
    _fsync_dir(root)
    collect_garbage(root)


def collect_garbage(store_dir: str | os.PathLike[str], keep: int = KEEP_GENERATIONS) -> None:
    """Remove leftovers of killed builds (never published) and all but the ``keep`` newest old generations.

    Only call this while holding :func:`writer_lock`: then no unpublished generation is in use.
    """
    root = Path(store_dir)
    parent = root / GENERATIONS
    if not parent.is_dir():
        return
    link = root / CURRENT
    current = link.resolve() if link.exists() else None
    old = sorted((p for p in parent.iterdir() if p.is_dir() and p != current), key=lambda p: p.name)
    for orphan in parent.glob("*.search.sqlite"):  # index of a generation that no longer exists
        if not orphan.with_name(orphan.name.removesuffix(".search.sqlite")).is_dir():
            orphan.unlink(missing_ok=True)
    published = [p for p in old if _marker(p).exists()]
    doomed = [p for p in old if not _marker(p).exists()] + (published[:-keep] if keep else published)
    for path in doomed:
        shutil.rmtree(path, ignore_errors=True)
        for sidecar in parent.glob(path.name + ".*"):  # the .published marker, the search index
            sidecar.unlink(missing_ok=True)


def _marker(generation: Path) -> Path:
    """Written beside a generation when it is published, so garbage collection can tell it from a leftover."""
    return generation.with_name(generation.name + ".published")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
