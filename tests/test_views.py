"""The cascade, alignment and coverage views: what each scene holds (checked against the graph and
the named queries), and the pages in headless Chromium with the network cut off — text at least
12 px at the opening zoom, labelled level bands, clicks that list a task's departments, search
with a hit count, document text that runs nothing."""
import re

import policykg
import pytest
from click.testing import CliRunner
from policykg import viz
from policykg.cli import main
from policykg.graph.build import build, tasks_of
from policykg.graph.link import link
from policykg.loaders.models import (
    Citation,
    Department,
    Document,
    Extraction,
    Span,
    Task,
)
from policykg.viz.alignment import alignment_scene, task_links
from policykg.viz.cascade import LEVELS, cascade_scene, drawn_documents
from policykg.viz.coverage import coverage
from policykg.viz.scene import MIN_TEXT
from policykg.viz.svg import segments

from tests.conftest import HOSTILE, SAMPLES, hostile_extraction, open_page

QINGHAI_2022 = "doc:t:青海省人民政府办公厅关于印发青海省2022年综合医改重点工作任务的通知"
HAIDONG = "doc:n:东政办〔2023〕47号"
SANMING = "doc:n:明医改组〔2024〕4号"


@pytest.fixture(scope="module")
def G(linked_seeds):
    return linked_seeds


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    db = tmp_path_factory.mktemp("views") / "g.lbug"
    policykg.ingest([SAMPLES], db=db)
    return db


def _band_of_box(scene, box):
    return next(b.label for b in scene.bands if b.y <= box.y < b.y + b.h)


def test_the_cascade_puts_each_document_in_the_band_of_its_level(G):
    scene = cascade_scene(G, None, "samples")
    boxes = {b.id: b for b in scene.boxes}
    assert set(boxes) == drawn_documents(G)
    for doc, box in boxes.items():
        level = G.nodes[doc].get("level")
        label = next(name for lv, name in LEVELS if lv == level) if level else LEVELS[-1][1]
        assert _band_of_box(scene, box).startswith(label)
    # placeholders sit in the row of their level: 闽医改组 (cited as 省医改领导小组's) is provincial
    assert _band_of_box(scene, boxes["doc:n:闽医改组〔2024〕1号"]).startswith("省级")
    assert _band_of_box(scene, boxes["doc:n:国办发〔2024〕29号"]).startswith("国家级")
    # a document cited only in passing is a reference, not lineage, and is not drawn
    assert "doc:t:医疗质量管理办法" not in boxes
    drawn = {(lk.source, lk.target) for lk in scene.links}
    assert drawn == {(u, v) for u, v, k in G.edges(keys=True) if k == "IMPLEMENTS"
                     and u in boxes and v in boxes}
    inferred = next(lk for lk in scene.links if lk.source == HAIDONG)
    assert inferred.target == QINGHAI_2022 and inferred.dashed and inferred.label == "inferred 0.82"
    assert "subject_similarity: 1.0" in inferred.hover and "tasks_with_counterpart" in inferred.hover
    assert scene.smallest_text() >= MIN_TEXT
    # no link runs behind a box it does not join (明医改组 → 国办发 passes 闽医改组's column)
    for lk in scene.links:
        for x1, y1, c1x, c1y, c2x, c2y, x2, y2 in segments(lk):
            for i in range(1, 40):
                t = i / 40
                x = (1 - t) ** 3 * x1 + 3 * (1 - t) ** 2 * t * c1x + 3 * (1 - t) * t * t * c2x + t ** 3 * x2
                y = (1 - t) ** 3 * y1 + 3 * (1 - t) ** 2 * t * c1y + 3 * (1 - t) * t * t * c2y + t ** 3 * y2
                inside = [b.id for b in scene.boxes if b.x < x < b.x + b.w and b.y < y < b.y + b.h]
                assert set(inside) <= {lk.source, lk.target}, (lk.source, lk.target, inside)


def test_a_band_wider_than_a_row_wraps_and_cascades_sit_side_by_side():
    docs = []
    for i in range(25):
        docs.append(Document(doc_number=f"某县发〔2024〕{i + 1}号", doc_number_key=f"某县发〔2024〕{i + 1}号",
                             title=f"关于第{i + 1}项工作的通知", attachment_title=None, issuer="互助县人民政府",
                             date="2024-01-02", published=None, level="county", region="互助县",
                             region_path=["国家", "青海省", "海东市", "互助县"], tasks=[], span=Span(0, 1)))
    scene = cascade_scene(build([Extraction(source="many.txt", documents=docs)]), None, "many")
    rows = sorted({b.y for b in scene.boxes})
    assert len(rows) == 3 and max(b.x + b.w for b in scene.boxes) < scene.width   # 10 a row
    assert scene.bands[0].label == "县级 county (25)"


def test_the_alignment_joins_the_tasks_the_graph_links_and_marks_the_gaps(G):
    scene = alignment_scene(G, QINGHAI_2022, HAIDONG)
    expected = {(v, u) for u, v, _ in task_links(G, QINGHAI_2022, HAIDONG)}
    assert {(lk.source, lk.target) for lk in scene.links} == expected and len(expected) == 26
    carried = {v for v, _ in expected}
    gaps = {b.id for b in scene.boxes if "gap" in b.kind}
    assert gaps == set(tasks_of(G, QINGHAI_2022)) - carried
    assert {G.nodes[t]["path"] for t in gaps} == {"三/（九）", "四/（十三）"}
    drift = next(lk for lk in scene.links if lk.target == "task:n:东政办〔2023〕47号#一/（三）/11")
    assert drift.label == "35% → 45%"                          # target drift written on the link
    # each column keeps its document's own order
    parent_boxes = [b for b in scene.boxes if b.id in set(tasks_of(G, QINGHAI_2022))]
    assert [b.id for b in sorted(parent_boxes, key=lambda b: b.y)] == tasks_of(G, QINGHAI_2022)


def test_coverage_cells_are_what_the_gaps_query_answers(store):
    G = policykg.read_graph(store)
    cov = coverage(G, QINGHAI_2022)
    assert cov.documents == [HAIDONG]
    not_carried = [G.nodes[t]["path"] for t in cov.tasks if (t, HAIDONG) not in cov.cells]
    gaps = policykg.query("gaps", parent=QINGHAI_2022, child="东政办〔2023〕47号", db=store)
    assert not_carried == [row["task"] for row in gaps] == ["三/（九）", "四/（十三）"]
    assert policykg.query("gaps", parent=QINGHAI_2022, child="海东市", db=store) == gaps


def _chain():
    """province → city → county, where the county's task reaches the province's only through the
    city's: a coverage cell 'via' an intermediate document."""
    span = Span(0, 10)
    dept = [Department(name="卫健委", role="lead", canonical="卫生健康委员会", span=span)]

    def doc(number, level, region, path, date, cites, title):
        return Document(doc_number=number, doc_number_key=number, title=f"关于印发{title}的通知",
                        attachment_title=title, issuer=f"{region}人民政府办公室", date=date, published=None,
                        level=level, region=region, region_path=path,
                        tasks=[Task(path=["一"], title="推进医共体建设全覆盖", text="推进紧密型县域医共体建设全覆盖，覆盖率达到90%。",
                                    departments=dept, span=span),
                               Task(path=["二"], title="加强基层人才队伍", text="加强基层卫生人才队伍建设。", departments=dept,
                                    span=span)],
                        citations=[Citation(title=None, doc_number=cites, doc_number_key=cites, span=span, basis=True)]
                        if cites else [], span=span)
    docs = [doc("青政办〔2023〕1号", "province", "青海省", ["国家", "青海省"], "2023-01-05", None, "青海省医共体建设方案"),
            doc("东政办〔2023〕9号", "city", "海东市", ["国家", "青海省", "海东市"], "2023-03-05", "青政办〔2023〕1号",
                "海东市医共体建设方案"),
            doc("互政办〔2023〕4号", "county", "互助县", ["国家", "青海省", "海东市", "互助县"], "2023-05-05",
                "东政办〔2023〕9号", "互助县医共体建设方案")]
    G = build([Extraction(source=f"{i}.txt", documents=[d]) for i, d in enumerate(docs)])
    link(G)
    return G


def test_a_county_carrying_a_province_task_through_its_city_is_covered_via_the_city():
    G = _chain()
    cov = coverage(G, "doc:n:青政办〔2023〕1号")
    assert cov.documents == ["doc:n:东政办〔2023〕9号", "doc:n:互政办〔2023〕4号"]
    task = "task:n:青政办〔2023〕1号#一"
    assert cov.cells[(task, "doc:n:东政办〔2023〕9号")][1] == 1
    assert cov.cells[(task, "doc:n:互政办〔2023〕4号")][1] == 2       # through the city's task
    scene = viz.scene_for(G, "coverage", directive="青政办〔2023〕1号")
    cell = next(b for b in scene.boxes if b.id == f"cell:{task}|doc:n:互政办〔2023〕4号")
    assert cell.lines[0].text.endswith(" via") and "through 2 task links" in cell.hover
    assert scene.smallest_text() >= MIN_TEXT


def test_a_cascade_past_what_a_page_can_show_is_refused_with_advice(G, monkeypatch, tmp_path):
    monkeypatch.setattr(viz, "MAX_CASCADE_DOCUMENTS", 5)
    with pytest.raises(viz.ViewError, match=r"15 documents are more than one page can show \(at most 5\): "
                                             r"draw one document's lineage with --trace DOC"):
        viz.make(G, out=tmp_path / "x.html")
    assert not (tmp_path / "x.html").exists()
    monkeypatch.setattr(viz, "PROGRESS_FROM", 1)
    said = []
    viz.make(G, trace="东政办〔2023〕47号", out=tmp_path / "t.html", progress=said.append)
    assert said == ["laying out the cascade view of 38 documents", "writing the page (2 documents, 1 link)"]


# ---------------------------------------------------------------- in the browser

def _smallest_text_px(page, selector):
    return page.evaluate(f"""Math.min(...[...document.querySelectorAll("{selector}")]
        .filter(t => t.textContent.trim()).map(t => t.getBoundingClientRect().height))""")


def _click(page, node_id):
    page.locator(f'#picture g.box[data-id="{node_id}"] rect').click()


def test_cascade_page_reads_at_its_opening_size_and_a_click_lists_a_tasks_departments(G, tmp_path, offline_page,
                                                                                  pictures):
    result = viz.make(G, out=tmp_path / "cascade.html")
    page_file = result.written[0]
    assert "http://" not in page_file.read_text("utf-8").replace('xmlns="http://www.w3.org/2000/svg"', "")
    open_page(offline_page, page_file)
    # the glyphs' boxes, measured by the browser: every document label and band label is ≥ 12 px
    assert _smallest_text_px(offline_page, "#picture g.box.document text") >= 12
    bands = offline_page.eval_on_selector_all("#picture g.band text", "els => els.map(e => e.textContent)")
    assert bands == ["国家级 national (3)", "省级 province (8)", "市级 city (3)", "县级 county (1)"]
    offline_page.screenshot(path=str(pictures / "cascade-view.png"))
    _click(offline_page, HAIDONG)
    assert offline_page.inner_text("#details h2").startswith("东政办〔2023〕47号")
    assert offline_page.locator("#tasks li").count() == 35
    offline_page.locator('#tasks button[data-id="task:n:东政办〔2023〕47号#一/（二）/6"]').click()
    details = offline_page.inner_text("#details")
    assert details.startswith("一/（二）/6 提高县域医共体建设质量")
    for u, _, k, e in G.in_edges("task:n:东政办〔2023〕47号#一/（二）/6", keys=True, data=True):
        if k == "RESPONSIBLE_FOR":
            assert f"{G.nodes[u]['full_name']} ({e['role']})" in details
    offline_page.fill("#search", "三明市")
    assert offline_page.inner_text("#hits") == "2 命中 hits"
    hits = offline_page.eval_on_selector_all("#picture g.box.hit", "els => els.map(e => e.dataset.id)")
    assert sorted(hits) == sorted([SANMING, "doc:n:明委发〔2024〕4号"])
    offline_page.locator(f'#picture g.link[data-source="{HAIDONG}"] path').click(force=True)
    assert "subject_similarity" in offline_page.inner_text("#details")
    assert offline_page.blocked == [] and offline_page.failed == [] and offline_page.errors == []


def test_alignment_page_links_join_the_right_tasks(G, tmp_path, offline_page, pictures):
    page_file = viz.make(G, align=(QINGHAI_2022, "东政办〔2023〕47号"), out=tmp_path / "align.html").written[0]
    open_page(offline_page, page_file)
    assert _smallest_text_px(offline_page, "#picture text") >= 12
    drawn = offline_page.eval_on_selector_all("#picture g.link", "els => els.map(e => [e.dataset.source, e.dataset.target])")
    assert sorted(map(tuple, drawn)) == sorted((v, u) for u, v, _ in task_links(G, QINGHAI_2022, HAIDONG))
    # the drawn curve starts at its parent task's box and ends at its child task's
    ends = offline_page.evaluate("""() => [...document.querySelectorAll('#picture g.link')].map(g => {
        const p = g.querySelector('path'), n = p.getTotalLength();
        const a = p.getPointAtLength(0), b = p.getPointAtLength(n);
        const box = id => { const r = document.querySelector(`#picture g.box[data-id="${CSS.escape(id)}"] rect`);
                            return [r.x.baseVal.value, r.y.baseVal.value, r.width.baseVal.value, r.height.baseVal.value]; };
        return [a.x, a.y, b.x, b.y, box(g.dataset.source), box(g.dataset.target)]; })""")
    for ax, ay, bx, by, (sx, sy, sw, sh), (tx, ty, tw, th) in ends:
        assert abs(ax - (sx + sw)) < 1 and sy <= ay <= sy + sh
        assert abs(bx - tx) < 1 and ty <= by <= ty + th
    offline_page.screenshot(path=str(pictures / "alignment-view.png"))
    _click(offline_page, "task:n:东政办〔2023〕47号#一/（三）/11")
    assert "海东市医疗保障局 (lead)" in offline_page.inner_text("#details")
    assert offline_page.blocked == [] and offline_page.errors == []


def test_coverage_page_shows_a_cell_per_task_and_document(store, tmp_path, offline_page, pictures):
    page_file = policykg.visualize(coverage=QINGHAI_2022, out=tmp_path / "coverage.html", db=store).written[0]
    open_page(offline_page, page_file)
    assert _smallest_text_px(offline_page, "#picture text") >= 12
    empty = offline_page.eval_on_selector_all("#picture g.box.not-carried", "els => els.map(e => e.dataset.id)")
    G = policykg.read_graph(store)
    assert sorted(G.nodes[e[len("cell:"):].split("|")[0]]["path"] for e in empty) == ["三/（九）", "四/（十三）"]
    offline_page.screenshot(path=str(pictures / "coverage-view.png"))
    assert offline_page.blocked == [] and offline_page.errors == []


def test_document_text_in_a_cascade_page_is_text_and_runs_nothing(tmp_path, offline_page):
    G = build([hostile_extraction(f"evil{HOSTILE}.txt", attachment_title=f"方案{HOSTILE}")])
    page_file = viz.make(G, out=tmp_path / "hostile.html", svg=tmp_path / "hostile.svg").written[0]
    open_page(offline_page, page_file)
    _click(offline_page, "doc:n:青政办〔2024〕1号")
    offline_page.locator("#tasks button").first.click()
    assert HOSTILE in offline_page.inner_text("#details")
    assert offline_page.evaluate("window.__xss") is None
    assert offline_page.evaluate("document.querySelectorAll('img, #picture script').length") == 0
    assert offline_page.dialogs == [] and offline_page.errors == []
    import xml.dom.minidom
    xml.dom.minidom.parse(str(tmp_path / "hostile.svg"))        # well-formed: the text is escaped


def test_png_and_svg_of_every_view(G, tmp_path):
    from PIL import Image
    for name, kwargs in (("cascade", {}), ("alignment", {"align": (QINGHAI_2022, HAIDONG)}),
                         ("coverage", {"directive": QINGHAI_2022})):
        result = viz.make(G, png=tmp_path / f"{name}.png", svg=tmp_path / f"{name}.svg", **kwargs)
        image = Image.open(result.written[0]).convert("L")
        lo, hi = image.getextrema()
        assert hi - lo > 150 and image.size[0] >= 1200
        svg = (tmp_path / f"{name}.svg").read_text("utf-8")
        texts = re.findall(r"<text [^>]*>([^<]*)</text>", svg)
        assert any("东政办〔2023〕47号" in t for t in texts), name


def test_every_viz_command_of_the_readme_runs(store, tmp_path, monkeypatch):
    import shlex
    from pathlib import Path
    readme = (Path(__file__).parents[1] / "README.md").read_text("utf-8")
    block = readme.split("## See the lineage", 1)[1].split("```sh\n", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line.split("  #", 1)[0]) for line in block.splitlines() if line.strip()]
    assert len(commands) == 6 and all(c[:2] == ["policykg", "viz"] for c in commands)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        result = CliRunner().invoke(main, command[1:] + ["--db", str(store)])
        assert result.exit_code == 0, (command, result.output)
        written = [line.split(" ", 2)[1] for line in result.output.splitlines()]
        assert written and all((tmp_path / name).stat().st_size > 1000 for name in written), command


def test_a_directive_sits_over_the_documents_carrying_it_down():
    span = Span(0, 10)

    def doc(number, level, region, path, cites=None):
        return Document(doc_number=number, doc_number_key=number, title=f"关于{region}优化政务服务的意见",
                        attachment_title=None, issuer=f"{region}人民政府", date="2024-03-01", published=None,
                        level=level, region=region, region_path=path, tasks=[],
                        citations=[Citation(title=None, doc_number=cites, doc_number_key=cites, span=span, basis=True)]
                        if cites else [], span=span)
    provinces = ["山西省", "甘肃省", "江苏省", "河北省"]
    docs = [doc("国发〔2024〕3号", "national", "国家", ["国家"])] + [
        doc(f"{p[0]}政发〔2024〕{i + 1}号", "province", p, ["国家", p], "国发〔2024〕3号") for i, p in enumerate(provinces)]
    G = build([Extraction(source=f"{i}.txt", documents=[d]) for i, d in enumerate(docs)])
    link(G)
    scene = cascade_scene(G, None, "one directive")
    boxes = {b.id: b for b in scene.boxes}
    children = [boxes[n] for n in boxes if n != "doc:n:国发〔2024〕3号"]
    assert len(scene.links) == 4
    root = boxes["doc:n:国发〔2024〕3号"]
    assert min(b.x for b in children) < root.x < max(b.x for b in children)


def test_one_documents_views_read_from_its_neighbourhood_equal_the_whole_graphs(store, monkeypatch):
    G = policykg.read_graph(store)
    drawn = []
    monkeypatch.setattr(viz, "draw_scene", lambda scene, path: drawn.append(scene) or path)
    for kwargs, whole in (({"trace": "东政办〔2023〕47号"}, viz.scene_for(G, trace="东政办〔2023〕47号")),
                          ({"coverage": QINGHAI_2022}, viz.scene_for(G, "coverage", directive=QINGHAI_2022)),
                          ({"align": (QINGHAI_2022, "东政办〔2023〕47号")},
                           viz.scene_for(G, "alignment", align=(QINGHAI_2022, "东政办〔2023〕47号")))):
        policykg.visualize(png="x.png", db=store, **kwargs)
        part = drawn[-1]
        assert [(b.id, b.x, b.y, [ln.text for ln in b.lines]) for b in part.boxes] == \
               [(b.id, b.x, b.y, [ln.text for ln in b.lines]) for b in whole.boxes], kwargs
        assert [(lk.source, lk.target, lk.label, lk.hover) for lk in part.links] == \
               [(lk.source, lk.target, lk.label, lk.hover) for lk in whole.links]
        assert part.details == whole.details
