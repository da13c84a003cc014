from __future__ import annotations

import pickle

import pytest

from kg.extract.context import Context
from kg.link import Lexicon, compact
from kg.model import Listing, PaperRecord


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return Lexicon.default()


def _names(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    """(kind, key) of each match, resolved between kinds the way extractors do."""
    record = PaperRecord("t", text, Listing("x", 1, 1))
    ctx = Context.of(record, lexicon)
    doc = ctx.docs[1]
    out = []
    for hit in ctx.hits["abstract"]:
        entry = ctx.kind_of(hit, doc)
        assert entry is not None
        out.append((entry.kind, entry.key))
    return out


def test_variants_share_one_key(lexicon: Lexicon) -> None:
    keys = {key for _, key in _names(lexicon, "We use GSM8K, GSM8k and GSM-8K and Grade School Math 8K.")}
    assert keys == {"gsm8k"}


def test_acronym_and_expansion_share_one_key(lexicon: Lexicon) -> None:
    got = _names(lexicon, "We apply LoRA here, and Low-Rank Adaptation there.")
    assert got == [("method", "lora"), ("method", "lora")]


def test_plural_form_links_to_singular(lexicon: Lexicon) -> None:
    assert ("method", "lora") in _names(lexicon, "Several LoRAs are merged.")


def test_distinct_things_stay_apart(lexicon: Lexicon) -> None:
    keys = [key for _, key in _names(lexicon, "Results on CIFAR-10 and CIFAR-100 differ.")]
    assert keys == ["cifar10", "cifar100"]


def test_ambiguous_short_name_needs_exact_case(lexicon: Lexicon) -> None:
    assert all(key != "sgd" for _, key in _names(lexicon, "we train it with sgd updates"))
    assert ("method", "sgd") in _names(lexicon, "we train it with SGD updates")


def test_mixed_case_name_not_matched_by_plain_word(lexicon: Lexicon) -> None:
    assert all(key != "quality" for _, key in _names(lexicon, "data quality matters a lot"))


def test_or_is_not_a_benchmark(lexicon: Lexicon) -> None:
    assert _names(lexicon, "Choose A OR B.") == []


def test_learned_acronym_recognised_in_other_texts() -> None:
    lexicon = Lexicon.default()
    assert all(key != "quokkanet" for _, key in _names(lexicon, "We compare with QuokkaNet."))
    lexicon.learn([("QuokkaNet", "Quick Outlier Kernel Aggregation")])
    assert ("method", "quokkanet") in _names(lexicon, "We compare with QuokkaNet.")


def test_generic_concept_acronyms_are_not_learned() -> None:
    lexicon = Lexicon.default()
    lexicon.learn([("HPC", "High-Performance Computing"), ("LLMs", "large language models")])
    assert _names(lexicon, "We run HPC jobs.") == []


def test_pickle_carries_learned_pairs_only() -> None:
    lexicon = Lexicon.default()
    lexicon.learn([("QuokkaNet", "Quick Outlier Kernel Aggregation")])
    data = pickle.dumps(lexicon)
    assert len(data) < 2000
    again = pickle.loads(data)
    assert ("method", "quokkanet") in _names(again, "We compare with QuokkaNet.")


def test_keys_are_slug_friendly() -> None:
    assert compact("ViT-B/16 (Large)") == "vitb16large"
