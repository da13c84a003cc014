from __future__ import annotations

from tests._extract_helpers import facts, run

DATA = ("introducesDataset", "usesDataset", "evaluatesOn")


def test_introduced_dataset_from_apposition() -> None:
    got = facts("We introduce ZebraQA, a large-scale benchmark for visual reasoning about stripes.",
                relations=DATA)
    assert ("introducesDataset", "ZebraQA") in got


def test_introduced_dataset_from_title() -> None:
    got = facts("Nothing else here.", title="OtterSet: A Large-Scale Dataset for Aquatic Scene Parsing",
                relations=DATA)
    assert got == {("introducesDataset", "OtterSet")}


def test_evaluation_context_gives_evaluates_on() -> None:
    got = facts("Our model achieves strong accuracy on GSM8K and CIFAR-10.", relations=DATA)
    assert got == {("evaluatesOn", "GSM8K"), ("evaluatesOn", "CIFAR-10")}


def test_training_context_gives_uses_dataset() -> None:
    got = facts("We pretrain the encoder on ImageNet for two days.", relations=DATA)
    assert got == {("usesDataset", "ImageNet")}


def test_unlisted_name_before_dataset_noun() -> None:
    got = facts("We fine-tune on the HeronBird dataset collected last year.", relations=DATA)
    assert ("usesDataset", "HeronBird") in got


def test_generic_phrase_is_not_a_dataset() -> None:
    assert facts("We collect a large corpus of web text and a new dataset of images.", relations=DATA) == set()


def test_or_is_not_a_benchmark() -> None:
    assert facts("Models answer yes OR no questions.", relations=DATA) == set()


def test_concept_acronym_redefined_is_not_a_dataset() -> None:
    assert facts("We study self-supervised learning (SSL) at scale with SSL objectives.", relations=DATA) == set()


def test_evidence_sentence_is_the_one_naming_the_dataset() -> None:
    text = "Models are big. We report accuracy on GSM8K. Costs are high."
    m = next(m for m in run(text) if m.relation == "evaluatesOn")
    assert text[m.sentence_start:m.sentence_end] == "We report accuracy on GSM8K."
    assert text[m.start:m.end] == "GSM8K"


def test_acronym_of_a_lowercase_concept_before_datasets_is_no_name() -> None:
    text = "Force fields speed up molecular dynamics (MD) simulation. Experiments on MD datasets confirm it."
    assert not any(label == "MD" for _, label in facts(text))


def test_capitalised_name_before_dataset_still_counts() -> None:
    assert ("evaluatesOn", "FooBar-2") in facts("Experiments on the FooBar-2 benchmark show gains.")
