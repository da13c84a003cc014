from __future__ import annotations

import pytest

from tests._extract_helpers import run


def test_percent_tied_to_dataset_and_metric() -> None:
    ms = [m for m in run("Our method reaches 81.5% accuracy on ImageNet.") if m.relation == "reportsResult"]
    assert len(ms) == 1 and ms[0].result is not None
    r = ms[0].result
    assert r.value == pytest.approx(0.815) and r.unit == "%" and r.raw == "81.5%"
    assert r.dataset is not None and r.dataset.key == "imagenet"
    assert r.metric is not None and "accuracy" in r.metric


def test_latex_escaped_percent() -> None:
    ms = [m for m in run(r"It improves by up to 24.2\% on GSM8K.") if m.relation == "reportsResult"]
    assert ms and ms[0].result is not None and ms[0].result.value == pytest.approx(0.242)
    assert ms[0].result.metric == "improvement"


def test_number_without_dataset_is_not_a_result() -> None:
    assert not [m for m in run("Training is 3x faster and uses 40% less memory.") if m.relation == "reportsResult"]
