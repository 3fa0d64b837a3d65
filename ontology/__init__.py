"""Publishing the lineage graph as linked data: the policykg ontology (policykg.ttl), SHACL shapes
(shapes.ttl), an RDF export with stable IRIs, SPARQL versions of the named questions (sparql/).

The export streams: every format is written a batch of nodes at a time, so a big graph is never
held twice in memory (once as networkx, once as RDF).
"""
from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path
from urllib.parse import quote

import networkx as nx
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, PROV, SKOS

from ..errors import ExportError
from ..graph import ids

PKG = Namespace("https://w3id.org/policykg/ontology#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
ORG = Namespace("http://www.w3.org/ns/org#")
VOID = Namespace("http://rdfs.org/ns/void#")
DEFAULT_BASE = "https://example.org/policy/"
FORMATS = {"ttl": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
BATCH = 2000     # nodes per streamed batch
LEVELS = {"national", "province", "city", "county"}
ROLES = {"lead", "responsible", "cooperate"}
# characters an IRI path segment may hold as they are; everything else ASCII is %-encoded, and
# Chinese stays readable (IRIs allow it, RFC 3987)
_SAFE = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:")


def ontology_path(name: str = "policykg.ttl") -> Path:
    return Path(str(resources.files("policykg.ontology") / name))


def _segment(text: str) -> str:
    return "".join(ch if ch in _SAFE or ord(ch) > 127 else quote(ch, safe="") for ch in text)


def node_iri(base: str, node_id: str) -> URIRef:
    """Stable IRIs from the graph's stable ids: the normalised 文号 where there is one.
    doc:n:青政办〔2023〕73号 -> <base>document/青政办〔2023〕73号;
    task:n:青政办〔2023〕73号#一/（一） -> <base>task/青政办〔2023〕73号/一/（一）."""
    try:
        parsed = ids.parse(node_id)
    except ValueError:
        raise ExportError(f"no IRI scheme for node id {node_id!r}") from None
    if parsed.kind in ("doc", "task", "target"):
        parts = ([] if parsed.form == "n" else ["title" if parsed.form == "t" else "source"]) + [parsed.key or ""]
        parts += list(parsed.path) + ([str(parsed.number)] if parsed.number is not None else [])
        folder = {"doc": "document", "task": "task", "target": "target"}[parsed.kind]
    elif parsed.kind == "dept":
        folder, parts = "department", list(parsed.path) + [parsed.name or ""]
    else:
        folder, parts = "region", list(parsed.path)
    return URIRef(base + folder + "/" + "/".join(_segment(p) for p in parts))


def _hashed(base: str, folder: str, *parts: str) -> URIRef:
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]
    return URIRef(f"{base}{folder}/{digest}")


def _zh(value) -> Literal | None:
    return Literal(str(value), lang="zh") if value not in (None, "") else None


def _provenance(s, d: dict):
    if d.get("source"):
        yield s, PKG.sourceFile, Literal(d["source"])
    if d.get("span_start") is not None:
        yield s, PKG.spanStart, Literal(int(d["span_start"]), datatype=XSD.integer)
    if d.get("span_end") is not None:
        yield s, PKG.spanEnd, Literal(int(d["span_end"]), datatype=XSD.integer)


def _decimal(value) -> Literal:
    return Literal(Decimal(str(value)), datatype=XSD.decimal)


# graph edges that are one triple each
PLAIN_RELS = {"PART_OF": PKG.partOf, "HAS_TARGET": PKG.hasTarget, "CITES": PKG.cites, "REPEALS": PKG.repeals,
              "ISSUED_BY": PKG.issuedBy, "IN_REGION": PKG.inRegion, "WITHIN": PKG.within}


# …and the ELI, DCTERMS and SKOS terms that say the same of them
ELI_ALSO = {("Document", "CITES"): (ELI.cites,), ("Document", "REPEALS"): (ELI.repeals,),
            ("Document", "ISSUED_BY"): (ELI.passed_by,), ("Document", "IN_REGION"): (DCTERMS.spatial,),
            ("Task", "PART_OF"): (ELI.is_part_of,), ("Region", "WITHIN"): (SKOS.broader,)}


def _node_triples(G: nx.MultiDiGraph, n: str, base: str) -> Iterator[tuple]:
    """Every triple about one node and the edges leaving it."""
    d = G.nodes[n]
    s = node_iri(base, n)
    label = d["label"]
    out = [(v, k, e) for _, v, k, e in G.out_edges(n, keys=True, data=True)]
    if label == "Document":
        # ELI's terms beside ours, in the data itself, so that a consumer who knows ELI and runs no
        # reasoner finds them; a 文号 is an identifier, not Chinese prose: no language tag
        yield s, RDF.type, PKG.Document
        yield s, RDF.type, ELI.LegalResource
        number = Literal(d["doc_number"]) if d.get("doc_number") else None
        for p, v in ((PKG.docNumber, number), (ELI.id_local, number), (PKG.title, _zh(d.get("title"))),
                     (ELI.title, _zh(d.get("title"))), (DCTERMS.alternative, _zh(d.get("attachment_title")))):
            if v is not None:
                yield s, p, v
        date = d.get("date")
        if date and len(date) == 10:
            yield s, PKG.date, Literal(date, datatype=XSD.date)
            yield s, ELI.date_document, Literal(date, datatype=XSD.date)
        if d.get("level") in LEVELS:
            yield s, PKG.level, PKG[d["level"]]
        yield s, PKG.placeholder, Literal(bool(d.get("placeholder")))
        yield from _provenance(s, d)
    elif label == "Task":
        yield s, RDF.type, PKG.Task
        yield s, RDF.type, ELI.LegalResourceSubdivision
        yield s, PKG.path, Literal(d["path"])
        for p, v in ((PKG.title, _zh(d.get("title"))), (PKG.text, _zh(d.get("text"))),
                     (PKG.deadline, _zh(d.get("deadline")))):
            if v is not None:
                yield s, p, v
        yield from _provenance(s, d)
    elif label == "Target":
        yield s, RDF.type, PKG.Target
        yield s, PKG.value, _decimal(d["value"])
        for p, v in ((PKG.text, _zh(d.get("text"))), (PKG.deadline, _zh(d.get("by")))):
            if v is not None:
                yield s, p, v
        if d.get("unit"):
            yield s, PKG.unit, Literal(d["unit"])
        if d.get("comparator"):
            yield s, PKG.comparator, Literal(d["comparator"])
        yield from _provenance(s, d)
    elif label == "Department":
        # a collective body (各县区政府) is a department of its kind, said in the data so that the
        # shapes hold on the file alone, without the ontology's subclass axiom
        yield s, RDF.type, PKG.Department
        yield s, RDF.type, ORG.Organization
        if d.get("collective"):
            yield s, RDF.type, PKG.CollectiveBody
        yield s, PKG.name, _zh(d["name"])
        if d.get("full_name"):
            yield s, RDFS.label, _zh(d["full_name"])
        if d.get("level") in LEVELS:
            yield s, PKG.level, PKG[d["level"]]
    elif label == "Region":
        yield s, RDF.type, PKG.Region
        yield s, RDF.type, SKOS.Concept
        yield s, PKG.name, _zh(d["name"])
        yield s, SKOS.prefLabel, _zh(d["name"])
        if d.get("level") in LEVELS:
            yield s, PKG.level, PKG[d["level"]]
    for v, rel, e in out:
        o = node_iri(base, v)
        if rel in PLAIN_RELS:
            yield s, PLAIN_RELS[rel], o
            for term in ELI_ALSO.get((label, rel), ()):
                yield s, term, o
            if rel == "PART_OF":
                yield o, ELI.has_part, s
            if rel == "CITES" and e.get("basis"):
                yield s, ELI.based_on, o
        elif rel == "RESPONSIBLE_FOR":
            yield s, PKG.responsibleFor, o
            r = _hashed(base, "responsibility", n, v)
            yield r, RDF.type, PKG.Responsibility
            yield r, PKG.department, s
            yield r, PKG.task, o
            if e.get("role") in ROLES:
                yield r, PKG.role, PKG[e["role"]]
            if e.get("printed"):
                yield r, RDFS.label, _zh(e["printed"])
            yield from _provenance(r, e)
        elif rel in ("IMPLEMENTS", "DERIVED_FROM"):
            yield s, PKG.implements if rel == "IMPLEMENTS" else PKG.derivedFrom, o
            if rel == "IMPLEMENTS" and e.get("method") == "stated" and label == "Document":
                yield s, PKG.ensuresImplementationOf, o
                yield s, ELI.ensures_implementation_of, o
            link = _hashed(base, "link", n, v, rel)
            yield s, PKG.qualifiedImplementation, link
            yield link, RDF.type, PKG.ImplementationLink
            yield link, PROV.entity, o
            if e.get("method"):
                yield link, PKG.method, Literal(e["method"])
            if e.get("score") is not None:
                yield link, PKG.score, _decimal(e["score"])
            if e.get("evidence"):
                yield link, PKG.evidence, Literal(e["evidence"])
            if e.get("change"):
                yield link, PKG.change, Literal(e["change"])
            yield from _provenance(link, e)


def triples(G: nx.MultiDiGraph, base: str = DEFAULT_BASE, licence: str | None = None) -> Iterator[tuple]:
    for n in sorted(G.nodes):
        yield from node_triples(G, n, base)
    yield from dataset_triples(G, base, licence)


def dataset_triples(G: nx.MultiDiGraph, base: str = DEFAULT_BASE, licence: str | None = None) -> Iterator[tuple]:
    """What the file is, for a repository that receives it (VoID): title, the tool and version that
    wrote it, the day, the licence when given, the source files, and how many of each kind it holds."""
    import datetime
    from collections import Counter

    from .. import __version__
    ds = URIRef(base + "dataset")
    yield ds, RDF.type, VOID.Dataset
    yield ds, DCTERMS.title, Literal("policykg lineage graph", lang="en")
    yield ds, DCTERMS.creator, Literal(f"policykg {__version__}")
    # the day, not the time: two exports of one store on one day are the same file
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    day = (datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date() if epoch
           else datetime.date.today())
    yield ds, DCTERMS.issued, Literal(day.isoformat(), datatype=XSD.date)
    if licence:
        yield ds, DCTERMS.license, URIRef(licence)
    for source in sorted({d["source"] for _, d in G.nodes(data=True)
                          if d.get("label") == "Document" and d.get("source")}):
        yield ds, PKG.sourceFile, Literal(source)
    yield ds, VOID.entities, Literal(G.number_of_nodes(), datatype=XSD.integer)
    for label, count in sorted(Counter(d["label"] for _, d in G.nodes(data=True)).items()):
        part = URIRef(f"{base}dataset/{label}")
        yield ds, VOID.classPartition, part
        yield part, VOID["class"], PKG[label]
        yield part, VOID.entities, Literal(count, datatype=XSD.integer)


def node_triples(G: nx.MultiDiGraph, n: str, base: str) -> Iterator[tuple]:
    """The triples of one node and its outgoing edges, every literal one XML can hold."""
    for s, p, o in _node_triples(G, n, base):
        if isinstance(o, Literal) and isinstance(o.value, str) and _NOT_XML.search(o):
            o = Literal(_NOT_XML.sub("\ufffd", o), lang=o.language, datatype=o.datatype)
        yield s, p, o


# Characters XML 1.0 cannot hold even escaped: RDF/XML with one of them is ill-formed, so every
# format gets U+FFFD in their place and all formats say the same. (The readers already turn
# control characters into spaces; this covers text that reached a store another way.)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


_TURTLE_PREFIXES = ("pkg", "eli", "prov", "dcterms", "skos", "org", "void", "xsd", "rdf", "rdfs", "owl")


def _bind(g: Graph) -> Graph:
    for prefix, ns in (("pkg", PKG), ("eli", ELI), ("prov", PROV), ("dcterms", DCTERMS), ("skos", SKOS),
                       ("org", ORG), ("void", VOID), ("xsd", XSD)):
        g.bind(prefix, ns)
    return g


def to_graph(G: nx.MultiDiGraph, base: str = DEFAULT_BASE, licence: str | None = None) -> Graph:
    g = _bind(Graph())
    for t in triples(G, base, licence):
        g.add(t)
    return g


def export(G: nx.MultiDiGraph, out: str | os.PathLike, fmt: str = "ttl", base: str = DEFAULT_BASE,
           licence: str | None = None, progress=None) -> int:
    """Write G as RDF with its dataset description; returns the number of triples written.
    Every format streams."""
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if not base.endswith(("/", "#")):
        raise ExportError(f"base IRI {base!r} must end with / or #")
    out = Path(out)
    tmp = out.with_name(out.name + ".part")
    count = 0
    nodes = sorted(G.nodes)
    shown = 0

    def report(done: int) -> None:
        # a tenth at a time, for an export long enough to wait for (more than ten batches)
        nonlocal shown
        if progress and len(nodes) > 10 * BATCH and (done == len(nodes) or done * 10 // len(nodes) > shown):
            shown = done * 10 // max(1, len(nodes))
            progress(f"{done:,} of {len(nodes):,} nodes, {count:,} triples")

    writer = _WRITERS[fmt]
    with open(tmp, "w", encoding="utf-8") as f:
        stream = writer(f)
        for i, n in enumerate(nodes, 1):
            for t in node_triples(G, n, base):
                stream.triple(t)
                count += 1
            if i % BATCH == 0:
                stream.batch_done()
                report(i)
        for t in dataset_triples(G, base, licence):
            stream.triple(t)
            count += 1
        stream.close()
    report(len(nodes))
    tmp.replace(out)
    return count


# a local name RDF/XML can write as an element name (an XML NCName, ASCII as the export's are)
_NCNAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*")


class _Stream:
    """One format's writer, fed the export's triples as they are generated: `triple` for each,
    `batch_done` after each batch of nodes, `close` at the end."""

    def __init__(self, f):
        self.f = f

    def triple(self, t) -> None:
        raise NotImplementedError

    def batch_done(self) -> None:
        pass

    def close(self) -> None:
        pass


class _NTriples(_Stream):
    """rdflib's own N-Triples row writer (what its NTSerializer calls), fed straight from the
    generator: building an rdflib Graph per batch only to serialize it cost three quarters of the
    time (benchmarks/export_speed.md)."""

    def __init__(self, f):
        from rdflib.plugins.serializers.nt import _nt_row
        super().__init__(f)
        self.row = _nt_row

    def triple(self, t) -> None:
        self.f.write(self.row(t))


class _Turtle(_Stream):
    """The prefixes once, then each subject's triples as one statement (s p o ; p o .), every term
    written by rdflib itself (Node.n3 with the bound prefixes, which falls back to <iri> where a
    prefixed name would not be valid). rdflib's Turtle serializer took 71% of a big export
    (benchmarks/export_speed.md)."""

    def __init__(self, f):
        super().__init__(f)
        self.nsm = _bind(Graph()).namespace_manager
        for prefix, ns in self.nsm.namespaces():
            if prefix in _TURTLE_PREFIXES:
                f.write(f"@prefix {prefix}: <{ns}> .\n")
        f.write("\n")
        self.subject = None

    def triple(self, t) -> None:
        s, p, o = t
        nsm = self.nsm
        if s == self.subject:
            self.f.write(f" ;\n    {p.n3(nsm)} {o.n3(nsm)}")
        else:
            self.f.write(f"{' .' + chr(10) if self.subject is not None else ''}{s.n3(nsm)} {p.n3(nsm)} {o.n3(nsm)}")
            self.subject = s

    def close(self) -> None:
        if self.subject is not None:
            self.f.write(" .\n")


class _JsonLd(_Stream):
    """Compact, with policykg's context (ontology/context.jsonld) inline so the file reads alone:
    "title": "…" for pkg:title in Chinese, "partOf": "<iri>", prefixed ELI terms. One "@graph"
    array, written a batch of nodes at a time: each triple goes through rdflib's own JSON-LD
    converter (Converter.add_to_node, which its serializer calls for every triple) into the node
    object of its subject. The whole graph in memory took 1,988 MB for 1.09 M triples, and a Graph
    per batch spent half the time indexing triples that are read once. The export holds no blank
    nodes and no RDF lists, the only things that converter looks up in the graph, so it is handed
    an empty one. A subject split over two batches gives two node objects with one "@id", which
    JSON-LD merges on reading."""

    def __init__(self, f):
        import json

        from rdflib.plugins.serializers.jsonld import Converter
        from rdflib.plugins.shared.jsonld.context import Context
        super().__init__(f)
        self.json = json
        context_data = jsonld_context()
        self.converter = Converter(Context(context_data), use_native_types=True, use_rdf_type=False)
        self.empty = Graph()
        self.first = True
        self.batch: dict = {}
        f.write('{"@context": ' + json.dumps(context_data, ensure_ascii=False, indent=1) + ',\n"@graph": [')

    def triple(self, t) -> None:
        s, p, o = t
        obj = self.batch.get(s)
        if obj is None:
            context = self.converter.context
            obj = self.batch[s] = {context.id_key: context.shrink_iri(s)}
        self.converter.add_to_node(self.empty, s, p, o, obj, {})

    def batch_done(self) -> None:
        for obj in self.batch.values():
            self.f.write(("\n" if self.first else ",\n") + self.json.dumps(obj, ensure_ascii=False, sort_keys=True))
            self.first = False
        self.batch.clear()

    def close(self) -> None:
        self.batch_done()
        self.f.write("\n]}\n")


class _RdfXml(_Stream):
    """The namespaces once, then one rdf:Description per run of a subject's triples, each property
    by its prefixed name (every predicate the export writes is in a bound namespace), an IRI as
    rdf:resource, a literal with its xml:lang or rdf:datatype. rdflib's serializer builds the whole
    graph in memory first."""

    def __init__(self, f):
        from xml.sax.saxutils import escape, quoteattr
        super().__init__(f)
        self.escape, self.quoteattr = escape, quoteattr
        nsm = _bind(Graph()).namespace_manager
        self.spaces = sorted(((str(ns), prefix) for prefix, ns in nsm.namespaces() if prefix in _TURTLE_PREFIXES),
                             key=lambda pair: -len(pair[0]))
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF'
                + "".join(f"\n  xmlns:{prefix}={quoteattr(ns)}" for ns, prefix in sorted(self.spaces, key=lambda x: x[1]))
                + ">\n")
        self.subject = None

    def _element(self, iri: str) -> str:
        for ns, prefix in self.spaces:
            if iri.startswith(ns) and _NCNAME.fullmatch(iri[len(ns):]):
                return f"{prefix}:{iri[len(ns):]}"
        raise ExportError(f"no prefixed name for the property {iri} (RDF/XML needs one)")

    def triple(self, t) -> None:
        s, p, o = t
        quoteattr = self.quoteattr
        if s != self.subject:
            if self.subject is not None:
                self.f.write("  </rdf:Description>\n")
            self.f.write(f"  <rdf:Description rdf:about={quoteattr(str(s))}>\n")
            self.subject = s
        name = self._element(str(p))
        if isinstance(o, Literal):
            attrs = (f" xml:lang={quoteattr(o.language)}" if o.language
                     else f" rdf:datatype={quoteattr(str(o.datatype))}" if o.datatype else "")
            self.f.write(f"    <{name}{attrs}>{self.escape(str(o))}</{name}>\n")
        else:
            self.f.write(f"    <{name} rdf:resource={quoteattr(str(o))}/>\n")

    def close(self) -> None:
        if self.subject is not None:
            self.f.write("  </rdf:Description>\n")
        self.f.write("</rdf:RDF>\n")


_WRITERS: dict[str, type[_Stream]] = {"nt": _NTriples, "ttl": _Turtle, "jsonld": _JsonLd, "xml": _RdfXml}


def jsonld_context() -> dict:
    """policykg's JSON-LD @context: short keys for its terms, prefixes for the others."""
    import json
    return json.loads(ontology_path("context.jsonld").read_text(encoding="utf-8"))["@context"]


def validate(data: Graph | str | os.PathLike, fmt: str | None = None) -> tuple[bool, str]:
    """SHACL validation of an export against shapes.ttl, on the file alone: no ontology merged in
    and no inference, as any validator a publisher hands the file to would run it."""
    import pyshacl
    if not isinstance(data, Graph):
        data = Graph().parse(str(data), format=FORMATS.get(fmt or Path(str(data)).suffix.lstrip("."), None))
    shapes = Graph().parse(ontology_path("shapes.ttl"))
    conforms, _, text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=False)
    return bool(conforms), text


def sparql(name: str) -> str:
    return (resources.files("policykg.ontology") / "sparql" / f"{name}.rq").read_text(encoding="utf-8")


def sparql_names() -> list[str]:
    """The named questions with a SPARQL version (ontology/sparql/NAME.rq)."""
    return sorted(p.name[:-3] for p in resources.files("policykg.ontology").joinpath("sparql").iterdir()
                  if p.name.endswith(".rq"))


def sparql_params(text: str) -> list[str]:
    """The variables a query's first comment line says it is given (# owners: … ?phrase)."""
    first = text.lstrip().splitlines()[0] if text.strip() else ""
    return list(dict.fromkeys(re.findall(r"\?(\w+)", first))) if first.startswith("#") else []


def python_value(node):
    """A SPARQL answer's value in Python: a literal's value, an IRI or blank node as its text."""
    if node is None:
        return None
    return node.toPython() if isinstance(node, Literal) else str(node)


def run_sparql(g: Graph, name: str, **bindings) -> list[dict]:
    """Run a SPARQL version of a named question with its variables bound (never pasted in)."""
    result = g.query(sparql(name), initBindings={k: v if isinstance(v, (URIRef, Literal)) else Literal(v)
                                                  for k, v in bindings.items()})
    return [{str(k): python_value(row.get(k)) for k in result.vars or ()} for row in result.bindings]


__all__ = [
    "DEFAULT_BASE",
    "ELI",
    "FORMATS",
    "PKG",
    "ExportError",
    "export",
    "node_iri",
    "run_sparql",
    "sparql",
    "sparql_names",
    "sparql_params",
    "to_graph",
    "triples",
    "validate",
]
