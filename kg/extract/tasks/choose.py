"""Choosing a paper's tasks from its ranked candidates, and making them mentions.

The best few (at most :data:`MAX_TASKS`) above :data:`THRESHOLD` are kept, near-duplicates (word overlap
>= 0.5) skipped. A phrase the list knows as a named method or model ("low-rank adaptation", LoRA) is no
task; one it knows as a method named in plain words ("instruction tuning") is the task of a paper about
it, and a listed task keeps the list's node.
"""

from __future__ import annotations

from kg.extract.context import Context, make
from kg.extract.tasks.names import _compact, _lookup
from kg.extract.tasks.phrases import _CACHE_MAX, _task_words, _variants
from kg.extract.tasks.ranking import _ranked
from kg.model import EntityRef, Mention

NAME = "tasks"
MAX_TASKS = 3
#: Minimum score for a candidate to be kept (a title phrase alone passes; one passing mention does not).
THRESHOLD = 2.5
#: Phrase -> its words cut to six letters, for the near-duplicate test.
_WORD_KEYS: dict[tuple[str, ...], frozenset[str]] = {}


def extract_tasks(ctx: Context) -> list[Mention]:
    """Up to :data:`MAX_TASKS` tasks, best-scored first (see :mod:`kg.extract.tasks`)."""
    out: list[Mention] = []
    chosen: list[frozenset[str]] = []
    for neg, _, phrase, (_, doc, start, end, _, entry, _) in _ranked(ctx, THRESHOLD):
        if len(out) >= MAX_TASKS:
            break
        words = _WORD_KEYS.get(phrase)
        if words is None:
            words = frozenset(w[:6] for w in _task_words(phrase))  # "physical" ~ "physics"
            if len(_WORD_KEYS) < _CACHE_MAX:
                _WORD_KEYS[phrase] = words
        if not words or chosen and any(len(words & c) * 2 > len(words | c) or words <= c or c <= words
                                       for c in chosen):
            continue
        chosen.append(words)
        label = " ".join(phrase)
        entry = entry or _lookup(ctx.lexicon, label, "task")
        ref = EntityRef("task", _compact(label), label, _variants(phrase))
        if entry is not None:
            key = _compact(label)
            if _compact(entry.name) == key and entry.kind == "task":
                ref = entry.ref()
            elif entry.kind != "task" and (_compact(entry.name) == key or any(
                    _compact(alias) == key for alias in entry.aliases)):
                if not (entry.generic and entry.kind == "method"):
                    continue  # a named method or model ("low-rank adaptation" is LoRA), not a task
                # but a method named in plain words is what a paper about it addresses ("Instruction Tuning")
                ref = EntityRef("task", entry.key, entry.name, entry.aliases)
        out.append(make(doc, "addressesTask", start, end, NAME, min(0.9, 0.3 - neg / 15), ref))
    return out
