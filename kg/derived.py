"""What every new generation gets before it is published, whoever wrote it: ``kg build`` (fresh or
``--append``), ``kg load``, a Dask build, or an authorised SPARQL update.

- the summary graph (:mod:`kg.summary`): paper counts and co-occurrences the canned queries read;
- the index beside the generation (:mod:`kg.search_index`) that answers search and the canned questions;
- a compaction: bulk loads leave the store uncompacted, and read-only handles never compact it.

Without this, a generation written by ``kg load`` or an update would serve counts from before the
change, and the API would fall back to slow SPARQL for want of an index.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox

from kg.search_index import build_index, index_path
from kg.summary import compute_summary


def finish_generation(
    target: ox.Store, generation: Path, phases: dict[str, float] | None = None, summarised: bool = False,
    indexed: bool = False,
) -> None:
    """Write the summary graph (unless ``summarised``: a fresh build streamed it already) and the index
    from a scan of the store (unless ``indexed``: a fresh build wrote it while extracting), then
    compact. Timings go to ``phases``."""
    phases = {} if phases is None else phases
    if not summarised:
        started = time.time()
        compute_summary(target)
        phases["summary"] = time.time() - started
    steps: list[tuple[str, Callable[[], object]]] = [("optimize", target.optimize)]
    if not indexed:
        steps.insert(0, ("index", lambda: build_index(target, index_path(generation))))
    for name, step in steps:
        started = time.time()
        step()
        phases[name] = time.time() - started
    target.flush()
