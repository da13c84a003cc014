"""Render one export laid out, for the README (``docs/gephi-export.png``).

It reads a GEXF file back exactly as Gephi would get it (colours from ``viz:color``, sizes from ``viz:size``)
and draws it with a spring layout, so the picture shows what an export looks like, not a separate drawing.
Needs matplotlib, which is not a papergraph dependency (``pip install matplotlib``).

Usage::

    kg build examples/hf-daily-papers --store /tmp/kgstore
    python docs/render_export.py --store /tmp/kgstore --view dataset-method --out docs/gephi-export.png
"""

from __future__ import annotations

import argparse
import io
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402

from kg import store as kg_store  # noqa: E402
from kg.export import export_to_stream  # noqa: E402
from kg.export.style import COLOURS  # noqa: E402


def render(store_dir: str, view: str, out: Path, labels: int, seed: int) -> tuple[int, int]:
    """Export ``view`` as GEXF, read it back, lay out its largest component and save a PNG."""
    stream = export_to_stream(kg_store.open_read(store_dir), "gexf", view=view)
    graph = nx.read_gexf(io.BytesIO(b"".join(stream.chunks)), version="1.3")
    simple = nx.Graph(graph)
    largest = max(nx.connected_components(simple), key=len)
    sub = simple.subgraph(largest).copy()
    position = nx.spring_layout(sub, seed=seed, k=1.2 / max(len(sub), 1) ** 0.5, iterations=200, weight="weight")
    colours = ["#%02x%02x%02x" % tuple(sub.nodes[n]["viz"]["color"][c] for c in "rgb") for n in sub]
    sizes = [sub.nodes[n]["viz"]["size"] ** 2 / 3 for n in sub]
    widths = [0.4 + 0.6 * d.get("weight", 1.0) for *_e, d in sub.edges(data=True)]
    figure, axes = plt.subplots(figsize=(12, 9), dpi=110)
    nx.draw_networkx_edges(sub, position, ax=axes, width=widths, alpha=0.25, edge_color="#555555")
    nx.draw_networkx_nodes(sub, position, ax=axes, node_color=colours, node_size=sizes, linewidths=0.3,
                           edgecolors="#333333")
    top = sorted(sub, key=lambda n: sub.nodes[n].get("degree", 0), reverse=True)[:labels]
    nx.draw_networkx_labels(sub, position, {n: sub.nodes[n]["label"] for n in top}, ax=axes, font_size=8)
    present = sorted({sub.nodes[n]["type"] for n in sub})
    axes.legend(handles=[Line2D([], [], marker="o", linestyle="", markersize=8, label=t,
                                color="#%02x%02x%02x" % COLOURS.get(t, (90, 90, 90))) for t in present],
                loc="lower left", frameon=False)
    axes.set_title(f"papergraph export, view '{view}' (largest component: {len(sub)} of "
                   f"{graph.number_of_nodes()} nodes; size = degree, edge width = papers)")
    axes.set_axis_off()
    figure.tight_layout()
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out)
    return graph.number_of_nodes(), graph.number_of_edges()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="/tmp/kgstore", help="store directory built by kg build")
    parser.add_argument("--view", default="dataset-method", help="export view to draw")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("gephi-export.png"))
    parser.add_argument("--labels", type=int, default=25, help="label this many highest-degree nodes")
    parser.add_argument("--seed", type=int, default=7, help="layout seed (the picture is reproducible)")
    args = parser.parse_args()
    nodes, edges = render(args.store, args.view, args.out, args.labels, args.seed)
    print(f"{args.out}: view {args.view}, {nodes} nodes, {edges} edges")  # noqa: T201


if __name__ == "__main__":
    main()
