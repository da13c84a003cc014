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

Speed (this runs on every abstract): trigger tokens are found in C (``compress`` over a set test); the
abstract's phrases are read by one inlined loop that looks only at the tokens before each head, settles
a one-compound phrase at once and keeps longer ones for the repetition count; the cue is computed only
when the word before could be one. Per-process caches bounded by :data:`_CACHE_MAX` keep what recurs
across papers: modifier decisions per surface, list names as keys, lexicon lookups (per lexicon, while it
learns nothing new).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from functools import lru_cache
from importlib.resources import files
from itertools import compress
from typing import Any

from kg.extract.acronyms import Definition
from kg.extract.context import Context, make
from kg.extract.sentences import Doc
from kg.link import Entry, Hit, Lexicon, compact
from kg.model import EntityRef, Mention

NAME = "tasks"
MAX_TASKS = 3
#: Minimum score for a candidate to be kept (a title phrase alone passes; one passing mention does not).
THRESHOLD = 2.5
MAX_WORDS = 4

_STOP = frozenset(
    "a an the of for in on to and or with by from via using based towards toward into at as is are was were be been "
    "being its their this that these those we our us it they them which who whom whose what when where while how "
    "than then there here not no nor but both either neither each every all any some such so very also only just "
    "can could may might must shall should will would do does did done has have had having get gets got over under "
    "between among across through about against without within upon beyond after before during since until per "
    "more most less least many much few several various other another same own one two three four five first "
    "second third new novel proposed existing prior previous recent current modern standard traditional classic "
    "conventional typical common popular simple efficient effective scalable better improved improving enhanced "
    "unified general generic key main important challenging fundamental crucial critical practical real real-world "
    "accurate reliable high-quality state-of-the-art sota strong large small huge vast massive extensive "
    "comprehensive systematic thorough rigorous significant substantial promising powerful lightweight "
    "well-known widely-used widely different diverse specific particular certain further additional alternative "
    "related corresponding respective overall whole entire full complete thousands millions billions hundreds "
    "dozens lots number numbers amount amounts set sets range variety kind kinds type types form forms "
    "i e eg ie etc al vs versus our ours your my his her like including include includes namely especially out up off "
    "particularly mainly primarily available deeper downstream upstream scale".split())
#: Verbs and other words that end a phrase on its left ("we propose X", "enables X", "X-based ...").
_VERBS = frozenset(
    "propose proposes present presents introduce introduces develop develops design designs study studies "
    "address addresses tackle tackles investigate investigates explore explores examine examines consider considers "
    "focus focuses improve improves enable enables achieve achieves perform performs outperform outperforms "
    "show shows demonstrate demonstrates use uses leverage leverages apply applies require requires make makes "
    "provide provides offer offers allow allows support supports facilitate facilitates boost boosts enhance "
    "enhances reduce reduces increase increases compare compares evaluate evaluates train trains learn learns "
    "generate generates predict predicts build builds combine combines rely relies aim aims seek seeks help helps "
    "yield yields lead leads remain remains become becomes involve involves include includes contain contains "
    "consist consists take takes give gives let lets need needs want see seen find finds found call called "
    "termed dubbed known".split())
_LEAD_GERUNDS = frozenset(
    "improving enhancing boosting rethinking revisiting understanding towards learning scaling using leveraging "
    "exploring guiding steering bridging breaking unlocking unleashing enabling making taming teaching training "
    "adapting balancing benchmarking evaluating measuring mitigating reducing accelerating advancing building "
    "democratizing demystifying fine-tuning finetuning pretraining pre-training".split())
#: Heads that need a modifier ("collaborative training", not "training"); never a task on their own.
_WEAK_HEADS = frozenset(
    "training pretraining pre-training fine-tuning finetuning tuning learning inference serving analysis design "
    "processing modeling modelling evaluation optimization optimisation engineering development management "
    "representation representations computing mining understanding reasoning generation prediction answering "
    "estimation search control planning collection".split())
#: Heads naming a training process, and nouns after them that make them a modifier ("training data").
_PROCESSES = frozenset(
    "training pretraining pre-training fine-tuning finetuning tuning learning search inference".split())
_CONTINUERS = frozenset(
    "data dataset datasets set sets space spaces rate rates episode episodes step steps time times cost costs "
    "budget budgets example examples sample samples corpus corpora token tokens run runs loss losses objective "
    "objectives dynamics regime regimes speed pipeline pipelines recipe recipes procedure procedures process curve "
    "curves schedule schedules stage stages phase phases signal signals loop loops".split())
#: Broad fields: not what a paper addresses when named alone.
_BROAD = frozenset(("machine learning", "deep learning", "artificial intelligence", "computer vision", "data science",
                    "natural language processing", "representation learning", "statistical learning", "ai",
                    "nlp", "language processing", "language modeling"))
#: Last words of list entries that are not activities (kept out of the head set).
_NOT_HEADS = frozenset(
    "attention vision intelligence quality security speed red robot robots game games data text image images "
    "video videos model models network networks system systems language languages object objects point points "
    "graph graphs time series speech audio music art style face faces scene scenes word words sentence sentences "
    "document documents table tables code question questions answer answers set sets test task tasks problem "
    "problems challenge challenges benchmark dataset datasets corpus method methods approach framework embeddings "
    "embedding features feature memory knowledge information function functions field fields space spaces "
    "qa asr nlu nli vqa ocr mt rl".split())
#: Activity nouns missing or rare as list heads.
_EXTRA_HEADS = frozenset(
    "curation serving pretraining pre-training fine-tuning finetuning tuning training unlearning distillation "
    "compression quantization pruning alignment evaluation supervision exploration personalization "
    "interpolation extrapolation simulation forecasting imputation scoring development deployment "
    "selection augmentation attribution interpretability explainability robustness fairness privacy "
    "reuse sharing collection labeling labelling annotation editing steering routing decoding scheduling "
    "localization localisation segmentation detection recognition generation inference".split())
#: Words between a cue noun and "for" ("a framework designed specifically for X").
_PURPOSE_NOUNS = frozenset(
    "framework frameworks method methods approach approaches system systems algorithm algorithms technique "
    "techniques pipeline pipelines model models strategy strategies architecture architectures tool tools "
    "toolkit library platform solution solutions benchmark benchmarks dataset datasets corpus corpora suite "
    "designed tailored specifically suitable developed optimized intended dedicated resource resources".split())
#: Verbs whose object names a task once nominalised ("estimating X" -> "X estimation").
_NOMINAL = {f: noun for noun, forms in {
    "estimation": "estimate estimating", "detection": "detect detecting", "prediction": "predict predicting",
    "classification": "classify classifying", "segmentation": "segment segmenting",
    "recognition": "recognize recognizing recognise recognising", "translation": "translate translating",
    "summarization": "summarize summarizing summarise summarising", "retrieval": "retrieve retrieving",
    "localization": "localize localizing localise localising", "identification": "identify identifying",
    "reconstruction": "reconstruct reconstructing", "synthesis": "synthesize synthesizing",
    "extraction": "extract extracting", "quantification": "quantify quantifying",
    "mitigation": "mitigate mitigating", "verification": "verify verifying", "curation": "curate curating",
    "annotation": "annotate annotating", "interpolation": "interpolate interpolating",
    "simulation": "simulate simulating", "discovery": "discover discovering", "forecasting": "forecast",
    "editing": "edit", "ranking": "rank", "tracking": "track", "parsing": "parse", "captioning": "caption",
    "compression": "compress compressing", "personalization": "personalize personalizing",
    "generation": "generate generating", "selection": "select selecting", "alignment": "align aligning",
    "evaluation": "evaluate evaluating", "extension": "extend extending", "solving": "solve",
    "recommendation": "recommend recommending", "serving": "serve", "answering": "answer answering",
    "quantization": "quantize quantizing",
}.items() for f in forms.split()}
_SPELLINGS = {"pretraining": "pre-training", "pre-training": "pretraining", "finetuning": "fine-tuning",
              "fine-tuning": "finetuning", "multilabel": "multi-label", "multi-label": "multilabel"}
#: Words between a cue and its phrase ("designed for the efficient X").
_SKIP = frozenset("the a an this its their our efficient effective scalable accurate fast robust reliable novel "
                  "new automatic automated better improved general large-scale".split())
#: Words between a verb and its object ("to select high-quality training data").
_OBJ_SKIP = _SKIP - {"this", "its", "their", "our"} | frozenset(
    "high-quality large-scale state-of-the-art diverse various different multiple specific particular given arbitrary "
    "desired most more informative relevant appropriate best optimal right suitable useful".split())
#: Parts of a compound that make it no noun ("step-by-step", "end-to-end", "state-of-the-art").
_CUT_WORDS = frozenset(("by", "to", "of", "the", "and", "or"))
_TASK_NOUNS = frozenset("task tasks problem problems challenge challenges application applications".split())
#: Nouns after a phrase that make it a task ("the X task"), or the task of the data evaluated on ("X benchmarks").
_TASK_NEXT = frozenset(("task", "tasks", "problem", "problems", "benchmark", "benchmarks", "datasets"))
_DATA_NEXT = frozenset(("benchmark", "benchmarks", "datasets"))
_ENUM_CUES = frozenset("like including include includes e g i such as".split())
_STUDY_VERBS = frozenset(
    "address addresses tackle tackles study studies investigate investigates consider considers explore explores "
    "examine examines revisit revisits target targets advance advances".split())
#: Gerunds too vague to name a task with their object ("Training X", "Learning X").
_VAGUE_GERUNDS = frozenset("training learning tuning fine-tuning finetuning pretraining pre-training modeling "
                           "modelling understanding reasoning processing".split())
#: First parts of compounds that make an adjective of a head ("high-resolution", "multi-task").
_ADJ_PREFIXES = frozenset("high low multi single long short large small well non cross full half".split())
#: Quantities that open an object without belonging to it ("Serving Thousands of Concurrent LoRA Adapters").
_QUANTITIES = frozenset("thousands millions billions hundreds dozens many multiple numerous countless".split())
_HYPHENS = frozenset(("-", "\u2010", "\u2011", "\u2013"))
_NAME_LIKE = re.compile(r"[A-Za-z]*[a-z][A-Z]|[A-Z][a-z]+[0-9]|[0-9][A-Za-z]*[a-z]")
_WORD = re.compile(r"[a-z0-9]+")
#: Heads of many listed tasks ("classification", "retrieval"): a task on their own after a strong cue.
_CORE_HEADS: set[str] = set()
_COMPOUND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: A name given in the text ("named ``user-centric ranking''"): up to four words, quoted or not.
_CALLED = re.compile(r"(?<!so-)\b(?:called|named|dubbed|termed)\s+(?:as\s+)?(?:``|\"|'|\u201c)?"
                     r"((?:[\w-]+ ){0,3}[\w-]+)")
#: Verbs before an acronym definition that make it a name the paper coins.
_PROPOSING = re.compile(r"\b(?:we|this (?:paper|work|study)|our work)\s+(?:\w+ly\s+|also\s+|further\s+|then\s+)?"
                        r"(?:propose|introduce|present|release|develop|build|design|create|contribute|unveil|"
                        r"construct|curate|collect|open-source|describe)[sd]?\b|\b(?:called|named|dubbed|termed)\b",
                        re.I)


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


_FOR_TO = frozenset(("for", "to"))
_AND_OR = frozenset(("and", "or"))
_AIMS = frozenset(("aim", "aims", "seek", "seeks"))
#: Words before a phrase that can make :func:`_cue_words` answer anything but nothing (when no
#: enumeration runs and no "task" follows).
#: Verbs whose object of two or more words is what a paper addresses ("enhance" more often takes a property).
_IMPROVE = frozenset(("improve", "improves", "improving"))
_CUE_P1 = frozenset({"of", "the", "on", "for", "as"} | _STUDY_VERBS | _ENUM_CUES | _IMPROVE)
#: Single-token words :func:`_modifier` rejects whatever their case.
_NON_MOD = _STOP | _VERBS | _LEAD_GERUNDS
_SKIP_OR_CUE = _SKIP | _CUE_P1
#: Words one of which stands within nine tokens before a phrase that :func:`_cue_words` finds a cue for.
_ANCHORS = _IMPROVE | _STUDY_VERBS | _TASK_NOUNS | _PURPOSE_NOUNS | _ENUM_CUES | frozenset(("such", "focus"))
_BROAD_WORDS = frozenset(tuple(b.split(" ")) for b in _BROAD)
#: Order of candidates made after the abstract's phrases (whose order is their head's token index).
_LATE = 1 << 40
_NEVER = 1 << 62  #: an offset past every text
#: Bound of every per-process cache below (they hold strings that recur across papers).
_CACHE_MAX = 1 << 17
#: Surface of a compound -> (its lower-cased form, can it modify a task head): :func:`_modifier`'s answer
#: depends on nothing else, and the same compounds recur across papers.
_MOD_CACHE: dict[str, tuple[str, bool]] = {}
_ENTRY_KEYS: dict[str, tuple[str, ...] | None] = {}
_COINED_KEYS: dict[str, list[tuple[str, ...]]] = {}
_WORD_KEYS: dict[tuple[str, ...], frozenset[str]] = {}
_COMPACT: dict[str, str] = {}
#: Per lexicon (by identity, while its learned acronyms stay the same object): name lookups.
_LOOKUPS: dict[int, tuple[object, object, dict[tuple[str, str | None], Entry | None]]] = {}


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


class _Cand:
    __slots__ = ("words", "score", "doc", "start", "end", "count", "entry", "order")

    def __init__(self, words: tuple[str, ...], score: float, doc: Doc, start: int, end: int, order: int) -> None:
        self.words = words
        self.score = score
        self.doc = doc
        self.start = start
        self.end = end
        self.count = 0
        self.entry: Entry | None = None
        self.order = order


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


def _cue(v: _View, first: int, last: int, enum_end: int) -> tuple[float, bool]:
    """How strongly the words around tokens ``first..last`` say this phrase is what the paper addresses,
    and whether a following coordinated phrase shares the cue ("tasks such as X, Y and Z")."""
    lows = v.lows
    single = first == last
    sent = v.sentence_start(first)  # cue words stay in the phrase's sentence
    while first > sent and first - 1 > enum_end and lows[first - 1] in _SKIP:
        first -= 1  # "for the scalable X": the cue is before the determiner and adjectives
    return _cue_words(lows, v.gaps, sent, first, last, enum_end, single)


def _cue_words(lows: tuple[str, ...], gaps: tuple[str, ...], sent: int, first: int, last: int,
               enum_end: int, single: bool) -> tuple[float, bool]:
    """:func:`_cue` once ``first`` stands after the skipped determiners and adjectives (``sent``: the
    sentence's first token; ``single``: the phrase is one token)."""
    p1 = lows[first - 1] if first > sent else ""
    p2 = lows[first - 2] if first > sent + 1 else ""
    if p1 == "of" and p2 in _TASK_NOUNS:
        return 4.0, True  # "the problem of X"
    if p1 in _STUDY_VERBS or (p1 in ("the", "on") and p2 in _STUDY_VERBS) or (p1 == "on" and p2 == "focus"):
        return 3.0, True  # "we address X", "we focus on X"
    if p1 in _IMPROVE and not single:
        return 3.0, False  # "to improve time series classification" (but "improve classification" performance)
    if p1 == "for" and (p2 in _PURPOSE_NOUNS or (first > sent + 2 and lows[first - 3] in _PURPOSE_NOUNS)):
        return 3.0, True  # "a framework designed for X", "datasets for X"
    if (p1 in _ENUM_CUES or (p1 == "as" and p2 == "such")) and not _TASK_NOUNS.isdisjoint(
            lows[max(0, first - 6):first]):
        return 3.0, True  # "tasks such as X"
    if 0 <= enum_end < first <= enum_end + 4 and ("," in gaps[first - 1] or p1 in _AND_OR):
        return 3.0, True  # the next item of an enumeration
    if last + 1 < len(lows) and lows[last + 1] in _TASK_NEXT:
        if lows[last + 1] not in _DATA_NEXT:
            return 2.5, False  # "the X task"
        if not single:
            return 2.0, False  # "code generation benchmarks" (not "the MT benchmark": a name)
    return 0.0, False


def candidates(ctx: Context) -> list[tuple[float, _Cand]]:
    """Every task candidate with its score, best first."""
    out = []
    for neg, order, words, (base, doc, start, end, count, entry, _) in _ranked(ctx, None):
        cand = _Cand(words, base, doc, start, end, order)
        cand.count, cand.entry = count, entry
        out.append((-neg, cand))
    return out


def _ranked(ctx: Context, floor: float | None) -> list[tuple[float, int, tuple[str, ...], list[Any]]]:
    """(minus score, order, phrase, [base score, doc, start, end, count, entry, order]) of the candidates
    (scoring ``floor`` or more if given), best first: what :func:`candidates` reports, without objects."""
    heads, mods, plural, triggers = _vocab()
    single_keys = _single_keys()
    title, abstract = ctx.docs
    lexicon = ctx.lexicon
    #: phrase -> [score, doc, start, end, count, entry, order] (lists: most candidates are dropped unseen)
    cands: dict[tuple[str, ...], list[Any]] = {}

    def add(words: tuple[str, ...], score: float, doc: Doc, s: int, e: int) -> list[Any]:
        cand = cands.get(words)
        if cand is None:
            cand = cands[words] = [score, doc, s, e, 0, None, _LATE + len(cands)]
        elif score > cand[0]:
            cand[0:4] = score, doc, s, e
        return cand

    # Acronym definitions: a task phrase defined is important; a coined name's expansion is no task.
    defined: dict[int, str] = {}
    definition_at: dict[int, Definition] = {}
    coined: set[tuple[str, ...]] = set()
    low = abstract.lower if abstract.lower is not None else abstract.text.lower()
    if "called" in low or "named" in low or "dubbed" in low or "termed" in low:
        for m in _CALLED.finditer(abstract.text):  # "a formulation named ``user-centric ranking''"
            coined.update(_coined_keys(m.group(1), plural))
    if ctx.definitions:
        title_name = _title_name(title.text)
        for d in ctx.definitions:
            known = _lookup(lexicon, d.acronym, None)
            if known is not None and known.kind != "task" and not known.learned and not (
                    known.kind == "dataset" and d.expansion.rsplit(None, 1)[-1].lower() in heads):
                # "Low-Rank Adaptation (LoRA)"; but a dataset acronym spelled out as an activity names the
                # task it is for ("Fine-Grained Visual Classification (FGVC)")
                coined.add(_normal(_COMPOUND.findall(d.expansion.lower()) or ["x"], plural))
            elif _coins(ctx, d, title_name):  # "we propose Sparse Gradient Routing Tuning (SpaGRT)"
                coined.update(_coined_keys(d.expansion, plural))
            elif d.field == "abstract":
                defined[d.exp_end] = d.acronym
                definition_at[d.exp_end] = d

    # Abstract: every head word with its modifiers; cues and repetition. A phrase of one compound is a
    # candidate at once; longer ones wait until every phrase is read, to be cut to their repeated suffix.
    covered_abstract: dict[int, int] = {}  #: head token -> first token of the phrase read there
    longer: list[tuple[tuple[str, ...], list[int], int, float]] = []  #: (normal form, firsts, head, cue)
    suffix_count: dict[tuple[str, ...], int] = {}  #: suffixes of two or more compounds -> phrases ending so
    av = _View(abstract)
    lows, gaps, starts, ends, n_tok, text = av.lows, av.gaps, av.starts, av.ends, av.n, av.text
    sent_starts = abstract.sent_starts
    n_sents = len(sent_starts)
    #: the sentence of the phrase read last: its index, start offset, and the next one's start offset
    si, sent_char, next_char = 0, sent_starts[0], sent_starts[1] if n_sents > 1 else _NEVER
    mod_cache = _MOD_CACHE
    enum_end = -10
    prev_h, prev_words = -10, None  #: the last phrase read: head token, compounds (None: only one)
    verbal: list[tuple[tuple[str, ...], int, int, float]] = []
    split: list[tuple[tuple[str, ...], int, int, str]] = []  #: phrases split by their acronym: words, span, short
    found = list(compress(range(n_tok), map(triggers.__contains__, lows)))
    # Heads that can make a task: repeated in the abstract or named in the title (so repetition or the
    # title can lift them); any other needs a cue nearby (checked below) or the abstract's opening words.
    seen: set[str] = set()
    lifted = {plural.get(w, w) for w in title.lows if w in heads}
    for h in found:
        w = plural.get(lows[h], lows[h])
        if w in seen:
            lifted.add(w)
        seen.add(w)
    for h in found:
        w = lows[h]
        if w in _NOMINAL and h > 1 and (lows[h - 1] in _FOR_TO or lows[h - 1] == "of" and lows[h - 2] in _TASK_NOUNS):
            verb_phrase = _verbal(av, h, w)
            if verb_phrase is not None:  # "a method to select X", "the problem of detecting X"
                purpose = lows[h - 2] in _PURPOSE_NOUNS or lows[h - 2] in _AIMS
                verbal.append((verb_phrase[0], starts[h], verb_phrase[1],
                               4.0 if lows[h - 1] == "of" else 3.0 if purpose else 2.0))
            continue
        if w not in heads or (h + 1 < n_tok and gaps[h] in _HYPHENS):
            continue
        if h > 11 and enum_end < 0 and plural.get(w, w) not in lifted and _ANCHORS.isdisjoint(lows[h - 9:h]) and (
                h + 1 >= n_tok or lows[h + 1] not in _TASK_NEXT) and ends[h] not in defined:
            continue  # one mention, no cue: it cannot score enough, so its phrase is not read
        if h + 1 < n_tok and gaps[h] == " " and (
                lows[h + 1] in heads or w in _PROCESSES and lows[h + 1] in _CONTINUERS):
            continue  # a modifier of a longer phrase (see _modifies, inlined)
        if definition_at and h > 1 and gaps[h - 1] == ") " and gaps[h - 2] == " (":
            short = definition_at.get(ends[h - 2])
            if short is not None and short.acronym.lower() == lows[h - 1]:  # "math word problem (MWP) solving"
                split.append(((*_COMPOUND.findall(short.expansion.lower())[-MAX_WORDS + 1:], plural.get(w, w)),
                              short.exp_start, ends[h], f"{short.acronym} {text[starts[h]:ends[h]]}"))
        # The phrase (see _phrase_back, inlined for one-token heads): ``unit`` when it is one compound,
        # else ``words`` and ``firsts``.
        words: list[str] | None = None
        firsts: list[int] = []
        gap = gaps[h - 1] if h else ""
        if gap in _HYPHENS:
            read = _phrase_back(av, h)
            if read is None:
                continue
            firsts, words = read
            first = firsts[0]
            if len(words) == 1:
                unit, words = words[0], None
            else:
                covered_abstract[h] = first
        else:
            unit = w
            first = h
            while gap == " ":
                f = first - 1
                if f and gaps[f - 1] in _HYPHENS:
                    while f and gaps[f - 1] in _HYPHENS:
                        f -= 1
                    word = "-".join(lows[f:first])
                else:
                    word = lows[f]
                    if word in _NON_MOD:
                        break
                surface = text[starts[f]:ends[first - 1]]
                got = mod_cache.get(surface)
                if got is not None and got[0] == word:
                    if not got[1]:
                        break
                elif not _is_mod(word, surface):
                    break
                if words is None:
                    words, firsts = [w], [h]
                words.append(word)
                firsts.append(f)
                first = f
                if len(words) == 6 or not f:
                    break
                gap = gaps[f - 1]
            if words is not None:
                words.reverse()
                firsts.reverse()
                covered_abstract[h] = first
        # Its cue (see _cue, inlined): nothing unless an enumeration runs, a "task" follows, or the word
        # before is a cue or a skipped determiner (then in the phrase's sentence: phrases lie in one
        # sentence and come in text order; a token is in it when it starts at or after ``sent_char``).
        if enum_end < 0 and (not first or lows[first - 1] not in _SKIP_OR_CUE) and (
                h + 1 >= n_tok or lows[h + 1] not in _TASK_NEXT):
            cue = 0.0
        else:
            sf = starts[first]
            while next_char <= sf:
                si += 1
                sent_char = next_char
                next_char = sent_starts[si + 1] if si + 1 < n_sents else _NEVER
            f0 = first
            while f0 and f0 - 1 > enum_end and lows[f0 - 1] in _SKIP and starts[f0 - 1] >= sent_char:
                f0 -= 1
            if enum_end >= 0 or (f0 and lows[f0 - 1] in _CUE_P1 and starts[f0 - 1] >= sent_char) or (
                    h + 1 < n_tok and lows[h + 1] in _TASK_NEXT):
                cue, chain = _cue_words(lows, gaps, bisect_right(starts, sent_char - 1), f0, h, enum_end, first == h)
                enum_end = h if chain else -10
            else:
                cue = 0.0
        if words is None and prev_words is not None and prev_h == first - 2 and lows[first - 1] in _AND_OR and (
                h + 1 >= n_tok or gaps[h] != " " or lows[h + 1] in _NON_MOD or lows[h + 1] in _TASK_NOUNS):
            # "entity detection and linking" (but "learning and pure-exploration bandits": another phrase)
            words = [*prev_words[:-1], unit]
            firsts = [first] * len(words)
            covered_abstract[h] = first  # the listed "linking" alone is no candidate of its own
        prev_h, prev_words = h, words
        if words is None:
            one = single_keys.get(unit) or (plural.get(unit, unit),)
            cand = cands.get(one)
            if cand is None:
                cand = cands[one] = [cue, abstract, starts[first], ends[h], 1, None, h]
            else:
                if cue > cand[0]:
                    cand[0:4] = cue, abstract, starts[first], ends[h]
                cand[4] = 1
            if first == 0 and cand[0] < 2.5:
                cand[0] = 2.5  # the opening words of the abstract: its topic
            if defined:
                acronym = defined.get(ends[h])
                if acronym is not None:  # "Fine-Grained Visual Classification (FGVC)": named to be used again
                    cand[0] += 1.5
                    cand[4] += text.count(acronym) - 1
        else:
            last = words[-1]
            norm = (*words[-MAX_WORDS:-1], plural.get(last, last))
            for n in range(2, len(norm) + 1):
                suffix = norm[-n:]
                suffix_count[suffix] = suffix_count.get(suffix, 0) + 1
            longer.append((norm, firsts, h, cue))
    for norm, firsts, h, cue in longer:
        size = len(norm)
        best = norm[-3:] if size > 3 else norm
        if size > 2:
            for n in range(size, 1, -1):
                if suffix_count[norm[-n:]] >= 2:
                    best = norm[-n:]
                    break
        count = suffix_count[best]
        cand = cands.get(best)
        if cand is None:
            cand = cands[best] = [cue, abstract, starts[firsts[-len(best)]], ends[h], count, None, h]
        else:
            if cue > cand[0]:
                cand[0:4] = cue, abstract, starts[firsts[-len(best)]], ends[h]
            cand[4] = count
        if firsts[0] == 0 and cand[0] < 2.5:
            cand[0] = 2.5
        if defined:
            acronym = defined.get(ends[h])
            if acronym is not None:
                cand[0] += 1.5
                cand[4] += text.count(acronym) - 1

    for swords, start, end, short_form in split:  # named again as "MWP solving": repeated, and important
        cand = add(swords, 1.5, abstract, start, end)
        cand[4] = max(cand[4], 1 + text.count(short_form))
    for vwords, start, end, cue in verbal:  # "for estimating the treatment effect (ATE)"
        cand = add(vwords, cue, abstract, start, end)
        acronym = defined.get(end)
        if acronym is not None:
            cand[0] += 1.5
            cand[4] = max(cand[4], text.count(acronym))

    # Title: phrases with an activity head; the strongest evidence.
    covered_title: dict[int, int] = {}
    tl = title.lows
    if not triggers.isdisjoint(tl):
        tv = _View(title)
        tgaps, tstarts, tends, tn = tv.gaps, tv.starts, tv.ends, tv.n
        prev_phrase: tuple[int, list[str], list[int]] | None = None
        for h in compress(range(tn), map(triggers.__contains__, tl)):
            w = tl[h]
            if h + 1 < tn and (
                    tgaps[h] in _HYPHENS or tgaps[h] == " " and w in heads and _modifies(w, tl[h + 1], heads)):
                continue
            read = _phrase_back(tv, h)
            if read is None:
                continue
            firsts, words = read
            first = firsts[0]
            if len(words) == 1 and prev_phrase is not None and first >= 1 and tl[first - 1] == "and" \
                    and prev_phrase[0] == first - 2 and len(prev_phrase[1]) > 1:
                words = [*prev_phrase[1][:-1], words[0]]  # "tool classification and localization"
                firsts = [*prev_phrase[2][:-1], first]  # the evidence spans both
            prev_phrase = (h, words, firsts)
            covered_title[h] = first
            if w in _NOMINAL and first == h and (first == 0 or tl[first - 1] in ("for", "to", "towards")
                                  or ":" in tgaps[first - 1]):
                verb_phrase = _verbal(tv, h, w)  # "Identifying Climate Targets"
                if verb_phrase is not None:
                    add(verb_phrase[0], 6.0, title, tstarts[h], verb_phrase[1])
                continue
            if w not in heads:
                continue  # a verb ("by Summarizing X") that does not open a purpose
            if first == h and w.endswith("ing") and w not in _VAGUE_GERUNDS and w not in _LEAD_GERUNDS and (
                    first == 0 or tl[first - 1] in _FOR_TO or ":" in tgaps[first - 1]):
                obj, obj_end = _object(tv, h + 1, names=True, skip=False)
                if obj:  # "for Mining Model Packages", "S-LoRA: Serving LoRA Adapters": the object, then the head
                    add((*obj[-3:-1], _singular(obj[-1]), w), 6.0, title, tstarts[first], tends[obj_end])
                    continue
            if h + 2 < tn and tl[h + 1] == "of" and tgaps[h] == " " and words[-1] not in _VAGUE_GERUNDS:
                obj, obj_end = _phrase_forward(tv, h + 2, 3)
                if obj and len(obj) <= 3 and obj[-1] not in heads:  # "Early Prediction of Misinformation"
                    add((*obj[:-1], _singular(obj[-1]), words[-1]), 6.0, title, tstarts[first], tends[obj_end])
                    continue
            norm = _normal(words, plural)
            if len(norm) > 2:  # prefer the longest suffix the abstract repeats
                for n in range(len(norm), 1, -1):
                    if suffix_count.get(norm[-n:], 0) >= 2 and norm[-n:] not in _BROAD_WORDS:
                        norm = norm[-n:]
                        break
                else:
                    while len(_task_words(norm)) > 4 and len(norm) > 2:
                        norm = norm[1:]
            score = 6.0 if len(norm) > 1 else 3.0
            cand = add(norm, score, title, tstarts[firsts[-len(norm)]] if len(norm) <= len(firsts) else tstarts[first],
                       tends[h])
            cand[0] = max(cand[0], score) + 1.0 if cand[4] else max(cand[0], score)

    # Known task names anywhere (the gazetteer already ran): a bonus, or a candidate of their own.
    abstract_entries: list[tuple[int, ...]] | None = None
    for doc, hit, entry in _task_hits(ctx):
        key = _entry_key(entry.name, plural)
        if key is None:
            continue
        listed = cands.get(key)
        if hit.end < len(doc.text) and doc.text[hit.end] in _HYPHENS:
            continue  # "Clustering-Based": a modifier, not the task
        if listed is None:
            in_title = doc.field == "title"
            if (covered_title if in_title else covered_abstract).get(hit.j - 1, hit.i + 1) <= hit.i:
                continue  # part of a longer phrase, which stands for it
            if in_title:
                score = 5.0 if len(key) > 1 else 3.0
            else:
                if abstract_entries is None:
                    abstract_entries = [h2.entries for h2 in ctx.hits["abstract"]]
                count = abstract_entries.count(hit.entries)
                score = _cue(av if doc is abstract else _View(doc), hit.i, hit.j - 1, -10)[0] + (
                    1.0 if count >= 2 else 0.0)
            listed = add(key, score, doc, hit.start, hit.end)
            if listed[4] < 1:
                listed[4] = 1
        if listed[5] is None:
            listed[5] = entry
            listed[0] += 0.5

    ranked = []
    for phrase, cand in cands.items():
        base = cand[0]
        count = cand[4]
        score = base + min(count - 1, 3) * 0.75 if count > 1 else base
        if floor is not None and score < floor:
            continue
        if phrase[-1] in _STOP or phrase in coined or phrase in _BROAD_WORDS:
            continue
        if len(phrase) == 1:  # a bare head word is a task only when the list knows it ("Classification")
            label = phrase[0]
            if label in _WEAK_HEADS or score < 3.0:
                continue
            if cand[5] is None and not (label in _CORE_HEADS and base >= 3.0):
                known = _lookup(lexicon, label, "task")
                if known is None or known.kind != "task":
                    continue
                cand[5] = known
        ranked.append((-score, cand[6], phrase, cand))
    ranked.sort()  # orders are unique: no two tuples compare beyond them
    return ranked


def _task_hits(ctx: Context) -> list[tuple[Doc, Hit, Entry]]:
    """``ctx.entity_hits("task")``, without resolving the kind of hits that name no task at all (most of
    them): a hit can resolve to a task only when one of its entries is one."""
    if ctx.resolved is not None:
        return ctx.entity_hits("task")
    entry_of = ctx.lexicon.entry
    out = []
    for doc in ctx.docs:
        for hit in ctx.hits[doc.field]:
            for e in hit.entries:
                if entry_of(e).kind == "task":
                    entry = ctx.kind_of(hit, doc)
                    if entry is not None and entry.kind == "task" and not ctx._redefined(doc, hit, entry):
                        out.append((doc, hit, entry))
                    break
    return out


def _title_name(title: str) -> str:
    """The name a title gives its subject before a colon ("SpaGRT: ..."), or ""."""
    head, colon, _ = title.partition(":")
    return head.strip() if colon and len(head) <= 40 else ""


def _coins(ctx: Context, d: Definition, title_name: str) -> bool:
    """Is this acronym a name the paper coins, so its expansion is a method, not a task? Either the title
    names it, or a proposing verb comes before it in its sentence ("we propose Long Form (LF)")."""
    if d.acronym == title_name or (title_name and _compact(d.acronym) == _compact(title_name)):
        return True
    doc = ctx.docs[0] if d.field == "title" else ctx.docs[1]
    s = max(doc.sentence(d.exp_start)[0], d.exp_start - 60)
    return _PROPOSING.search(doc.text, s, d.exp_start) is not None


def _entry_key(name: str, plural: dict[str, str]) -> tuple[str, ...] | None:
    """A listed task's name as a candidate key."""
    key = _ENTRY_KEYS.get(name, ())
    if key == ():
        names = _COMPOUND.findall(name.lower())
        key = _normal(names, plural) if names else None
        if len(_ENTRY_KEYS) < _CACHE_MAX:
            _ENTRY_KEYS[name] = key
    return key


def _coined_keys(name: str, plural: dict[str, str]) -> list[tuple[str, ...]]:
    """The phrases a coined name (or its expansion) rules out as tasks: its last three or more compounds."""
    keys = _COINED_KEYS.get(name)
    if keys is None:
        parts = _normal(_COMPOUND.findall(name.lower()) or ["x"], plural)
        keys = [parts[-n:] for n in range(min(3, len(parts)), len(parts) + 1)]
        if len(_COINED_KEYS) < _CACHE_MAX:
            _COINED_KEYS[name] = keys
    return keys


def _compact(name: str) -> str:
    key = _COMPACT.get(name)
    if key is None:
        key = compact(name)
        if len(_COMPACT) < _CACHE_MAX:
            _COMPACT[name] = key
    return key


def _lookup(lexicon: Lexicon, name: str, kind: str | None) -> Entry | None:
    """``lexicon.lookup(name, kind)``, remembered while the lexicon learns nothing new."""
    version = getattr(lexicon, "learned_pairs", None)
    if version is None:
        return lexicon.lookup(name, kind)
    slot = _LOOKUPS.get(id(lexicon))
    if slot is None or slot[0] is not lexicon or slot[1] is not version:
        if len(_LOOKUPS) >= 4:
            _LOOKUPS.clear()
        slot = _LOOKUPS[id(lexicon)] = (lexicon, version, {})
    cache = slot[2]
    key = (name, kind)
    try:
        return cache[key]
    except KeyError:
        entry = cache[key] = lexicon.lookup(name, kind)
        if len(cache) > _CACHE_MAX:
            cache.clear()
        return entry


def extract_tasks(ctx: Context) -> list[Mention]:
    """Up to :data:`MAX_TASKS` tasks, best-scored first (see the module docstring)."""
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
