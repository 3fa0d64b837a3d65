"""Extraction records -> the lineage graph's facts (a networkx MultiDiGraph, see schema.py).

Identity is decided here:
- a document is one node however it is met (ingested, cited by 文号, cited by title, another
  bracket style): each mention carries match keys ("n:" normalised 文号, "t:" title key) and
  mentions sharing a key are one node, unless their 文号 differ;
- a cited document that is not ingested is a placeholder node that becomes the real document when
  that document is ingested; a document ingested again replaces its earlier version;
- a department is one node per canonical name and region.
Node ids are a function of the final key set (``canonical_doc_id``), so the graph does not depend
on the order documents are added.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence

import networkx as nx

from ..loaders.citations import doc_number_key
from ..loaders.keys import mention_keys, title_keys
from ..loaders.models import Department, Document, Extraction, Span
from .ids import department_id, document_id, moved, region_id, target_id, task_id
from .index import document_index, reindex, split_keys
from .schema import DERIVED_RELS, LEVEL_RANK, NODES, REGION_LEVELS, RELS

ROLE_STRENGTH = {"lead": 3, "responsible": 2, "cooperate": 1}
FACT_RELS_OF_DOCUMENT = ("CITES", "REPEALS", "ISSUED_BY", "IN_REGION")


def new_graph() -> nx.MultiDiGraph:
    return nx.MultiDiGraph()


def copy_graph(G: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of G to change without changing G: its document index, built when first needed, is
    its own, and so is what building touches in it (graph.index)."""
    return G.copy()


def build(extractions: Iterable[Extraction], G: nx.MultiDiGraph | None = None) -> nx.MultiDiGraph:
    """Add every document of the extractions to G (a new graph if None) and return it."""
    G = G if G is not None else new_graph()
    stored = documents_by_source(G)
    for extraction in extractions:
        add_extraction(G, extraction, stored)
    finish(G)
    return G


def add_extraction(G: nx.MultiDiGraph, extraction: Extraction, stored: dict | None = None) -> list[str]:
    """Add the documents of one file, in place of what an earlier read of the same file gave;
    returns their node ids (after ``finish`` they may be renamed if a key shared with another
    node makes them one). stored: G's documents by file (documents_by_source), kept up to date
    here; a caller adding many files passes one, else each call looks through all of G."""
    if stored is None:
        stored = documents_by_source(G)
    forget_documents(G, extraction.source, stored.pop(extraction.source, []))
    ids = [add_document(G, doc, extraction.source, i, extraction.content_hash)
           for i, doc in enumerate(extraction.documents)]
    stored[extraction.source] = ids
    return ids


def documents_by_source(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """The ingested documents of G by the file they were read from."""
    found: dict[str, list[str]] = {}
    for n, d in G._node.items():
        if d.get("label") == "Document" and not d.get("placeholder") and d.get("source"):
            found.setdefault(d["source"], []).append(n)
    return found


def finish(G: nx.MultiDiGraph) -> None:
    """Give every document its canonical id and drop what nothing refers to any more. (A cited
    document's place is what its citation says: loaders.citations.cited_place.)"""
    canonicalise_ids(G)
    prune(G)


# ---------------------------------------------------------------- keys and ids

def canonical_doc_id(keys: list[str], own_title_key: str | None = None) -> str:
    """The 文号 when known; else the document's own title (ingested) or its smallest title key."""
    numbers = sorted(k for k in keys if k.startswith("n:"))
    if numbers:
        return document_id(numbers[0])
    if own_title_key:
        return document_id("t:" + own_title_key)
    return document_id(min(keys))


def _span(span: Span | None, source: str) -> dict:
    return {"source": source, "span_start": span.start if span else None,
            "span_end": span.end if span else None}


_BLANK_NODE = {label: dict.fromkeys(props) for label, props in NODES.items()}
_BLANK_EDGE = {rel: dict.fromkeys(spec["props"]) for rel, spec in RELS.items()}


def _node(G, node_id: str, label: str, **props) -> None:
    attrs = _BLANK_NODE[label].copy()
    for k, v in props.items():
        attrs[k] = None if v == "" else v      # missing is None, never ""
    attrs["id"] = node_id
    attrs["label"] = label
    G.add_node(node_id, **attrs)


def _edge(G, u: str, v: str, rel: str, **props) -> None:
    attrs = _BLANK_EDGE[rel].copy()
    for k, value in props.items():
        attrs[k] = None if value == "" else value
    G.add_edge(u, v, key=rel, **attrs)


# ---------------------------------------------------------------- documents

def join_keys(keys) -> str:
    """|n:青政办〔2023〕73号|t:…|: delimited at both ends so that `match_keys CONTAINS '|k|'` finds
    exactly key k in Cypher."""
    return "|" + "|".join(sorted(set(keys))) + "|"


def _keys_of(G, node_id: str) -> list[str]:
    return split_keys(G.nodes[node_id].get("match_keys"))


def _index(G, node_id: str) -> None:
    document_index(G).add(node_id, _keys_of(G, node_id))


def _find(G, keys: list[str], weak: Sequence[str] = (), date: str | None = None) -> list[str]:
    """Existing document nodes sharing a key, skipping any whose 文号 differs from ours. A `weak`
    key (a title without its issuer, which plans of many places share) finds only placeholders:
    what a citation without the issuer named. With `date` (a document being ingested), an
    ingested document of another date is another document unless a 文号 says otherwise: a
    county's 关于做好春耕生产工作的通知 of 2030 and of 2031 are two, a reprint of either is the same."""
    index = document_index(G)
    ours = {k for k in keys if k.startswith("n:")}
    found = []
    for k in [*keys, *weak]:
        n = index.get(k)
        if n is None or n in found or n not in G:
            continue
        other = G._node[n]
        if k in weak and k not in keys and not other.get("placeholder"):
            continue
        theirs = {x for x in _keys_of(G, n) if x.startswith("n:")}
        if ours and theirs and not ours & theirs:
            continue
        if (date and other.get("date") and other["date"] != date and not other.get("placeholder")
                and not ours & theirs):
            continue
        found.append(n)
    return found


def _touch(G, *nodes: str) -> None:
    """Note documents changed other than by reading their own file (merged, renamed), for
    link.affected_documents."""
    document_index(G).touch(*nodes)


def _merge_into(G, keep: str, other: str) -> None:
    """Move other's edges to keep and join their keys; other disappears."""
    _touch(G, keep)
    for u, _, rel, data in list(G.in_edges(other, keys=True, data=True)):
        if u != keep and not G.has_edge(u, keep, rel):
            G.add_edge(u, keep, key=rel, **data)
    for _, v, rel, data in list(G.out_edges(other, keys=True, data=True)):
        if v != keep and not G.has_edge(keep, v, rel):
            G.add_edge(keep, v, key=rel, **data)
    keys = sorted(set(_keys_of(G, keep)) | set(_keys_of(G, other)))
    a, b = G.nodes[keep], G.nodes[other]
    if a.get("placeholder") and b.get("placeholder"):
        # two placeholders: keep the fullest title and issuer whatever the order they were met in
        for prop in ("title", "doc_number", "issuer"):
            values = [x for x in (a.get(prop), b.get(prop)) if x]
            a[prop] = max(values, key=lambda s: (len(s), s)) if values else None
    a["match_keys"] = join_keys(keys)
    G.remove_node(other)
    _index(G, keep)


def _remove_document_facts(G, doc_id: str) -> None:
    """Forget what an earlier ingest of this document extracted (its tasks, targets, citations)."""
    tasks = [u for u, _, rel in G.in_edges(doc_id, keys=True) if rel == "PART_OF"]
    targets = [v for t in tasks for _, v, rel in G.out_edges(t, keys=True) if rel == "HAS_TARGET"]
    G.remove_nodes_from(tasks + targets)
    # its own links go too (it is relinked from its new facts): a link left to a placeholder it no
    # longer cites kept that placeholder from being pruned until some later ingest
    for _, v, rel in list(G.out_edges(doc_id, keys=True)):
        if rel in FACT_RELS_OF_DOCUMENT or rel in DERIVED_RELS:
            G.remove_edge(doc_id, v, rel)


def forget_documents(G, source: str, ids: list[str]) -> None:
    """Forget what an earlier read of the file `source` gave (its documents `ids`), so that its
    new read replaces it whatever the 文号 or title became: each of them loses its facts and
    derived links and becomes a placeholder, which the new read fills in again if its keys still
    match, and which `finish` drops if nothing else cites it."""
    forgotten = []
    for n in ids:
        data = G._node.get(n)
        if data is None or data.get("placeholder") or data.get("source") != source:
            continue    # merged into another since, or read from another file
        _remove_document_facts(G, n)
        for u, v, rel in [*G.in_edges(n, keys=True), *G.out_edges(n, keys=True)]:
            if rel in DERIVED_RELS:
                G.remove_edge(u, v, rel)
        data.update(placeholder=True, date=None, year=None, attachment_title=None, level=None, region=None,
                    source=None, span_start=None, span_end=None, source_hash=None, title=None,
                    doc_number=None, issuer=None)
        forgotten.append(n)
    # a forgotten document is known and described by what still cites it, as it would be had it
    # never been read
    index = document_index(G)
    for n in forgotten:
        mentions = [data for _, _, rel, data in G.in_edges(n, keys=True, data=True) if rel in ("CITES", "REPEALS")]
        for data in mentions:
            _describe(G.nodes[n], _described_by(data))
        keys = sorted({k for data in mentions for k in split_keys(data.get("keys"))})
        for k in set(_keys_of(G, n)) - set(keys):
            index.forget(k, n)
        G.nodes[n]["match_keys"] = join_keys(keys)


def _describe(node: dict, props: dict) -> None:
    """What one more citation says of a placeholder (title, doc_number, issuer, level, region):
    the fullest text and the most specific place win, whatever the order citations come in."""
    props = dict(props)
    level, region = props.pop("level", None), props.pop("region", None)
    for prop, value in props.items():
        if value and (not node.get(prop) or (len(value), value) > (len(node[prop]), node[prop])):
            node[prop] = value
    if level and (not node.get("level") or (LEVEL_RANK.get(level, -1), region or "")
                  > (LEVEL_RANK.get(node["level"], -1), node.get("region") or "")):
        node["level"], node["region"] = level, region


_DESCRIBED = ("title", "doc_number", "issuer", "level", "region")


def _cited(props: dict) -> dict:
    """A mention's description as the cited_* properties of its CITES / REPEALS edge."""
    return {f"cited_{k}": props.get(k) for k in _DESCRIBED}


def _described_by(edge: dict) -> dict:
    """What a CITES / REPEALS edge says of the document it points to (the inverse of _cited)."""
    return {k: edge.get(f"cited_{k}") for k in _DESCRIBED}


def mention_document(G, keys: list[str], **props) -> str:
    """The node for a cited document: an existing one sharing a key, else a new placeholder."""
    found = _find(G, keys)
    if found:
        keep = found[0]
        for other in found[1:]:
            _merge_into(G, keep, other)
        node = G.nodes[keep]
        if node.get("placeholder"):
            _describe(node, props)
        merged = sorted(set(_keys_of(G, keep)) | set(keys))
        node["match_keys"] = join_keys(merged)
        _index(G, keep)
        return keep
    node_id = canonical_doc_id(keys)
    _node(G, node_id, "Document", placeholder=True, match_keys=join_keys(keys), **props)
    _index(G, node_id)
    return node_id


def document_keys(doc: Document, source: str, index: int = 0) -> tuple[list[str], list[str]]:
    """The keys the `index`-th document of file `source` is looked up by: its own (文号, titles)
    and the weak ones (its titles without the issuer, which find placeholders only)."""
    keys = mention_keys(doc.doc_number, doc.title, doc.attachment_title)
    weak = [k for k in mention_keys(None, doc.title, doc.attachment_title, issuerless=True) if k not in keys]
    if not keys:
        keys = [f"s:{source}#{index}"]   # neither 文号 nor title: known by its place in the file
    return keys, weak


def repeal_mention(named: str) -> tuple[dict, list[str]]:
    """What a repealed document is described by and its keys: the extractor gives it by its 文号,
    or by its title where none is printed."""
    if doc_number_key(named) is not None:
        return {"doc_number": named}, mention_keys(named)
    return {"title": named}, mention_keys(None, named)


def add_document(G: nx.MultiDiGraph, doc: Document, source: str, index: int = 0,
                 source_hash: str | None = None) -> str:
    own_title = title_keys(doc.title)
    keys, weak = document_keys(doc, source, index)
    found = _find(G, keys, weak, date=doc.date)
    strong, keys = keys, keys + weak
    if found:
        keep = found[0]
        for other in found[1:]:
            _merge_into(G, keep, other)
        read_from = G.nodes[keep].get("source")
        if not G.nodes[keep].get("placeholder") and read_from and read_from < source:
            # the same document read from two files (a mirror, a reprint): the read of the file
            # whose name sorts first stands, whatever the order the files came in
            G.nodes[keep]["match_keys"] = join_keys(sorted(set(keys) | set(_keys_of(G, keep))))
            _index(G, keep)
            return keep
        if not G.nodes[keep].get("placeholder"):
            _remove_document_facts(G, keep)
        keys = sorted(set(keys) | set(_keys_of(G, keep)))
        doc_id = keep
    else:
        doc_id = canonical_doc_id(strong, own_title[0] if own_title else None)
        if doc_id in G and G.nodes[doc_id].get("placeholder"):
            # this document's own earlier read, forgotten, that nothing cites by these keys now
            keys = sorted(set(keys) | set(_keys_of(G, doc_id)))
        else:
            if doc_id in G:     # another document of that title and another date
                doc_id = f"{doc_id}@{doc.date}"
            _node(G, doc_id, "Document")
    year = int(doc.date[:4]) if doc.date else None
    G.nodes[doc_id].update(
        doc_number=doc.doc_number, title=doc.title, attachment_title=doc.attachment_title,
        issuer=doc.issuer, date=doc.date, year=year, level=doc.level, region=doc.region,
        placeholder=False, match_keys=join_keys(keys), source_hash=source_hash, **_span(doc.span, source))
    _index(G, doc_id)

    region_path = doc.region_path or []
    if region_path:
        _edge(G, doc_id, _add_region(G, region_path), "IN_REGION")
    for issuer in doc.issuers:
        _edge(G, doc_id, _add_department(G, issuer), "ISSUED_BY", printed=issuer.name, **_span(issuer.span, source))

    _add_tasks(G, doc, doc_id, source)

    for citation in doc.citations:
        ckeys = mention_keys(citation.doc_number, citation.title)
        if not ckeys or set(ckeys) & set(keys):
            continue   # a document naming itself
        described = dict(title=citation.title, doc_number=citation.doc_number, issuer=citation.issuer,
                         level=citation.level, region=citation.region)
        cited = mention_document(G, ckeys, **described)
        printed = citation.doc_number or citation.title
        if G.has_edge(doc_id, cited, "CITES"):
            # the same document cited twice (by 文号, then by title): both say what it is
            edge = G.edges[doc_id, cited, "CITES"]
            edge["basis"] = edge["basis"] or citation.basis
            edge["keys"] = join_keys(sorted(set(split_keys(edge.get("keys"))) | set(ckeys)))
            merged = _described_by(edge)
            _describe(merged, described)
            edge.update(_cited(merged))
        else:
            _edge(G, doc_id, cited, "CITES", printed=printed, basis=citation.basis, keys=join_keys(ckeys),
                  **_cited(described), **_span(citation.span, source))
    for named in doc.repeals:
        described, rkeys = repeal_mention(named)
        if not rkeys:
            continue
        repealed = mention_document(G, rkeys, **described)
        _edge(G, doc_id, repealed, "REPEALS", keys=join_keys(rkeys), **_cited(described), **_span(doc.span, source))
    return doc_id


# ---------------------------------------------------------------- regions, departments, tasks

def _region_level(path: list[str]) -> str:
    return REGION_LEVELS[min(len(path) - 1, len(REGION_LEVELS) - 1)]


def _add_region(G, path: list[str]) -> str:
    """The region and its chain of parents: 互助土族自治县 → 海东市 → 青海省 → 国家."""
    child = None
    for depth in range(len(path), 0, -1):
        node_id = region_id(path[:depth])
        if node_id not in G:
            _node(G, node_id, "Region", name=path[depth - 1], level=_region_level(path[:depth]),
                  path="/".join(path[:depth]))
        if child and not G.has_edge(child, node_id, "WITHIN"):
            _edge(G, child, node_id, "WITHIN")
        child = node_id
    return region_id(path)


def _add_department(G, dept: Department) -> str:
    """The node of a body as the extractor placed it (loaders.document.place_departments)."""
    name, path = dept.canonical or dept.name, dept.region_path
    node_id = department_id(path, name)
    if node_id not in G:
        # (a record made by hand, never placed, has no full name: it is stored as named)
        _node(G, node_id, "Department", name=name, full_name=dept.full_name or name,
              region=path[-1] if path else None, level=_region_level(path) if path else None,
              collective=dept.collective)
        if path:
            _edge(G, node_id, _add_region(G, path), "IN_REGION")
    return node_id


def _responsible(G, dept_id: str, task: str, role: str, printed: str, span: dict) -> None:
    if G.has_edge(dept_id, task, "RESPONSIBLE_FOR"):
        edge = G.edges[dept_id, task, "RESPONSIBLE_FOR"]
        if ROLE_STRENGTH[role] <= ROLE_STRENGTH[edge["role"]]:
            return
        G.remove_edge(dept_id, task, "RESPONSIBLE_FOR")
    _edge(G, dept_id, task, "RESPONSIBLE_FOR", role=role, printed=printed, **span)


def _add_tasks(G, doc: Document, doc_id: str, source: str) -> None:
    task_ids = []
    seen: dict[str, int] = {}
    for ordinal, task in enumerate(doc.tasks):
        tid = task_id(doc_id, task.path)
        seen[tid] = seen.get(tid, 0) + 1
        if seen[tid] > 1:
            # an attachment that numbers afresh prints a path again: its task is another task
            tid = f"{tid}~{seen[tid]}"
        task_ids.append(tid)
        _node(G, tid, "Task", document=doc_id, path="/".join(task.path), number=task.path[-1],
              ordinal=ordinal, title=task.title, text=task.text, deadline=task.deadline,
              **_span(task.span, source))
        _edge(G, tid, doc_id, "PART_OF", **_span(task.span, source))
        for dept in task.departments:
            _responsible(G, _add_department(G, dept), tid, dept.role, dept.name, _span(dept.span, source))
        for i, target in enumerate(task.targets):
            target_node = target_id(tid, i + 1)
            _node(G, target_node, "Target", task=tid, text=target.text, measure=target.measure,
                  value=target.value, unit=target.unit, comparator=target.comparator, by=target.by,
                  **_span(target.span, source))
            _edge(G, tid, target_node, "HAS_TARGET", **_span(target.span, source))
    _add_ledger(G, doc, task_ids, source)


def _add_ledger(G, doc: Document, task_ids: list[str], source: str) -> None:
    """A 任务台账 row's 牵头/配合 bodies are responsible for the task the extractor found it restates
    (loaders.ledger.assign_ledger)."""
    for row in doc.ledger:
        if row.task_index is None:
            continue
        tid = task_ids[row.task_index]
        for dept in row.departments:
            _responsible(G, _add_department(G, dept), tid, dept.role, dept.name, _span(dept.span, source))


# ---------------------------------------------------------------- identity and pruning

def canonicalise_ids(G: nx.MultiDiGraph) -> None:
    """Rename documents (and their tasks and targets) to the id their keys now call for."""
    mapping: dict[str, str] = {}
    wanted: dict[str, list[str]] = {}
    for n, data in list(G.nodes(data=True)):
        if data.get("label") != "Document":
            continue
        own = None
        if not data.get("placeholder"):
            own_keys = title_keys(data.get("title"))
            own = own_keys[0] if own_keys else None
        keys = _keys_of(G, n)
        wanted.setdefault(canonical_doc_id(keys, own) if keys else n, []).append(n)
    for want, nodes in wanted.items():
        for n in nodes:
            # documents of one title told apart by their dates (see _find) are named by them, all
            # of them, so the names do not depend on which was read first
            date = G._node[n].get("date")
            name = f"{want}@{date}" if len(nodes) > 1 and date else want
            if name != n:
                mapping[n] = name
    if not mapping:
        return
    for old, new in list(mapping.items()):
        for t, _, rel in list(G.in_edges(old, keys=True)):
            if rel == "PART_OF":
                mapping[t] = moved(t, old, new)
                for _, target, r in G.out_edges(t, keys=True):
                    if r == "HAS_TARGET":
                        mapping[target] = moved(target, old, new)
    _touch(G, *(new for old, new in mapping.items() if old.startswith("doc:")))
    nx.relabel_nodes(G, mapping, copy=False)
    for old, new in mapping.items():
        node = G.nodes[new]
        node["id"] = new
        if node["label"] == "Task":
            node["document"] = mapping.get(node["document"], node["document"])
        if node["label"] == "Target":
            node["task"] = mapping.get(node["task"], node["task"])
    reindex(G)


def prune(G: nx.MultiDiGraph) -> None:
    """Drop placeholders nobody cites, departments with no task or document, unused regions. A node
    flagged `_outside` has such edges in a store beyond what was read of it (graph/local.py)."""
    while True:
        drop = []
        for n, data in G.nodes(data=True):
            label = data.get("label")
            if data.get("_outside"):
                continue
            if label == "Document" and data.get("placeholder") and G.in_degree(n) == 0 or label == "Department" and G.in_degree(n) == 0 and not any(
                    r == "RESPONSIBLE_FOR" for _, _, r in G.out_edges(n, keys=True)) or label == "Region" and G.in_degree(n) == 0:
                drop.append(n)
        if not drop:
            break
        G.remove_nodes_from(drop)
    reindex(G)


def documents(G: nx.MultiDiGraph, ingested_only: bool = True) -> list[str]:
    return sorted(n for n, d in G.nodes(data=True) if d.get("label") == "Document"
                  and not (ingested_only and d.get("placeholder")))


def tasks_of(G: nx.MultiDiGraph, doc_id: str) -> list[str]:
    # the graph's own dicts: linking reads every document's tasks, and networkx's views cost more
    nodes = G._node
    tasks = [u for u, keys in G._pred[doc_id].items() if "PART_OF" in keys]
    return sorted(tasks, key=lambda t: nodes[t]["ordinal"])
