"""Opening input files as UTF-8 text lines with errors that name the file and line."""

from __future__ import annotations

import codecs
import io
import os
import sys
from collections.abc import Generator
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError

STDIN = "-"
_BOMS = {
    codecs.BOM_UTF16_LE: "UTF-16",
    codecs.BOM_UTF16_BE: "UTF-16",
    codecs.BOM_UTF32_LE: "UTF-32",
    codecs.BOM_UTF32_BE: "UTF-32",
}


def source_name(path: str) -> str:
    """The name a listing records for its source (and whose hash names its source and listing nodes):
    the file's path as given, normalised (``./a//b.txt`` -> ``a/b.txt``; a file found in a directory
    argument: the directory as given joined with the file's path inside it), or ``<stdin>``.

    Not the basename: two files of one name in different folders (``2024-03/day.txt``,
    ``2024-04/day.txt``) are different sources. Not the resolved path either: a corpus built by
    relative paths names its sources alike on every machine."""
    if path == STDIN:
        return "<stdin>"
    return Path(os.path.normpath(path)).as_posix()


def open_binary(path: str) -> BinaryIO:
    """Open ``path`` (or standard input for ``-``) for reading bytes."""
    if path == STDIN:
        return sys.stdin.buffer
    try:
        return open(path, "rb")  # noqa: SIM115 - closed by the caller's iterator
    except FileNotFoundError:
        raise InputError(path, None, "no such file") from None
    except IsADirectoryError:
        raise InputError(path, None, "is a directory") from None
    except PermissionError:
        raise InputError(path, None, "permission denied") from None


def peek(stream: BinaryIO, size: int = 4096) -> bytes:
    """Look at the first bytes without consuming them (works for pipes too)."""
    if isinstance(stream, io.BufferedReader):
        return stream.peek(size)[:size]
    return b""


def iter_lines(path: str) -> Generator[tuple[int, str], None, None]:
    """Yield ``(line_number, text)`` for each line, decoded as strict UTF-8 (a UTF-8 BOM is allowed).

    :raises InputError: for UTF-16/32 files, binary data (NUL bytes) and invalid UTF-8, naming the line.
    """
    name = path if path != STDIN else "<stdin>"
    stream = open_binary(path)
    try:
        head = peek(stream)
        for bom, encoding in _BOMS.items():
            if head.startswith(bom):
                raise InputError(name, 1, f"file is {encoding}-encoded; convert it to UTF-8")
        for number, raw in enumerate(stream, start=1):
            if number == 1 and raw.startswith(codecs.BOM_UTF8):
                raw = raw[len(codecs.BOM_UTF8):]
            if b"\x00" in raw:
                raise InputError(name, number, "binary data (NUL byte); not a text listing")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise InputError(
                    name, number, f"invalid UTF-8 at byte {exc.start} of the line; convert the file to UTF-8"
                ) from None
            yield number, text.rstrip("\r\n")
    finally:
        if path != STDIN:
            stream.close()
