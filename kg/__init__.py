"""papergraph: a knowledge graph of ML papers, extracted from titles and abstracts into Oxigraph."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
