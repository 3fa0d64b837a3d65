"""The CSV files for Neo4j's bulk loader, checked against the header format of Neo4j's operations
manual ("Import header format": <name>:<field_type>; :ID, :LABEL for nodes; :START_ID, :END_ID,
:TYPE for relationships; property types int, long, float, double, boolean, byte, short, char,
string, point, date, localtime, time, localdatetime, datetime, duration, each also as an array
with []), and read back to the same graph as the store holds."""
import csv
import re

import policykg
import pytest
from click.testing import CliRunner
from policykg.cli import main

from tests.conftest import SAMPLES

FIELD = re.compile(r"^(?P<name>[^:]*)(?::(?P<type>ID|LABEL|START_ID|END_ID|TYPE|IGNORE"
                   r"|(?:int|long|float|double|boolean|byte|short|char|string|point|date|localtime|time"
                   r"|localdatetime|datetime|duration)(?:\[\])?))?$")
PARSE = {"long": int, "int": int, "double": float, "float": float, "string": str,
         "boolean": lambda v: {"true": True, "false": False}[v]}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("n4")
    db = root / "g.lbug"
    policykg.ingest([SAMPLES], db=db)
    result = policykg.export(root / "csv", fmt="neo4j-admin", db=db)
    return root / "csv", result, policykg.read_graph(db)


def _read(path):
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows[0], rows[1:]


def _typed(header, row) -> dict:
    out = {}
    for field, value in zip(header, row):
        m = FIELD.match(field)
        name, kind = m.group("name"), m.group("type") or "string"
        if value == "":
            continue                    # an empty field: the property is not set
        out[name or ":" + kind] = PARSE[kind](value) if kind in PARSE else value
    return out


def test_every_header_is_in_the_manuals_format(exported):
    folder, _, _ = exported
    for path in sorted(folder.glob("nodes/*.csv")):
        header, _ = _read(path)
        kinds = [FIELD.match(f).group("type") if FIELD.match(f) else f"bad field {f!r}" for f in header]
        assert all(not (k or "").startswith("bad") for k in kinds), (path.name, header)
        assert kinds.count("ID") == 1 and kinds.count("LABEL") == 1, path.name
    for path in sorted(folder.glob("relationships/*.csv")):
        header, _ = _read(path)
        kinds = [FIELD.match(f).group("type") for f in header]
        assert header[:3] == [":START_ID", ":END_ID", ":TYPE"], path.name
        assert kinds.count("ID") == 0 and kinds.count("LABEL") == 0, path.name


def test_the_files_hold_the_stores_graph_value_for_value(exported):
    folder, result, G = exported
    nodes = {}
    for path in sorted(folder.glob("nodes/*.csv")):
        header, rows = _read(path)
        for row in rows:
            props = _typed(header, row)
            label = props.pop(":LABEL")
            nodes[props["id"]] = {**props, "label": label}
    assert len(nodes) == G.number_of_nodes() == sum(result["nodes"].values())
    for n, d in G.nodes(data=True):
        assert nodes[n] == {k: v for k, v in d.items() if v is not None}
    edges = {}
    for path in sorted(folder.glob("relationships/*.csv")):
        header, rows = _read(path)
        for row in rows:
            props = _typed(header, row)
            key = (props.pop(":START_ID"), props.pop(":END_ID"), props.pop(":TYPE"))
            assert key[0] in nodes and key[1] in nodes     # every end is a node of the files
            edges[key] = props
    assert len(edges) == G.number_of_edges() == sum(result["relationships"].values())
    for u, v, k, d in G.edges(keys=True, data=True):
        assert edges[u, v, k] == {p: x for p, x in d.items() if x is not None}


def test_the_command_names_every_file(exported):
    folder, result, _ = exported
    named = set(re.findall(r"--(?:nodes|relationships)=(\S+)", result["command"]))
    assert named == {p.relative_to(folder).as_posix() for p in folder.rglob("*.csv")}
    assert "--multiline-fields=true" in result["command"]
    assert result["command"] in (folder / "neo4j-admin-import.txt").read_text("utf-8")


def test_the_cli_writes_the_folder_and_refuses_a_file_or_standard_output(exported, tmp_path):
    folder, _, _ = exported
    db = folder.parent / "g.lbug"
    ok = CliRunner().invoke(main, ["export", "--format", "neo4j-admin", "--out", str(tmp_path / "out"), "--db", str(db)])
    assert ok.exit_code == 0 and "neo4j-admin database import full" in ok.output
    assert sorted(p.name for p in (tmp_path / "out" / "nodes").iterdir()) == sorted(
        p.name for p in (folder / "nodes").iterdir())
    bad = CliRunner().invoke(main, ["export", "--format", "neo4j-admin", "--out", "-", "--db", str(db)])
    assert bad.exit_code != 0 and "give --out FOLDER" in bad.output
    rdf = CliRunner().invoke(main, ["export", "--format", "ttl", "--out", str(tmp_path / "out"), "--db", str(db)])
    assert rdf.exit_code != 0 and "is a folder" in rdf.output
