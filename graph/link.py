"""Lineage links, recomputed from the facts of the graph on every ingest (so they never depend on
the order documents arrived in):

- Document IMPLEMENTS Document, ``stated``: a basis citation (根据/为贯彻落实《…》).
- Document IMPLEMENTS Document, ``inferred``: a lower-level document of a contained region, dated
  the same day or later, on the same subject, where the document states no parent at that level.
- Task IMPLEMENTS Task, ``aligned``: the tasks of each linked document pair, compared by character
  n-gram TF-IDF of their title and text. Only linked pairs are compared, so the cost grows with the
  corpus, not with its square.
- Target DERIVED_FROM Target: an aligned child task restating one of its parent's targets.

Similarity uses character n-gram TF-IDF (numpy, see NgramCounts) and rapidfuzz; hand-written here is how those scores
decide a link.
"""
from __future__ import annotations

import bisect
import gc
import hashlib
import json
import os
import pickle
import re
from collections import defaultdict
from collections.abc import Callable, Set
from dataclasses import dataclass
from typing import NamedTuple

import networkx as nx
import numpy as np
from rapidfuzz import fuzz, process

from ..loaders.citations import doc_number_parts, doc_number_year
from ..loaders.keys import department_core, measure_core, subject, task_numbers, task_text
from .build import documents, tasks_of
from .index import document_index
from .schema import DERIVED_RELS, LEVEL_RANK, RELS


@dataclass(frozen=True)
class LinkSettings:
    # A child task is aligned with its most similar parent task when that similarity stands out
    # from the pair's background (mean + task_best_sd standard deviations of all the pair's task
    # similarities), and with any other parent task that stands out by task_also_sd (a child
    # merging two parents). A bar relative to the pair adapts to how wordy the two documents are;
    # on the one public gold pair (000 → 001) every value of task_best_sd from 1.0 to 1.6 gives the
    # same links, so 1.5 is the middle of a plateau, not a tuned optimum.
    task_best_sd: float = 1.5
    task_also_sd: float = 4.0
    # Two tasks that are each other's best match are linked when their similarity reaches
    # task_mutual_min even below the pair's bar: in a page's excerpt (two tasks a side) the
    # background is too thin to set a bar by. Right on the three real pairs with hand-made links
    # from 0.15 to 0.2 (0.1 adds a wrong link at 0.139, 0.25 loses one), and Sanming's task table
    # → a public excerpt of the 国办发〔2024〕29号 page needs it at 0.17 or below (its 集采 task pair
    # scores 0.17): so 0.15, see benchmarks/alignment_pairs.md.
    task_mutual_min: float = 0.15
    # Inferred document links: subject similarity of the titles (places and years removed) must
    # reach subject_min; the score also counts the share of child tasks with a parent task sharing
    # clear wording (TF-IDF cosine >= task_shared).
    subject_min: float = 0.6
    task_shared: float = 0.2
    doc_min: float = 0.6
    max_years: int = 3            # a plan is carried down within a few years, not decades
    target_measure_min: float = 60.0


DEFAULTS = LinkSettings()


Edge = tuple[str, str, str, dict]     # (from, to, type, properties)


def link(G: nx.MultiDiGraph, settings: LinkSettings = DEFAULTS, workers: int | None = 1,
         only: set[str] | None = None, pool: LinkWorkers | None = None) -> None:
    """Replace every derived link (IMPLEMENTS, DERIVED_FROM) by freshly computed ones; with `only`,
    the links of those documents (as children: from them, their tasks and their targets) and no
    others, which gives the same graph as relinking all when `only` holds every document whose
    links can have changed (see affected_documents)."""
    found = find_links(G, settings, workers, only, pool)
    if only is None:
        owners = None
    else:
        owners = set()
        for doc in only:
            if doc in G:
                owners.add(doc)
                for task in tasks_of(G, doc):
                    owners.add(task)
                    owners.update(v for v, keys in G._adj[task].items() if "HAS_TARGET" in keys)
    for u, v, rel in [(u, v, rel) for u, neighbours in G._adj.items() if owners is None or u in owners
                      for v, keyed in neighbours.items() for rel in keyed if rel in DERIVED_RELS]:
        G.remove_edge(u, v, rel)
    # each link let go once added: add_edge copies its properties, and at 30k documents the
    # links are over a million
    found.reverse()
    while found:            # in the order found
        u, v, rel, attrs = found.pop()
        G.add_edge(u, v, key=rel, **attrs)


def document_signature(G: nx.MultiDiGraph, doc: str) -> str:
    """Everything linking reads of one document, as one hash: its properties, its facts' edges
    (citations, region, issuer), its tasks with their targets and responsible departments. Two
    graphs in which a document has the same signature give it the same links wherever the
    documents it may be linked with have the same signatures too."""
    nodes = G._node
    parts = [sorted(nodes[doc].items())]
    parts += sorted([rel, v, sorted(data.items())] for v, keyed in G._adj[doc].items()
                    for rel, data in keyed.items() if rel not in DERIVED_RELS)
    for task in tasks_of(G, doc):
        parts.append(sorted(nodes[task].items()))
        parts += sorted([v, sorted(nodes[v].items())] for v, keys in G._adj[task].items() if "HAS_TARGET" in keys)
        parts += sorted([u, sorted(nodes[u].items()), sorted(keys["RESPONSIBLE_FOR"].items())]
                        for u, keys in G._pred[task].items() if "RESPONSIBLE_FOR" in keys)
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, default=str).encode("utf-8")).hexdigest()


def affected_documents(old: nx.MultiDiGraph, new: nx.MultiDiGraph, settings: LinkSettings = DEFAULTS,
                       sources: set[str] | None = None) -> set[str]:
    """The documents of `new` whose links can differ from their links in `old`, given how linking
    works: the documents whose facts changed (or that are new); the documents citing them; the
    documents linked to them before; the documents below them (a contained region, a lower level)
    on a subject like theirs, for which they are a candidate parent now; and the documents citing
    a 文号 without its year that one of them now answers. Relinking these (link(new, only=…))
    gives the links of relinking everything."""
    def docs(G):
        return [n for n, d in G._node.items() if d.get("label") == "Document"]

    old_docs, new_docs = set(docs(old)), docs(new)
    if sources is None:
        maybe = new_docs
    else:
        # what an ingest of the files `sources` can have changed: their documents (before and
        # after), the placeholders, and the documents building merged or renamed
        # (build.touched); the others' signatures cannot differ, so they are not computed
        touched = document_index(new).touched
        maybe = [d for d in new_docs if d not in old_docs or d in touched
                 or new._node[d].get("placeholder") or old._node[d].get("placeholder")
                 or new._node[d].get("source") in sources or old._node[d].get("source") in sources]
    changed = {d for d in maybe if d not in old_docs
               or document_signature(new, d) != document_signature(old, d)}
    changed |= old_docs - set(new_docs)
    affected = {d for d in changed if d in new}
    for f in changed:
        for G in (old, new):
            if f in G:
                affected.update(u for u, keys in G._pred[f].items()
                                if ("CITES" in keys or "IMPLEMENTS" in keys) and G._node[u].get("label") == "Document")
    # candidate parents: a changed, placed document is a candidate for documents below it
    paths, subjects = _placed(new)
    for f in changed:
        if f not in paths or not subjects[f]:
            continue
        f_path, f_rank = paths[f], LEVEL_RANK[new._node[f]["level"]]
        for d, path in paths.items():
            if (LEVEL_RANK[new._node[d]["level"]] > f_rank and path[:len(f_path)] == f_path and subjects[d]
                    and fuzz.ratio(subjects[d], subjects[f], score_cutoff=settings.subject_min * 100)):
                affected.add(d)
    # a 文号 cited without its year: the documents citing one that a changed document answers
    answered = {(p[0], p[2]) for f in changed for G in (old, new) if f in G
                for p in [doc_number_parts(G._node[f].get("doc_number"))] if p and p[1] is not None}
    if answered:
        for d in new_docs:
            parts = doc_number_parts(new._node[d].get("doc_number")) if new._node[d].get("placeholder") else None
            if parts and parts[1] is None and (parts[0], parts[2]) in answered:
                affected.update(u for u, keys in new._pred[d].items() if "CITES" in keys)
    return affected


def find_links(G: nx.MultiDiGraph, settings: LinkSettings = DEFAULTS, workers: int | None = 1,
               only: set[str] | None = None, pool: LinkWorkers | None = None) -> list[Edge]:
    """Every derived link of G's facts (of the documents `only`, if given), without changing G
    (derived links already in G are ignored). Each document's links depend on the facts alone,
    not on other documents' links, so documents are linked independently: in `workers` processes
    (None: one per core) when there are many, or in `pool`'s. This process plans each document's
    links (its stated parents, its candidate parents, see _Linker.plan); the workers score and
    align them on the task facts sent with each chunk of documents, and never read the graph."""
    linker = _Linker(G, settings)
    children = linker.children if only is None else [c for c in linker.children if c in only]
    processes = pool.processes if pool is not None else _processes(workers)
    if processes <= 1 or len(children) < _MIN_PER_WORKER * processes:
        return [edge for child in children for edge in linker.links_of(child)]
    # Children of one parent go to one chunk: a worker counts a document's n-grams once per
    # chunk that names it, and in id order a parent's children are spread over many chunks. They
    # are grouped by the first document they cite as their basis, known before any is planned
    # (planning all first kept the workers waiting). The links come back in id order, as in one
    # process.
    grouped = sorted(children, key=lambda child: (linker.first_stated(child), child))
    chunks = (linker.chunk(grouped[i:i + _CHUNK]) for i in range(0, len(grouped), _CHUNK))
    if pool is not None:
        per_child = pool.map(chunks)
    else:
        with LinkWorkers(processes) as forked_now:
            per_child = forked_now.map(chunks)
    by_child = dict(zip(grouped, per_child))
    return [edge for child in children for edge in by_child.pop(child)]


def _processes(workers: int | None) -> int:
    import multiprocessing
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1        # see LinkWorkers: without fork, one process
    return (os.cpu_count() or 1) if workers is None else workers


class LinkWorkers:
    """Linking worker processes, to be started before the graph is built (ingest does): a worker
    forked from a process holding a big graph shares its pages, and every page the parent writes
    afterwards (a read writes an object's reference count; the store's writer reads the whole
    graph while linking runs) leaves the old page to the workers: forked while linking, the two
    workers held 4.8 GB at 30k documents although they read none of it.

    Fork, not spawn: spawn runs the caller's main module again in every worker, which breaks a
    script that calls ingest without an `if __name__ == "__main__"` guard."""

    def __init__(self, workers: int | None):
        self.processes = _processes(workers)
        self._pool = None
        if self.processes > 1:
            import multiprocessing
            # frozen, the collector leaves the inherited objects alone in the workers (marking
            # them would write to, and so copy, their pages)
            gc.freeze()
            try:
                self._pool = multiprocessing.get_context("fork").Pool(self.processes)
            finally:
                gc.unfreeze()

    def map(self, chunks) -> list[list[Edge]]:
        """Each chunk's documents' links, a list per document, in the order of the chunks."""
        assert self._pool is not None     # find_links sends chunks only where there are workers
        return [edges for chunk_edges in self._pool.imap(_links_of_chunk, chunks) for edges in chunk_edges]

    def __enter__(self) -> LinkWorkers:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()


_MIN_PER_WORKER = 200     # below this many documents a worker costs more than it saves
_CHUNK = 100


class _Plan(NamedTuple):
    """What this process decides of one document's links before its tasks are compared."""
    child: str
    stated: list[Edge]        # its stated links, made
    aligned: list[str]        # the stated parents whose tasks its tasks are aligned with
    # the candidate inferred parents of each region above it, the closest first, each list best
    # reachable first: (reach, -years, parent, subject similarity, compare tasks, parent's subject)
    candidates: list[list[tuple[float, float, str, float, bool, str]]]
    subject: str


def _links_of_chunk(chunk: tuple[LinkSettings, list[_Plan], dict[str, bytes]]) -> list[list[Edge]]:
    """A worker's part: the links of each of a chunk's plans, from the task facts sent with them."""
    settings, plans, packed = chunk
    decoded: dict[str, list[TaskFacts]] = {}

    def facts_of(doc: str) -> list[TaskFacts]:
        if doc not in decoded:
            decoded[doc] = _facts(pickle.loads(packed[doc]))
        return decoded[doc]

    children = {plan.child for plan in plans}
    aligner = TaskAligner(settings=settings, facts_of=facts_of, keep=set(packed) - children)
    return [_links_of_plan(plan, aligner, settings) for plan in plans]


def _links_of_plan(plan: _Plan, aligner: TaskAligner, settings: LinkSettings) -> list[Edge]:
    """The document's stated and inferred parents, then its tasks aligned with theirs and the
    targets derived from the parents' targets."""
    aligner.forget_scores()    # a pair's scores serve one child document only
    out = list(plan.stated)
    parents = list(plan.aligned)
    inferred = _inferred_parent(plan, aligner, settings)
    if inferred:
        parent, score, evidence = inferred
        out.append(_link(plan.child, parent, "inferred", score, evidence))
        parents.append(parent)     # an ingested document (see _placed), never a placeholder
    for parent in parents:
        for c, p, score, evidence in aligner.align(plan.child, parent):
            out.append(_link(c.id, p.id, "aligned", score, evidence))
            out.extend(_derive_targets(c, p, settings))
    return out


def _inferred_parent(plan: _Plan, aligner: TaskAligner, settings: LinkSettings
                     ) -> tuple[str, float, dict] | None:
    """Of the closest region's candidates that reach doc_min, the best by score, then by the
    nearer date, then by id; the candidates are tried in the order of the best score each could
    reach, so the costly task alignment stops as soon as no candidate left can beat the best found."""
    for candidates in plan.candidates:
        best = None
        for reach, minus_gap, parent, subject_score, has_tasks, parent_subject in candidates:
            if best is not None and (reach, minus_gap, parent) < (best[0], -best[3], best[1]):
                break       # neither this candidate nor any after it can beat the best
            shared = aligner.share_with_counterpart(plan.child, parent) if has_tasks else 0.0
            score = 0.6 * subject_score + 0.4 * shared if has_tasks else subject_score
            if score < settings.doc_min:
                continue
            gap = -minus_gap
            evidence = {"subjects": [plan.subject, parent_subject],
                        "subject_similarity": round(subject_score, 3),
                        "tasks_with_counterpart": round(shared, 3), "years_later": round(gap, 2),
                        "reason": "lower level, contained region, later date, same subject"}
            # ties go to the nearer date by its exact gap (not the rounded one the evidence
            # shows: comparing with that made the choice depend on the order of candidates)
            if best is None or (score, -gap, parent) > (best[0], -best[3], best[1]):
                best = (score, parent, evidence, gap)
        if best:
            return best[1], best[0], best[2]
    return None


class _Linker:
    """What linking one document needs to know about the others, gathered once."""

    def __init__(self, G: nx.MultiDiGraph, settings: LinkSettings):
        self.G, self.settings = G, settings
        nodes = G._node
        self.children = documents(G, ingested_only=False)
        self.stated = {d: [(v, keyed["CITES"]) for v, keyed in G._adj[d].items()
                           if "CITES" in keyed and keyed["CITES"].get("basis")] for d in self.children}
        self.aligner = TaskAligner(G, settings, keep={v for links in self.stated.values() for v, _ in links})
        self.with_tasks = {d for d in self.children if any("PART_OF" in keys for keys in G._pred[d].values())}
        # documents that may be given an inferred parent (ingested, placed), by region
        self.paths, self.subjects = _placed(G)
        self.blocks = _candidate_blocks(G, self.paths, self.subjects)
        self._subject_scores: dict[tuple[str, str], list[tuple[str, float]]] = {}
        # documents by issuer code and number, for a 文号 cited without its year (国发42号文件)
        self.by_code_number: dict[tuple[str, int], list[tuple[int, str]]] = defaultdict(list)
        for d in self.children:
            parts = doc_number_parts(nodes[d].get("doc_number"))
            if parts and parts[1] is not None:
                self.by_code_number[parts[0], parts[2]].append((parts[1], d))
        self._packed_parents: dict[str, bytes] = {}

    def links_of(self, child: str) -> list[Edge]:
        """The document's links, in this process."""
        return _links_of_plan(self.plan(child), self.aligner, self.settings)

    def first_stated(self, child: str) -> str:
        """The first document the child cites as its basis ('' for none)."""
        stated = self.stated[child]
        return stated[0][0] if stated else ""

    def chunk(self, children: list[str]) -> tuple[LinkSettings, list[_Plan], dict[str, bytes]]:
        """A worker's work: the children's plans and the task facts of every document they name,
        each document's pickled once (a parent's once for all the chunks that name it)."""
        plans = [self.plan(child) for child in children]
        packed: dict[str, bytes] = {}
        for plan in plans:
            named = [plan.child, *plan.aligned, *(c[2] for candidates in plan.candidates for c in candidates)]
            for i, doc in enumerate(named):
                if doc not in packed:
                    packed[doc] = self._packed(doc, parent=i > 0)
        return self.settings, plans, packed

    def _packed(self, doc: str, parent: bool) -> bytes:
        if doc in self._packed_parents:
            return self._packed_parents[doc]
        packed = pickle.dumps(_task_rows(self.G, doc), protocol=pickle.HIGHEST_PROTOCOL)
        if parent:
            self._packed_parents[doc] = packed
        return packed

    def plan(self, child: str) -> _Plan:
        nodes = self.G._node
        stated: list[Edge] = []
        parents: list[str] = []
        for parent, cites in self.stated[child]:
            evidence = {"citation": cites.get("printed")}
            dated = self._dated(child, parent)
            if dated:
                parent = dated
                evidence["resolved_to"] = nodes[parent].get("doc_number")
                evidence["reason"] = "cited without its year: the document of that code and number issued last before the citing one"
            if parent == child or parent in parents:
                continue
            stated.append(_link(child, parent, "stated", 1.0, evidence,
                                source=cites.get("source"), span_start=cites.get("span_start"),
                                span_end=cites.get("span_end")))
            parents.append(parent)
        candidates = self._candidates(child, parents) if child in self.paths else []
        return _Plan(child, stated, [p for p in parents if not nodes[p].get("placeholder")], candidates,
                     self.subjects.get(child) or "")

    def _dated(self, child: str, cited: str) -> str | None:
        """The document a 文号 cited without its year names: of those with that issuer code and
        number, the one of the latest year not after the citing document's (a text cites what is
        already issued); None where the citation has its year, or no such document is known."""
        nodes = self.G._node
        parts = doc_number_parts(nodes[cited].get("doc_number")) if nodes[cited].get("placeholder") else None
        if not parts or parts[1] is not None:
            return None
        when = _when(nodes[child], latest=True)
        year = int(when[:4]) if when else None
        known = [(y, d) for y, d in self.by_code_number.get((parts[0], parts[2]), ())
                 if d != child and (year is None or y <= year)]
        if not known or (year is None and len(known) > 1):
            return None     # with no year of its own, the citing text cannot say which it means
        latest = max(y for y, _ in known)
        at_latest = sorted(d for y, d in known if y == latest)
        return at_latest[0] if len(at_latest) == 1 else None

    def _similar_subjects(self, region: str, c_subject: str) -> list[tuple[str, float]]:
        """The subjects of the region's documents like c_subject, with their similarity."""
        key = (region, c_subject)
        if key not in self._subject_scores:
            subjects = list(self.blocks[region])
            self._subject_scores[key] = [(subjects[i], score)
                                         for i, score in similar_subjects(c_subject, subjects, self.settings)]
        return self._subject_scores[key]

    def _candidates(self, child: str, stated: list[str]) -> list[list[tuple[float, float, str, float, bool, str]]]:
        """The candidate inferred parents of each region above the document, the closest region
        first (at most one inferred parent per document: from the closest level above it that has
        a document on the same subject, and only closer than any parent the document states
        itself: a county plan citing its city plan is not also inferred to carry down the
        province's). The cheap tests are made here, on the candidates the blocks give (the
        region, a subject like the child's, a level between, the date window, the nearest few: see
        _candidate_blocks); each region's list is sorted by the best score a candidate could reach
        (its subject's share, all of its tasks with a counterpart), for _inferred_parent."""
        nodes, settings = self.G._node, self.settings
        c = nodes[child]
        floor = _stated_floor(self.G, stated)
        path = self.paths[child]
        child_when, child_rank = _when(c, latest=True), LEVEL_RANK[c["level"]]
        c_subject = self.subjects[child]
        child_month = _month(child_when)
        if not c_subject or child_month is None:
            return []
        child_has_tasks = child in self.with_tasks
        by_region = []
        for depth in range(len(path) - 1, 0, -1):  # the closest region first
            region = "/".join(path[:depth])
            blocks = self.blocks.get(region)
            if not blocks:
                continue
            candidates = []
            for p_subject, subject_score in self._similar_subjects(region, c_subject):
                for rank, block in blocks[p_subject].items():
                    if rank >= child_rank or rank <= floor:
                        continue
                    months, parents = block
                    # nearest date first (ties: the larger id first, the order of the sort below)
                    i = bisect.bisect_right(months, child_month)
                    lo = bisect.bisect_left(months, child_month - 12 * settings.max_years)
                    # a child with tasks weighs parents with and without tasks apart (their
                    # reach differs); a child without tasks has one kind of candidate
                    taken = {True: 0, False: 0} if child_has_tasks else {False: 0}
                    while i > lo and min(taken.values()) < CANDIDATES_PER_BLOCK:
                        i -= 1
                        parent = parents[i]
                        gap = _years_apart(child_when, _when(nodes[parent], latest=False))
                        if gap is None or gap < 0 or gap > settings.max_years:
                            continue
                        # where either side shows no tasks (a page's excerpt, a notice) there is
                        # nothing to compare them by, and the subject alone decides; otherwise the
                        # tasks count too
                        has_tasks = child_has_tasks and parent in self.with_tasks
                        if taken[has_tasks] >= CANDIDATES_PER_BLOCK:
                            continue
                        taken[has_tasks] += 1
                        reach = 0.6 * subject_score + 0.4 if has_tasks else subject_score
                        if reach >= settings.doc_min:
                            candidates.append((reach, -gap, parent, subject_score, has_tasks, self.subjects[parent]))
            if candidates:
                candidates.sort(reverse=True)
                by_region.append(candidates)
        return by_region


# A document weighs at most this many candidate parents of one region, subject and level, the
# nearest in date first (and as many again where one side shows no tasks): a plan is carried down
# within months, and a region's thousandth notice on one subject is not a nearer parent than the
# twenty before it. This bound is what keeps linking near-linear where thousands of documents of
# one region share a subject (issue 15: 5,000 such notices scanned each other, 25M date tests).
CANDIDATES_PER_BLOCK = 20


def _month(when: str | None) -> int | None:
    """A date as a count of months, as _years_apart reads it (the day does not count)."""
    return None if not when else int(when[:4]) * 12 + int(when[5:7] or 1)


def _candidate_blocks(G, paths: dict[str, list[str]], subjects: dict[str, str]
                      ) -> dict[str, dict[str, dict[int, tuple[list[int], list[str]]]]]:
    """The documents that can be an inferred parent, blocked by region path, then subject, then
    level rank, each block sorted by (month, id): a child looks up its regions, the subjects like
    its own, the levels above it, and bisects its date window, instead of testing every document."""
    nodes = G._node
    rows: dict[str, dict[str, dict[int, list[tuple[int, str]]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list)))
    for d, path in paths.items():
        month = _month(_when(nodes[d], latest=False))
        if subjects[d] and month is not None:
            rows["/".join(path)][subjects[d]][LEVEL_RANK[nodes[d]["level"]]].append((month, d))
    blocks: dict[str, dict[str, dict[int, tuple[list[int], list[str]]]]] = {}
    for region, by_subject in rows.items():
        blocks[region] = {}
        for subject_key, by_rank in by_subject.items():
            blocks[region][subject_key] = {}
            for rank, entries in by_rank.items():
                entries.sort()
                blocks[region][subject_key][rank] = ([m for m, _ in entries], [d for _, d in entries])
    return blocks


def similar_subjects(subject_key: str, subjects: list[str], settings: LinkSettings = DEFAULTS
                     ) -> list[tuple[int, float]]:
    """The positions in `subjects` of those like subject_key (fuzz.ratio / 100 ≥ subject_min), with
    that similarity: rapidfuzz compares it with all of them in one call. The cutoff is a hair low
    and the bar tested as score / 100, as a single comparison would (0.6 * 100 is
    60.00000000000001 in floating point)."""
    found = process.extract(subject_key, subjects, scorer=fuzz.ratio,
                            score_cutoff=settings.subject_min * 100 - 1e-6, limit=None)
    return [(i, score / 100) for _, score, i in found if score / 100 >= settings.subject_min]


def rejected_parents(G: nx.MultiDiGraph, settings: LinkSettings = DEFAULTS) -> list[dict]:
    """Why each higher-level document on a document's subject is not its inferred parent: the
    distractors a reader checks by hand (`policykg links --explain`). One entry per pair whose
    subject similarity reaches `subject_min`, with the first rule that keeps it out. Every placed
    document is compared with every higher-level one, so this costs the square of the corpus; it
    runs on request only."""
    linker = _Linker(G, settings)
    nodes = G._node
    direct = {u: {v for v, keyed in G._adj[u].items() if "IMPLEMENTS" in keyed} for u in linker.paths}
    out = []
    for child, path in linker.paths.items():
        c = nodes[child]
        c_subject, child_rank = linker.subjects[child], LEVEL_RANK[c["level"]]
        if not c_subject:
            continue
        stated = [v for v, _ in linker.stated.get(child, [])]
        floor = _stated_floor(G, stated)
        chosen = next((v for v in direct[child] if v not in stated and nodes[v].get("label") == "Document"), None)
        for parent, p_path in linker.paths.items():
            p = nodes[parent]
            rank = LEVEL_RANK[p["level"]]
            if rank >= child_rank or parent in direct[child] or not linker.subjects[parent]:
                continue
            similarity = fuzz.ratio(c_subject, linker.subjects[parent], score_cutoff=settings.subject_min * 100) / 100
            if not similarity:
                continue
            gap = _years_apart(_when(c, latest=True), _when(p, latest=False))
            if p_path != path[:len(p_path)]:
                reason = f"its region ({'/'.join(p_path[1:]) or '国家'}) does not contain the document's"
            elif rank <= floor:
                reason = "the document states a parent at this level or a nearer one"
            elif gap is None:
                reason = "one of the two has no date and no year in its 文号"
            elif gap < 0:
                reason = "it is later than the document"
            elif gap > settings.max_years:
                reason = f"it is {gap:.1f} years earlier (more than {settings.max_years})"
            elif chosen is not None:
                reason = "another document was inferred instead"
            else:
                reason = f"subject and tasks score below {settings.doc_min}"
            out.append({"child": child, "candidate": parent, "subject_similarity": round(similarity, 3),
                        "subjects": [c_subject, linker.subjects[parent]], "reason": reason,
                        "instead": chosen if reason == "another document was inferred instead" else None})
    return sorted(out, key=lambda x: (x["child"], x["candidate"]))


def _link(u, v, method, score, evidence, **props) -> Edge:
    attrs = dict.fromkeys(RELS["IMPLEMENTS"]["props"])
    attrs.update(method=method, score=round(float(score), 4),
                 evidence=json.dumps(evidence, ensure_ascii=False, sort_keys=True), **props)
    return u, v, "IMPLEMENTS", attrs


def _placed(G) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The documents that can be given or be an inferred parent (ingested, at a level): their
    region paths and their subjects."""
    nodes = G._node
    paths = {d: _region_path(G, d) for d in documents(G) if nodes[d].get("level") in LEVEL_RANK}
    subjects = {d: subject(nodes[d].get("title"), nodes[d].get("attachment_title"), path)
                for d, path in paths.items()}
    return paths, subjects


def _stated_floor(G, stated: list[str]) -> int:
    """The level rank of the nearest parent a document states (-1: none placed): a parent is only
    inferred below it (a county plan citing its city plan is not also inferred to carry down the
    province's)."""
    ranks = [LEVEL_RANK[G._node[v]["level"]] for v in stated if G._node[v].get("level") in LEVEL_RANK]
    return max(ranks) if ranks else -1


def _region_path(G, doc_id: str) -> list[str]:
    for v, keyed in G._adj[doc_id].items():
        if "IN_REGION" in keyed:
            return G._node[v]["path"].split("/")
    return []


def _when(doc: dict, latest: bool) -> str | None:
    """A document's date; where it prints none, the year of its 文号 (a document is numbered in the
    year it is issued), read as late in that year for a child and as early for a parent, so an
    unknown month never makes a child look earlier than its parent."""
    if doc.get("date"):
        return doc["date"]
    year = doc_number_year(doc.get("doc_number"))
    return None if year is None else f"{year}-{'12' if latest else '01'}-01"


def _years_apart(child_date: str | None, parent_date: str | None) -> float | None:
    if not child_date or not parent_date:
        return None
    cy, cm = int(child_date[:4]), int(child_date[5:7] or 1)
    py, pm = int(parent_date[:4]), int(parent_date[5:7] or 1)
    return (cy - py) + (cm - pm) / 12


class NgramCounts:
    """Character 2- and 3-gram counts of one document's task texts, ready to be weighted against
    any other document's.

    Written with numpy because scikit-learn's char analyzer walks every character in Python: on a
    10,000-document corpus (30 million characters) that alone took minutes. The n-grams of a
    document's texts are hashed at once from their code points; the weighting and the similarity
    are those of a TfidfVectorizer(analyzer="char", ngram_range=(2, 3), sublinear_tf=True) fitted on
    the document pair, up to hash collisions in 2^24 buckets. Per document it keeps its entries
    sorted by n-gram with each n-gram's document frequency, so a pair costs a sorted lookup and
    the products of the n-grams both sides share (no per-pair sort, no sparse matrices)."""

    BUCKETS = 1 << 24
    __slots__ = ("df", "inv", "ltf", "n", "rows", "start", "vocab")

    def __init__(self, texts: list[str]):
        # as scikit-learn's char analyzer: lowercase, runs of white space made one space
        texts = [_WHITE.sub(" ", t.lower()) for t in texts]
        self.n = len(texts)
        lengths = np.fromiter((len(t) for t in texts), dtype=np.int64, count=len(texts))
        codes = np.frombuffer("".join(texts).encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        ends = np.cumsum(lengths)
        row_of = np.repeat(np.arange(len(texts)), lengths)
        rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        for n in (2, 3):
            if len(codes) < n:
                continue
            size = len(codes) - n + 1
            h = codes[:size].copy()
            for k in range(1, n):
                h = h * np.uint64(1_114_112) + codes[k: size + k]
            ok = np.arange(size) + n <= ends[row_of[:size]]      # n-grams inside one text
            rows.append(row_of[:size][ok])
            cols.append((_mix(h[ok] * np.uint64(4) + np.uint64(n)) % np.uint64(self.BUCKETS)).astype(np.int64))
        # one entry per (n-gram, text) with its count: sorted by n-gram, then text, so that the
        # vocabulary and each entry's place in it come from the same single sort
        texts_n = max(1, self.n)
        key = np.concatenate(cols) * texts_n + np.concatenate(rows)
        entries, counts = np.unique(key, return_counts=True)
        self.rows = entries % texts_n
        self.ltf = 1 + np.log(counts)                     # sublinear tf
        grams = entries // texts_n
        first = np.empty(len(grams), dtype=bool)
        first[:1] = True
        first[1:] = grams[1:] != grams[:-1]
        self.vocab = grams[first]
        self.inv = np.cumsum(first) - 1
        self.start = np.flatnonzero(first)              # where each n-gram's run of entries begins
        self.df = np.diff(np.append(self.start, len(grams)))   # texts holding each n-gram

    def _in(self, other: NgramCounts) -> tuple[np.ndarray, np.ndarray]:
        """For each of our n-grams: whether other has it, and where in other's vocabulary."""
        if not len(other.vocab):
            return np.zeros(len(self.vocab), dtype=bool), np.zeros(len(self.vocab), dtype=np.int64)
        at = np.minimum(np.searchsorted(other.vocab, self.vocab), len(other.vocab) - 1)
        return other.vocab[at] == self.vocab, at

    def _weights(self, other_df: np.ndarray, n: int) -> np.ndarray:
        """TfidfTransformer(sublinear_tf=True) weights within the pair (smooth idf, l2 rows)."""
        idf = np.log((1 + n) / (1 + self.df + other_df)) + 1
        weight = self.ltf * idf[self.inv]
        norm = np.sqrt(np.bincount(self.rows, weights=weight * weight, minlength=self.n))
        norm[norm == 0] = 1
        return weight / norm[self.rows]

    @staticmethod
    def pair_similarity(child: NgramCounts, parent: NgramCounts) -> np.ndarray:
        """Cosine similarity of the TF-IDF rows, weighted within the pair (rows: child texts,
        columns: parent texts). Only shared n-grams add to a dot product, so the product is taken
        over the shared vocabulary alone."""
        n = child.n + parent.n
        shared, at = child._in(parent)
        at_shared = at[shared]                     # where the shared n-grams sit in the parent's
        parent_df_of_child = np.zeros(len(child.vocab), dtype=np.int64)
        parent_df_of_child[shared] = parent.df[at_shared]
        child_df_of_parent = np.zeros(len(parent.vocab), dtype=np.int64)
        child_df_of_parent[at_shared] = child.df[shared]
        wc = child._weights(parent_df_of_child, n)
        wp = parent._weights(child_df_of_parent, n)
        # Entries are sorted by n-gram, so each shared n-gram's entries are one run on each side;
        # every (child entry, parent entry) pair of a run adds its product to its cell. This costs
        # what the shared n-grams hold, where a dense product would cost texts x vocabulary.
        c_first, c_count = child.start[shared], child.df[shared]
        p_first, p_count = parent.start[at_shared], parent.df[at_shared]
        per_gram = c_count * p_count
        total = int(per_gram.sum())
        gram = np.repeat(np.arange(len(per_gram)), per_gram)
        offset = np.arange(total) - np.repeat(np.cumsum(per_gram) - per_gram, per_gram)
        c_entry = c_first[gram] + offset // p_count[gram]
        p_entry = p_first[gram] + offset % p_count[gram]
        cell = child.rows[c_entry] * parent.n + parent.rows[p_entry]
        products = np.bincount(cell, weights=wc[c_entry] * wp[p_entry], minlength=child.n * parent.n)
        return products.reshape(child.n, parent.n).astype(float, copy=False)   # float when nothing is shared


_WHITE = re.compile(r"\s\s+")     # TfidfVectorizer's own preprocessing (lowercase, spaces collapsed)


def _mix(h: np.ndarray) -> np.ndarray:
    """splitmix64's finaliser: every bit of the n-gram's code reaches the bucket's bits."""
    with np.errstate(over="ignore"):
        h = h ^ (h >> np.uint64(30))
        h = h * np.uint64(0xBF58476D1CE4E5B9)
        h = h ^ (h >> np.uint64(27))
        h = h * np.uint64(0x94D049BB133111EB)
        return h ^ (h >> np.uint64(31))


class TargetFacts(NamedTuple):
    id: str
    measure: str | None
    unit: str | None
    value: float


class TaskFacts(NamedTuple):
    """What aligning reads of one task: small and picklable, so a linking worker is sent these
    instead of reading the graph."""
    id: str
    title: str | None
    text: str | None
    departments: tuple[str, ...]        # the responsible departments' names, collective ones left out
    targets: tuple[TargetFacts, ...]    # in the order they are printed (see _targets)


def task_facts(G: nx.MultiDiGraph, doc: str) -> list[TaskFacts]:
    """The document's tasks in their order, with what aligning reads of them."""
    return _facts(_task_rows(G, doc))


def _task_rows(G: nx.MultiDiGraph, doc: str) -> list[tuple]:
    """task_facts as plain tuples, which pickle faster than named ones (a worker is sent these)."""
    nodes, pred = G._node, G._pred
    rows = []
    for task in tasks_of(G, doc):
        node = nodes[task]
        departments = tuple(nodes[u]["name"] for u, keys in pred[task].items()
                            if "RESPONSIBLE_FOR" in keys and not nodes[u].get("collective"))
        targets = tuple((t, nodes[t].get("measure"), nodes[t].get("unit"), nodes[t]["value"]) for t in _targets(G, task))
        rows.append((task, node.get("title"), node.get("text"), departments, targets))
    return rows


def _facts(rows: list[tuple]) -> list[TaskFacts]:
    return [TaskFacts(task, title, text, departments, tuple(TargetFacts(*t) for t in targets))
            for task, title, text, departments, targets in rows]


class TaskAligner:
    """Scores every child task against every parent task of one document pair, on the tasks' facts
    read from G, or given by facts_of (a linking worker's, see _links_of_chunk)."""

    def __init__(self, G: nx.MultiDiGraph | None = None, settings: LinkSettings = DEFAULTS,
                 keep: Set[str] = frozenset(), facts_of: Callable[[str], list[TaskFacts]] | None = None):
        if facts_of is None:
            if G is None:
                raise TypeError("TaskAligner needs a graph or facts_of")
            graph = G
            facts_of = lambda doc: task_facts(graph, doc)   # noqa: E731
        self._facts_of = facts_of
        self.settings = settings
        self._scores: dict[tuple[str, str], np.ndarray] = {}
        self._tasks: dict[str, list[TaskFacts]] = {}
        self._numbers_of: dict[str, set[str]] = {}
        self._counts: dict[str, object] = {}
        # a document others carry down (keep: the parents stated) is compared many times: keep
        # its facts and counts; others are read when needed and dropped (see forget_scores), so
        # memory follows the parents
        self._keep = keep

    def counts(self, doc: str):
        if doc in self._counts:
            return self._counts[doc]
        matrix = NgramCounts([task_text(t.title, t.text) for t in self.tasks(doc)])
        if doc in self._keep:
            self._counts[doc] = matrix
        return matrix

    def tasks(self, doc: str) -> list[TaskFacts]:
        if doc not in self._tasks:
            self._tasks[doc] = self._facts_of(doc)
        return self._tasks[doc]

    def _numbers(self, task: TaskFacts) -> set[str]:
        if task.id not in self._numbers_of:
            self._numbers_of[task.id] = task_numbers(task.text)
        return self._numbers_of[task.id]

    def scores(self, child_doc: str, parent_doc: str) -> np.ndarray:
        """Cosine similarity of character 2–3-gram TF-IDF vectors of each task's title and text
        (rows: child tasks, columns: parent tasks), weighted within the pair. Chinese has no
        spaces, and character n-grams need no word segmenter."""
        key = (child_doc, parent_doc)
        if key not in self._scores:
            child_tasks, parent_tasks = self.tasks(child_doc), self.tasks(parent_doc)
            if not child_tasks or not parent_tasks:
                self._scores[key] = np.zeros((len(child_tasks), len(parent_tasks)))
            else:
                self._scores[key] = NgramCounts.pair_similarity(self.counts(child_doc), self.counts(parent_doc))
        return self._scores[key]

    def forget_scores(self) -> None:
        """Called before each child document: a pair's scores serve one child; the facts of
        documents not kept are dropped once many are held."""
        self._scores.clear()
        if len(self._tasks) > _FACTS_HELD:
            self._tasks = {d: facts for d, facts in self._tasks.items() if d in self._keep}
            self._numbers_of.clear()

    def share_with_counterpart(self, child_doc: str, parent_doc: str) -> float:
        s = self.scores(child_doc, parent_doc)
        if not s.size:
            return 0.0
        return float((s.max(axis=1) >= self.settings.task_shared).mean())

    def align(self, child_doc: str, parent_doc: str) -> list[tuple[TaskFacts, TaskFacts, float, dict]]:
        child_tasks = self.tasks(child_doc)
        if not child_tasks:
            return []
        parent_tasks = self.tasks(parent_doc)
        s = self.scores(child_doc, parent_doc)
        if not s.size:
            return []
        mean, sd = float(s.mean()), float(s.std())
        best_bar = mean + self.settings.task_best_sd * sd
        also_bar = mean + self.settings.task_also_sd * sd
        # each child task's best parent task if it clears best_bar, and any that clears also_bar
        chosen = s >= also_bar
        rows = np.arange(len(child_tasks))
        best = s.argmax(axis=1)
        chosen[rows, best] |= s[rows, best] >= best_bar
        mutual = s.argmax(axis=0)[best] == rows
        chosen[rows, best] |= mutual & (s[rows, best] >= self.settings.task_mutual_min)
        return [(child_tasks[i], parent_tasks[j], float(s[i, j]), self._evidence(child_tasks[i], parent_tasks[j]))
                for i, j in zip(*np.nonzero(chosen))]

    def _evidence(self, child: TaskFacts, parent: TaskFacts) -> dict:
        numbers = sorted(self._numbers(child) & self._numbers(parent))
        # compared without the level prefix: 省卫生健康委员会 and 市卫生健康委员会 do the same job
        departments = {department_core(d) for d in child.departments} & {department_core(d) for d in parent.departments}
        return {"titles": [child.title, parent.title], "shared_numbers": numbers[:10],
                "shared_departments": sorted(departments)}


_FACTS_HELD = 4096     # documents' task facts an aligner holds before it drops those not kept


# Below, the graph's own dicts (G._node, G._adj, G._pred) are read directly: linking walks
# hundreds of thousands of task pairs and networkx's view objects cost more than the work.

def _targets(G, task: str) -> list[str]:
    """A task's targets in the order they are printed: the n-th of a measure answers the parent's
    n-th (see _occurrences), so the order must not be the order the edges happened to be added
    in (that made a store's links depend on which files were ingested together)."""
    found = [v for v, keys in G._adj[task].items() if "HAS_TARGET" in keys]
    return sorted(found, key=lambda t: _printed_order(G._node[t])) if len(found) > 1 else found


def _printed_order(target: dict) -> tuple:
    start = target.get("span_start")
    number = target["id"].rpartition("#")[2]
    return (start if start is not None else -1, int(number) if number.isdigit() else 0, target["id"])


def _occurrences(targets: tuple[TargetFacts, ...]) -> dict[str, int]:
    """Position of each target among the task's targets of the same measure: 不低于25%、47%、50%
    is three targets, and the n-th of them answers the n-th of the parent's."""
    seen: dict[str, int] = defaultdict(int)
    out = {}
    for t in targets:
        measure = measure_core(t.measure)
        out[t.id] = seen[measure]
        seen[measure] += 1
    return out


def _derive_targets(child_task: TaskFacts, parent_task: TaskFacts, settings: LinkSettings) -> list[Edge]:
    """Child targets restating parent targets (same unit, similar measure), matched one to one."""
    child_targets, parent_targets = child_task.targets, parent_task.targets
    if not child_targets or not parent_targets:
        return []
    c_occ, p_occ = _occurrences(child_targets), _occurrences(parent_targets)
    candidates = []
    for ct in child_targets:
        for pt in parent_targets:
            if pt.unit != ct.unit:
                continue
            score = fuzz.ratio(measure_core(ct.measure), measure_core(pt.measure))
            if score >= settings.target_measure_min:
                candidates.append((score, -abs(c_occ[ct.id] - p_occ[pt.id]), ct, pt))
    used_child, used_parent = set(), set()
    out = []
    for score, _, ct, pt in sorted(candidates, key=lambda c: (-c[0], -c[1], c[2].id, c[3].id)):
        if ct.id in used_child or pt.id in used_parent:
            continue
        used_child.add(ct.id)
        used_parent.add(pt.id)
        unit = ct.unit or ""
        attrs = dict.fromkeys(RELS["DERIVED_FROM"]["props"])
        attrs.update(method="aligned", score=round(score / 100, 4),
                     evidence=json.dumps({"measures": [ct.measure, pt.measure]}, ensure_ascii=False),
                     change=f"{_fmt(pt.value)}{unit} → {_fmt(ct.value)}{unit}",
                     delta=round(ct.value - pt.value, 6))
        out.append((ct.id, pt.id, "DERIVED_FROM", attrs))
    return out


def _fmt(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
