"""Pretrained models and model families used or compared (``usesModel``), with size/variant suffixes.

Lists name families (BERT, Llama 2); papers name checkpoints (BERT-LARGE, LLaMA2-7B, ViT-B/16). A
checkpoint is its own node (family key + suffix) so different sizes stay apart.
"""

from __future__ import annotations

import re

from kg.extract.context import Context, make
from kg.extract.methods import coined_keys
from kg.model import Mention

NAME = "models"
_SIZE = r"(?:\d+(?:\.\d+)?[BMKbmk]|[Bb]ase|BASE|[Ll]arge|LARGE|[Ss]mall|SMALL|[Tt]iny|[Hh]uge|[Mm]ini|XXL|XL|xl|" \
        r"[Ii]nstruct|[Cc]hat|[Cc]oder|[Bb]ase|[BLHSG](?:/\d+)?|\d+(?:\.\d+)?)"
_VARIANT = re.compile(rf"(?:-{_SIZE}|\s(?=(?:\d+(?:\.\d+)?[BM]|[Bb]ase|BASE|[Ll]arge|LARGE)\b){_SIZE})+(?![\w/])")


_STYLE = re.compile(r"-(?:style|like|type|inspired|esque)\b", re.I)
_PARTS = re.compile(r"[-\s]+")
_SIZE_NUMBER = re.compile(r"\d+(?:\.\d+)?[bmk]", re.I)


def _suffix(text: str, end: int) -> str:
    m = _VARIANT.match(text, end)
    return m.group(0) if m else ""


def _canon(suffix: str) -> str:
    """"-7b" -> "7B", " large" -> "Large": one spelling per checkpoint across papers."""
    parts = [p for p in _PARTS.split(suffix) if p]
    fixed = []
    for p in parts:
        if _SIZE_NUMBER.fullmatch(p):
            p = p[:-1] + p[-1].upper()
        elif p.isalpha() and len(p) > 2:
            p = p.capitalize()
        fixed.append(p)
    return "-".join(fixed)


def extract_models(ctx: Context) -> list[Mention]:
    """usesModel for every listed model family mention, as family or family-with-suffix."""
    out: list[Mention] = []
    skip = coined_keys(ctx)
    for doc, hit, entry in ctx.entity_hits("model"):
        if entry.key in skip:
            continue
        if _STYLE.match(doc.text, hit.end):
            continue  # "GPT-style", "BERT-like": a kind of model, not this one
        suffix = _suffix(doc.text, hit.end)
        ref = entry.ref(_canon(suffix)) if suffix else entry.ref()
        out.append(make(doc, "usesModel", hit.start, hit.end + len(suffix), NAME, 0.8, ref))
    return out
