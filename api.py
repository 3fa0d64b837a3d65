"""The Python API: every CLI command has a function here with the same verb."""
from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import NotFoundError, QueryError, StoreError, first_line
from .loaders import extract, extract_many
from .loaders.extraction import iter_paths

if TYPE_CHECKING:     # networkx is imported where a graph is built (a query need not pay for it)
    import networkx as nx


def sample_paths() -> list:
    """The bundled sample documents (copies of real notices shipped with the package)."""
    folder = resources.files("policykg.samples")
    return sorted(p for p in folder.iterdir() if p.name.endswith(".txt"))


def summary_lines(result) -> list[str]:
    """What `policykg extract` prints for one file without --json."""
    lines = [f"{result.source}: {len(result.documents)} document(s)"]
    for d in result.documents:
        ndept = len({x.name for t in d.tasks for x in t.departments})
        ntarget = sum(len(t.targets) for t in d.tasks)
        lines.append(f"  {d.doc_number or '(no 文号)'}  {d.title}")
        lines.append(f"    issuer {d.issuer}  date {d.date}  level {d.level}  region {d.region}")
        lines.append(f"    {len(d.tasks)} tasks, {ndept} departments, {ntarget} targets, "
                     f"{len(d.citations)} citations, {len(d.ledger)} ledger rows")
    return lines


def open_store(db: str | Path | None = None, neo4j: str | None = None, read_only: bool = False):
    """The Neo4j store at URI `neo4j` if given, else the embedded store at `db` (default
    ./policykg.lbug or $POLICYKG_DB); use it in a `with` block. An embedded store opened to
    write is a staged copy that replaces the store when the block ends without an error (see
    graph.embedded.staged): a crash or a kill leaves it as it was. Neo4j's transactions are its
    own."""
    from .graph import open_store as open_url
    if neo4j and "://" not in neo4j:
        raise StoreError(f"{neo4j}: not a Neo4j URL (bolt://HOST:7687 or neo4j://HOST:7687)")
    return open_url(neo4j or db, read_only=read_only and not neo4j)


@dataclass
class IngestReport:
    store: str
    files: int = 0
    documents: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)   # (file, reason)
    counts: dict[str, int] = field(default_factory=dict)
    unchanged: int = 0                                              # files skipped: read before, unchanged
    relinked: int | None = None                                     # documents relinked (None: all)
    graph: nx.MultiDiGraph | None = None                            # the networkx graph now stored
    lineage: tuple[int, int] | None = None                          # (document, task) links the store holds
    fallback: str | None = None                                     # why a few files' ingest read the whole store
    timings: dict[str, float] = field(default_factory=dict)         # seconds per phase

    def lines(self) -> list[str]:
        c = self.counts
        read = self.files - self.unchanged
        skipped = f" ({self.unchanged} more unchanged since they were last read, not read again)" if self.unchanged else ""
        out = [f"ingested {read - len(self.failed)} of {read} file(s){skipped}, "
               f"{self.documents} document(s) into {self.store}",
               f"  nodes: +{c.get('nodes_created', 0)} ~{c.get('nodes_updated', 0)} -{c.get('nodes_deleted', 0)}"
               f"   edges: +{c.get('edges_created', 0)} -{c.get('edges_deleted', 0)}"]
        if self.lineage is not None:
            out.append(f"  lineage: {self.lineage[0]} document link(s), {self.lineage[1]} task link(s)")
        return out


def ingest(paths: Iterable[str | Path] | str | Path, db: str | Path | None = None, neo4j: str | None = None,
           progress: Callable[[str], None] | None = None,
           on_error: Callable[[str], None] | None = None, workers: int | None = None) -> IngestReport:
    """Extract files or folders, link their lineage with what the store already holds, and write
    the difference to the store, one transaction per file (a few files into an embedded store no
    reader has open: all in one, written in place, see graph.embedded.in_place). `paths` is one
    file or folder, or several. A file that cannot be read is reported (on_error gets one line naming it and the
    reason) and the others go on. Big folders are extracted in `workers` processes (None: one per
    core)."""
    from .graph import collector, local
    from .graph.cypher import SOURCE_HASHES
    from .graph.embedded import InPlaceRefused, default_db_path, in_place
    from .loaders.extraction import content_hash, source_name

    files = list(iter_paths(paths))
    if not files:
        from .loaders.readers import SUFFIXES, ReadError
        named = [paths] if isinstance(paths, (str, os.PathLike)) else paths
        raise ReadError(", ".join(str(p) for p in named) or "(no paths)",
                        f"no readable files (readable: {', '.join(sorted(SUFFIXES))})")
    hashes: dict[Path, str | None] = {}

    def changed_of(store) -> tuple[dict[str, str], list[Path]]:
        """The files the store does not hold as they are now. A file read before, unchanged, by
        the same rules gives the same records: it is not read again. Nor is a file under a name
        the store does not know whose bytes it holds under another: source names are relative to
        the working folder, so the same folder ingested from another one has new names and the
        same bytes. Hashed only where the store holds hashes, and once an ingest."""
        stored = {r["source"]: r["hash"] for r in store.rows(SOURCE_HASHES)}
        known = set(stored.values())
        out = []
        for p in files:
            if known:
                if p not in hashes:
                    hashes[p] = content_hash(p)
                name, digest = source_name(p), hashes[p]
                if digest is not None and (stored[name] == digest if name in stored else digest in known):
                    continue
            out.append(p)
        return stored, out

    # files read before a write began (see below), with what reading them gave
    read_before: dict[Path, tuple] = {}

    def read(paths):
        """(path, extraction, (file, reason) if it failed) of each path; a file is read once an
        ingest, and on_error and progress hear of it then."""
        for path in [p for p in paths if p in read_before]:
            yield (path, *read_before[path])
        for path, extraction, error in extract_many([p for p in paths if p not in read_before],
                                                    workers=workers):
            if error is not None and on_error:
                on_error(str(error))
            collector.young()
            if progress:
                progress(str(path))
            yield path, extraction, None if error is None else (str(path), error.reason)

    def read_files(paths, report):
        """The extractions of `paths`; what cannot be read goes into `report`."""
        for _, extraction, failure in read(paths):
            if failure is not None:
                report.failed.append(failure)
            elif extraction is not None:
                report.documents += len(extraction.documents)
                yield extraction

    few, read_seconds = False, 0.0
    if not neo4j and (Path(db) if db else default_db_path()).exists():
        # a folder the store holds as it is: answered from the store opened read-only, so that
        # the store is neither copied nor rewritten (the staged write's copy and checkpoint were
        # 1.3 s of a 2.2 s re-ingest of the unchanged 10k benchmark folder)
        started = time.perf_counter()
        with open_store(db, read_only=True) as store:
            stored_hashes, changed = changed_of(store)
            if not changed:
                report = IngestReport(store=repr(store), files=len(files), unchanged=len(files))
                report.timings["compare hashes"] = time.perf_counter() - started
                return report
        few = bool(stored_hashes) and len(changed) <= local.MAX_FILES
        if few:
            # read now, before any write begins: written in place if they can be, staged if not,
            # the files are read once and reported once
            started = time.perf_counter()
            for path, extraction, failure in read(changed):
                read_before[path] = (extraction, failure)
            read_seconds = time.perf_counter() - started
    written: IngestReport | None = None
    if few:
        try:
            with in_place(db) as store, collector.paused():
                written = _ingest_into(store, files, changed_of, read_files, workers, on_error, all_or_nothing=True)
        except InPlaceRefused:
            pass        # written staged below (nothing was written)
    if written is None:
        with open_store(db, neo4j) as store, collector.paused():
            written = _ingest_into(store, files, changed_of, read_files, workers, on_error)
    if read_seconds:
        written.timings["extract"] = written.timings.get("extract", 0.0) + read_seconds
    return written


def _ingest_into(store, files, changed_of, read_files, workers, on_error,
                 all_or_nothing: bool = False) -> IngestReport:
    """The body of `ingest`, on a store open to write. All or nothing (a store written in place,
    graph.embedded.in_place): only the few-files path is taken, and what needs more, or a file
    whose write fails, raises InPlaceRefused and the block is rolled back, to be written staged."""
    from .graph import local
    from .graph.build import add_extraction, copy_graph, documents, documents_by_source, finish
    from .graph.embedded import InPlaceRefused
    from .graph.link import LinkWorkers, affected_documents, link
    from .graph.sync import apply
    from .loaders.extraction import source_name

    report = IngestReport(store=repr(store), files=len(files))
    clock = _PhaseClock(report.timings)
    stored_hashes, changed = changed_of(store)
    report.unchanged = len(files) - len(changed)
    files = changed
    clock.lap("compare hashes")
    if not files:
        return report       # nothing to read, link or write
    sources = {source_name(p) for p in files}

    def built(old, extractions):
        new = copy_graph(old)
        stored = documents_by_source(new)
        for extraction in extractions:
            add_extraction(new, extraction, stored)
        clock.lap("extract and build")
        finish(new)
        clock.lap("finish")
        return new

    extractions = None
    if stored_hashes and len(files) <= local.MAX_FILES:
        # a few files into a store: read only the part of it they can change
        extractions = list(read_files(files, report))
        clock.lap("extract")
        nb = local.neighbourhood(store, extractions) if extractions else None
        clock.lap("read neighbourhood")
        if nb is not None:
            new = built(nb.graph, extractions)
            only = affected_documents(nb.graph, new, sources=sources)
            link(new, workers=1, only=only)
            clock.lap("link")
            reason = local.check(nb, new, only)
            if reason is None:
                report.relinked = len(only)
                sync = apply(store, nb.graph, new)
                clock.lap("store")
                if all_or_nothing and sync.failed:
                    raise InPlaceRefused(f"{sync.failed[0][0]}: not stored")
                _finish_report(report, sync, on_error)
                report.lineage = _stored_lineage(store)
                return report
            report.fallback = reason
    if all_or_nothing:
        raise InPlaceRefused(report.fallback or "the whole store is needed")
    # the linking workers are forked now, while this process is small (see LinkWorkers)
    with LinkWorkers(workers) as link_workers:
        old = store.read_graph()
        clock.lap("read store")
        # the files are read while the graph is built from them, unless they were read above
        new = built(old, read_files(files, report) if extractions is None else extractions)

        def linking() -> None:
            # only the documents whose links can have changed are relinked; the others keep the
            # links they had (the same as relinking all: tests/test_incremental.py)
            started = time.perf_counter()
            only = (affected_documents(old, new, sources=sources)
                    if documents(old, ingested_only=False) else None)
            report.timings["find affected"] = time.perf_counter() - started
            report.relinked = len(only) if only is not None else None
            link(new, only=only, pool=link_workers)
            report.timings["link"] = time.perf_counter() - started

        # the facts are written while the linking workers link; the links are written last
        sync = apply(store, old, new, meanwhile=linking)
        clock.lap("link and store")
        _finish_report(report, sync, on_error)
        # counted by the store (0.3 s at 10k documents; walking the graph's edges took 2.7 s)
        report.lineage = _stored_lineage(store)
    report.graph = new if not sync.failed else store.read_graph()
    return report


def _finish_report(report: IngestReport, sync, on_error) -> None:
    for owner, reason in sync.failed:
        report.failed.append((owner, f"not stored: {reason}"))
        if on_error:
            on_error(f"{owner}: not stored: {reason}")
    report.counts = dict(sync.counts)


def _stored_lineage(store) -> tuple[int, int]:
    """(document links, task links) in the store."""
    from .graph.cypher import LINK_COUNTS
    return tuple(store.rows(query)[0]["n"] for query in LINK_COUNTS)


class _PhaseClock:
    """Seconds spent in each phase of an ingest, into a dict (IngestReport.timings)."""

    def __init__(self, into: dict[str, float]):
        self.into = into
        self.start = time.perf_counter()

    def lap(self, phase: str) -> None:
        now = time.perf_counter()
        self.into[phase] = now - self.start
        self.start = now


def read_graph(db: str | Path | None = None, neo4j: str | None = None):
    """The whole stored graph as a networkx MultiDiGraph."""
    with open_store(db, neo4j, read_only=neo4j is None) as store:
        return store.read_graph()


def links(db: str | Path | None = None, neo4j: str | None = None, explain: bool = False) -> dict:
    """The lineage links in the store: {"documents": [...], "links": [task links]}; "documents"
    holds the direct links (stated or inferred) and then the transitive ones (method "transitive",
    with the documents they pass through in "via"); the "links" list is the PRED format of
    ../shared/tools/score.py align. With `explain`, "rejected" lists the higher-level documents of
    the same subject that were not inferred as a document's parent, each with the reason."""
    from .graph.lineage import (
        document_links,
        document_name,
        task_links,
        transitive_links,
    )
    G = read_graph(db, neo4j)
    found = {"documents": document_links(G) + transitive_links(G), "links": task_links(G)}
    if explain:
        from .graph.link import rejected_parents
        name = lambda n: document_name(G, n) if n else None
        found["rejected"] = [{**r, "child": name(r["child"]), "candidate": name(r["candidate"]),
                              "instead": name(r["instead"])} for r in rejected_parents(G)]
    return found


# ---------------------------------------------------------------- questions

DOCUMENT_PARAMS = ("doc", "parent", "child")
MUST_BE_DOCUMENTS = ("doc", "parent")     # gaps --param child= may name a region instead


def _resolve_document(store, value: str) -> str:
    """A document named by 文号 in any bracket style or by title becomes its id; anything else
    (a region name for `gaps --param child=海东市`) is passed on as it is."""
    from .loaders.keys import mention_keys
    for key in mention_keys(value, value):
        rows = store.rows("MATCH (d:Document) WHERE d.match_keys CONTAINS $key RETURN d.id AS id",
                          {"key": f"|{key}|"})
        if len(rows) == 1:
            return rows[0]["id"]
    return value


def document_id(store, value: str, hint: str = "") -> str:
    """The id of the document `value` names (文号, title or id); NotFoundError when the store holds
    none (hint: words added to that message)."""
    found = _resolve_document(store, value)
    if not store.rows("MATCH (d:Document) WHERE d.id = $id RETURN d.id AS id", {"id": found}):
        raise NotFoundError(f"no document {value!r} in the store{hint}")
    return found


def _resolve_department(store, value: str) -> str:
    """The one department a name means, by its full name (海东市卫生健康委员会): given with its place,
    its canonical name (市卫生健康委员会) or a name it is printed as (市卫健委). A name several
    departments of different places share is not one department: the error lists them."""
    from .loaders.departments import canonical, canonical_with_place
    with_place = canonical_with_place(value)
    found = sorted({r["full_name"] for r in store.rows(
        "MATCH (dept:Department) WHERE dept.full_name IN [$value, $with_place] OR dept.name IN [$value, $canonical] "
        "RETURN DISTINCT dept.full_name AS full_name",
        {"value": value, "canonical": canonical(value), "with_place": with_place})}
        | {r["full_name"] for r in store.rows(
            "MATCH (dept:Department)-[r:RESPONSIBLE_FOR]->(:Task) WHERE r.printed = $value "
            "RETURN DISTINCT dept.full_name AS full_name", {"value": value})})
    if value in found:
        return value
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"no department {value!r} in the store")
    shown = "、".join(found[:8]) + (f" and {len(found) - 8} more" if len(found) > 8 else "")
    raise QueryError(f"{value!r} names {len(found)} departments of different places: {shown}; "
                     f"give one of them (--param department=…)")


def _run(store, text: str, params: dict, write: bool):
    try:
        return store.run(text, params, write=write)
    except StoreError:
        raise
    except Exception as error:  # the engine's own message, on one line
        raise QueryError(first_line(error)) from None


def query_result(name: str, db=None, neo4j=None, **params) -> tuple[list[str], list[list]]:
    """Run a named query; (columns, rows)."""
    with open_store(db, neo4j, read_only=neo4j is None) as store:
        return query_on(store, name, params)


def query_on(store, name: str, params: dict) -> tuple[list[str], list[list]]:
    """A named query on an open store: documents named by 文号 or title and departments by any
    name they go by become ids first (an unknown document is an error, not an empty answer)."""
    from .queries import get
    named = get(name)
    bound = named.bind(params)
    for key in DOCUMENT_PARAMS:
        if isinstance(bound.get(key), str):
            bound[key] = (document_id(store, bound[key], " (give its 文号, title or id)") if key in MUST_BE_DOCUMENTS
                          else _resolve_document(store, bound[key]))
    if isinstance(bound.get("department"), str):
        bound["department"] = _resolve_department(store, bound["department"])
    return _run(store, named.text, bound, write=False)


def query(name: str, db=None, neo4j=None, **params) -> list[dict]:
    """Run a named query (see `policykg queries`); rows as plain dicts.

    >>> policykg.query("owners", phrase="住院量占比")   # doctest: +SKIP
    """
    columns, rows = query_result(name, db, neo4j, **params)
    return [dict(zip(columns, r)) for r in rows]


def cypher_result(text: str, params: dict | None = None, db=None, neo4j=None,
                  write: bool = False) -> tuple[list[str], list[list]]:
    from .queries import parameters, writes
    clause = writes(text)
    if clause and not write:
        raise QueryError(f"this query writes ({clause}); add --write (Python: write=True) to run it")
    missing = [name for name in parameters(text) if name not in (params or {})]
    if missing:     # the engine would read a missing parameter as null and answer 0 rows
        raise QueryError(f"the query uses ${missing[0]} but no value was given for it; add "
                         f"--param {missing[0]}=… (Python: params={{{missing[0]!r}: …}})")
    with open_store(db, neo4j, read_only=neo4j is None and not write) as store:
        return _run(store, text, params or {}, write=write)


def cypher(text: str, params: dict | None = None, db=None, neo4j=None, write: bool = False) -> list[dict]:
    """Run your own Cypher; read-only unless write=True. Rows as plain dicts."""
    columns, rows = cypher_result(text, params, db, neo4j, write)
    return [dict(zip(columns, r)) for r in rows]


def trace(doc: str, up: bool = False, depth: int = 4, db=None, neo4j=None) -> list[str]:
    """The lineage of a document as the lines of a tree: down to what carries it out (default) or
    up to the directives it carries down. DOC: 文号 (any bracket style), title or id."""
    from .queries.render import document_line, trace_down_tree, trace_up_tree
    with open_store(db, neo4j, read_only=neo4j is None) as store:
        doc_id = _resolve_document(store, doc)
        found = store.rows("MATCH (d:Document) WHERE d.id = $id RETURN d.doc_number AS doc_number, "
                           "d.title AS title, d.region AS region, d.level AS level, d.date AS date, "
                           "d.placeholder AS placeholder", {"id": doc_id})
    if not found:
        raise NotFoundError(f"no document {doc!r} in the store")
    name = found[0]["doc_number"] or found[0]["title"]
    head = document_line(found[0])
    if up:
        rows = [r for r in query("trace-up", db, neo4j, doc=doc_id) if r["depth"] <= depth]
        return trace_up_tree(name, rows, head)
    return trace_down_tree(name, query("trace-down", db, neo4j, doc=doc_id, depth=depth), head)


def visualize(out=None, png=None, svg=None, trace: str | None = None, depth: int = 3,
              department: str | None = None, view: str | None = None, align: tuple[str, str] | None = None,
              coverage: str | None = None, db=None, neo4j=None, progress: Callable[[str], None] | None = None):
    """`policykg viz` in Python (the name `policykg.viz` is the subpackage). Draw the stored graph as
    an interactive HTML page (out, default lineage.html) and/or a static PNG / SVG (real text).
    view: "cascade" (default: documents in level bands; trace: one document's lineage to `depth`
    levels), "alignment" (align=(parent, child): their tasks side by side), "coverage" (coverage=DOC:
    its tasks × the documents carrying it down) or "network" (every node; department: one
    department's portfolio). Returns what was written and what it shows."""
    from . import viz as V
    with open_store(db, neo4j, read_only=neo4j is None) as store:
        G = _graph_for_view(store, trace, depth, align, coverage, progress)
    return V.make(G, out=out, png=png, svg=svg, trace=trace, depth=depth,
                  department=department, view_name=view, align=align, directive=coverage, progress=progress)


def _graph_for_view(store, trace, depth, align, coverage, progress):
    """What a view needs from the store: one document's view reads its neighbourhood (the documents
    `depth` links above and below, their tasks, targets and departments), not the whole store; a
    whole-graph or department view reads everything, saying so when that is long."""
    from .viz import PROGRESS_FROM
    if align:
        return store.read_around({_resolve_document(store, name) for name in align})
    if coverage or trace:
        return store.read_lineage(_resolve_document(store, coverage or trace), depth)
    count = store.rows("MATCH (d:Document) RETURN count(d) AS n")[0]["n"]
    if progress and count >= PROGRESS_FROM:
        progress(f"reading the whole store ({count} documents)")
    return store.read_graph()


def serve(host: str = "127.0.0.1", port: int = 8765, db=None, neo4j=None,
          on_ready: Callable[[str], None] | None = None) -> None:
    """`policykg serve` in Python: a local explorer over the store (search, the named queries with
    CSV download, and the cascade, alignment and coverage views of any document), reading only the
    neighbourhood each page shows. Blocks until interrupted; on_ready gets the address."""
    from .viz.serve import serve as run
    with open_store(db, neo4j, read_only=neo4j is None) as store:
        run(store, host, port, on_ready)


def export(out, fmt: str = "ttl", base_iri: str | None = None, db=None, neo4j=None,
           check: bool = False, licence: str | None = None, progress: Callable[[str], None] | None = None) -> dict:
    """The stored graph as RDF (ttl, nt, jsonld or xml) with stable IRIs under base_iri; check=True
    also validates it against ontology/shapes.ttl; licence: the IRI of the data's licence, stated in
    the dataset description every export carries. Returns {"triples": n, "conforms": bool|None}.
    fmt="neo4j-admin": `out` is a folder, filled with the CSV files and the command of Neo4j's
    bulk loader (graph/neo4j_admin.py); returns {"nodes": {...}, "relationships": {...}, "command"}."""
    if fmt == "neo4j-admin":
        from .graph import neo4j_admin
        return neo4j_admin.write(read_graph(db, neo4j), out)
    from .ontology import DEFAULT_BASE, validate
    from .ontology import export as write_rdf
    count = write_rdf(read_graph(db, neo4j), out, fmt, base_iri or DEFAULT_BASE, licence, progress)
    result: dict[str, object] = {"triples": count, "conforms": None, "report": None}
    if check:
        result["conforms"], result["report"] = validate(out, fmt)
    return result


def sparql_result(query: str, rdf: str | Path | None = None, db=None, neo4j=None,
                  **params) -> tuple[list[str], list[list]]:
    """Run SPARQL over an RDF file (`rdf`) or over the store's export: a named question with a
    SPARQL version (ontology/sparql/NAME.rq: owners, trace-down, gaps) or SPARQL text. Parameters
    are bound, never pasted in: a value that is an IRI, or the 文号 or title of one document of
    the data, is bound as that document's IRI; anything else as a string."""
    from rdflib import Graph, Literal, URIRef

    from . import ontology as O
    named = query in O.sparql_names()
    text = O.sparql(query) if named else query
    if not named and not re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", text, re.IGNORECASE):
        raise QueryError(f"{query!r} is neither a named SPARQL question ({', '.join(O.sparql_names())}) "
                         "nor a SPARQL query")
    missing = [p for p in O.sparql_params(text) if p not in params]
    if missing:
        raise QueryError(f"the query uses ?{missing[0]} but no value was given for it; add --param {missing[0]}=…")
    if rdf is not None:
        path = Path(rdf)
        try:
            g = Graph().parse(str(path), format=O.FORMATS.get(path.suffix.lstrip("."), None))
        except FileNotFoundError:
            raise QueryError(f"{path}: no such file") from None
        except Exception as error:
            raise QueryError(f"{path}: not RDF this can read ({str(error).splitlines()[0][:200]})") from None
    else:
        g = O.to_graph(read_graph(db, neo4j))

    def bound(value: str):
        if re.match(r"^https?://", value):
            return URIRef(value)
        docs = {s for p in (O.PKG.docNumber, O.PKG.title) for s in g.subjects(p, Literal(value))} | \
               {s for s in g.subjects(O.PKG.title, Literal(value, lang="zh"))}
        return docs.pop() if len(docs) == 1 else Literal(value)

    try:
        result = g.query(text, initBindings={k: bound(str(v)) for k, v in params.items()})
    except Exception as error:
        raise QueryError(str(error).strip().splitlines()[0][:300] if str(error).strip() else type(error).__name__) from None
    if result.type != "SELECT":
        return ["result"], [[bool(result.askAnswer)]] if result.type == "ASK" else [[len(result)]]
    variables = result.vars or []
    return [str(v) for v in variables], [[O.python_value(row.get(v)) for v in variables] for row in result.bindings]


def sparql(query: str, rdf: str | Path | None = None, db=None, neo4j=None, **params) -> list[dict]:
    """`policykg sparql` in Python: rows as plain dicts."""
    columns, rows = sparql_result(query, rdf, db, neo4j, **params)
    return [dict(zip(columns, r)) for r in rows]


@dataclass
class CheckReport:
    store: str
    problems: list = field(default_factory=list)      # graph.check.Problem, as found
    leftovers: list[str] = field(default_factory=list)  # files of an interrupted write
    repaired: list[str] = field(default_factory=list)   # what --repair did
    missing: list[str] = field(default_factory=list)    # source files a rebuild could not read
    fingerprint: str | None = None                     # of the graph now stored

    @property
    def found(self) -> int:
        """How many things were wrong when the check looked."""
        return len(self.problems) + len(self.leftovers)

    @property
    def healthy(self) -> bool:
        """Nothing was wrong, or all of it was repaired."""
        return self.found == 0 or (bool(self.repaired) and not self.missing)

    def lines(self) -> list[str]:
        out = [f"{self.store}: " + (f"{self.found} problem(s)" if self.found else "healthy")]
        out += [f"  {p.text}" for p in self.problems[:20]]
        if len(self.problems) > 20:
            out.append(f"  … and {len(self.problems) - 20} more")
        out += [f"  left by an interrupted write: {name}" for name in self.leftovers]
        out += [f"  repaired: {line}" for line in self.repaired]
        out += [f"  cannot rebuild without {name} (not found)" for name in self.missing[:20]]
        if self.fingerprint:
            out.append(f"  fingerprint {self.fingerprint}")
        return out


def check(db: str | Path | None = None, neo4j: str | None = None, repair: bool = False,
          workers: int | None = 1) -> CheckReport:
    """Look for what a healthy store never holds: broken facts (a task in two documents, a
    department in two regions, an edge to nothing), derived links that differ from what the facts
    give, files left by an interrupted write. repair=True relinks when only links are wrong and
    rebuilds the store from its documents' source files when facts are (refusing, with the store
    unchanged, if a file is missing)."""
    from .graph import check as H
    from .graph.embedded import leftovers
    with open_store(db, neo4j, read_only=neo4j is None) as store:
        report = CheckReport(store=repr(store))
        G = store.read_graph()
    if neo4j is None:
        report.leftovers = [p.name for p in leftovers(db)]
    report.problems = H.fact_problems(G)
    fresh = H.relinked(G, workers) if not report.problems else None
    if fresh is not None:
        report.problems += H.link_problems(G, fresh)
    if not repair or not report.found:
        report.fingerprint = H.fingerprint(G)
        return report
    from .graph.sync import apply
    if any(p.kind == "facts" for p in report.problems):
        rebuilt = _rebuild(H.sources(G), report, workers)
        if rebuilt is None:
            report.fingerprint = H.fingerprint(G)
            return report
        if neo4j:
            with open_store(db, neo4j) as target:
                apply(target, target.read_graph(), rebuilt)
        else:
            from .graph.build import new_graph
            from .graph.embedded import staged
            with staged(db, fresh=True) as target:      # a new file: nothing of the broken one kept
                apply(target, new_graph(), rebuilt)
        report.repaired.append(f"rebuilt from {len(H.sources(rebuilt))} source file(s)")
        report.fingerprint = H.fingerprint(rebuilt)
        return report
    with open_store(db, neo4j) as target:     # a staged write also clears an interrupted one's files
        if fresh is not None and report.problems:
            apply(target, G, fresh)
            report.repaired.append("derived links recomputed from the facts")
    if report.leftovers:
        report.repaired.append("files of the interrupted write removed")
    report.fingerprint = H.fingerprint(fresh if fresh is not None else G)
    return report


def _rebuild(files: list[str], report: CheckReport, workers: int | None):
    """The graph the source files give now, linked; None (with report.missing) if any of them
    cannot be read."""
    from .graph.build import add_extraction, finish, new_graph
    from .graph.link import link
    report.missing = [f for f in files if not Path(f).is_file()]
    if report.missing:
        return None
    G = new_graph()
    stored: dict[str, list[str]] = {}
    for path, extraction, error in extract_many(files, workers=workers):
        if error is not None:
            report.missing.append(f"{path} ({error.reason})")
        elif extraction is not None:
            add_extraction(G, extraction, stored)
    if report.missing:
        return None
    finish(G)
    link(G, workers=workers)
    return G


def demo(db: str | Path | None = None, progress: Callable[[str], None] | None = None) -> list[str]:
    """Ingest the bundled samples into the embedded store and return the printed lines: the ingest
    summary and the lineage of the document that is carried down furthest, as a tree."""
    from .graph.lineage import document_name, widest_root
    report = ingest(sample_paths(), db=db, progress=progress)
    # a report carries the graph only when it read the whole store (not when the samples were
    # there already, or were written in place): then the store is read
    G = report.graph if report.graph is not None else read_graph(db)
    root = widest_root(G)
    if root is None:
        return report.lines()
    return report.lines() + [""] + trace(document_name(G, root), db=db)


__all__ = [
    "check",
    "cypher",
    "demo",
    "export",
    "extract",
    "ingest",
    "links",
    "open_store",
    "query",
    "read_graph",
    "sample_paths",
    "trace",
    "visualize",
]
