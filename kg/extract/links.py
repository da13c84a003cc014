"""URLs: code repositories (``hasRepository``) and every other link (``hasLink``).

Only code hosts count as repositories (github.com, gitlab.com, bitbucket.org, huggingface.co/spaces);
project pages, hub models/datasets and DOIs are links, still typed so they are browsable.
"""

from __future__ import annotations

import re

from kg.extract.cues import anchored, find_all
from kg.extract.sentences import Doc
from kg.model import EntityRef, Mention

NAME = "links"
_URL = re.compile(
    r"(?:https?://|(?<![\w./@])(?:www\.)?(?=(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|hf\.co)/))"
    r"[^\s<>\"'`\u201c\u201d]+", re.I)
#: Every way a :data:`_URL` match can begin (lower case).
_URL_STARTS = ("http", "www.", "github.com", "gitlab.com", "bitbucket.org", "huggingface.co", "hf.co")
_TRAIL = ".,;:)]}'\"!?*"
_BRACES = re.compile(r"\{[^}]*\}?$")
_SCHEME = re.compile(r"https?://", re.I)
_HF_SHORT = re.compile(r"^(https?://)(?:www\.)?hf\.co/", re.I)
_ANY_SCHEME = re.compile(r"^[a-z]+://")
_WWW = re.compile(r"^www\.")
_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_REPO = re.compile(r"^(?:github\.com|gitlab\.com|bitbucket\.org)/[^/]+/[^/]+|^huggingface\.co/spaces/[^/]+/[^/]+",
                   re.I)


def clean_url(raw: str) -> str:
    """Strip trailing punctuation and ``{...}`` junk; add https:// when no scheme; hf.co -> huggingface.co."""
    url = raw
    while url:
        cut = _BRACES.sub("", url)
        if cut and cut[-1] in _TRAIL and not (cut[-1] == ")" and cut.count("(") >= cut.count(")")):
            cut = cut[:-1]
        if cut == url:
            break
        url = cut
    if not _SCHEME.match(url):
        url = "https://" + url
    return _HF_SHORT.sub(r"\1huggingface.co/", url)


def url_key(url: str) -> str:
    """Lower-case, no scheme, no www., no trailing slash or .git: one key per location."""
    key = _ANY_SCHEME.sub("", url.lower())
    key = _WWW.sub("", key).rstrip("/")
    return key[:-4] if key.endswith(".git") else key


def _slug(key: str) -> str:
    return _NOT_SLUG.sub("-", key).strip("-")


def _ref(url: str) -> tuple[str, EntityRef]:
    key = url_key(url)
    if _REPO.match(key):
        return "hasRepository", EntityRef("repository", _slug(key), url, url=url)
    return "hasLink", EntityRef("link", _slug(key), url, url=url)


def _urls(doc: Doc) -> list[re.Match[str]]:
    """``_URL.finditer`` over the field, tried only where a URL can begin (most abstracts have none).

    A match starts with "http", "www." or a code host, case-insensitively, so those words looked up
    in the lower-cased text are every possible start.
    """
    if doc.lower is None:
        return list(_URL.finditer(doc.text))
    return anchored(_URL, doc.text, find_all(doc.lower, _URL_STARTS))


def extract_links(doc: Doc) -> list[Mention]:
    """Every URL in the field, cleaned, in text order."""
    out: list[Mention] = []
    for m in _urls(doc):
        url = clean_url(m.group(0))
        if url.count(".") == 0 or len(url) < 12:
            continue
        raw_len = len(m.group(0))
        while raw_len and m.group(0)[raw_len - 1] in _TRAIL + "{}":
            raw_len -= 1
        relation, ref = _ref(url)
        s, e = doc.sentence(m.start())
        out.append(Mention(relation, doc.text[m.start():m.start() + raw_len], doc.field, m.start(),
                           m.start() + raw_len, s, e, NAME, 0.99, ref))
    return out
