"""GraphML through networkx's writer, streamed line by line (yEd, Cytoscape, igraph and Gephi read it).

networkx's GraphML writer is correct; we only prepare the graph for it: attributes that are None are
dropped (GraphML has no null), and parallel edges get unique ids ``e0, e1, ...`` instead of the relation
name networkx would otherwise write as the id (the relation stays in ``kind``).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

import networkx as nx

MEDIA_TYPE = "application/graphml+xml"
CHUNK = 1 << 16


def _prepared(graph: nx.Graph) -> nx.Graph:
    out = graph.__class__()
    out.graph.update({k: v for k, v in graph.graph.items() if isinstance(v, (str, int, float))})
    for node, data in graph.nodes(data=True):
        out.add_node(node, **{k: v for k, v in data.items() if v is not None})
    if graph.is_multigraph():
        for number, (u, v, data) in enumerate(graph.edges(data=True)):
            out.add_edge(u, v, key=f"e{number}", **{k: val for k, val in data.items() if val is not None})
    else:
        for u, v, data in graph.edges(data=True):
            out.add_edge(u, v, **{k: val for k, val in data.items() if val is not None})
    return out


def iter_graphml(graph: nx.Graph) -> Iterator[bytes]:
    """The GraphML document in chunks (the writer yields it line by line; we batch the lines)."""
    buffer: list[str] = []
    size = 0
    for line in nx.generate_graphml(_prepared(graph), named_key_ids=True):
        buffer.append(line + "\n")
        size += len(line) + 1
        if size >= CHUNK:
            yield "".join(buffer).encode("utf-8")
            buffer.clear()
            size = 0
    yield "".join(buffer).encode("utf-8")


def write_graphml(graph: nx.Graph, out: IO[bytes]) -> None:
    for chunk in iter_graphml(graph):
        out.write(chunk)
