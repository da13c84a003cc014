from __future__ import annotations

from functools import lru_cache

from kg.extract import extract
from kg.link import Lexicon
from kg.model import Listing, Mention, PaperRecord


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return Lexicon.default()


def run(abstract: str, title: str = "A Study") -> list[Mention]:
    return extract(PaperRecord(title, abstract, Listing("test", 1, 1)), lexicon())


def facts(abstract: str, title: str = "A Study", relations: tuple[str, ...] = ()) -> set[tuple[str, str]]:
    return {(m.relation, m.entity.label) for m in run(abstract, title)
            if m.entity is not None and (not relations or m.relation in relations)}



def test_title_phrase_with_activity_head() -> None:
    got = facts("We study it.", title="Sparse Attention for Video Frame Interpolation", relations=("addressesTask",))
    assert "video frame interpolation" in {label.lower() for _, label in got}


def test_coordinated_heads_share_modifiers() -> None:
    got = facts("x", title="Surgical instrument detection and tracking in videos", relations=("addressesTask",))
    labels = {label for _, label in got}
    assert "surgical instrument tracking" in labels


def test_repeated_listed_task_in_abstract() -> None:
    text = "Named entity recognition is hard. We improve named entity recognition on news."
    got = facts(text, relations=("addressesTask",))
    assert any(label.lower() == "named entity recognition" for _, label in got)


def test_at_most_three_tasks_and_no_near_duplicates() -> None:
    ms = [m for m in run("We address text classification. Text classification, text classification.",
                         title="Text Classification via Sentiment Analysis for Question Answering and Parsing")
          if m.relation == "addressesTask"]
    assert 1 <= len(ms) <= 3
    assert len({m.entity.key for m in ms if m.entity}) == len(ms)


def test_name_in_title_is_not_a_task() -> None:
    got = facts("x", title="Improving FooNet Training", relations=("addressesTask",))
    assert got == set()
