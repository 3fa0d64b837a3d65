"""A few files into a big store without reading the store whole: the part of the graph those files
can change, read with a few queries, so that building, linking and writing them costs the same at
any store size (issue 15).

What is read (`neighbourhood`), from a light table of every document (id, keys, place; subjects
worked out for the places concerned only):

- the documents the files can become: those read from the same files before, and every document
  holding a key the files' documents are looked up by (a weak key finds placeholders only:
  build._find);
- the documents whose links can change (`relink`): those, the documents citing them or carrying
  them down, the documents below them on a subject like theirs (candidate children), and the
  citers of a yearless 文号 one of them answers (the cases of link.affected_documents);
- the documents those are linked from (`parents`, read as `heads`): what they and the files cite
  or repeal, every document above them on a subject like theirs (candidate parents), and the
  documents of a yearless 文号's code and number.

The documents whose links can change are read whole — their tasks, targets, responsibilities and
every edge of all of them; the parents the same but for the edges other documents point at them
with (a national plan is cited by thousands). The other ends of those edges, the departments and
regions the new records name, every region and its WITHIN edges are read as the boundary:
attributes only. A boundary node or parent the store holds more edges into than were read is
flagged (`_outside`), so that pruning keeps it.

Everything the rest of an ingest does on the neighbourhood is what it does on the whole graph as
long as no decision reaches past it; `check` says when one did (a boundary node or a parent
changed, a document relinked that was not read whole, a name another document of the store
holds), and the ingest then falls back to the whole graph. tests/test_local_ingest.py compares
both after every single-file ingest, and tests/test_incremental.py the whole-store path with a store
built from scratch."""
from __future__ import annotations

from dataclasses import dataclass, field

import networkx as nx

from ..loaders.citations import doc_number_parts
from ..loaders.keys import mention_keys, subject
from ..loaders.models import Extraction
from . import cypher as C
from .build import build, document_keys, new_graph, repeal_mention
from .index import split_keys
from .link import document_signature, similar_subjects
from .schema import LEVEL_RANK, NODES

# above this many files an ingest reads the whole store: their neighbourhoods cover much of it
MAX_FILES = 50
# above this share of the store's documents the neighbourhood is read as the whole store would be
MAX_SHARE = 0.25


@dataclass
class Neighbourhood:
    graph: nx.MultiDiGraph
    whole: set[str]                      # the documents read whole: those whose links may change
    heads: set[str]                      # their parents, read without the edges other documents point at them with
    boundary: set[str]                   # nodes read with their attributes only
    unloaded_names: set[str] = field(default_factory=set)   # ids (before any @date) of documents not read


@dataclass
class _Doc:
    id: str
    keys: list[str]
    placeholder: bool
    source: str | None
    level: str | None
    path: list[str]
    doc_number: str | None
    title: str | None
    attachment_title: str | None
    placed: bool
    _subject: str | None = None

    @property
    def subject(self) -> str:
        """Its subject key ("" unless placed), worked out when first asked: a few files' ingest asks
        it of the documents above and below their places only (on the 10k benchmark store,
        working it out for every document took 0.45 s of an ingest)."""
        if self._subject is None:
            self._subject = subject(self.title, self.attachment_title, self.path) if self.placed else ""
        return self._subject


def _light(store) -> list[_Doc]:
    out = []
    for r in store.rows(C.LIGHT_DOCUMENTS):
        path = r["path"].split("/") if r["path"] else []
        placed = bool(not r["placeholder"] and r["level"] in LEVEL_RANK and path)
        out.append(_Doc(r["id"], split_keys(r["match_keys"]), bool(r["placeholder"]), r["source"], r["level"], path,
                        r["doc_number"], r["title"], r["attachment_title"], placed))
    return out


def _looked_up(extractions: list[Extraction]) -> tuple[set[str], set[str], set[str]]:
    """Every key building the files' records looks documents up by: those of their own documents
    (build.add_document), strong and weak, and those of the documents they cite or repeal
    (build.mention_document)."""
    own: set[str] = set()
    own_weak: set[str] = set()
    named: set[str] = set()
    for extraction in extractions:
        for i, doc in enumerate(extraction.documents):
            strong, weak = document_keys(doc, extraction.source, i)
            own.update(strong)
            own_weak.update(weak)
            for c in doc.citations:
                named.update(mention_keys(c.doc_number, c.title))
            for repealed in doc.repeals:
                named.update(repeal_mention(repealed)[1])
    return own, own_weak, named


class _Subjects:
    """Documents placed in the store (ingested, at a level, in a region), for the subject tests of
    linking: those above a place on a subject like a given one, and those below it."""

    def __init__(self, docs: list[_Doc]):
        # the placed documents by their region path and by every prefix of it, so that those above
        # and below a place are looked up, not filtered out of all of them for every document
        self.at: dict[tuple[str, ...], list[_Doc]] = {}
        self.within: dict[tuple[str, ...], list[_Doc]] = {}
        for d in docs:
            if d.placed:
                self.at.setdefault(tuple(d.path), []).append(d)
                for k in range(1, len(d.path) + 1):
                    self.within.setdefault(tuple(d.path[:k]), []).append(d)

    @staticmethod
    def _like(subject_key: str, docs: list[_Doc]) -> set[str]:
        docs = [d for d in docs if d.subject]
        if not subject_key or not docs:
            return set()
        return {docs[i].id for i, _ in similar_subjects(subject_key, [d.subject for d in docs])}

    def above(self, path: list[str], subject_key: str) -> set[str]:
        return self._like(subject_key, [p for k in range(1, len(path)) for p in self.at.get(tuple(path[:k]), ())])

    def below(self, path: list[str], subject_key: str, level: str | None) -> set[str]:
        if not path or level not in LEVEL_RANK:
            return set()
        rank = LEVEL_RANK[level]
        return self._like(subject_key, [c for c in self.within.get(tuple(path), ())
                                        if LEVEL_RANK.get(c.level or "", -1) > rank])


def neighbourhood(store, extractions: list[Extraction]) -> Neighbourhood | None:
    """The part of the store the files' records can change, or None where that is much of it."""
    docs = _light(store)
    if not docs:
        return None
    by_id = {d.id: d for d in docs}
    holders: dict[str, set[str]] = {}
    for d in docs:
        for k in d.keys:
            holders.setdefault(k, set()).add(d.id)
    sources = {e.source for e in extractions}
    own_keys, weak_keys, cited_keys = _looked_up(extractions)
    # the documents the files can change: those read from them before, and those their documents
    # can become (a weak key, a title without its issuer that plans of many places share, finds
    # only placeholders: build._find). A document they cite mostly just gains the citing edge, so
    # it is read as a parent; where the citation does change it (describes a placeholder anew,
    # adds a key, merges two), `check` sends the ingest to the whole store, as the documents
    # citing it may then be linked anew
    named = {d.id for d in docs if d.source in sources}
    for k in own_keys:
        named |= holders.get(k, set())
    for k in weak_keys - own_keys:
        named |= {n for n in holders.get(k, ()) if by_id[n].placeholder}
    cited: set[str] = set()
    for k in cited_keys:
        cited |= holders.get(k, set())
    subjects = _Subjects(docs)

    # the places and subjects the files' documents will have, for their candidate children
    new_places = [(doc.region_path or [], subject(doc.title, doc.attachment_title, doc.region_path or []), doc.level)
                  for e in extractions for doc in e.documents]

    relink = set(named)
    relink |= _ids(store, C.POINTING_AT, named)
    for n in list(named):
        if n in by_id:
            relink |= subjects.below(by_id[n].path, by_id[n].subject, by_id[n].level)
    for path, subject_key, level in new_places:
        relink |= subjects.below(path, subject_key, level)
    # a yearless 文号 one of them answers: the documents citing it
    answered = {(p[0], p[2]) for n in named if n in by_id
                for p in [doc_number_parts(by_id[n].doc_number)] if p and p[1] is not None}
    answered |= {(p[0], p[2]) for e in extractions for doc in e.documents
                 for p in [doc_number_parts(doc.doc_number)] if p and p[1] is not None}
    # (a 文号 is parsed only where it can matter: parsing every document's took 0.1 s at 10k)
    yearless = {d.id for d in docs if answered and d.placeholder and d.doc_number
                for p in [doc_number_parts(d.doc_number)] if p and p[1] is None and (p[0], p[2]) in answered}
    relink |= _ids(store, C.CITING, yearless)

    parents = _ids(store, C.CITED_BY, relink) | cited
    for n in relink:
        if n in by_id and by_id[n].subject:
            parents |= subjects.above(by_id[n].path, by_id[n].subject)
    for path, subject_key, _ in new_places:      # the files' own documents: their candidate parents
        parents |= subjects.above(path, subject_key)
    # the documents of a yearless 文号's code and number, for the one it names (link._Linker._dated)
    cited_yearless = {(p[0], p[2]) for d in parents if d in by_id and by_id[d].placeholder
                      for p in [doc_number_parts(by_id[d].doc_number)] if p and p[1] is None}
    cited_yearless |= {(p[0], p[2]) for e in extractions for doc in e.documents for c in doc.citations
                       for p in [doc_number_parts(c.doc_number)] if p and p[1] is None}
    parents |= {d.id for d in docs if cited_yearless and d.doc_number for p in [doc_number_parts(d.doc_number)]
                if p and p[1] is not None and (p[0], p[2]) in cited_yearless}
    heads = parents - relink
    if len(relink | heads) > MAX_SHARE * len(docs):
        return None
    G, boundary = _read(store, relink, heads, build(extractions))
    loaded = {n for n, d in G._node.items() if d["label"] == "Document"}
    unloaded = {d.id.split("@")[0] for d in docs if d.id not in loaded}
    return Neighbourhood(G, relink, heads, boundary, unloaded)


def _ids(store, query: str, ids: set[str]) -> set[str]:
    return {r["id"] for r in store.rows(query, {"ids": sorted(ids)})} if ids else set()


def _read(store, whole: set[str], heads: set[str], dry: nx.MultiDiGraph) -> tuple[nx.MultiDiGraph, set[str]]:
    """The documents `whole` with all they hold and every edge of it; the documents `heads` with
    all they hold and the edges leaving it (a national plan is cited by thousands: those edges
    change only where the citing document is one of `whole`, which reads them); their edges' other
    ends, the departments and regions the new records name (`dry`: them built alone) and every
    region as the boundary."""
    params = {"ids": sorted(whole | heads)}
    rows: dict[str, dict[str, dict]] = {label: {} for label in NODES}
    for label in C.AROUND_NODES:
        for r in store.rows(C.read_nodes_around(label), params):
            rows[label][r["id"]] = r
    inner = set(rows["Document"]) | set(rows["Task"]) | set(rows["Target"])
    edges = []
    for key, query in C.LOCAL_EDGES_OUT:
        for r in store.rows(query, params):
            edges.append((key, r))
    for key, query in C.LOCAL_EDGES_IN:
        for r in store.rows(query, {"ids": sorted(whole)}):
            edges.append((key, r))
    ends: dict[str, set[str]] = {label: set() for label in NODES}
    for (rel, src, dst), r in edges:
        ends[src].add(r["src"])
        ends[dst].add(r["dst"])
    for n, d in dry.nodes(data=True):
        if d["label"] in ("Department", "Region"):
            ends[d["label"]].add(n)
    # every region and the WITHIN edges among them: building adds a region's chain where it lacks it
    for r in store.rows(C.read_nodes("Region")):
        rows["Region"][r["id"]] = r
    edges += [(("WITHIN", "Region", "Region"), r) for r in store.rows(C.read_edges("WITHIN", "Region", "Region"))]
    for label in ("Document", "Department"):
        missing = sorted(ends[label] - set(rows[label]))
        if missing:
            for r in store.rows(C.read_nodes_by_id(label), {"ids": missing}):
                rows[label][r["id"]] = r
    # the tasks and targets of other documents at the far end of a link: nothing reads them but the
    # link, so they stand in by their ids (read by id, LadybugDB scans every task: 2.5 s at 10k)
    for label in ("Task", "Target"):
        for n in sorted(ends[label] - set(rows[label])):
            rows[label][n] = {**dict.fromkeys(NODES[label]), "id": n}
    G = new_graph()
    for label in NODES:     # in the store's order, as a whole read adds them (build's index keeps the last)
        for n, r in rows[label].items():
            G.add_node(n, label=label, **r)
    for (rel, _, _), r in edges:
        r = dict(r)
        u, v = r.pop("src"), r.pop("dst")
        if u in G and v in G and not G.has_edge(u, v, rel):
            G.add_edge(u, v, key=rel, **r)
    boundary = set(G) - inner
    # a head the store holds more edges into than were read is flagged as a boundary node is
    _mark_outside(store, G, boundary | heads)
    return G, boundary


def _mark_outside(store, G: nx.MultiDiGraph, boundary: set[str]) -> None:
    """Flag the nodes `boundary` the store holds more of the edges pruning counts for than were read:
    a placeholder someone else cites, a department another document's task names, a region
    another document is in."""
    by_label: dict[str, list[str]] = {}
    for n in boundary:
        by_label.setdefault(G._node[n]["label"], []).append(n)
    for label, query, loaded in (
            ("Document", C.COUNT_IN["Document"], lambda n: G.in_degree(n)),
            ("Region", C.COUNT_IN["Region"], lambda n: G.in_degree(n)),
            ("Department", C.COUNT_IN["Department"],
             lambda n: G.in_degree(n) + sum(1 for _, _, k in G.out_edges(n, keys=True) if k == "RESPONSIBLE_FOR"))):
        ids = sorted(by_label.get(label, []))
        if not ids:
            continue
        counts: dict[str, int] = {}
        for q in query:
            for r in store.rows(q, {"ids": ids} if "$ids" in q else None):
                counts[r["id"]] = counts.get(r["id"], 0) + r["n"]
        for n in ids:
            if counts.get(n, 0) > loaded(n):
                G._node[n]["_outside"] = True


def check(nb: Neighbourhood, new: nx.MultiDiGraph, relinked: set[str] | None) -> str | None:
    """Why the ingest must read the whole store after all (None: it need not): a decision reached
    past the neighbourhood."""
    old = nb.graph
    for n in nb.heads | nb.boundary:
        if n not in new:
            return f"{n} would be removed"
    for n in nb.heads:
        if document_signature(old, n) != document_signature(new, n):
            return f"{n} would change"
    for n in nb.boundary:
        before, after = old._node[n], new._node[n]
        if any(before.get(p) != after.get(p) for p in NODES[before["label"]]):
            return f"{n} would change"
    # (a document new to the store, or renamed, is all there: built here from its records)
    outside = {n for n in relinked or () if n in old and n not in nb.whole}
    if relinked is None or outside:
        return f"documents not read whole would be relinked: {', '.join(sorted(outside)[:3])}"
    # a document named anew (new, or renamed by its keys) beside one of the store not read: the
    # names of documents of one title told apart by date depend on all of them (build.canonicalise_ids)
    for n, d in new._node.items():
        if d["label"] == "Document" and n not in old and n.split("@")[0] in nb.unloaded_names:
            return f"{n} shares its name with a document not read"
    for n, d in old._node.items():
        if d["label"] == "Document" and n not in new and n.split("@")[0] in nb.unloaded_names:
            return f"{n} is renamed beside a document not read"
    return None
