"""Reading a task phrase out of the tokens: backwards from its head word over the modifiers before it,
or forwards from a verb or gerund over its object, and putting it in normal form.

These are the grammar of a task phrase, apart from where it stands and what it scores (see
:mod:`kg.extract.tasks.cues` and :mod:`kg.extract.tasks.ranking`): which words may modify a head
("video frame" before "interpolation", but not "models" or "LoRA"), when a head only modifies a longer
phrase ("training data"), when an object was cut short ("the quality of"), and the normal form
(lower-case, singular head, at most :data:`MAX_WORDS` compounds). The abstract's own loop
(:mod:`kg.extract.tasks.abstract`) inlines :func:`_phrase_back` for speed and shares its cache.
"""

from __future__ import annotations

from kg.extract.sentences import Doc
from kg.extract.tasks.vocab import _vocab
from kg.extract.tasks.words import (
    _ADJ_PREFIXES,
    _AND_OR,
    _CONTINUERS,
    _CUT_WORDS,
    _HYPHENS,
    _LEAD_GERUNDS,
    _NAME_LIKE,
    _NOMINAL,
    _NON_MOD,
    _OBJ_SKIP,
    _PROCESSES,
    _QUANTITIES,
    _SPELLINGS,
    _STOP,
    _VAGUE_GERUNDS,
    _VERBS,
    _WORD,
)

MAX_WORDS = 4
#: Bound of every per-process cache of the package (they hold strings that recur across papers).
_CACHE_MAX = 1 << 17
#: Surface of a compound -> (its lower-cased form, can it modify a task head): :func:`_modifier`'s answer
#: depends on nothing else, and the same compounds recur across papers.
_MOD_CACHE: dict[str, tuple[str, bool]] = {}


class _View:
    """What the phrase readers need of a :class:`Doc`, fetched once: token arrays and the text between
    consecutive tokens."""

    __slots__ = ("doc", "text", "lows", "starts", "ends", "gaps", "n")

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.text = text = doc.text
        self.lows = lows = doc.lows
        self.starts = starts = doc.starts
        self.ends = ends = doc.ends
        self.n = n = len(lows)
        gaps = getattr(doc, "gaps", None)
        if gaps is None or len(gaps) != max(n - 1, 0):
            gaps = tuple([text[ends[i]:starts[i + 1]] for i in range(n - 1)])
        self.gaps: tuple[str, ...] = gaps

    def sentence_start(self, k: int) -> int:
        """The first token of the sentence holding token ``k``."""
        doc = self.doc
        return doc.token_at(doc.sentence(self.starts[k])[0])


def _modifier(word: str, surface: str, mods: frozenset[str], heads: frozenset[str]) -> bool:
    """Can ``word`` (a lower-cased compound) stand before a task head?"""
    if word in _STOP or word in _VERBS or word in _LEAD_GERUNDS or word.isdigit() or len(word) < 2:
        return False
    if not surface.islower() and _NAME_LIKE.search(surface):
        return False  # a coined name (LoRA, MetaCLIP, LLM2LLM): not part of a task phrase
    if word in mods or word in heads or "-" in word:
        return True
    if word.endswith("ly") or word.endswith("ed") or word.endswith("ing"):
        return False  # adverbs, participles and gerunds not known as task modifiers
    if word.endswith("s") and not word.endswith(("ss", "ics", "sis", "us")) and not surface.isupper():
        return False  # plural nouns and verbs ("models", "improves") rarely modify a task head
    return True


def _is_mod(word: str, surface: str) -> bool:
    """:func:`_modifier` with the shipped vocabulary, remembered per surface."""
    got = _MOD_CACHE.get(surface)
    if got is not None and got[0] == word:
        return got[1]
    heads, mods, _, _ = _vocab()
    ok = _modifier(word, surface, mods, heads)
    if len(_MOD_CACHE) < _CACHE_MAX:
        _MOD_CACHE[surface] = (word, ok)
    return ok


def _phrase_back(v: _View, h: int) -> tuple[list[int], list[str]] | None:
    """The task phrase ending with the compound at token ``h``: (first token of each compound, lower-case
    compounds), or None when that compound is no activity ("high-resolution")."""
    lows, gaps = v.lows, v.gaps
    first = h
    while first > 0 and gaps[first - 1] in _HYPHENS:
        first -= 1
    if first < h:
        if lows[first] in _ADJ_PREFIXES:
            return None
        word = "-".join(lows[first:h + 1])
    else:
        word = lows[h]
    firsts = [first]
    words = [word]
    text, starts, ends = v.text, v.starts, v.ends
    cache = _MOD_CACHE
    while len(words) < 6 and first > 0 and gaps[first - 1] == " ":
        f = first - 1
        while f > 0 and gaps[f - 1] in _HYPHENS:
            f -= 1
        word = lows[f] if f == first - 1 else "-".join(lows[f:first])
        surface = text[starts[f]:ends[first - 1]]
        got = cache.get(surface)
        if not (got[1] if got is not None and got[0] == word else _is_mod(word, surface)):
            break
        words.append(word)
        firsts.append(f)
        first = f
    words.reverse()
    firsts.reverse()
    return firsts, words


def _phrase_forward(v: _View, k: int, limit: int = 4, names: bool = False) -> tuple[list[str], int]:
    """The noun phrase starting at token ``k`` (the object of a gerund), up to ``limit`` compounds, and its
    last token. Leading quantities are skipped ("thousands of", "many"); with ``names``, a coined name may
    modify the phrase's head ("Serving Concurrent LoRA Adapters")."""
    text, starts, ends, lows, gaps, n = v.text, v.starts, v.ends, v.lows, v.gaps, v.n
    if k + 1 < n and lows[k] in _QUANTITIES and gaps[k] == " ":
        k += 2 if lows[k + 1] == "of" else 1
    words: list[str] = []
    last = k - 1
    while k < n and len(words) < limit + 2:
        e = k
        while e + 1 < n and gaps[e] in _HYPHENS:
            e += 1
        word = "-".join(lows[k:e + 1])
        surface = text[starts[k]:ends[e]]
        if not _is_mod(word, surface) and word not in _VAGUE_GERUNDS and not (
                names and word not in _NON_MOD and _NAME_LIKE.search(surface)):
            if word.endswith("s") and word not in _STOP and word not in _VERBS and not word.endswith("ly"):
                words.append(word)  # a plural noun ends the phrase ("chaotic systems")
                last = e
            break
        words.append(word)
        last = e
        if e + 1 >= n or gaps[e] != " ":
            break
        k = e + 1
    return words, last


def _modifies(head: str, after: str, heads: frozenset[str]) -> bool:
    """Is a head word followed by ``after`` only a modifier of a longer noun phrase? Yes before another head
    (the phrase ends there: "Transfer Learning"), and for a training process before what it uses or takes
    ("training data", "search space", "long training episodes")."""
    return after in heads or head in _PROCESSES and after in _CONTINUERS


def _singular(word: str) -> str:
    if word.endswith(("sses", "xes", "ches", "shes", "iases")):
        return word[:-2]  # "processes", "biases"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        return word[:-1]
    return word


def _verbal(v: _View, k: int, verb: str) -> tuple[tuple[str, ...], int] | None:
    """"estimating the average treatment effect" -> ("average", "treatment", "effect", "estimation"), end offset."""
    obj, last = _object(v, k + 1, 3)
    if not obj or len(obj) > 3 or obj[-1] in _vocab()[0] or obj[-1] in _NOMINAL:
        return None
    return (*obj[:-1], _singular(obj[-1]), _NOMINAL[verb]), v.ends[last]


def _object(v: _View, k: int, limit: int = 4, names: bool = False, skip: bool = True) -> tuple[list[str], int]:
    """:func:`_phrase_forward` for the object of a verb or gerund, or nothing when what follows shows the
    phrase was cut short: "the quality of X" (the object is X), "2D/3D scenes", "3D Training Data",
    "step-by-step". Determiners and evaluative adjectives before it are skipped ("to select the most
    informative high-quality training data"); coordinated modifiers share the noun ("Short and Long Captions"
    -> "long captions")."""
    lows, gaps, n = v.lows, v.gaps, v.n
    start = k
    while skip and k < n and k < start + 3:
        e = k
        while e + 1 < n and gaps[e] in _HYPHENS:
            e += 1
        if (lows[k] if e == k else "-".join(lows[k:e + 1])) not in _OBJ_SKIP:
            break
        k = e + 1
    obj, last = _phrase_forward(v, k, limit, names)
    if len(obj) == 1 and last + 2 < n and gaps[last] == " " and lows[last + 1] in _AND_OR:
        obj, last = _phrase_forward(v, last + 2, limit, names)
    if not obj or not _CUT_WORDS.isdisjoint(obj[-1].split("-")):
        return [], last
    if last + 1 < n:
        gap, after = gaps[last], lows[last + 1]
        if gap in _HYPHENS or gap == "/" or after == "of" and len(obj) == 1 or gap == " " and not (
                after in _STOP or after in _VERBS or after.endswith(("ly", "ed"))):
            return [], last
    return obj, last


def _variants(words: tuple[str, ...]) -> tuple[str, ...]:
    """Other spellings of a phrase ("pre-training" / "pretraining"), kept as aliases of its node."""
    if _SPELLINGS.keys().isdisjoint(words):
        return ()
    return (" ".join(_SPELLINGS.get(w, w) for w in words),)


def _task_words(words: tuple[str, ...] | list[str]) -> frozenset[str]:
    return frozenset(w for word in words for w in _WORD.findall(word) if w not in _STOP)


def _normal(words: list[str] | tuple[str, ...], plural: dict[str, str]) -> tuple[str, ...]:
    """Singular head, at most :data:`MAX_WORDS` compounds (the last ones: the head and its nearest modifiers)."""
    last = words[-1]
    return (*words[-MAX_WORDS:-1], plural.get(last, last)) if len(words) > 1 else (plural.get(last, last),)

