"""The ``kg`` command as users run it: real processes, exit codes, one-line errors, no tracebacks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).parents[1] / "examples" / "hf-daily-papers"


def kg(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "kg", *args], input=stdin.decode() if stdin else None,
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("cli") / "store"
    result = kg("build", str(sorted(EXAMPLES.glob("*.txt"))[2]), "--store", str(target), "-q")
    assert result.returncode == 0, result.stderr
    assert "papers new" in result.stderr and "triples" in result.stderr
    return target


def assert_user_error(result: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def test_missing_file(tmp_path: Path) -> None:
    assert_user_error(kg("build", str(tmp_path / "nope.txt"), "--store", str(tmp_path / "s")), "nope.txt", "no such file")


def test_unreadable_encoding(tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("Subscribe\nTitle\nCaf\u00e9 au lait abstract.\n".encode("latin-1"))
    result = kg("build", str(bad), "--store", str(tmp_path / "s"))
    assert_user_error(result, "latin1.txt:3", "invalid UTF-8")
    assert not (tmp_path / "s" / "current").exists()


def test_empty_input(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    assert_user_error(kg("build", str(empty), "--store", str(tmp_path / "s")), "empty.txt", "empty input")


def test_no_store_yet(tmp_path: Path) -> None:
    assert_user_error(kg("stats", "--store", str(tmp_path / "none")), "no graph at", "kg build")


def test_build_from_stdin(tmp_path: Path) -> None:
    rows = b'{"title": "From Stdin", "abstract": "We evaluate on ImageNet."}\n'
    result = kg("build", "-", "--store", str(tmp_path / "s"), stdin=rows)
    assert result.returncode == 0, result.stderr
    out = kg("query", "SELECT ?t WHERE { ?p a pg:Paper ; dcterms:title ?t }", "--store", str(tmp_path / "s"), "--format", "json")
    assert json.loads(out.stdout) == [{"t": "From Stdin"}]


def test_stats_counts_classes_and_relations(built: Path) -> None:
    result = kg("stats", "--store", str(built), "--json")
    counts = json.loads(result.stdout)
    assert counts["classes"]["Paper"] == 65
    assert set(counts["relations"]) >= {"usesDataset", "hasRepository", "proposesMethod"}


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "tsv"])
def test_query_formats(built: Path, fmt: str) -> None:
    result = kg("query", "SELECT (COUNT(*) AS ?n) WHERE { ?p a pg:Paper }", "--store", str(built), "--format", fmt)
    assert result.returncode == 0, result.stderr
    assert "65" in result.stdout


def test_query_syntax_error_is_one_line(built: Path) -> None:
    assert_user_error(kg("query", "SELECT WHERE {", "--store", str(built)), "SPARQL syntax error")


def test_query_syntax_error_names_the_users_line(built: Path) -> None:
    # The standard PREFIX lines put before the text must not shift the line the message names.
    result = kg("query", "SELECT ?s\nWHERE { ?s ?p }", "--store", str(built))
    assert_user_error(result, "error at 2:")


def test_a_canned_name_given_as_sparql_points_at_canned(built: Path) -> None:
    result = kg("query", "most-used-datasets", "--store", str(built))
    assert result.returncode == 2 and "--canned most-used-datasets" in result.stderr


def test_every_command_has_help_and_is_in_the_readme() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    from kg.cli import main

    for name in main.commands:
        result = kg(name, "--help")
        assert result.returncode == 0 and "Example" in result.stdout, name
        assert f"kg {name}" in readme, f"kg {name} is not documented in README.md"
