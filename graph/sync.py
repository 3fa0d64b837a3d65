"""Bring a store from the graph it holds to the graph it should hold, one transaction per file.

The difference between the two graphs is split by the file each fact came from: one change set per
ingested file (its documents, tasks, targets and their edges), then one for shared things nothing
owns (pruned departments and placeholders), then one for the derived links. A change set that
fails is rolled back by the store and reported; the others still land. A shared node (a department,
a region, a cited placeholder) is created by the first change set that needs it, so a failed file
never leaves a later one pointing at nothing. Nothing is written when the graphs are equal, so
re-ingesting a file changes nothing.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

import networkx as nx

from .schema import DERIVED_RELS, NODES, RELS

SHARED = "(shared)"
LINKS = "(links)"
_OWNED_LABELS = ("Document", "Task", "Target")


@dataclass
class ChangeSet:
    owner: str
    delete_edges: dict[tuple[str, str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))
    delete_nodes: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    create_nodes: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    update_nodes: dict[str, list[dict]] = field(default_factory=lambda: defaultdict(list))
    create_edges: dict[tuple[str, str, str], list[dict]] = field(default_factory=lambda: defaultdict(list))

    def is_empty(self) -> bool:
        return not any(rows for d in (self.delete_edges, self.delete_nodes, self.create_nodes,
                                      self.update_nodes, self.create_edges) for rows in d.values())

    def counts(self) -> dict[str, int]:
        def n(d):
            return sum(len(v) for v in d.values())
        return {"nodes_created": n(self.create_nodes), "nodes_updated": n(self.update_nodes),
                "nodes_deleted": n(self.delete_nodes), "edges_created": n(self.create_edges),
                "edges_deleted": n(self.delete_edges)}


@dataclass
class SyncReport:
    committed: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)   # (owner, reason)
    counts: dict[str, int] = field(default_factory=lambda: defaultdict(int))


def node_row(G: nx.MultiDiGraph, n: str) -> dict:
    data = G.nodes[n]
    return {p: data.get(p) for p in NODES[data["label"]]}


def edge_row(G: nx.MultiDiGraph, u: str, v: str, rel: str) -> dict:
    data = G.edges[u, v, rel]
    row = {"src": u, "dst": v}
    row.update({p: data.get(p) for p in RELS[rel]["props"]})
    return row


def _node_owner(G, n) -> str | None:
    data = G.nodes[n]
    return data.get("source") if data["label"] in _OWNED_LABELS else None


def _edge_owner(G, u, v, rel) -> str:
    if rel in DERIVED_RELS:
        return LINKS
    source = G.edges[u, v, rel].get("source")
    return source or _node_owner(G, u) or _node_owner(G, v) or SHARED


def _pair(G, u, v, rel) -> tuple[str, str, str]:
    return rel, G.nodes[u]["label"], G.nodes[v]["label"]


def plan(old: nx.MultiDiGraph, new: nx.MultiDiGraph) -> list[ChangeSet]:
    """Change sets in the order they should be applied (files sorted, then shared, then links)."""
    sets: dict[str, ChangeSet] = {}

    def cs(owner: str) -> ChangeSet:
        if owner not in sets:
            sets[owner] = ChangeSet(owner)
        return sets[owner]

    for n in new.nodes:
        row = node_row(new, n)
        if n not in old:
            owner = _node_owner(new, n)
            if owner:       # shared nodes are created on demand by the first change set needing them
                cs(owner).create_nodes[new.nodes[n]["label"]].append(row)
        elif row != node_row(old, n):
            cs(_node_owner(new, n) or _node_owner(old, n) or SHARED).update_nodes[new.nodes[n]["label"]].append(row)
    for n in old.nodes:
        if n not in new:
            cs(_node_owner(old, n) or SHARED).delete_nodes[old.nodes[n]["label"]].append(n)
    for u, v, rel in old.edges(keys=True):
        gone = not new.has_edge(u, v, rel)
        changed = not gone and edge_row(new, u, v, rel) != edge_row(old, u, v, rel)
        if (gone or changed) and u in new and v in new:   # edges of deleted nodes go with them
            owner = _edge_owner(new if changed else old, u, v, rel)
            cs(owner).delete_edges[_pair(old, u, v, rel)].append({"src": u, "dst": v})
    for u, v, rel in new.edges(keys=True):
        if not old.has_edge(u, v, rel) or edge_row(new, u, v, rel) != edge_row(old, u, v, rel):
            cs(_edge_owner(new, u, v, rel)).create_edges[_pair(new, u, v, rel)].append(edge_row(new, u, v, rel))
    files = sorted(o for o in sets if o not in (SHARED, LINKS))
    ordered = [sets[o] for o in files]
    ordered += [sets[o] for o in (SHARED, LINKS) if o in sets]
    return ordered


def apply(store, old: nx.MultiDiGraph, new: nx.MultiDiGraph,
          progress: Callable[[str], None] | None = None) -> SyncReport:
    """Write the difference between old (what the store holds) and new, file by file."""
    report = SyncReport()
    present = set(old.nodes)
    for changes in plan(old, new):
        # Create the shared nodes this change set's edges need and no earlier one has created. An
        # edge to a node another file owns that is not there (that file failed) is left out.
        own = {row["id"] for rows in changes.create_nodes.values() for row in rows}
        for pair, rows in changes.create_edges.items():
            kept = []
            for row in rows:
                missing = [n for n in (row["src"], row["dst"]) if n not in present and n not in own]
                if any(_node_owner(new, n) for n in missing):
                    continue
                for n in missing:
                    changes.create_nodes[new.nodes[n]["label"]].append(node_row(new, n))
                    own.add(n)
                kept.append(row)
            rows[:] = kept
        if changes.is_empty():
            continue
        try:
            store.write_changes(changes)
        except Exception as error:  # the store rolled the change set back; report it and go on
            report.failed.append((changes.owner, str(error).splitlines()[0] if str(error) else type(error).__name__))
        else:
            report.committed.append(changes.owner)
            present |= own
            present -= {n for ids in changes.delete_nodes.values() for n in ids}
            for k, v in changes.counts().items():
                report.counts[k] += v
        if progress:
            progress(changes.owner)
    return report
