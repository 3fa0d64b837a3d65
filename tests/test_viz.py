"""The pictures: layered layout, self-contained pages tested in headless Chromium with the network
cut off, escaping of untrusted document text, and the static PNG cascade."""

import policykg
import pytest
from click.testing import CliRunner
from policykg.cli import main
from policykg.errors import ViewError
from policykg.graph.build import build
from policykg.viz import department_view, layered_positions, trace_view, write_html
from policykg.viz.layout import BAND

from tests.conftest import HOSTILE, SAMPLES, hostile_extraction, open_page

QINGHAI_2022 = "青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知"
HAIDONG = "doc:n:东政办〔2023〕47号"
TASK_6 = "task:n:东政办〔2023〕47号#一/（二）/6"


@pytest.fixture(scope="module")
def G(linked_seeds):
    return linked_seeds


def test_layers_run_top_down_by_level_with_tasks_under_their_document(G):
    pos = layered_positions(G)
    qinghai = [n for n, d in G.nodes(data=True) if d.get("title") == QINGHAI_2022][0]
    assert pos[qinghai][1] == BAND * 1 and pos[HAIDONG][1] == BAND * 2
    assert pos["doc:n:互政办〔2025〕67号"][1] == BAND * 3
    assert pos["doc:n:国办发〔2024〕29号"][1] == 0           # a cited national directive sits on top
    haidong_tasks = [n for n, d in G.nodes(data=True) if d.get("document") == HAIDONG]
    xs = [pos[t][0] for t in haidong_tasks]
    assert min(xs) < pos[HAIDONG][0] < max(xs)
    assert all(BAND * 2 < pos[t][1] < BAND * 3 for t in haidong_tasks)
    assert len(pos) == G.number_of_nodes()


def test_views_hold_what_they_promise(G):
    cascade = trace_view(G, QINGHAI_2022, depth=3)
    docs = {n for n, d in cascade.nodes(data=True) if d["label"] == "Document"}
    assert HAIDONG in docs and len(docs) == 2
    assert sum(1 for _, _, k in cascade.edges(keys=True) if k == "IMPLEMENTS") == 27   # 1 document + 26 task links
    with pytest.raises(ViewError, match="names 2 departments of different places"):
        department_view(G, "市卫生健康委员会")
    assert department_view(G, "海东市卫健委").nodes == department_view(G, "海东市卫生健康委员会").nodes
    portfolio = department_view(G, "海东市卫生健康委员会")
    [dept] = [n for n, d in portfolio.nodes(data=True) if d["label"] == "Department"]
    assert portfolio.out_degree(dept) == sum(1 for _, _, k in G.out_edges(dept, keys=True) if k == "RESPONSIBLE_FOR")


def test_whole_graph_page_loads_offline_with_every_node_and_edge(G, tmp_path, offline_page):
    page_file = write_html(G, tmp_path / "lineage.html", "seeds")
    html = page_file.read_text("utf-8")
    assert "http://" not in html.split("<script>", 1)[0] and "cdn." not in html
    open_page(offline_page, page_file)
    counts = offline_page.evaluate("[policykg.nodes.length, policykg.edges.length]")
    assert counts == [G.number_of_nodes(), G.number_of_edges()]
    assert offline_page.inner_text("#counts") == f"{G.number_of_nodes()} nodes, {G.number_of_edges()} edges"
    assert offline_page.blocked == [] and offline_page.failed == [] and offline_page.errors == []


def _click_node(page, node_id):
    page.evaluate("id => policykg.network.focus(id, {scale: 1.2})", node_id)
    page.wait_for_timeout(100)
    x, y = page.evaluate("""id => { const p = policykg.network.getPositions([id])[id];
                                   const d = policykg.network.canvasToDOM(p); return [d.x, d.y]; }""", node_id)
    box = page.locator("#network").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_clicking_a_task_shows_its_departments_and_source(G, tmp_path, offline_page):
    open_page(offline_page, write_html(G, tmp_path / "lineage.html", "seeds"))
    _click_node(offline_page, TASK_6)
    details = offline_page.inner_text("#details")
    assert details.startswith("一/（二）/6 提高县域医共体建设质量")
    for u, _, k, e in G.in_edges(TASK_6, keys=True, data=True):
        if k == "RESPONSIBLE_FOR":
            assert f"{G.nodes[u]['full_name']} ({e['role']})" in details
    assert "住院量占比达到70%以上" in details and "000_688cda0958d2e220.txt [" in details


def test_search_and_filters_change_what_is_shown(G, tmp_path, offline_page):
    open_page(offline_page, write_html(G, tmp_path / "lineage.html", "seeds"))
    offline_page.uncheck("input.type[value=Target]")
    targets = sum(1 for _, d in G.nodes(data=True) if d["label"] == "Target")
    assert offline_page.inner_text("#counts").startswith(f"{G.number_of_nodes() - targets} nodes")
    offline_page.select_option("#level", "county")
    shown = offline_page.evaluate("policykg.nodes.get({filter: n => !n.hidden}).map(n => n.level)")
    assert shown and set(shown) == {"county"}
    offline_page.select_option("#level", "")
    offline_page.fill("#search", "东政办〔2023〕47号")
    assert offline_page.evaluate("policykg.network.getSelectedNodes()")[0] == HAIDONG
    assert "海东市人民政府办公室" in offline_page.inner_text("#details")


def test_document_text_is_shown_as_text_and_runs_nothing(tmp_path, offline_page):
    hostile = build([hostile_extraction(f"evil{HOSTILE}.txt",
                                        f"内容 {HOSTILE} </script><script>window.__xss=3</script>")])
    open_page(offline_page, write_html(hostile, tmp_path / "hostile.html", f"title {HOSTILE}"))
    _click_node(offline_page, "doc:n:青政办〔2024〕1号")
    assert HOSTILE in offline_page.inner_text("#details")
    _click_node(offline_page, "task:n:青政办〔2024〕1号#一")
    assert offline_page.evaluate("window.__xss") is None
    assert offline_page.dialogs == [] and offline_page.errors == []
    assert offline_page.evaluate("document.querySelectorAll('img').length") == 0
    assert HOSTILE in offline_page.title()


def test_trace_screenshot_and_png_cascade(G, pictures, offline_page):
    from PIL import Image
    cascade = trace_view(G, QINGHAI_2022, depth=3)
    page_file = write_html(cascade, pictures / "trace.html", "青海省2022年综合医改重点工作任务 → 海东市2023", full=G)
    open_page(offline_page, page_file)
    _click_node(offline_page, "task:n:东政办〔2023〕47号#一/（三）/11")
    offline_page.evaluate("policykg.network.fit({animation: false})")
    offline_page.screenshot(path=str(pictures / "network-view.png"))
    png = policykg.viz.draw(cascade, pictures / "network.png", "青海省2022年综合医改重点工作任务 → 海东市2023年", full=G)
    for path in (pictures / "network-view.png", png):
        image = Image.open(path).convert("L")
        assert image.size[0] >= 1200
        lo, hi = image.getextrema()
        assert hi - lo > 150        # drawn, not blank
    assert policykg.viz.static.cjk_font()   # labels are set in a Chinese font, not boxes


def test_cli_viz_writes_page_and_pictures_of_a_lineage(tmp_path):
    db = tmp_path / "g.lbug"
    policykg.ingest([SAMPLES], db=db)
    result = CliRunner().invoke(main, ["viz", "--trace", "东政办[2023]47号", "--depth", "1", "--out", str(tmp_path / "t.html"),
                                       "--png", str(tmp_path / "t.png"), "--svg", str(tmp_path / "t.svg"),
                                       "--db", str(db)])
    assert result.exit_code == 0, result.output
    # Haidong 2023 carries down the Qinghai 2022 plan (inferred) and is carried down by nothing
    assert result.output.splitlines() == [f"wrote {tmp_path / name} (2 documents, 1 link)"
                                          for name in ("t.html", "t.png", "t.svg")]
    assert (tmp_path / "t.png").stat().st_size > 10_000
    svg = (tmp_path / "t.svg").read_text("utf-8")
    assert svg.startswith("<?xml") and ">海东市 · 东政办〔2023〕47号</text>" in svg    # real, searchable text
    python = policykg.visualize(out=tmp_path / "p.html", trace="东政办〔2023〕47号", depth=1, db=db)
    assert python.counts == {"documents": 2, "links": 1, "boxes": 2}
    missing = CliRunner().invoke(main, ["viz", "--trace", "青政办〔1999〕1号", "--db", str(db)])
    assert missing.exit_code == 1 and missing.stderr == "policykg: error: no document '青政办〔1999〕1号' in the store\n"
    both = CliRunner().invoke(main, ["viz", "--trace", "东政办〔2023〕47号", "--coverage", "东政办〔2023〕47号", "--db", str(db)])
    assert both.exit_code == 1 and "--trace and --coverage draw different views" in both.stderr
    bare = CliRunner().invoke(main, ["viz", "--view", "alignment", "--db", str(db)])
    assert bare.exit_code == 1 and "needs a parent and a child document (--align PARENT CHILD)" in bare.stderr
    unlinked = CliRunner().invoke(main, ["viz", "--align", "东政办〔2023〕47号", "互政办〔2025〕67号", "--db", str(db)])
    assert unlinked.exit_code == 1
    assert unlinked.stderr == ("policykg: error: 互政办〔2025〕67号 is not linked as carrying down 东政办〔2023〕47号; "
                               "`policykg links --explain` says why\n")
    network = CliRunner().invoke(main, ["viz", "--view", "network", "--out", str(tmp_path / "n.html"), "--db", str(db)])
    G = policykg.read_graph(db)
    assert network.output == f"wrote {tmp_path / 'n.html'} ({G.number_of_nodes()} nodes, {G.number_of_edges()} edges)\n"


def test_department_picture_draws_the_department_and_its_svg_has_real_text(tmp_path):
    db = tmp_path / "g.lbug"
    policykg.ingest([SAMPLES], db=db)
    result = policykg.visualize(svg=tmp_path / "d.svg", department="海东市卫生健康委员会", db=db)
    svg = result.written[0].read_text("utf-8")
    texts = [t.strip() for t in __import__("re").findall(r"<text[^>]*>([^<]*)</text>", svg)]
    assert "海东市卫生健康委员会" in texts and "东政办〔2023〕47号" in texts      # text, not outlines
