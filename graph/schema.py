"""The lineage graph's schema, shared by the networkx form and both stores.

In networkx a node is ``G.nodes[id]`` with ``label`` (Document, Task, …) and the properties below;
an edge is ``G.edges[u, v, TYPE]`` (the edge key is its type, so there is at most one edge of a
type between two nodes). Ids carry their label's prefix, so they are unique across labels.
Properties are scalars only (STRING, INT64, DOUBLE, BOOLEAN) so that the same Cypher reads them in
LadybugDB and in Neo4j; a missing value is None (null), never an empty string.
"""
from __future__ import annotations

# Provenance of an extracted fact: the file it came from and its character span in that file.
PROVENANCE = {"source": "STRING", "span_start": "INT64", "span_end": "INT64"}

NODES: dict[str, dict[str, str]] = {
    "Document": {
        "id": "STRING", "doc_number": "STRING", "title": "STRING", "attachment_title": "STRING",
        "issuer": "STRING", "date": "STRING", "year": "INT64", "level": "STRING", "region": "STRING",
        # a document cited but not ingested: it fills in when it is ingested
        "placeholder": "BOOLEAN",
        # every key the document is known by ("n:" 文号, "t:" title): |k1|k2|
        "match_keys": "STRING",
        **PROVENANCE,
        # of the source file's bytes and the extractor's rules (loaders.extraction.content_hash): a
        # file whose hash is stored is not read again
        "source_hash": "STRING",
    },
    "Task": {
        "id": "STRING", "document": "STRING", "path": "STRING", "number": "STRING",
        "ordinal": "INT64", "title": "STRING", "text": "STRING", "deadline": "STRING",
        **PROVENANCE,
    },
    "Department": {
        # name: canonical (aliases expanded); full_name: with its place (海东市卫生健康委员会);
        # a collective (各县区政府) stands for every such body under its region
        "id": "STRING", "name": "STRING", "full_name": "STRING", "region": "STRING", "level": "STRING",
        "collective": "BOOLEAN",
    },
    "Target": {
        "id": "STRING", "task": "STRING", "text": "STRING", "measure": "STRING", "value": "DOUBLE",
        "unit": "STRING", "comparator": "STRING", "by": "STRING",
        **PROVENANCE,
    },
    "Region": {"id": "STRING", "name": "STRING", "level": "STRING", "path": "STRING"},
}

# How a link is known: extracted from the text, stated (a basis citation), inferred (region +
# level + date + subject) or aligned (text similarity of tasks). Inferred and aligned links carry a
# score and their evidence (JSON text).
LINK = {"method": "STRING", "score": "DOUBLE", "evidence": "STRING"}

CITED = {"cited_title": "STRING", "cited_doc_number": "STRING", "cited_issuer": "STRING",
         "cited_level": "STRING", "cited_region": "STRING"}

RELS: dict[str, dict] = {
    "PART_OF": {"pairs": [("Task", "Document")], "props": dict(PROVENANCE)},
    "HAS_TARGET": {"pairs": [("Task", "Target")], "props": dict(PROVENANCE)},
    "RESPONSIBLE_FOR": {"pairs": [("Department", "Task")],
                        "props": {"role": "STRING", "printed": "STRING", **PROVENANCE}},
    "ISSUED_BY": {"pairs": [("Document", "Department")], "props": {"printed": "STRING", **PROVENANCE}},
    # basis: the citing document says it carries this one out (根据/为贯彻落实…)
    # keys: what the citation names the document by (as match_keys), so that a document whose
    # file is read again is known by what cites it and by its new read, not by its old one
    # cited_*: the document as this citation describes it (a placeholder is what its citations say)
    "CITES": {"pairs": [("Document", "Document")],
              "props": {"printed": "STRING", "basis": "BOOLEAN", "keys": "STRING", **CITED, **PROVENANCE}},
    "REPEALS": {"pairs": [("Document", "Document")], "props": {"keys": "STRING", **CITED, **PROVENANCE}},
    "IMPLEMENTS": {"pairs": [("Document", "Document"), ("Task", "Task")],
                   "props": {**LINK, **PROVENANCE}},
    "DERIVED_FROM": {"pairs": [("Target", "Target")],
                     "props": {**LINK, "change": "STRING", "delta": "DOUBLE"}},
    "IN_REGION": {"pairs": [("Department", "Region"), ("Document", "Region")], "props": {}},
    "WITHIN": {"pairs": [("Region", "Region")], "props": {}},
}

# Links recomputed from the facts on every ingest (the rest are facts read from a document).
DERIVED_RELS = ("IMPLEMENTS", "DERIVED_FROM")

LEVEL_RANK = {"national": 0, "province": 1, "city": 2, "county": 3}
REGION_LEVELS = ("national", "province", "city", "county")
