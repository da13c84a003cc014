"""Tasks a paper addresses (``addressesTask``), as short lower-case noun phrases.

A task phrase is a noun phrase whose head names an activity ("... frame interpolation", "... question
answering"). Head words come from the task name list (the last word of its entries) plus a few
activity nouns; modifiers are the words before the head up to a function word or punctuation.
Candidates are scored by where they occur and what surrounds them:

- the title (``"X for Video Frame Interpolation"``, ``"X: Automatic Data Curation"``) is the strongest signal;
- a stated purpose in the abstract ("we address the problem of X", "a framework designed for X",
  "datasets for X and Y", "tasks such as X, Y and Z", "the X task", "X benchmarks", "to improve X Y");
- repetition in the abstract (a shorter phrase collects the mentions of the longer ones ending in it; a
  phrase split by its acronym, "math word problem (MWP) solving", also collects "MWP solving");
- being a known task of the list.

Verbs and gerunds name a task once nominalised, object first: "Serving Thousands of LoRA Adapters" ->
"lora adapter serving", "a method to select high-quality training data" -> "training data selection",
"the problem of detecting X" -> "X detection". An object cut short ("the quality of", "3D Training Data")
names nothing. A head followed by another head, or a training process by what it uses ("training data",
"search space"), only modifies a longer phrase.

The best few (at most :data:`MAX_TASKS`) above a threshold are kept, near-duplicates (word overlap
>= 0.5) skipped. A phrase the list knows as a named method or model ("low-rank adaptation", LoRA) is no
task; one it knows as a method named in plain words ("instruction tuning") is the task of a paper about
it. Phrases are normalised: lower-case, evaluative adjectives dropped, head singular, at most four words.
Everything costly (vocabularies) is built once per process.

The package reads in the order the data flows:

- :mod:`~kg.extract.tasks.words`: the fixed word lists (stop words, verbs, cue words, weak heads);
- :mod:`~kg.extract.tasks.vocab`: heads and modifiers learned from the shipped task list;
- :mod:`~kg.extract.tasks.phrases`: reading one phrase out of the tokens, and its normal form;
- :mod:`~kg.extract.tasks.cues`: what the words around a phrase say about it;
- :mod:`~kg.extract.tasks.pool`: a paper's candidates while they are gathered;
- :mod:`~kg.extract.tasks.names`: the task list's names, coined names and acronym definitions;
- :mod:`~kg.extract.tasks.abstract` and :mod:`~kg.extract.tasks.title`: the candidates of each field;
- :mod:`~kg.extract.tasks.ranking`: every candidate scored, best first (:func:`candidates` shows them);
- :mod:`~kg.extract.tasks.choose`: the best few as mentions (:func:`extract_tasks`).

Speed (this runs on every abstract): trigger tokens are found in C (``compress`` over a set test); the
abstract's phrases are read by one inlined loop (:mod:`~kg.extract.tasks.abstract`) that looks only at
the tokens before each head, settles a one-compound phrase at once and keeps longer ones for the
repetition count; the cue is computed only when the word before could be one. Per-process caches
bounded by :data:`~kg.extract.tasks.phrases._CACHE_MAX` keep what recurs across papers: modifier
decisions per surface, list names as keys, lexicon lookups (per lexicon, while it learns nothing new).
"""

from __future__ import annotations

from kg.extract.tasks.choose import MAX_TASKS, NAME, THRESHOLD, extract_tasks
from kg.extract.tasks.phrases import MAX_WORDS
from kg.extract.tasks.ranking import candidates

__all__ = ["MAX_TASKS", "MAX_WORDS", "NAME", "THRESHOLD", "candidates", "extract_tasks"]
