from __future__ import annotations

from tests._extract_helpers import facts, run

METHODS = ("proposesMethod", "usesMethod")


def test_we_propose_name_with_apposition() -> None:
    got = facts("We propose FlipNet, a simple method for robust tagging.", relations=METHODS)
    assert ("proposesMethod", "FlipNet") in got


def test_called_name() -> None:
    got = facts("We design a new training recipe called BRISK that halves memory.", relations=METHODS)
    assert ("proposesMethod", "BRISK") in got


def test_definition_after_propose_verb_keeps_expansion_as_alias() -> None:
    ms = [m for m in run(
        "We propose Sparse Token Routing Adaptation (STRA) to cut compute.") if m.relation == "proposesMethod"]
    assert [m.entity.label for m in ms if m.entity] == ["STRA"]
    assert ms[0].entity is not None and "Sparse Token Routing Adaptation" in ms[0].entity.aliases


def test_title_name_is_proposed() -> None:
    got = facts("Nothing to see.", title="PlumeFormer: Efficient Plume Forecasting", relations=METHODS)
    assert got == {("proposesMethod", "PlumeFormer")}


def test_title_prefix_word_is_not_a_name() -> None:
    assert facts("We argue a point.", title="Position: Benchmarks Are Broken", relations=METHODS) == set()


def test_established_methods_are_used() -> None:
    got = facts("We combine LoRA with Mixup and back-translation, then cluster with k-means.", relations=METHODS)
    assert {("usesMethod", "LoRA"), ("usesMethod", "Mixup"), ("usesMethod", "K-means")} <= got


def test_generic_lowercase_phrase_is_not_a_named_method() -> None:
    assert ("usesMethod", "Knowledge Distillation") not in facts("We apply knowledge distillation to shrink it.")


def test_proposed_name_is_not_also_used() -> None:
    got = facts("We propose FlipNet, a method for tagging. FlipNet beats LoRA.", relations=METHODS)
    assert ("usesMethod", "FlipNet") not in got and ("proposesMethod", "FlipNet") in got


def test_so_called_is_not_a_naming_act() -> None:
    assert facts("The so-called ``token-centric'' view fails.", relations=("proposesMethod",)) == set()


def test_multiword_title_case_name_repeated_is_proposed() -> None:
    text = "We propose Sliding Cache Sharing to save memory. Sliding Cache Sharing halves the cache."
    assert ("proposesMethod", "Sliding Cache Sharing") in facts(text, relations=METHODS)


def test_title_case_emphasis_said_once_is_not_a_name() -> None:
    got = facts("We introduce Careful Evaluation of the old models on new data.", relations=METHODS)
    assert not any(rel == "proposesMethod" for rel, _ in got)


def test_title_case_name_before_a_head_noun_is_proposed() -> None:
    got = facts("The system introduces the Dynamic Bucket padding strategy to cut waste.", relations=METHODS)
    assert ("proposesMethod", "Dynamic Bucket") in got


def test_listed_name_in_title_case_is_used_not_proposed() -> None:
    got = facts("We introduce the Bayesian Optimization method to tune it.", relations=METHODS)
    assert not any(rel == "proposesMethod" for rel, _ in got)


def test_papers_own_system_as_subject_proposes() -> None:
    text = "Routing matters. Q-Serve proposes Unified Slab Paging. Unified Slab Paging pools memory."
    got = facts(text, title="Q-Serve: Serving Many Adapters", relations=METHODS)
    assert ("proposesMethod", "Unified Slab Paging") in got


def test_repository_named_after_a_name_in_the_text() -> None:
    text = ("We rank data by predictive strength (Prerank). Models trained with PreRank win. "
            "Code: https://github.com/some-lab/PreRank.")
    assert ("proposesMethod", "PreRank") in facts(text, relations=METHODS)


def test_repository_name_only_inside_its_url_is_no_name() -> None:
    got = facts("Code is at https://github.com/some-lab/TurboQuux for all.", relations=METHODS)
    assert not any(rel == "proposesMethod" for rel, _ in got)


def test_acronym_after_a_preposition_is_an_argument_not_the_proposal() -> None:
    text = "We develop an estimator for bounds on the conditional average treatment effect (CATE)."
    assert not any(rel == "proposesMethod" for rel, _ in facts(text, relations=METHODS))


def test_passive_proposed_is_prior_work() -> None:
    text = "Force fields have been proposed to accelerate molecular dynamics (MD) simulation."
    assert not any(rel == "proposesMethod" for rel, _ in facts(text, relations=METHODS))


def test_acronym_inside_a_longer_name_is_not_what_is_presented() -> None:
    text = "We present the Benchmark of Information Retrieval (IR) tasks with Complex Objectives (BIRCO)."
    assert not any(label == "IR" for _, label in facts(text))


def test_word_inside_a_defined_long_form_is_not_a_name_of_its_own() -> None:
    text = "We propose the Sparsity-Aware Local Masking (SALM) method for images."
    got = facts(text, relations=METHODS)
    assert ("proposesMethod", "SALM") in got and ("proposesMethod", "Sparsity-Aware") not in got


def test_listed_framework_used_inside_a_new_methodology_is_not_proposed() -> None:
    text = "We develop a novel methodology using GPT-4 within a Retrieval-Augmented Generation (RAG) framework."
    got = facts(text, relations=METHODS)
    assert not any(rel == "proposesMethod" for rel, _ in got)
