"""Every Cypher statement the stores send, generated from the schema in one place so that a test can
put each one through Neo4j's own Cypher linter (tests/test_cypher_lint.py).

Reads are the same Cypher for LadybugDB and Neo4j. Writes differ on purpose: Neo4j's fast path is
``UNWIND … MERGE`` on a uniqueness constraint; in LadybugDB MERGE is ~50× slower than CREATE
(../shared/notes/measurements.md), so the embedded store works out what exists first (sync.py)
and only CREATEs, SETs and DELETEs.
"""
from __future__ import annotations

from .schema import NODES, RELS

BATCH = 5000   # rows per UNWIND statement


def _assign(var: str, props: list[str], row: str = "r") -> str:
    return ", ".join(f"{var}.{p} = {row}.{p}" for p in props)


# ---------------------------------------------------------------- reads (both stores)

def _node_columns(label: str) -> str:
    return ", ".join(f"n.{p} AS {p}" for p in NODES[label])


def _edge_columns(rel: str) -> str:
    """a.id AS src, b.id AS dst and the edge's properties."""
    return "a.id AS src, b.id AS dst" + "".join(f", e.{p} AS {p}" for p in RELS[rel]["props"])


def read_nodes(label: str) -> str:
    return f"MATCH (n:{label}) RETURN {_node_columns(label)}"


def read_edges(rel: str, src: str, dst: str) -> str:
    return f"MATCH (a:{src})-[e:{rel}]->(b:{dst}) RETURN {_edge_columns(rel)}"


def delete_nodes(label: str) -> str:
    return f"UNWIND $ids AS i MATCH (n:{label} {{id: i}}) DETACH DELETE n"


def delete_edges(rel: str, src: str, dst: str) -> str:
    return f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}})-[e:{rel}]->(b:{dst} {{id: r.dst}}) DELETE e"


# ---------------------------------------------------------------- LadybugDB writes

def _typed(props: dict[str, str], value: str = "r.{}") -> dict[str, str]:
    """LadybugDB types a parameter list from its values: a column that is null in every row of a
    batch would come in as STRING, so non-string columns are cast to their declared type. `value`
    says where a property's value is: `r.{}` in an UNWIND row, `${}` a parameter of its own."""
    return {p: value.format(p) if t == "STRING" else f"CAST({value.format(p)} AS {t})" for p, t in props.items()}


def ladybug_schema() -> list[str]:
    out = []
    for label, props in NODES.items():
        cols = ", ".join(f"{p} {t}" + (" PRIMARY KEY" if p == "id" else "") for p, t in props.items())
        out.append(f"CREATE NODE TABLE IF NOT EXISTS {label}({cols})")
    for rel, spec in RELS.items():
        parts = [f"FROM {a} TO {b}" for a, b in spec["pairs"]]
        parts += [f"{p} {t}" for p, t in spec["props"].items()]
        out.append(f"CREATE REL TABLE IF NOT EXISTS {rel}({', '.join(parts)})")
    return out


def ladybug_create_nodes(label: str) -> str:
    values = _typed(NODES[label])
    return f"UNWIND $rows AS r CREATE (n:{label} {{{', '.join(f'{p}: {v}' for p, v in values.items())}}})"


# Statements that find nodes by id take one row each: LadybugDB looks `(n:L {id: $id})` up in
# its primary-key index, but `UNWIND $rows AS r MATCH (n:L {id: r.id})` scans the table for every
# row (120 ms a row on the 10k benchmark store, against 0.2 ms a row one by one).

def ladybug_update_node(label: str) -> str:
    values = _typed({p: t for p, t in NODES[label].items() if p != "id"}, "${}")
    return f"MATCH (n:{label} {{id: $id}}) SET {', '.join(f'n.{p} = {v}' for p, v in values.items())}"


def ladybug_create_edge(rel: str, src: str, dst: str) -> str:
    values = _typed(RELS[rel]["props"], "${}")
    body = f" {{{', '.join(f'{p}: {v}' for p, v in values.items())}}}" if values else ""
    return f"MATCH (a:{src} {{id: $src}}), (b:{dst} {{id: $dst}}) CREATE (a)-[:{rel}{body}]->(b)"


def ladybug_delete_node(label: str) -> str:
    return f"MATCH (n:{label} {{id: $id}}) DETACH DELETE n"


def ladybug_delete_edge(rel: str, src: str, dst: str) -> str:
    return f"MATCH (a:{src} {{id: $src}})-[e:{rel}]->(b:{dst} {{id: $dst}}) DELETE e"


# ---------------------------------------------------------------- Neo4j writes

def neo4j_constraints() -> list[str]:
    return [f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE"
            for label in NODES]


def neo4j_merge_nodes(label: str) -> str:
    props = [p for p in NODES[label] if p != "id"]
    return f"UNWIND $rows AS r MERGE (n:{label} {{id: r.id}}) SET {_assign('n', props)}"


def neo4j_merge_edges(rel: str, src: str, dst: str) -> str:
    props = list(RELS[rel]["props"])
    tail = f" SET {_assign('e', props)}" if props else ""
    return (f"UNWIND $rows AS r MATCH (a:{src} {{id: r.src}}) MATCH (b:{dst} {{id: r.dst}}) "
            f"MERGE (a)-[e:{rel}]->(b){tail}")


def clear_label(label: str) -> str:
    return f"MATCH (n:{label}) DETACH DELETE n"


def batches(rows: list, size: int = BATCH):
    for i in range(0, len(rows), size):
        yield rows[i:i + size]


def all_pairs():
    for rel, spec in RELS.items():
        for src, dst in spec["pairs"]:
            yield rel, src, dst


# the files the store holds documents of, with their content hashes: what need not be read again
SOURCE_HASHES = ("MATCH (d:Document) WHERE d.placeholder = false AND d.source_hash IS NOT NULL "
                 "RETURN DISTINCT d.source AS source, d.source_hash AS hash")


# ---------------------------------------------------------------- neighbourhoods (policykg serve)
# what the explorer reads instead of the whole store: the documents a few IMPLEMENTS hops from one,
# the nodes hanging off them, and the edges among those nodes

LINKED_DOWN = ("MATCH (c:Document)-[:IMPLEMENTS]->(p:Document) WHERE p.id IN $ids "
               "RETURN c.id AS id")
LINKED_UP = ("MATCH (c:Document)-[:IMPLEMENTS]->(p:Document) WHERE c.id IN $ids "
             "RETURN p.id AS id")
# search: documents by 文号 or title, by a department's name, by a target's words
SEARCH_DOCUMENTS = ("MATCH (d:Document) WHERE d.doc_number CONTAINS $q OR d.title CONTAINS $q "
                    "OR d.attachment_title CONTAINS $q "
                    "RETURN d.id AS id, 'document' AS found ORDER BY d.placeholder, d.date DESC LIMIT $limit")
SEARCH_DEPARTMENTS = ("MATCH (p:Department)-[:RESPONSIBLE_FOR]->(:Task)-[:PART_OF]->(d:Document) "
                      "WHERE p.name CONTAINS $q OR p.full_name CONTAINS $q "
                      "RETURN DISTINCT d.id AS id, p.full_name AS found LIMIT $limit")
SEARCH_TARGETS = ("MATCH (x:Target)<-[:HAS_TARGET]-(:Task)-[:PART_OF]->(d:Document) WHERE x.text CONTAINS $q "
                  "RETURN DISTINCT d.id AS id, x.text AS found LIMIT $limit")
DOCUMENT_LABELS = ("MATCH (d:Document) WHERE d.id IN $ids RETURN d.id AS id, d.doc_number AS doc_number, "
                   "d.title AS title, d.level AS level, d.region AS region, d.date AS date, "
                   "d.placeholder AS placeholder")

# Every node and edge hanging off a set of documents, each reached from the documents' ids: the
# engine then starts from the few documents and follows their edges, where a filter on task ids
# (`t.id IN [...]`) made it scan every task (0.4 s a query on the 10k benchmark store).
AROUND_NODES = {
    "Document": "(n:Document) WHERE n.id IN $ids",
    "Task": "(n:Task)-[:PART_OF]->(d:Document) WHERE d.id IN $ids",
    "Target": "(d:Document)<-[:PART_OF]-(:Task)-[:HAS_TARGET]->(n:Target) WHERE d.id IN $ids",
    "Department": "(d:Document)<-[:PART_OF]-(:Task)<-[:RESPONSIBLE_FOR]-(n:Department) WHERE d.id IN $ids",
}
AROUND_EDGES = {
    ("PART_OF", "Task", "Document"): "(a:Task)-[e:PART_OF]->(b:Document) WHERE b.id IN $ids",
    ("HAS_TARGET", "Task", "Target"): "(d:Document)<-[:PART_OF]-(a:Task)-[e:HAS_TARGET]->(b:Target) WHERE d.id IN $ids",
    ("RESPONSIBLE_FOR", "Department", "Task"):
        "(d:Document)<-[:PART_OF]-(b:Task)<-[e:RESPONSIBLE_FOR]-(a:Department) WHERE d.id IN $ids",
    ("ISSUED_BY", "Document", "Department"): "(a:Document)-[e:ISSUED_BY]->(b:Department) WHERE a.id IN $ids",
    ("CITES", "Document", "Document"): "(a:Document)-[e:CITES]->(b:Document) WHERE a.id IN $ids AND b.id IN $ids",
    ("REPEALS", "Document", "Document"): "(a:Document)-[e:REPEALS]->(b:Document) WHERE a.id IN $ids AND b.id IN $ids",
    ("IMPLEMENTS", "Document", "Document"):
        "(a:Document)-[e:IMPLEMENTS]->(b:Document) WHERE a.id IN $ids AND b.id IN $ids",
    ("IMPLEMENTS", "Task", "Task"): "(d:Document)<-[:PART_OF]-(a:Task)-[e:IMPLEMENTS]->(b:Task) WHERE d.id IN $ids",
    ("DERIVED_FROM", "Target", "Target"):
        "(d:Document)<-[:PART_OF]-(:Task)-[:HAS_TARGET]->(a:Target)-[e:DERIVED_FROM]->(b:Target) WHERE d.id IN $ids",
}


# ---------------------------------------------------------------- neighbourhoods (ingest, graph/local.py)
# a light table of every document: what choosing a few files' neighbourhood needs to know of each
LIGHT_DOCUMENTS = ("MATCH (d:Document) OPTIONAL MATCH (d)-[:IN_REGION]->(r:Region) "
                   "RETURN d.id AS id, d.match_keys AS match_keys, d.placeholder AS placeholder, d.source AS source, "
                   "d.level AS level, d.title AS title, d.attachment_title AS attachment_title, "
                   "d.doc_number AS doc_number, r.path AS path")
POINTING_AT = ("MATCH (a:Document)-[:CITES|REPEALS|IMPLEMENTS]->(b:Document) WHERE b.id IN $ids "
               "RETURN DISTINCT a.id AS id")
CITING = "MATCH (a:Document)-[:CITES]->(b:Document) WHERE b.id IN $ids RETURN DISTINCT a.id AS id"
CITED_BY = ("MATCH (a:Document)-[:CITES|REPEALS|IMPLEMENTS]->(b:Document) WHERE a.id IN $ids "
            "RETURN DISTINCT b.id AS id")
_OF_TASKS = "(d:Document)<-[:PART_OF]-"
# every edge of the documents $ids, their tasks and their targets: what they hold and the edges
# leaving it (OUT), and the edges other documents' nodes point at it with (IN)
_LOCAL_EDGE_PATTERNS_OUT = [
    (("PART_OF", "Task", "Document"), "(a:Task)-[e:PART_OF]->(b:Document) WHERE b.id IN $ids"),
    (("HAS_TARGET", "Task", "Target"), f"{_OF_TASKS}(a:Task)-[e:HAS_TARGET]->(b:Target) WHERE d.id IN $ids"),
    (("RESPONSIBLE_FOR", "Department", "Task"),
     f"{_OF_TASKS}(b:Task)<-[e:RESPONSIBLE_FOR]-(a:Department) WHERE d.id IN $ids"),
    (("ISSUED_BY", "Document", "Department"), "(a:Document)-[e:ISSUED_BY]->(b:Department) WHERE a.id IN $ids"),
    (("IN_REGION", "Document", "Region"), "(a:Document)-[e:IN_REGION]->(b:Region) WHERE a.id IN $ids"),
    *[((rel, "Document", "Document"), f"(a:Document)-[e:{rel}]->(b:Document) WHERE a.id IN $ids")
      for rel in ("CITES", "REPEALS", "IMPLEMENTS")],
    (("IMPLEMENTS", "Task", "Task"), f"{_OF_TASKS}(a:Task)-[e:IMPLEMENTS]->(b:Task) WHERE d.id IN $ids"),
    (("DERIVED_FROM", "Target", "Target"),
     f"{_OF_TASKS}(:Task)-[:HAS_TARGET]->(a:Target)-[e:DERIVED_FROM]->(b:Target) WHERE d.id IN $ids"),
]
_LOCAL_EDGE_PATTERNS_IN = [
    *[((rel, "Document", "Document"), f"(a:Document)-[e:{rel}]->(b:Document) WHERE b.id IN $ids")
      for rel in ("CITES", "REPEALS", "IMPLEMENTS")],
    (("IMPLEMENTS", "Task", "Task"), f"{_OF_TASKS}(b:Task)<-[e:IMPLEMENTS]-(a:Task) WHERE d.id IN $ids"),
    (("DERIVED_FROM", "Target", "Target"),
     f"{_OF_TASKS}(:Task)-[:HAS_TARGET]->(b:Target)<-[e:DERIVED_FROM]-(a:Target) WHERE d.id IN $ids"),
]
LOCAL_EDGES_OUT = [(key, f"MATCH {pattern} RETURN {_edge_columns(key[0])}") for key, pattern in _LOCAL_EDGE_PATTERNS_OUT]
LOCAL_EDGES_IN = [(key, f"MATCH {pattern} RETURN {_edge_columns(key[0])}") for key, pattern in _LOCAL_EDGE_PATTERNS_IN]
# the edges pruning counts, in the store, of boundary nodes $ids
COUNT_IN = {
    "Document": ["MATCH (a:Document)-[e:CITES|REPEALS|IMPLEMENTS]->(b:Document) WHERE b.id IN $ids "
                 "RETURN b.id AS id, count(e) AS n",
                 "MATCH (a:Task)-[e:PART_OF]->(b:Document) WHERE b.id IN $ids RETURN b.id AS id, count(e) AS n"],
    # every region, unfiltered: local._read reads every region of the store as boundary, and a
    # filter listing all 3,266 of the 10k benchmark store's took 150 ms where these take 25 ms
    "Region": [f"MATCH (a:{src})-[e:{rel}]->(b:Region) RETURN b.id AS id, count(e) AS n"
               for rel, src in (("IN_REGION", "Document"), ("IN_REGION", "Department"), ("WITHIN", "Region"))],
    "Department": ["MATCH (a:Document)-[e:ISSUED_BY]->(b:Department) WHERE b.id IN $ids RETURN b.id AS id, count(e) AS n",
                   "MATCH (b:Department)-[e:RESPONSIBLE_FOR]->(t:Task) WHERE b.id IN $ids "
                   "RETURN b.id AS id, count(e) AS n"],
}


LINK_COUNTS = ["MATCH (:Document)-[l:IMPLEMENTS]->(:Document) RETURN count(l) AS n",
               "MATCH (:Task)-[l:IMPLEMENTS]->(:Task) RETURN count(l) AS n"]


def read_nodes_by_id(label: str) -> str:
    return f"MATCH (n:{label}) WHERE n.id IN $ids RETURN {_node_columns(label)}"


LOCAL = ([LIGHT_DOCUMENTS, POINTING_AT, CITING, CITED_BY, *LINK_COUNTS] + [q for _, q in LOCAL_EDGES_OUT + LOCAL_EDGES_IN]
         + [q for qs in COUNT_IN.values() for q in qs] + [read_nodes_by_id(label) for label in NODES])


def read_nodes_around(label: str) -> str:
    return f"MATCH {AROUND_NODES[label]} RETURN DISTINCT {_node_columns(label)}"


def read_edges_around(rel: str, src: str, dst: str) -> str:
    return f"MATCH {AROUND_EDGES[(rel, src, dst)]} RETURN {_edge_columns(rel)}"


NEIGHBOURHOOD = ([LINKED_DOWN, LINKED_UP, SEARCH_DOCUMENTS, SEARCH_DEPARTMENTS, SEARCH_TARGETS, DOCUMENT_LABELS]
                 + [read_nodes_around(label) for label in AROUND_NODES]
                 + [read_edges_around(*key) for key in AROUND_EDGES])


def neo4j_statements() -> list[str]:
    """Every statement Neo4jStore can send (for the linter test)."""
    out = neo4j_constraints() + [SOURCE_HASHES] + NEIGHBOURHOOD + LOCAL
    for label in NODES:
        out += [read_nodes(label), neo4j_merge_nodes(label), delete_nodes(label), clear_label(label)]
    for rel, src, dst in all_pairs():
        out += [read_edges(rel, src, dst), neo4j_merge_edges(rel, src, dst), delete_edges(rel, src, dst)]
    return out
