"""Gephi's spreadsheet import: ``nodes.csv`` (Id, Label, type, ...) and ``edges.csv`` (Source, Target, Type,
Weight, Label, kind), as two files in a directory or as one zip (what HTTP serves).

Headers are spelled exactly as Gephi's import wizard recognises them; ``type`` is lower-case so it becomes
an ordinary column to partition on (Gephi reserves ``Type`` for the edge direction).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import networkx as nx

MEDIA_TYPE = "application/zip"
NODE_COLUMNS = ("Id", "Label", "type", "papers", "degree", "year", "first_listed")
EDGE_COLUMNS = ("Source", "Target", "Type", "Weight", "Label", "kind")
CHUNK = 1 << 16


def node_rows(graph: nx.Graph) -> Iterator[list[object]]:
    yield list(NODE_COLUMNS)
    for node, data in graph.nodes(data=True):
        yield [node, data.get("label", node), data.get("type", ""), data.get("papers", ""), data.get("degree", ""),
               data.get("year", ""), data.get("first_listed", "")]


def edge_rows(graph: nx.Graph) -> Iterator[list[object]]:
    yield list(EDGE_COLUMNS)
    direction = "Directed" if graph.is_directed() else "Undirected"
    for source, target, data in graph.edges(data=True):
        kind = data.get("kind", "")
        yield [source, target, direction, data.get("weight", 1.0), data.get("label", kind), kind]


def write_csv_dir(graph: nx.Graph, directory: str | Path) -> tuple[Path, Path]:
    """Write ``nodes.csv`` and ``edges.csv`` into ``directory`` (created if needed)."""
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    paths = folder / "nodes.csv", folder / "edges.csv"
    for path, rows in zip(paths, (node_rows(graph), edge_rows(graph)), strict=True):
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(rows)
    return paths


class _Sink(io.RawIOBase):
    """A write-only, unseekable file: zipfile then writes data descriptors and never seeks back."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def writable(self) -> bool:
        return True

    def write(self, data: bytes) -> int:  # type: ignore[override]
        self.parts.append(bytes(data))
        return len(data)

    def drain(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        return out


def iter_csv_zip(graph: nx.Graph) -> Iterator[bytes]:
    """A zip holding ``nodes.csv`` and ``edges.csv``, yielded in chunks while it is written."""
    sink = _Sink()
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in (("nodes.csv", node_rows(graph)), ("edges.csv", edge_rows(graph))):
            with archive.open(name, "w") as member, io.TextIOWrapper(member, "utf-8", newline="") as handle:
                writer = csv.writer(handle)
                for number, row in enumerate(rows):
                    writer.writerow(row)
                    if number % 2000 == 1999:
                        handle.flush()
                        yield sink.drain()
            yield sink.drain()
    yield sink.drain()
