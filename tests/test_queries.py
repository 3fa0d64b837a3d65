"""Every named query, run on the embedded store built from the five seeds, gives the answer the graph
holds (checked against the networkx form of the same graph), and passes Neo4j's Cypher linter."""
import json
import re

import policykg
import pytest
from policykg.queries import QueryError, get, named_queries, parse, writes
from policykg.queries.render import table

from tests.conftest import ALIGNMENT_GOLD, ROOT, SAMPLES, needs_alignment_gold

QINGHAI_2022 = "青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知"
HAIDONG = "东政办〔2023〕47号"
EXPECTED = {"trace-down", "trace-up", "owners", "portfolio", "gaps", "target-drift", "cites", "cited-by", "stats"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "seeds.lbug"
    report = policykg.ingest([SAMPLES], db=path)
    assert report.failed == []
    return path


@pytest.fixture(scope="module")
def G(db):
    return policykg.read_graph(db)


def _doc(G, name):
    [n] = [n for n, d in G.nodes(data=True) if d["label"] == "Document" and name in (d["doc_number"], d["title"])]
    return n


def _in(G, node, rel):
    return [(u, d) for u, _, k, d in G.in_edges(node, keys=True, data=True) if k == rel]


def test_the_named_queries_are_all_there_with_headers():
    queries = named_queries()
    assert set(queries) == EXPECTED
    for q in queries.values():
        assert q.description and not q.text.startswith("//")
        for p in q.params:
            assert p.example != "" and p.help, (q.name, p.name)


def test_every_named_query_passes_the_neo4j_linter(cypher_lint):
    queries = list(named_queries().values())
    params = {p.name: p.convert(p.example) for q in queries for p in q.params}
    results = cypher_lint([q.text for q in queries], params)
    assert {q.name: diags for q, diags in zip(queries, results) if diags} == {}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_named_query_runs_with_its_example(db, name):
    q = get(name)
    rows = policykg.query(name, db=db, **{p.name: p.example for p in q.params})
    assert rows, f"{q.usage()} returned nothing on the seeds"


def test_owners_of_a_target_phrase_are_the_bodies_named_on_that_task(db, G):
    rows = policykg.query("owners", db=db, phrase="住院量占比")
    haidong = [r for r in rows if r["document"] == HAIDONG]
    assert {r["task"] for r in haidong} == {"一/（二）/6"}
    task = f"task:n:{HAIDONG}#一/（二）/6"
    named = {(G.nodes[u]["full_name"], d["role"]) for u, d in _in(G, task, "RESPONSIBLE_FOR")}
    assert {(r["department"], r["role"]) for r in haidong} == named
    # each with its place: 市卫生健康委员会 of Haidong is not that of Sanming
    assert {"海东市卫生健康委员会", "海东市各县区政府"} <= {r["department"] for r in haidong}
    assert all("住院量占比" in t for r in haidong for t in r["targets"]) and haidong[0]["targets"]


def test_trace_down_from_qinghai_2022_reaches_the_haidong_tasks(db, G):
    rows = policykg.query("trace-down", db=db, doc=QINGHAI_2022)
    assert {r["child_document"] for r in rows} == {HAIDONG}
    assert {r["method"] for r in rows} == {"inferred"}
    pairs = {(r["parent_task"], r["child_task"]) for r in rows}
    expected = set()
    for pt in [u for u, _ in _in(G, _doc(G, QINGHAI_2022), "PART_OF")]:
        for ct, _ in _in(G, pt, "IMPLEMENTS"):
            expected.add((G.nodes[pt]["path"], G.nodes[ct]["path"]))
    assert pairs == expected and ("五/（十七）", "一/（三）/11") in pairs


def test_trace_up_from_haidong_reaches_qinghai_2022(db):
    rows = policykg.query("trace-up", db=db, doc=HAIDONG)
    assert [(r["depth"], r["document"], r["method"]) for r in rows] == [(1, QINGHAI_2022, "inferred")]


@needs_alignment_gold
def test_gaps_are_the_qinghai_tasks_no_haidong_task_carries(db, G):
    by_doc = policykg.query("gaps", db=db, parent=QINGHAI_2022, child=HAIDONG)
    by_region = policykg.query("gaps", db=db, parent=QINGHAI_2022, child="海东市")
    assert by_doc == by_region
    parent = _doc(G, QINGHAI_2022)
    expected = [G.nodes[t]["path"] for t in sorted((u for u, _ in _in(G, parent, "PART_OF")),
                                                      key=lambda t: G.nodes[t]["ordinal"])
                if not any(G.nodes[c]["document"] == f"doc:n:{HAIDONG}" for c, _ in _in(G, t, "IMPLEMENTS"))]
    assert [r["task"] for r in by_doc] == expected and expected
    # a gap is never a task the hand-made alignment says Haidong carries in full
    gold = json.loads(ALIGNMENT_GOLD.read_text("utf-8"))
    strong = {"/".join(link["parent"]) for link in gold["links"] if link["grade"] == "strong"}
    assert not strong & set(expected)
    # another region has carried nothing down from it
    assert len(policykg.query("gaps", db=db, parent=QINGHAI_2022, child="三明市")) == 24


def test_target_drift_35_to_45(db):
    rows = policykg.query("target-drift", db=db, phrase="医疗服务收入")
    assert [(r["parent_level"], r["parent_value"], r["child_level"], r["child_value"], r["change"])
            for r in rows] == [("province", 35.0, "city", 45.0, "35% → 45%")]
    assert len(policykg.query("target-drift", db=db, phrase="")) == 8


def test_portfolio_takes_a_department_with_its_place_and_lists_the_places_a_bare_name_fits(db, G):
    by_full = policykg.query("portfolio", db=db, department="海东市卫生健康委员会")
    assert policykg.query("portfolio", db=db, department="海东市卫健委") == by_full    # place + alias
    [dept] = [n for n, d in G.nodes(data=True) if d["label"] == "Department" and d.get("full_name") == "海东市卫生健康委员会"]
    assert len(by_full) == sum(1 for _, _, k in G.out_edges(dept, keys=True) if k == "RESPONSIBLE_FOR")
    assert {r["region"] for r in by_full} == {"海东市"} and {r["department"] for r in by_full} == {"海东市卫生健康委员会"}
    assert any(r["deadline"] == "12月底" for r in by_full)
    # the alias and the canonical name fit the health commissions of two cities: merging them
    # would add Sanming's tasks to Haidong's, so the answer is which of them
    for name in ("市卫健委", "市卫生健康委员会"):
        with pytest.raises(QueryError, match="names 2 departments of different places: 三明市卫生健康委员会、海东市卫生健康委员会"):
            policykg.query("portfolio", db=db, department=name)
    with pytest.raises(QueryError, match="no department '月球卫健委'"):
        policykg.query("portfolio", db=db, department="月球卫健委")


def test_citation_neighbourhood_marks_placeholders(db):
    cites = policykg.query("cites", db=db, doc="明医改组[2024]4号")   # another bracket style
    assert {r["cited"] for r in cites} == {"国办发〔2024〕29号", "闽医改组〔2024〕1号", "明委发〔2024〕4号"}
    assert all(r["basis"] and r["placeholder"] for r in cites)
    cited_by = policykg.query("cited-by", db=db, doc="国办发〔2024〕29号")
    assert [(r["citing"], r["basis"], r["cited_is_placeholder"]) for r in cited_by] == [("明医改组〔2024〕4号", True, True)]


def test_stats_count_what_the_graph_holds(db, G):
    rows = policykg.query("stats", db=db)
    nodes = {r["key"]: r["count"] for r in rows if r["kind"] == "nodes"}
    for label in ("Task", "Department", "Target", "Region"):
        assert nodes[label] == sum(1 for _, d in G.nodes(data=True) if d["label"] == label)
    levels = {r["key"]: r["count"] for r in rows if r["kind"] == "documents by level"}
    assert levels == {"province": 6, "city": 2, "county": 1}
    unresolved = {r["key"]: r["count"] for r in rows if r["kind"] == "unresolved citations"}
    assert unresolved["明医改组〔2024〕4号"] == 3


def test_parameters_are_never_pasted_into_the_query(db):
    assert policykg.query("owners", db=db, phrase="住院量占比' OR 1=1 //") == []
    assert policykg.cypher("RETURN $x AS x", {"x": "') RETURN 1 //"}, db=db) == [{"x": "') RETURN 1 //"}]


def test_query_errors_are_one_line(db):
    with pytest.raises(QueryError, match="needs --param phrase="):
        policykg.query("owners", db=db)
    with pytest.raises(QueryError, match="no named query 'owner'"):
        policykg.query("owner", db=db)
    with pytest.raises(QueryError, match="has no parameter colour"):
        policykg.query("stats", db=db, colour="red")
    with pytest.raises(QueryError) as err:
        policykg.cypher("MATCH (n:Task) RETURN m", db=db)
    assert "\n" not in str(err.value) and "m" in str(err.value)


@pytest.mark.parametrize("query,clause", [
    ("MATCH (n) DETACH DELETE n", "DETACH"),
    ("MATCH (n:Task) SET n.title = 'x'", "SET"),
    ("create (n:Task {id: 'x'})", "CREATE"),
    ("MATCH (d:Document) WHERE d.title CONTAINS 'DELETE' RETURN d", None),
    ("// DELETE nothing\nMATCH (d:Document) RETURN d.title", None),
    ("MATCH (d:Document) RETURN d.title AS `SET`", None),
])
def test_writes_are_spotted_outside_strings_and_comments(query, clause):
    assert writes(query) == clause


def test_read_only_unless_write(db):
    with pytest.raises(QueryError, match=r"this query writes \(DELETE\); add --write"):
        policykg.cypher("MATCH (n:Target) DELETE n", db=db)
    assert policykg.cypher("MATCH (n:Target) RETURN count(n) AS n", db=db)[0]["n"] == 118


def test_header_parsing():
    q = parse("// name: x\n// description: says x\n// param n: INTEGER = 3 -- how many\nRETURN $n AS n\n")
    assert (q.name, q.description, q.text) == ("x", "says x", "RETURN $n AS n")
    assert q.bind({}) == {"n": 3} and q.bind({"n": "5"}) == {"n": 5}
    with pytest.raises(QueryError, match="must be INTEGER"):
        q.bind({"n": "five"})
    with pytest.raises(QueryError, match="needs '// name:'"):
        parse("MATCH (n) RETURN n")


def test_tables_line_up_with_chinese_text():
    from wcwidth import wcswidth
    text = table(["部门", "n"], [["市卫生健康委员会", 1], ["各县区政府", 22]])
    lines = text.splitlines()[:-1]
    ends = {wcswidth(line[:line.rindex(" ") + 1]) for line in lines if line.strip() and not line.startswith("-")}
    assert len(ends) == 1     # the second column starts at the same display column on every row
    assert lines[1].startswith("-" * wcswidth("市卫生健康委员会"))


README_CYPHER = re.compile(r"```cypher\n(.*?)```", re.DOTALL)


def test_readme_cypher_examples_lint_clean_and_run(cypher_lint, db):
    blocks = [b.strip() for b in README_CYPHER.findall((ROOT / "README.md").read_text("utf-8"))]
    assert len(blocks) >= 3
    assert {i: d for i, d in enumerate(cypher_lint(blocks, {"phrase": "住院量占比"})) if d} == {}
    for block in blocks:
        params = {"phrase": "住院量占比"} if "$phrase" in block else {}
        assert policykg.cypher(block, params, db=db), block


def test_named_query_text_shown_in_the_readme_is_the_file_itself():
    blocks = [b.strip() for b in README_CYPHER.findall((ROOT / "README.md").read_text("utf-8"))]
    shown = [q for q in named_queries().values() if q.text in blocks]
    assert [q.name for q in shown] == ["owners"]
