"""Linking: surface forms -> canonical entities, via the shipped name lists plus corpus-learned acronyms.

One entity per real-world thing: every name and alias of a list entry is indexed by its token
sequence (and its compact form), so case, hyphen, spacing, plural and acronym/expansion variants
land on the same :class:`EntityRef`. Entity keys are compact (``gsm8k``, ``cifar10``) because the
lists themselves were merged on that rule. The base index is built once per process and cached; a
pickled :class:`Lexicon` carries only the learned acronym pairs, so sending it to workers is cheap.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

from kg.model import EntityRef

_TOKEN = re.compile(r"[^\W_]+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
KINDS = ("dataset", "model", "method", "task", "metric")
#: Short all-caps names that are also English words: only matched next to a cue word.
_COMMON = frozenset(
    "a an and or it us as at by in on no so to up we is be do go if of all any can may one two are for the not "
    "but has had was its our out new use man cat dog sun see set run mix key map top big end art box air ace "
    "aim ask bag bat bed bit bus car cut day eye far fit fly fun gap hat hit job law let log low net now "
    "old own pay per put red row sea sky son tea ten tip toy war way win yes yet".split()
)
#: Words next to a name that confirm its kind ("the X dataset", "X model").
CUES: dict[str, frozenset[str]] = {
    "dataset": frozenset("dataset datasets benchmark benchmarks corpus corpora suite split data".split()),
    "model": frozenset("model models checkpoint checkpoints llm llms backbone encoder decoder".split()),
    "method": frozenset("method methods algorithm algorithms optimizer optimiser technique loss".split()),
    "task": frozenset("task tasks problem".split()),
    "metric": frozenset("metric metrics score scores".split()),
}
#: The project's own list (all kinds, one ``type`` per record), read after the shared lists: names of the
#: LLM era that they lack (vLLM, FineWeb-Edu, GPTQ). An entry they already have is skipped.
CURATED = "curated.jsonl"
#: How many leading characters of joined keys :attr:`ScanTables.joined` keeps (more: fewer false leads).
JOINED_PREFIX = 8
_DATASET_HEADS = frozenset("dataset datasets benchmark benchmarks corpus corpora bench suite collection".split())
_GENERIC_HEADS = frozenset("model models network networks learning system systems language languages".split())


@lru_cache(maxsize=1 << 16)
def compact(text: str) -> str:
    """The identity key of a name: lower-case alphanumerics only (``GSM-8K`` -> ``gsm8k``).

    Cached: extraction asks for the keys of the same few thousand names over and over."""
    return _NON_ALNUM.sub("", text.lower().replace("&", "and").replace("+", "plus"))


@dataclass(frozen=True, slots=True)
class Entry:
    """One list entry (or learned acronym): kind, canonical name, flags that gate matching."""

    kind: str
    name: str
    key: str
    aliases: tuple[str, ...]
    ambiguous: bool = False
    generic: bool = False
    learned: bool = False
    pwc: bool = False  #: only Papers-with-Code-derived data names it (CC-BY-SA): weaker evidence of the kind

    def ref(self, suffix: str = "") -> EntityRef:
        if not suffix:
            return EntityRef(self.kind, self.key, self.name, self.aliases)  # type: ignore[arg-type]
        label = self.name + "-" + suffix
        return EntityRef(self.kind, f"{self.key}-{compact(suffix)}", label)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class Form:
    """An indexed spelling of an entry; ``exact`` forms must match case-sensitively."""

    entry: int
    cased: str  #: alphanumerics of the spelling, case kept
    exact: bool
    cue: bool  #: only next to a cue word of the entry's kind
    caps: bool  #: a spelling with 2+ capitals (BASE, QuALITY): the text must show 2+ capitals too


class Hit(NamedTuple):
    """A gazetteer match: token range, offsets and the entries it may name (a named tuple: the scan
    makes one per match, and a tuple is several times cheaper to build than a frozen dataclass)."""

    i: int
    j: int
    start: int
    end: int
    entries: tuple[int, ...]


class Start(NamedTuple):
    """What the gazetteer needs about a token that can start a name (see :meth:`_Index.starts`)."""

    top: int  #: tokens in the longest form it starts (its singular's, for a plural)
    nexts: frozenset[str]  #: tokens that can follow it in a multi-token form (or follow its singular)
    lower_ok: bool  #: a lower-case spelling can match it alone (it or its singular is in ``lower_ok``)


class ScanTables(NamedTuple):
    """What the gazetteer reads per token, precomputed so the common case costs one lookup in C.

    A token starts a match only if it is in :attr:`starts` and either a lower-case spelling may match
    it (:attr:`lower_case`), or it is written with a capital, or the next token continues a
    multi-token form (:attr:`nexts`); :func:`kg.extract.gazetteer.scan` uses these sets to skip,
    without a Python-level step, the common words that start names only in other company.
    """

    starts: dict[str, Start]
    lower_case: frozenset[str]  #: tokens of :attr:`starts` whose ``lower_ok`` is set
    nexts: dict[str, frozenset[str]]  #: tokens of :attr:`starts` with top > 1 -> their non-empty ``nexts``
    #: proper token prefixes of multi-token keys ("natural", "natural language"): a longer n-gram is
    #: looked up only while its prefix so far is one of these
    prefixes: frozenset[str]
    #: tokens that are a whole single-token key (or its plural); those of them that may match in
    #: lower case (the others only when written with a capital or digit first)
    alone: frozenset[str]
    alone_lower: frozenset[str]
    #: the first 2 to :data:`JOINED_PREFIX` characters of every key without spaces: two tokens joined by
    #: a tight separator (GSM-8K) can start a match only if their concatenation's head is one of these
    joined: frozenset[str]
    #: every (token, next token) pair that begins a multi-token form: intersected with a field's
    #: consecutive token pairs, it gives the few places a longer name can start
    pairs: frozenset[tuple[str, str]]
    #: keys none of whose forms needs a cue word or is a generic entry: whether the scan accepts them
    #: depends on the spelling alone, so its verdict is memoised in :attr:`accepted`
    plain: frozenset[str]
    #: (key, spelling as written) -> the entries the scan accepted, for keys in :attr:`plain`; filled
    #: while scanning (the same names recur in paper after paper), emptied when the tables are rebuilt
    accepted: dict[tuple[str, str], tuple[int, ...]]


@dataclass(slots=True)
class _Index:
    entries: list[Entry] = field(default_factory=list)
    forms: dict[str, list[Form]] = field(default_factory=dict)
    first: dict[str, int] = field(default_factory=dict)  #: first token -> longest form (tokens)
    by_key: dict[tuple[str, str], int] = field(default_factory=dict)
    pairs: set[str] = field(default_factory=set)  #: "t1 t2" prefixes of multi-token forms (a fast filter)
    lower_ok: set[str] = field(default_factory=set)  #: single-token keys that a lower-case word can match
    _tables: ScanTables | None = None  #: see :meth:`tables`; rebuilt after any change

    def starts(self) -> dict[str, Start]:
        """Every token that can start a match (a plural "s" allowed): see :class:`ScanTables`."""
        return self.tables().starts

    def tables(self) -> ScanTables:
        """The gazetteer's lookup tables, derived from :attr:`first`, :attr:`pairs` and :attr:`lower_ok`
        on first use after the index changes (so learned acronyms are included)."""
        if self._tables is None:
            nexts: dict[str, set[str]] = {}
            for pair in self.pairs:
                head, tail = pair.split(" ", 1)
                nexts.setdefault(head, set()).add(tail)
            tops = dict(self.first)
            for token, top in self.first.items():
                if len(token) >= 3:
                    tops.setdefault(token + "s", top)  # "datasets" starts what "dataset" starts
            empty: frozenset[str] = frozenset()
            starts = {
                token: Start(top, frozenset(nexts.get(token, empty) | nexts.get(token[:-1], empty)),
                             token in self.lower_ok or token[:-1] in self.lower_ok)
                for token, top in tops.items()}
            prefixes = {key.rsplit(" ", n)[0] for key in self.forms if " " in key for n in range(1, key.count(" ") + 1)}
            joined = [key for key in self.forms if " " not in key]
            alone = set(joined) | {key + "s" for key in joined if len(key) >= 3}
            heads = {t: s.nexts for t, s in starts.items() if s.top > 1 and s.nexts}
            self._tables = ScanTables(
                starts,
                frozenset(t for t, s in starts.items() if s.lower_ok),
                heads,
                frozenset(prefixes),
                frozenset(alone),
                frozenset(t for t in alone if starts[t].lower_ok),
                frozenset(key[:m] for key in joined for m in range(2, min(JOINED_PREFIX, len(key)) + 1)),
                frozenset((head, nxt) for head, follow in heads.items() for nxt in follow),
                frozenset(key for key, forms in self.forms.items()
                          if not any(f.cue or self.entries[f.entry].generic for f in forms)),
                {})
        return self._tables

    def add_form(self, eid: int, text: str, force_exact: bool = False) -> None:
        self._tables = None
        entry = self.entries[eid]
        toks = _TOKEN.findall(text)
        if not toks:
            return
        cased = "".join(toks)
        short = len(cased) <= 3
        single_word = len(toks) == 1 and cased.isalpha()
        exact = force_exact or short or (entry.ambiguous and not entry.generic)
        cue = entry.ambiguous and single_word and (cased.lower() in _COMMON or cased.islower())
        caps = sum(c.isupper() for c in cased) >= 2
        form = Form(eid, cased, exact, cue, caps)
        lows = [t.lower() for t in toks]
        for key in {" ".join(lows), "".join(lows)}:
            bucket = self.forms.setdefault(key, [])
            if all(f.entry != eid or f.cased != cased for f in bucket):
                bucket.append(form)
            if " " not in key and not (exact and not cased.islower()) and not caps:
                self.lower_ok.add(key)
            parts = key.split(" ", 2)
            self.first[parts[0]] = max(self.first.get(parts[0], 0), len(lows) if " " in key else 1)
            if len(parts) > 1:
                self.pairs.add(parts[0] + " " + parts[1])

    def add_entry(self, entry: Entry) -> int:
        eid = len(self.entries)
        self.entries.append(entry)
        self.by_key[(entry.kind, entry.key)] = eid
        self.add_form(eid, entry.name)
        for alias in entry.aliases:
            if entry.kind == "model" and compact(alias).startswith(entry.key) and compact(alias) != entry.key:
                continue  # a size variant (BERT-Large): matched as family + suffix, its own node
            self.add_form(eid, alias)
        return eid


@lru_cache(maxsize=2)
def _base_index(package: str = "kg.data.names") -> _Index:
    index = _Index()
    root = files(package)
    for file_kind, file in [(kind, f"{kind}s.jsonl") for kind in KINDS] + [(None, CURATED)]:
        text = root.joinpath(file).read_text(encoding="utf-8")
        for line in text.splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            kind = file_kind or rec["type"]  # the curated file mixes kinds, one per record
            key = compact(rec["name"])
            if not key or (kind, key) in index.by_key:
                continue
            index.add_entry(Entry(kind, rec["name"], key, tuple(rec.get("aliases", ())),
                                  bool(rec.get("ambiguous")), bool(rec.get("generic")) or _plain_method(kind, rec),
                                  pwc=rec.get("license") == "CC-BY-SA-4.0"))
    return index


def _plain_method(kind: str, rec: dict[str, object]) -> bool:
    """A method named by one ordinary word (Verifier, Convolution, Pruning) is a common noun in running
    text ("a verifier scores each step"): treat it as generic, so it counts only written as a name
    (mid-sentence capital) or next to a cue word, the way the annotation guide keeps unnamed techniques out."""
    name = str(rec["name"])
    return kind == "method" and name.isalpha() and name[1:].islower() and not rec.get("aliases")


def _singular(acronym: str) -> str:
    """LLMs -> LLM: a plural acronym is defined by the same expansion."""
    return acronym[:-1] if len(acronym) > 2 and acronym[-1] == "s" and acronym[-2].isupper() else acronym


def _data_words(expansion: str) -> bool:
    return any(w.lower() in _DATASET_HEADS or w.lower() in ("data", "set") for w in expansion.split())


def _distinctive(acronym: str) -> bool:
    """CodeACT, LLM2LLM, PASTA: a coined-looking short form, not a 2-4 letter concept acronym (HPC, WS)."""
    letters = [c for c in acronym if c.isalpha()]
    return len(letters) >= 3 and (any(c.islower() for c in letters) or any(c.isdigit() for c in acronym)
                                  or len(letters) >= 5)


def _learnable(acronym: str, expansion: str) -> bool:
    """Only name-like definitions become entities: "Context Relevant ... (CREST)", not "large language
    models (LLMs)"."""
    words = expansion.split()
    if not any(c.isupper() for c in acronym) or len(compact(acronym)) < 2 or len(words) < 2:
        return False
    content = [w for w in words if len(w) > 3]
    capital = sum(w[0].isupper() for w in content)
    return capital * 2 >= len(content) and words[-1].lower().rstrip("s") + "s" not in {"models", "networks"}


class Lexicon:
    """Name lists + learned acronyms, with a fast token-sequence gazetteer (:meth:`scan`)."""

    def __init__(self, index: _Index, learned: tuple[tuple[str, str], ...] = ()) -> None:
        self._index = index
        self._learned = learned

    @classmethod
    def default(cls) -> Lexicon:
        """The shipped name lists (parsed once per process, then shared)."""
        return cls(_base_index())

    def __reduce__(self) -> tuple[object, tuple[tuple[tuple[str, str], ...]]]:
        return (_rebuild, (self._learned,))

    @property
    def learned_pairs(self) -> tuple[tuple[str, str], ...]:
        return self._learned

    def learn(self, definitions: Iterable[tuple[str, str]]) -> None:
        """Add corpus-defined acronyms: an acronym defined in one abstract is then known everywhere.

        An acronym defined with different expansions, or defined by very many papers, is a
        generic term (LLM, NLP) and is skipped unless a list entry already knows it.
        """
        given = [(_singular(a), e) for a, e in definitions]
        pairs = sorted(set(given))
        expansions: dict[str, set[str]] = {}
        counts: Counter[str] = Counter(acronym for acronym, _ in given)
        for acronym, expansion in pairs:
            expansions.setdefault(acronym, set()).add(compact(expansion))
        base = self._index
        index = _Index(list(base.entries), {k: list(v) for k, v in base.forms.items()}, dict(base.first),
                       dict(base.by_key), set(base.pairs), set(base.lower_ok))
        kept: list[tuple[str, str]] = []
        for acronym, expansion in pairs:
            if self._contest(index, acronym, expansion):
                kept.append((acronym, expansion))
                continue
            eid = self._find(index, acronym, expansion)
            if eid is not None:
                index.add_form(eid, acronym, force_exact=True)
                index.add_form(eid, expansion)
            elif len(expansions[acronym]) == 1 and counts[acronym] < 3 and _learnable(acronym, expansion) \
                    and _distinctive(acronym):
                head = expansion.split()[-1].lower()
                kind = "dataset" if head in _DATASET_HEADS else "method"
                if (kind, compact(acronym)) in index.by_key:
                    continue
                eid = len(index.entries)
                index.entries.append(Entry(kind, acronym, compact(acronym), (expansion,), learned=True))
                index.by_key[(kind, compact(acronym))] = eid
                index.add_form(eid, acronym, force_exact=True)  # the acronym only: expansions are phrases
            else:
                continue
            kept.append((acronym, expansion))
        self._index = index
        self._learned = tuple(sorted(set(self._learned) | set(kept)))

    @staticmethod
    def _contest(index: _Index, acronym: str, expansion: str) -> bool:
        """An acronym some paper defines as a plain phrase ("weak supervision (WS)") while a list entry
        uses it for something else: that entry's acronym form then needs a cue word."""
        key = compact(acronym)
        forms = index.forms.get(key)
        if not forms or _learnable(acronym, expansion) or len(key) > 5:
            return False
        exp_key = compact(expansion)
        entries = {f.entry for f in forms}
        known = [compact(a) for e in entries for a in (index.entries[e].name, *index.entries[e].aliases)]
        other = [f.entry for f in index.forms.get(exp_key, ()) if f.entry not in entries]
        datasets = any(index.entries[e].kind == "dataset" for e in entries)
        if exp_key in known or not (other or len(known) > len(entries) or (datasets and not _data_words(expansion))):
            return False  # consistent, or nothing says the list means something else
        cased = "".join(_TOKEN.findall(acronym))
        index._tables = None
        index.forms[key] = [Form(f.entry, f.cased, f.exact, True, f.caps) if f.cased == cased else f for f in forms]
        return True

    @staticmethod
    def _find(index: _Index, acronym: str, expansion: str) -> int | None:
        """The entry that either side names, if the other side names no different entry."""
        found = []
        for text in (expansion, acronym):
            hits = [f.entry for f in index.forms.get(compact(text), ()) if index.entries[f.entry].kind != "metric"]
            found.append(min(hits) if hits else None)
        if found[0] is not None and found[1] is not None and found[0] != found[1]:
            return None
        return found[0] if found[0] is not None else found[1]

    def entry(self, eid: int) -> Entry:
        return self._index.entries[eid]

    def lookup(self, name: str, kind: str | None = None) -> Entry | None:
        """The entry a whole name denotes (any spelling), preferring ``kind``."""
        toks = _TOKEN.findall(name)
        found = self._index.forms.get(" ".join(t.lower() for t in toks)) or self._index.forms.get(
            "".join(toks).lower(), [])
        cands = [f for f in found if not f.exact or f.cased == "".join(toks)]
        cands.sort(key=lambda f: (kind is not None and self._index.entries[f.entry].kind != kind, f.entry))
        return self._index.entries[cands[0].entry] if cands else None

    def scan(self, text: str, starts: tuple[int, ...], ends: tuple[int, ...], lows: tuple[str, ...],
             title: bool = False, gaps: tuple[str, ...] | None = None) -> list[Hit]:
        """Longest-first gazetteer matches over a tokenised text (see :class:`kg.extract.sentences.Doc`);
        ``title`` says capitals carry no signal (title case); ``gaps`` (text between tokens) saves
        recomputing it when the caller has it."""
        from kg.extract.gazetteer import scan

        return scan(self._index, text, starts, ends, lows, title, gaps)


def _rebuild(learned: tuple[tuple[str, str], ...]) -> Lexicon:
    lexicon = Lexicon.default()
    if learned:
        lexicon.learn(learned)
    return lexicon


__all__ = ["CUES", "Entry", "Form", "Hit", "Lexicon", "compact"]
