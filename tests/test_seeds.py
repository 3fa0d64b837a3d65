"""Table-driven checks over the five real seed documents. Expected values were read off the
source text by hand (the 文号, dates, task numbering, the responsibility lists as printed)."""
import pytest

# seed: (documents, tasks per document, distinct departments named in tasks, targets, citations)
COUNTS = {
    "000": (1, [35], [15], [29], [9]),
    "001": (1, [24], [12], [16], [5]),
    "002": (5, [9, 24, 17, 0, 0], [22, 16, 13, 0, 0], [1, 27, 14, 0, 0], [0, 3, 2, 1, 0]),
    "003": (1, [19], None, None, [6]),
    "004": (1, [24], None, None, [3]),
}


@pytest.mark.parametrize("seed", sorted(COUNTS))
def test_counts(seeds, seed):
    ndocs, ntasks, ndepts, ntargets, ncites = COUNTS[seed]
    docs = seeds[seed].documents
    assert len(docs) == ndocs
    assert [len(d.tasks) for d in docs] == ntasks
    if ndepts is not None:
        assert [len({x.name for t in d.tasks for x in t.departments}) for d in docs] == ndepts
    if ntargets is not None:
        assert [sum(len(t.targets) for t in d.tasks) for d in docs] == ntargets
    assert [len(d.citations) for d in docs] == ncites


METADATA = [
    ("000", 0, "doc_number", "东政办〔2023〕47号"),
    ("000", 0, "date", "2023-06-07"),
    ("000", 0, "level", "city"),
    ("000", 0, "attachment_title", "海东市2023年综合医改重点工作任务"),
    ("001", 0, "doc_number", None),
    ("001", 0, "date", "2022-05-11"),          # 成文日期, not the 发布日期 2022-05-20
    ("001", 0, "published", "2022-05-20"),
    ("001", 0, "region", "青海省"),
    ("002", 1, "doc_number", "青政办〔2023〕75号"),
    ("002", 3, "repeals", ["青政办函〔2020〕177号"]),
    ("002", 4, "issuer", "青海省人民政府"),
    ("002", 4, "date", "2023-10-24"),
    ("003", 0, "doc_number", "互政办〔2025〕67号"),
    ("003", 0, "level", "county"),
    ("003", 0, "region", "互助县"),
    ("003", 0, "region_path", ["国家", "青海省", "海东市", "互助土族自治县"]),
    ("003", 0, "date", "2025-12-10"),
    ("004", 0, "doc_number", "明医改组〔2024〕4号"),   # printed with a space: 4 号
    ("004", 0, "doc_number_key", "明医改组〔2024〕4号"),
    ("004", 0, "issuer", "三明市深化医药卫生体制改革领导小组"),
    ("004", 0, "region", "三明市"),
    ("004", 0, "attachment_title", "2024年深化医改重点任务分解表"),
]


@pytest.mark.parametrize("seed,doc,field,expected", METADATA)
def test_metadata(seeds, seed, doc, field, expected):
    assert getattr(seeds[seed].documents[doc], field) == expected


def task(seeds, seed, doc, path):
    return next(t for t in seeds[seed].documents[doc].tasks if t.path == path)


DEPARTMENTS = [
    # a list broken across a PDF line: （各县区政府，市卫生健康\n委、市委编办…）
    ("000", 0, ["一", "（二）", "6"], [("各县区政府", "responsible"), ("市卫生健康委", "responsible"),
                                     ("市委编办", "responsible"), ("市医保局", "responsible"),
                                     ("市人力资源社会保障局", "responsible"), ("市财政局", "responsible")]),
    # OCR repeats 委 at the top of the next page: 省卫生健康委 / 委、省医保局
    ("002", 1, ["二", "（三）", "7"], [("省卫生健康委", "responsible"), ("省医保局", "responsible"),
                                     ("省人力资源社会保障厅", "responsible"), ("各市州政府", "responsible")]),
    # 牵头单位 / 责任单位 blocks
    ("003", 0, ["三", "（一）", "2"], [("县卫生健康局", "lead"), ("县医疗保障局", "responsible"),
                                     ("县市场监督管理局", "responsible")]),
    # a table cell split over three lines of spaced characters, 市红十字 / 会
    ("004", 0, ["二", "4"], [("市卫健委", "responsible"), ("发改委", "responsible"), ("财政局", "responsible"),
                            ("市红十字会", "responsible"), ("各县（市、区）", "responsible")]),
]


@pytest.mark.parametrize("seed,doc,path,expected", DEPARTMENTS)
def test_departments(seeds, seed, doc, path, expected):
    assert [(d.name, d.role) for d in task(seeds, seed, doc, path).departments] == expected


def test_elided_prefix_restored(seeds):
    depts = task(seeds, "004", 0, ["二", "2"]).departments
    canon = {d.name: d.canonical for d in depts}
    assert canon["市卫健委"] == "市卫生健康委员会"
    assert canon["教育局"] == "市教育局"
    assert canon["文旅局"] == "市文化和旅游局"
    assert next(d for d in depts if d.name == "各县（市、区）").collective


TARGETS = [
    ("000", 0, ["一", "（二）", "6"], [(70, "%", ">="), (50, "%", ">=")]),
    ("001", 0, ["六", "（二十）"], [(25, "%", ">="), (47, "%", ">="), (50, "%", ">=")]),
    ("002", 0, ["一"], [(9_000_000, "头只", ">=")]),
    ("002", 1, ["二", "（二）", "5"], [(100, "%", "="), (20, "%", ">="), (20, "所", ">="), (25, "所", "<=")]),
    ("004", 0, ["二", "4"], [(5, "元", "="), (300, "台", "="), (33_000, "人", "=")]),
]


@pytest.mark.parametrize("seed,doc,path,expected", TARGETS)
def test_targets(seeds, seed, doc, path, expected):
    got = [(t.value, t.unit, t.comparator) for t in task(seeds, seed, doc, path).targets]
    assert got == [(float(v), u, c) for v, u, c in expected]


def test_target_time_frame(seeds):
    t = task(seeds, "002", 1, ["二", "（一）", "1"])
    assert t.deadline == "2025-12" and {x.by for x in t.targets} == {"2025"}


def test_table_task_repeated_on_each_page_is_one_task(seeds):
    paths = [tuple(t.path) for t in seeds["004"].documents[0].tasks]
    assert len(paths) == len(set(paths)) == 24
    assert paths[1] == ("二", "2")
    # its measures ①…⑤ run across a page break and stay in the one task
    text = task(seeds, "004", 0, ["二", "2"]).text
    assert "①" in text and "⑤打造“六病共管”新模式" in text


def test_003_deadline_field(seeds):
    assert task(seeds, "003", 0, ["三", "（一）", "1"]).deadline == "2027-09"


def test_basis_and_nested_titles(seeds):
    cites = seeds["004"].documents[0].citations
    assert [c.doc_number_key for c in cites if c.basis] == ["国办发〔2024〕29号", "闽医改组〔2024〕1号", "明委发〔2024〕4号"]
    assert cites[0].title == "关于印发〈深化医药卫生体制改革2024年重点工作任务〉的通知"
    assert cites[0].issuer == "国务院办公厅"
    assert seeds["003"].documents[0].citations[0].basis


def test_gazette_chronicle_not_attributed(seeds):
    titles = {c.title for d in seeds["002"].documents for c in d.citations}
    assert not any("安全生产条例" in (t or "") for t in titles)


def test_spans_point_at_source(seeds):
    from tests.conftest import SAMPLES
    src = (SAMPLES / "000_688cda0958d2e220.txt").read_text(encoding="utf-8")
    t = task(seeds, "000", 0, ["一", "（二）", "6"])
    chunk = src[t.span.start:t.span.end]
    assert chunk.startswith("6. 提高县域医共体建设质量") and "按职责分工负责）" in chunk
    d = seeds["000"].documents[0]
    assert d.ledger[0].lead == ["各县区政府", "市医改领导小组秘书处"] and d.ledger[0].deadline == "10月底"


@pytest.mark.parametrize("seed,doc,path,name,canonical,region", [
    ("003", 0, ["三", "（一）", "1"], "县委办", "县委办公室", "互助县"),
    ("003", 0, ["三", "（一）", "1"], "县医疗保障局", "县医疗保障局", "互助县"),
    ("000", 0, ["一", "（二）", "6"], "市委编办", "市机构编制委员会办公室", "海东市"),
    ("001", 0, ["三", "（六）"], "省人力资源社会保障厅", "省人力资源和社会保障厅", "青海省"),
    ("004", 0, ["二", "2"], "体育局", "市体育局", "三明市"),
])
def test_department_canonical_and_region(seeds, seed, doc, path, name, canonical, region):
    d = next(x for x in task(seeds, seed, doc, path).departments if x.name == name)
    assert (d.canonical, d.region) == (canonical, region)
