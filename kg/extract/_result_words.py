"""The words and patterns :mod:`kg.extract.results` reads numbers with: units, change words, hedges,
amounts of data, list separators, and the listed metric names written as ordinary words.

Kept apart so the extractor reads as its rules; every pattern here is general (no paper's wording).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib.resources import files
from typing import NamedTuple

#: A number with its unit, or a bare number (which counts only next to a metric name: "BLEU of 31.2").
_NUMBER = re.compile(r"(?<![\w.@])(?P<num>\d+(?:\.\d+)?)(?:(?:\s|-(?=point))?"
                     r"(?P<unit>\\?%|percentage points?\b|pp\b|pts?\b|points?\b|dB\b|x\b|\u00d7)"
                     r"|(?![\w%\\-]|\.\d|\s\\?%))")
#: A number on its own (not part of a name such as GSM8K or GPT-4).
_STANDALONE = re.compile(r"(?<![\w.-])\d")
#: Stems of change words; :data:`_CHANGE_NOUN` gives the noun kept as ``change``.
_STEMS = (r"improv|increas|gain|boost|enhanc|rais|lift|uplift|jump|reduc|decreas|lower|cut|drop|declin|degrad|"
          r"fewer|less|smaller|higher|better|more|larger|faster|slower|speed-?up|acceleration|outperform|surpass|"
          r"exceed|beat|margin|advantage|variation|differen|gap")
_CHANGE = re.compile(rf"\b({_STEMS})\w*", re.I)
_CHANGE_NOUN = {
    "improv": "improvement", "enhanc": "improvement", "better": "improvement", "increas": "increase",
    "rais": "increase", "higher": "increase", "more": "increase", "larger": "increase", "lift": "increase",
    "uplift": "increase", "jump": "increase", "gain": "gain", "boost": "boost", "reduc": "reduction",
    "cut": "reduction", "fewer": "reduction", "less": "reduction", "smaller": "reduction", "lower": "reduction",
    "decreas": "decrease", "drop": "decrease", "declin": "decrease", "degrad": "decrease", "slower": "decrease",
    "faster": "speedup", "speedup": "speedup", "speed-up": "speedup", "acceleration": "speedup",
    "outperform": "margin", "surpass": "margin", "exceed": "margin", "beat": "margin", "margin": "margin",
    "advantage": "margin", "variation": "difference", "differen": "difference", "gap": "difference",
}
_HEDGE = r"(?:up to|about|around|approximately|roughly|nearly|almost|over|more than|at least|as much as|" \
         r"an average of|on average|average|averaged|a margin of|a large margin of|an absolute|a relative|" \
         r"absolute|relative|only|just|\(|~|<|>|\u2248|\u2264|\u2265)"
#: The last words of "by" and of the hedges, and the signs a hedge may hold: a text ending otherwise
#: cannot end with a hedge (:func:`kg.extract.results._may_end_hedged`).
_HEDGE_ENDS = frozenset("by of to about around approximately roughly nearly almost over than least as average "
                        "averaged absolute relative only just".split())
_HEDGE_SIGNS = "(~<>\u2248\u2264\u2265"
#: Text before a number that makes it a change: "... by", "an improvement of", "gains of up to".
_DELTA_BEFORE = re.compile(rf"(?:\bby|(?:{_STEMS})\w*(?:\s+(?:of|by))?)\s+(?:{_HEDGE}\s*)*$", re.I)
#: What precedes a number and is not a change word: "by" and hedges ("by more than").
_TRAILING_HEDGES = re.compile(rf"(?:\bby\s+)?(?:{_HEDGE}\s*)*$", re.I)
#: Text after a number (a few words, no clause break) that makes it a change: "3% gain", "5 points higher".
_DELTA_AFTER = re.compile(
    r"^\s*(?:(?!(?:with|on|in|for|and|or|while|using|than|at|across|when|to|of|by|from|compared)\b)"
    r"(?=[@.-]*\w)[\w@.-]+\s+){0,3}?(?:improvements?|gains?|increases?|boosts?|reductions?|decreases?|drops?|declines?|"
    r"higher|lower|better|worse|faster|slower|fewer|less|more|smaller|larger|cheaper|speed-?ups?|uplifts?|"
    r"lifts?|jumps?|margins?|advantage|below|above)\b", re.I)
#: What ends the text before a spread ("81.5 \u00b1 0.3").
_SPREAD_SIGNS = ("\u00b1", "+/-", "+-")
_FROM = re.compile(r"\bfrom\s*$", re.I)
_TO_NEXT = re.compile(r"^\s*(?:[\w-]+\s+){0,3}?to\s+[+\-\u2212]?\d", re.I)
#: "29.2% to 46.4% gains": the first number of a range (the range is read at its end).
_RANGE = re.compile(r"^\s*to\s+[+\-\u2212]?\d", re.I)
_OF = re.compile(r"^[\s+)]*of\b", re.I)
#: "X% of <something's> performance": a result relative to another system's.
_OF_PERFORMANCE = re.compile(r"^[\s+)]*of\s+(?:[\w'\u2019.-]+\s+){0,3}?(?:performance|accuracy|scores?|gap|quality|"
                             r"capabilit\w*|results?)\b", re.I)
#: Amounts of data or resources, and thresholds: a number they follow is a setting, not an outcome.
_RESOURCE_NOUNS = (r"data|datasets?|samples?|examples?|tokens?|parameters?|params|weights?|labels?|annotations?|"
                   r"compute|budget|flops|memory|storage|costs?|time|size|sparsity|subsets?|vocabulary|layers?|"
                   r"steps?|epochs?|noise|mask(?:ing|ed)|prun\w*|compression|queries|instances|images|videos|documents|"
                   r"questions|problems|tasks|cases|users|participants|patients|nodes|GPUs?|barrier|threshold|"
                   r"mark|cut-?off|confidence|quantile|percentile")
_RESOURCE = re.compile(
    r"^[\s+)]*(?:(?:(?i:the|its|our|their|all|labell?ed|unlabell?ed|training|pre-?training|annotated|synthetic|"
    r"real|original|total|available|additional|extra|random|trainable|model|as many|as much)|[A-Z][\w-]*)\s+)*"
    rf"(?i:{_RESOURCE_NOUNS})\b")
#: A number in brackets after an amount: "60 examples per class (5%)".
_RESOURCE_BEFORE = re.compile(rf"\b(?:{_RESOURCE_NOUNS})(?:\s+per\s+\w+)?\s*\(\s*$", re.I)
#: A number in brackets after a name ("WSC (90.1%)"), or after a possessive ("CLIP's 68.3%"): that
#: name's number, which belongs to the paper only when the name is a dataset it names.
_NAMED_BEFORE = re.compile(r"(?:(?P<name>[A-Z][\w.-]*|[\w.-]*\d[\w.-]*)\s*\(\s*|[\w.-]+(?:'s|\u2019s)\s+)$")
#: A bare number right before "on <dataset>" ("60.8 on AIME"): a score even without a metric name.
_ON = re.compile(r"\s+on\s+(?:the\s+)?", re.I)
#: Words near an "x" that make it a ratio of speed or size ("2x faster", "a 3x speedup").
_RATIO = re.compile(r"\b(?:faster|slower|speed-?ups?|acceler\w*|throughput|fewer|less|more|smaller|larger|reduc\w*|"
                    r"compress\w*|improv\w*|increas\w*|higher|lower|better|cheaper|efficien\w*)\b", re.I)
#: The start of a range written with a dash ("15-20%", "5-7 points"): the range is read at its end.
_DASH_RANGE = re.compile(r"\d+(?:\.\d+)?-$")
#: A bare number whose unit is written once, after the next number: "by 2.27 and 1.85 points".
_SHARED_UNIT = re.compile(r"\s*(?:,|and|or|/)\s*\d+(?:\.\d+)?(?:\s|-(?=point))?"
                          r"(\\?%|percentage points?\b|pp\b|pts?\b|points?\b|dB\b|x\b|\u00d7)")
_BREAK = re.compile(r"[;,:]")
_LIST_WORDS = frozenset("on in for and or the across respectively vs versus to data dataset datasets benchmark "
                        "benchmarks set split".split())
_AFTER_STOP = frozenset("on for with and or while using than at across over compared to when by from".split())
_BEFORE_STOP = frozenset("and or while whereas but with".split())
#: The only words allowed between a metric and a bare number after it ("F1 score of 85.3", "BLEU improves by 2.1").
_BARE_LINK = frozenset(
    "of score scores is was are were to by reaches reaching reached achieves achieving achieved obtains obtaining "
    "obtained attains attaining yields yielding an a the average averaged mean up about around approximately nearly "
    "over improves improved improving improvement increases increased increase gains gain boosts boost reduces "
    "reduced reduction decreases decreased decrease drops dropped of".split())
#: "from 27.3 to" between a metric and a number: the metric still reads on the number after "to".
_FROM_TO = re.compile(r"\bfrom\s+[+\-\u2212]?\d[\d.]*\s?(?:\\?%|points?)?\s+to\b", re.I)
_WORD = re.compile(r"[\w@.'\u2019+-]+")
_WINDOW = 80
#: How much of the text before a number the patterns anchored at its end read (Python's regex engine
#: tries such a pattern at every position of the string it is given, so the string is kept short).
_TAIL = 48
#: "points" as such (a count, a score or a difference); "pp" and "percentage points" are differences.
_PLAIN_POINTS = frozenset({"point", "points", "pt", "pts"})


#: A metric name written as ordinary words ("Accuracy", "Success rate", "Top-1 Accuracy", "F1 score"),
#: which the text may write in any case; acronyms (BLEU, mAP, WER) are left to the gazetteer.
_WORDLIKE = re.compile(r"[A-Za-z0-9][a-z0-9]*(?:[ -][A-Za-z0-9][a-z0-9]*)*")


class MetricWords(NamedTuple):
    """The listed metric names written as ordinary words, by their lower-cased tokens."""

    names: dict[tuple[str, ...], str]  #: tokens -> the listed name
    firsts: frozenset[str]  #: the tokens a name can start with
    longest: int  #: the most tokens in a name


@lru_cache(maxsize=1)
def _metric_words(package: str = "kg.data.names") -> MetricWords:
    """The listed metric names written as ordinary words, to be found in any case. The gazetteer takes
    "Accuracy" for a metric only when capitalised or beside a cue ("accuracy" is also an everyday
    word); right beside a number it is one. Looked up by tokens (a dictionary per token, not one large
    alternation per sentence: ten times cheaper)."""
    names: dict[tuple[str, ...], str] = {}
    for file in ("metrics.jsonl", "curated.jsonl"):
        for line in files(package).joinpath(file).read_text(encoding="utf-8").splitlines():
            rec = json.loads(line) if line.strip() else {}
            if rec.get("type") != "metric":
                continue
            for form in (rec["name"], *rec.get("aliases", ())):
                if _WORDLIKE.fullmatch(form) and sum(c.isalpha() for c in form) >= 4:
                    names.setdefault(tuple(re.findall(r"[a-z0-9]+", form.lower())), rec["name"])
    return MetricWords(names, frozenset(k[0] for k in names), max(map(len, names)))
