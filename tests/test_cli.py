"""A test per CLI command, each against its Python twin."""
import json
import shutil
from pathlib import Path

import policykg
from click.testing import CliRunner
from policykg.cli import main

from tests.conftest import SAMPLES

SEED = SAMPLES / "001_2134d2f2c0bab840.txt"


def test_extract_json_one_file_matches_python_api():
    result = CliRunner().invoke(main, ["extract", str(SEED), "--json"])
    assert result.exit_code == 0, result.output
    printed = json.loads(result.output)
    assert printed == json.loads(json.dumps(policykg.extract(SEED).to_dict()))
    doc = printed["documents"][0]
    assert set(doc) >= {"doc_number", "title", "attachment_title", "issuer", "date", "level", "region",
                        "citations", "repeals", "tasks", "ledger"}
    assert set(doc["tasks"][0]) >= {"path", "title", "departments", "targets", "deadline", "span"}


def test_extract_folder_with_a_bad_file(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEED, folder / "a.txt")
    (folder / "b.txt").write_bytes(b"")
    shutil.copy(SAMPLES / "003_4483c7e244990de6.txt", folder / "c.txt")
    result = CliRunner().invoke(main, ["extract", str(folder), "--json"])
    assert result.exit_code == 1
    records = json.loads(result.stdout)
    assert [Path(r["source"]).name for r in records] == ["a.txt", "c.txt"]     # the bad file did not stop the rest
    assert f"{folder / 'b.txt'}: empty file" in result.stderr
    assert "1 of 3 file(s) failed" in result.stderr


def test_extract_out_dir_writes_one_file_each(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(SEED), str(SAMPLES / "002_80a544ba8699e234.txt"),
                                       "--out", str(out)])
    assert result.exit_code == 0
    written = sorted(p.name for p in out.iterdir())
    assert written == ["001_2134d2f2c0bab840.json", "002_80a544ba8699e234.json"]
    assert len(json.loads((out / "002_80a544ba8699e234.json").read_text("utf-8"))["documents"]) == 5


def test_extract_summary_is_readable():
    result = CliRunner().invoke(main, ["extract", str(SEED)])
    assert result.exit_code == 0
    assert "24 tasks" in result.output and "青海省人民政府办公厅" in result.output


def test_demo_matches_python_api(tmp_path):
    result = CliRunner().invoke(main, ["demo", "--db", str(tmp_path / "cli.lbug")])
    assert result.exit_code == 0, result.output
    python_lines = policykg.demo(db=tmp_path / "py.lbug")
    assert result.output.replace("cli.lbug", "py.lbug").splitlines() == python_lines
    # the lineage tree: Qinghai 2022 at the root, Haidong 2023 under it, task pairs under that
    tree = result.output.split("\n\n", 1)[1].splitlines()
    assert tree[0].startswith("青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知")
    assert tree[1].startswith("└─ 东政办〔2023〕47号") and "inferred" in tree[1]
    assert any("五/（十七） 推进医疗服务价格改革" in line for line in tree)
    assert any("一/（三）/11 推进医疗服务价格改革 ← aligned" in line for line in tree)


def test_demo_run_again_shows_the_same_tree(tmp_path):
    """The second demo finds the samples in the store (not read again): it shows the same tree."""
    db = str(tmp_path / "g.lbug")
    first = CliRunner().invoke(main, ["demo", "--db", db])
    again = CliRunner().invoke(main, ["demo", "--db", db])
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    assert "unchanged since they were last read" in again.output
    assert again.output.split("\n\n", 1)[1] == first.output.split("\n\n", 1)[1]


def test_ingest_then_links_match_python_api(tmp_path):
    db = tmp_path / "g.lbug"
    result = CliRunner().invoke(main, ["ingest", str(SAMPLES), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "ingested 5 of 5 file(s), 9 document(s)" in result.output
    result = CliRunner().invoke(main, ["links", "--json", "--db", str(db)])
    assert result.exit_code == 0
    assert json.loads(result.output) == json.loads(json.dumps(policykg.links(db=db), ensure_ascii=False))
    result = CliRunner().invoke(main, ["links", "--db", str(db)])
    assert "东政办〔2023〕47号  IMPLEMENTS  青海省人民政府办公厅" in result.output
    result = CliRunner().invoke(main, ["links", "--json", "--explain", "--db", str(db)])
    assert json.loads(result.output)["rejected"] == policykg.links(db=db, explain=True)["rejected"]


def test_ingest_workers_option_reaches_the_api(tmp_path, monkeypatch):
    import policykg.api
    real, seen = policykg.api.ingest, []

    def ingest(*args, **kwargs):
        seen.append(kwargs["workers"])
        return real(*args, **kwargs)

    monkeypatch.setattr(policykg.api, "ingest", ingest)
    result = CliRunner().invoke(main, ["ingest", str(SAMPLES), "--db", str(tmp_path / "g.lbug"), "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert seen == [1] and "ingested 5 of 5 file(s)" in result.output
    result = CliRunner().invoke(main, ["ingest", str(SAMPLES), "--db", str(tmp_path / "g.lbug"), "--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output


def test_ingest_store_from_environment(tmp_path, monkeypatch):
    db = tmp_path / "env.lbug"
    monkeypatch.setenv("POLICYKG_DB", str(db))
    result = CliRunner().invoke(main, ["ingest", str(SEED)])
    assert result.exit_code == 0, result.output
    assert db.exists()


def test_ingest_bad_file_is_one_line_and_exit_1(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    result = CliRunner().invoke(main, ["ingest", str(bad), str(SEED), "--db", str(tmp_path / "g.lbug")])
    assert result.exit_code == 1
    assert f"policykg: error: {bad}: empty file" in result.stderr
    assert "ingested 1 of 2 file(s)" in result.stdout


def test_links_on_a_missing_store_is_one_line(tmp_path):
    result = CliRunner().invoke(main, ["links", "--db", str(tmp_path / "none.lbug")])
    assert result.exit_code == 1
    assert result.stderr.strip() == f"policykg: error: {tmp_path / 'none.lbug'}: no store here (run `policykg ingest` first)"


def test_neo4j_connection_error_is_one_line_without_the_password(tmp_path, monkeypatch):
    monkeypatch.setenv("NEO4J_AUTH", "neo4j/secret-password")
    result = CliRunner().invoke(main, ["ingest", str(SEED), "--neo4j", "bolt://neo4j:secret-password@127.0.0.1:1"])
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("policykg: error: bolt://127.0.0.1:1: ")
    assert "secret-password" not in result.output + result.stderr


def test_docker_compose_starts_neo4j_5_with_a_volume_and_a_healthcheck():
    import yaml

    from tests.conftest import ROOT
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text("utf-8"))
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"].startswith("neo4j:5")
    assert "7687:7687" in neo4j["ports"]
    volume = neo4j["volumes"][0].split(":")[0]
    assert volume in compose["volumes"]
    assert "cypher-shell" in " ".join(neo4j["healthcheck"]["test"])


def _seeded(tmp_path):
    db = tmp_path / "g.lbug"
    assert CliRunner().invoke(main, ["ingest", str(SAMPLES), "--db", str(db)]).exit_code == 0
    return db


def test_query_formats_match_python_api(tmp_path):
    db = _seeded(tmp_path)
    rows = policykg.query("target-drift", db=db, phrase="医疗服务收入")
    result = CliRunner().invoke(main, ["query", "target-drift", "--param", "phrase=医疗服务收入", "--format", "json",
                                       "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == rows
    result = CliRunner().invoke(main, ["query", "target-drift", "-p", "phrase=医疗服务收入", "--format", "csv", "--db", str(db)])
    lines = result.output.splitlines()
    assert lines[0].startswith("measure,parent_document") and "35% → 45%" in lines[1] and len(lines) == 2
    result = CliRunner().invoke(main, ["query", "target-drift", "-p", "phrase=医疗服务收入", "--db", str(db)])
    assert "35% → 45%" in result.output and result.output.rstrip().endswith("(1 row)")


def test_query_with_a_bad_parameter_is_one_line(tmp_path):
    db = _seeded(tmp_path)
    result = CliRunner().invoke(main, ["query", "owners", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr == "policykg: error: owners needs --param phrase=… (e.g. phrase=住院量占比)\n"


def test_cypher_is_read_only_unless_write(tmp_path):
    db = _seeded(tmp_path)
    refused = CliRunner().invoke(main, ["cypher", "MATCH (n:Target) DETACH DELETE n", "--db", str(db)])
    assert refused.exit_code == 1
    assert refused.stderr == ("policykg: error: this query writes (DETACH); add --write (Python: write=True) "
                              "to run it\n")
    broken = CliRunner().invoke(main, ["cypher", "MATCH (n:Task) RETURN m", "--db", str(db)])
    assert broken.exit_code == 1 and len(broken.stderr.splitlines()) == 1 and "m" in broken.stderr
    written = CliRunner().invoke(main, ["cypher", "MATCH (n:Target) DETACH DELETE n", "--write", "--db", str(db)])
    assert written.exit_code == 0, written.output
    assert policykg.cypher("MATCH (n:Target) RETURN count(n) AS n", db=db) == [{"n": 0}]


def test_check_says_healthy_and_repair_mends_a_deleted_link(tmp_path):
    db = _seeded(tmp_path)
    healthy = CliRunner().invoke(main, ["check", "--db", str(db)])
    assert healthy.exit_code == 0, healthy.output
    assert healthy.stdout.splitlines()[0].endswith(": healthy")
    policykg.cypher("MATCH (:Task)-[l:IMPLEMENTS]->(:Task) WITH l LIMIT 1 DELETE l", db=db, write=True)
    broken = CliRunner().invoke(main, ["check", "--db", str(db)])
    assert broken.exit_code == 1
    assert "1 derived link(s) the facts give are missing" in broken.stdout
    assert "policykg check --repair" in broken.stderr
    mended = CliRunner().invoke(main, ["check", "--repair", "--db", str(db)])
    assert mended.exit_code == 0 and "repaired: derived links recomputed" in mended.stdout
    assert mended.stdout.splitlines()[-1] == healthy.stdout.splitlines()[-1]     # the same fingerprint
    missing = CliRunner().invoke(main, ["check", "--db", str(tmp_path / "none.lbug")])
    assert missing.exit_code == 1 and "no store here" in missing.stderr


def test_a_terminal_escape_in_the_store_is_printed_escaped_not_obeyed(tmp_path):
    db = _seeded(tmp_path)
    policykg.cypher("MATCH (d:Document) WHERE d.doc_number = $n SET d.title = $t",
                    {"n": "东政办〔2023〕47号", "t": "海东\x1b[2J\x1b]0;x\x07方案"}, db=db, write=True)
    for args in (["cypher", "MATCH (d:Document) WHERE d.doc_number = '东政办〔2023〕47号' RETURN d.title AS t"],
                 ["trace", "东政办〔2023〕47号", "--up"]):
        result = CliRunner().invoke(main, [*args, "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert "\x1b" not in result.output and "\x07" not in result.output
        assert "海东\\x1b[2J\\x1b]0;x\\x07方案" in result.output


def test_mistakes_are_errors_not_empty_answers(tmp_path):
    db = _seeded(tmp_path)
    unbound = CliRunner().invoke(main, ["cypher", "MATCH (d:Document) WHERE d.doc_number = $n RETURN d.title",
                                        "--db", str(db)])
    assert unbound.exit_code == 1
    assert unbound.stderr.startswith("policykg: error: the query uses $n but no value was given for it")
    quoted = CliRunner().invoke(main, ["cypher", "MATCH (d:Document) WHERE d.title = '$n' RETURN count(d) AS n",
                                       "--db", str(db)])
    assert quoted.exit_code == 0, quoted.output        # a $ inside a string is no parameter
    unknown = CliRunner().invoke(main, ["query", "trace-down", "--param", "doc=不存在", "--db", str(db)])
    assert unknown.exit_code == 1
    assert unknown.stderr == "policykg: error: no document '不存在' in the store (give its 文号, title or id)\n"
    region = CliRunner().invoke(main, ["query", "gaps", "--param",
                                       "parent=青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知",
                                       "--param", "child=海东市", "--db", str(db)])
    assert region.exit_code == 0 and "(0 rows)" not in region.stdout      # a region is still fine there
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.xyz").write_text("x")
    nothing = CliRunner().invoke(main, ["ingest", str(tmp_path / "empty"), "--db", str(db)])
    assert nothing.exit_code == 1
    assert nothing.stderr.startswith(f"policykg: error: {tmp_path / 'empty'}: no readable files (readable: .doc, .docx")


def test_export_to_standard_output(tmp_path):
    db = _seeded(tmp_path)
    monkey_cwd = tmp_path / "here"
    monkey_cwd.mkdir()
    with CliRunner().isolated_filesystem(temp_dir=monkey_cwd):
        result = CliRunner().invoke(main, ["export", "--format", "nt", "--out", "-", "--db", str(db)])
        assert result.exit_code == 0, result.output
        assert not Path("-").exists()
    from rdflib import Graph
    g = Graph().parse(data=result.stdout, format="nt")
    assert len(g) > 5000 and result.stderr.startswith(f"wrote standard output ({len(g)} triples)")


def test_trace_down_and_up_match_python_api(tmp_path):
    db = _seeded(tmp_path)
    down = CliRunner().invoke(main, ["trace", "青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知", "--db", str(db)])
    assert down.exit_code == 0, down.output
    assert down.output.splitlines() == policykg.trace("青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知", db=db)
    assert "│  └─ 一/（三）/11 推进医疗服务价格改革 ← aligned" in down.output
    up = CliRunner().invoke(main, ["trace", "东政办[2023]47号", "--up", "--db", str(db)])
    assert up.output.splitlines()[1].startswith("└─ implements 青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知")
    missing = CliRunner().invoke(main, ["trace", "青政办〔1999〕1号", "--db", str(db)])
    assert missing.exit_code == 1 and missing.stderr == "policykg: error: no document '青政办〔1999〕1号' in the store\n"


def test_queries_lists_every_named_query_with_an_example():
    from policykg.queries import named_queries
    result = CliRunner().invoke(main, ["queries"])
    assert result.exit_code == 0
    for q in named_queries().values():
        assert f"\n  e.g. {q.usage()}\n" in result.output


def test_extract_out_writes_one_file_per_input_even_with_one_stem(tmp_path):
    from click.testing import CliRunner
    from policykg.cli import main
    (tmp_path / "a.txt").write_text("某某工作方案\n1.推进工作。（市财政局负责）\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("某某工作要点\n1.完善机制。（市教育局负责）\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["extract", str(tmp_path / "a.txt"), str(tmp_path / "a.md"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["a.json", "a.md.json"]


def test_db_takes_a_server_url_as_well_as_a_path():
    result = CliRunner().invoke(main, ["query", "stats", "--db", "bolt://127.0.0.1:1"])
    assert result.exit_code == 1 and result.stderr.startswith("policykg: error: bolt://127.0.0.1:1: ")
