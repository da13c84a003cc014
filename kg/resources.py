"""Files shipped inside the package (queries, ontology, shapes, name lists, web assets, example corpus).

They live under ``kg/data/`` so a plain ``pip install .`` carries them; the top-level ``queries/``,
``ontology.ttl`` and ``shapes.ttl`` of the repository are the same files (kept identical by a test).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def data_path(*parts: str) -> Path:
    """Path of a packaged data file."""
    return Path(str(files("kg").joinpath("data", *parts)))


def ontology_path() -> Path:
    return data_path("ontology.ttl")


def shapes_path() -> Path:
    return data_path("shapes.ttl")


def queries_dir() -> Path:
    return data_path("queries")


def example_corpus() -> Path:
    return data_path("examples", "hf-daily-papers")
