"""One paper, one node, whichever source lists it.

A Hugging Face page carries no arXiv id, so its records are keyed by title; a record of the same paper
from arXiv metadata is keyed by its id. A build files the title-only listing under the arXiv paper
(within one build, and across ``--append`` in both orders), keeps a title that names several arXiv
papers apart and says so; source files are told apart by their path, not their basename.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg import store
from kg.build import build_store
from kg.identity import arxiv_key, normalise_title, paper_graph, paper_key, title_hash
from kg.model import Listing, PaperRecord
from kg.vocab import BUILD_LOG_GRAPH, DCTERMS, ENTITIES_GRAPH, PG, SUMMARY_GRAPH

ID = "https://w3id.org/papergraph/id/paper/"
HEADER = "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nbyAK and the research community\n\nMar 11\n\n"

#: arXiv id -> (title as arXiv has it, abstract); the page lists the first two with other capitalisation.
ARXIV = {
    "2403.15042": ("LLM2LLM: Boosting LLMs with Novel Iterative Data Enhancement",
                   "We fine-tune LLaMA-2-7B on GSM8K and reach 24.2% accuracy, using chain of thought prompting."),
    "2201.11903": ("Chain-of-Thought Prompting Elicits Reasoning in Large Language Models",
                   "We propose chain of thought prompting. With PaLM it reaches 58.1% accuracy on GSM8K and SVAMP."),
    "2110.14168": ("Training Verifiers to Solve Math Word Problems",
                   "We introduce GSM8K, a dataset of grade school math word problems, and train a Verifier."),
}
PAGE = [
    ("LLM2LLM: boosting LLMs with novel iterative data enhancement",
     "Pretrained large language models are the state of the art. We evaluate on ImageNet and CIFAR-10 with BERT."),
    ("Chain-of-thought prompting elicits reasoning in large language models",
     "A different abstract on the page: we test GPT-3 on SQuAD and WikiText-103."),
    ("A Paper Only On The Page", "We train a Transformer on WikiText-103 and report 18.3 perplexity."),
]


def hf_page(path: Path, papers: list[tuple[str, str]]) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(HEADER + "".join(f"{title}\n\n{abstract}\n\n" for title, abstract in papers), encoding="utf-8")
    return str(path)


def arxiv_file(path: Path, papers: dict[str, tuple[str, str]]) -> str:
    rows = [{"id": i, "title": t, "abstract": a, "authors": "A. Author and B. Author", "categories": "cs.CL",
             "update_date": "2024-03-22"} for i, (t, a) in papers.items()]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def query(store_dir: Path, text: str) -> list[tuple[str, ...]]:
    graph = store.open_read(store_dir)
    rows = graph.query(f"PREFIX pg: <{PG}> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> {text}",
                       use_default_graph_as_union=True)
    return sorted(tuple(term.value for term in row) for row in rows)  # type: ignore[union-attr]


def papers(store_dir: Path) -> list[str]:
    return [p.removeprefix(ID) for (p,) in query(store_dir, "SELECT ?p { ?p a pg:Paper }")]


def listings(store_dir: Path, key: str) -> list[tuple[str, str]]:
    """(source label, position) of each listing of a paper."""
    return query(store_dir, f"SELECT ?label ?pos {{ <{ID}{key}> pg:listedIn ?l . ?l pg:position ?pos ; "
                            "pg:source/rdfs:label ?label }")


def graph_quads(store_dir: Path, key: str) -> set[str]:
    graph = store.open_read(store_dir)
    return {str(q.triple) for q in graph.quads_for_pattern(None, None, None, ox.NamedNode(paper_graph(key)))}


def canonical(store_dir: Path, *, without: tuple[str, ...] = ()) -> list[str]:
    """Sorted N-Quads of everything but the build log (and the graphs named in ``without``)."""
    skip = {ox.NamedNode(g) for g in (BUILD_LOG_GRAPH, *without)}
    return sorted(str(q) for q in store.open_read(store_dir) if q.graph_name not in skip)


@pytest.fixture()
def inputs(tmp_path: Path) -> tuple[str, str]:
    """A saved page (two papers also in the arXiv file, under other capitalisation; one of its own)
    and an arXiv metadata file."""
    return hf_page(tmp_path / "in" / "page.txt", PAGE), arxiv_file(tmp_path / "in" / "arxiv.jsonl", ARXIV)


def test_title_hash_matches_normalised_titles() -> None:
    assert title_hash(PAGE[0][0]) == title_hash(ARXIV["2403.15042"][0]) is not None
    assert title_hash(PAGE[0][0]) != title_hash(PAGE[1][0])
    assert title_hash("???") is None and title_hash("大型语言模型") is None  # nothing left to match on
    record = PaperRecord(title="T", abstract="a", listing=Listing("s", 1, 1), arxiv_id="2403.15042")
    assert paper_key(record) == arxiv_key("2403.15042") == "arxiv/2403.15042"
    assert normalise_title(PAGE[0][0]) == normalise_title(ARXIV["2403.15042"][0])


def test_page_and_arxiv_metadata_give_one_node_per_paper(inputs: tuple[str, str], tmp_path: Path) -> None:
    page, metadata = inputs
    build_store([metadata], tmp_path / "arxiv-only", workers=1)
    summary = build_store([page, metadata], tmp_path / "both", workers=1)  # the page first: order must not matter
    both = tmp_path / "both"
    title_key = paper_key(PaperRecord(title=PAGE[2][0], abstract="", listing=Listing("s", 1, 1)))
    assert sorted(papers(both)) == sorted([arxiv_key(i) for i in ARXIV] + [title_key])
    assert (summary.papers_new, summary.listings, summary.listings_merged) == (4, 6, 2)
    page_name, metadata_name = Path(page).as_posix(), Path(metadata).as_posix()
    assert listings(both, "arxiv/2403.15042") == [(metadata_name, "1"), (page_name, "1")]
    assert listings(both, "arxiv/2201.11903") == [(metadata_name, "2"), (page_name, "2")]
    # The facts are the arXiv record's, once: the paper's graph is the arXiv-only build's plus one listing.
    for arxiv_id in ("2403.15042", "2201.11903"):
        key = f"arxiv/{arxiv_id}"
        alone, merged = graph_quads(tmp_path / "arxiv-only", key), graph_quads(both, key)
        assert alone < merged
        extra = merged - alone
        assert len(extra) == 6 and all("listing/" in q for q in extra), extra  # listedIn + the listing node
    [(abstracts,)] = query(both, f"SELECT (COUNT(?a) AS ?n) {{ <{ID}arxiv/2403.15042> <{DCTERMS}abstract> ?a }}")
    assert abstracts == "1"
    # Nothing was extracted from the page's text of the merged papers (its abstract names ImageNet, SQuAD).
    assert not query(both, "SELECT ?p { ?p ?rel ?d . ?d rdfs:label ?l FILTER(?l IN ('ImageNet', 'SQuAD')) }")
    # The input order changes nothing.
    build_store([metadata, page], tmp_path / "reversed", workers=1)
    assert canonical(tmp_path / "reversed") == canonical(both)


def test_parallel_mixed_build_equals_single_process(inputs: tuple[str, str], tmp_path: Path) -> None:
    build_store(list(inputs), tmp_path / "one", workers=1)
    build_store(list(inputs), tmp_path / "two", workers=2)
    assert canonical(tmp_path / "two") == canonical(tmp_path / "one")


def test_a_title_naming_two_arxiv_papers_keeps_its_title_key_and_is_reported(tmp_path: Path) -> None:
    title = "Attention Is All You Need"
    metadata = arxiv_file(tmp_path / "arxiv.jsonl", {"1706.03762": (title, "We propose the Transformer."),
                                                     "2501.00001": (title.upper(), "A homonymous paper on GSM8K.")})
    page = hf_page(tmp_path / "page.txt", [("Attention is all you need!", "We propose the Transformer.")])
    messages: list[str] = []
    summary = build_store([metadata, page], tmp_path / "store", workers=1, report=messages.append)
    title_key = paper_key(PaperRecord(title="Attention is all you need!", abstract="", listing=Listing("s", 1, 1)))
    assert sorted(papers(tmp_path / "store")) == sorted(["arxiv/1706.03762", "arxiv/2501.00001", title_key])
    assert summary.listings_merged == 0
    assert len(summary.warnings) == 1 and "1706.03762, 2501.00001" in summary.warnings[0]
    assert messages == [f"warning: {summary.warnings[0]}"]
    assert "1 ambiguous titles kept" in summary.line()


def test_append_a_page_after_the_arxiv_metadata(inputs: tuple[str, str], tmp_path: Path) -> None:
    page, metadata = inputs
    target = tmp_path / "store"
    build_store([metadata], target, workers=1)
    summary = build_store([page], target, append=True, workers=1)
    assert (summary.papers_new, summary.listings_merged, summary.papers_merged) == (1, 2, 0)
    assert len(papers(target)) == 4
    # The same graph as building both at once, and appending the page again changes nothing.
    build_store([metadata, page], tmp_path / "fresh", workers=1)
    assert canonical(target) == canonical(tmp_path / "fresh")
    build_store([page], target, append=True, workers=1)
    assert canonical(target) == canonical(tmp_path / "fresh")


def test_append_arxiv_metadata_after_the_page_folds_title_papers_in(inputs: tuple[str, str], tmp_path: Path) -> None:
    page, metadata = inputs
    target = tmp_path / "store"
    build_store([page], target, workers=1)
    assert len(papers(target)) == 3 and all(p.startswith("title/") for p in papers(target))
    summary = build_store([metadata], target, append=True, workers=1)
    assert (summary.papers_new, summary.papers_merged) == (3, 2)
    assert "2 title-keyed papers merged" in summary.line()
    build_store([metadata, page], tmp_path / "fresh", workers=1)
    assert sorted(papers(target)) == sorted(papers(tmp_path / "fresh"))  # one node per paper
    # Each paper's graph is the fresh build's: the arXiv text and facts, and the page's listings moved over.
    for key in papers(target):
        assert graph_quads(target, key) == graph_quads(tmp_path / "fresh", key), key
    assert listings(target, "arxiv/2403.15042") == listings(tmp_path / "fresh", "arxiv/2403.15042")
    # Appending either file again changes nothing.
    before = canonical(target)
    build_store([page], target, append=True, workers=1)
    build_store([metadata], target, append=True, workers=1)
    assert canonical(target) == before
    # Apart from descriptions of entities only the folded page text named (an append never removes
    # entity descriptions, nor their search keys in the summary), the graph is the fresh build's.
    derived = (ENTITIES_GRAPH, SUMMARY_GRAPH)
    assert canonical(target, without=derived) == canonical(tmp_path / "fresh", without=derived)
    def entities(store_dir: Path) -> set[str]:
        graph = store.open_read(store_dir)
        return {str(q) for q in graph.quads_for_pattern(None, None, None, ox.NamedNode(ENTITIES_GRAPH))}

    assert entities(tmp_path / "fresh") <= entities(target)


def test_an_updated_paper_keeps_the_listings_of_earlier_builds(inputs: tuple[str, str], tmp_path: Path) -> None:
    page, metadata = inputs
    target = tmp_path / "store"
    build_store([page, metadata], target, workers=1)
    newer = arxiv_file(tmp_path / "v2.jsonl", {"2403.15042": (ARXIV["2403.15042"][0], "A revised abstract on SVAMP.")})
    summary = build_store([newer], target, append=True, workers=1)
    assert summary.papers_updated == 1
    assert [label for label, _ in listings(target, "arxiv/2403.15042")] == sorted(
        [Path(metadata).as_posix(), Path(page).as_posix(), Path(newer).as_posix()])
    [(abstract,)] = query(target, f"SELECT ?a {{ <{ID}arxiv/2403.15042> <{DCTERMS}abstract> ?a }}")
    assert abstract == "A revised abstract on SVAMP."


def test_same_file_name_in_two_folders_gives_two_sources(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    march = hf_page(tmp_path / "pages" / "2024-03" / "day.txt", [PAGE[0]])
    april = hf_page(tmp_path / "pages" / "2024-04" / "day.txt", [PAGE[2]])
    monkeypatch.chdir(tmp_path)
    build_store(["pages"], tmp_path / "store", workers=1)
    sources = query(tmp_path / "store", "SELECT ?s ?label { ?s a pg:SourceFile ; rdfs:label ?label }")
    assert sorted(label for _, label in sources) == ["pages/2024-03/day.txt", "pages/2024-04/day.txt"]
    assert sources[0][0] != sources[1][0]
    # Each paper has its own listing node (one position, one line), not one shared by both files.
    nodes = query(tmp_path / "store", "SELECT ?l ?line { ?p pg:listedIn ?l . ?l pg:line ?line }")
    assert len(nodes) == 2 and nodes[0][0] != nodes[1][0]
    # Given as files, relative or absolute: told apart too, and a rebuild gives the same IRIs.
    build_store(["pages/2024-03/day.txt", "./pages/2024-04//day.txt"], tmp_path / "files", workers=1)
    assert canonical(tmp_path / "files") == canonical(tmp_path / "store")
    build_store([march, april], tmp_path / "absolute", workers=1)
    build_store([march, april], tmp_path / "again", workers=1)
    assert canonical(tmp_path / "again") == canonical(tmp_path / "absolute")
    assert len(query(tmp_path / "absolute", "SELECT ?s { ?s a pg:SourceFile }")) == 2
