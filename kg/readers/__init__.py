"""Readers: one module per input format, each turning a file into a stream of :class:`PaperRecord`.

``read(paths)`` expands files, directories, globs and ``-`` (standard input), picks each file's
format from ``--format`` or by sniffing its content, and streams records; memory does not grow
with input size.
"""

from __future__ import annotations

import glob
import json
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from kg.errors import InputError
from kg.model import PaperRecord
from kg.readers import arxiv, hf_daily, jsonl, pwc
from kg.readers._text import _BOMS, STDIN, open_binary, peek

Reader = Callable[[str, Callable[[InputError], None] | None], Iterator[PaperRecord]]

READERS: dict[str, Reader] = {
    hf_daily.FORMAT: hf_daily.read,
    jsonl.FORMAT: jsonl.read,
    "json": jsonl.read,
    arxiv.FORMAT: arxiv.read,
    pwc.FORMAT: pwc.read,
}
FORMATS = ("auto", *READERS)
_INPUT_SUFFIXES = {".txt", ".jsonl", ".json", ".ndjson"}
#: Longer titles or abstracts are not papers (a real abstract is a few thousand characters); they
#: would only slow extraction down, so they are rejected as bad records.
MAX_TITLE_CHARS = 2_000
MAX_ABSTRACT_CHARS = 100_000

__all__ = ["FORMATS", "READERS", "detect_format", "expand_inputs", "read"]


def expand_inputs(paths: Iterable[str]) -> list[str]:
    """Files for each argument: a file as is, a directory's input files (sorted, recursive), a glob's
    matches (sorted), ``-`` for standard input.

    :raises InputError: for a path that does not exist, or a directory/glob with no input files.
    """
    files: list[str] = []
    for path in paths:
        if path == STDIN:
            files.append(path)
        elif os.path.isdir(path):
            found = sorted(
                str(p) for p in Path(path).rglob("*")
                if p.is_file() and p.suffix.lower() in _INPUT_SUFFIXES and not p.name.startswith(".")
            )
            if not found:
                raise InputError(path, None, "directory holds no .txt, .json or .jsonl files")
            files.extend(found)
        elif os.path.exists(path):
            files.append(path)
        elif glob.has_magic(path):
            found = sorted(p for p in glob.glob(path, recursive=True) if os.path.isfile(p))
            if not found:
                raise InputError(path, None, "pattern matches no files")
            files.extend(found)
        else:
            raise InputError(path, None, "no such file or directory")
    return files


def detect_format(path: str) -> str:
    """Guess a file's format from its first bytes: JSON (which dialect, by the first record's keys)
    or a Hugging Face daily-papers text page.

    :raises InputError: for an empty file or content no reader recognises.
    """
    name = path if path != STDIN else "<stdin>"
    stream = open_binary(path)
    try:
        head = peek(stream, 65536) if path == STDIN else stream.read(65536)
    finally:
        if path != STDIN:
            stream.close()
    for bom, encoding in _BOMS.items():
        if head.startswith(bom):
            raise InputError(name, 1, f"file is {encoding}-encoded; convert it to UTF-8")
    if b"\x00" in head[:4096] and head[1:400:2].count(0) > 100:
        raise InputError(name, 1, "file looks UTF-16-encoded (no BOM); convert it to UTF-8")
    text = head.decode("utf-8", errors="replace").lstrip("\ufeff")
    stripped = text.lstrip()
    if not stripped:
        raise InputError(name, None, "empty input: no papers to read")
    if stripped[0] in "[{":
        return _json_dialect(stripped)
    if b"\x00" in head:
        raise InputError(name, 1, "binary data (NUL byte); not a paper listing")
    if hf_daily.looks_like_hf_daily(text) or "\n" in stripped:
        return hf_daily.FORMAT
    raise InputError(name, 1, "unrecognised format; pass --format")


def _json_dialect(text: str) -> str:
    """Which JSON dialect, from the keys of the first object (parsed from the first line when possible)."""
    body = text[1:].lstrip() if text.startswith("[") else text
    first_line = body.split("\n", 1)[0].rstrip().rstrip(",")
    keys: set[str] = set()
    try:
        obj = json.loads(first_line)
        if isinstance(obj, dict):
            keys = set(obj)
    except json.JSONDecodeError:
        keys = {k for k in (*arxiv.SIGNATURE_KEYS, *pwc.SIGNATURE_KEYS) if f'"{k}"' in text[:65536]}
    if arxiv.SIGNATURE_KEYS <= keys:
        return arxiv.FORMAT
    if keys & pwc.SIGNATURE_KEYS:
        return pwc.FORMAT
    return jsonl.FORMAT


def read(
    paths: Iterable[str],
    fmt: str = "auto",
    on_error: Callable[[InputError], None] | None = None,
) -> Iterator[PaperRecord]:
    """Stream records from every input, in argument order.

    :param fmt: one of :data:`FORMATS`; ``auto`` sniffs each file.
    :param on_error: receives each bad record (which is then skipped); without it the first one raises.
    :raises InputError: bad files, and bad records when ``on_error`` is None.
    """
    if fmt not in FORMATS:
        raise InputError(fmt, None, f"unknown format; choose one of {', '.join(FORMATS)}")
    for path in expand_inputs(paths):
        file_format = detect_format(path) if fmt == "auto" else fmt
        for record in READERS[file_format](path, on_error):
            problem = _oversized(record)
            if problem is None:
                yield record
                continue
            error = InputError(path if path != STDIN else "<stdin>", record.listing.line, problem)
            if on_error is None:
                raise error
            on_error(error)


def _oversized(record: PaperRecord) -> str | None:
    if len(record.title) > MAX_TITLE_CHARS:
        return f"title is {len(record.title):,} characters (limit {MAX_TITLE_CHARS:,})"
    if len(record.abstract) > MAX_ABSTRACT_CHARS:
        return f"abstract is {len(record.abstract):,} characters (limit {MAX_ABSTRACT_CHARS:,})"
    return None
