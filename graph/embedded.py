"""The embedded default store: LadybugDB (the maintained fork of Kùzu), a file on disk, real Cypher,
no server."""
from __future__ import annotations

import os
from pathlib import Path

from . import cypher as C
from .store import GraphStore, StoreError
from .sync import ChangeSet

DEFAULT_DB = "policykg.lbug"


def default_db_path() -> Path:
    return Path(os.environ.get("POLICYKG_DB") or DEFAULT_DB)


class EmbeddedStore(GraphStore):
    def __init__(self, path: str | os.PathLike | None = None, read_only: bool = False):
        import ladybug
        self.path = Path(path) if path else default_db_path()
        if read_only and not self.path.exists():
            raise StoreError(f"{self.path}: no store here (run `policykg ingest` first)")
        try:
            self._db = ladybug.Database(str(self.path), read_only=read_only)
            self._conn = ladybug.Connection(self._db)
        except RuntimeError as error:
            raise StoreError(f"{self.path}: {str(error).splitlines()[0]}") from None
        if not read_only:
            for statement in C.ladybug_schema():
                self._conn.execute(statement)

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"

    def close(self) -> None:
        self._conn.close()
        self._db.close()

    def run(self, query: str, params: dict | None = None, write: bool = False) -> tuple[list[str], list[list]]:
        # read-only is enforced by opening the database read-only (see api.open_store)
        result = self._conn.execute(query, params or {})
        columns = result.get_column_names()
        rows = []
        while result.has_next():
            rows.append(result.get_next())
        return columns, rows

    def write_changes(self, changes: ChangeSet) -> None:
        """One transaction: all of the change set or, on any error, none of it."""
        self._conn.execute("BEGIN TRANSACTION")
        try:
            for (rel, src, dst), rows in changes.delete_edges.items():
                for batch in C.batches(rows):
                    self._conn.execute(C.delete_edges(rel, src, dst), {"rows": batch})
            for label, ids in changes.delete_nodes.items():
                for batch in C.batches(ids):
                    self._conn.execute(C.delete_nodes(label), {"ids": batch})
            for label, rows in changes.create_nodes.items():
                for batch in C.batches(rows):
                    self._conn.execute(C.ladybug_create_nodes(label), {"rows": batch})
            for label, rows in changes.update_nodes.items():
                for batch in C.batches(rows):
                    self._conn.execute(C.ladybug_update_nodes(label), {"rows": batch})
            for (rel, src, dst), rows in changes.create_edges.items():
                for batch in C.batches(rows):
                    self._conn.execute(C.ladybug_create_edges(rel, src, dst), {"rows": batch})
        except BaseException:
            try:
                self._conn.execute("ROLLBACK")
            except RuntimeError:
                pass   # the engine has already rolled back the failed transaction
            raise
        self._conn.execute("COMMIT")

