"""SPARQL Update without breaking the read-only, generation-based store.

Servers never write the generation they read. An authorised update copies the published generation
(a RocksDB checkpoint: hard links, fast), applies the update to the copy in a separate process that is
killed if it runs over time, gives the copy what every generation gets (its summary counts and index:
:func:`kg.derived.finish_generation`), and publishes it; running servers switch to it like after a build.
The query timeout bounds the update itself; the derived structures get :data:`FINISH_SECONDS`.
All of it happens under the store's writer lock, so it cannot interleave with ``kg build`` or ``kg load``.
"""

from __future__ import annotations

import logging
import shutil
from contextlib import ExitStack
from multiprocessing.connection import Connection
from multiprocessing.context import BaseContext
from pathlib import Path

import pyoxigraph as ox

from kg import store as kg_store
from kg.derived import finish_generation
from kg.errors import QueryError, StoreError
from server import sandbox

log = logging.getLogger("kg.executor")

#: Time allowed for the summary and index of the updated generation (they grow with the graph, not the update).
FINISH_SECONDS = 1800.0


def apply_update(context: BaseContext, store_dir: Path, text: str, timeout: float, base_iri: str | None = None) -> str:
    """Apply ``text`` to a new generation and publish it; returns the generation's name.

    :raises QueryError: invalid update (nothing is published).
    :raises Busy: another writer holds the lock.
    :raises QueryFailed: the store could not be written (the detail is logged).
    :raises QueryTimeout: the update ran over ``timeout`` seconds and was killed (nothing is published).
    """
    from server.executor import Busy, QueryFailed, QueryTimeout

    with ExitStack() as stack:
        try:
            stack.enter_context(kg_store.writer_lock(store_dir))
        except StoreError:
            raise Busy("the store is being rebuilt; try the update again later") from None
        try:
            source: str | None = str(kg_store.current_generation(store_dir))
        except StoreError:
            source = None
        target = kg_store.new_generation_path(store_dir)
        parent, child = context.Pipe()
        process = context.Process(  # type: ignore[attr-defined]
            target=_update_job, args=(child, source, str(target), text, base_iri), daemon=True, name="kg-update")
        process.start()
        child.close()
        try:
            if not parent.poll(timeout):
                process.kill()
                raise QueryTimeout(timeout)
            status, message = parent.recv()
            if status == "updated":  # the update is in; now its summary and index
                if not parent.poll(FINISH_SECONDS):
                    process.kill()
                    status, message = "store", f"the summary and index took over {FINISH_SECONDS:g} s"
                else:
                    status, message = parent.recv()
        except EOFError:
            status, message = "store", "the update process ended without answering"
        finally:
            process.join(10)
            parent.close()
        if status != "ok":
            shutil.rmtree(target, ignore_errors=True)
            if status == "query":
                raise QueryError(message)
            log.error("update failed: %s", message)
            raise QueryFailed("the update could not be applied")
        kg_store.publish(store_dir, target)
        return target.name


def _update_job(conn: Connection, source: str | None, target: str, text: str, base_iri: str | None) -> None:
    """In a child process: checkpoint ``source`` into ``target`` and apply the update there."""
    try:
        sandbox.check(text)
        if source is not None:
            previous = ox.Store.read_only(source)
            previous.backup(target)
            del previous
        store = ox.Store(target)
        store.update(text, base_iri=base_iri)
        conn.send(("updated", ""))
        finish_generation(store, Path(target))
        del store
    except QueryError as exc:
        conn.send(("query", str(exc)))
        return
    except (SyntaxError, ValueError) as exc:
        conn.send(("query", str(exc).splitlines()[0] if str(exc) else "invalid update"))
        return
    except OSError as exc:
        conn.send(("store", str(exc)))
        return
    conn.send(("ok", target))
