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


_NODE_PROPS = {label: list(props) for label, props in NODES.items()}
_EDGE_PROPS = {rel: list(spec["props"]) for rel, spec in RELS.items()}


def node_row(G: nx.MultiDiGraph, n: str) -> dict:
    data = G._node[n]
    get = data.get
    return {p: get(p) for p in _NODE_PROPS[data["label"]]}


def edge_row(G: nx.MultiDiGraph, u: str, v: str, rel: str) -> dict:
    data = G._adj[u][v][rel]
    get = data.get
    row = {"src": u, "dst": v}
    for p in _EDGE_PROPS[rel]:
        row[p] = get(p)
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
        if n not in old:
            owner = _node_owner(new, n)
            if owner:       # shared nodes are created on demand by the first change set needing them
                cs(owner).create_nodes[new.nodes[n]["label"]].append(node_row(new, n))
            continue
        row = node_row(new, n)
        if row != node_row(old, n):
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
        if (u not in old or v not in old or not old.has_edge(u, v, rel)
                or edge_row(new, u, v, rel) != edge_row(old, u, v, rel)):
            cs(_edge_owner(new, u, v, rel)).create_edges[_pair(new, u, v, rel)].append(edge_row(new, u, v, rel))
    files = sorted(o for o in sets if o not in (SHARED, LINKS))
    ordered = [sets[o] for o in files]
    ordered += [sets[o] for o in (SHARED, LINKS) if o in sets]
    return ordered


def _complete(changes: ChangeSet, new: nx.MultiDiGraph, present: set) -> set:
    """Add the shared nodes this change set's edges need and no earlier one has created; leave out
    an edge to a node another file owns that is not there (that file failed). Returns the ids the
    change set creates."""
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
    return own


def _merge(sets: list[ChangeSet]) -> ChangeSet:
    merged = ChangeSet(f"{len(sets)} files")
    for cs in sets:
        for attr in ("create_nodes", "create_edges"):
            target = getattr(merged, attr)
            for key, rows in getattr(cs, attr).items():
                target[key].extend(rows)
    return merged


def _creates_only(cs: ChangeSet) -> bool:
    return not any(rows for d in (cs.delete_edges, cs.delete_nodes, cs.update_nodes) for rows in d.values())


def _rows(cs: ChangeSet) -> int:
    return sum(cs.counts().values())


def apply(store, old: nx.MultiDiGraph, new: nx.MultiDiGraph,
          progress: Callable[[str], None] | None = None, bulk_rows: int = 250_000) -> SyncReport:
    """Write the difference between old (what the store holds) and new, file by file.

    A store that can bulk-load (``write_bulk``) gets runs of files that only add things in one
    transaction of up to ``bulk_rows`` rows; if such a run fails it is rolled back and its files
    are written one transaction each, so the failing file is found and the others land."""
    report = SyncReport()
    present = set(old.nodes)

    def commit(changes: ChangeSet, own: set, owners: list[str]) -> None:
        nonlocal present
        report.committed.extend(owners)
        present |= own
        present -= {n for ids in changes.delete_nodes.values() for n in ids}
        for k, v in changes.counts().items():
            report.counts[k] += v

    def one(changes: ChangeSet) -> None:
        own = _complete(changes, new, present)
        if changes.is_empty():
            return
        try:
            store.write_changes(changes)
        except Exception as error:  # the store rolled the change set back; report it and go on
            report.failed.append((changes.owner, str(error).splitlines()[0] if str(error) else type(error).__name__))
        else:
            commit(changes, own, [changes.owner])
        if progress:
            progress(changes.owner)

    bulk = getattr(store, "write_bulk", None)
    run: list[ChangeSet] = []

    def flush() -> None:
        if not run:
            return
        batch = list(run)
        run.clear()
        merged = _merge(batch)
        before = set(present)
        own = _complete(merged, new, present)
        try:
            bulk(merged)
        except Exception:
            present.clear()
            present.update(before)
            for cs in batch:      # find the failing file; the others land
                one(cs)
        else:
            commit(merged, own, [cs.owner for cs in batch])
            if progress:
                for cs in batch:
                    progress(cs.owner)

    size = 0
    for changes in plan(old, new):
        if bulk and changes.owner != LINKS and _creates_only(changes):
            run.append(changes)
            size += _rows(changes)
            if size >= bulk_rows:
                flush()
                size = 0
            continue
        flush()
        size = 0
        if bulk and changes.owner == LINKS and _creates_only(changes):
            run.append(changes)
            flush()
            continue
        one(changes)
    flush()
    return report
