"""The ontology, its SHACL shapes and the RDF export of the five seeds."""
import re
from pathlib import Path

import policykg
import pytest
from click.testing import CliRunner
from policykg import ontology as O
from policykg.cli import main
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from tests.conftest import SAMPLES

QINGHAI_2022 = "青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知"
HAIDONG = "东政办〔2023〕47号"
VOCABS = {"http://data.europa.eu/eli/ontology#": "eli", "http://www.w3.org/ns/org#": "org",
          "http://www.w3.org/ns/prov#": "prov", "http://purl.org/dc/terms/": "dcterms",
          "http://www.w3.org/2004/02/skos/core#": "skos", "http://rdfs.org/ns/void#": "void"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "seeds.lbug"
    assert policykg.ingest([SAMPLES], db=path).failed == []
    return path


@pytest.fixture(scope="module")
def exported(db, tmp_path_factory):
    out = tmp_path_factory.mktemp("rdf") / "seeds.ttl"
    result = policykg.export(out, "ttl", db=db)
    return out, result["triples"], Graph().parse(out)


def test_ontology_parses_and_every_term_is_labelled_in_both_languages():
    g = Graph().parse(O.ontology_path())
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    terms = [s for s in g.subjects(RDF.type, None)
             if str(s).startswith(str(O.PKG)) and any((s, RDF.type, k) in g for k in kinds)]
    assert len(set(terms)) >= 35
    for term in set(terms):
        langs = {label.language for label in g.objects(term, RDFS.label)}
        assert langs == {"zh", "en"}, term
        assert len(list(g.objects(term, RDFS.comment))) == 1, term


def _external_terms(*graphs):
    used = set()
    for g in graphs:
        for triple in g:
            for node in triple:
                if isinstance(node, URIRef):
                    for ns, prefix in VOCABS.items():
                        if str(node).startswith(ns):
                            used.add((prefix, str(node)[len(ns):]))
    return used


def test_every_aligned_external_term_exists_in_its_vocabulary(exported):
    used = _external_terms(Graph().parse(O.ontology_path()), Graph().parse(O.ontology_path("shapes.ttl")),
                           exported[2])
    known = {}
    for prefix in set(VOCABS.values()):
        lines = O.ontology_path(f"vocab/{prefix}.txt").read_text("utf-8").splitlines()
        known[prefix] = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    missing = sorted(f"{p}:{t}" for p, t in used if t not in known[p])
    assert missing == []
    # the ones this test exists for
    assert {("eli", "ensures_implementation_of"), ("eli", "cites"), ("eli", "repeals"), ("eli", "passed_by"),
            ("eli", "id_local"), ("eli", "date_document"), ("eli", "LegalResource"), ("org", "Organization"),
            ("prov", "wasDerivedFrom")} <= used
    assert ("eli", "implements") not in used      # deprecated in ELI 1.5


def test_export_of_the_seeds_conforms_to_the_shapes(exported):
    conforms, report = O.validate(exported[2])
    assert conforms, report


@pytest.mark.parametrize("breakage", ["task without document", "role outside the scheme", "value as text",
                                      "date as text"])
def test_a_broken_export_does_not_conform(exported, breakage):
    g = Graph()
    for t in exported[2]:
        g.add(t)
    task = next(g.subjects(RDF.type, O.PKG.Task))
    responsibility = next(g.subjects(RDF.type, O.PKG.Responsibility))
    target = next(g.subjects(RDF.type, O.PKG.Target))
    document = next(s for s in g.subjects(RDF.type, O.PKG.Document) if (s, O.PKG.date, None) in g)
    if breakage == "task without document":
        g.remove((task, O.PKG.partOf, None))
    elif breakage == "role outside the scheme":
        g.set((responsibility, O.PKG.role, O.PKG.boss))
    elif breakage == "value as text":
        g.set((target, O.PKG.value, Literal("七十")))
    else:
        g.set((document, O.PKG.date, Literal("2023年6月7日")))
    conforms, report = O.validate(g)
    assert not conforms and "Constraint Violation" in report


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml"])
def test_parsing_the_export_back_gives_the_same_triples(db, tmp_path, fmt):
    out = tmp_path / f"g.{fmt}"
    result = policykg.export(out, fmt, db=db)
    parsed = Graph().parse(out, format=O.FORMATS[fmt])
    assert len(parsed) == result["triples"] > 5000


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "xml"])
def test_streaming_in_small_batches_writes_the_same_graph(db, tmp_path, monkeypatch, fmt):
    G = policykg.read_graph(db)
    monkeypatch.setattr(O, "BATCH", 7)
    count = O.export(G, tmp_path / f"small.{fmt}", fmt)
    whole = O.to_graph(G)
    assert count == len(whole)
    assert isomorphic(Graph().parse(tmp_path / f"small.{fmt}", format=O.FORMATS[fmt]), whole)


def test_iris_are_stable_and_built_from_the_document_number(db, tmp_path, exported):
    policykg.export(tmp_path / "again.ttl", "ttl", db=db)
    assert (tmp_path / "again.ttl").read_bytes() == exported[0].read_bytes()
    doc = URIRef(O.DEFAULT_BASE + "document/" + HAIDONG)
    assert (doc, RDF.type, O.PKG.Document) in exported[2]
    assert (doc, O.PKG.docNumber, Literal(HAIDONG)) in exported[2]      # an identifier: no language tag
    task = URIRef(O.DEFAULT_BASE + "task/" + HAIDONG + "/一/（三）/11")
    assert (task, O.PKG.partOf, doc) in exported[2]


def test_inferred_links_carry_method_score_and_evidence(exported):
    g = exported[2]
    doc = URIRef(O.DEFAULT_BASE + "document/" + HAIDONG)
    links = list(g.objects(doc, O.PKG.qualifiedImplementation))
    assert len(links) == 1
    link = links[0]
    assert g.value(link, O.PKG.method) == Literal("inferred")
    assert 0.6 < float(g.value(link, O.PKG.score)) < 1
    assert "subject_similarity" in str(g.value(link, O.PKG.evidence))
    assert (doc, O.PKG.ensuresImplementationOf, None) not in g      # only stated links claim ELI's meaning
    stated = URIRef(O.DEFAULT_BASE + "document/明医改组〔2024〕4号")
    assert (stated, O.PKG.ensuresImplementationOf, URIRef(O.DEFAULT_BASE + "document/国办发〔2024〕29号")) in g


def test_each_fact_leads_back_to_its_source_file_and_span(exported):
    g = exported[2]
    task = URIRef(O.DEFAULT_BASE + "task/" + HAIDONG + "/一/（三）/11")
    source = Path(str(g.value(task, O.PKG.sourceFile)))
    assert source.name == "000_688cda0958d2e220.txt"
    start, end = int(g.value(task, O.PKG.spanStart)), int(g.value(task, O.PKG.spanEnd))
    text = source.read_text("utf-8")
    assert "推进医疗服务价格改革" in text[start:end]
    drift = [t for t in g.subjects(RDF.type, O.PKG.ImplementationLink) if g.value(t, O.PKG.change)]
    assert "35% → 45%" in {str(g.value(t, O.PKG.change)) for t in drift}


def _doc_iri(G, name):
    [n] = [n for n, d in G.nodes(data=True) if d["label"] == "Document" and name in (d["doc_number"], d["title"])]
    return O.node_iri(O.DEFAULT_BASE, n)


def test_sparql_answers_match_the_cypher_named_queries(db, exported):
    g = exported[2]
    G = policykg.read_graph(db)
    cypher = policykg.query("owners", db=db, phrase="住院量占比")
    sparql = O.run_sparql(g, "owners", phrase="住院量占比")
    key = ("department", "role", "document", "task")
    assert sorted(tuple(r[k] for k in key) for r in sparql) == sorted(tuple(r[k] for k in key) for r in cypher)
    assert sparql

    cypher = policykg.query("trace-down", db=db, doc=QINGHAI_2022)
    sparql = O.run_sparql(g, "trace-down", root=_doc_iri(G, QINGHAI_2022))
    key = ("parent_document", "child_document", "method", "parent_task", "child_task")
    assert sorted(tuple(r[k] for k in key) for r in sparql) == sorted(tuple(r[k] for k in key) for r in cypher)

    cypher = policykg.query("gaps", db=db, parent=QINGHAI_2022, child=HAIDONG)
    for child in (_doc_iri(G, HAIDONG), Literal("海东市")):
        sparql = O.run_sparql(g, "gaps", parent=_doc_iri(G, QINGHAI_2022), child=child)
        assert sorted(r["task"] for r in sparql) == sorted(r["task"] for r in cypher) and sparql


def test_cli_export_validates_and_refuses_a_bad_base(db, tmp_path):
    out = tmp_path / "g.nt"
    result = CliRunner().invoke(main, ["export", "--format", "nt", "--out", str(out), "--validate", "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert re.match(r"wrote .*g\.nt \(\d+ triples\)\nconforms to ontology/shapes\.ttl\n", result.output)
    bad = CliRunner().invoke(main, ["export", "--out", str(tmp_path / "x.ttl"), "--base-iri", "https://x.org/p",
                                    "--db", str(db)])
    assert bad.exit_code == 1
    assert bad.stderr == "policykg: error: base IRI 'https://x.org/p' must end with / or #\n"
    assert not (tmp_path / "x.ttl").exists()


@pytest.mark.parametrize("fmt", ["xml", "ttl", "nt", "jsonld"])
def test_a_control_character_in_the_store_still_gives_well_formed_rdf(db, tmp_path, fmt):
    """Text that reached a store another way than the readers (which turn control characters into
    spaces): RDF/XML cannot hold U+001B even escaped."""
    import xml.dom.minidom
    G = policykg.read_graph(db)
    doc = next(n for n, d in G.nodes(data=True) if d["label"] == "Document" and d.get("title"))
    G.nodes[doc]["title"] = "标题\x1b[31m含控制字符\x00"
    out = tmp_path / f"g.{fmt}"
    count = O.export(G, out, fmt)
    if fmt == "xml":
        xml.dom.minidom.parse(str(out))          # a strict XML parser: well-formed
    parsed = Graph().parse(out, format=O.FORMATS[fmt])
    assert len(parsed) == count
    titles = {str(o) for o in parsed.objects(O.node_iri(O.DEFAULT_BASE, doc), O.PKG.title)}
    assert titles == {"标题\ufffd[31m含控制字符\ufffd"}


def test_an_eli_consumer_finds_elis_terms_in_the_data_itself(exported):
    """No reasoner, no ontology: what a consumer who knows ELI, ORG and SKOS reads straight off the file."""
    from rdflib.namespace import DCTERMS, SKOS
    g = exported[2]
    doc = URIRef(O.DEFAULT_BASE + "document/" + HAIDONG)
    ORG = O.ORG
    assert (doc, RDF.type, O.ELI.LegalResource) in g
    assert (doc, O.ELI.id_local, Literal(HAIDONG)) in g
    assert (doc, O.ELI.date_document, Literal("2023-06-07", datatype=URIRef("http://www.w3.org/2001/XMLSchema#date"))) in g
    assert any(True for _ in g.objects(doc, O.ELI.title))
    [issuer] = g.objects(doc, O.ELI.passed_by)
    assert (issuer, RDF.type, ORG.Organization) in g
    assert set(g.objects(doc, O.ELI.cites)) == set(g.objects(doc, O.PKG.cites)) and set(g.objects(doc, O.ELI.cites))
    sanming = URIRef(O.DEFAULT_BASE + "document/明医改组〔2024〕4号")       # carries 国办发〔2024〕29号 down
    national = URIRef(O.DEFAULT_BASE + "document/国办发〔2024〕29号")
    assert (sanming, O.ELI.based_on, national) in g and (sanming, O.ELI.ensures_implementation_of, national) in g
    assert set(g.objects(sanming, O.ELI.based_on)) <= set(g.objects(sanming, O.ELI.cites))
    task = URIRef(O.DEFAULT_BASE + "task/" + HAIDONG + "/一/（三）/11")
    assert (task, RDF.type, O.ELI.LegalResourceSubdivision) in g
    assert (task, O.ELI.is_part_of, doc) in g and (doc, O.ELI.has_part, task) in g
    [region] = g.objects(doc, DCTERMS.spatial)
    assert (region, RDF.type, SKOS.Concept) in g and any(True for _ in g.objects(region, SKOS.broader))
    # every department and collective body is an org:Organization
    for dept in set(g.subjects(RDF.type, O.PKG.Department)) | set(g.subjects(RDF.type, O.PKG.CollectiveBody)):
        assert (dept, RDF.type, ORG.Organization) in g


def test_the_export_file_alone_conforms_to_the_shapes_as_any_validator_runs_them(exported):
    import pyshacl
    shapes = Graph().parse(O.ontology_path("shapes.ttl"))
    conforms, _, text = pyshacl.validate(Graph().parse(exported[0]), shacl_graph=shapes, inference="none")
    assert conforms, text


@pytest.mark.parametrize("fmt,mime", [("ttl", "text/turtle"), ("nt", "application/n-triples"),
                                      ("xml", "application/rdf+xml"), ("jsonld", "application/ld+json")])
def test_every_format_parses_in_a_strict_second_parser(db, tmp_path, fmt, mime):
    """pyoxigraph (Oxigraph's parsers) refuses what rdflib lets pass: bad IRIs, ill-formed literals."""
    import pyoxigraph
    out = tmp_path / f"g.{fmt}"
    result = policykg.export(out, fmt, db=db)
    with open(out, "rb") as f:
        parsed = list(pyoxigraph.parse(f, pyoxigraph.RdfFormat.from_media_type(mime)))
    assert len(set(parsed)) == result["triples"]


def test_json_ld_is_compact_with_policykgs_context_and_reads_back_the_same(db, tmp_path, exported):
    import json
    out = tmp_path / "g.jsonld"
    policykg.export(out, "jsonld", db=db)
    data = json.loads(out.read_text("utf-8"))
    assert data["@context"] == O.jsonld_context()
    keys = {k for node in data["@graph"] for k in node}
    assert not {k for k in keys if k.startswith("http")}, keys       # every key short or prefixed
    doc = next(n for n in data["@graph"] if n["id"].endswith("document/" + HAIDONG))
    assert doc["docNumber"] == HAIDONG and "Document" in doc["type"] and doc["title"].startswith("海东市")
    assert isomorphic(Graph().parse(out, format="json-ld"), exported[2])


def test_every_export_says_what_it_is(db, tmp_path):
    from rdflib.namespace import DCTERMS, XSD
    VOID = O.VOID
    out = tmp_path / "g.ttl"
    result = policykg.export(out, "ttl", db=db, licence="https://creativecommons.org/licenses/by/4.0/")
    g = Graph().parse(out)
    assert len(g) == result["triples"]
    [ds] = g.subjects(RDF.type, VOID.Dataset)
    assert (ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")) in g
    assert str(next(g.objects(ds, DCTERMS.creator))) == f"policykg {policykg.__version__}"
    assert next(g.objects(ds, DCTERMS.issued)).datatype == XSD.date
    G = policykg.read_graph(db)
    sources = {d["source"] for _, d in G.nodes(data=True) if d["label"] == "Document" and d.get("source")}
    assert {str(s) for s in g.objects(ds, O.PKG.sourceFile)} == sources and len(sources) == 5
    counts = {str(next(g.objects(p, VOID["class"]))).rpartition("#")[2]: int(next(g.objects(p, VOID.entities)))
              for p in g.objects(ds, VOID.classPartition)}
    assert counts == {label: sum(1 for _, d in G.nodes(data=True) if d["label"] == label)
                      for label in ("Department", "Document", "Region", "Target", "Task")}


def test_the_sparql_verb_answers_named_questions_over_a_file_or_the_store(db, exported):
    from policykg.queries import QueryError
    by_file = policykg.sparql("owners", rdf=exported[0], phrase="住院量占比")
    assert by_file == policykg.sparql("owners", db=db, phrase="住院量占比") and by_file
    cypher = policykg.query("owners", db=db, phrase="住院量占比")
    assert sorted((r["department"], r["role"], r["task"]) for r in by_file) == \
        sorted((r["department"], r["role"], r["task"]) for r in cypher)
    # a document parameter given by its 文号 or title, as to `policykg query`
    down = policykg.sparql("trace-down", rdf=exported[0], root=QINGHAI_2022)
    assert {r["child_document"] for r in down} == {HAIDONG}
    [row] = policykg.sparql("SELECT (COUNT(?d) AS ?n) WHERE { ?d a <http://data.europa.eu/eli/ontology#LegalResource> }",
                            rdf=exported[0])
    assert row["n"] == sum(1 for _, d in policykg.read_graph(db).nodes(data=True) if d["label"] == "Document")
    with pytest.raises(QueryError, match=r"uses \?phrase but no value"):
        policykg.sparql("owners", rdf=exported[0])
    with pytest.raises(QueryError, match="neither a named SPARQL question"):
        policykg.sparql("ownres", rdf=exported[0])
    result = CliRunner().invoke(main, ["sparql", "owners", "--rdf", str(exported[0]), "--param", "phrase=住院量占比",
                                       "--format", "json"])
    assert result.exit_code == 0 and len(__import__("json").loads(result.output)) == len(by_file)


@pytest.mark.parametrize("name,params,key", [
    ("cites", {"doc": "明医改组〔2024〕4号"}, ("cited", "basis", "placeholder")),
    ("cited-by", {"doc": "国办发〔2024〕29号"}, ("citing", "level", "date", "basis")),
    ("trace-up", {"doc": HAIDONG}, ("document", "implemented_by", "method")),
    ("target-drift", {"phrase": ""}, ("parent_document", "parent_task", "parent_value", "child_document",
                                      "child_task", "child_value", "unit", "change")),
    ("portfolio", {"department": "海东市卫生健康委员会"}, ("department", "role", "document", "task")),
    ("owners", {"phrase": "住院量占比"}, ("department", "role", "document", "task")),
    ("stats", {}, ("kind", "key", "count")),
])
def test_every_sparql_version_answers_what_its_cypher_query_answers(db, exported, name, params, key):
    cypher = policykg.query(name, db=db, **params)
    sparql = policykg.sparql(name, rdf=exported[0], **params)
    row = lambda r: tuple(r[k] for k in key)
    assert sorted(map(row, sparql), key=str) == sorted(map(row, cypher), key=str) and sparql


@pytest.mark.parametrize("fmt", ["nt", "ttl"])
def test_a_long_export_shows_its_progress(db, tmp_path, monkeypatch, fmt):
    monkeypatch.setattr(O, "BATCH", 10)        # 401 nodes: more than ten batches of 10
    lines = []
    policykg.export(tmp_path / f"g.{fmt}", fmt, db=db, progress=lines.append)
    assert 5 <= len(lines) <= 12 and lines[-1].startswith("401 of 401 nodes")


def test_the_export_of_a_synthetic_cascade_alone_conforms_to_the_shapes(tmp_path):
    """Beyond the seeds: the benchmark's generated cascade (national, provinces, cities, counties over
    two years), exported and validated as a file alone, shapes only, no inference."""
    import sys

    import pyshacl

    from tests.conftest import ROOT
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_corpus
    make_corpus.make(2, 2, 2, 2, seed=5, out=tmp_path / "corpus")
    db = tmp_path / "synthetic.lbug"
    assert policykg.ingest([tmp_path / "corpus"], db=db).failed == []
    out = tmp_path / "synthetic.ttl"
    result = policykg.export(out, "ttl", db=db)
    data = Graph().parse(out)
    assert len(data) == result["triples"] and len(set(data.subjects(RDF.type, O.PKG.Document))) >= 20
    conforms, _, text = pyshacl.validate(data, shacl_graph=Graph().parse(O.ontology_path("shapes.ttl")),
                                         inference="none")
    assert conforms, text
