"""Deterministic synthetic corpus: ML paper records shaped like the real ones, at any size.

``python -m bench.corpus --papers 100000 --out /tmp/corpus`` writes JSON Lines shards (or, with
``--format hf-daily``, Hugging Face daily-papers text pages). The same ``--seed`` and ``--papers``
always give byte-identical files, however many shards are asked for: paper ``i`` is drawn from its
own ``random.Random(seed, i)``, so records are generated one at a time and never held in memory.

What an abstract contains, with the frequencies of the bundled hf-daily sample:

- ~1,450 characters, 8-11 sentences: context, problem, proposal, method, experiments, results;
- dataset, method, model, task and metric names drawn from ``kg/data/names/*.jsonl`` with Zipf-like
  frequencies (a curated head of famous names first: GSM8K, ImageNet, LoRA, GPT-4 ...);
- a name the paper introduces, usually with an acronym definition ("Knowledge Aware Routing (KaRo)")
  that other extraction passes learn; some introduce a benchmark instead of a method;
- results such as "improves accuracy by 3.2% on GSM8K" (~70% of papers);
- a GitHub URL in ~15% of abstracts, a project page in a few more.

Every title carries the paper's coined name, a bijection of its index, so titles are distinct.
"""

from __future__ import annotations

import argparse
import bisect
import itertools
import json
import random
import sys
from collections.abc import Iterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

KINDS = ("dataset", "method", "model", "task", "metric")

#: Famous names put at the top of each Zipf ranking (those missing from the lists are skipped).
HEAD = {
    "dataset": ["GSM8K", "ImageNet", "MMLU", "COCO", "HumanEval", "SQuAD", "CIFAR-10", "MATH", "GLUE",
                "LibriSpeech", "Kinetics-400", "ADE20K", "MS MARCO", "WikiText-103", "HellaSwag", "MBPP",
                "TruthfulQA", "ARC", "Natural Questions", "Cityscapes", "nuScenes", "BIG-bench", "VQA v2",
                "ScanNet", "CIFAR-100"],
    "method": ["LoRA", "Transformer", "Adam", "Dropout", "Batch Normalization", "Chain-of-Thought",
               "Direct Preference Optimization", "PPO", "Contrastive Learning", "Knowledge Distillation",
               "Mixture of Experts", "Retrieval-Augmented Generation", "RLHF", "Diffusion", "Self-Attention",
               "Layer Normalization", "AdamW", "Beam Search", "Prompt Tuning", "In-Context Learning"],
    "model": ["GPT-4", "LLaMA", "BERT", "CLIP", "Llama 2", "Mistral 7B", "T5", "ViT", "ResNet-50",
              "Stable Diffusion", "GPT-3.5", "Qwen", "Gemini", "Whisper", "RoBERTa", "SAM", "GPT-2", "Mixtral",
              "Vicuna", "BLIP-2"],
    "task": ["Question Answering", "Image Classification", "Machine Translation", "Object Detection",
             "Semantic Segmentation", "Text Generation", "Code Generation", "Mathematical Reasoning",
             "Text Summarization", "Language Modelling", "Speech Recognition", "Image Generation",
             "Visual Question Answering", "Named Entity Recognition", "Sentiment Analysis"],
    "metric": ["accuracy", "F1", "BLEU", "ROUGE-L", "mAP", "perplexity", "exact match", "pass@1", "FID",
               "mIoU", "top-1 accuracy", "WER", "AUC", "win rate", "CIDEr"],
}
#: Zipf exponent: a few names are everywhere, most appear a handful of times.
ZIPF_S = 1.1

_CONSONANTS = "BCDFGHKLMNPRSTVZ"
_VOWELS = "aeiou"
#: Capitalised words for acronym expansions, indexed by (first letter, a vowel they contain).
_WORDS = (
    "Balanced Bayesian Bidirectional Boosted Bootstrapped Budgeted Calibrated Causal Compositional Conditional "
    "Contextual Continual Contrastive Curriculum Decoupled Dense Diffusion Discrete Distilled Dynamic Factorized "
    "Federated Fine Flexible Forward Fused Gated Generalized Generative Geometric Global Gradient Graph Grounded "
    "Guided Hierarchical Hybrid Hyper Kernel Keyframe Knowledge Kinetic Latent Layered Learned Lightweight "
    "Linear Local Logical Long Masked Memory Meta Modular Momentum Multi Multimodal Neural Noise Normalized "
    "Novel Numeric Parallel Partial Perceptual Pixel Policy Pooled Preference Progressive Prompt Pruned "
    "Reasoning Recurrent Refined Regularized Relational Residual Retrieval Robust Routing Sampled Scalable "
    "Selective Semantic Sequential Sparse Spectral Stochastic Structured Synthetic Task Temporal Token "
    "Topological Tuned Unified Value Variational Vector Verified Visual Zero Zoned Zonal Zipped"
).split()
_FIRST = "Wei Yu Ming Jia Anna Maria David Daniel Sarah Lukas Ahmed Priya Rahul Elena Hiroshi Yuki Omar Sofia Chen " \
         "Li Kevin Julia Ivan Fatima Carlos Amir Noah Emma Jonas Mei".split()
_LAST = "Zhang Wang Li Liu Chen Smith Kumar Müller Garcia Rossi Tanaka Kim Nguyen Ivanov Silva Cohen Park Singh " \
        "Yang Huang Zhao Wu Brown Lopez Sato Novak Haddad Costa Jensen Moreau".split()
_ADJ = "Efficient Scalable Robust Faithful Adaptive Unified Simple Controllable Interpretable Data-Efficient " \
       "Training-Free Multilingual Long-Context Parameter-Efficient Self-Supervised".split()
_CHALLENGES = [
    "long-range dependencies", "distribution shift", "noisy supervision", "the cost of human annotation",
    "hallucinated outputs", "quadratic attention cost", "catastrophic forgetting", "reward hacking",
    "limited context windows", "spurious correlations", "the lack of high-quality training data",
]
_FIELDS = ["natural language processing", "computer vision", "speech processing", "robotics",
           "reinforcement learning", "multimodal learning", "information retrieval"]
_FILLER = [
    "We further analyse the failure modes of existing approaches and show where they break down.",
    "Ablation studies confirm that each component contributes to the final performance.",
    "Our analysis reveals that the gains are largest on the hardest examples.",
    "The approach adds negligible inference cost and requires no additional labelled data.",
    "We also release a detailed study of the trade-off between quality and compute.",
    "Extensive experiments demonstrate consistent improvements across model scales.",
    "These findings suggest a simple recipe that practitioners can adopt with minimal effort.",
    "Qualitative examples illustrate that the outputs are more faithful and better grounded.",
    "We discuss limitations and outline directions for future work.",
    "Human evaluation shows that annotators prefer our outputs in most comparisons.",
    "The method is robust to the choice of hyperparameters and converges in fewer steps.",
    "We provide a theoretical analysis that explains when and why the approach helps.",
    "Compared with previous pipelines, our design is simpler and easier to reproduce.",
    "We observe that performance keeps improving as more training data becomes available.",
    "Beyond accuracy, the method reduces memory use during both training and inference.",
    "Our results highlight the importance of careful evaluation protocols in this area.",
]


class _Zipf:
    """Draw items with probability proportional to 1 / rank ** s."""

    def __init__(self, items: list[str], s: float = ZIPF_S) -> None:
        self.items = items
        self.cum = list(itertools.accumulate(1.0 / (rank ** s) for rank in range(1, len(items) + 1)))

    def draw(self, rng: random.Random) -> str:
        return self.items[bisect.bisect(self.cum, rng.random() * self.cum[-1])]

    def draw_distinct(self, rng: random.Random, k: int) -> list[str]:
        out: list[str] = []
        for _ in range(k * 4):
            item = self.draw(rng)
            if item not in out:
                out.append(item)
                if len(out) == k:
                    break
        return out


@lru_cache(maxsize=4)
def _vocabulary(seed: int) -> dict[str, _Zipf]:
    """Per kind: the curated head, then every other non-generic list name in a seeded shuffle."""
    root = files("kg.data.names")
    out: dict[str, _Zipf] = {}
    for kind in KINDS:
        names: list[str] = []
        for line in root.joinpath(f"{kind}s.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                rec = json.loads(line)
                if not rec.get("generic") and 2 <= len(rec["name"]) <= 60:
                    names.append(rec["name"])
        known = set(names)
        head = [n for n in HEAD[kind] if n in known]
        rest = sorted(known - set(head))
        random.Random(f"{seed}-{kind}").shuffle(rest)  # noqa: S311 - synthetic data
        out[kind] = _Zipf(head + rest)
    return out


@lru_cache(maxsize=1)
def _syllables() -> list[tuple[str, str, list[str]]]:
    """64 syllables (consonant + vowel) with the expansion words that can stand for each."""
    out = []
    for c in _CONSONANTS:
        for v in _VOWELS:
            words = [w for w in _WORDS if w[0] == c and v in w[1:]]
            if words:
                out.append((c, v, words))
    if len(out) < 64:
        raise RuntimeError(f"only {len(out)} syllables; add expansion words")
    return out[:64]


def coined_name(index: int, seed: int = 0) -> tuple[str, list[str]]:
    """Paper ``index``'s coined name (``KaVoRiTe``) and the syllables' expansion-word choices.

    A bijection of ``index`` below 2**24 (odd multiplier modulo 2**24), so names never collide.
    """
    code = (index * 0x9E3779 + 0x3C6EF3 + seed * 0x5BD1E9) & 0xFFFFFF
    syl = _syllables()
    parts = [syl[(code >> shift) & 63] for shift in (18, 12, 6, 0)]
    return "".join(c + v for c, v, _ in parts), [words for _, _, words in parts]


def paper(index: int, seed: int = 0) -> dict[str, object]:
    """One synthetic paper record (a JSON object the generic JSONL reader accepts)."""
    rng = random.Random(seed * 1_000_003 + index)  # noqa: S311 - synthetic data
    voc = _vocabulary(seed)
    name, choices = coined_name(index, seed)
    expansion = " ".join(rng.choice(words) for words in choices)
    task = voc["task"].draw(rng)
    datasets = voc["dataset"].draw_distinct(rng, rng.choice((1, 1, 2, 2, 3)))
    methods = voc["method"].draw_distinct(rng, rng.choice((1, 1, 2, 2, 3)))
    models = voc["model"].draw_distinct(rng, rng.choice((0, 0, 1, 1, 2)))
    metric = voc["metric"].draw(rng)
    benchmark = rng.random() < 0.12
    defines = rng.random() < 0.6
    adj = rng.choice(_ADJ)

    if benchmark:
        name = name + "Bench"
        title = f"{name}: A Benchmark for {adj} {task}"
        intro = (f"We introduce {expansion} Benchmark ({name}), a new benchmark of {rng.randint(2, 90)}k examples "
                 f"for {task.lower()}." if defines else
                 f"We introduce {name}, a new benchmark for {task.lower()} with {rng.randint(2, 90)}k examples.")
    else:
        title = rng.choice((f"{name}: {adj} {task} with {methods[0]}", f"{name}: Towards {adj} {task}",
                            f"{adj} {task} via {name}", f"{name}: {adj} {methods[0]} for {task}"))
        intro = (f"We propose {expansion} ({name}), a {adj.lower()} approach to {task.lower()} that builds on "
                 f"{_join(methods)}." if defines else
                 f"In this paper, we present {name}, a {adj.lower()} framework for {task.lower()} based on "
                 f"{_join(methods)}.")

    sentences = [
        rng.choice((f"{task} is a central problem in {rng.choice(_FIELDS)}.",
                    f"Large language models (LLMs) have made rapid progress on {task.lower()}.",
                    f"Recent approaches to {task.lower()} rely on {_join(methods[:2])}.")),
        f"However, existing methods struggle with {rng.choice(_CHALLENGES)} and scale poorly.",
        intro,
    ]
    if models:
        sentences.append(f"We apply it to {_join(models)} and compare against strong baselines.")
    filler = rng.sample(_FILLER, len(_FILLER))
    sentences.append(filler.pop())
    sentences.append(f"Experiments on {_join(datasets)} show that {name} outperforms prior work.")
    if rng.random() < 0.7:
        dataset = rng.choice(datasets)
        value = f"{rng.uniform(0.5, 15):.1f}"
        sentences.append(rng.choice((
            f"{name} improves {metric} by {value}% on {dataset}.",
            f"On {dataset}, {name} reaches {rng.uniform(40, 99):.1f}% {metric}, a gain of {value} points.",
            f"It achieves a {rng.uniform(1.1, 4):.1f}x speed-up on {dataset} with no loss in {metric}.",
        )))
    sentences.extend((filler.pop(), filler.pop()))
    if rng.random() < 0.15:
        sentences.append(f"Code is available at https://github.com/{rng.choice(_LAST).lower()}-lab/{name.lower()}.")
    elif rng.random() < 0.05:
        sentences.append(f"Project page: https://{name.lower()}.github.io/.")
    abstract = " ".join(sentences)
    while len(abstract) < 1300 and filler:  # real abstracts are ~1,450 characters
        abstract += " " + filler.pop()

    month = index // 20000
    record: dict[str, object] = {
        "title": title,
        "abstract": abstract,
        "authors": [f"{rng.choice(_FIRST)} {rng.choice(_LAST)}" for _ in range(rng.randint(2, 8))],
        "date": f"{2020 + month // 12:04d}-{month % 12 + 1:02d}-{index % 28 + 1:02d}",
    }
    if rng.random() < 0.9:
        record["id"] = f"{20 + month // 12:02d}{month % 12 + 1:02d}.{index % 20000 + 10000:05d}"
    return record


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def papers(n: int, seed: int = 0, start: int = 0) -> Iterator[dict[str, object]]:
    """Papers ``start`` .. ``n - 1``, generated one at a time."""
    for index in range(start, n):
        yield paper(index, seed)


def write_jsonl(out: Path, n: int, seed: int = 0, shards: int = 1) -> list[Path]:
    """``shards`` JSON Lines files of consecutive papers (streamed: memory does not grow with ``n``)."""
    out.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    bounds = [n * k // shards for k in range(shards + 1)]
    for k in range(shards):
        path = out / f"papers-{k:04d}.jsonl"
        with open(path, "w", encoding="utf-8") as sink:
            for index in range(bounds[k], bounds[k + 1]):
                sink.write(json.dumps(paper(index, seed), ensure_ascii=False) + "\n")
        paths.append(path)
    return paths


def write_hf_daily(out: Path, n: int, seed: int = 0, per_page: int = 50) -> list[Path]:
    """Hugging Face daily-papers text pages (header, a date line, then title / abstract paragraphs)."""
    out.mkdir(parents=True, exist_ok=True)
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    paths: list[Path] = []
    for page, start in enumerate(range(0, n, per_page)):
        path = out / f"{page:05d}_synthetic.txt"
        with open(path, "w", encoding="utf-8") as sink:
            sink.write("new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\n"
                       f"byAK and the research community\n\n{months[page % 12]} {page % 28 + 1}\n\n")
            for index in range(start, min(n, start + per_page)):
                rec = paper(index, seed)
                sink.write(f"{rec['title']}\n\n{rec['abstract']}\n\n")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--format", choices=("jsonl", "hf-daily"), default="jsonl")
    parser.add_argument("--shards", type=int, default=1, help="JSONL files to spread the papers over.")
    args = parser.parse_args(argv)
    if args.format == "jsonl":
        paths = write_jsonl(args.out, args.papers, args.seed, args.shards)
    else:
        paths = write_hf_daily(args.out, args.papers, args.seed)
    print(f"{args.papers} papers -> {len(paths)} file(s) in {args.out}", file=sys.stderr)  # noqa: T201


if __name__ == "__main__":
    main()
