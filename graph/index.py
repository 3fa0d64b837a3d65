"""Which document node each match key names (a 文号's key, a title's keys: build.mention_keys), and
which documents building changed other than by reading their own file (merged, renamed: what
link.affected_documents must relink).

The index belongs to one graph object: `document_index(G)` gives G's own, built from the nodes'
`match_keys` the first time it is asked for, so any MultiDiGraph of policykg nodes works (one
read from a store, one unpickled, one made by networkx's G.copy(), which would otherwise share the
original's index and its changes)."""
from __future__ import annotations

import weakref

import networkx as nx

_KEY = "policykg.document_index"


def split_keys(joined: str | None) -> list[str]:
    """The keys of a node's `match_keys` (or an edge's `keys`), stored joined by |."""
    return [k for k in (joined or "").split("|") if k]


class DocumentIndex:
    def __init__(self, G: nx.MultiDiGraph):
        self._graph = weakref.ref(G)
        self._node_of: dict[str, str] = {}
        self.touched: set[str] = set()
        for n, data in G._node.items():
            if data.get("label") == "Document":
                self.add(n, split_keys(data.get("match_keys")))

    def belongs_to(self, G: nx.MultiDiGraph) -> bool:
        return self._graph() is G

    def add(self, node: str, keys: list[str]) -> None:
        for k in keys:
            self._node_of[k] = node

    def get(self, key: str) -> str | None:
        return self._node_of.get(key)

    def forget(self, key: str, node: str) -> None:
        """Drop `key` if it still names `node`."""
        if self._node_of.get(key) == node:
            del self._node_of[key]

    def touch(self, *nodes: str) -> None:
        self.touched.update(nodes)

    def __getstate__(self):     # pickled with its graph: the reference is rebuilt on first use
        return {"_node_of": {}, "touched": set(), "_graph": None}

    def __setstate__(self, state):
        self._node_of, self.touched = state["_node_of"], state["touched"]
        self._graph = lambda: None


def document_index(G: nx.MultiDiGraph) -> DocumentIndex:
    """G's document index, built from its nodes if G has none of its own yet."""
    index = G.graph.get(_KEY)
    if index is None or not index.belongs_to(G):
        index = G.graph[_KEY] = DocumentIndex(G)
    return index


def reindex(G: nx.MultiDiGraph) -> DocumentIndex:
    """A fresh index of G's documents (after ids or keys changed wholesale); what was touched stays."""
    touched = document_index(G).touched
    index = G.graph[_KEY] = DocumentIndex(G)
    index.touched = touched
    return index
