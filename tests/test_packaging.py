"""A plain ``pip install .`` (a wheel, not an editable install) carries everything ``kg`` needs at run time."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> zipfile.ZipFile:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True, timeout=300)
    [path] = out.glob("papergraph-*.whl")
    return zipfile.ZipFile(path)


def test_wheel_ships_queries_ontology_shapes_names_examples_and_web_assets(wheel: zipfile.ZipFile) -> None:
    names = set(wheel.namelist())
    assert "kg/data/ontology.ttl" in names and "kg/data/shapes.ttl" in names
    for rq in (ROOT / "queries").glob("*.rq"):
        assert f"kg/data/queries/{rq.name}" in names
    for lst in ("datasets", "methods", "models", "tasks"):
        assert f"kg/data/names/{lst}.jsonl" in names
    assert "kg/data/names/SOURCES.md" in names
    assert len([n for n in names if n.startswith("kg/data/examples/hf-daily-papers/")]) == 5
    static = [p.relative_to(ROOT).as_posix() for p in (ROOT / "server" / "static").rglob("*") if p.is_file()]
    assert static and all(s in names for s in static)
    entry_points = wheel.read([n for n in names if n.endswith("entry_points.txt")][0]).decode()
    assert "kg = kg.cli:main" in entry_points


def test_packaged_files_are_the_top_level_files() -> None:
    """kg/data holds links to the top-level files, so the two can never drift apart."""
    data = ROOT / "kg" / "data"
    assert (data / "ontology.ttl").resolve() == (ROOT / "ontology.ttl").resolve()
    assert (data / "queries").resolve() == (ROOT / "queries").resolve()
