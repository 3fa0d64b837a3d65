"""The `policykg` command: a thin shell over the Python API (every command has a Python twin)."""
from __future__ import annotations

import atexit
import gc
import json
import re
import sys
from contextlib import contextmanager, nullcontext
from pathlib import Path

import click

from .api import summary_lines
from .loaders import extract_many
from .loaders.extraction import iter_paths

# At exit the collector's last pass walks every object left (a graph's reference cycles keep it
# alive until then): 9 s after a 10k-document ingest had printed its report. Frozen, they are left
# to go back to the system with the process; this runs after the command, at the process's end.
atexit.register(gc.freeze)


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


class _Commands(click.Group):
    """The command group, with the one handler of policykg's errors: any PolicykgError a command
    lets through is answered with `policykg: error: <its first line>` and exit status 1."""

    def invoke(self, ctx):
        from .errors import PolicykgError, first_line
        try:
            return super().invoke(ctx)
        except PolicykgError as error:
            _fail(first_line(error))


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policykg")
def main():
    """Trace policy lineage in Chinese government documents."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print records as JSON (the gold format plus spans).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one JSON file per input file into this folder.")
def extract(paths, as_json, out_dir):
    """Extract documents, tasks, departments, targets and citations from files or folders.

    Python: policykg.extract(path) for one file, policykg.extract_many(paths) for several.
    """
    files = list(iter_paths(paths))
    results, failed = [], 0
    written: set[str] = set()
    show_progress = len(files) > 1 and sys.stderr.isatty()
    with click.progressbar(files, label="extracting", file=sys.stderr) if show_progress else nullcontext(files) as bar:
        for path, result, error in extract_many(bar):
            if error is not None:
                failed += 1
                _echo(f"policykg: error: {error}", err=True)
                continue
            results.append(result)
            if out_dir:
                out_dir.mkdir(parents=True, exist_ok=True)
                # a.txt and a.docx in one run: the second is written as a.docx.json, not over a.json
                name = path.stem + ".json" if path.stem + ".json" not in written else path.name + ".json"
                written.add(name)
                target = out_dir / name
                tmp = target.with_suffix(".json.part")
                tmp.write_text(_dump(result.to_dict()), encoding="utf-8")
                tmp.replace(target)  # never leave a half-written file behind
    if not out_dir:
        if as_json:
            dicts = [r.to_dict() for r in results]
            single = len(paths) == 1 and Path(paths[0]).is_file()
            _echo(_dump(dicts[0] if single and dicts else dicts))
        else:
            for r in results:
                _echo("\n".join(summary_lines(r)))
    if failed:
        _echo(f"policykg: {failed} of {len(files)} file(s) failed", err=True)
        sys.exit(1)


def store_options(f):
    """--db and --neo4j: the same options on every command that reads or writes a store."""
    f = click.option("--neo4j", metavar="URI", envvar="POLICYKG_NEO4J",
                     help="Use the Neo4j server at URI instead (auth from NEO4J_USER/NEO4J_PASSWORD "
                          "or NEO4J_AUTH).")(f)
    f = click.option("--db", type=click.Path(dir_okay=False, path_type=str), envvar="POLICYKG_DB",
                     help="Embedded store file (default ./policykg.lbug, or $POLICYKG_DB); a bolt:// or "
                          "neo4j:// URL opens that Neo4j server instead.")(f)
    return f


# C0/C1 control characters but line breaks and tabs, shown escaped (\x1b): text read from a
# store is printed raw nowhere, so a title holding an escape sequence cannot drive the terminal
_UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _echo(message=None, **kwargs) -> None:
    if isinstance(message, str):
        message = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m.group()):02x}", message)
    click.echo(message, **kwargs)


def _fail(message: str) -> None:
    _echo(f"policykg: error: {message}", err=True)
    sys.exit(1)


@contextmanager
def _progress(items: list, label: str):
    """A progress bar on a terminal for more than one item; quiet otherwise (pipes, CI logs)."""
    if len(items) > 1 and sys.stderr.isatty():
        with click.progressbar(length=len(items), label=label, file=sys.stderr) as bar:
            yield lambda _item: bar.update(1)
    else:
        yield None


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@store_options
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Processes for extracting and linking (default: one per core; 1 uses least memory).")
def ingest(paths, db, neo4j, workers):
    """Extract files or folders and add them to the lineage graph in a store.

    Links (implements, cites, responsible-for, target drift) are recomputed with what the store
    already holds; re-ingesting a file changes nothing. One transaction per file.

    Python: policykg.ingest(paths, db=..., neo4j=..., workers=...)
    """
    from .api import ingest as run_ingest
    files = list(iter_paths(paths))
    with _progress(files, "ingesting") as progress:
        # an empty list of files is given as the paths named, for the error to name them
        report = run_ingest(files or list(paths), db=db, neo4j=neo4j, progress=progress, workers=workers,
                            on_error=lambda line: _echo(f"policykg: error: {line}", err=True))
    _echo("\n".join(report.lines()))
    if report.failed:
        _echo(f"policykg: {len(report.failed)} of {report.files} file(s) failed", err=True)
        sys.exit(1)


@main.command()
@click.option("--json", "as_json", is_flag=True,
              help="Print JSON: document links and task links (the task links in the format of "
                   "../shared/tools/score.py align).")
@click.option("--explain", is_flag=True,
              help="Also list the higher-level documents of the same subject that were not taken as "
                   "a document's parent, and why (other region, earlier, a stated parent, …).")
@store_options
def links(as_json, explain, db, neo4j):
    """List the lineage links in a store: which document and task implements which, how it is
    known (stated, inferred, aligned) and with what score.

    Python: policykg.links(db=..., neo4j=..., explain=False)
    """
    from .api import links as read_links
    found = read_links(db=db, neo4j=neo4j, explain=explain)
    if as_json:
        _echo(_dump(found))
        return
    for d in found["documents"]:
        flag = " (cited, not ingested)" if d["parent_placeholder"] else ""
        how = f"via {' → '.join(d['via'])}" if d.get("via") else f"{d['method']} {d['score']:.2f}"
        _echo(f"{d['child']}  IMPLEMENTS  {d['parent']}{flag}  [{how}]")
    for t in found["links"]:
        _echo(f"  {t['child']['doc']} {'/'.join(t['child']['path'])}  →  "
                   f"{t['parent']['doc']} {'/'.join(t['parent']['path'])}  [{t['method']} {t['score']:.2f}]")
    for r in found.get("rejected", []):
        instead = f" ({r['instead']})" if r["instead"] else ""
        _echo(f"{r['child']}  not linked to  {r['candidate']}  (subject {r['subject_similarity']:.2f}): "
              f"{r['reason']}{instead}")


def _params(pairs: tuple[str, ...]) -> dict:
    params = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            _fail(f"--param wants NAME=VALUE, not {pair!r}")
        params[name.strip()] = value
    return params


def _print_rows(columns, rows, fmt: str) -> None:
    from .queries.render import table, to_csv, to_json
    if fmt == "json":
        _echo(to_json(columns, rows))
    elif fmt == "csv":
        _echo(to_csv(columns, rows), nl=False)
    else:
        _echo(table(columns, rows))


FORMAT = click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table",
                      show_default=True, help="How to print the rows.")


@main.command()
@click.argument("name")
@click.option("--param", "-p", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A parameter of the query (repeatable); see `policykg queries`.")
@FORMAT
@store_options
def query(name, pairs, fmt, db, neo4j):
    """Run a named query (list them with `policykg queries`).

    Example: policykg query owners --param phrase=住院量占比

    Python: policykg.query(name, phrase=..., db=..., neo4j=...)
    """
    from .api import query_result
    columns, rows = query_result(name, db=db, neo4j=neo4j, **_params(pairs))
    _print_rows(columns, rows, fmt)


@main.command("sparql")
@click.argument("query")
@click.option("--rdf", type=click.Path(dir_okay=False, path_type=Path),
              help="An RDF file to ask (ttl, nt, jsonld, xml); default: the store's export.")
@click.option("--param", "-p", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A value for ?NAME (repeatable); a 文号 or title of one document is bound as its IRI.")
@FORMAT
@store_options
def sparql_cmd(query, rdf, pairs, fmt, db, neo4j):
    """Ask the graph in SPARQL: a named question with a SPARQL version (owners, trace-down, gaps; the
    same answers as `policykg query`) or your own SPARQL, over an exported file or the store.

    Example: policykg sparql owners --rdf graph.ttl --param phrase=住院量占比

    Python: policykg.sparql(query, rdf=None, db=..., neo4j=..., phrase=...)
    """
    from .api import sparql_result
    columns, rows = sparql_result(query, rdf=rdf, db=db, neo4j=neo4j, **_params(pairs))
    _print_rows(columns, rows, fmt)


@main.command()
@click.argument("text")
@click.option("--param", "-p", "pairs", multiple=True, metavar="NAME=VALUE",
              help="A parameter ($NAME in the query), passed to the engine as a parameter (repeatable).")
@click.option("--write", is_flag=True, help="Allow a query that changes the graph.")
@FORMAT
@store_options
def cypher(text, pairs, write, fmt, db, neo4j):
    """Run your own Cypher against the store; read-only unless --write.

    Example: policykg cypher "MATCH (d:Department)-[r:RESPONSIBLE_FOR]->(t:Task)
    RETURN d.name, count(t) AS tasks ORDER BY tasks DESC LIMIT 10"

    Python: policykg.cypher(text, params, db=..., neo4j=..., write=False)
    """
    from .api import cypher_result
    columns, rows = cypher_result(text, _params(pairs), db=db, neo4j=neo4j, write=write)
    _print_rows(columns, rows, fmt)


@main.command()
@click.argument("doc")
@click.option("--up", "direction", flag_value="up", help="Up to the directives it carries down.")
@click.option("--down", "direction", flag_value="down", default=True,
              help="Down to what carries it out (the default).")
@click.option("--depth", type=click.IntRange(1, 4), default=4, show_default=True, help="Levels to follow.")
@store_options
def trace(doc, direction, depth, db, neo4j):
    """The lineage of a document as a tree: DOC is its 文号 (any bracket style), title or id.

    Python: policykg.trace(doc, up=False, depth=4, db=..., neo4j=...)
    """
    from .api import trace as run_trace
    lines = run_trace(doc, up=direction == "up", depth=depth, db=db, neo4j=neo4j)
    _echo("\n".join(lines))


@main.command()
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The interactive page (HTML, opens offline). Default lineage.html unless only "
                   "--png/--svg is asked for.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path), help="A static picture (PNG).")
@click.option("--svg", type=click.Path(dir_okay=False, path_type=Path), help="A static picture (SVG, real text).")
@click.option("--view", "view_name", type=click.Choice(["cascade", "alignment", "coverage", "network"]),
              help="cascade (default): documents in level bands; alignment: one pair's tasks side by side; "
                   "coverage: a directive's tasks × the documents carrying it down; network: every node.")
@click.option("--trace", "trace_doc", metavar="DOC", help="One document's lineage (文号, title or id).")
@click.option("--align", nargs=2, metavar="PARENT CHILD", help="The alignment of a child document's tasks "
              "with its parent's (implies --view alignment).")
@click.option("--coverage", "coverage_doc", metavar="DOC", help="The coverage matrix of a directive "
              "(implies --view coverage).")
@click.option("--depth", type=click.IntRange(1, 4), default=3, show_default=True, help="Levels of the lineage.")
@click.option("--department", metavar="NAME", help="One department's portfolio (network view; any name it goes by).")
@store_options
def viz(out, png, svg, view_name, trace_doc, align, coverage_doc, depth, department, db, neo4j):
    """Draw the lineage: a self-contained interactive page and/or a static PNG/SVG.

    Python: policykg.visualize(out=..., png=..., svg=..., view=..., trace=..., align=(P, C), coverage=...,
    depth=3, department=..., db=..., neo4j=...)
    """
    from .api import visualize as run_viz
    chosen = [name for name, given in (("--trace", trace_doc), ("--department", department), ("--align", align),
                                       ("--coverage", coverage_doc)) if given]
    if len(chosen) > 1:
        _fail(f"{' and '.join(chosen)} draw different views; give one")
    result = run_viz(out=out, png=png, svg=svg, trace=trace_doc, depth=depth, department=department,
                     view=view_name, align=tuple(align) if align else None, coverage=coverage_doc,
                     db=db, neo4j=neo4j, progress=lambda line: click.echo(line, err=True))
    for path in result.written:
        _echo(f"wrote {path} ({result.description})")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Where to listen: the loopback interface unless you mean to share the store.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@store_options
def serve(host, port, db, neo4j):
    """A local explorer over the store in your browser: search by 文号, title, department or target
    words; the named queries with CSV download; the cascade, alignment and coverage views of any
    document, read from the store as you open them (never the whole graph).

    Python: policykg.serve(host="127.0.0.1", port=8765, db=..., neo4j=...)
    """
    from .api import serve as run_serve
    from .graph import StoreError
    from .viz.serve import LOOPBACK
    if host not in LOOPBACK:
        click.echo(f"policykg: warning: listening on {host}: anyone who can reach this machine can read the store",
                   err=True)
    try:
        run_serve(host, port, db=db, neo4j=neo4j,
                  on_ready=lambda url: click.echo(f"policykg explorer at {url} (Ctrl-C to stop)", err=True))
    except StoreError as error:
        _fail(str(error))
    except OSError as error:
        _fail(f"cannot listen on {host}:{port}: {error.strerror or error}")


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["ttl", "jsonld", "nt", "xml", "neo4j-admin"]), default="ttl",
              show_default=True,
              help="Turtle, JSON-LD, N-Triples or RDF/XML (Turtle and N-Triples stream to the file); "
                   "neo4j-admin: a folder of CSV files for Neo4j's bulk loader, with its command.")
@click.option("--base-iri", default="https://example.org/policy/", show_default=True,
              help="Where the IRIs of documents, tasks, departments… start; end it with / or #.")
@click.option("--out", type=click.Path(path_type=Path), required=True,
              help="The file to write (- for standard output); for neo4j-admin, the folder.")
@click.option("--validate", "check", is_flag=True, help="Check the export against ontology/shapes.ttl (SHACL).")
@click.option("--licence", metavar="IRI",
              help="The licence of the data, stated in the export's dataset description "
                   "(e.g. https://creativecommons.org/licenses/by/4.0/).")
@store_options
def export_rdf(fmt, base_iri, out, check, licence, db, neo4j):
    """Publish the graph as RDF with the policykg ontology (aligned with ELI, ORG, PROV-O, DCTERMS, SKOS).

    Python: policykg.export(out, fmt="ttl", base_iri=..., db=..., neo4j=..., check=False, licence=None)
    """
    from .api import export as run_export
    from .graph import StoreError
    if fmt == "neo4j-admin":
        if str(out) == "-" or out.is_file():
            _fail(f"{out}: --format neo4j-admin writes a folder of CSV files; give --out FOLDER")
        try:
            result = run_export(out, fmt, db=db, neo4j=neo4j)
        except (StoreError, OSError) as error:
            _fail(f"{out}: {getattr(error, 'strerror', None) or error}")
        _echo(f"wrote {out}: {sum(result['nodes'].values())} nodes, "
              f"{sum(result['relationships'].values())} relationships; load them with:")
        _echo(f"  cd {out} && {result['command']}")
        return
    if out.is_dir():
        _fail(f"{out}: is a folder; --format {fmt} writes one file")
    to_stdout = str(out) == "-"
    if to_stdout and check:
        _fail("--validate needs a file to read back; give --out FILE")
    if to_stdout:   # written to a file first (the writer renames it into place), then printed
        import tempfile
        with tempfile.TemporaryDirectory(prefix="policykg-export-") as folder:
            written = Path(folder) / f"graph.{fmt}"
            result = run_export(written, fmt, base_iri, db=db, neo4j=neo4j, licence=licence)
            with open(written, "rb") as f:
                import shutil
                shutil.copyfileobj(f, sys.stdout.buffer)
            sys.stdout.flush()
    else:
        result = run_export(out, fmt, base_iri, db=db, neo4j=neo4j, check=check, licence=licence,
                            progress=lambda line: _echo(f"  {line}", err=True))
    _echo(f"wrote {'standard output' if to_stdout else out} ({result['triples']} triples)", err=to_stdout)
    if check:
        if result["conforms"]:
            _echo("conforms to ontology/shapes.ttl")
        else:
            _echo(result["report"], err=True)
            _fail(f"{out}: does not conform to ontology/shapes.ttl")


@main.command("queries")
def list_queries():
    """List the named queries with their parameters and an example each.

    Python: policykg.queries.named_queries()
    """
    from .queries import named_queries
    for q in named_queries().values():
        _echo(f"{q.name}\n  {q.description}")
        for p in q.params:
            _echo(f"  --param {p.name}=<{p.type}>  {p.help}")
        _echo(f"  e.g. {q.usage()}\n")


@main.command("check")
@click.option("--repair", is_flag=True,
              help="Mend what is found: relink, or rebuild the store from its documents' files.")
@store_options
@click.option("--workers", type=click.IntRange(min=1), default=1,
              help="Processes for relinking and rebuilding (default 1).")
def check_store(repair, db, neo4j, workers):
    """Check a store's health: facts no document can give (a task in two documents, a department in
    two regions, an edge to nothing), derived links that differ from what the facts give, files
    of an interrupted write. Exit 1 if anything is wrong and not repaired.

    Python: policykg.check(db=..., neo4j=..., repair=False)
    """
    from .api import check as run_check
    report = run_check(db=db, neo4j=neo4j, repair=repair, workers=workers)
    _echo("\n".join(report.lines()))
    if not report.healthy:
        if report.problems and not repair:
            _echo("policykg: run `policykg check --repair` to mend it", err=True)
        sys.exit(1)


@main.command()
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), envvar="POLICYKG_DB",
              help="Embedded store file (default ./policykg.lbug, or $POLICYKG_DB).")
def demo(db):
    """Ingest the bundled sample documents into the embedded store and print the lineage of the
    document carried down furthest, as a tree.

    Python: policykg.demo(db=...)
    """
    from .api import demo as run_demo
    from .api import sample_paths
    with _progress(sample_paths(), "ingesting samples") as progress:
        lines = run_demo(db=db, progress=progress)
    for line in lines:
        _echo(line)


if __name__ == "__main__":
    main()
