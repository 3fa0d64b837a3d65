"""The health of a stored graph: a fingerprint to compare two graphs by, and the invariants every
graph built by policykg holds (what `policykg check` looks for)."""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass

import networkx as nx

from .schema import DERIVED_RELS


def fingerprint(G: nx.MultiDiGraph) -> str:
    """One hash of every node and edge with all their properties, independent of the order they
    were added in: two graphs with the same fingerprint hold the same facts and links."""
    lines = [json.dumps(["N", n, sorted(d.items())], ensure_ascii=False, default=str)
             for n, d in G.nodes(data=True)]
    lines += [json.dumps(["E", u, v, k, sorted(d.items())], ensure_ascii=False, default=str)
              for u, v, k, d in G.edges(keys=True, data=True)]
    digest = hashlib.sha256()
    for line in sorted(lines):
        digest.update(line.encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()


@dataclass(frozen=True)
class Problem:
    kind: str       # "facts": only a rebuild from the files mends it; "links": relinking does
    text: str


def fact_problems(G: nx.MultiDiGraph) -> list[Problem]:
    """What no graph built from documents can hold: a task that is not part of exactly one
    document, a target not of exactly one task, a department or document in two regions, a region
    inside two, an edge to a node that is not there."""
    found: list[Problem] = []
    part_of: Counter[str] = Counter()
    has_target: Counter[str] = Counter()
    in_region: Counter[str] = Counter()
    within: Counter[str] = Counter()
    for u, v, rel in G.edges(keys=True):
        if rel == "PART_OF":
            part_of[u] += 1
            if G.nodes[u].get("document") != v:
                found.append(Problem("facts", f"task {u} is part of {v} but says {G.nodes[u].get('document')}"))
        elif rel == "HAS_TARGET":
            has_target[v] += 1
            if G.nodes[v].get("task") != u:
                found.append(Problem("facts", f"target {v} hangs from {u} but says {G.nodes[v].get('task')}"))
        elif rel == "IN_REGION":
            in_region[u] += 1
        elif rel == "WITHIN":
            within[u] += 1
    for n, d in G.nodes(data=True):
        label = d.get("label")
        if label is None:
            found.append(Problem("facts", f"an edge points at {n}, which is not in the store"))
        elif label == "Task" and part_of[n] != 1:
            found.append(Problem("facts", f"task {n} is part of {part_of[n]} documents"))
        elif label == "Target" and has_target[n] != 1:
            found.append(Problem("facts", f"target {n} belongs to {has_target[n]} tasks"))
        elif label in ("Department", "Document") and in_region[n] > 1:
            found.append(Problem("facts", f"{label.lower()} {n} lies in {in_region[n]} regions"))
        elif label == "Region" and within[n] > 1:
            found.append(Problem("facts", f"region {n} lies inside {within[n]} regions"))
    return found


def derived_links(G: nx.MultiDiGraph) -> set:
    return {(u, v, k, tuple(sorted(d.items()))) for u, v, k, d in G.edges(keys=True, data=True)
            if k in DERIVED_RELS}


def relinked(G: nx.MultiDiGraph, workers: int | None = 1) -> nx.MultiDiGraph:
    """A copy of G whose derived links are computed afresh from its facts."""
    from .build import copy_graph
    from .link import link
    fresh = copy_graph(G)
    link(fresh, workers=workers)
    return fresh


def link_problems(G: nx.MultiDiGraph, fresh: nx.MultiDiGraph) -> list[Problem]:
    """Derived links the facts do not call for, and those they call for that are missing."""
    have, want = derived_links(G), derived_links(fresh)
    problems = []
    if have - want:
        problems.append(Problem("links", f"{len(have - want)} derived link(s) the facts do not give"))
    if want - have:
        problems.append(Problem("links", f"{len(want - have)} derived link(s) the facts give are missing"))
    return problems


def sources(G: nx.MultiDiGraph) -> list[str]:
    """The files the stored documents were read from."""
    return sorted({d["source"] for _, d in G.nodes(data=True)
                   if d.get("label") == "Document" and not d.get("placeholder") and d.get("source")})
