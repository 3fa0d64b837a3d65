"""Nothing lost: an ingest killed (kill -9) at any phase, a full disk, a second writer, a read-only
statement that would write — each leaves the store as it was before or as it is after a clean
ingest, compared by fingerprint; `policykg check` finds and mends a damaged store."""
import errno
import os
import shutil
import signal

import policykg
import pytest
from policykg.graph import EmbeddedStore, StoreError
from policykg.graph.check import fingerprint
from policykg.graph.embedded import staged, working_copy

from tests.conftest import ROOT, SAMPLES, ingest_code, killed_run

HAIDONG_FILE = SAMPLES / "000_688cda0958d2e220.txt"
QINGHAI_FILE = SAMPLES / "001_2134d2f2c0bab840.txt"
SANMING_FILE = SAMPLES / "004_c18c4e8f45edc89e.txt"


@pytest.fixture(scope="module")
def states(tmp_path_factory):
    """The fingerprints of the store before (Haidong only) and after (all three files) an ingest,
    from clean runs, and a copy of the 'before' store."""
    folder = tmp_path_factory.mktemp("clean")
    before = folder / "before.lbug"
    assert policykg.ingest([HAIDONG_FILE], db=before).failed == []
    after = folder / "after.lbug"
    shutil.copyfile(before, after)
    report = policykg.ingest([QINGHAI_FILE, SANMING_FILE], db=after)
    assert report.failed == [] and report.documents >= 2
    return {"store": before, "after_store": after, "before": fingerprint(policykg.read_graph(before)),
            "after": fingerprint(policykg.read_graph(after))}


# Each phase: what to patch in the ingesting process so that it kills itself (SIGKILL: no
# cleanup, no finally) at that moment.
KILL_AT = {
    "copying the store": """
        import shutil
        def copyfile(src, dst, **kw):
            with open(src, 'rb') as f, open(dst, 'wb') as g:
                g.write(f.read(os.path.getsize(src) // 2))
            die()
        shutil.copyfile = copyfile
        """,
    "between two files' transactions": """
        from policykg.graph import embedded
        real = embedded.EmbeddedStore.write_changes
        calls = []
        def write_changes(self, changes):
            calls.append(1)
            if len(calls) == 2:
                die()
            return real(self, changes)
        embedded.EmbeddedStore.write_changes = write_changes
        del embedded.EmbeddedStore.write_bulk     # no bulk path: one transaction per file
        """,
    "after the bulk load, before its checkpoint": """
        from policykg.graph import embedded
        embedded.EmbeddedStore.bulk_min_rows = 0      # two small files: bulk-loaded all the same
        real = embedded.EmbeddedStore.write_bulk
        def write_bulk(self, changes):
            real(self, changes)
            die()
        embedded.EmbeddedStore.write_bulk = write_bulk
        """,
    "during the checkpoint": """
        from policykg.graph import embedded
        real = embedded.EmbeddedStore.run
        def run(self, query, params=None, write=False):
            if query == 'CHECKPOINT':
                die()
            return real(self, query, params, write)
        embedded.EmbeddedStore.run = run
        """,
    "before the rename": """
        real = os.replace
        def replace(a, b):
            die()
        os.replace = replace
        """,
    "right after the rename": """
        real = os.replace
        def replace(a, b):
            real(a, b)
            die()
        os.replace = replace
        """,
}


def _killed_ingest(db, patch: str) -> int:
    return killed_run(patch, ingest_code([QINGHAI_FILE, SANMING_FILE], db))


@pytest.mark.parametrize("phase", list(KILL_AT))
def test_an_ingest_killed_at_any_phase_leaves_the_store_before_or_after(states, tmp_path, phase):
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    assert _killed_ingest(db, KILL_AT[phase]) == -signal.SIGKILL
    now = fingerprint(policykg.read_graph(db))
    expected = "after" if phase == "right after the rename" else "before"
    assert now == states[expected], f"killed {phase}: the store is neither before nor after"
    policykg.ingest([QINGHAI_FILE, SANMING_FILE], db=db)
    assert fingerprint(policykg.read_graph(db)) == states["after"]
    assert not working_copy(db).exists()
    assert policykg.check(db=db).healthy


def test_check_names_the_files_a_killed_ingest_left_and_repair_removes_them(states, tmp_path):
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    assert _killed_ingest(db, KILL_AT["during the checkpoint"]) == -signal.SIGKILL
    report = policykg.check(db=db)
    assert not report.healthy and working_copy(db).name in report.leftovers
    repaired = policykg.check(db=db, repair=True)
    assert repaired.healthy and not working_copy(db).exists()
    assert fingerprint(policykg.read_graph(db)) == states["before"]


def test_a_full_disk_while_staging_is_one_error_and_the_store_is_unchanged(states, tmp_path, monkeypatch):
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)

    def no_space(src, dst, **kw):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfile", no_space)
    with pytest.raises(StoreError, match="No space left on device.*unchanged"):
        policykg.ingest([QINGHAI_FILE], db=db)
    monkeypatch.undo()
    assert fingerprint(policykg.read_graph(db)) == states["before"]
    assert not working_copy(db).exists()


def test_a_full_disk_while_writing_one_file_reports_it_and_the_others_land(states, tmp_path, monkeypatch):
    from policykg.graph import embedded
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    real = embedded.EmbeddedStore.write_changes

    def write_changes(self, changes):
        if "004_" in changes.owner:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(self, changes)

    monkeypatch.delattr(embedded.EmbeddedStore, "write_bulk")
    monkeypatch.setattr(embedded.EmbeddedStore, "write_changes", write_changes)
    report = policykg.ingest([QINGHAI_FILE, SANMING_FILE], db=db)
    assert [f for f, _ in report.failed] == [str(SANMING_FILE.relative_to(ROOT))]
    assert "No space left" in report.failed[0][1]
    monkeypatch.undo()
    G = policykg.read_graph(db)
    assert not any((d.get("source") or "").endswith(SANMING_FILE.name) for _, d in G.nodes(data=True))
    policykg.ingest([SANMING_FILE], db=db)      # the disk has room again: the file lands
    assert fingerprint(policykg.read_graph(db)) == states["after"]


def test_a_second_writer_is_refused_at_once_and_the_first_lands(states, tmp_path):
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    with staged(db) as store:
        with pytest.raises(StoreError, match="another policykg process is writing"):
            policykg.ingest([QINGHAI_FILE], db=db)
        store.run("MATCH (d:Document) RETURN count(d)")
    assert fingerprint(policykg.read_graph(db)) == states["before"]


def test_a_failing_write_block_throws_its_copy_away(states, tmp_path):
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    with pytest.raises(RuntimeError), staged(db) as store:
        store.run("MATCH (d:Document) DETACH DELETE d", write=True)
        raise RuntimeError("the caller failed half way")
    assert fingerprint(policykg.read_graph(db)) == states["before"]
    assert not working_copy(db).exists()


def test_checkpoint_on_a_read_only_store_is_refused_by_the_engine(states, tmp_path):
    """Not by a keyword list: the statement goes to the engine, which refuses it in a read-only
    transaction; before, LadybugDB ran it and left the file unreadable read-only."""
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    with EmbeddedStore(db, read_only=True) as store:
        with pytest.raises(RuntimeError):
            store.run("CHECKPOINT")
        with pytest.raises(RuntimeError):
            store.run("MATCH (d:Document) SET d.title = 'x'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.lbug"]
    assert fingerprint(policykg.read_graph(db)) == states["before"]


def test_check_finds_broken_facts_and_rebuilds_them_from_the_files(states, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)     # the stored sources are relative to where the store was built
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    policykg.cypher("MATCH (d:Department)-[:IN_REGION]->(x:Region), (r:Region) WHERE r.id <> x.id "
                    "WITH d, r LIMIT 1 CREATE (d)-[:IN_REGION]->(r)", db=db, write=True)
    policykg.cypher("MATCH (:Task)-[l:IMPLEMENTS]->(:Task) WITH l LIMIT 1 DELETE l", db=db, write=True)
    found = policykg.check(db=db)
    assert not found.healthy and any("lies in 2 regions" in p.text for p in found.problems)
    assert policykg.check(db=db, repair=True).healthy
    assert fingerprint(policykg.read_graph(db)) == states["before"]


def test_check_relinks_when_only_derived_links_are_wrong(states, tmp_path):
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["after_store"], db)
    policykg.cypher("MATCH (:Task)-[l:IMPLEMENTS]->(:Task) WITH l LIMIT 2 DELETE l", db=db, write=True)
    found = policykg.check(db=db)
    assert [p.kind for p in found.problems] == ["links"]
    repaired = policykg.check(db=db, repair=True)
    assert repaired.repaired == ["derived links recomputed from the facts"]
    assert fingerprint(policykg.read_graph(db)) == states["after"]


def test_check_refuses_to_rebuild_without_the_files_and_changes_nothing(states, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)     # the stored relative sources are not found from here
    db = tmp_path / "g.lbug"
    shutil.copyfile(states["store"], db)
    policykg.cypher("MATCH (d:Department)-[:IN_REGION]->(x:Region), (r:Region) WHERE r.id <> x.id "
                    "WITH d, r LIMIT 1 CREATE (d)-[:IN_REGION]->(r)", db=db, write=True)
    broken = fingerprint(policykg.read_graph(db))
    report = policykg.check(db=db, repair=True)
    assert not report.healthy and report.missing == ["samples/000_688cda0958d2e220.txt"]
    assert fingerprint(policykg.read_graph(db)) == broken


def _ingest_in(batches, db):
    for batch in batches:
        assert policykg.ingest(batch, db=db, workers=1).failed == []
    return fingerprint(policykg.read_graph(db))


def test_batches_and_order_do_not_change_the_stored_graph(cascade_files, tmp_path):
    """Before: four batches gave 24 DERIVED_FROM edges other than one run (which of a task's
    targets answered which of its parent's followed the order the edges were added in)."""
    files = cascade_files
    assert len(files) > 100
    quarter = len(files) // 4 + 1
    one_run = _ingest_in([files], tmp_path / "one.lbug")
    assert _ingest_in([files[i:i + quarter] for i in range(0, len(files), quarter)],
                      tmp_path / "four.lbug") == one_run
    backwards = files[::-1]
    assert _ingest_in([backwards[i:i + quarter] for i in range(0, len(backwards), quarter)],
                      tmp_path / "reverse.lbug") == one_run
