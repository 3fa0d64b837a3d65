"""What both stores share: reading the whole graph back with the same Cypher, and closing."""
from __future__ import annotations

import networkx as nx

from . import cypher as C
from .build import new_graph, rebuild_index
from .schema import NODES


class GraphStore:
    def run(self, query: str, params: dict | None = None, write: bool = False) -> tuple[list[str], list[list]]:
        """(columns, rows) of one Cypher statement; read-only unless write."""
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

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
        rebuild_index(G)
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
        rebuild_index(G)
        return G
