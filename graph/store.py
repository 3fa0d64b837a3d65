"""The store contract (Store: every method a store offers) and what the stores share (GraphStore:
reading the graph back with the same Cypher, and closing).

A new store is one module: a GraphStore subclass with `run`, `close` and `write_changes`, and a
line in graph.open_store's table of URL schemes. `write_bulk`, `deferred_checkpoint` and `checkpoint`
are capabilities a store may add (supports_bulk says whether it has the first); sync.apply uses
them when present.
"""
from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import Protocol, runtime_checkable

import networkx as nx

from . import cypher as C
from .build import new_graph
from .schema import NODES


@runtime_checkable
class Store(Protocol):
    """What every policykg store offers (EmbeddedStore, Neo4jStore)."""

    supports_bulk: bool

    def run(self, query: str, params: dict | None = None, write: bool = False) -> tuple[list[str], list[list]]: ...
    def rows(self, query: str, params: dict | None = None) -> list[dict]: ...
    def close(self) -> None: ...
    def read_graph(self) -> nx.MultiDiGraph: ...
    def read_lineage(self, root: str, depth: int = 3) -> nx.MultiDiGraph: ...
    def read_around(self, docs: set[str]) -> nx.MultiDiGraph: ...
    def write_changes(self, changes) -> None: ...
    def write_bulk(self, changes) -> None: ...
    def deferred_checkpoint(self) -> AbstractContextManager: ...
    def checkpoint(self) -> None: ...


class GraphStore:
    supports_bulk = False      # write_bulk: many files' changes in one transaction (sync.apply)
    bulk_min_rows = 0          # …for at least this many rows (fewer: file by file with write_changes)
    checkpoint_rows = 0        # checkpoint() after this many rows inside deferred_checkpoint (0: never)

    def run(self, query: str, params: dict | None = None, write: bool = False) -> tuple[list[str], list[list]]:
        """(columns, rows) of one Cypher statement; read-only unless write."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def write_changes(self, changes) -> None:
        """One file's changes (a sync.ChangeSet) in one transaction."""
        raise NotImplementedError

    def write_bulk(self, changes) -> None:
        """Many files' changes in one transaction; only where supports_bulk."""
        raise NotImplementedError(f"{type(self).__name__} has no bulk write path")

    def deferred_checkpoint(self) -> AbstractContextManager:
        """A block inside which the store may put off making writes durable until its end."""
        return nullcontext()

    def checkpoint(self) -> None:
        """Inside deferred_checkpoint: make the writes so far durable now rather than at its end
        (a store that never defers has nothing to do)."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def rows(self, query: str, params: dict | None = None) -> list[dict]:
        columns, rows = self.run(query, params)
        return [dict(zip(columns, r)) for r in rows]

    def read_graph(self) -> nx.MultiDiGraph:
        """The whole policykg graph in the store, in its networkx form."""
        G = new_graph()
        for label in NODES:
            for row in self.rows(C.read_nodes(label)):
                G.add_node(row["id"], label=label, **row)
        for rel, src, dst in C.all_pairs():
            for row in self.rows(C.read_edges(rel, src, dst)):
                u, v = row.pop("src"), row.pop("dst")
                G.add_edge(u, v, key=rel, **row)
        return G

    def _ids(self, query: str, ids) -> set[str]:
        return {r["id"] for r in self.rows(query, {"ids": sorted(ids)})} if ids else set()

    def read_lineage(self, root: str, depth: int = 3) -> nx.MultiDiGraph:
        """The part of the graph around one document, in its networkx form, read with a few queries
        instead of the whole store: the documents up to `depth` IMPLEMENTS links above and below it,
        their tasks, the tasks' targets and departments, and every edge among those nodes (so the
        views draw it as they draw the whole graph)."""
        docs = {root}
        for query in (C.LINKED_DOWN, C.LINKED_UP):
            frontier = {root}
            for _ in range(depth):
                frontier = self._ids(query, frontier) - docs
                docs |= frontier
        return self.read_around(docs)

    def read_around(self, docs: set[str]) -> nx.MultiDiGraph:
        """Documents `docs` with their tasks, targets and departments and the edges among them."""
        G = new_graph()
        params = {"ids": sorted(docs)}
        for label in C.AROUND_NODES:
            for row in self.rows(C.read_nodes_around(label), params):
                G.add_node(row["id"], label=label, **row)
        for key in C.AROUND_EDGES:
            for row in self.rows(C.read_edges_around(*key), params):
                u, v = row.pop("src"), row.pop("dst")
                if u in G and v in G:        # a task link to a document outside the neighbourhood is not drawn
                    G.add_edge(u, v, key=key[0], **row)
        return G
