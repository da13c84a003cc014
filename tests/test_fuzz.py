"""Property-based fuzzing: no input makes a reader or an extractor raise anything but the documented
user error (:class:`kg.errors.InputError`), and huge inputs are refused with a clear message."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg import readers
from kg.errors import InputError
from kg.extract import collect_definitions, extract
from kg.link import Lexicon
from kg.model import Listing, PaperRecord

FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
LEXICON = Lexicon.default()
#: Text that looks like abstracts: words, names, numbers, URLs, punctuation and odd Unicode.
PIECES = st.sampled_from([
    "We propose", "LLM2LLM", "GSM8K", "on", "ImageNet", "(", ")", "24.2%", "accuracy", "https://github.com/a/b}.",
    "hf.co/x", "a dataset", "called", "BERT-base", "\\%", ",", ".", ":", "OR", "SGD", "k-means", "\u00e9", "\u2028",
    "\x00", "Context Relevant Episodic State Truncation (CREST)", "benchmark", "we introduce", "\n", "  ",
])
ABSTRACTS = st.one_of(st.text(max_size=400), st.lists(PIECES, max_size=80).map(" ".join))


@FUZZ
@given(title=st.text(max_size=120), abstract=ABSTRACTS)
def test_extract_never_raises(title: str, abstract: str) -> None:
    record = PaperRecord(title=title, abstract=abstract, listing=Listing("f", 1, 1))
    mentions = extract(record, LEXICON)
    collect_definitions(record)
    for m in mentions:
        text = record.title if m.field == "title" else record.abstract
        assert 0 <= m.sentence_start <= m.start <= m.end <= m.sentence_end <= len(text)
        assert 0.0 <= m.confidence <= 1.0


@FUZZ
@given(data=st.binary(max_size=600))
def test_readers_raise_only_input_errors_on_bytes(tmp_path: Path, data: bytes) -> None:
    for name in ("x.txt", "x.jsonl", "x.json"):
        path = tmp_path / name
        path.write_bytes(data)
        try:
            list(readers.read([str(path)]))
        except InputError as exc:
            assert name in str(exc)


@FUZZ
@given(rows=st.lists(st.dictionaries(st.sampled_from(["title", "abstract", "id", "arxiv_id", "authors", "date", "url",
                                                        "categories", "update_date", "paper_url"]),
                                     st.one_of(st.text(max_size=30), st.integers(), st.none(),
                                               st.lists(st.text(max_size=10), max_size=3))), max_size=5))
def test_json_readers_on_arbitrary_objects(tmp_path: Path, rows: list[dict[str, object]]) -> None:
    path = tmp_path / "x.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    bad: list[InputError] = []
    try:
        records = list(readers.read([str(path)], on_error=bad.append))
    except InputError as exc:  # a file-level problem, such as no records at all
        assert "x.jsonl" in str(exc)
        return
    assert len(records) + len(bad) == len(rows)


@pytest.mark.parametrize("suffix", ["txt", "jsonl"])
def test_a_single_50_mb_line_is_refused_clearly(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"huge.{suffix}"
    blob = "word " * 10_000_000
    if suffix == "jsonl":
        path.write_text(json.dumps({"title": "Huge", "abstract": blob}) + "\n", encoding="utf-8")
    else:
        path.write_text("Subscribe\nHuge\n" + blob + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"huge\.\w+:\d+: abstract is [\d,]+ characters"):
        list(readers.read([str(path)]))
