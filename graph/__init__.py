"""The lineage graph: build it from extraction records (graph.build), link the lineage (graph.link), keep it in
a store (EmbeddedStore: LadybugDB on disk; Neo4jStore: a Neo4j 5 server), walk it (lineage).

open_store(url) opens either: a path is the embedded store, a bolt:// or neo4j:// URL (and their
+s / +ssc forms) is a Neo4j server. A new kind of store is one module and one row of STORES."""
from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import AbstractContextManager

from ..errors import StoreError
from .embedded import EmbeddedStore, default_db_path
from .neo4j_store import Neo4jStore
from .store import GraphStore, Store

# URL scheme -> the store class that opens it; anything without a scheme is an embedded store's path
STORES: dict[str, Callable[[str], GraphStore]] = {scheme: Neo4jStore for scheme in
                                       ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")}


def open_store(url: str | os.PathLike | None = None, read_only: bool = False) -> AbstractContextManager[Store]:
    """The store at `url`: a Neo4j server for a bolt:// or neo4j:// URL, else the embedded store at
    that path (default ./policykg.lbug or $POLICYKG_DB), to be used in a `with` block. An embedded store opened to write is a
    staged copy that replaces the store when its `with` block ends without an error."""
    from .embedded import staged
    text = os.fspath(url) if url is not None else None
    if text is not None and "://" in text:
        scheme = text.split("://", 1)[0].lower()
        if scheme not in STORES:
            raise StoreError(f"{text}: no store for {scheme}:// (known: {', '.join(sorted(STORES))}, or a file path)")
        return STORES[scheme](text)
    return EmbeddedStore(text, read_only=True) if read_only else staged(text)


__all__ = ["EmbeddedStore", "GraphStore", "Neo4jStore", "STORES", "Store", "StoreError", "default_db_path",
           "open_store"]
