"""policykg serve: a real server on the loopback interface, driven by headless Chromium that may
reach that server and nothing else. Search, the named queries and their CSV, the views read as
neighbourhoods, errors that say what is wrong, and document text that runs nothing."""
import csv
import io
import json
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import policykg
import pytest
from policykg.api import open_store
from policykg.graph import EmbeddedStore, sync
from policykg.graph.build import build, new_graph
from policykg.viz import lineage_documents
from policykg.viz.alignment import task_links
from policykg.viz.serve import app

from tests.conftest import HOSTILE, SAMPLES, hostile_extraction

QINGHAI_2022 = "doc:t:青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知"
HAIDONG = "doc:n:东政办〔2023〕47号"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Running:
    def __init__(self, db):
        import uvicorn
        self.store = open_store(db, read_only=True)
        self.port = _free_port()
        self.server = uvicorn.Server(uvicorn.Config(app(self.store), host="127.0.0.1", port=self.port,
                                                    log_level="warning"))
        self.thread = threading.Thread(target=self.server.run, daemon=True)
        self.thread.start()
        for _ in range(200):
            if self.server.started:
                break
            time.sleep(0.05)
        self.url = f"http://127.0.0.1:{self.port}"

    def get(self, path: str, **params):
        url = f"{self.url}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        try:
            with urllib.request.urlopen(url) as response:
                return response.status, response.headers.get("content-type"), response.read().decode("utf-8")
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("content-type"), error.read().decode("utf-8")

    def stop(self):
        self.server.should_exit = True
        self.thread.join(10)
        self.store.close()


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    path = tmp_path_factory.mktemp("serve") / "g.lbug"
    policykg.ingest([SAMPLES], db=path)
    return path


@pytest.fixture(scope="module")
def server(db):
    running = Running(db)
    yield running
    running.stop()


@pytest.fixture
def local_page(browser, server):
    """A page that may reach the explorer and nothing else: every other request is aborted and kept."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.blocked, page.errors = [], []

    def route(r):
        if r.request.url.startswith((server.url + "/", "data:", "about:")):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    yield page
    context.close()


def test_search_finds_documents_by_number_title_department_and_target_words(server):
    for q, found in (("东政办〔2023〕47号", "文号 or title"), ("综合医改重点工作任务", "文号 or title"),
                     ("海东市医疗保障局", "department: 海东市医疗保障局"), ("住院量占比", "target: ")):
        status, kind, body = server.get("/api/search", q=q)
        assert status == 200 and kind == "application/json", body
        hits = {d["id"]: d["found"] for d in json.loads(body)}
        assert HAIDONG in hits and hits[HAIDONG].startswith(found), (q, hits)
    status, _, body = server.get("/api/search", q="  ")
    assert status == 400 and json.loads(body)["error"].startswith("give words to search for")


def test_views_are_read_as_neighbourhoods_and_mistakes_are_errors(server, db):
    G = policykg.read_graph(db)
    with EmbeddedStore(db, read_only=True) as store:
        part = store.read_lineage(HAIDONG, 3)
    docs = {n for n, d in part.nodes(data=True) if d["label"] == "Document"}
    assert docs == lineage_documents(G, HAIDONG, 3) and part.number_of_nodes() < G.number_of_nodes() / 2
    for n in part:          # the neighbourhood is the graph's own nodes and edges, not a copy that differs
        assert part.nodes[n] == G.nodes[n]
    assert sorted(part.edges(keys=True)) == sorted(G.subgraph(part.nodes).edges(keys=True))
    status, kind, body = server.get("/view/cascade", doc="东政办〔2023〕47号")
    assert status == 200 and kind.startswith("text/html") and body.count('class="box document') == 2
    for path, params, code, message in (
            ("/view/cascade", {}, 400, "give a document: ?doc=文号, title or id"),
            ("/view/cascade", {"doc": "青政办〔1999〕1号"}, 404, "no document '青政办〔1999〕1号' in the store"),
            ("/view/cascade", {"doc": HAIDONG, "depth": "9"}, 400, "depth must be a number from 1 to 4, not 9"),
            ("/view/nothing", {"doc": HAIDONG}, 404, "no view 'nothing'"),
            ("/api/query/owners", {}, 400, "owners needs --param phrase"),
            ("/api/query/trace-down", {"doc": "不存在"}, 404, "no document '不存在' in the store")):
        status, kind, body = server.get(path, **params)
        assert (status, kind) == (code, "application/json") and json.loads(body)["error"].startswith(message), body


def test_named_query_answers_and_its_csv_are_the_apis(server, db):
    expected = policykg.query("owners", phrase="住院量占比", db=db)
    status, _, body = server.get("/api/query/owners", phrase="住院量占比")
    answer = json.loads(body)
    assert status == 200 and [dict(zip(answer["columns"], r)) for r in answer["rows"]] == expected
    status, kind, body = server.get("/api/query/owners.csv", phrase="住院量占比")
    assert status == 200 and kind.startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(body.lstrip("\ufeff"))))
    assert [r["department"] for r in rows] == [r["department"] for r in expected] and len(rows) == len(expected)


def test_the_explorer_in_a_browser_from_search_to_alignment(server, db, local_page, pictures):
    page = local_page
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-drawn=yes]")
    page.fill("#q", "海东市")
    page.click("#search-form button")
    page.wait_for_selector("#results li")
    assert "东政办〔2023〕47号" in page.inner_text("#results")
    page.screenshot(path=str(pictures / "explorer.png"))
    page.click("#results li:has-text('东政办〔2023〕47号') >> text=谱系 lineage")
    page.wait_for_selector("body[data-drawn=yes]")
    assert page.eval_on_selector_all("#picture g.box.document", "els => els.length") == 2
    assert min(page.eval_on_selector_all("#picture g.box.document text",
                                         "els => els.filter(e => e.textContent.trim()).map(e => e.getBoundingClientRect().height)")) >= 12
    # a task's details are read from the store when it is clicked, not shipped with the page
    assert "task:n:东政办〔2023〕47号#一/（二）/6" not in page.evaluate("Object.keys(policykg.details)").__str__()
    page.locator(f'#picture g.box[data-id="{HAIDONG}"] rect').click()
    page.locator('#tasks button[data-id="task:n:东政办〔2023〕47号#一/（二）/6"]').click()
    page.wait_for_selector("#details h2:has-text('一/（二）/6 提高县域医共体建设质量')")
    assert "海东市卫生健康委员会 (responsible)" in page.inner_text("#details")
    status, _, body = server.get("/api/details", id="task:n:不存在#一")
    assert status == 404 and json.loads(body)["error"] == "no task 'task:n:不存在#一' in the store"
    # a click on a document opens its views: the alignment with its parent, read from the store
    page.locator(f'#picture g.box[data-id="{HAIDONG}"] rect').click()
    page.click("#open >> text=对照 alignment")
    page.wait_for_selector("body[data-drawn=yes]")
    G = policykg.read_graph(db)
    drawn = page.eval_on_selector_all("#picture g.link", "els => els.map(e => [e.dataset.source, e.dataset.target])")
    assert sorted(map(tuple, drawn)) == sorted((v, u) for u, v, _ in task_links(G, QINGHAI_2022, HAIDONG))
    page.locator('#picture g.box[data-id="task:n:东政办〔2023〕47号#一/（三）/11"] rect').click()
    assert "海东市医疗保障局 (lead)" in page.inner_text("#details")
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-drawn=yes]")
    page.select_option("#query-name", "gaps")
    page.click("#query-form button")
    page.wait_for_selector("#table tr")
    assert page.locator("#table tr").count() == 1 + 2          # the header and Haidong's two gaps
    assert page.blocked == [] and page.errors == []


def test_document_text_served_to_the_explorer_runs_nothing(tmp_path, browser):
    db = tmp_path / "hostile.lbug"
    with EmbeddedStore(db) as store:
        assert sync.apply(store, new_graph(), build([hostile_extraction()])).failed == []
    running = Running(db)
    try:
        context = browser.new_context()
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(running.url + "/")
        page.fill("#q", "script")
        page.click("#search-form button")
        page.wait_for_selector("#results li")
        assert HOSTILE in page.inner_text("#results")
        page.click("#results >> text=谱系 lineage")
        page.wait_for_selector("body[data-drawn=yes]")
        page.locator("#picture g.box rect").first.click()
        assert HOSTILE in page.inner_text("#details")
        assert page.evaluate("window.__xss") is None and errors == []
        assert page.evaluate("document.querySelectorAll('img').length") == 0
        context.close()
    finally:
        running.stop()


def test_the_serve_command_listens_on_loopback_and_says_where(db, tmp_path):
    import subprocess
    import sys
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "policykg.cli", "serve", "--db", str(db), "--port", str(port)],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line == f"policykg explorer at http://127.0.0.1:{port}/ (Ctrl-C to stop)\n"
        for _ in range(100):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
                    assert response.status == 200 and "policykg explorer" in response.read().decode("utf-8")
                break
            except urllib.error.URLError:
                time.sleep(0.1)
        else:
            raise AssertionError("the explorer did not answer")
    finally:
        process.terminate()
        process.wait(10)
    missing = subprocess.run([sys.executable, "-m", "policykg.cli", "serve", "--db", str(tmp_path / "none.lbug")],
                             capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1 and missing.stderr.startswith("policykg: error: ") and "none.lbug" in missing.stderr
