"""The stored graph says what the extractor read: for every sample and every real document beside
the project, the graph built from a file's records holds each document's fields, each task's path,
title, text and deadline, its targets, and its responsibilities (the task's own departments and the
ledger rows the extractor assigned to it, each department once with its strongest role) exactly as
the records give them. No text rule runs between the two."""
from pathlib import Path

import pytest
from policykg.graph.build import ROLE_STRENGTH, build
from policykg.loaders import extract
from policykg.loaders.keys import mention_keys
from policykg.loaders.readers import SUFFIXES

from tests.conftest import SAMPLES, SHARED

CORPUS = SHARED / "corpus"
# the documents of every real set (their gold .json, notes .md and scripts beside them are not documents)
FILES = sorted(SAMPLES.glob("*.txt")) + sorted(
    p for p in CORPUS.glob("*/*") if p.suffix in SUFFIXES and p.suffix != ".md" and p.is_file())


def _doc_node(G, doc, source):
    """The node a record became: the document node whose source span is the record's."""
    return next(n for n, d in G.nodes(data=True) if d.get("label") == "Document" and not d.get("placeholder")
                and d.get("span_start") == doc.span.start and d.get("span_end") == doc.span.end)


@pytest.mark.parametrize("path", FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_the_graph_holds_what_the_extraction_read(path: Path):
    extraction = extract(path)
    G = build([extraction])
    for doc in extraction.documents:
        node = _doc_node(G, doc, extraction.source)
        d = G.nodes[node]
        for field in ("doc_number", "title", "attachment_title", "issuer", "date", "level", "region"):
            assert d[field] == getattr(doc, field), (field, d[field], getattr(doc, field))
        tasks = sorted((t for t, _, k in G.in_edges(node, keys=True) if k == "PART_OF"),
                       key=lambda t: G.nodes[t]["ordinal"])
        assert len(tasks) == len(doc.tasks)
        for tid, task in zip(tasks, doc.tasks):
            t = G.nodes[tid]
            assert (t["path"], t["title"], t["text"], t["deadline"]) == \
                   ("/".join(task.path), task.title, task.text, task.deadline)
            targets = sorted((G.nodes[x] for _, x, k in G.out_edges(tid, keys=True) if k == "HAS_TARGET"),
                             key=lambda x: int(x["id"].rsplit("#", 1)[1]))
            assert [(x["text"], x["value"], x["unit"], x["comparator"], x["by"]) for x in targets] == \
                   [(x.text, x.value, x.unit, x.comparator, x.by) for x in task.targets]
        expected: dict[tuple[int, str], str] = {}
        given = [(i, dept) for i, task in enumerate(doc.tasks) for dept in task.departments]
        given += [(row.task_index, dept) for row in doc.ledger if row.task_index is not None for dept in row.departments]
        for i, dept in given:
            key = (i, dept.canonical or dept.name)
            if key not in expected or ROLE_STRENGTH[dept.role] > ROLE_STRENGTH[expected[key]]:
                expected[key] = dept.role
        stored = {(G.nodes[tid]["ordinal"], G.nodes[u]["name"]): e["role"]
                  for tid in tasks for u, _, k, e in G.in_edges(tid, keys=True, data=True) if k == "RESPONSIBLE_FOR"}
        assert stored == expected
        own = set(mention_keys(doc.doc_number, doc.title))
        cited = {v: e for _, v, k, e in G.out_edges(node, keys=True, data=True) if k == "CITES"}
        for c in doc.citations:
            keys = set(mention_keys(c.doc_number, c.title))
            if not keys or keys & own:
                continue        # names nothing, or names the document itself
            hits = [v for v in cited if keys & set((G.nodes[v].get("match_keys") or "").split("|"))]
            assert hits, (c.doc_number, c.title)
            assert not c.basis or any(cited[v]["basis"] for v in hits), (c.doc_number, c.title)
        # each body as the extractor placed it: its name with its place, its region, whether it is
        # a set of bodies; the issuer as the bodies the record splits it into
        nodes_of = {(G.nodes[u]["name"], G.nodes[u]["region"]): G.nodes[u]
                    for u, d in G.nodes(data=True) if d.get("label") == "Department"}
        placed = [dept for _, dept in given] + doc.issuers
        for dept in placed:
            body = nodes_of[dept.canonical or dept.name, dept.region_path[-1] if dept.region_path else None]
            assert (body["full_name"], body["collective"]) == (dept.full_name, dept.collective), dept
        issued_by = sorted(e["printed"] for _, _, k, e in G.out_edges(node, keys=True, data=True) if k == "ISSUED_BY")
        assert issued_by == sorted(i.name for i in doc.issuers)
