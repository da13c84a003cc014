"""Names a paper coins: "X: A ... Benchmark" titles, "we propose X, a ...", "called X", "Long Form (X)".

Shared by :mod:`kg.extract.methods` and :mod:`kg.extract.datasets`: both look for the same naming
acts and differ only in the head noun that says whether the new thing is data or a method.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kg.extract.context import Context
from kg.extract.cues import anchored, find_all
from kg.extract.sentences import Doc
from kg.link import compact

#: A token that reads as a coined name: internal capital, digit, or all caps.
NAMEISH = re.compile(r"^(?=.*[A-Za-z])(?:[A-Z0-9][\w\-.+]*[A-Z0-9][\w\-.+]*|[A-Za-z][a-z]+[A-Z][\w\-.+]*|"
                     r"\w*\d\w*)$")
_DATA_HEADS = re.compile(r"\b(?:datasets?|benchmarks?|corpus|corpora|suite|collection|testbed|repository|"
                         r"leaderboard|challenge|database|arena|gym|environment)\b", re.I)
_TITLE = re.compile(r"^\s*(?P<name>[^:?!]{2,40}?)\s*:\s+(?P<sub>\S.*)$")
_REPORT = re.compile(r"^\s*(?P<name>\S+(?: \S+)?) Technical Report\b", re.I)
_VERB = re.compile(
    r"\b(?:we|this (?:paper|work|study)|our work)\s+(?:\w+ly\s+|also\s+|further\s+|then\s+)?"
    r"(?:propose|introduce|present|release|develop|build|design|create|contribute|unveil|construct|curate|"
    r"collect|open-source|describe)[sd]?\b(?:\s+and\s+(?:\w+\s+)?\w+)?", re.I)
_OBJECT = re.compile(
    r"\s*(?:(?:a|an|the|our|two|three)\s+)?(?:(?:new|novel|simple|large-scale|open-source|unified|first|"
    r"general|efficient|effective|publicly available|comprehensive|challenging)\s+){0,3}"
    r"(?:(?:\w+[\s-]){0,4}?(?:framework|method|model|dataset|benchmark|approach|system|library|toolkit|"
    r"platform|corpus|algorithm|technique|pipeline|suite|family|architecture|agent|tool|strategy)s?,?\s+"
    r"(?:called\s+|named\s+|dubbed\s+|termed\s+)?)?(?P<name>[^\s,;:()]+)")
#: The words a :data:`_VERB` match starts with (lower-cased), and likewise for the patterns below.
_VERB_STARTS = ("we", "this", "our")
_BARE_VERB = re.compile(r"\b(?:introduc|propos|present)(?:e|es|ed|ing)\s+(?:the\s+|a\s+|an\s+|our\s+)?")
_BARE_VERB_STARTS = ("introduc", "propos", "present")
_CALLED = re.compile(
    r"(?<!so-)\b(?:called|named|dubbed|termed|coined|nicknamed)\s+(?:as\s+)?(?:``|\"|'|\u201c)?"
    r"(?P<name>[^\s,;:()\"'`\u201d]+(?:[ -][^\s,;:()\"'`\u201d]+){0,3}?)(?:''|\"|'|\u201d)", re.I)
_CALLED_BARE = re.compile(r"(?<!so-)\b(?:called|named|dubbed|termed|coined)\s+(?:as\s+)?(?P<name>[^\s,;:()]+)")
_CALLED_STARTS = ("called", "named", "dubbed", "termed", "coined", "nicknamed")
_APPOS = re.compile(r"(?:^|(?<=[.;,])\s+|\bintroduce\s+|\bpresent\s+)(?P<name>[^\s,;:()]+),\s+(?:a|an|the)\s+"
                    r"(?P<head>(?:[\w-]+\s+){0,6}?(?:framework|method|model|dataset|benchmark|approach|system|"
                    r"library|toolkit|platform|corpus|algorithm|technique|pipeline|suite|family|collection))\b")
_APPOS_ANCHOR = re.compile(r",\s+(?:a|an|the)\s")
#: "the Dynamic Pack padding strategy", "our Unified Paging mechanism": two to four capitalised words before a
#: head noun that says a technique is being named (after a verb of proposing, see :data:`_BARE_VERB`).
_TITLED_HEAD = re.compile(r"(?P<name>[A-Z][\w-]*(?: [A-Z][\w-]*){1,3}) (?:[a-z][\w-]* )?(?:method|strategy|technique|"
                          r"algorithm|mechanism|module|framework|approach|scheme|procedure|pipeline|system)s?\b")
#: Two to four capitalised words (a multi-word name: "Unified Paging"), matched where an object begins.
_TITLED = re.compile(r"(?P<name>[A-Z][a-z][\w-]*(?: [A-Z][\w-]*){1,3})\b")
#: Code hosts whose last path part usually names the paper's own method or dataset.
_REPO = re.compile(r"(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co/spaces)/[\w.-]+/(?P<repo>[\w.-]+)", re.I)
#: Between a verb of proposing and a definition: a preposition or relative word makes the defined term an
#: argument of the object ("an approach for estimating the average treatment effect (ATE)"), not the object.
_ARGUMENT = re.compile(r"\b(?:for|of|on|to|in|with|by|from|that|which|under|over|between|about|using|within|into|"
                       r"via|through|across|against)\b", re.I)
#: Passive voice before "proposed"/"introduced": prior work, not this paper's naming act.
_PASSIVE = re.compile(r"\b(?:been|be|is|are|was|were)\s+$", re.I)
_STOP = frozenset(
    "llm llms ai ml nlp gpu gpus cpu api apis sota rl cv vlm vlms mllm mllms lm lms plm plms nn dnn dnns cnn cnns "
    "rnn rnns qa us uk eu i ii iii iv 2d 3d 4d 1d gpt ptm ptms".split())
_TITLE_WORDS = frozenset(
    "position survey review tutorial perspective overview introduction towards toward beyond rethinking "
    "revisiting understanding benchmarking evaluating on why how what when scaling learning report "
    "case study editorial commentary abstract chapter appendix".split())


@dataclass(frozen=True, slots=True)
class Coined:
    """A name the paper introduces, where it was named, and whether it is data or a method."""

    name: str
    aliases: tuple[str, ...]
    kind: str  #: "dataset" or "method"
    field: str
    start: int
    end: int
    confidence: float


def _clean(name: str) -> str:
    return name.strip(".,;:'\"`\u201c\u201d-")


def _nameish(name: str, title: bool = False) -> bool:
    if name.lower() in _STOP or len(name) < 2 or len(name) > 40:
        return False
    if NAMEISH.match(name):
        return True
    return title and name[:1].isupper() and name.isalpha() and name.lower() not in _TITLE_WORDS


def _acronym_name(acronym: str) -> bool:
    """A defined short form names a new thing when it is not a generic acronym (LLM, NLP)."""
    return acronym[:1].isupper() and acronym.lower().rstrip("s") not in _STOP and acronym.lower() not in _STOP


def _kind(text: str) -> str:
    return "dataset" if _DATA_HEADS.search(text) else "method"


def _from_title(doc: Doc) -> list[Coined]:
    out: list[Coined] = []
    text = doc.text
    # Cheap tests first: most titles have no colon, and a "Technical Report" is rare.
    m = _TITLE.match(text) if ":" in text else None
    if m is None and (doc.lower is None or "technical report" in doc.lower):
        m = _REPORT.match(text)
    if not m:
        return out
    name = _clean(m.group("name"))
    words = name.split()
    if not 1 <= len(words) <= 3 or not any(_nameish(w, title=len(words) == 1) for w in words):
        return out
    if len(words) > 1 and not all(w[:1].isupper() or w[:1].isdigit() for w in words):
        return out
    sub = m.groupdict().get("sub") or ""
    kind = _kind(" ".join(sub.split()[:8]))
    start = doc.text.index(name)
    out.append(Coined(name, (), kind, "title", start, start + len(name), 0.9))
    return out


def coined_names(ctx: Context) -> list[Coined]:
    """Every coined name, title first, then the abstract in text order (duplicates kept)."""
    title, abstract = ctx.docs
    out = _from_title(title)
    title_keys = {c.name.lower() for c in out}
    for doc in (abstract,):
        text = doc.text
        for m in _matches(_VERB, doc, _VERB_STARTS, folded=True):
            s_end = doc.sentence(m.start())[1]
            o = _OBJECT.match(text, m.end(), s_end)
            for d in ctx.definitions:  # "we propose Long Form (LF)"
                if d.field == doc.field and m.end() <= d.exp_start and d.end <= s_end and \
                        d.exp_start - m.end() < 60 and _acronym_name(d.acronym) and \
                        not _ARGUMENT.search(text, m.end(), d.exp_start):
                    after = text[d.end:d.end + 60]
                    out.append(Coined(d.acronym, (d.expansion,), _kind(text[m.end():d.exp_start] + " " + after),
                                      doc.field, d.start, d.end, 0.85))
            titled = _titled_object(text, o, s_end) if o else None
            if o and _inside_expansion(ctx, doc, o.start("name")):
                pass  # "we propose the Sparsity-Aware Local Masking (SALM) method": the definition names it
            elif titled is not None:
                out.append(Coined(titled[0], (), _kind(text[m.end():titled[1]] + " " + text[titled[2]:titled[2] + 60]),
                                  doc.field, titled[1], titled[2], 0.8))
            elif o:
                name = _clean(o.group("name"))
                if _nameish(name) or name.lower() in title_keys:
                    start = o.start("name")
                    ctx_text = text[m.end():start] + " " + text[start + len(name):start + len(name) + 60]
                    exp = ctx.expansion_of(name)
                    out.append(Coined(name, (exp,) if exp else (), _kind(ctx_text), doc.field, start,
                                      start + len(name), 0.85))
        bare_verbs = _matches(_BARE_VERB, doc, _BARE_VERB_STARTS)
        for m in bare_verbs:  # "X introduces the Long Form (LF) method"
            if _PASSIVE.search(text, max(0, m.start() - 12), m.start()):
                continue  # "MLFFs have been proposed to accelerate molecular dynamics (MD)": someone else's
            for d in ctx.definitions:
                if d.field == doc.field and 0 <= d.exp_start - m.end() < 40 and _acronym_name(d.acronym) \
                        and text[m.end():d.exp_start].count(",") == 0 and not _ARGUMENT.search(
                            text, m.end(), d.exp_start):
                    out.append(Coined(d.acronym, (d.expansion,), _kind(text[d.end:d.end + 40]), doc.field,
                                      d.start, d.end, 0.8))
        for m in bare_verbs:  # "... introduces the Dynamic Pack padding strategy"
            t = _TITLED_HEAD.match(text, m.end(), doc.sentence(m.start())[1])
            if t and not _known(ctx, t.group("name")):
                out.append(Coined(t.group("name"), (), _kind(t.group(0)), doc.field, t.start("name"), t.end("name"),
                                  0.75))
            elif t is None and title_keys and text[:m.start()].rstrip().rsplit(" ", 1)[-1].lower() in title_keys:
                # "S-LoRA proposes Unified Paging": the paper's own system as the subject
                titled = _titled_object(text, _TITLED.match(text, m.end()), doc.sentence(m.start())[1])
                if titled is not None:
                    out.append(Coined(titled[0], (), _kind(text[titled[2]:titled[2] + 60]), doc.field, titled[1],
                                      titled[2], 0.75))
        out.extend(_from_repository(ctx, doc, title_keys))
        for pattern, starts, folded in ((_CALLED, _CALLED_STARTS, True), (_CALLED_BARE, _CALLED_STARTS, False)):
            for m in _matches(pattern, doc, starts, folded):
                name = _clean(m.group("name"))
                if pattern is _CALLED_BARE and not _nameish(name):
                    continue
                if pattern is _CALLED and len(name) < 3:
                    continue
                s, e = doc.sentence(m.start())
                out.append(Coined(name, (), _kind(text[s:m.start()]), doc.field, m.start("name"),
                                  m.start("name") + len(name), 0.8))
        for m in _appositions(text):
            name = _clean(m.group("name"))
            if _nameish(name) or name.lower() in title_keys:
                out.append(Coined(name, (), _kind(m.group("head")), doc.field, m.start("name"),
                                  m.start("name") + len(name), 0.8))
    return out


def _inside_expansion(ctx: Context, doc: Doc, pos: int) -> bool:
    """Is ``pos`` within the long form of an acronym defined in ``doc``?"""
    return any(d.field == doc.field and d.exp_start <= pos < d.start for d in ctx.definitions)


def _known(ctx: Context, name: str) -> bool:
    """A listed name (Bayesian Optimization) is used, not coined, even when written in title case."""
    return ctx.lexicon.lookup(name) is not None


def _titled_object(text: str, o: re.Match[str] | None, s_end: int) -> tuple[str, int, int] | None:
    """A multi-word title-case name where an object begins ("we propose Unified Paging"): (name, start, end).

    Title-case phrases are often just emphasis, so the name must be written the same way again later in
    the text, or be followed by a head noun (``strategy``, ``method``); listed names are not coined.
    """
    if o is None:
        return None
    start = o.start("name") if "name" in o.re.groupindex else o.start()
    t = _TITLED.match(text, start, s_end)
    if t is None:
        return None
    name = t.group("name")
    words = name.split()
    if _HEAD_WORDS.fullmatch(words[-1].lower()):
        return None  # "DataFinder Dataset": the name is the first word, read by the one-token rule
    if words[0].lower() in _TITLE_WORDS or words[0] in ("The", "A", "An", "Our", "This", "These", "We"):
        return None
    head = _TITLED_HEAD.match(text, start, s_end)
    if text.find(name, t.end()) < 0 and (head is None or head.group("name") != name):
        return None
    return name, t.start(), t.end()


def _from_repository(ctx: Context, doc: Doc, title_keys: set[str]) -> list[Coined]:
    """The paper's code repository named after a name the abstract uses: github.com/org/PreSelect + "PreSelect".

    Only a written form with a capital or digit inside counts (a plain word is no name), and only outside
    the URL itself.
    """
    out: list[Coined] = []
    text = doc.text
    low = doc.lower if doc.lower is not None else text.lower()
    if "github" not in low and "gitlab" not in low and "bitbucket" not in low and "huggingface" not in low:
        return out  # most abstracts: no scan of the whole text with a case-folding regex
    repos = anchored(_REPO, text, find_all(doc.lower, _REPO_STARTS)) if doc.lower is not None else _REPO.finditer(text)
    for m in repos:
        repo = m.group("repo").removesuffix(".git").rstrip(".")
        if len(repo) < 3 or repo.lower() in _STOP or not any(c.isalpha() for c in repo):
            continue
        for start in _written_at(text, doc.lower, repo):
            end = start + len(repo)
            written = text[start:end]
            if _REPO_URL_NEAR.search(text, max(0, start - 120), start) is not None and \
                    text.rfind(" ", 0, start) < text.rfind("/", 0, start):
                continue  # inside a URL
            if not NAMEISH.match(written):
                continue  # "Preselect" in running text, "PreSelect" further on
            if _known(ctx, written) or any(written.lower() in key.split() for key in title_keys):
                break  # a listed name, or the title's own name (already coined there)
            out.append(Coined(written, (), _kind(text[end:end + 40]), doc.field, start, end, 0.7))
            break
    return out


def _written_at(text: str, lower: str | None, repo: str) -> Iterator[int]:
    r"""Where ``repo`` is written as a word of its own, in any case: the starts of
    ``re.finditer(r"(?<![\w/.-])" + re.escape(repo) + r"(?![\w-])", text, re.I)``.

    Compiling that pattern costs about half a millisecond and repository names rarely recur across
    papers, so an ASCII name is looked up with ``str.find`` in the case-folded text (which folds ASCII
    words as ``re.IGNORECASE`` does, see :attr:`Doc.lower`) and its borders checked as the pattern would.
    """
    if lower is None or not repo.isascii():
        pattern = re.compile(r"(?<![\w/.-])" + re.escape(repo) + r"(?![\w-])", re.I)
        yield from (w.start() for w in pattern.finditer(text))
        return
    key, size = repo.lower(), len(repo)
    at = lower.find(key)
    while at >= 0:
        if (at == 0 or _BEFORE_NAME.match(text, at - 1) is None) and _AFTER_NAME.match(text, at + size) is None:
            yield at
            at = lower.find(key, at + size)  # finditer goes on after the match
        else:
            at = lower.find(key, at + 1)


_HEAD_WORDS = re.compile(r"(?:dataset|benchmark|corpus|suite|collection|framework|method|model|approach|system|"
                         r"library|toolkit|platform|algorithm|technique|pipeline|architecture|agent|tool|strategy)s?")
_REPO_URL_NEAR = re.compile(r"https?://|www\.|\w\.(?:com|org|io|co)/")
#: Every way a :data:`_REPO` match can begin (lower case).
_REPO_STARTS = ("github.com", "gitlab.com", "bitbucket.org", "huggingface.co/spaces")
#: What may not touch a repository name written as a word (the look-arounds of :func:`_written_at`).
_BEFORE_NAME = re.compile(r"[\w/.-]")
_AFTER_NAME = re.compile(r"[\w-]")


def _matches(pattern: re.Pattern[str], doc: Doc, starts: tuple[str, ...], folded: bool = False) -> list[re.Match[str]]:
    """``pattern.finditer(doc.text)``, tried only where one of ``starts`` (the words every match begins
    with) occurs; ``folded`` patterns ignore case, so their words are looked up in the lower-cased text."""
    if not folded:
        return anchored(pattern, doc.text, find_all(doc.text, starts))
    if doc.lower is None:
        return list(pattern.finditer(doc.text))
    return anchored(pattern, doc.text, find_all(doc.lower, starts))


def _appositions(text: str) -> list[re.Match[str]]:
    """_APPOS matches, tried only just before each ", a/an/the" (a cheap anchor) for speed."""
    out: list[re.Match[str]] = []
    for anchor in _APPOS_ANCHOR.finditer(text):
        begin = text.rfind(" ", 0, anchor.start())
        begin = max(text.rfind(" ", 0, max(begin, 0)), 0) if begin > 0 else 0
        m = _APPOS.search(text, begin, anchor.end() + 120)
        if m and m.start("name") < anchor.start() + 1 and (not out or out[-1].start() != m.start()):
            out.append(m)
    return out


def coined(ctx: Context) -> list[Coined]:
    """:func:`coined_names` merged per name (first place kept, aliases joined), cached on the context."""
    if ctx.coined is None:
        merged: dict[str, Coined] = {}
        for c in coined_names(ctx):
            key = compact(c.name)
            if not key:
                continue
            if key in merged:
                old = merged[key]
                aliases = tuple(dict.fromkeys(old.aliases + c.aliases))
                kind = "dataset" if "dataset" in (old.kind, c.kind) else "method"
                merged[key] = Coined(old.name, aliases, kind, old.field, old.start, old.end, old.confidence)
            else:
                merged[key] = c
        ctx.coined = list(merged.values())
    return ctx.coined  # type: ignore[return-value]
