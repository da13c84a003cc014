"""GEXF 1.3 for Gephi, written incrementally with ``lxml.etree.xmlfile`` (valid against the RELAX NG schema).

We write the XML ourselves because networkx's GEXF writer emits an empty ``name`` attribute on ``<graph>``
and a misspelt schema namespace, both of which the 1.3 schema rejects, and it builds the whole tree in
memory. What a file holds:

- node ``label`` always (the IRI when there is no label); declared node attributes ``type`` (string:
  Gephi's partition), ``papers``, ``degree``, ``year`` (integer) and ``first_listed`` (string, the date as
  stored); ``viz:color`` per type and ``viz:size`` by degree (:mod:`kg.export.style`);
- edges with unique ids ``e0, e1, ...``, ``label``, a numeric ``weight`` and the relation both as GEXF's
  own ``kind`` (which keeps parallel edges of different relations apart in Gephi) and as a declared string
  attribute ``kind`` (which Gephi and networkx show as a column);
- dynamic mode (``mode="dynamic" timeformat="date"``): ``start`` on nodes and edges from listing dates,
  month-days placed in a year by the rule in :mod:`kg.export.dates`. There is no ``end``: a paper once
  listed stays in the graph, which is what Gephi's timeline shows as the graph growing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import IO, Any

import networkx as nx
from lxml import etree

from kg.export import style

NS = "http://gexf.net/1.3"
VIZ = "http://gexf.net/1.3/viz"
NSMAP = {None: NS, "viz": VIZ}
MEDIA_TYPE = "application/gexf+xml"
CHUNK = 1 << 16

#: (attribute id/title, GEXF type) declared for every node.
NODE_ATTRIBUTES = (("type", "string"), ("papers", "integer"), ("degree", "integer"), ("year", "integer"),
                   ("first_listed", "string"))
EDGE_ATTRIBUTES = (("kind", "string"),)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean(value: object) -> str:
    """A value XML 1.0 can hold, whitespace collapsed (labels are ``xsd:token`` in the schema)."""
    return " ".join(_NOT_XML.sub(" ", str(value)).split())


class _Sink:
    """A write-only file that hands its bytes back in chunks, so writing can be a generator."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data: bytes) -> None:
        self.parts.append(bytes(data))
        self.size += len(data)

    def drain(self) -> bytes:
        out = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return out


def _q(name: str, ns: str = NS) -> str:
    return f"{{{ns}}}{name}"


def _leaf(xf: Any, tag: str, attrib: dict[str, str]) -> None:
    """An empty element written through ``xf`` so it reuses the namespace declarations already open."""
    with xf.element(tag, attrib):
        pass


def _attributes(xf: Any, cls: str, declared: tuple[tuple[str, str], ...]) -> None:
    with xf.element(_q("attributes"), {"class": cls, "mode": "static"}):
        for name, kind in declared:
            _leaf(xf, _q("attribute"), {"id": name, "title": name, "type": kind})


def _attvalues(xf: Any, data: dict[str, object], declared: tuple[tuple[str, str], ...]) -> None:
    present = [(name, data[name]) for name, _kind in declared if data.get(name) is not None]
    if not present:
        return
    with xf.element(_q("attvalues")):
        for name, value in present:
            _leaf(xf, _q("attvalue"), {"for": name, "value": clean(value)})


def _node(xf: Any, node: object, data: dict[str, object], max_degree: int, dynamic: bool) -> None:
    attrib = {"id": clean(node), "label": clean(data.get("label") or node) or clean(node) or "?"}
    if dynamic and data.get("start"):
        attrib["start"] = str(data["start"])
    degree = data.get("degree")
    r, g, b = style.colour(str(data.get("type", "")))
    with xf.element(_q("node"), attrib):
        _attvalues(xf, data, NODE_ATTRIBUTES)
        _leaf(xf, _q("color", VIZ), {"r": str(r), "g": str(g), "b": str(b), "a": "1.0"})
        _leaf(xf, _q("size", VIZ), {"value": str(style.size(degree if isinstance(degree, int) else 0, max_degree))})
    xf.write("\n")


def _edge(xf: Any, number: int, source: object, target: object, data: dict[str, object], dynamic: bool) -> None:
    kind = clean(data.get("kind") or "related")
    weight = data.get("weight", 1.0)
    attrib = {
        "id": f"e{number}", "source": clean(source), "target": clean(target),
        "label": clean(data.get("label") or kind), "kind": kind,
        "weight": repr(float(weight if isinstance(weight, (int, float)) else 1.0)),
    }
    if dynamic and data.get("start"):
        attrib["start"] = str(data["start"])
    with xf.element(_q("edge"), attrib):
        _attvalues(xf, {**data, "kind": kind}, EDGE_ATTRIBUTES)
    xf.write("\n")


def iter_gexf(graph: nx.Graph, *, dynamic: bool = False) -> Iterator[bytes]:
    """The GEXF document in chunks of about :data:`CHUNK` bytes (nothing the size of the file is built)."""
    sink = _Sink()
    max_degree = max((int(d) for _n, d in graph.degree()), default=0)
    graph_attrib = {"defaultedgetype": "directed" if graph.is_directed() else "undirected",
                    "idtype": "string", "mode": "dynamic" if dynamic else "static"}
    if dynamic:
        graph_attrib["timeformat"] = "date"
    with etree.xmlfile(sink, encoding="utf-8") as xf:
        xf.write_declaration()
        with xf.element(_q("gexf"), {"version": "1.3"}, nsmap=NSMAP):
            xf.write("\n")
            with xf.element(_q("meta"), {"lastmodifieddate": date.today().isoformat()}):
                with xf.element(_q("creator")):
                    xf.write("papergraph")
                with xf.element(_q("description")):
                    xf.write(clean(f"{graph.graph.get('view', 'graph')}: {graph.graph.get('description', '')}"))
            xf.write("\n")
            with xf.element(_q("graph"), graph_attrib):
                xf.write("\n")
                _attributes(xf, "node", NODE_ATTRIBUTES)
                _attributes(xf, "edge", EDGE_ATTRIBUTES)
                xf.write("\n")
                with xf.element(_q("nodes"), {"count": str(graph.number_of_nodes())}):
                    xf.write("\n")
                    for node, data in graph.nodes(data=True):
                        _node(xf, node, data, max_degree, dynamic)
                        if sink.size >= CHUNK:
                            xf.flush()
                            yield sink.drain()
                with xf.element(_q("edges"), {"count": str(graph.number_of_edges())}):
                    xf.write("\n")
                    for number, (source, target, data) in enumerate(graph.edges(data=True)):
                        _edge(xf, number, source, target, data, dynamic)
                        if sink.size >= CHUNK:
                            xf.flush()
                            yield sink.drain()
    yield sink.drain()


def write_gexf(graph: nx.Graph, out: IO[bytes], *, dynamic: bool = False) -> None:
    """Stream the GEXF document of ``graph`` into a binary file."""
    for chunk in iter_gexf(graph, dynamic=dynamic):
        out.write(chunk)
