"""How node types look in every export and picture: one colour per type, size growing with degree.

Gephi reads ``viz:color`` and ``viz:size`` from GEXF, so a file opens already coloured by type; the same
table colours ``docs/gephi-export.png`` so the picture in the README matches what users will see.
"""

from __future__ import annotations

import math

#: RGB per node type (a colour-blind-safe palette: Okabe-Ito plus greys).
COLOURS: dict[str, tuple[int, int, int]] = {
    "Paper": (153, 153, 153),
    "Dataset": (230, 159, 0),
    "Benchmark": (213, 94, 0),
    "Method": (0, 158, 115),
    "Model": (204, 121, 167),
    "Task": (0, 114, 178),
    "Repository": (86, 180, 233),
    "Link": (240, 228, 66),
}
OTHER = (90, 90, 90)
MIN_SIZE, MAX_SIZE = 4.0, 40.0


def colour(node_type: str) -> tuple[int, int, int]:
    return COLOURS.get(node_type, OTHER)


def hex_colour(node_type: str) -> str:
    return "#%02x%02x%02x" % colour(node_type)


def size(degree: int, max_degree: int) -> float:
    """Node size by degree on a square-root scale, so hubs stand out without dwarfing everything else."""
    if max_degree <= 0:
        return MIN_SIZE
    return round(MIN_SIZE + (MAX_SIZE - MIN_SIZE) * math.sqrt(max(degree, 0) / max_degree), 2)
