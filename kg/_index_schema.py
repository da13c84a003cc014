"""The SQL of the generation index (:mod:`kg.search_index`): its tables, their indexes, and the
answers and ranked tables computed once when the index is written (:mod:`kg.answers` reads them)."""

#: Tables whose key makes a repeated row a no-op (``INSERT OR IGNORE``); the others are deduplicated
#: once at the end when the rows may repeat (see :class:`kg.search_index.IndexWriter`).
KEYED = frozenset({"type", "paper_count"})

SCHEMA = """
CREATE TABLE entity (id INTEGER PRIMARY KEY, iri TEXT NOT NULL, label TEXT NOT NULL,
                     kind TEXT NOT NULL, papers INTEGER NOT NULL, UNIQUE (iri, kind));
CREATE TABLE name (entity INTEGER NOT NULL REFERENCES entity(id), folded TEXT NOT NULL);
CREATE VIRTUAL TABLE name_trigram USING fts5(folded, content='name', tokenize='trigram');
CREATE TABLE lookup (folded TEXT NOT NULL, iri TEXT NOT NULL, entities_graph INTEGER NOT NULL);
CREATE TABLE exact (term TEXT NOT NULL, iri TEXT NOT NULL);
CREATE TABLE label (iri TEXT NOT NULL, label TEXT NOT NULL);
CREATE TABLE type (iri TEXT NOT NULL, class TEXT NOT NULL, PRIMARY KEY (iri, class)) WITHOUT ROWID;
CREATE TABLE paper_count (iri TEXT PRIMARY KEY, papers INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE pair (first TEXT NOT NULL, second TEXT NOT NULL, weight INTEGER NOT NULL);
CREATE TABLE result (iri TEXT NOT NULL, dataset TEXT NOT NULL);
CREATE TABLE result_value (iri TEXT NOT NULL, value TEXT NOT NULL, number REAL);
CREATE TABLE result_attr (iri TEXT NOT NULL, attr TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE reports (paper TEXT NOT NULL, result TEXT NOT NULL);
CREATE TABLE paper_attr (iri TEXT NOT NULL, attr TEXT NOT NULL, value TEXT NOT NULL);
CREATE TABLE fact (paper TEXT NOT NULL, rel TEXT NOT NULL, entity TEXT NOT NULL);
CREATE TABLE url (iri TEXT NOT NULL, url TEXT NOT NULL);
"""
#: Rows kept only while the index is written, in a temporary database attached as ``scratch``:
#: types of nodes that are not entities (kept at the end only for IRIs some fact points at), the parts
#: of ``pg:CoOccurrence`` nodes read from a store (joined into ``pair`` at the end), and what counting
#: papers per entity and pair from ``fact`` needs (:data:`COUNTS`).
SCRATCH = """
CREATE TABLE scratch.type_other (iri TEXT NOT NULL, class TEXT NOT NULL);
CREATE TABLE scratch.pair_part (node TEXT NOT NULL, slot INTEGER NOT NULL, value TEXT NOT NULL);
CREATE TABLE scratch.rel_group (rel TEXT PRIMARY KEY, grp TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE scratch.pair_kind (kind TEXT NOT NULL, first TEXT NOT NULL, second TEXT NOT NULL);
"""
#: One ``pair`` row per co-occurrence node whose three parts were all read.
PAIRS_FROM_PARTS = """
INSERT INTO pair
SELECT first, second, CAST(weight AS INTEGER) FROM (
    SELECT MAX(CASE slot WHEN 0 THEN value END) AS first, MAX(CASE slot WHEN 1 THEN value END) AS second,
           MAX(CASE slot WHEN 2 THEN value END) AS weight FROM pair_part GROUP BY node)
WHERE first IS NOT NULL AND second IS NOT NULL AND weight IS NOT NULL;
"""
#: What :mod:`kg.summary` computes with SPARQL, from ``fact``: distinct papers per entity, and per pair
#: kind and ordered pair of entities of its two groups (``rel_group``, ``pair_kind``: one row per
#: direction), the papers naming both (``kg.summary.PAIRS``).
COUNTS = """
INSERT INTO paper_count SELECT entity, COUNT(DISTINCT paper) FROM fact GROUP BY entity;
CREATE TABLE scratch.member AS
SELECT DISTINCT f.paper AS paper, g.grp AS grp, f.entity AS entity FROM fact f JOIN rel_group g ON g.rel = f.rel;
CREATE INDEX scratch.member_paper ON member (paper, grp);
CREATE TABLE scratch.pair_count AS
SELECT k.kind AS kind, a.entity AS first, b.entity AS second, COUNT(*) AS weight
FROM pair_kind k JOIN member a ON a.grp = k.first JOIN member b ON b.paper = a.paper AND b.grp = k.second
WHERE k.first != k.second OR a.entity != b.entity
GROUP BY k.kind, a.entity, b.entity;
DROP TABLE scratch.member;
INSERT INTO pair SELECT first, second, weight FROM pair_count;
"""
#: Created after the rows are in (faster than keeping them up to date row by row).
INDEXES = """
CREATE INDEX name_folded ON name (folded);
CREATE INDEX lookup_folded ON lookup (folded);
CREATE INDEX exact_term ON exact (term);
CREATE INDEX label_iri ON label (iri);
CREATE INDEX type_class ON type (class);
CREATE INDEX pair_first ON pair (first);
CREATE INDEX result_dataset ON result (dataset);
CREATE INDEX result_value_iri ON result_value (iri);
CREATE INDEX result_attr_iri ON result_attr (iri, attr);
CREATE INDEX reports_result ON reports (result);
CREATE INDEX paper_attr_iri ON paper_attr (iri, attr);
CREATE INDEX fact_paper ON fact (paper, rel);
CREATE INDEX fact_entity ON fact (entity, rel);
CREATE INDEX url_iri ON url (iri);
"""
#: The joins the ranking queries read, done once and kept in their ORDER BY order (an index range scan
#: answers them): entities by paper count per class, and pairs by weight per first member and class.
RANKED = """
CREATE TABLE ranked AS
SELECT t.class AS class, t.iri AS iri, l.label AS label, c.papers AS papers
FROM type t JOIN paper_count c ON c.iri = t.iri JOIN label l ON l.iri = t.iri;
CREATE INDEX ranked_order ON ranked (class, papers DESC, label);
CREATE TABLE pair_ranked AS
SELECT p.first AS first, t.class AS class, p.second AS second, l.label AS label, p.weight AS weight
FROM pair p JOIN type t ON t.iri = p.second LEFT JOIN label l ON l.iri = p.second;
CREATE INDEX pair_ranked_order ON pair_ranked (first, class, weight DESC, label);
"""
#: ``leaderboard.rq`` without its argument: one row per (score, reporting paper), with the paper's
#: method and model names concatenated (sorted) once. ``score``: the results typed pg:Score (deltas
#: such as "improves by 3%" are never ranked), which ``benchmarks`` counts too.
BOARD = """
CREATE TABLE score AS
SELECT r.iri AS iri, r.dataset AS dataset FROM result r
JOIN result_attr k ON k.iri = r.iri AND k.attr = 'kind' AND k.value = 'Score';
CREATE INDEX score_dataset ON score (dataset);
CREATE TABLE paper_names AS
SELECT paper, attr, group_concat(label, ', ') AS names FROM (
    SELECT DISTINCT c.paper AS paper, c.rel AS attr, l.label AS label FROM fact c
    JOIN label l ON l.iri = c.entity WHERE c.rel IN ('proposesMethod', 'usesModel') ORDER BY c.paper, c.rel, l.label)
GROUP BY paper, attr;
CREATE INDEX paper_names_paper ON paper_names (paper, attr);
CREATE TABLE board AS
SELECT DISTINCT r.dataset AS dataset, bl.label AS label, m.value AS metric, ml.value AS metric_label,
       v.value AS value, v.number AS number, raw.value AS raw, unit.value AS unit, rep.paper AS paper,
       t.value AS title, d.value AS date, r.iri AS result, pm.names AS methods, pu.names AS models
FROM score r JOIN result_value v ON v.iri = r.iri JOIN reports rep ON rep.result = r.iri
JOIN paper_attr t ON t.iri = rep.paper AND t.attr = 'title'
LEFT JOIN label bl ON bl.iri = r.dataset
LEFT JOIN result_attr m ON m.iri = r.iri AND m.attr = 'metric'
LEFT JOIN result_attr ml ON ml.iri = r.iri AND ml.attr = 'metricLabel'
LEFT JOIN result_attr raw ON raw.iri = r.iri AND raw.attr = 'rawValue'
LEFT JOIN result_attr unit ON unit.iri = r.iri AND unit.attr = 'unit'
LEFT JOIN paper_attr d ON d.iri = rep.paper AND d.attr = 'date'
LEFT JOIN paper_names pm ON pm.paper = rep.paper AND pm.attr = 'proposesMethod'
LEFT JOIN paper_names pu ON pu.paper = rep.paper AND pu.attr = 'usesModel';
CREATE INDEX board_dataset ON board (dataset);
"""
#: ``benchmarks.rq`` has no parameters: its answer is computed once here. GROUP_CONCAT parts are sorted;
#: as in Oxigraph, one unbound ?metric in a group (a result without a metric) leaves the concatenation unbound.
BENCHMARKS = """
CREATE TABLE benchmarks AS
SELECT r.dataset AS benchmark, l.label AS label, COUNT(DISTINCT r.iri) AS results,
       COUNT(DISTINCT p.paper) AS papers,
       CASE WHEN EXISTS (SELECT 1 FROM score r2 JOIN reports p2 ON p2.result = r2.iri
                         WHERE r2.dataset = r.dataset AND NOT EXISTS (
                             SELECT 1 FROM result_attr a WHERE a.iri = r2.iri AND a.attr = 'metric'))
            THEN NULL
            ELSE (SELECT group_concat(metric, ', ') FROM (
                SELECT DISTINCT a.value AS metric FROM score r2 JOIN result_attr a ON a.iri = r2.iri
                AND a.attr = 'metric' JOIN reports p2 ON p2.result = r2.iri WHERE r2.dataset = r.dataset
                ORDER BY a.value)) END AS metrics
FROM score r JOIN reports p ON p.result = r.iri JOIN label l ON l.iri = r.dataset
GROUP BY r.dataset, l.label
ORDER BY results DESC, l.label
LIMIT 200
"""
