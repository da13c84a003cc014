from __future__ import annotations

from tests._extract_helpers import facts, run


def test_families_and_checkpoints() -> None:
    got = facts("We compare GPT-4, BERT and CLIP with LLaMA2-7B and Whisper.", relations=("usesModel",))
    labels = {label for _, label in got}
    assert {"GPT-4", "BERT", "CLIP", "Whisper"} <= labels
    assert any(label.lower().replace(" ", "").replace("-", "") == "llama27b" for label in labels)


def test_sizes_are_distinct_nodes() -> None:

    ms = [m for m in run("BERT-base and BERT-large are tuned.") if m.relation == "usesModel"]
    assert len({m.entity.key for m in ms if m.entity}) == 2


def test_variant_spellings_share_a_node() -> None:

    a = [m.entity.key for m in run("We use Llama-2-7b.") if m.relation == "usesModel" and m.entity]
    b = [m.entity.key for m in run("We use LLaMA2-7B.") if m.relation == "usesModel" and m.entity]
    assert a == b and len(a) == 1


def test_style_suffix_is_not_the_model() -> None:
    assert facts("A GPT-style decoder is trained from scratch.", relations=("usesModel",)) == set()


def test_model_size_word_is_not_a_method() -> None:
    assert not any(r == "usesMethod" for r, _ in facts("We tune BERT-BASE models."))
