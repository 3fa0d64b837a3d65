"""The server store: Neo4j 5 through the official `neo4j` driver (py2neo is end-of-life).

Writes are batched ``UNWIND $rows … MERGE`` statements on uniqueness constraints, each change set
(one ingested file) in one transaction. Credentials come from the environment (NEO4J_USER and
NEO4J_PASSWORD, or NEO4J_AUTH=user/password as the Docker image takes them) and never appear in a
message.
"""
from __future__ import annotations

import os
import re
from urllib.parse import unquote

from ..errors import StoreError
from . import cypher as C
from .schema import NODES
from .store import GraphStore
from .sync import ChangeSet


def redact(uri: str) -> str:
    """bolt://neo4j:secret@host:7687 -> bolt://host:7687"""
    return re.sub(r"//[^/@]*@", "//", uri)


def split_userinfo(uri: str) -> tuple[str, tuple[str, str] | None]:
    """The driver refuses user:password in a bolt URI; take them out and use them as auth."""
    m = re.match(r"^([a-z+]+://)([^/@:]*):([^/@]*)@(.*)$", uri)
    if not m:
        return redact(uri), None
    return m.group(1) + m.group(4), (unquote(m.group(2)), unquote(m.group(3)))


def auth_from_env() -> tuple[str, str] | None:
    if os.environ.get("NEO4J_AUTH"):
        value = os.environ["NEO4J_AUTH"]
        if value.lower() == "none":
            return None
        user, _, password = value.partition("/")
        return user, password
    if os.environ.get("NEO4J_PASSWORD"):
        return os.environ.get("NEO4J_USER", "neo4j"), os.environ["NEO4J_PASSWORD"]
    return None


class Neo4jStore(GraphStore):
    def __init__(self, uri: str, database: str | None = None, auth: tuple[str, str] | None = None):
        import neo4j
        self.uri, in_uri = split_userinfo(uri)
        auth = auth or in_uri or auth_from_env()
        self.database = database or os.environ.get("NEO4J_DATABASE") or None
        try:
            self._driver = neo4j.GraphDatabase.driver(self.uri, auth=auth)
            self._driver.verify_connectivity()
            for statement in C.neo4j_constraints():
                self._driver.execute_query(statement, database_=self.database)
        except Exception as error:
            message = _one_line(error).replace(uri, self.uri)
            if auth and auth[1]:
                message = message.replace(auth[1], "***")
            raise StoreError(f"{self.uri}: {message}") from None

    def __repr__(self) -> str:
        return f"Neo4jStore({self.uri!r})"

    def close(self) -> None:
        self._driver.close()

    def run(self, query: str, params: dict | None = None, write: bool = False) -> tuple[list[str], list[list]]:
        import neo4j
        routing = neo4j.RoutingControl.WRITE if write else neo4j.RoutingControl.READ
        records, _, keys = self._driver.execute_query(query, params or {}, database_=self.database,
                                                      routing_=routing)
        return list(keys), [list(r.values()) for r in records]


    def write_changes(self, changes: ChangeSet) -> None:
        def work(tx):
            for (rel, src, dst), rows in changes.delete_edges.items():
                for batch in C.batches(rows):
                    tx.run(C.delete_edges(rel, src, dst), rows=batch).consume()
            for label, ids in changes.delete_nodes.items():
                for batch in C.batches(ids):
                    tx.run(C.delete_nodes(label), ids=batch).consume()
            for label, rows in list(changes.create_nodes.items()) + list(changes.update_nodes.items()):
                for batch in C.batches(rows):
                    tx.run(C.neo4j_merge_nodes(label), rows=batch).consume()
            for (rel, src, dst), rows in changes.create_edges.items():
                for batch in C.batches(rows):
                    tx.run(C.neo4j_merge_edges(rel, src, dst), rows=batch).consume()

        with self._driver.session(database=self.database) as session:
            session.execute_write(work)

    def clear(self) -> None:
        """Delete every policykg node (used by the integration test on a scratch database)."""
        for label in NODES:
            self._driver.execute_query(C.clear_label(label), database_=self.database)


def _one_line(error: Exception) -> str:
    """The driver's message on one line (its connection errors put the reason on the second)."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    return " ".join(lines) if lines else type(error).__name__

