"""The embedded store (LadybugDB) and, when NEO4J_URI is set, Neo4j: the graph written and read back
is the same graph; ingest is idempotent, order-independent and transactional per file."""
import os
import shutil
import sys
from pathlib import Path

import policykg
import pytest
from policykg.graph import EmbeddedStore, cypher
from policykg.graph.build import build, new_graph
from policykg.graph.link import link
from policykg.graph.sync import apply
from policykg.loaders.extraction import source_name

from tests.conftest import ROOT, SAMPLES

HAIDONG_FILE = SAMPLES / "000_688cda0958d2e220.txt"
QINGHAI_FILE = SAMPLES / "001_2134d2f2c0bab840.txt"
NATIONAL = ROOT / "tests" / "fixtures" / "invented_national_notice.txt"


@pytest.fixture(autouse=True)
def bulk_at_any_size(monkeypatch):
    """These graphs are small: the bulk path (COPY FROM), which a store takes for 5,000 rows or
    more, is taken at any size here so that it is the path tested."""
    monkeypatch.setattr(EmbeddedStore, "bulk_min_rows", 0)


def snapshot(G):
    nodes = {n: dict(d) for n, d in G.nodes(data=True)}
    edges = {(u, v, k): dict(d) for u, v, k, d in G.edges(keys=True, data=True)}
    return nodes, edges


@pytest.fixture(scope="module")
def linked(seeds):
    G = build(seeds.values())
    link(G)
    return G


def test_graph_written_and_read_back_is_identical(linked, tmp_path):
    with EmbeddedStore(tmp_path / "g.lbug") as store:
        report = apply(store, new_graph(), linked)
        assert report.failed == []
        assert snapshot(store.read_graph()) == snapshot(linked)


def test_one_path_given_alone_is_one_path_not_its_characters(tmp_path, monkeypatch):
    # a string is iterable: read as characters, "doc.txt" named "d", "o", ... and "." (the folder
    # it is in, whole)
    monkeypatch.chdir(tmp_path)
    shutil.copy(HAIDONG_FILE, tmp_path / "a.txt")
    shutil.copy(QINGHAI_FILE, tmp_path / "b.txt")
    report = policykg.ingest("a.txt", db=tmp_path / "g.lbug")
    assert (report.files, report.failed, report.documents) == (1, [], 1)
    report = policykg.ingest(Path("b.txt"), db=tmp_path / "g.lbug")
    assert (report.files, report.failed, report.documents) == (1, [], 1)


def test_reingesting_the_same_files_changes_nothing(tmp_path, monkeypatch):
    db = tmp_path / "g.lbug"
    first = policykg.ingest([SAMPLES], db=db)
    assert first.failed == [] and first.counts["nodes_created"] > 300
    before = snapshot(policykg.read_graph(db))
    # other extraction rules: every file is read, built, linked and compared again
    E = sys.modules["policykg.loaders.extraction"]
    monkeypatch.setattr(E, "_rules_fingerprint", lambda: b"other rules")
    again = policykg.ingest([SAMPLES], db=db)
    assert again.failed == [] and again.unchanged == 0 and again.documents == first.documents
    after = snapshot(policykg.read_graph(db))
    ingested = [n for n, d in after[0].items() if d["label"] == "Document" and not d["placeholder"]]
    # only the hashes, which name the rules, are new
    assert {k: v for k, v in again.counts.items() if v} == {"nodes_updated": len(ingested)}
    for n in ingested:
        assert after[0][n].pop("source_hash") != before[0][n].pop("source_hash")
    assert after == before


def test_an_unchanged_file_is_not_read_again_and_a_changed_one_is(tmp_path, monkeypatch):
    E = sys.modules["policykg.loaders.extraction"]
    folder = tmp_path / "docs"
    shutil.copytree(SAMPLES, folder)
    db = tmp_path / "g.lbug"
    policykg.ingest([folder], db=db)
    before = snapshot(policykg.read_graph(db))
    read = []
    real = E.extract
    monkeypatch.setattr(E, "extract", lambda path: read.append(Path(path).name) or real(path))
    stat = db.stat()
    again = policykg.ingest([folder], db=db, workers=1)
    assert read == [] and again.unchanged == 5 and all(v == 0 for v in again.counts.values())
    assert snapshot(policykg.read_graph(db)) == before
    # nothing to write: the store was read, not copied and put back (a staged write renames a new file in)
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert not list(tmp_path.glob("*.writing*"))
    one = sorted(folder.glob("*.txt"))[0]
    one.write_text(one.read_text("utf-8") + "\n", "utf-8")
    third = policykg.ingest([folder], db=db, workers=1)
    assert read == [one.name] and third.unchanged == 4


def test_ingest_order_does_not_change_the_stored_graph(tmp_path):
    a, b = tmp_path / "a.lbug", tmp_path / "b.lbug"
    policykg.ingest([HAIDONG_FILE], db=a)
    policykg.ingest([QINGHAI_FILE], db=a)
    policykg.ingest([QINGHAI_FILE], db=b)
    policykg.ingest([HAIDONG_FILE], db=b)
    assert snapshot(policykg.read_graph(a)) == snapshot(policykg.read_graph(b))
    links = policykg.links(db=a)
    assert [d["method"] for d in links["documents"]] == ["inferred"]
    assert len(links["links"]) >= 20


def test_a_placeholder_in_the_store_becomes_the_ingested_document(tmp_path):
    db = tmp_path / "g.lbug"
    policykg.ingest([SAMPLES / "004_c18c4e8f45edc89e.txt"], db=db)
    G = policykg.read_graph(db)
    assert G.nodes["doc:n:国办发〔2024〕29号"]["placeholder"] is True
    policykg.ingest([NATIONAL], db=db)
    G = policykg.read_graph(db)
    node = G.nodes["doc:n:国办发〔2024〕29号"]
    assert node["placeholder"] is False and node["title"].startswith("国务院办公厅")
    assert sum(1 for n in G if G.nodes[n]["label"] == "Document" and "国办发〔2024〕29号" in n) == 1
    assert G.has_edge("doc:n:明医改组〔2024〕4号", "doc:n:国办发〔2024〕29号", "IMPLEMENTS")


def test_a_failing_file_leaves_no_half_document_and_the_others_land(tmp_path, monkeypatch):
    db = tmp_path / "g.lbug"
    real_write, real_bulk = EmbeddedStore.write_changes, EmbeddedStore.write_bulk
    real_edge = cypher.ladybug_create_edge
    failing = {"on": False}

    def write_bulk(self, changes):
        # a bulk load holding the Haidong file fails half-way: its last COPY meets a duplicate key
        docs = changes.create_nodes["Document"]
        if any(row.get("source") == source_name(HAIDONG_FILE) for row in docs):
            changes.create_edges[("WITHIN", "Region", "Region")].append(dict(changes.create_edges[
                ("WITHIN", "Region", "Region")][0]))
            changes.create_nodes["Region"].append(dict(changes.create_nodes["Region"][0]))
        return real_bulk(self, changes)

    def write_changes(self, changes):
        failing["on"] = changes.owner == source_name(HAIDONG_FILE)
        return real_write(self, changes)

    def create_edge(rel, src, dst):
        # break a statement that runs after this file's nodes were already created
        return "THIS IS NOT CYPHER" if failing["on"] and rel == "HAS_TARGET" else real_edge(rel, src, dst)

    monkeypatch.setattr(EmbeddedStore, "write_bulk", write_bulk)
    monkeypatch.setattr(EmbeddedStore, "write_changes", write_changes)
    monkeypatch.setattr(cypher, "ladybug_create_edge", create_edge)
    report = policykg.ingest([HAIDONG_FILE, QINGHAI_FILE], db=db)
    assert [f for f, _ in report.failed] == [source_name(HAIDONG_FILE)]
    G = policykg.read_graph(db)
    assert "doc:n:东政办〔2023〕47号" not in G
    assert not [n for n, d in G.nodes(data=True) if "东政办" in n]          # no task, no target of it
    assert sum(1 for _, d in G.nodes(data=True) if d["label"] == "Task") == 24   # 001 landed whole

    monkeypatch.undo()
    report = policykg.ingest([HAIDONG_FILE, QINGHAI_FILE], db=db)
    assert report.failed == []
    clean = tmp_path / "clean.lbug"
    policykg.ingest([HAIDONG_FILE, QINGHAI_FILE], db=clean)
    assert snapshot(policykg.read_graph(db)) == snapshot(policykg.read_graph(clean))


def test_bulk_and_one_by_one_loads_store_the_same_graph(linked, tmp_path, monkeypatch):
    from policykg.graph import embedded, sync
    with EmbeddedStore(tmp_path / "bulk.lbug") as store:
        assert sync.apply(store, new_graph(), linked, bulk_rows=10**9).failed == []
        bulk = snapshot(store.read_graph())
    monkeypatch.setattr(embedded, "COPY_ROWS", 7)     # every table in several COPY statements
    with EmbeddedStore(tmp_path / "small-copies.lbug") as store:
        assert sync.apply(store, new_graph(), linked, bulk_rows=10**9).failed == []
        assert snapshot(store.read_graph()) == bulk
    with EmbeddedStore(tmp_path / "each.lbug") as store:
        store.write_bulk = None     # a store without a bulk path: one transaction per file
        assert sync.apply(store, new_graph(), linked).failed == []
        each = snapshot(store.read_graph())
    assert bulk == each == snapshot(linked)


def test_a_sync_commits_to_the_log_and_checkpoints_once_at_the_end(linked, tmp_path, monkeypatch):
    db = tmp_path / "g.lbug"
    wal = tmp_path / "g.lbug.wal"
    seen = []
    real_bulk = EmbeddedStore.write_bulk

    def write_bulk(self, changes):
        real_bulk(self, changes)
        seen.append(wal.exists() and wal.stat().st_size > 0)   # committed, not yet checkpointed

    monkeypatch.setattr(EmbeddedStore, "write_bulk", write_bulk)
    with EmbeddedStore(db) as store:
        assert apply(store, new_graph(), linked).failed == []
        assert not wal.exists() or wal.stat().st_size == 0       # merged into the database file
    assert seen and all(seen)
    with EmbeddedStore(db, read_only=True) as store:
        assert snapshot(store.read_graph()) == snapshot(linked)


def test_a_sync_that_links_meanwhile_checkpoints_the_facts_before_it_writes_the_links(linked, tmp_path,
                                                                                     monkeypatch):
    """What the store held for the facts is let go before the links are written (the memory of a
    30k ingest: benchmarks/memory.md)."""
    from policykg.graph import allocator
    from policykg.graph.schema import DERIVED_RELS
    events = []
    real_bulk, real_checkpoint = EmbeddedStore.write_bulk, EmbeddedStore.checkpoint

    def write_bulk(self, changes):
        links = {key[0] in DERIVED_RELS for key in changes.create_edges}
        events.append("links" if links == {True} else "facts")
        real_bulk(self, changes)

    def checkpoint(self):
        real_checkpoint(self)
        wal = Path(str(self.path) + ".wal")
        events.append("checkpoint" + (" (log left)" if wal.exists() and wal.stat().st_size else ""))

    monkeypatch.setattr(EmbeddedStore, "write_bulk", write_bulk)
    monkeypatch.setattr(EmbeddedStore, "checkpoint", checkpoint)
    monkeypatch.setattr(allocator, "trim", lambda: events.append("trim"))
    with EmbeddedStore(tmp_path / "g.lbug") as store:
        assert apply(store, new_graph(), linked, meanwhile=lambda: None).failed == []
        assert snapshot(store.read_graph()) == snapshot(linked)
    assert events == ["facts", "trim", "checkpoint", "links", "trim", "checkpoint"]


def test_a_long_sync_checkpoints_every_so_many_rows(linked, tmp_path, monkeypatch):
    """LadybugDB holds memory for what it has written since its last checkpoint, so a long sync
    checkpoints as it goes, not only at the end."""
    written, checkpoints = [], []
    real_bulk, real_checkpoint = EmbeddedStore.write_bulk, EmbeddedStore.checkpoint

    def write_bulk(self, changes):
        real_bulk(self, changes)
        written.append(sum(changes.counts().values()))

    def checkpoint(self):
        real_checkpoint(self)
        checkpoints.append(sum(written))

    monkeypatch.setattr(EmbeddedStore, "write_bulk", write_bulk)
    monkeypatch.setattr(EmbeddedStore, "checkpoint", checkpoint)
    monkeypatch.setattr(EmbeddedStore, "checkpoint_rows", 300)
    with EmbeddedStore(tmp_path / "g.lbug") as store:
        assert apply(store, new_graph(), linked, bulk_rows=100).failed == []
        assert snapshot(store.read_graph()) == snapshot(linked)
    total = sum(written)
    assert len(written) >= 5 and checkpoints[-1] == total
    # rows written between two checkpoints: at least checkpoint_rows, and less than that and one
    # more write (the last stretch, checkpointed at the end, may be shorter)
    stretches = [b - a for a, b in zip([0] + checkpoints, checkpoints)]
    assert len(stretches) >= total // 300 and all(300 <= n < 300 + max(written) for n in stretches[:-1])


def test_the_allocator_gives_freed_memory_back_on_glibc():
    import platform

    from policykg.graph import allocator
    if platform.libc_ver()[0] != "glibc":
        pytest.skip(f"malloc_trim is glibc's; this is {platform.libc_ver()[0] or sys.platform}")
    assert allocator.trim() is True


def test_plan_of_facts_and_plan_of_links_together_are_the_whole_plan(linked):
    from policykg.graph.schema import DERIVED_RELS
    from policykg.graph.sync import plan

    def rows(change_sets):
        return sorted((cs.owner, kind, str(key), repr(row)) for cs in change_sets
                      for kind in ("create_nodes", "create_edges")
                      for key, rs in getattr(cs, kind).items() for row in rs)

    facts, links = plan(new_graph(), linked, derived=False), plan(new_graph(), linked, derived=True)
    assert rows(facts) + rows(links) and sorted(rows(facts) + rows(links)) == rows(plan(new_graph(), linked))
    assert all(key[0] in DERIVED_RELS for cs in links for key in cs.create_edges)
    assert not any(key[0] in DERIVED_RELS for cs in facts for key in cs.create_edges)
    assert not any(cs.create_nodes for cs in links)


def test_facts_are_written_while_linking_runs_and_the_links_after_it(seeds, tmp_path, monkeypatch):
    from policykg.graph.schema import DERIVED_RELS
    G = build(seeds.values())
    events = []          # appended from both threads, in the order things happened
    real_bulk, real_write = EmbeddedStore.write_bulk, EmbeddedStore.write_changes

    def record(changes):
        derived = any(key[0] in DERIVED_RELS for key, rows in changes.create_edges.items() if rows)
        events.append("links written" if derived else "facts written")

    monkeypatch.setattr(EmbeddedStore, "write_bulk", lambda self, cs: (record(cs), real_bulk(self, cs))[1])
    monkeypatch.setattr(EmbeddedStore, "write_changes", lambda self, cs: (record(cs), real_write(self, cs))[1])

    def linking():
        link(G)
        events.append("linked")

    with EmbeddedStore(tmp_path / "g.lbug") as store:
        report = apply(store, new_graph(), G, meanwhile=linking)
        assert report.failed == []
        assert snapshot(store.read_graph()) == snapshot(G)
    links_at = [i for i, e in enumerate(events) if e == "links written"]
    facts_at = [i for i, e in enumerate(events) if e == "facts written"]
    assert events.count("linked") == 1 and links_at and facts_at
    assert min(links_at) > events.index("linked") and min(links_at) > max(facts_at)   # links last
    reference = build(seeds.values())
    link(reference)
    assert snapshot(G) == snapshot(reference)


def test_a_failure_while_linking_is_raised_and_no_link_is_written(seeds, tmp_path):
    G = build(seeds.values())

    def linking():
        raise RuntimeError("linking broke")

    with EmbeddedStore(tmp_path / "g.lbug") as store:
        with pytest.raises(RuntimeError, match="linking broke"):
            apply(store, new_graph(), G, meanwhile=linking)
        assert store.rows("MATCH ()-[r:IMPLEMENTS]->() RETURN count(r) AS n")[0]["n"] == 0
        stored = store.read_graph()
    assert {n for n, d in G.nodes(data=True) if d["label"] == "Task"} == \
        {n for n, d in stored.nodes(data=True) if d["label"] == "Task"}      # the facts landed whole


def test_a_bad_file_in_a_folder_does_not_stop_the_rest_or_lose_what_is_stored(tmp_path):
    db = tmp_path / "g.lbug"
    policykg.ingest([QINGHAI_FILE], db=db)
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(HAIDONG_FILE, folder / "haidong.txt")
    (folder / "broken.txt").write_bytes(b"\xff\xfe\x00")
    errors = []
    report = policykg.ingest([folder], db=db, on_error=errors.append)
    assert [f for f, _ in report.failed] == [str(folder / "broken.txt")]
    assert len(errors) == 1 and "broken.txt" in errors[0]
    G = policykg.read_graph(db)
    assert "doc:n:东政办〔2023〕47号" in G
    assert any(G.nodes[n].get("title", "") and "青海省2022年" in G.nodes[n]["title"] for n in G)


def test_read_only_open_of_a_missing_store_is_one_clear_error(tmp_path):
    with pytest.raises(policykg.graph.StoreError, match="no store here"):
        policykg.read_graph(tmp_path / "missing.lbug")


@pytest.mark.skipif(not os.environ.get("NEO4J_URI"),
                    reason="NEO4J_URI is not set: no Neo4j server to test against "
                           "(docker compose up -d, then NEO4J_URI=bolt://localhost:7687 NEO4J_AUTH=neo4j/…)")
def test_neo4j_holds_the_same_graph_as_the_embedded_store(tmp_path):
    from policykg.graph import Neo4jStore
    uri = os.environ["NEO4J_URI"]
    with Neo4jStore(uri) as store:
        store.clear()
    policykg.ingest([SAMPLES], neo4j=uri)
    again = policykg.ingest([SAMPLES], neo4j=uri)
    assert all(v == 0 for v in again.counts.values())
    policykg.ingest([SAMPLES], db=tmp_path / "g.lbug")
    assert snapshot(policykg.read_graph(neo4j=uri)) == snapshot(policykg.read_graph(tmp_path / "g.lbug"))


def test_small_batches_store_the_same_graph_no_edge_dropped(tmp_path):
    """A file's edge to a node another file owns (a CITES to a document ingested later in the same
    run) waits until that file has landed: batches of any size give the whole graph."""
    from policykg.graph import sync
    from policykg.loaders import extract_text
    child = extract_text("某某市人民政府办公室关于印发实施方案的通知\n某政办发〔2024〕3号\n各县区人民政府：\n"
                         "为贯彻落实《某某省人民政府关于加快发展的意见》（某政发〔2024〕1号），现印发给你们。\n"
                         "某某市人民政府办公室\n2024年5月1日\n", "a_child.txt")
    parent = extract_text("某某省人民政府关于加快发展的意见\n某政发〔2024〕1号\n各市人民政府：\n现提出如下意见。\n"
                          "某某省人民政府\n2024年3月1日\n", "b_parent.txt")
    G = build([child, parent])
    link(G)
    assert any(k == "CITES" for _, _, k in G.edges(keys=True))
    for rows in (1, 10**9):
        with EmbeddedStore(tmp_path / f"batches-{rows}.lbug") as store:
            assert sync.apply(store, new_graph(), G, bulk_rows=rows).failed == []
            assert snapshot(store.read_graph()) == snapshot(G), rows


def test_a_file_whose_doc_number_was_corrected_replaces_its_old_document(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "g.lbug"
    plan = tmp_path / "haidong.txt"
    text = HAIDONG_FILE.read_text(encoding="utf-8")
    plan.write_text(text.replace("东政办〔2023〕47号", "东政办〔2023〕74号"), encoding="utf-8")
    policykg.ingest([plan], db=db)
    before = policykg.read_graph(db)
    plan.write_text(text, encoding="utf-8")          # the office corrected its 文号
    policykg.ingest([plan], db=db)
    G = policykg.read_graph(db)
    docs = [d for _, d in G.nodes(data=True) if d["label"] == "Document" and not d["placeholder"]]
    assert [d["doc_number"] for d in docs] == ["东政办〔2023〕47号"]
    assert "doc:n:东政办〔2023〕74号" not in G
    count = lambda g, label: sum(1 for _, d in g.nodes(data=True) if d["label"] == label)
    assert count(G, "Task") == count(before, "Task") > 30


def test_a_corrected_document_that_others_cite_stays_as_what_they_cite(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "g.lbug"
    parent, child = tmp_path / "parent.txt", tmp_path / "child.txt"
    parent.write_text("某某省人民政府关于加快发展的意见\n某政发〔2024〕1号\n各市人民政府：\n现提出如下意见。\n"
                      "某某省人民政府\n2024年3月1日\n", encoding="utf-8")
    child.write_text("某某市人民政府办公室关于印发实施方案的通知\n某政办发〔2024〕3号\n各县区人民政府：\n"
                     "为贯彻落实《某某省人民政府关于加快发展的意见》（某政发〔2024〕1号），现印发给你们。\n"
                     "某某市人民政府办公室\n2024年5月1日\n", encoding="utf-8")
    policykg.ingest([parent, child], db=db)
    parent.write_text(parent.read_text(encoding="utf-8").replace("〔2024〕1号", "〔2024〕2号"), encoding="utf-8")
    policykg.ingest([parent], db=db)
    G = policykg.read_graph(db)
    old = G.nodes["doc:n:某政发〔2024〕1号"]
    assert old["placeholder"] and old["source"] is None          # cited, no longer read from a file
    assert G.has_edge("doc:n:某政办发〔2024〕3号", "doc:n:某政发〔2024〕1号", "CITES")
    assert not G.nodes["doc:n:某政发〔2024〕2号"]["placeholder"]


def test_two_files_of_one_name_in_two_folders_stay_two_sources(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "g.lbug"
    for folder, number in (("a", 1), ("b", 2)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "notice.txt").write_text(
            f"某某省人民政府关于加快发展的意见\n某政发〔2024〕{number}号\n各市人民政府：\n现提出如下意见。\n"
            f"某某省人民政府\n2024年3月{number}日\n", encoding="utf-8")
    policykg.ingest([tmp_path / "a", tmp_path / "b"], db=db)
    policykg.ingest([tmp_path / "b"], db=db)         # re-reading b leaves a's document alone
    G = policykg.read_graph(db)
    sources = sorted(d["source"] for _, d in G.nodes(data=True) if d["label"] == "Document")
    assert sources == ["a/notice.txt", "b/notice.txt"]


def test_an_ingest_looks_up_what_each_file_gave_before_once_not_once_per_file(tmp_path, monkeypatch):
    """Looking through the whole graph for each file's old documents made an ingest quadratic in
    the number of documents."""
    import importlib
    B = importlib.import_module("policykg.graph.build")
    calls = []
    real = B.documents_by_source
    monkeypatch.setattr(B, "documents_by_source", lambda G: calls.append(1) or real(G))
    report = policykg.ingest([SAMPLES], db=tmp_path / "g.lbug")
    assert report.files == 5 and report.failed == []
    assert len(calls) == 1


def test_a_store_written_before_a_property_existed_is_upgraded_and_read(tmp_path):
    import ladybug
    db = tmp_path / "g.lbug"
    policykg.ingest([SAMPLES], db=db)
    conn = ladybug.Connection(database := ladybug.Database(str(db)))
    conn.execute("ALTER TABLE Document DROP source_hash")     # as an earlier policykg wrote it
    conn.close()
    database.close()
    # a read upgrades it first (a staged write), then answers
    rows = policykg.cypher("MATCH (d:Document) WHERE d.placeholder = false RETURN count(d.source_hash) AS n", db=db)
    assert rows == [{"n": 0}]
    again = policykg.ingest([SAMPLES], db=db)
    assert again.unchanged == 0 and again.failed == []      # no hashes stored: every file read
    assert policykg.ingest([SAMPLES], db=db).unchanged == 5


def test_open_store_takes_a_path_or_a_server_url_and_every_store_keeps_the_contract(tmp_path):
    from policykg.graph import STORES, Neo4jStore, Store, StoreError, open_store
    db = tmp_path / "g.lbug"
    policykg.ingest([SAMPLES], db=db)
    with open_store(db, read_only=True) as store:
        assert isinstance(store, EmbeddedStore) and isinstance(store, Store) and store.supports_bulk
        assert store.rows("MATCH (d:Document) RETURN count(d) AS n")[0]["n"] > 0
    assert STORES["bolt"] is STORES["neo4j+s"] is Neo4jStore
    assert isinstance(Neo4jStore.__new__(Neo4jStore), Store) and not Neo4jStore.supports_bulk
    with pytest.raises(StoreError, match=r"^ftp://x: no store for ftp:// \(known: bolt"):
        open_store("ftp://x")
    with pytest.raises(StoreError, match="127.0.0.1:1"):           # a server URL goes to the Neo4j store
        open_store("bolt://127.0.0.1:1")
    with pytest.raises(StoreError, match="^localhost:7687: not a Neo4j URL"):
        policykg.query("stats", neo4j="localhost:7687")


def test_a_small_change_goes_row_by_row_and_a_big_one_by_copy(linked, tmp_path, monkeypatch):
    """Fewer rows than bulk_min_rows are written file by file with write_changes (no COPY, whose
    checkpoint costs about a second in a big store); the store holds the same either way."""
    monkeypatch.undo()
    assert EmbeddedStore.bulk_min_rows == 5_000
    used = []
    real_bulk, real_write = EmbeddedStore.write_bulk, EmbeddedStore.write_changes
    monkeypatch.setattr(EmbeddedStore, "write_bulk", lambda self, cs: (used.append("copy"), real_bulk(self, cs))[1])
    monkeypatch.setattr(EmbeddedStore, "write_changes", lambda self, cs: (used.append("rows"), real_write(self, cs))[1])
    snapshots = {}
    for name, minimum in (("small", 10**9), ("big", 0)):
        monkeypatch.setattr(EmbeddedStore, "bulk_min_rows", minimum)
        used.clear()
        with EmbeddedStore(tmp_path / f"{name}.lbug") as store:
            assert apply(store, new_graph(), linked).failed == []
            snapshots[name] = snapshot(store.read_graph())
        assert set(used) == ({"rows"} if name == "small" else {"copy"}), (name, used)
    assert snapshots["small"] == snapshots["big"] == snapshot(linked)


def test_a_folder_ingested_again_from_another_working_folder_is_not_read_again(tmp_path, monkeypatch):
    """Source names are relative to the working folder: from elsewhere the same files have other
    names. Their bytes are what the store holds, so they are not read again (before, every file
    was, at every later ingest, for ever)."""
    E = sys.modules["policykg.loaders.extraction"]
    folder = tmp_path / "project" / "docs"
    shutil.copytree(SAMPLES, folder)
    db = tmp_path / "g.lbug"
    monkeypatch.chdir(folder.parent)
    policykg.ingest(["docs"], db=db)
    before = snapshot(policykg.read_graph(db))
    read = []
    real = E.extract
    monkeypatch.setattr(E, "extract", lambda path: read.append(Path(path).name) or real(path))
    monkeypatch.chdir(tmp_path)
    stat = db.stat()
    again = policykg.ingest([folder], db=db, workers=1)
    assert read == [] and again.unchanged == 5
    assert (db.stat().st_ino, db.stat().st_mtime_ns) == (stat.st_ino, stat.st_mtime_ns)
    assert snapshot(policykg.read_graph(db)) == before
    one = sorted(folder.glob("*.txt"))[0]
    one.write_text(one.read_text("utf-8") + "\n", "utf-8")
    third = policykg.ingest([folder], db=db, workers=1)
    assert read == [one.name] and third.unchanged == 4       # a changed file is read all the same


def test_the_lineage_an_ingest_reports_is_what_the_stored_graph_holds(tmp_path):
    """The report's lineage line is counted by the store; it must be the graph's own count."""
    from policykg.graph.lineage import document_links
    report = policykg.ingest(SAMPLES, db=tmp_path / "g.lbug")
    G = report.graph
    tasks = sum(1 for u, _, k in G.edges(keys=True) if k == "IMPLEMENTS" and G.nodes[u]["label"] == "Task")
    assert report.lineage == (len(document_links(G)), tasks)
    assert report.lineage[0] > 0 and report.lineage[1] > 0
    assert f"lineage: {report.lineage[0]} document link(s), {report.lineage[1]} task link(s)" in "\n".join(report.lines())
