"""Results: a number tied to a dataset, with the metric named next to it, read as a score or a delta;
fractions of data, spreads, baselines and counts are not results. Each case is one crafted sentence."""

from __future__ import annotations

import pytest

from kg.model import ResultValue
from tests._extract_helpers import run


def results(abstract: str) -> list[ResultValue]:
    return [m.result for m in run(abstract) if m.relation == "reportsResult" and m.result is not None]


def one(abstract: str) -> ResultValue:
    found = results(abstract)
    assert len(found) == 1, found
    return found[0]


# --- scores -------------------------------------------------------------------------------------


def test_percent_tied_to_dataset_and_metric() -> None:
    r = one("Our method reaches 81.5% accuracy on ImageNet.")
    assert r.value == pytest.approx(0.815) and r.unit == "%" and r.raw == "81.5%"
    assert r.dataset is not None and r.dataset.key == "imagenet"
    assert (r.metric, r.metric_label, r.kind, r.change) == ("accuracy", "Accuracy", "score", None)


@pytest.mark.parametrize(("sentence", "metric", "value"), [
    ("It obtains a BLEU of 31.2 on WMT 2014.", "bleu", 31.2),
    ("The model scores 28.4 BLEU on WMT 2014.", "bleu", 28.4),
    ("We reach an F1 score of 85.3 on SQuAD.", "f1", 85.3),
    ("It achieves a top-1 accuracy of 84.2% on ImageNet.", "top-1 accuracy", 0.842),
    ("On LibriSpeech, our system reaches a WER of 2.1%.", "wer", 0.021),
])
def test_the_metric_named_next_to_the_number(sentence: str, metric: str, value: float) -> None:
    r = one(sentence)
    assert (r.metric, r.kind) == (metric, "score")
    assert r.value == pytest.approx(value)


def test_the_display_label_is_the_listed_name() -> None:
    assert one("It achieves a top-1 accuracy of 84.2% on ImageNet.").metric_label == "Top-1 Accuracy"


def test_a_list_of_numbers_shares_the_metric_of_the_first() -> None:
    found = results("It reaches 80.1% accuracy on GSM8K and 75.3% on SVAMP.")
    assert [(r.dataset.key if r.dataset else None, r.metric, r.kind) for r in found] == [
        ("gsm8k", "accuracy", "score"), ("svamp", "accuracy", "score")]


def test_from_x_to_y_keeps_the_new_score_only() -> None:
    r = one("Our method improves accuracy on GSM8K from 56.2% to 71.0%.")
    assert (r.raw, r.metric, r.kind) == ("71.0%", "accuracy", "score")


def test_a_number_without_a_named_metric_keeps_no_metric() -> None:
    r = one("Our model reaches 74.4% on GSM8K.")
    assert (r.metric, r.kind) == (None, "score")


# --- deltas -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("sentence", "metric", "change", "value"), [
    ("It improves accuracy by 3.2% on GSM8K.", "accuracy", "improvement", 0.032),
    (r"It improves by up to 24.2\% on GSM8K.", None, "improvement", 0.242),
    ("We observe a 12% gain in F1 on SQuAD.", "f1", "gain", 0.12),
    ("The model reduces WER by 10% on LibriSpeech.", "wer", "reduction", 0.10),
    ("It is up to 7% better than GPT-4 on GSM8K.", None, "improvement", 0.07),
    ("On MMLU it is 4.1 points higher than the base model.", None, "increase", 4.1),
    ("It outperforms the baseline by 5.3 points on GSM8K.", None, "margin", 5.3),
    ("Fine-tuning yields +2.5% accuracy on ImageNet.", "accuracy", "increase", 0.025),
    ("It yields a 3.1 percentage point improvement on MMLU.", None, "improvement", 3.1),
    ("Decoding is 2.3x faster on GSM8K.", None, "speedup", 2.3),
    ("The student reaches 83% of GPT-4's performance on GSM8K.", None, "relative", 0.83),
    ("It improves BLEU by 1.8 on WMT 2014.", "bleu", "improvement", 1.8),
])
def test_a_change_is_a_delta_with_its_change_word(sentence: str, metric: str | None, change: str,
                                                  value: float) -> None:
    r = one(sentence)
    assert (r.kind, r.metric, r.change) == ("delta", metric, change)
    assert r.value == pytest.approx(value)


def test_the_change_word_is_never_the_metric() -> None:
    for r in results("It improves by up to 24.2% on GSM8K, a gain of 5% on MATH and an increase of 3% on SVAMP."):
        assert r.kind == "delta" and r.metric is None and r.change in ("improvement", "gain", "increase")


def test_a_list_after_a_delta_is_deltas() -> None:
    found = results("It improves accuracy by 5.1% on GSM8K and 3.2% on SVAMP.")
    assert [(r.kind, r.metric) for r in found] == [("delta", "accuracy"), ("delta", "accuracy")]


def test_a_score_and_a_delta_in_one_sentence() -> None:
    found = results("It reaches 81.5% accuracy on ImageNet, outperforming ViT by 2.1%.")
    assert [(r.raw, r.kind) for r in found] == [("81.5%", "score"), ("2.1%", "delta")]


# --- not results --------------------------------------------------------------------------------


@pytest.mark.parametrize("sentence", [
    "We train on 45% of C4 and evaluate on GSM8K.",
    "Using only 10% of the training data, it matches prior work on ImageNet.",
    "With only 1% of parameters tuned, it matches full fine-tuning on GLUE.",
    "We prune LLaMA to 50% sparsity and evaluate on MMLU.",
    "We keep 30% labeled data on CIFAR-10.",
    "Released in 2023, GSM8K has 8.5K problems.",
    "We evaluate on 3 benchmarks including GSM8K.",
    "Our 7B model is evaluated on GSM8K.",
    "We sample 2048 points per shape on ShapeNet.",
    "Training uses 8x A100 GPUs on ImageNet.",
    "Training is 3x faster and uses 40% less memory.",  # no dataset in the sentence
    "Each model is trained with 5 seeds on GSM8K.",
])
def test_fractions_years_sizes_and_counts_are_not_results(sentence: str) -> None:
    assert results(sentence) == []


def test_a_spread_and_a_baseline_are_not_results() -> None:
    assert [r.raw for r in results("It reaches 81.5% \u00b1 0.3% accuracy on ImageNet.")] == ["81.5%"]
    assert [r.raw for r in results("Accuracy on GSM8K rises from 56.2% to 71.0%.")] == ["71.0%"]


def test_less_of_a_resource_is_a_delta_not_a_setting() -> None:
    r = one("On GSM8K it uses 40% fewer tokens.")
    assert (r.kind, r.change) == ("delta", "reduction")


# --- evidence -----------------------------------------------------------------------------------


def test_evidence_is_kept() -> None:
    text = "We study math. It improves accuracy by 3.2% on GSM8K."
    (m,) = [m for m in run(text) if m.relation == "reportsResult"]
    assert text[m.start:m.end] == "3.2%" and m.surface == "3.2%"
    assert text[m.sentence_start:m.sentence_end].startswith("It improves accuracy")
    assert m.extractor == "results" and m.confidence == pytest.approx(0.6) and m.field == "abstract"
