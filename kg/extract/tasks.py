"""Tasks a paper addresses (``addressesTask``), as short lower-case noun phrases.

A task phrase is a noun phrase whose head names an activity ("... frame interpolation", "... question
answering"). Head words come from the task name list (the last word of its entries) plus a few
activity nouns; modifiers are the words before the head up to a function word or punctuation.
Candidates are scored by where they occur and what surrounds them:

- the title (``"X for Video Frame Interpolation"``, ``"X: Automatic Data Curation"``) is the strongest signal;
- a stated purpose in the abstract ("we address the problem of X", "a framework designed for X",
  "datasets for X and Y", "tasks such as X, Y and Z", "the X task");
- repetition in the abstract (a shorter phrase collects the mentions of the longer ones ending in it);
- being a known task of the list.

The best few (at most :data:`MAX_TASKS`) above a threshold are kept, near-duplicates (word overlap
>= 0.5) skipped. Phrases are normalised: lower-case, evaluative adjectives dropped, head singular,
at most four words. Everything costly (vocabularies) is built once per process.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files

from kg.extract.context import Context, make
from kg.extract.naming import coined as coined_names
from kg.extract.sentences import Doc
from kg.link import Entry, compact
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
    "i e eg ie etc al vs versus our ours your my his her like including include includes namely especially "
    "particularly mainly primarily".split())
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
    "representation representations computing mining understanding reasoning generation prediction "
    "estimation search control planning collection".split())
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
}.items() for f in forms.split()}
_SPELLINGS = {"pretraining": "pre-training", "pre-training": "pretraining", "finetuning": "fine-tuning",
              "fine-tuning": "finetuning", "multilabel": "multi-label", "multi-label": "multilabel"}
#: Words between a cue and its phrase ("designed for the efficient X").
_SKIP = frozenset("the a an this its their our efficient effective scalable accurate fast robust reliable novel "
                  "new automatic automated better improved general large-scale".split())
_TASK_NOUNS = frozenset("task tasks problem problems challenge challenges application applications".split())
_ENUM_CUES = frozenset("like including include includes e g i such as".split())
_STUDY_VERBS = frozenset(
    "address addresses tackle tackles study studies investigate investigates consider considers explore explores "
    "examine examines revisit revisits target targets advance advances".split())
#: Gerunds too vague to name a task with their object ("Training X", "Learning X").
_VAGUE_GERUNDS = frozenset("training learning tuning fine-tuning finetuning pretraining pre-training modeling "
                           "modelling understanding reasoning processing".split())
#: First parts of compounds that make an adjective of a head ("high-resolution", "multi-task").
_ADJ_PREFIXES = frozenset("high low multi single long short large small well non cross full half".split())
_HYPHENS = frozenset(("-", "\u2010", "\u2011", "\u2013"))
_NAME_LIKE = re.compile(r"[A-Za-z]*[a-z][A-Z]|[A-Z][a-z]+[0-9]|[0-9][A-Za-z]*[a-z]")
_WORD = re.compile(r"[a-z0-9]+")
#: Heads of many listed tasks ("classification", "retrieval"): a task on their own after a strong cue.
_CORE_HEADS: set[str] = set()
_COMPOUND = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


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


def _positions(lows: tuple[str, ...], words: frozenset[str]) -> list[int]:
    """Indices of the tokens in ``words``, in order (the scan runs in C: ``set & tuple``, ``tuple.index``)."""
    out: list[int] = []
    for w in words.intersection(lows):
        i = lows.index(w)
        while True:
            out.append(i)
            try:
                i = lows.index(w, i + 1)
            except ValueError:
                break
    out.sort()
    return out


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


def _compound_start(doc: Doc, k: int) -> int:
    """First token of the hyphenated compound whose last token is ``k`` ("self-supervised")."""
    text, starts, ends = doc.text, doc.starts, doc.ends
    while k > 0 and text[ends[k - 1]:starts[k]] in _HYPHENS:
        k -= 1
    return k


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


def _phrase_back(doc: Doc, h: int, heads: frozenset[str], mods: frozenset[str]) -> tuple[list[int], list[str]]:
    """The task phrase ending with the compound at token ``h``: (first token of each compound, lower-case
    compounds), or two empty lists when that compound is no activity ("high-resolution")."""
    text, starts, ends, lows = doc.text, doc.starts, doc.ends, doc.lows
    first = _compound_start(doc, h)
    if first < h and lows[first] in _ADJ_PREFIXES:
        return [], []
    firsts = [first]
    words = ["-".join(lows[first:h + 1])]
    while len(words) < 6 and first > 0:
        if text[ends[first - 1]:starts[first]] != " ":
            break
        f = _compound_start(doc, first - 1)
        word = "-".join(lows[f:first])
        if not _modifier(word, text[starts[f]:ends[first - 1]], mods, heads):
            break
        words.append(word)
        firsts.append(f)
        first = f
    words.reverse()
    firsts.reverse()
    return firsts, words


def _phrase_forward(doc: Doc, k: int, mods: frozenset[str], heads: frozenset[str], limit: int = 4) -> list[str]:
    """The noun phrase starting at token ``k`` (the object of a gerund), up to ``limit`` compounds."""
    text, starts, ends, lows = doc.text, doc.starts, doc.ends, doc.lows
    words: list[str] = []
    n = len(lows)
    while k < n and len(words) < limit + 2:
        e = k
        while e + 1 < n and text[ends[e]:starts[e + 1]] in _HYPHENS:
            e += 1
        word = "-".join(lows[k:e + 1])
        if not _modifier(word, text[starts[k]:ends[e]], mods, heads):
            if word.endswith("s") and word not in _STOP and word not in _VERBS and not word.endswith("ly"):
                words.append(word)  # a plural noun ends the phrase ("chaotic systems")
            break
        words.append(word)
        if e + 1 >= n or text[ends[e]:starts[e + 1]] != " ":
            break
        k = e + 1
    return words


def _singular(word: str) -> str:
    if word.endswith(("sses", "xes", "ches", "shes", "iases")):
        return word[:-2]  # "processes", "biases"
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "ics")):
        return word[:-1]
    return word


def _verbal(doc: Doc, k: int, verb: str, mods: frozenset[str], heads: frozenset[str],
            plural: dict[str, str]) -> tuple[tuple[str, ...], int] | None:
    """"estimating the average treatment effect" -> ("average", "treatment", "effect", "estimation"), end offset."""
    n = k + 1
    while n < len(doc.lows) and doc.lows[n] in _SKIP and n < k + 3:
        n += 1
    obj = _phrase_forward(doc, n, mods, heads, 3)
    if not obj or len(obj) > 3 or obj[-1] in heads or obj[-1] in _NOMINAL:
        return None
    end = n
    for _ in range(len(obj) - 1):
        end = _next_compound(doc, end)
    e = end
    while e + 1 < len(doc.lows) and doc.text[doc.ends[e]:doc.starts[e + 1]] in _HYPHENS:
        e += 1
    return (*obj[:-1], _singular(obj[-1]), _NOMINAL[verb]), doc.ends[e]


def _next_compound(doc: Doc, k: int) -> int:
    while k + 1 < len(doc.lows) and doc.text[doc.ends[k]:doc.starts[k + 1]] in _HYPHENS:
        k += 1
    return k + 1


def _variants(words: tuple[str, ...]) -> tuple[str, ...]:
    """Other spellings of a phrase ("pre-training" / "pretraining"), kept as aliases of its node."""
    if not any(w in _SPELLINGS for w in words):
        return ()
    return (" ".join(_SPELLINGS.get(w, w) for w in words),)


def _task_words(words: tuple[str, ...] | list[str]) -> frozenset[str]:
    return frozenset(w for word in words for w in _WORD.findall(word) if w not in _STOP)


def _normal(words: list[str] | tuple[str, ...], plural: dict[str, str]) -> tuple[str, ...]:
    """Singular head, at most :data:`MAX_WORDS` compounds (the last ones: the head and its nearest modifiers)."""
    head = plural.get(words[-1], words[-1])
    out = [*words[:-1], head]
    return tuple(out[-MAX_WORDS:])


def _cue(doc: Doc, first: int, last: int, enum_end: int) -> tuple[float, bool]:
    """How strongly the words around tokens ``first..last`` say this phrase is what the paper addresses,
    and whether a following coordinated phrase shares the cue ("tasks such as X, Y and Z")."""
    lows = doc.lows
    sent = doc.token_at(doc.sentence(doc.starts[first])[0])  # cue words stay in the phrase's sentence
    while first > sent and first - 1 > enum_end and lows[first - 1] in _SKIP:
        first -= 1  # "for the scalable X": the cue is before the determiner and adjectives
    p1 = lows[first - 1] if first > sent else ""
    p2 = lows[first - 2] if first > sent + 1 else ""
    p3 = lows[first - 3] if first > sent + 2 else ""
    nxt = lows[last + 1] if last + 1 < len(lows) else ""
    if p1 == "of" and p2 in _TASK_NOUNS:
        return 4.0, True  # "the problem of X"
    if p1 in _STUDY_VERBS or (p1 in ("the", "on") and p2 in _STUDY_VERBS) or (p1 == "on" and p2 == "focus"):
        return 3.0, True  # "we address X", "we focus on X"
    if p1 == "for" and (p2 in _PURPOSE_NOUNS or p3 in _PURPOSE_NOUNS):
        return 3.0, True  # "a framework designed for X", "datasets for X"
    if (p1 in _ENUM_CUES or (p1 == "as" and p2 == "such")) and any(
            w in _TASK_NOUNS for w in lows[max(0, first - 6):first]):
        return 3.0, True  # "tasks such as X"
    if 0 <= enum_end < first <= enum_end + 4 and (
            "," in doc.text[doc.ends[first - 1]:doc.starts[first]] or p1 in ("and", "or")):
        return 3.0, True  # the next item of an enumeration
    if nxt in ("task", "tasks", "problem", "problems"):
        return 2.5, False  # "the X task"
    return 0.0, False


def candidates(ctx: Context) -> list[tuple[float, _Cand]]:
    """Every task candidate with its score, best first."""
    heads, mods, plural, triggers = _vocab()
    title, abstract = ctx.docs
    cands: dict[tuple[str, ...], _Cand] = {}
    order = 0

    def add(words: tuple[str, ...], score: float, doc: Doc, s: int, e: int) -> _Cand:
        nonlocal order
        cand = cands.get(words)
        if cand is None:
            order += 1
            cand = cands[words] = _Cand(words, score, doc, s, e, order)
        elif score > cand.score:
            cand.score, cand.doc, cand.start, cand.end = score, doc, s, e
        return cand

    # Acronym definitions: a task phrase defined is important; a coined name's expansion is no task.
    defined: dict[int, str] = {}
    coined: set[tuple[str, ...]] = set()
    for c in coined_names(ctx):
        for name in (c.name, *c.aliases):
            parts = _normal(_COMPOUND.findall(name.lower()) or ["x"], plural)
            coined.update(parts[-n:] for n in range(min(3, len(parts)), len(parts) + 1))
    for d in ctx.definitions:
        known = ctx.lexicon.lookup(d.acronym)
        if known is not None and known.kind != "task" and not known.learned:  # "Low-Rank Adaptation (LoRA)"
            coined.add(_normal(_COMPOUND.findall(d.expansion.lower()) or ["x"], plural))
        elif d.field == "abstract":
            defined[d.exp_end] = d.acronym

    # Abstract: every head word with its modifiers; cues and repetition.
    covered: dict[tuple[str, int], int] = {}  #: (field, head token) -> first token of the phrase read there
    occurrences: list[tuple[list[str], list[int], int, float]] = []
    lows = abstract.lows
    enum_end = -10
    verbal: list[tuple[tuple[str, ...], int, int, float]] = []
    for h in _positions(lows, triggers):
        w = lows[h]
        if w in _NOMINAL and h > 1 and lows[h - 1] in ("for", "to"):
            phrase = _verbal(abstract, h, w, mods, heads, plural)
            if phrase is not None:
                purpose = lows[h - 2] in _PURPOSE_NOUNS or lows[h - 2] in ("aim", "aims", "seek", "seeks")
                verbal.append((phrase[0], abstract.starts[h], phrase[1], 3.0 if purpose else 2.0))
            continue
        if w not in heads or (h + 1 < len(lows) and abstract.text[abstract.ends[h]:abstract.starts[h + 1]] in _HYPHENS):
            continue
        firsts, words = _phrase_back(abstract, h, heads, mods)
        if not words:
            continue
        first = firsts[0]
        if len(words) > 1:
            covered[("abstract", h)] = first
        cue, chain = _cue(abstract, first, h, enum_end)
        enum_end = h if chain else -10
        if len(words) == 1 and occurrences and first >= 2 and lows[first - 1] in ("and", "or") \
                and occurrences[-1][2] == first - 2 and len(occurrences[-1][0]) > 1:
            words = [*occurrences[-1][0][:-1], words[0]]  # "entity detection and linking"
            firsts = [firsts[0]] * len(words)
        occurrences.append((words, firsts, h, cue))
    suffix_count: dict[tuple[str, ...], int] = {}
    for words, _, _, _ in occurrences:
        norm = _normal(words, plural)
        for n in range(1, len(norm) + 1):
            suffix_count[norm[-n:]] = suffix_count.get(norm[-n:], 0) + 1
    for words, firsts, h, cue in occurrences:
        norm = _normal(words, plural)
        best = norm[-3:] if len(norm) > 3 else norm
        for n in range(len(norm), 1, -1):
            if suffix_count[norm[-n:]] >= 2:
                best = norm[-n:]
                break
        cand = add(best, cue, abstract, abstract.starts[firsts[-len(best)]], abstract.ends[h])
        cand.count = suffix_count.get(best, 1) if len(best) > 1 else 1
        if firsts[0] == 0:
            cand.score = max(cand.score, 2.5)  # the opening words of the abstract: its topic
        acronym = defined.get(abstract.ends[h])
        if acronym is not None:  # "Fine-Grained Visual Classification (FGVC)": named to be used again
            cand.score += 1.5
            cand.count += abstract.text.count(acronym) - 1

    for vwords, start, end, cue in verbal:  # "for estimating the treatment effect (ATE)"
        cand = add(vwords, cue, abstract, start, end)
        acronym = defined.get(end)
        if acronym is not None:
            cand.score += 1.5
            cand.count = max(cand.count, abstract.text.count(acronym))

    # Title: phrases with an activity head; the strongest evidence.
    tl = title.lows
    prev_phrase: tuple[int, list[str]] | None = None
    for h in _positions(tl, triggers):
        w = tl[h]
        if (h + 1 < len(tl) and title.text[title.ends[h]:title.starts[h + 1]] in _HYPHENS):
            continue
        firsts, words = _phrase_back(title, h, heads, mods)
        if not words:
            continue
        first = firsts[0]
        if len(words) == 1 and prev_phrase is not None and first >= 1 and tl[first - 1] == "and" \
                and prev_phrase[0] == first - 2 and len(prev_phrase[1]) > 1:
            words = [*prev_phrase[1][:-1], words[0]]  # "tool classification and localization"
        prev_phrase = (h, words)
        covered[("title", h)] = first
        if w in _NOMINAL and (first == 0 or tl[first - 1] in ("for", "to", "towards")
                              or ":" in title.text[title.ends[first - 1]:title.starts[first]]):
            phrase = _verbal(title, h, w, mods, heads, plural)  # "Identifying Climate Targets"
            if phrase is not None:
                add(phrase[0], 6.0, title, title.starts[h], phrase[1])
            continue
        if w not in heads:
            continue  # a verb ("by Summarizing X") that does not open a purpose
        if len(words) == 1 and w.endswith("ing") and w not in _VAGUE_GERUNDS and (
                first == 0 or tl[first - 1] in ("for", "to")):
            obj = _phrase_forward(title, h + 1, mods, heads)
            if obj:
                words = [words[0], *obj[-3:]]  # "for Mining Pre-trained Model Packages"
                add(tuple(words), 6.0, title, title.starts[first], title.ends[min(len(tl) - 1, h + len(obj))])
                continue
        if h + 2 < len(tl) and tl[h + 1] == "of" and title.text[title.ends[h]:title.starts[h + 1]] == " " \
                and words[-1] not in _VAGUE_GERUNDS:
            obj = _phrase_forward(title, h + 2, mods, heads, 3)
            if obj and len(obj) <= 3 and obj[-1] not in heads:  # "Early Prediction of Misinformation"
                add((*obj[:-1], _singular(obj[-1]), words[-1]), 6.0, title, title.starts[first],
                    title.ends[min(len(tl) - 1, h + 1 + len(obj))])
                continue
        norm = _normal(words, plural)
        if len(norm) > 2:  # prefer the longest suffix the abstract repeats
            for n in range(len(norm), 1, -1):
                if suffix_count.get(norm[-n:], 0) >= 2 and " ".join(norm[-n:]) not in _BROAD:
                    norm = norm[-n:]
                    break
            else:
                while len(_task_words(norm)) > 4 and len(norm) > 2:
                    norm = norm[1:]
        score = 6.0 if len(norm) > 1 else 3.0
        cand = add(norm, score, title, title.starts[firsts[-len(norm)]] if len(norm) <= len(firsts) else first,
                   title.ends[h])
        cand.score = max(cand.score, score) + 1.0 if cand.count else max(cand.score, score)

    # Known task names anywhere (the gazetteer already ran): a bonus, or a candidate of their own.
    abstract_entries = [h2.entries for h2 in ctx.hits["abstract"]]
    for doc, hit, entry in ctx.entity_hits("task"):
        names = _COMPOUND.findall(entry.name.lower())
        if not names:
            continue
        key = _normal(names, plural)
        found = cands.get(key)
        if hit.end < len(doc.text) and doc.text[hit.end] in _HYPHENS:
            continue  # "Clustering-Based": a modifier, not the task
        if found is None:
            if covered.get((doc.field, hit.j - 1), hit.i + 1) <= hit.i:
                continue  # part of a longer phrase, which stands for it
            if doc.field == "title":
                score = 5.0 if len(key) > 1 else 3.0
            else:
                count = abstract_entries.count(hit.entries)
                score = _cue(doc, hit.i, hit.j - 1, -10)[0] + (1.0 if count >= 2 else 0.0)
            found = add(key, score, doc, hit.start, hit.end)
            found.count = max(found.count, 1)
        if found.entry is None:
            found.entry = entry
            found.score += 0.5

    ranked = []
    for cand in cands.values():
        label = " ".join(cand.words)
        if label in _BROAD or cand.words[-1] in _STOP or cand.words in coined:
            continue
        score = cand.score + min(cand.count - 1, 3) * 0.75 if cand.count > 1 else cand.score
        if len(cand.words) == 1:  # a bare head word is a task only when the list knows it ("Classification")
            if cand.words[0] in _WEAK_HEADS or score < 3.0:
                continue
            if cand.entry is None and not (label in _CORE_HEADS and cand.score >= 3.0):
                known = ctx.lexicon.lookup(label, "task")
                if known is None or known.kind != "task":
                    continue
                cand.entry = known
        ranked.append((score, -cand.order, cand))
    ranked.sort(key=lambda r: (-r[0], -r[1]))
    return [(score, cand) for score, _, cand in ranked]


def extract_tasks(ctx: Context) -> list[Mention]:
    """Up to :data:`MAX_TASKS` tasks, best-scored first (see the module docstring)."""
    out: list[Mention] = []
    chosen: list[frozenset[str]] = []
    for score, cand in candidates(ctx):
        if score < THRESHOLD or len(out) >= MAX_TASKS:
            break
        words = frozenset(w[:6] for w in _task_words(cand.words))  # "physical" ~ "physics"
        if not words or any(len(words & c) * 2 > len(words | c) or words <= c or c <= words for c in chosen):
            continue
        chosen.append(words)
        label = " ".join(cand.words)
        entry = cand.entry or ctx.lexicon.lookup(label, "task")
        if entry is not None and entry.kind != "task" and compact(entry.name) == compact(label):
            continue  # a listed method or model ("low-rank adaptation"), not a task
        ref = entry.ref() if entry is not None and entry.kind == "task" and compact(entry.name) == compact(label) \
            else EntityRef("task", compact(label), label, _variants(cand.words))
        out.append(make(cand.doc, "addressesTask", cand.start, cand.end, NAME, min(0.9, 0.3 + score / 15), ref))
    return out
