"""A cascade written here in the shapes real ones take (no text copied from a real document): a
national opinion, a reprint of it on a news site, provinces citing it in traditional script, by
title alone and by a 文号 without its year (with an older document of the same code and number
about), a city that names only its province, a city that names nothing, a county that names all
three levels, and distractors of the same subject that carry down something else."""
import json

import pytest
from policykg.graph.build import build
from policykg.graph.lineage import descendants
from policykg.graph.link import link, rejected_parents
from policykg.loaders import extract_text

TASKS = ("一、夯实数字基础设施\n（一）推进网络覆盖。到2033年，行政村5G通达率达到90%。\n"
         "二、发展智慧农业\n（二）推广智能农机，建设数字农场。\n")

TEXTS = {
    "national.txt": "国务院关于推进数字乡村建设的指导意见\n国发〔2031〕3号\n各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n"
                    "为推进数字乡村建设，现提出如下意见。\n" + TASKS + "国务院\n2031年2月1日\n",
    # a news site's reprint of the same opinion: a header, a preface, the same 文号
    "reprint.txt": "首页 > 要闻\n国务院印发《关于推进数字乡村建设的指导意见》\n发布时间：2031-02-06 来源：新华网\n"
                   "新华社北京2月6日电 日前，国务院印发《关于推进数字乡村建设的指导意见》。全文如下。\n"
                   "国务院关于推进数字乡村建设的指导意见\n国发〔2031〕3号\n各省、自治区、直辖市人民政府：\n"
                   "为推进数字乡村建设，现提出如下意见。\n" + TASKS,
    # the same code and number two years earlier, another subject
    "older.txt": "国务院关于加强农田水利建设的意见\n国发〔2029〕3号\n各省、自治区、直辖市人民政府：\n"
                 "为加强农田水利建设，现提出如下意见。\n一、完善灌溉体系\n（一）新增高效节水灌溉面积。\n国务院\n2029年3月1日\n",
    # a traditional-script mirror citing the national 文号 in traditional script
    "gansu.txt": "甘肅省人民政府關於推進數字鄉村建設的實施意見\n甘政發〔2031〕20號\n各市、自治州人民政府，省政府各部門：\n"
                 "為貫徹落實《國務院關於推進數字鄉村建設的指導意見》（國發〔2031〕3號），結合我省實際，提出如下實施意見。\n"
                 "一、夯實數字基礎設施\n（一）推進網絡覆蓋。到2033年，行政村5G通達率達到95%。（省通信管理局牽頭）\n"
                 "甘肅省人民政府\n2031年4月1日\n",
    # citing by title alone, its issuer in front
    "shanxi.txt": "山西省人民政府关于推进数字乡村建设的实施意见\n晋政发〔2031〕8号\n各市人民政府，省人民政府各委、办、厅、局：\n"
                  "为贯彻落实国务院《关于推进数字乡村建设的指导意见》，结合我省实际，提出如下实施意见。\n" + TASKS +
                  "山西省人民政府\n2031年5月1日\n",
    # citing a 文号 without its year
    "jiangsu.txt": "江苏省人民政府关于推进数字乡村建设的实施意见\n苏政发〔2031〕65号\n各设区市人民政府，省各委办厅局：\n"
                   "为认真贯彻落实国发3号文件精神，结合我省实际，提出如下实施意见。\n" + TASKS + "江苏省人民政府\n2031年6月1日\n",
    # a city naming only its province's plan: it carries the national opinion through it
    "lanzhou.txt": "兰州市人民政府关于推进数字乡村建设的实施方案\n兰政发〔2031〕11号\n各县、区人民政府：\n"
                   "为贯彻落实《甘肃省人民政府关于推进数字乡村建设的实施意见》（甘政发〔2031〕20号），制定本方案。\n" + TASKS +
                   "兰州市人民政府\n2031年7月1日\n",
    # a city naming nothing: inferred from its province's plan on the same subject
    "taiyuan.txt": "太原市人民政府关于推进数字乡村建设的实施方案\n并政发〔2031〕12号\n各县（市、区）人民政府：\n"
                   "为推进数字乡村建设，结合我市实际，制定本方案。\n" + TASKS + "太原市人民政府\n2031年8月1日\n",
    # a county naming all three levels
    "yuzhong.txt": "榆中县人民政府关于推进数字乡村建设的实施方案\n榆政发〔2031〕5号\n各乡镇人民政府：\n"
                   "根据《国务院关于推进数字乡村建设的指导意见》（国发〔2031〕3号）、《甘肃省人民政府关于推进数字乡村建设的实施意见》"
                   "（甘政发〔2031〕20号）和《兰州市人民政府关于推进数字乡村建设的实施方案》（兰政发〔2031〕11号），制定本方案。\n"
                   + TASKS + "榆中县人民政府\n2031年9月1日\n",
    # distractors: the same subject, earlier, carrying down another document
    "taiyuan_2030.txt": "太原市人民政府关于推进数字乡村建设试点的实施方案\n并政发〔2030〕30号\n各县（市、区）人民政府：\n"
                        "根据《数字乡村发展行动计划》（中农发〔2029〕9号），现就数字乡村试点通知如下。\n" + TASKS +
                        "太原市人民政府\n2030年6月1日\n",
    # the same subject and year in another province, carrying down its own province's plan (not in
    # the set): linked to that plan only, not to the national opinion nor another province's plan
    "xian.txt": "西安市人民政府关于推进数字乡村建设的实施方案\n市政发〔2031〕40号\n各区县人民政府：\n"
                "为贯彻落实《陕西省人民政府关于加快数字乡村发展的意见》（陕政发〔2031〕2号），制定本方案。\n" + TASKS +
                "西安市人民政府\n2031年8月1日\n",
}


@pytest.fixture(scope="module")
def G():
    G = build(extract_text(text, source=name) for name, text in TEXTS.items())
    link(G)
    return G


def _node(G, source: str) -> str:
    [node] = [n for n, d in G.nodes(data=True) if d.get("label") == "Document" and d.get("source") == source]
    return node


def _direct(G) -> dict[tuple[str, str], str]:
    """Document links as (child file, parent file or placeholder id) → method."""
    name = lambda n: G.nodes[n].get("source") or n
    return {(name(u), name(v)): d["method"] for u, v, k, d in G.edges(keys=True, data=True)
            if k == "IMPLEMENTS" and G.nodes[u]["label"] == "Document"}


def test_a_reprint_is_the_same_document(G):
    national = [n for n, d in G.nodes(data=True) if d.get("label") == "Document" and d.get("doc_number") == "国发〔2031〕3号"]
    assert national == ["doc:n:国发〔2031〕3号"]


def test_every_link_of_the_cascade_and_no_other(G):
    national = G.nodes["doc:n:国发〔2031〕3号"]["source"]
    assert _direct(G) == {
        ("gansu.txt", national): "stated",            # 國發〔2031〕3號
        ("shanxi.txt", national): "stated",           # by title, issuer in front
        ("jiangsu.txt", national): "stated",          # 国发3号文件: the 2031 one, not the 2029 one
        ("lanzhou.txt", "gansu.txt"): "stated",
        ("taiyuan.txt", "shanxi.txt"): "inferred",
        ("yuzhong.txt", national): "stated",
        ("yuzhong.txt", "gansu.txt"): "stated",
        ("yuzhong.txt", "lanzhou.txt"): "stated",
        ("taiyuan_2030.txt", "doc:n:中农发〔2029〕9号"): "stated",
        ("xian.txt", "doc:n:陕政发〔2031〕2号"): "stated",
    }


def test_a_yearless_number_says_which_document_it_resolved_to(G):
    [evidence] = [json.loads(d["evidence"]) for _, _, k, d in G.out_edges(_node(G, "jiangsu.txt"), keys=True, data=True)
                  if k == "IMPLEMENTS"]
    assert evidence["citation"] == "国发3号" and evidence["resolved_to"] == "国发〔2031〕3号"


def test_trace_down_reaches_every_level_through_the_nearest_parents(G):
    below = {G.nodes[n]["source"] for n in descendants(G, "doc:n:国发〔2031〕3号")}
    assert below == {"gansu.txt", "shanxi.txt", "jiangsu.txt", "lanzhou.txt", "taiyuan.txt", "yuzhong.txt"}
    assert not descendants(G, "doc:n:国发〔2029〕3号")


def test_explain_says_why_each_same_subject_document_is_not_a_parent(G):
    why = {(G.nodes[r["child"]]["source"], G.nodes[r["candidate"]]["source"]): r["reason"] for r in rejected_parents(G)}
    national = G.nodes["doc:n:国发〔2031〕3号"]["source"]
    assert why[("xian.txt", "gansu.txt")].startswith("its region (甘肃省) does not contain")
    assert why[("xian.txt", national)] == "the document states a parent at this level or a nearer one"
    assert why[("taiyuan_2030.txt", "shanxi.txt")] == "it is later than the document"
    assert why[("taiyuan.txt", national)] == "another document was inferred instead"
    linked = {(G.nodes[u].get("source"), G.nodes[v].get("source")) for u, v, k in G.edges(keys=True) if k == "IMPLEMENTS"}
    assert not linked & set(why)


def test_a_page_excerpt_with_one_task_a_side_still_aligns_its_task(G):
    """Two tasks that are each other's best match, in a pair too small for a bar set by the
    pair's background (one task against two)."""
    gansu = _node(G, "gansu.txt")
    pairs = {(G.nodes[u]["path"], G.nodes[v]["document"], G.nodes[v]["path"])
             for u, v, k in G.edges(keys=True) if k == "IMPLEMENTS" and G.nodes[u]["label"] == "Task"
             and G.nodes[u]["document"] == gansu}
    assert pairs == {("一/（一）", "doc:n:国发〔2031〕3号", "一/（一）")}


def test_a_traditional_script_mirror_aligns_its_task_as_well_as_a_simplified_copy(G):
    gansu = _node(G, "gansu.txt")
    [score] = [d["score"] for u, v, k, d in G.edges(keys=True, data=True)
               if k == "IMPLEMENTS" and G.nodes[u]["label"] == "Task" and G.nodes[u]["document"] == gansu]
    assert score > 0.5


def test_trace_shows_each_document_once_under_its_nearest_parent(tmp_path):
    import policykg
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, "utf-8")
    db = tmp_path / "c.lbug"
    policykg.ingest([folder], db=db)
    lines = policykg.trace("国發〔2031〕3號", db=db)
    documents = [l for l in lines[1:] if "〕" in l.split("←")[0] and "/" not in l.split()[1]]
    named = [l.split("─ ", 1)[1].split()[0] for l in documents]
    assert sorted(named) == sorted(set(named)) and len(named) == 6, lines
    [county] = [l for l in documents if "榆政发〔2031〕5号" in l]
    assert "also carries down 国发〔2031〕3号, 甘政發〔2031〕20號" in county
    assert lines.index(county) > lines.index(next(l for l in documents if "兰政发〔2031〕11号" in l))


def _spring_notice(year: int, header: str = "") -> str:
    return (f"{header}某某县人民政府关于做好春耕生产工作的通知\n各乡镇人民政府：\n现将有关事项通知如下。\n"
            f"一、主要任务\n（一）抓好备耕{year}。粮食播种面积稳定在{year - 1900}万亩以上。（县农业农村局负责）\n"
            f"某某县人民政府\n{year}年3月1日\n")


def test_one_title_in_two_years_is_two_documents_and_a_reprint_is_one_whatever_the_order():
    a = extract_text(_spring_notice(2030), source="a.txt")
    b = extract_text(_spring_notice(2031), source="b.txt")
    reprint = extract_text(_spring_notice(2031, "首页 > 政务公开\n发布时间：2031-03-05\n"), source="c.txt")
    seen = set()
    for order in ([a, b, reprint], [reprint, b, a], [b, a, reprint]):
        G = build(order)
        docs = sorted((n, G.nodes[n]["date"]) for n, d in G.nodes(data=True)
                      if d.get("label") == "Document" and not d.get("placeholder"))
        seen.add(tuple(docs))
        tasks = sorted(G.nodes[t]["title"] for t, d in G.nodes(data=True) if d.get("label") == "Task")
        assert tasks == ["抓好备耕2030", "抓好备耕2031"]
    assert seen == {(("doc:t:某某县人民政府关于做好春耕生产工作的通知@2030-03-01", "2030-03-01"),
                     ("doc:t:某某县人民政府关于做好春耕生产工作的通知@2031-03-01", "2031-03-01"))}
