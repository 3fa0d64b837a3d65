"""The lineage graph: build it from extraction records (build), link the lineage (link), keep it in
a store (EmbeddedStore: LadybugDB on disk; Neo4jStore: a Neo4j 5 server), walk it (lineage)."""
from ..errors import StoreError
from .build import build
from .embedded import EmbeddedStore, default_db_path
from .link import link
from .neo4j_store import Neo4jStore

__all__ = ["EmbeddedStore", "Neo4jStore", "StoreError", "build", "default_db_path", "link"]
