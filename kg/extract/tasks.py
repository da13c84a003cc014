"""Tasks a paper addresses (``addressesTask``), as short lower-case noun phrases.

Titles state the problem most directly ("... for Video Frame Interpolation"), so title phrases with
an activity head come first, then listed task names in the title, then in the abstract. At most a
few per paper: the gold standard asks for the main ones only.
"""

from __future__ import annotations

import re

from kg.extract.context import Context, make
from kg.extract.sentences import Doc
from kg.link import compact
from kg.model import EntityRef, Mention

NAME = "tasks"
MAX_TASKS = 3
_SPLIT = re.compile(r"\s*(?::|\?|!|\s-\s|\s\u2013\s|,|\bfor\b|\bvia\b|\bwith\b|\busing\b|\bthrough\b|\bin\b|"
                    r"\bfrom\b|\bon\b|\bby\b|\bof\b|\band\b|\bto\b|\bis\b|\bare\b|\bwhen\b|\btowards?\b)\s*", re.I)
_HEAD = re.compile(r"(?:tion|sion|ing|ment|sis|retrieval|answering|search|control|transfer|"
                   r"recognition|learning|modeling|modelling|segmentation|detection|generation|"
                   r"classification|translation|summarization|reasoning|understanding|estimation|prediction|"
                   r"tracking|synthesis|editing|alignment|forecasting|ranking|recommendation|curation)s?$", re.I)
_LEAD = re.compile(r"^(?:a|an|the|towards?|on|efficient|effective|scalable|robust|improving|improved|better|"
                   r"simple|novel|new|large|small|fast|rethinking|revisiting|understanding|boosting|"
                   r"enhancing|learning|unified|general|generalist|pre-trained|pretrained)\s+", re.I)
_STOP = frozenset("a an the of for in on to and or with by from via using based towards toward".split())
_PURPOSE = re.compile(
    r"\b(?:(?:framework|method|approach|system|algorithm|technique|pipeline|model|strategy|benchmark)s?"
    r"(?:\s+\w+ed)?(?:\s+specifically)?\s+for|we\s+(?:address|tackle|study|focus\s+on|consider|investigate)"
    r"(?:\s+the\s+(?:problem|task)\s+of)?)\s+(?:the\s+)?(?P<task>[a-z][\w-]*(?:\s[a-z][\w-]*){0,4})")
_BROAD = frozenset(("machinelearning", "deeplearning", "artificialintelligence", "computervision",
                    "naturallanguageprocessing", "datascience", "representationlearning"))
_BAD_HEAD = frozenset("thing nothing everything something string king ring morning setting sing bring "
                      "training pretraining pre-training fine-tuning finetuning tuning scaling".split())


def _title_phrases(doc: Doc) -> list[tuple[str, int, int]]:
    out = []
    pos = 0
    for part in _SPLIT.split(doc.text):
        start = doc.text.find(part, pos) if part else -1
        if start < 0 or not part:
            continue
        pos = start + len(part)
        phrase = part.strip(" .'\"")
        while True:
            cut = _LEAD.sub("", phrase)
            if cut == phrase:
                break
            phrase = cut
        words = phrase.split()
        if not 1 <= len(words) <= 4 or not _HEAD.search(words[-1]) or words[-1].lower() in _BAD_HEAD:
            continue
        if any(p[:1].isupper() and any(c.isupper() for c in p[1:]) for w in words for p in w.split("-")):
            continue  # contains a name (LLM2LLM, CLIP): not a task phrase
        s = doc.text.find(phrase, start)
        out.append((phrase.lower(), s, s + len(phrase)))
    return [p for p in _distribute(out) if " " in p[0] or len(p[0]) >= 9]


def _distribute(phrases: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """"surgical tool classification and localization": the bare head shares the modifiers before it."""
    out = []
    for n, (phrase, s, e) in enumerate(phrases):
        if " " not in phrase and n and out and " " in out[-1][0] and out[-1][2] < s:
            modifiers = out[-1][0].rsplit(" ", 1)[0]
            phrase = f"{modifiers} {phrase}"
        out.append((phrase, s, e))
    return out


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP)


def _purpose_phrases(doc: Doc) -> list[tuple[str, int, int]]:
    """"a framework for collaborative training", "we address X": the goal stated next to a naming verb."""
    out = []
    for m in _PURPOSE.finditer(doc.text):
        phrase = m.group("task")
        words = []
        for w in phrase.split():
            if w in _STOP:
                break
            words.append(w)
        while words and not _HEAD.search(words[-1]):
            words.pop()
        if len(words) > 2 and words[0].endswith("ing"):
            words.pop(0)  # "addressing fine-tuning instability"
        if 2 <= len(words) <= 4 and words[-1].lower() not in _BAD_HEAD:
            phrase = " ".join(words)
            out.append((phrase.lower(), m.start("task"), m.start("task") + len(phrase)))
    return out


def extract_tasks(ctx: Context) -> list[Mention]:
    """Up to :data:`MAX_TASKS` tasks: title phrases, stated purposes, then listed tasks (title, then
    repeated in the abstract); near-duplicates (word overlap >= 0.5) are skipped."""
    out: list[Mention] = []
    chosen: list[frozenset[str]] = []
    title, abstract = ctx.docs

    def add(doc: Doc, s: int, e: int, ref: EntityRef, confidence: float) -> None:
        words = _words(ref.label)
        if len(out) >= MAX_TASKS or not words or any(
                len(words & c) * 2 > len(words | c) or words <= c or c <= words for c in chosen):
            return
        chosen.append(words)
        out.append(make(doc, "addressesTask", s, e, NAME, confidence, ref))

    for doc, phrases in ((title, _title_phrases(title)), (abstract, _purpose_phrases(abstract))):
        for phrase, s, e in phrases:
            entry = ctx.lexicon.lookup(phrase, "task")
            known = entry is not None and entry.kind == "task"
            add(doc, s, e, entry.ref() if known else EntityRef("task", compact(phrase), phrase), 0.6)
    for doc, hit, entry in ctx.entity_hits("task"):
        if (len(_words(entry.name)) < 2 and len(entry.name) < 12) or entry.key in _BROAD:
            continue  # "Fairness", "Machine Learning": too broad to be what a paper addresses
        if doc.field == "abstract" and len(out) >= 2 and \
                sum(h.entries == hit.entries for h in ctx.hits["abstract"]) < 2:
            continue  # a task named once in passing is rarely what the paper addresses
        add(doc, hit.start, hit.end, entry.ref(), 0.5)
    return out
