"""The vocabulary learned from the shipped task list (``kg/data/names/tasks.jsonl``): which words head a
task phrase, which may modify one, and their plurals.

A task phrase is a noun phrase whose last word names an activity, so the heads are the last words of the
list's names (those ending two or more names), plus a few activity nouns the list lacks. Reading the
list costs a few milliseconds, so it is read once per process, on first use.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files

from kg.extract.tasks.words import _EXTRA_HEADS, _NOMINAL, _NOT_HEADS, _STOP, _VERBS, _WEAK_HEADS

#: Heads of many listed tasks ("classification", "retrieval"): a task on their own after a strong cue.
_CORE_HEADS: set[str] = set()  # filled by _vocab()


@lru_cache(maxsize=1)
def _vocab() -> tuple[frozenset[str], frozenset[str], dict[str, str], frozenset[str]]:
    """(head words, modifier words, plural -> singular head, words that start a candidate) from the shipped
    task list."""
    heads: dict[str, int] = {}
    mods: set[str] = set()
    text = files("kg.data.names").joinpath("tasks.jsonl").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        for name in (rec["name"], *rec.get("aliases", ())):
            words = re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", name.lower())
            if not words:
                continue
            heads[words[-1]] = heads.get(words[-1], 0) + 1
            mods.update(words[:-1])
    head_set = {h for h, n in heads.items() if n >= 2 and len(h) > 3 and not h.isdigit()} | _EXTRA_HEADS
    head_set -= _NOT_HEADS
    plural: dict[str, str] = {}
    for h in head_set:
        if h.endswith("sis"):
            plural[h[:-2] + "es"] = h
        elif not h.endswith("s"):
            plural[h + "s"] = h
    mods -= _STOP | _VERBS
    all_heads = frozenset(head_set | set(plural))
    _CORE_HEADS.update(h for h, n in heads.items() if n >= 20 and h not in _WEAK_HEADS and h not in _NOT_HEADS)
    return all_heads, frozenset(mods), plural, all_heads | frozenset(_NOMINAL)


@lru_cache(maxsize=1)
def _single_keys() -> dict[str, tuple[str]]:
    """Head word -> the candidate key of a phrase made of it alone (singular): one dict lookup per head."""
    heads, _, plural, _ = _vocab()
    return {h: (plural.get(h, h),) for h in heads}
