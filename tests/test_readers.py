"""Readers: every quirk of the saved Hugging Face pages, the JSON dialects, and the input forms."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kg import readers
from kg.errors import InputError
from kg.identity import normalise_title
from kg.readers import hf_daily

EXAMPLES = Path(__file__).parents[1] / "examples" / "hf-daily-papers"
ABSTRACT = "We study things at length. " * 8


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_bundled_corpus_has_690_records_and_577_distinct_papers() -> None:
    records = list(readers.read([str(EXAMPLES)]))
    assert len(records) == 690
    assert len({normalise_title(r.title) for r in records}) == 577


def test_header_lines_and_date_line_are_not_papers(tmp_path: Path) -> None:
    page = write(tmp_path / "p.txt", "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
                 "byAK and the research community\n\nMar 11\n\nA Title\n\n" + ABSTRACT + "\n")
    [record] = list(hf_daily.read(page))
    assert record.title == "A Title"
    assert record.listing.date == "--03-11"
    assert record.listing.position == 1 and record.listing.line == 11


def test_first_title_glued_to_subscribe(tmp_path: Path) -> None:
    page = write(tmp_path / "p.txt", "Get trending papers in your email inbox!\nSubscribeFirst Paper\n" + ABSTRACT
                 + "\nSecond Paper\n" + ABSTRACT + "\n")
    titles = [r.title for r in hf_daily.read(page)]
    assert titles == ["First Paper", "Second Paper"]


def test_with_and_without_blank_lines_give_the_same_records(tmp_path: Path) -> None:
    body = ["T1", ABSTRACT, "T2", ABSTRACT + "again"]
    dense = write(tmp_path / "dense.txt", "Subscribe\n" + "\n".join(body) + "\n")
    sparse = write(tmp_path / "sparse.txt", "Subscribe\n\n" + "\n\n".join(body) + "\n")
    pick = lambda path: [(r.title, r.abstract) for r in hf_daily.read(path)]  # noqa: E731
    assert pick(dense) == pick(sparse)
    assert len(pick(dense)) == 2


def test_latex_escapes_are_undone(tmp_path: Path) -> None:
    page = write(tmp_path / "p.txt", "Subscribe\nT\nWe reach 90\\% accuracy \\& more on A\\_B.\n")
    [record] = list(hf_daily.read(page))
    assert record.abstract == "We reach 90% accuracy & more on A_B."


def test_urls_with_trailing_junk_are_kept_verbatim_for_the_extractor(tmp_path: Path) -> None:
    page = write(tmp_path / "p.txt", "Subscribe\nT\nCode: https://github.com/a/b}. See {https://x.io/y}.\n")
    [record] = list(hf_daily.read(page))
    assert "https://github.com/a/b}." in record.abstract


def test_date_line_with_year_and_bad_dates() -> None:
    assert hf_daily.parse_date_line("Mar 11, 2024") == "2024-03-11"
    assert hf_daily.parse_date_line("Mar 41") is None
    assert hf_daily.parse_date_line("Mars attacks") is None


def test_title_without_abstract_names_file_and_line(tmp_path: Path) -> None:
    page = write(tmp_path / "p.txt", "Subscribe\nT1\n" + ABSTRACT + "\nDangling Title\n")
    with pytest.raises(InputError) as info:
        list(hf_daily.read(page))
    assert info.value.line == 4 and "p.txt" in str(info.value)


def test_jsonl_generic_records(tmp_path: Path) -> None:
    rows = [{"title": "A", "abstract": "x", "arxiv_id": "arXiv:2403.15042v2", "authors": ["Ann", "Bo"], "date": "2024-03-22"},
            {"title": "B", "abstract": "y", "url": "https://example.org/b"}]
    path = write(tmp_path / "p.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    assert readers.detect_format(path) == "jsonl"
    first, second = readers.read([path])
    assert first.arxiv_id == "2403.15042" and first.authors == ("Ann", "Bo") and first.date == "2024-03-22"
    assert second.url == "https://example.org/b" and second.listing.position == 2


def test_json_array_is_streamed(tmp_path: Path) -> None:
    path = write(tmp_path / "p.json", json.dumps([{"title": f"T{i}", "abstract": "a"} for i in range(3)]))
    assert [r.title for r in readers.read([path])] == ["T0", "T1", "T2"]


def test_arxiv_snapshot_dialect(tmp_path: Path) -> None:
    row = {"id": "0704.0001", "title": "Calc", "abstract": " A  b ", "authors": "C. Bal\\'azs, E. L. Berger and P. M. Nadolsky",
           "categories": "hep-ph cs.LG", "update_date": "2008-11-13"}
    path = write(tmp_path / "arxiv.jsonl", json.dumps(row) + "\n")
    assert readers.detect_format(path) == "arxiv"
    [record] = readers.read([path])
    assert record.arxiv_id == "0704.0001" and record.categories == ("hep-ph", "cs.LG")
    assert record.abstract == "A b" and len(record.authors) == 3


def test_papers_with_code_archive_dialect(tmp_path: Path) -> None:
    row = {"paper_url": "https://paperswithcode.com/paper/x", "arxiv_id": None, "title": "X", "abstract": "y",
           "url_abs": "http://arxiv.org/abs/1906.02243v1", "authors": ["A"], "date": "2019-06-05", "tasks": []}
    path = write(tmp_path / "papers-with-abstracts.json", json.dumps([row]))
    assert readers.detect_format(path) == "pwc"
    [record] = readers.read([path])
    assert record.arxiv_id == "1906.02243"


def test_missing_title_names_line(tmp_path: Path) -> None:
    path = write(tmp_path / "p.jsonl", '{"title": "A", "abstract": "x"}\n{"abstract": "y"}\n')
    with pytest.raises(InputError, match=r"p.jsonl:2: record has no 'title'"):
        list(readers.read([path]))


def test_skip_bad_reports_and_keeps_good(tmp_path: Path) -> None:
    path = write(tmp_path / "p.jsonl", '{"title": "A", "abstract": "x"}\n[1]\n{"title": "C", "abstract": "z"}\n')
    errors: list[InputError] = []
    titles = [r.title for r in readers.read([path], on_error=errors.append)]
    assert titles == ["A", "C"] and errors[0].line == 2


def test_malformed_json_line(tmp_path: Path) -> None:
    path = write(tmp_path / "p.jsonl", '{"title": "A", "abstract": "x"}\n{"title": \n')
    with pytest.raises(InputError, match=r":2: malformed JSON"):
        list(readers.read([path]))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("Subscribe\nT\ncaf\u00e9 abstract\n".encode("latin-1"), "invalid UTF-8"),
        ("Subscribe\nT\nabstract\n".encode("utf-16"), "UTF-16"),
        (b"\x7fELF\x00\x00binary", "binary"),
        (b"", "empty input"),
    ],
)
def test_bad_encodings_name_the_file(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message) as info:
        list(readers.read([str(path)]))
    assert "bad.txt" in str(info.value)


def test_directory_glob_and_stdin(tmp_path: Path) -> None:
    write(tmp_path / "a.jsonl", '{"title": "A", "abstract": "x"}\n')
    write(tmp_path / "b.jsonl", '{"title": "B", "abstract": "y"}\n')
    assert [r.title for r in readers.read([str(tmp_path)])] == ["A", "B"]
    assert [r.title for r in readers.read([str(tmp_path / "*.jsonl")])] == ["A", "B"]
    code = "from kg import readers; print([r.title for r in readers.read(['-'])])"
    out = subprocess.run([sys.executable, "-c", code], input=b'{"title": "S", "abstract": "z"}\n',
                         capture_output=True, check=True)
    assert out.stdout.strip() == b"['S']"


def test_missing_path_and_empty_glob(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list(readers.read([str(tmp_path / "nope.txt")]))
    with pytest.raises(InputError, match="matches no files"):
        list(readers.read([str(tmp_path / "*.nothing")]))


def test_input_errors_survive_pickling() -> None:
    """Reader errors raised in worker processes (pool, Dask) must reach the user unchanged."""
    import pickle

    error = pickle.loads(pickle.dumps(InputError("papers.jsonl", 7, "malformed JSON")))
    assert (error.source, error.line, str(error)) == ("papers.jsonl", 7, "papers.jsonl:7: malformed JSON")


def test_sources_are_named_by_their_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Not by basename: two files of one name in different folders are two sources (and two sets of
    listing nodes, whose IRIs hash this name)."""
    from kg.readers._text import source_name

    for month in ("2024-03", "2024-04"):
        (tmp_path / "pages" / month).mkdir(parents=True)
        write(tmp_path / "pages" / month / "day.jsonl", '{"title": "A", "abstract": "x"}\n')
        write(tmp_path / "pages" / month / "day.txt", "Subscribe\nT\n" + ABSTRACT + "\n")
    monkeypatch.chdir(tmp_path)
    assert [r.listing.source for r in readers.read(["pages"])] == [
        "pages/2024-03/day.jsonl", "pages/2024-03/day.txt", "pages/2024-04/day.jsonl", "pages/2024-04/day.txt"]
    assert [r.listing.source for r in readers.read(["./pages//2024-04/day.txt", "pages/*/day.jsonl"])] == [
        "pages/2024-04/day.txt", "pages/2024-03/day.jsonl", "pages/2024-04/day.jsonl"]
    assert source_name(str(tmp_path / "a" / ".." / "b.txt")) == (tmp_path / "b.txt").as_posix()
    assert source_name("-") == "<stdin>"
