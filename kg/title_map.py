"""Which arXiv paper a record without an arXiv id is a listing of: normalised titles -> arXiv keys, on disk.

A build learns the title of every record that has an arXiv id (pass 1 over the input, and on
``--append`` every arXiv paper already in the store) and the titles listed without one. A title-only
record whose title names exactly one arXiv paper is filed under that paper's key
(:func:`kg.identity.arxiv_key`): its listing hangs off the arXiv paper, whose text (from the richer
record) is the one extracted. A title naming several arXiv papers is ambiguous: the record keeps its
own title key and the build says so (:func:`ambiguous_warning`).

Titles are kept as 64-bit hashes (:func:`kg.identity.title_hash`) in a SQLite file, so that memory
stays flat however many papers the build reads, in the main process and in every worker; a Dask
build hands its workers only the few titles that match (:meth:`TitleMap.matched`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kg.identity import paper_key, title_hash
from kg.model import PaperRecord

__all__ = ["TitleMap", "ambiguous_warning"]


class TitleMap:
    """Title hashes of arXiv papers (with their keys), of records listed without an arXiv id, and, for
    an append, of the title-keyed papers already in the store (with their keys)."""

    def __init__(self, path: Path, batch: int = 10_000) -> None:
        self._db = sqlite3.connect(path)
        self._db.executescript("""
            PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
            CREATE TABLE arxiv (h INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (h, key)) WITHOUT ROWID;
            CREATE TABLE plain (h INTEGER PRIMARY KEY) WITHOUT ROWID;
            CREATE TABLE stored (h INTEGER NOT NULL, key TEXT NOT NULL, PRIMARY KEY (h, key)) WITHOUT ROWID;
        """)
        self._batch = batch
        self._pending: dict[str, list[tuple[object, ...]]] = {"arxiv": [], "plain": [], "stored": []}
        self._arxiv = False  #: whether any arXiv title was added (no lookups otherwise)

    def add_arxiv(self, h: int, key: str) -> None:
        """The title hash of an arXiv paper and its key (``arxiv/<id>``)."""
        self._add("arxiv", (h, key))
        self._arxiv = True

    def add_plain(self, h: int) -> None:
        """The title hash of a record listed without an arXiv id."""
        self._add("plain", (h,))

    def add_stored(self, h: int, key: str) -> None:
        """A title-keyed paper already in the store (append)."""
        self._add("stored", (h, key))

    def add_title(self, h: int | None, key: str | None) -> None:
        """A :func:`record_title` pair: an arXiv title with its key, or a plain title (key None)."""
        if h is None:
            return
        if key is None:
            self.add_plain(h)
        else:
            self.add_arxiv(h, key)

    def _add(self, table: str, row: tuple[object, ...]) -> None:
        rows = self._pending[table]
        rows.append(row)
        if len(rows) >= self._batch:
            self._flush(table)

    def _flush(self, table: str | None = None) -> None:
        for name in [table] if table else list(self._pending):
            rows = self._pending[name]
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                self._db.executemany(f"INSERT OR IGNORE INTO {name} VALUES ({marks})", rows)  # noqa: S608 - fixed names
                rows.clear()

    def merged_key(self, record: PaperRecord) -> str | None:
        """The arXiv key a title-only record is filed under, or None (it has an arXiv id, its title
        names no arXiv paper, or several)."""
        if record.arxiv_id or not self._arxiv:
            return None
        h = title_hash(record.title)
        return None if h is None else self.key_for(h)

    def key_for(self, h: int) -> str | None:
        """The key of the one arXiv paper with this title hash; None for none or several."""
        self._flush()
        rows = self._db.execute("SELECT key FROM arxiv WHERE h = ? LIMIT 2", (h,)).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def matched(self) -> Iterator[tuple[int, str]]:
        """(title hash, arXiv key) for each title listed without an arXiv id that names one arXiv paper:
        all a worker needs to key records (a Dask build broadcasts these)."""
        self._flush()
        yield from self._db.execute("""
            SELECT a.h, min(a.key) FROM arxiv a JOIN plain p ON p.h = a.h GROUP BY a.h HAVING count(*) = 1""")

    def merges(self) -> list[tuple[str, str]]:
        """(title key, arXiv key) for each title-keyed paper in the store whose title names exactly one
        arXiv paper: an append folds the first into the second."""
        self._flush()
        return self._db.execute("""
            SELECT s.key, a.key FROM stored s
            JOIN (SELECT h, min(key) AS key FROM arxiv GROUP BY h HAVING count(*) = 1) a ON a.h = s.h
            ORDER BY s.key""").fetchall()

    def ambiguous(self) -> list[list[str]]:
        """For each title listed (or stored) without an arXiv id that names several arXiv papers, their
        keys (sorted): those records keep their title keys."""
        self._flush()
        rows = self._db.execute("""
            SELECT group_concat(key, ' ') FROM arxiv
            WHERE h IN (SELECT h FROM plain UNION SELECT h FROM stored) GROUP BY h HAVING count(*) > 1""")
        return sorted(sorted(keys.split(" ")) for (keys,) in rows)

    def close(self) -> None:
        self._db.close()


def record_title(record: PaperRecord) -> tuple[int | None, str | None]:
    """What pass 1 keeps of a record: its title hash, and its key when it has an arXiv id."""
    return title_hash(record.title), paper_key(record) if record.arxiv_id else None


def ambiguous_warning(keys: list[str]) -> str:
    """The build's warning for one ambiguous title (the same words from a local and a Dask build)."""
    ids = ", ".join(key.removeprefix("arxiv/") for key in keys)
    return (f"a title listed without an arXiv id matches {len(keys)} arXiv papers ({ids}); "
            "those listings keep a paper of their own (keyed by title)")
