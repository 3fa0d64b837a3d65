"""What both stores share: reading the whole graph back with the same Cypher, and closing."""
from __future__ import annotations

import networkx as nx

from . import cypher as C
from .build import new_graph, rebuild_index
from .schema import NODES


class StoreError(Exception):
    """A store could not be opened or used; the message names the store and the reason."""


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
