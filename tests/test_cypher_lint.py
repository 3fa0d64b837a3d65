"""Every Cypher statement policykg sends to Neo4j passes Neo4j's own Cypher linter."""
from policykg.graph import cypher as C


def test_every_neo4j_statement_lints_clean(cypher_lint):
    statements = C.neo4j_statements()
    assert len(statements) > 40
    results = cypher_lint(statements, {"rows": [{"id": "x", "src": "a", "dst": "b"}], "ids": ["x"],
                                        "src": ["a"], "dst": ["b"], "q": "x", "limit": 50})
    problems = [(q, d) for q, diags in zip(statements, results) for d in diags]
    assert problems == []


def test_the_linter_catches_what_it_should(cypher_lint):
    # the harness itself: an undefined variable, an unknown label, Ladybug-only syntax
    bad = ["MATCH (n:Document) RETURN m", "MATCH (n:Memo) RETURN n", C.ladybug_create_nodes("Task")]
    results = cypher_lint(bad, {"rows": []})
    assert "Variable `m` not defined" in results[0][0]["message"]
    assert results[1][0]["severity"] == "warning" and "Memo" in results[1][0]["message"]
    assert results[2] and results[2][0]["severity"] == "error"   # CAST(… AS INT64) is not Neo4j Cypher


class _RecordingDriver:
    """Stands in for the neo4j driver to capture what Neo4jStore sends; the statements themselves
    are checked by the linter above, and against a real server when NEO4J_URI is set."""

    def __init__(self):
        self.sent = []

    def session(self, database=None):
        driver = self

        class Session:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def execute_write(self, work):
                class Tx:
                    def run(self, query, **params):
                        driver.sent.append((query, params))

                        class Result:
                            def consume(self):
                                return None
                        return Result()
                work(Tx())
        return Session()


def test_neo4j_store_sends_only_linted_statements_with_their_parameters(seeds):
    from policykg.graph import Neo4jStore
    from policykg.graph.build import build, new_graph
    from policykg.graph.link import link
    from policykg.graph.sync import apply

    G = build([seeds["000"], seeds["001"]])
    link(G)
    store = Neo4jStore.__new__(Neo4jStore)
    store._driver, store.database = _RecordingDriver(), None
    report = apply(store, new_graph(), G)
    assert report.failed == []
    known = set(C.neo4j_statements())
    sent = store._driver.sent
    assert sent and all(query in known for query, _ in sent)
    for query, params in sent:
        (name, rows), = params.items()
        assert f"${name}" in query and rows
    merged = {row["id"] for query, params in sent if "MERGE (n:" in query for row in params["rows"]}
    assert merged == set(G.nodes)
