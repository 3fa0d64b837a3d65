"""A few files into a store are written where the store is, in one engine transaction under its
log (graph.embedded.in_place), unless a reader has the store open; a kill at any moment leaves the
store before or after, and a staged write that follows merges that log without losing it or
replaying it onto the new file."""
import os
import shutil
import signal
import threading

import policykg
import pytest
from policykg.graph import EmbeddedStore
from policykg.graph.check import fingerprint
from policykg.graph.embedded import in_place, leftovers, staged

from tests.conftest import ROOT, SAMPLES, ingest_code, killed_run

BASE = [SAMPLES / n for n in ("000_688cda0958d2e220.txt", "001_2134d2f2c0bab840.txt",
                              "004_c18c4e8f45edc89e.txt")]
FEW = [SAMPLES / n for n in ("002_80a544ba8699e234.txt", "003_4483c7e244990de6.txt")]


def files_beside(db):
    return sorted(p.name for p in db.parent.iterdir() if not p.name.startswith("."))


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """Fingerprints before (BASE) and after (BASE, then FEW) from clean staged runs, and a copy of
    the 'before' store."""
    folder = tmp_path_factory.mktemp("clean")
    before = folder / "before.lbug"
    assert policykg.ingest(BASE, db=before).failed == []
    after = folder / "after.lbug"
    shutil.copyfile(before, after)
    with EmbeddedStore(after, read_only=True):      # a reader: the write goes staged
        assert policykg.ingest(FEW, db=after).failed == []
    assert files_beside(after) == ["after.lbug", "before.lbug"]   # no log: it was staged
    return {"store": before, "before": fingerprint(policykg.read_graph(before)),
            "after": fingerprint(policykg.read_graph(after))}


@pytest.fixture
def db(states, tmp_path):
    path = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], path)
    return path


def test_a_few_files_go_in_place_and_the_store_holds_what_a_staged_write_gives(states, db):
    inode = db.stat().st_ino
    report = policykg.ingest(FEW, db=db)
    assert report.failed == [] and report.documents >= len(FEW) and report.fallback is None
    assert db.stat().st_ino == inode                    # not a new file renamed over it
    assert files_beside(db) == ["g.lbug", "g.lbug.wal"]  # the engine's log, no working copy
    assert fingerprint(policykg.read_graph(db)) == states["after"]
    assert policykg.check(db=db).healthy
    again = policykg.ingest(FEW, db=db)
    assert again.unchanged == len(FEW)                  # the hashes were written in place too


def test_a_reader_holding_the_store_open_sends_the_write_staged_and_keeps_its_view(states, db):
    inode = db.stat().st_ino
    with EmbeddedStore(db, read_only=True) as reader:
        assert policykg.ingest(FEW, db=db).failed == []
        assert db.stat().st_ino != inode                # staged: a new file renamed in
        assert fingerprint(reader.read_graph()) == states["before"]
    assert fingerprint(policykg.read_graph(db)) == states["after"]


def test_a_reader_waits_while_an_in_place_write_is_open(states, db):
    opened = threading.Event()

    def read():
        with EmbeddedStore(db, read_only=True):
            opened.set()

    with in_place(db) as store:
        store.run("MATCH (d:Document) SET d.title = d.title + '·'", write=True)
        reader = threading.Thread(target=read)
        reader.start()
        assert not opened.wait(2)       # the reader cannot open the store while it is written
    reader.join(60)
    assert opened.is_set()


def test_a_failing_in_place_block_writes_nothing(states, db):
    with pytest.raises(RuntimeError), in_place(db) as store:
        store.run("MATCH (d:Document) DETACH DELETE d", write=True)
        raise RuntimeError("the caller failed half way")
    assert fingerprint(policykg.read_graph(db)) == states["before"]


def test_a_file_whose_write_fails_in_place_is_written_staged_and_reported_there(states, db, monkeypatch):
    import errno

    from policykg.graph import embedded
    real = embedded.EmbeddedStore._write

    def write(self, changes):
        if "003_" in changes.owner:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, changes)

    monkeypatch.setattr(embedded.EmbeddedStore, "_write", write)
    errors = []
    report = policykg.ingest(FEW, db=db, on_error=errors.append)
    assert [f for f, _ in report.failed] == [str(FEW[1].relative_to(ROOT))]
    assert len(errors) == 1 and "No space left" in errors[0]
    monkeypatch.undo()
    assert files_beside(db) == ["g.lbug"]           # staged: the in-place block was rolled back
    assert policykg.ingest(FEW, db=db).failed == []
    assert fingerprint(policykg.read_graph(db)) == states["after"]


# What to patch in the ingesting process so that it kills itself (SIGKILL) at that moment, and
# which state the store must then be in.
KILL_AT = {
    "inside the in-place transaction": ("before", """
        from policykg.graph import embedded
        real = embedded.InPlaceStore._write
        calls = []
        def write(self, changes):
            calls.append(1)
            if len(calls) == 2:
                die()
            return real(self, changes)
        embedded.InPlaceStore._write = write
        """),
    "after the in-place commit": ("after", """
        from policykg.graph import embedded
        real = embedded.InPlaceStore.finish
        def finish(self, commit):
            self._conn.execute('COMMIT')
            die()
        embedded.InPlaceStore.finish = finish
        """),
    "after the in-place commit that merges the log": ("after", """
        from policykg.graph import embedded
        embedded.InPlaceStore.log_bytes = 1       # the engine checkpoints at this commit
        def finish(self, commit):
            self._conn.execute('COMMIT')
            die()
        embedded.InPlaceStore.finish = finish
        """),
}


def _killed(db, files, patch: str) -> int:
    return killed_run(patch, ingest_code(files, db))


@pytest.mark.parametrize("phase", list(KILL_AT))
def test_an_in_place_write_killed_leaves_the_store_before_or_after(states, db, phase):
    expected, patch = KILL_AT[phase]
    assert _killed(db, FEW, patch) == -signal.SIGKILL
    assert fingerprint(policykg.read_graph(db)) == states[expected], f"killed {phase}"
    policykg.ingest(FEW, db=db)
    assert fingerprint(policykg.read_graph(db)) == states["after"]
    assert policykg.check(db=db).healthy


def test_a_staged_write_after_an_in_place_one_merges_its_log(states, db):
    assert policykg.ingest(FEW, db=db).failed == []
    assert (db.parent / "g.lbug.wal").exists()
    with staged(db) as store:      # staged: the store and its log are copied
        assert fingerprint(store.read_graph()) == states["after"]
    assert files_beside(db) == ["g.lbug"]
    assert fingerprint(policykg.read_graph(db)) == states["after"]


# A staged write that follows an in-place one, killed while it swaps its copy in: the old log is
# moved aside, the copy renamed in, the old log dropped.
SWAP_KILL_AT = {
    "after the old log is moved aside": ("in place", """
        real = os.replace
        def replace(a, b):
            real(a, b)
            if str(b).endswith('.retired'):
                die()
        os.replace = replace
        """),
    "after the rename, before the old log is dropped": ("staged", """
        real = os.replace
        def replace(a, b):
            real(a, b)
            if str(a).endswith('.writing'):
                die()
        os.replace = replace
        """),
}


@pytest.mark.parametrize("phase", list(SWAP_KILL_AT))
def test_a_staged_write_killed_while_it_swaps_out_the_log_loses_nothing(states, db, phase):
    assert policykg.ingest(FEW, db=db).failed == []         # in place: the store and its log
    in_place_state = fingerprint(policykg.read_graph(db))
    expected, patch = SWAP_KILL_AT[phase]
    code = ("from policykg.graph.embedded import staged\nwith staged(" + repr(str(db)) + ") as s:\n"
            "    s.run(\"MATCH (d:Document) SET d.title = d.title + '·'\", write=True)\n")
    assert killed_run(patch, code) == -signal.SIGKILL
    now = fingerprint(policykg.read_graph(db))        # a reader finishes the swap the kill left
    titles = [r["title"] for r in policykg.cypher("MATCH (d:Document) RETURN d.title AS title", db=db)]
    if expected == "in place":
        assert now == in_place_state and not any(t.endswith("·") for t in titles)
    else:
        assert titles and all(t.endswith("·") for t in titles)
    assert not any(p.name.endswith(".retired") for p in db.parent.iterdir())
    with staged(db):       # the next write clears what the killed one left
        pass
    assert leftovers(db) == [] and policykg.check(db=db).healthy
    assert fingerprint(policykg.read_graph(db)) == now


@pytest.mark.parametrize("then", ["read", "staged write"])
@pytest.mark.parametrize("delay", [0.0, 0.005, 0.02, 0.06, 0.15])
def test_an_in_place_commit_killed_while_the_engine_merges_its_log_leaves_before_or_after(states, db, delay, then):
    """The commit that takes the log past its threshold merges it into the file in place: killed
    at one of several moments of that, the store is before or after, never between, whether a
    reader or a staged write (which copies the store with all the engine's files beside it) comes
    to it first."""
    patch = f"""
        import threading, time
        from policykg.graph import embedded
        embedded.InPlaceStore.log_bytes = 1
        def finish(self, commit):
            threading.Thread(target=lambda: (time.sleep({delay}), die()), daemon=True).start()
            self._conn.execute('COMMIT')
            self.close()
            time.sleep(5)
        embedded.InPlaceStore.finish = finish
        """
    assert _killed(db, FEW, patch) == -signal.SIGKILL
    if then == "staged write":
        with staged(db) as store:
            assert fingerprint(store.read_graph()) in (states["before"], states["after"])
    now = fingerprint(policykg.read_graph(db))
    assert now in (states["before"], states["after"]), f"killed {delay} s into the commit"
    policykg.ingest(FEW, db=db)
    assert fingerprint(policykg.read_graph(db)) == states["after"]
    assert policykg.check(db=db).healthy


def test_a_reader_waits_while_a_staged_write_swaps_the_log_out(states, db):
    """Between moving the store's log aside and renaming its copy in, the store file alone is
    older than the store: a reader opening then waits for the swap instead of reading that."""
    from policykg.graph import embedded
    assert policykg.ingest(FEW, db=db).failed == []         # in place: the store and its log
    wal = db.with_name(db.name + ".wal")
    seen = []
    with embedded._writer_lock(db):                         # a writer in the middle of its swap
        os.replace(wal, embedded._retired(wal))
        reader = threading.Thread(target=lambda: seen.append(fingerprint(policykg.read_graph(db))))
        reader.start()
        reader.join(1.5)
        assert seen == []                                   # waiting, not reading the bare file
        os.replace(embedded._retired(wal), wal)             # the swap undone, as a failed one is
    reader.join(60)
    assert seen == [states["after"]]


@pytest.mark.parametrize("logged_before", [False, True])
@pytest.mark.parametrize("then", ["read", "staged write", "in-place write"])
def test_a_commit_torn_by_a_kill_is_cut_off_and_the_store_is_as_before(states, db, logged_before, then):
    """A kill while a commit writes its records to the log leaves the log's last record half
    written, and LadybugDB 0.22 then opens the store in neither mode ("the WAL file is
    corrupted"): seen once in CI at the kill test's first moment. Made here exactly: the log as
    the write marked it, then half of what its commit wrote."""
    from policykg.graph import embedded
    wal = db.with_name(db.name + ".wal")
    if logged_before:               # the store and a log of an earlier in-place write
        assert policykg.ingest(FEW, db=db).failed == [] and wal.exists()
    before = fingerprint(policykg.read_graph(db))
    assert before == states["after" if logged_before else "before"]
    logged = wal.read_bytes() if wal.exists() else b""
    with in_place(db) as store:
        store.run("MATCH (d:Document) SET d.title = d.title + '·'", write=True)
    commit = wal.read_bytes()[len(logged):]
    assert commit and wal.read_bytes()[:len(logged)] == logged     # the engine appends
    wal.write_bytes(logged)
    if not logged:
        wal.unlink()
    embedded._mark_log(db)                                  # what in_place does before its commit
    wal.write_bytes(logged + commit[:len(commit) // 2])     # …and the commit, cut short
    if then == "staged write":
        with staged(db):
            pass
    elif then == "in-place write":
        with in_place(db):
            pass
    assert fingerprint(policykg.read_graph(db)) == before
    assert policykg.check(db=db).healthy
    assert not embedded._log_mark(db).exists()
    assert policykg.ingest(BASE + FEW, db=db).failed == []
