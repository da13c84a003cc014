"""The exception tree. Every error a user can cause is a :class:`KgError`; the CLI prints its message on
one line and exits non-zero, the server maps it to a 4xx. Anything else is a bug and keeps its traceback.

    KgError
    ├── InputError        bad input file or record (names file and line)
    ├── StoreError        missing, locked or unreadable store
    └── QueryError        bad SPARQL or a bad canned-query parameter
        └── UnknownQuery  no canned query by that name
"""

from __future__ import annotations


class KgError(Exception):
    """Base class of the errors a user can cause and fix."""


class InputError(KgError):
    """A bad input file or record. ``str()`` gives ``file:line: message``."""

    def __init__(self, source: str, line: int | None, message: str) -> None:
        self.source = source
        self.line = line
        self.message = message
        where = f"{source}:{line}" if line else source
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type[InputError], tuple[str, int | None, str]]:
        """Picklable, so the error crosses process pools and Dask workers intact."""
        return (InputError, (self.source, self.line, self.message))


class StoreError(KgError):
    """The store is missing, locked by another writer, or unreadable."""


class QueryError(KgError):
    """A SPARQL syntax error or a bad canned-query parameter."""


class UnknownQuery(QueryError):
    """No canned query has that name."""
