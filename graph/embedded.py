"""The embedded default store: LadybugDB (the maintained fork of Kùzu), a file on disk, real Cypher,
no server."""
from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path

from . import cypher as C
from .schema import NODES, RELS
from .store import GraphStore, StoreError
from .sync import ChangeSet

DEFAULT_DB = "policykg.lbug"
COPY_ROWS = 1 << 17     # rows per COPY statement: one LadybugDB node group


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
            self._conn = self._connect()
        except RuntimeError as error:
            raise StoreError(f"{self.path}: {str(error).splitlines()[0]}") from None
        if not read_only:
            for statement in C.ladybug_schema():
                self._conn.execute(statement)

    def _connect(self):
        import ladybug
        return ladybug.Connection(self._db)

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

    @contextmanager
    def deferred_checkpoint(self) -> Iterator[None]:
        """For many transactions in a row. LadybugDB checkpoints (merges its write-ahead log into
        the database file) after a commit that leaves a large log, and a checkpoint costs more as
        the database grows: on the 10k benchmark seven of them took 14 s of a 31 s load. Commit
        to the log only and checkpoint once at the end; a committed transaction is durable in the
        log either way (the log is replayed when the database is next opened)."""
        self._conn.execute("CALL auto_checkpoint=false")
        try:
            yield
        finally:
            self._conn.execute("CALL auto_checkpoint=true")
            self._conn.execute("CHECKPOINT")

    def write_bulk(self, changes: ChangeSet) -> None:
        """New nodes and edges only, through COPY FROM (CSV), in one transaction: LadybugDB's own
        bulk path (~4× the rows/s of UNWIND … CREATE, ../shared/notes/measurements.md)."""
        import tempfile
        with tempfile.TemporaryDirectory(prefix="policykg-copy-") as folder:
            statements = copy_statements(changes, Path(folder))
            self._conn.execute("BEGIN TRANSACTION")
            try:
                for statement in statements:
                    self._conn.execute(statement)
            except BaseException:
                try:
                    self._conn.execute("ROLLBACK")
                except RuntimeError:
                    pass
                # a failed COPY can leave the connection unusable (seen as a crash on the next
                # statement): start a fresh one before the caller retries file by file
                self._conn.close()
                self._conn = self._connect()
                raise
            self._conn.execute("COMMIT")

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


def copy_statements(changes: ChangeSet, folder: Path) -> list[str]:
    """Write the nodes and edges that `changes` creates into CSV files in `folder` and return the
    COPY FROM statements that load them (nodes first, so that edges find their ends)."""
    import csv
    jobs = [(label, None, list(NODES[label]), rows) for label, rows in changes.create_nodes.items()]
    jobs += [(rel, (src, dst), ["src", "dst"] + list(RELS[rel]["props"]), rows)
             for (rel, src, dst), rows in changes.create_edges.items()]
    # at most one node group per COPY: in LadybugDB 0.22 a COPY of more rows into the Target table
    # hangs (benchmarks/findings.md)
    jobs = [(table, pair, columns, rows[i:i + COPY_ROWS])
            for table, pair, columns, rows in jobs for i in range(0, len(rows), COPY_ROWS)]
    statements = []
    for i, (table, pair, columns, rows) in enumerate(jobs):
        path = folder / f"{i}.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            # None is written as an empty field, which COPY reads as NULL
            csv.writer(f).writerows(map(itemgetter(*columns), rows))
        # say how the csv module writes: LadybugDB otherwise guesses the dialect from the first
        # rows and, if none of them is quoted, splits quoted commas later on. The serial reader:
        # the parallel one was seen to stall on large files of quoted text.
        options = ["header=false", "auto_detect=false", "delim=','", "quote='\"'", "escape='\"'",
                   "parallel=false"]
        if pair:
            options += [f"from='{pair[0]}'", f"to='{pair[1]}'"]
        statements.append(f"COPY {table} FROM '{path.as_posix()}' ({', '.join(options)})")
    return statements
