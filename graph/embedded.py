"""The embedded default store: LadybugDB (the maintained fork of Kùzu), a file on disk, real Cypher,
no server."""
from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from operator import itemgetter
from pathlib import Path

from ..errors import StoreError
from . import allocator
from . import cypher as C
from .schema import NODES, RELS
from .store import GraphStore
from .sync import ChangeSet

DEFAULT_DB = "policykg.lbug"
COPY_ROWS = 1 << 17     # rows per COPY statement: one LadybugDB node group


def default_db_path() -> Path:
    return Path(os.environ.get("POLICYKG_DB") or DEFAULT_DB)


class EmbeddedStore(GraphStore):
    supports_bulk = True
    # fewer rows than this go row by row (0.2 ms a row), not by COPY FROM, which costs 20-30 ms a
    # statement and a heavier checkpoint: one file's 42 nodes and 130 edges into the 10k benchmark
    # store took 1.27 s to write and checkpoint by COPY, 1.09 s row by row (the checkpoint, 1.0 s
    # of it, rewrites the node groups the new edges touch either way)
    bulk_min_rows = 5_000
    # inside deferred_checkpoint, a checkpoint after every this many rows written: LadybugDB holds
    # memory for all it has written since its last checkpoint (30k documents: benchmarks/memory.md)
    checkpoint_rows = 1_000_000
    def __init__(self, path: str | os.PathLike | None = None, read_only: bool = False,
                 staged_for: Path | None = None):
        """staged_for: the store this is a working copy of (see `staged`); messages name it."""
        self.path = staged_for or (Path(path) if path else default_db_path())
        path = Path(path) if path else self.path
        self.read_only = read_only
        self._reading: int | None = None
        if read_only and not path.exists():
            raise StoreError(f"{self.path}: no store here (run `policykg ingest` first)")
        if read_only:
            self._open_for_reading(path)
        else:
            self._open(path, read_only=False)
        if not read_only:
            for statement in C.ladybug_schema():
                self._conn.execute(statement)
            for label, column, kind in self._missing_columns():
                self._conn.execute(f"ALTER TABLE {label} ADD IF NOT EXISTS {column} {kind}")
        elif self._missing_columns():
            # a store written by an earlier policykg, before a property was added: upgraded once,
            # by a staged write like any other (so a kill leaves it as it was), then read
            self.close()
            with staged(self.path):
                pass
            self._open_for_reading(path)

    def _open(self, path: Path, read_only: bool) -> None:
        import ladybug
        try:
            self._db = ladybug.Database(str(path), read_only=read_only)
            self._conn = self._connect()
        except RuntimeError as error:
            raise StoreError(f"{self.path}: {str(error).splitlines()[0]}") from None

    def _open_for_reading(self, path: Path) -> None:
        """Open read-only, holding a shared flock on the database file for as long as it is open:
        an in-place write (see `in_place`) changes the file and its log only while it holds that
        lock exclusively, so this reader never sees them half-written. The lock is on the file
        itself, not on its name: a staged write renames a new file over it, and the lock follows
        the file this reader has open (checked after the engine opened it; opened again if the
        name moved on in between, or a swap began: see `_wait_for_swap`)."""
        while True:
            try:
                fd = os.open(path, os.O_RDONLY)
            except OSError:
                self._open(path, read_only=True)    # the engine says what is wrong
                return
            fcntl.flock(fd, fcntl.LOCK_SH)          # waits while an in-place write finishes
            try:
                _wait_for_swap(path)
                self._open(path, read_only=True)
                # what the engine opened is the file this lock is on, with its log
                same = os.fstat(fd).st_ino == os.stat(path).st_ino and not _swapping(path)
            except StoreError as error:
                os.close(fd)
                if _RECOVERY_PENDING not in str(error) and not _torn(error):
                    raise
                _repair_for_reading(path)       # raises if the engine still refuses
                continue
            except BaseException:
                os.close(fd)
                raise
            if same:
                self._reading = fd
                return
            self._close_engine()
            os.close(fd)

    def _missing_columns(self) -> list[tuple[str, str, str]]:
        """Properties of the schema a store's tables lack (tables it lacks altogether are made by
        CREATE … IF NOT EXISTS)."""
        missing = []
        tables = {**NODES, **{rel: spec["props"] for rel, spec in RELS.items()}}
        for label, props in tables.items():
            try:
                result = self._conn.execute(f"CALL table_info('{label}') RETURN name")
            except RuntimeError:
                continue        # no such table yet
            have = set()
            while result.has_next():
                have.add(result.get_next()[0])
            missing += [(label, p, t) for p, t in props.items() if p not in have and p != "id"]
        return missing

    def _connect(self):
        import ladybug
        return ladybug.Connection(self._db)

    def __repr__(self) -> str:
        return f"EmbeddedStore({str(self.path)!r})"

    def close(self) -> None:
        self._close_engine()
        if self._reading is not None:
            os.close(self._reading)     # lets go of the shared lock
            self._reading = None

    def _close_engine(self) -> None:
        self._conn.close()
        self._db.close()

    def run(self, query: str, params: dict | None = None, write: bool = False) -> tuple[list[str], list[list]]:
        if self.read_only:
            return self._run_read_only(query, params or {})
        result = self._conn.execute(query, params or {})
        return _collect(result)

    def _run_read_only(self, query: str, params: dict) -> tuple[list[str], list[list]]:
        """Read-only is the engine's to enforce: the database is open read-only and the statement
        runs in a READ ONLY transaction. The transaction matters: LadybugDB 0.22 runs CHECKPOINT
        on a read-only database outside one, and that leaves the file needing a read-write open
        before it can be read again; inside one the engine refuses it."""
        self._conn.execute("BEGIN TRANSACTION READ ONLY")
        try:
            result = self._conn.execute(query, params)
            found = _collect(result)
        except BaseException:
            self._end_transaction()
            raise
        self._end_transaction()
        return found

    def _end_transaction(self) -> None:
        try:
            self._conn.execute("COMMIT")
        except RuntimeError:
            pass    # the engine ended the transaction itself (it does on an error)

    @contextmanager
    def deferred_checkpoint(self) -> Iterator[None]:
        """For many transactions in a row. LadybugDB checkpoints (merges its write-ahead log into
        the database file) after a commit that leaves a large log, and a checkpoint costs more as
        the database grows: on the 10k benchmark seven of them took 14 s of a 31 s load. Commit
        to the log only and checkpoint once at the end. This is safe only on a staged copy (see
        `staged`): LadybugDB does not log COPY FROM rows while auto-checkpoint is off, so a kill
        before the checkpoint would corrupt a store written in place."""
        self._conn.execute("CALL auto_checkpoint=false")
        try:
            yield
        finally:
            self._conn.execute("CALL auto_checkpoint=true")
            self.checkpoint()

    def checkpoint(self) -> None:
        """Merge the log into the database file now. LadybugDB lets go of what it held for the
        writes since the last checkpoint (about 600 MB on the 10k benchmark), and the allocator is
        told to give that back to the system (graph/allocator.py)."""
        self._conn.execute("CHECKPOINT")
        allocator.trim()

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
            self._write(changes)
        except BaseException:
            try:
                self._conn.execute("ROLLBACK")
            except RuntimeError:
                pass   # the engine has already rolled back the failed transaction
            raise
        self._conn.execute("COMMIT")

    def _write(self, changes: ChangeSet) -> None:
        """What finds nodes by id runs a row at a time (see cypher.py: a batch of them scans the
        table per row)."""
        run = self._conn.execute
        for (rel, src, dst), rows in changes.delete_edges.items():
            statement = C.ladybug_delete_edge(rel, src, dst)
            for row in rows:
                run(statement, {"src": row["src"], "dst": row["dst"]})
        for label, ids in changes.delete_nodes.items():
            statement = C.ladybug_delete_node(label)
            for node_id in ids:
                run(statement, {"id": node_id})
        for label, rows in changes.create_nodes.items():
            for batch in C.batches(rows):
                run(C.ladybug_create_nodes(label), {"rows": batch})
        for label, rows in changes.update_nodes.items():
            statement = C.ladybug_update_node(label)
            for row in rows:
                run(statement, row)
        for (rel, src, dst), rows in changes.create_edges.items():
            statement = C.ladybug_create_edge(rel, src, dst)
            for row in rows:
                run(statement, row)


def _collect(result) -> tuple[list[str], list[list]]:
    columns = result.get_column_names()
    rows = []
    while result.has_next():
        rows.append(result.get_next())
    return columns, rows


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def working_copy(path: Path) -> Path:
    """Where a write to the store at `path` is staged (beside it: a rename within one folder is
    atomic)."""
    return path.with_name(path.name + ".writing")


def _lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


# LadybugDB 0.22's files beside a database: its log, and what a checkpoint in progress keeps (the
# log being merged, the shadow pages, two marker files), seen beside a store killed while the
# engine merged its log in place (tests/test_in_place.py)
_ENGINE_SIDECARS = (".wal", ".wal.checkpoint", ".shadow", ".checkpoint.apply.lock", ".checkpoint.intent.lock")


@contextmanager
def staged(path: str | os.PathLike | None = None, fresh: bool = False) -> Iterator[EmbeddedStore]:
    """The store at `path`, open read-write on a copy of it (an empty store if `fresh`); when the
    block ends without an error the copy, checkpointed and synced, replaces the store in one
    rename, otherwise it is thrown away. A kill -9, a full disk or a crash at any moment leaves
    the store as it was before or as it is after, never between.

    Why not the engine's own log: rows that LadybugDB 0.22 loads by COPY FROM are not in its
    write-ahead log while auto-checkpoint is off, so a kill between COPY and the checkpoint left
    edges pointing at row offsets that later ingests filled with other nodes. A copy costs one
    read and one write of the file per ingest (about a second per GB here), which is small beside
    an ingest, and it makes every phase of the ingest safe, not only the engine's. (A few rows,
    never by COPY, may go in place instead: `in_place`.)

    The store's own log, left by an in-place write, is copied with it and merged into the copy by
    the engine, so the store file is never changed where readers have it open.

    One writer at a time: a second one gets a StoreError at once (a lock file beside the store)."""
    path = Path(path) if path else default_db_path()
    with _writer_lock(path):
        yield from _staged_under_lock(path, fresh)


def _open_writer_lock(path: Path) -> int:
    return os.open(_lock_path(path), os.O_RDWR | os.O_CREAT, 0o644)


@contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    try:
        lock_fd = _open_writer_lock(path)
    except OSError as error:
        raise StoreError(f"{path}: cannot write here: {error.strerror}") from None
    try:
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{path}: another policykg process is writing this store; "
                             "try again when it has finished") from None
        _recover(path)
        yield
    finally:
        os.close(lock_fd)       # releases the lock


def leftovers(path: str | os.PathLike | None = None) -> list[Path]:
    """The files a killed write left beside the store: its working copy and the engine's own."""
    work = working_copy(Path(path) if path else default_db_path())
    return [p for p in (work, *_sidecars(work)) if p.exists()]


def _sidecars(path: Path) -> list[Path]:
    return [path.with_name(path.name + s) for s in _ENGINE_SIDECARS]


def _retired(sidecar: Path) -> Path:
    """Where a staged write moves the store's old log while it renames the new file in."""
    return sidecar.with_name(sidecar.name + ".retired")


def _recover(path: Path) -> None:
    """Under the writer lock: finish a staged write killed while it swapped the new file in. Its
    working copy still there: the rename did not happen, and the store's log goes back beside the
    store it belongs to; gone: the new file is the store, and the old log is dropped. And cut off
    the commit of an in-place write killed while it wrote its log (`_cut_torn_log`)."""
    renamed = not working_copy(path).exists()
    for sidecar in _sidecars(path):
        retired = _retired(sidecar)
        if retired.exists():
            if renamed:
                retired.unlink()
            else:
                os.replace(retired, sidecar)
    if _log_mark(path).exists():
        _cut_torn_log(path)


_RECOVERY_PENDING = "checkpoint recovery is pending"     # LadybugDB's words


def _repair_for_reading(path: Path) -> None:
    """A store the engine would not open for a reader, left so by a kill: while the engine merged
    its log into the file in place (a recovery only a read-write open makes), or while a commit
    wrote its log (cut off by the writer lock's `_recover`, see `_cut_torn_log`). Made here under
    the writer lock and with no reader open, so that readers can open the store again."""
    with _writer_lock(path):
        fd = os.open(path, os.O_RDONLY)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)      # readers that opened before the kill finish first
            EmbeddedStore(path).close()
        finally:
            os.close(fd)


# LadybugDB's words for a log whose last record is incomplete: a kill while a commit wrote it.
# LadybugDB 0.22 then opens the store in neither mode (tried on a log cut short by 1 byte, 100
# bytes and half of it), where a torn last record should mean that transaction did not happen
_TORN_LOG = ("WAL file is corrupted", "Reading past the end of the file")


def _torn(error: BaseException) -> bool:
    return any(words in str(error) for words in _TORN_LOG)


def _log(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _log_mark(path: Path) -> Path:
    return path.with_name(path.name + ".wal.mark")


def _mark_log(path: Path) -> None:
    """Before an in-place write's transaction: the length of the store's log and a hash of it,
    so that a commit torn by a kill can be cut off again (`_cut_torn_log`)."""
    wal = _log(path)
    data = wal.read_bytes() if wal.exists() else b""
    # written in place, not renamed in: a kill mid-write leaves a mark that does not parse or
    # match, and the log it would describe is whole then (no commit has begun)
    with open(_log_mark(path), "w", encoding="ascii") as f:
        f.write(f"{len(data)} {hashlib.sha256(data).hexdigest()}\n")
        f.flush()
        os.fsync(f.fileno())
    _fsync(path.parent)


def _unmark_log(path: Path) -> None:
    _log_mark(path).unlink(missing_ok=True)


def _cut_torn_log(path: Path) -> None:
    """Under the writer lock, where an in-place write left its mark (it did not end): if the
    engine finds the log torn and the log is the one that write marked, followed by more, the more
    is that write's commit, cut short by a kill: cut off, the store is as it was before that
    write. A log the engine reads whole was committed whole: the mark is dropped."""
    import ladybug
    try:
        ladybug.Database(str(path), read_only=True).close()
    except RuntimeError as error:
        if not _torn(error):
            return          # another refusal (a recovery pending), for the engine to finish
    else:
        _unmark_log(path)
        return
    wal, mark = _log(path), _log_mark(path)
    try:
        size_text, digest = mark.read_text("ascii").split()
        size = int(size_text)
        with open(wal, "r+b") as f:
            if os.fstat(f.fileno()).st_size <= size or hashlib.sha256(f.read(size)).hexdigest() != digest:
                return
            f.truncate(size)
            os.fsync(f.fileno())
    except (OSError, ValueError):
        return              # no log, or a mark not written whole: nothing known to cut
    if size == 0:
        wal.unlink()
    mark.unlink()
    _fsync(path.parent)


def _swapping(path: Path) -> bool:
    return any(_retired(s).exists() for s in _sidecars(path))


def _wait_for_swap(path: Path) -> None:
    """While a staged write swaps its copy in, the store's log is moved aside for a moment, and
    the store without it is older than it is: a reader waits until the swap is done, or finishes
    it when the writer was killed in the middle (the writer lock is free then)."""
    while _swapping(path):
        try:
            lock_fd = _open_writer_lock(path)
        except OSError:
            return          # a folder this reader cannot write to: no writer here either
        try:
            fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            _recover(path)
            return
        except BlockingIOError:
            time.sleep(0.01)     # a writer is in the middle of its swap: a few file operations
        finally:
            os.close(lock_fd)


def _staged_under_lock(path: Path, fresh: bool) -> Iterator[EmbeddedStore]:
    work = working_copy(path)
    for leftover in leftovers(path):
        leftover.unlink()       # a write that was killed: its copy is worthless
    if path.exists() and not fresh:
        try:
            # the log too (written by an in-place write, an older policykg or another program):
            # the engine replays it into the copy when the copy is opened
            for source, target in zip([path, *_sidecars(path)], [work, *_sidecars(work)]):
                if source.exists():
                    shutil.copyfile(source, target)
        except OSError as error:
            for p in leftovers(path):
                p.unlink()
            raise StoreError(f"{path}: cannot stage the write ({error.strerror}); "
                             "the store is unchanged") from None
    store = EmbeddedStore(work, staged_for=path)
    try:
        yield store
    except BaseException:
        _close_quietly(store)
        work.unlink(missing_ok=True)
        raise
    try:
        store.run("CHECKPOINT")     # the log merged into the file, so the file alone is the store
        store.close()
        if any(p.exists() for p in _sidecars(work)):
            raise StoreError(f"{path}: the engine did not finish its checkpoint; the store is unchanged")
        _fsync(work)
        # the store's old log must not be replayed onto the new file, nor be lost before the new
        # file is in place: it is moved aside, the file renamed in, and only then dropped (a kill
        # in between is finished by `_recover`)
        retired = [s for s in _sidecars(path) if s.exists()]
        for sidecar in retired:
            os.replace(sidecar, _retired(sidecar))
        if retired:
            _fsync(path.parent)
        os.replace(work, path)
        _fsync(path.parent)
        for sidecar in retired:
            _retired(sidecar).unlink()
        _unmark_log(path)       # of a log now merged into the file
    except OSError as error:
        _recover(path)
        work.unlink(missing_ok=True)
        raise StoreError(f"{path}: cannot finish the write ({error.strerror}); the store is unchanged") from None
    except BaseException:
        _recover(path)
        work.unlink(missing_ok=True)
        raise


class InPlaceRefused(Exception):
    """An in-place write cannot be made (a reader has the store open, or the write needs what only
    a staged one does); nothing was written, and the caller writes staged instead."""


class InPlaceStore(EmbeddedStore):
    """The store written where it is: everything of one `in_place` block in one of the engine's
    transactions, under its write-ahead log, which is left beside the store when it closes (the
    engine merges it into the file once it has grown past its threshold, at a commit). What a
    staged write costs at any size, the copy and above all the checkpoint (1.0-1.1 s of a one-file
    ingest into the 10k benchmark store, benchmarks/findings.md), is not paid."""
    supports_bulk = False       # COPY FROM rows are not safe in the log (see `staged`)
    checkpoint_rows = 0
    # the log is merged into the file at the first commit that leaves it larger than this. Every
    # read-only open replays the log (about 60 ms a MB on the 10k benchmark store), and merging 60
    # one-file ingests' log (4.9 MB) took 1.6 s against 1.0 s for one file's: at 1 MB, about a
    # dozen one-file ingests share one checkpoint and a reader pays at most ~60 ms for the log
    log_bytes = 1 << 20

    def __init__(self, path: Path):
        super().__init__(path)
        self._broken = False
        self._conn.execute("CALL force_checkpoint_on_close=false")
        self._conn.execute(f"CALL checkpoint_threshold={self.log_bytes}")
        self._conn.execute("BEGIN TRANSACTION")

    def deferred_checkpoint(self):
        return nullcontext()

    def checkpoint(self) -> None:
        pass                    # the engine's, at its threshold

    def write_bulk(self, changes: ChangeSet) -> None:
        raise InPlaceRefused("a bulk load is written staged")

    def write_changes(self, changes: ChangeSet) -> None:
        """In the block's one transaction. A failed statement may end that transaction in the
        engine, so nothing more is written after one: the caller abandons the block."""
        if self._broken:
            raise InPlaceRefused("an earlier write of this block failed")
        try:
            self._write(changes)
        except BaseException:
            self._broken = True
            raise

    def finish(self, commit: bool) -> None:
        try:
            self._conn.execute("COMMIT" if commit and not self._broken else "ROLLBACK")
        except RuntimeError as error:
            if commit and not self._broken:
                # the engine rolls a transaction it cannot commit back (a full disk, say)
                raise StoreError(f"{self.path}: cannot finish the write ({str(error).splitlines()[0]}); "
                                 "the store is unchanged") from None
        finally:
            self.close()


@contextmanager
def in_place(path: str | os.PathLike | None = None) -> Iterator[InPlaceStore]:
    """The store at `path`, open read-write where it is, if no reader has it open; raises
    InPlaceRefused otherwise (and when there is no store yet). All of the block is one engine
    transaction: committed when the block ends without an error, rolled back otherwise; a kill
    at any moment leaves the store before or after (the engine replays committed transactions
    from its log, and only those). Readers wait for the block to end (see `_open_for_reading`):
    meant for small writes, a few files' rows row by row."""
    path = Path(path) if path else default_db_path()
    with _writer_lock(path):
        if not path.exists():
            raise InPlaceRefused("no store yet")
        fd = os.open(path, os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise InPlaceRefused("a reader has the store open") from None
            store = InPlaceStore(path)
            # the log as it is before this write's commit, which a kill can tear
            _mark_log(path)
            try:
                yield store
            except BaseException:
                store.finish(commit=False)
                _unmark_log(path)
                raise
            store.finish(commit=True)
            _unmark_log(path)
        finally:
            os.close(fd)


def _close_quietly(store: EmbeddedStore) -> None:
    try:
        store.close()
    except Exception:
        pass


def copy_statements(changes: ChangeSet, folder: Path) -> list[str]:
    """Write the nodes and edges that `changes` creates into CSV files in `folder` and return the
    COPY FROM statements that load them (nodes first, so that edges find their ends)."""
    import csv
    jobs: list[tuple[str, tuple[str, str] | None, list[str], list[dict]]] = [
        (label, None, list(NODES[label]), rows) for label, rows in changes.create_nodes.items()]
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
