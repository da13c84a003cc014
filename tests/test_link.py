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


def test_curated_list_adds_names_the_shared_lists_lack(lexicon: Lexicon) -> None:
    got = _names(lexicon, "We serve the adapters with vLLM, quantise them with GPTQ and pretrain on FineWeb-Edu.")
    assert got == [("method", "vllm"), ("method", "gptq"), ("dataset", "finewebedu")]
    # its aliases link too, and a spelling variant lands on the same node
    assert _names(lexicon, "built on HuggingFace PEFT") == [("method", "peft")]
    assert _names(lexicon, "a CommonCrawl snapshot and Common Crawl") == [("dataset", "commoncrawl")] * 2


def test_curated_ambiguous_word_needs_its_written_form(lexicon: Lexicon) -> None:
    assert all(key != "solar" for _, key in _names(lexicon, "We forecast solar power output."))
    assert ("model", "solar") in _names(lexicon, "We compare against SOLAR and Mistral.")


def test_curated_records_are_well_formed_and_new() -> None:
    """Every curated record names its kind, source and licence, and adds a name the shared lists lack."""
    import json
    from importlib.resources import files

    from kg.link import CURATED, KINDS

    root = files("kg.data.names")
    shared = {(kind, compact(json.loads(line)["name"]))
              for kind in KINDS for line in root.joinpath(f"{kind}s.jsonl").read_text("utf-8").splitlines()}
    records = [json.loads(line) for line in root.joinpath(CURATED).read_text("utf-8").splitlines()]
    assert len(records) > 100
    for rec in records:
        assert rec["type"] in KINDS and rec["source"] == "papergraph-curated" and rec["license"] == "MIT", rec
        assert (rec["type"], compact(rec["name"])) not in shared, rec["name"]


def test_one_word_method_is_a_common_noun_unless_written_as_a_name(lexicon: Lexicon) -> None:
    assert all(key != "verifier" for _, key in _names(lexicon, "A learned verifier scores each step."))
    assert all(key != "convolution" for _, key in _names(lexicon, "We replace convolution by attention."))
    assert ("method", "mixup") in _names(lexicon, "We combine it with Mixup on every batch.")
