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

import threading
from collections import defaultdict, deque
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
_NONE: dict = {}


# The graphs' own dicts (networkx's G._node and G._adj) are read directly below: at a million
# edges the view objects of the public accessors cost more than the comparison itself.

def node_row(data: dict) -> dict:
    get = data.get
    return {p: get(p) for p in _NODE_PROPS[data["label"]]}


def edge_row(u: str, v: str, rel: str, data: dict) -> dict:
    get = data.get
    row: dict[str, object] = {"src": u, "dst": v}
    for p in _EDGE_PROPS[rel]:
        row[p] = get(p)
    return row


def _owner_of(data: dict) -> str | None:
    return data.get("source") if data["label"] in _OWNED_LABELS else None


def _edge_owner(G, u, v, rel) -> str:
    """The derived links, else the file the edge came from, else the file of either end."""
    if rel in DERIVED_RELS:
        return LINKS
    return G._adj[u][v][rel].get("source") or _owner_of(G._node[u]) or _owner_of(G._node[v]) or SHARED


def plan(old: nx.MultiDiGraph, new: nx.MultiDiGraph, derived: bool | None = None) -> list[ChangeSet]:
    """Change sets in the order they should be applied (files sorted, then shared, then links).
    derived=False plans the facts only (nodes and every edge but the derived links), True the
    derived links only, None both."""
    sets: dict[str, ChangeSet] = {}
    nodes_too = derived is not True

    def wanted(rel: str) -> bool:
        return derived is None or (rel in DERIVED_RELS) == derived

    def cs(owner: str) -> ChangeSet:
        if owner not in sets:
            sets[owner] = ChangeSet(owner)
        return sets[owner]

    old_nodes, new_nodes = old._node, new._node
    for n, data in new_nodes.items() if nodes_too else ():
        was = old_nodes.get(n)
        if was is None:
            owner = _owner_of(data)
            if owner:       # shared nodes are created on demand by the first change set needing them
                cs(owner).create_nodes[data["label"]].append(node_row(data))
            continue
        row = node_row(data)
        if row != node_row(was):
            cs(_owner_of(data) or _owner_of(was) or SHARED).update_nodes[data["label"]].append(row)
    for n, data in old_nodes.items() if nodes_too else ():
        if n not in new_nodes:
            cs(_owner_of(data) or SHARED).delete_nodes[data["label"]].append(n)
    old_adj, new_adj = old._adj, new._adj
    for u, neighbours in old_adj.items():
        now_neighbours = new_adj.get(u, _NONE)
        for v, keyed in neighbours.items():
            now_keyed = now_neighbours.get(v, _NONE)
            for rel, data in keyed.items():
                if not wanted(rel):
                    continue
                now = now_keyed.get(rel)
                gone = now is None
                changed = not gone and edge_row(u, v, rel, now) != edge_row(u, v, rel, data)
                if (gone or changed) and u in new_nodes and v in new_nodes:   # edges of deleted nodes go with them
                    owner = _edge_owner(new if changed else old, u, v, rel)
                    pair = (rel, old_nodes[u]["label"], old_nodes[v]["label"])
                    cs(owner).delete_edges[pair].append({"src": u, "dst": v})
    for u, neighbours in new_adj.items():
        was_neighbours = old_adj.get(u, _NONE)
        u_data = new_nodes[u]
        for v, keyed in neighbours.items():
            was_keyed = was_neighbours.get(v, _NONE)
            for rel, data in keyed.items():
                if not wanted(rel):
                    continue
                row = edge_row(u, v, rel, data)
                was = was_keyed.get(rel)
                if was is not None and row == edge_row(u, v, rel, was):
                    continue
                cs(_edge_owner(new, u, v, rel)).create_edges[(rel, u_data["label"], new_nodes[v]["label"])].append(row)
    files = sorted(o for o in sets if o not in (SHARED, LINKS))
    ordered = [sets[o] for o in files]
    ordered += [sets[o] for o in (SHARED, LINKS) if o in sets]
    return ordered


def _complete(changes: ChangeSet, new: nx.MultiDiGraph, present: set, waiting: list | None = None) -> set:
    """Add the shared nodes this change set's edges need and no earlier one has created; an edge to
    a node another file owns that is not there yet waits in `waiting` (that file may come later in
    the run: the writer adds such edges once every file has landed, and leaves out only those whose
    file failed). Returns the ids the change set creates."""
    own = {row["id"] for rows in changes.create_nodes.values() for row in rows}
    nodes = new._node
    for pair, rows in changes.create_edges.items():
        kept = []
        for row in rows:
            src, dst = row["src"], row["dst"]
            if (src in own or src in present) and (dst in own or dst in present):
                kept.append(row)       # the common case: both ends are there already
                continue
            missing = [n for n in (src, dst) if n not in present and n not in own]
            if any(_owner_of(nodes[n]) for n in missing):
                if waiting is not None:
                    waiting.append((pair, row))
                continue
            for n in missing:
                changes.create_nodes[nodes[n]["label"]].append(node_row(nodes[n]))
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
          progress: Callable[[str], None] | None = None, bulk_rows: int = 250_000,
          meanwhile: Callable[[], None] | None = None) -> SyncReport:
    """Write the difference between old (what the store holds) and new, file by file.

    A store that can bulk-load (``write_bulk``) gets runs of files that only add things in one
    transaction of up to ``bulk_rows`` rows; if such a run fails it is rolled back and its files
    are written one transaction each, so the failing file is found and the others land.

    ``meanwhile``: work that changes nothing in ``new`` but its derived links (linking), run in
    this thread while another writes the facts; the links are written when both are done. Both
    stores' drivers release the GIL while the database works, so writing and linking overlap."""
    with store.deferred_checkpoint():
        return _apply(store, old, new, progress, bulk_rows, meanwhile)


def _apply(store, old, new, progress, bulk_rows, meanwhile) -> SyncReport:
    writer = _Writer(store, old, new, progress, bulk_rows)
    if meanwhile is None:
        writer.write(plan(old, new))
        return writer.report
    facts = plan(old, new, derived=False)
    failure: list[BaseException] = []

    def write_facts() -> None:
        try:
            writer.write(facts)
            # checkpointed while the links are still being found: the store lets go of what it
            # held for the facts before the links are written (30k documents: see
            # benchmarks/memory.md), and the last checkpoint has the links only
            writer.checkpoint()
        except BaseException as error:   # raised in the caller's thread below
            failure.append(error)

    thread = threading.Thread(target=write_facts, name="policykg-write-facts")
    thread.start()
    try:
        meanwhile()
    finally:
        thread.join()
    if failure:
        raise failure[0]
    writer.write(plan(old, new, derived=True))
    return writer.report


class _Writer:
    """Writes change sets in order, keeping track of which nodes the store now holds."""

    def __init__(self, store, old: nx.MultiDiGraph, new: nx.MultiDiGraph,
                 progress: Callable[[str], None] | None, bulk_rows: int):
        self.store, self.new, self.progress, self.bulk_rows = store, new, progress, bulk_rows
        self.report = SyncReport()
        self.present = set(old.nodes)
        self.bulk = store.write_bulk if store.supports_bulk else None
        self.waiting: list = []     # edges to nodes of files not yet written
        self.unflushed = 0          # rows committed since the store's last checkpoint

    def _commit(self, changes: ChangeSet, own: set, owners: list[str]) -> None:
        self.report.committed.extend(owners)
        self.present |= own
        self.present -= {n for ids in changes.delete_nodes.values() for n in ids}
        for k, v in changes.counts().items():
            self.report.counts[k] += v
            self.unflushed += v
        if self.store.checkpoint_rows and self.unflushed >= self.store.checkpoint_rows:
            self.checkpoint()

    def checkpoint(self) -> None:
        if self.unflushed:
            self.store.checkpoint()
            self.unflushed = 0

    def _one(self, changes: ChangeSet) -> None:
        own = _complete(changes, self.new, self.present, self.waiting)
        if changes.is_empty():
            return
        try:
            self.store.write_changes(changes)
        except Exception as error:  # the store rolled the change set back; report it and go on
            self.report.failed.append((changes.owner, str(error).splitlines()[0] if str(error) else type(error).__name__))
        else:
            self._commit(changes, own, [changes.owner])
        if self.progress:
            self.progress(changes.owner)

    def _flush(self, run: list[ChangeSet]) -> None:
        if not run:
            return
        if sum(_rows(cs) for cs in run) < self.store.bulk_min_rows:
            for cs in run:
                self._one(cs)
            return
        merged = _merge(run)
        own = _complete(merged, self.new, self.present, self.waiting)    # present changes only on a commit
        assert self.bulk is not None    # runs are gathered for a store that bulk-loads only
        try:
            self.bulk(merged)
        except Exception:
            for cs in run:      # find the failing file; the others land
                self._one(cs)
        else:
            self._commit(merged, own, [cs.owner for cs in run])
            if self.progress:
                for cs in run:
                    self.progress(cs.owner)

    def write(self, change_sets: list[ChangeSet]) -> None:
        """Writes the change sets and empties the list: a change set's rows are let go once
        written (the facts' rows of a 30k-document ingest are more than a GB, and the links' rows
        are planned after them)."""
        run: list[ChangeSet] = []
        size = 0
        pending = deque(change_sets)
        change_sets.clear()
        while pending:
            changes = pending.popleft()
            if self.bulk and changes.owner != LINKS and _creates_only(changes):
                run.append(changes)
                size += _rows(changes)
                if size >= self.bulk_rows:
                    self._flush(run)
                    run, size = [], 0
                continue
            self._flush(run)
            run, size = [], 0
            if self.bulk and changes.owner == LINKS and _creates_only(changes):
                self._flush([changes])
                continue
            self._one(changes)
        self._flush(run)
        self._write_waiting()

    def _write_waiting(self) -> None:
        """The edges that waited for another file's nodes, now that every file has landed; those
        whose other end never came (its file failed) are left out."""
        waiting, self.waiting = self.waiting, []
        ready = ChangeSet("edges between files")
        for pair, row in waiting:
            if row["src"] in self.present and row["dst"] in self.present:
                ready.create_edges[pair].append(row)
        if not ready.is_empty():
            self._one(ready)
