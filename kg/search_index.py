"""A label index beside each store generation, for fast case-insensitive search by name.

SPARQL can only answer "labels containing 'gsm'" by scanning every label (Oxigraph has no text
index), which grows with the graph. At build time we copy each entity's and paper's names into a
SQLite file next to the generation (``generations/G.search.sqlite``) with a B-tree on the folded name
(exact and prefix matches are range scans) and an FTS5 trigram index (substring matches of three or more
characters). It answers exactly what ``queries/search.rq`` answers; a test checks both agree.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.vocab import PG

SUFFIX = ".search.sqlite"
KINDS = ("Paper", "Dataset", "Method", "Model", "Task", "Repository", "Link")

_NAMES = f"""
PREFIX pg: <{PG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?entity ?name ?label ?class ?papers WHERE {{
  VALUES ?class {{ {" ".join("pg:" + k for k in KINDS)} }}
  ?entity a ?class ; rdfs:label ?label ; rdfs:label|skos:altLabel ?name .
  OPTIONAL {{ ?entity pg:paperCount ?papers }}
}}"""


def index_path(generation: Path) -> Path:
    """Where the index of a generation directory lives (beside it, so RocksDB never sees it)."""
    return generation.with_name(generation.name + SUFFIX)


def build_index(store: ox.Store, path: Path) -> int:
    """Write the index for ``store`` to ``path`` (replacing any); returns the number of names indexed."""
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        db.executescript("""
            CREATE TABLE entity (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL,
                                 kind TEXT NOT NULL, papers INTEGER NOT NULL, UNIQUE (iri, kind));
            CREATE TABLE name (entity INTEGER NOT NULL REFERENCES entity(id), folded TEXT NOT NULL);
            CREATE INDEX name_folded ON name (folded);
            CREATE VIRTUAL TABLE name_trigram USING fts5(folded, content='name', tokenize='trigram');
        """)
        ids: dict[tuple[str, str], int] = {}
        names: set[tuple[int, str]] = set()
        for row in store.query(_NAMES, use_default_graph_as_union=True):
            key = (row["entity"].value, row["class"].value[len(PG):])
            if key not in ids:
                papers = int(row["papers"].value) if row["papers"] is not None else 0
                cursor = db.execute("INSERT INTO entity (iri, label, kind, papers) VALUES (?, ?, ?, ?)",
                                    (key[0], row["label"].value, key[1], papers))
                ids[key] = cursor.lastrowid or 0
            names.add((ids[key], row["name"].value.lower()))
        db.executemany("INSERT INTO name (entity, folded) VALUES (?, ?)", sorted(names))
        db.execute("INSERT INTO name_trigram (name_trigram) VALUES ('rebuild')")
        db.commit()
        return len(names)
    finally:
        db.close()


def search(path: Path, q: str, limit: int = 50, offset: int = 0) -> list[dict[str, Any]]:
    """Entities and papers whose name contains ``q`` (case-insensitive): exact matches first, then
    prefix, then substring, each by number of papers, then label (the order of ``search.rq``)."""
    folded = q.lower()
    db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        if len(folded) >= 3:
            escaped = '"' + folded.replace('"', '""') + '"'
            candidates = "SELECT rowid FROM name_trigram WHERE name_trigram MATCH ?"
            args: tuple[Any, ...] = (escaped,)
        else:
            candidates = "SELECT rowid FROM name WHERE instr(folded, ?) > 0"
            args = (folded,)
        rows = db.execute(f"""
            SELECT e.iri, e.label, e.kind, MIN(CASE WHEN n.folded = ? THEN 0
                                                   WHEN substr(n.folded, 1, length(?)) = ? THEN 1 ELSE 2 END) AS rank,
                   e.papers
            FROM name n JOIN entity e ON e.id = n.entity
            WHERE n.rowid IN ({candidates}) AND instr(n.folded, ?) > 0
            GROUP BY e.id
            ORDER BY rank, e.papers DESC, e.label
            LIMIT ? OFFSET ?""", (folded, folded, folded, *args, folded, limit, offset)).fetchall()  # noqa: S608
    finally:
        db.close()
    return [{"q": q, "entity": iri, "label": label, "kind": kind, "rank": rank, "papers": papers}
            for iri, label, kind, rank, papers in rows]


def search_solutions(path: Path, q: str, limit: int) -> tuple[list[str], list[list[Any]]]:
    """:func:`search` shaped like the SELECT of ``search.rq`` (same columns, pyoxigraph terms)."""
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    rows = [
        [ox.Literal(r["q"]), ox.NamedNode(r["entity"]), ox.Literal(r["label"]), ox.Literal(r["kind"]),
         ox.Literal(str(r["rank"]), datatype=integer), ox.Literal(str(r["papers"]), datatype=integer)]
        for r in search(path, q, limit=limit)
    ]
    return ["q", "entity", "label", "kind", "rank", "papers"], rows
