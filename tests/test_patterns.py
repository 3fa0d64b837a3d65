"""Unit tests per pattern, table-driven: each row is an input and what must come out."""
import os

import pytest
from policykg.loaders.citations import doc_number_key
from policykg.loaders.cleaning import clean, label_of, lines_of, normalise
from policykg.loaders.departments import canonical, parse_list
from policykg.loaders.extraction import extract_text
from policykg.loaders.targets import find_targets


@pytest.mark.parametrize("printed,key", [
    ("国办发〔2024〕29号", "国办发〔2024〕29号"),
    ("国办发[2024]29号", "国办发〔2024〕29号"),
    ("国办发(2024)29号", "国办发〔2024〕29号"),
    ("国办发（2024）29号", "国办发〔2024〕29号"),
    ("国办发【2024】29号", "国办发〔2024〕29号"),
    ("明医改组〔2024〕4 号", "明医改组〔2024〕4号"),
    ("青政办函〔2020〕177 号", "青政办函〔2020〕177号"),
    ("no number here", None),
])
def test_doc_number_key(printed, key):
    assert doc_number_key(printed) == key


@pytest.mark.parametrize("text,label", [
    ("一、工作任务", ("cn", "一", "一、")),
    ("（十二）提升医疗服务能力", ("pcn", "十二", "（十二）")),
    ("(三) 加强宣传引导", ("pcn", "三", "（三）")),
    ("12.强化医疗质量管理。", ("arabic", "12", "12.")),
    ("3、完善机制", ("arabic", "3", "3、")),
    ("(2)建立台账", ("parabic", "2", "（2）")),
    ("③推动各类医联体", ("circled", "③", "③")),
    ("第五条 本办法自印发之日起施行", ("article", "五", "第五条")),
    ("2.5万人参加培训", None),            # a decimal, not an item
    ("10%以上", None),
    ("三、二级公立医院电子病历", None),     # hospital tiers, not section 三
    ("1次，召开医改领导会议", None),
])
def test_labels(text, label):
    assert label_of(normalise(text.replace(" ", ""))) == label


def test_cleaning_joins_wrapped_lines_and_drops_page_numbers():
    src = "1. 完善医改组织保障机制。各县区要把医改工作摆在重要\n\n位置，不少于 1\n\n— 5 —\n\n次。（各县区政\n府负责）\n"
    blocks = clean(src)
    assert len(blocks) == 1
    b = blocks[0]
    assert b.text == "1.完善医改组织保障机制。各县区要把医改工作摆在重要位置，不少于1次。（各县区政府负责）"
    # every cleaned character maps back to the same character in the source
    assert all(src[o] == ch for o, ch in zip(b.offsets, b.text))


def test_cleaning_collapses_spaced_table_text_and_markdown():
    lines = lines_of("推 动 地 方 各 级 政 府 ， 落 实 13— 14 周 岁 HPV 疫 苗\n## **8. 推进紧密型城市医联体建设。**结合 and 合理\n")
    assert lines[0].text == "推动地方各级政府，落实13—14周岁HPV疫苗"
    assert lines[1].heading == 2 and lines[1].text == "8.推进紧密型城市医联体建设。结合and合理"


def test_normalise_keeps_length_and_simplifies():
    printed = "衛生健康委員會(2023),醫療保障局:1,000人"
    n = normalise(printed)
    assert len(n) == len(printed)
    assert n == "卫生健康委员会（2023），医疗保障局：1,000人"


@pytest.mark.parametrize("printed,role,expected", [
    ("省财政厅、省卫生健康委，各市州政府按职责分工负责", "responsible",
     [("省财政厅", "responsible"), ("省卫生健康委", "responsible"), ("各市州政府", "responsible")]),
    ("省卫生健康委牵头，省财政厅、省医保局配合", "responsible",
     [("省卫生健康委", "lead"), ("省财政厅", "cooperate"), ("省医保局", "cooperate")]),
    ("市卫健委、教育局，各县（市、区）", "responsible",
     [("市卫健委", "responsible"), ("教育局", "responsible"), ("各县（市、区）", "responsible")]),
    ("省卫生健康委委、省医保局等", "responsible", [("省卫生健康委", "responsible"), ("省医保局", "responsible")]),
])
def test_department_lists(printed, role, expected):
    assert [(d.name, d.role) for d in parse_list(printed, role)] == expected


@pytest.mark.parametrize("name,prefix,full", [
    ("市卫健委", None, "市卫生健康委员会"),
    ("医保局", "市", "市医疗保障局"),
    ("省人力资源社会保障厅", None, "省人力资源和社会保障厅"),
    ("县委编办", None, "县机构编制委员会办公室"),
    ("发改委", "市", "市发展和改革委员会"),
    ("各县区政府", "市", "各县区政府"),   # a collective keeps its name
])
def test_canonical_names(name, prefix, full):
    assert canonical(name, prefix) == full


@pytest.mark.parametrize("text,expected", [
    ("力争年内县域内住院量占比达到70%以上", [(70, "%", ">=")]),
    ("基本药物使用金额占比不低于25%、50%和80%", [(25, "%", ">="), (50, "%", ">="), (80, "%", ">=")]),
    ("门诊抗菌药物处方使用率低于20%以下", [(20, "%", "<=")]),
    ("年内公立医院医疗服务收入占比达到45%左右", [(45, "%", "=")]),
    ("新增床位4000余张", [(4000, "张", ">=")]),
    ("建成20至25所社区医院", [(20, "所", ">="), (25, "所", "<=")]),
    ("培训救护员3.3万人", [(33000, "人", "=")]),
    ("三、二级公立医院电子病历应用水平分别达到四级、三级", [(4, "级", "="), (3, "级", "=")]),
    ("管理费用率控制在10%以内", [(10, "%", "<=")]),
    ("落实13—14周岁HPV疫苗免费接种", []),                      # ages
    ("持续推进国家4所高水平医院支持4所省级医院建设工作", []),       # programme scope
    ("加快推进二级甲等医院创建工作", []),                         # hospital grade
    ("落实《青海省公立医院高质量发展促进行动(2022—2025年)》", []),  # a title's years
    ("召开2023年第12次常务会议", []),
    ("服务人口超过1万人的乡镇卫生院普遍达到能力标准", []),          # a qualifier
])
def test_targets(text, expected):
    got = [(t.value, t.unit, t.comparator) for t, _, _ in find_targets(text, normalise(text))]
    assert got == [(float(v), u, c) for v, u, c in expected]


def test_target_year_frame():
    text = "到2025年，每千人口执业（助理）医师数达到3.28人、注册护士数达到3.6人。"
    got = [(t.value, t.by) for t, _, _ in find_targets(text, normalise(text))]
    assert got == [(3.28, "2025"), (3.6, "2025")]


NOTICE = """青海省人民政府办公厅关于印发测试实施方案的通知
青政办〔二〇二三〕1号
各市、自治州人民政府，省政府各委、办、厅、局：
《测试实施方案》已经省政府同意，现印发给你们。
青海省人民政府办公厅
二〇二三年十月二十五日
测试实施方案
为深入贯彻《中共中央办公厅 国务院办公厅印发〈关于进一步深化改革的意见〉的通知》（厅字〔2023〕3号）精神，根据《青海省另一个方案》，制定本方案。
一、重点任务
（一）完善机制。到2025年，覆盖率达到90%以上。（责任单位：省卫生健康委、省财政厅，各市州政府）
（二）加强监管。落实《医疗质量管理办法》。（省医保局牵头，省市场监管局配合）
《关于同意建立联席会议制度的复函》（青政办函〔2020〕177号）同时废止。
"""


def test_notice_end_to_end():
    doc = extract_text(NOTICE).documents[0]
    assert doc.title == "青海省人民政府办公厅关于印发测试实施方案的通知"
    assert doc.date == "2023-10-25"                     # written in Chinese numerals
    assert doc.attachment_title == "测试实施方案"
    assert doc.level == "province" and doc.region == "青海省"
    cites = {c.title or c.doc_number: c for c in doc.citations}
    assert "测试实施方案" not in cites                  # its own attachment is not a citation
    assert cites["中共中央办公厅国务院办公厅印发〈关于进一步深化改革的意见〉的通知"].doc_number == "厅字〔2023〕3号"
    assert cites["中共中央办公厅国务院办公厅印发〈关于进一步深化改革的意见〉的通知"].basis
    assert cites["青海省另一个方案"].basis
    assert not cites["医疗质量管理办法"].basis          # a task-level reference
    assert doc.repeals == ["青政办函〔2020〕177号"]
    t1, t2 = doc.tasks
    assert t1.path == ["一", "（一）"] and t1.deadline == "2025-12"
    assert [(d.name, d.role) for d in t2.departments] == [("省医保局", "lead"), ("省市场监管局", "cooperate")]


COUNTY_NOTICE = """\
永春县人民政府办公室关于印发永春县深化医改实施方案的通知
永政办〔2024〕9号
各乡镇人民政府，县直各单位：
为贯彻落实《关于进一步深化医改的若干措施》（泉委发〔2024〕2号）、省医改领导小组《关于印发〈福建省深化医改重点任务〉的通知》（闽医改组〔2024〕1号）和市委市政府《关于巩固医改成果的意见》精神，结合《福建省卫生健康委关于基层的通知》（闽卫基层〔2023〕5号）与《青海省的办法》（青卫健〔2022〕1号），制定本方案。
永春县人民政府办公室
2024年5月6日
"""


def test_a_cited_body_named_by_its_level_or_its_provinces_code_is_placed_on_the_citing_path():
    doc = extract_text(COUNTY_NOTICE).documents[0]
    assert doc.region_path == ["国家", "福建省", "泉州市", "永春县"]
    places = {c.doc_number or c.title: (c.level, c.region) for c in doc.citations}
    assert places["闽医改组〔2024〕1号"] == ("province", "福建省")        # 省医改领导小组: the county's province
    assert places["关于巩固医改成果的意见"] == ("city", "泉州市")           # 市委市政府: its city
    assert places["闽卫基层〔2023〕5号"] == ("province", "福建省")         # named with its place
    # 泉 is no province's code, and 青 is another province's: nothing says where they were issued
    assert places["泉委发〔2024〕2号"] == (None, None)
    assert places["青卫健〔2022〕1号"] == (None, None)


def test_signature_on_one_line_gives_issuer_and_date():
    text = ("职务任免通知\n青政人〔2023〕14号\n各市、自治州人民政府，省政府各委、办、厅、局：\n根据工作需要，任命：\n"
            "青海省人民政府 2023年10月24日\n")
    doc = extract_text(text).documents[0]
    assert (doc.issuer, doc.date, doc.level) == ("青海省人民政府", "2023-10-24", "province")


# ---------------------------------------------------------------- linear text paths
# Work counted, not time: each of these was quadratic in the length of its input (found by
# benchmarks/fuzz.py), and the counts below would grow with the square of the input again.

@pytest.mark.parametrize("module", ["clean", "tables"])
def test_header_like_lines_are_looked_at_a_bounded_number_of_times(monkeypatch, module):
    import importlib
    C = importlib.import_module("policykg.loaders.cleaning")
    T = importlib.import_module("policykg.loaders.tables")
    calls = []
    real = C.column_role

    def counted(norm):
        calls.append(1)
        return real(norm)

    monkeypatch.setattr(C if module == "clean" else T, "column_role", counted)
    for n in (500, 1000):
        calls.clear()
        # header-like words alone on their lines, never forming a header (no 序号 column)
        lines = "牵头单位\n配合单位\n" if module == "clean" else "一、任务\n牵头单位\n\n配合单位\n\n"
        extract_text("某某市人民政府关于印发方案的通知\n" + lines * n)
        assert len(calls) < 10 * 2 * n, (n, len(calls))


@pytest.mark.parametrize("pattern,text,starts", [
    ("TARGET_NUMBER", "覆盖率达到95%以上", [5]),
    ("TARGET_NUMBER", "建成20至25所", [2]),
    ("TARGET_NUMBER", "1" * 50 + "%", [0]),           # one match, at the start of the run
    ("TARGET_NUMBER", "达到四级", [2]),
    ("TARGET_NUMBER", "一" * 50 + "级", [0]),
])
def test_a_number_matched_only_where_its_run_starts_gives_the_same_matches(pattern, text, starts):
    from policykg.loaders import patterns as P
    assert [m.start() for m in getattr(P, pattern).finditer(text)] == starts


@pytest.mark.parametrize("text,starts", [
    ("60周岁以上", [0]), ("18-59岁", [0, 3]), ("A12和12B", [0, 4]), ("1+N", []), ("3+2", [0]),
    ("9" * 40 + "岁", [0]), ("9" * 40, []),
])
def test_the_spans_never_read_as_targets_starting_only_where_runs_start_are_the_same(text, starts):
    from policykg.loaders import patterns as P
    found = sorted({m.start() for rx in P.NEVER_TARGET[-5:] for m in rx.finditer(text)})
    assert found == starts


def test_a_clause_of_many_numbers_reads_each_number_against_a_bounded_context(monkeypatch):
    """Each number's clause context is cut to targets._CONTEXT characters around it; the whole
    clause, sliced for each of its numbers, made a clause of many numbers quadratic."""
    from policykg.loaders import targets as T
    clause = "、".join(["达到95%"] * 2000)
    seen = []
    real = T._after_cmp

    def measured(after):
        seen.append(len(after))
        return real(after)

    monkeypatch.setattr(T, "_after_cmp", measured)
    found = find_targets(clause, normalise(clause))
    assert len(found) == 2000 and max(seen) <= T._CONTEXT


def test_a_ledger_name_gathered_from_many_pieces_is_asked_only_for_its_end(monkeypatch):
    """The name a ledger row gathers piece by piece was searched whole for each piece (and joined
    again each time): quadratic in a long row."""
    import importlib
    P = importlib.import_module("policykg.loaders.patterns")
    asked = []
    real = P.LEDGER_NAME_END

    class Recording:
        def search(self, text):
            asked.append(len(text))
            return real.search(text)

    monkeypatch.setattr(P, "LEDGER_NAME_END", Recording())
    extract_text("关于做好工作的通知\n各县区：\n责任部门 配合部门\n1 推进工作。" + "卫健 " * 3000)
    assert asked and max(asked) <= 4


def test_the_gazetteer_is_asked_about_the_start_of_a_name_only(monkeypatch):
    """jionlp's location parser grows faster than its input: a 280,000-character run-on issuer
    took 2.6 s in it."""
    import importlib
    R = importlib.import_module("policykg.loaders.regions")
    real = R._jio()
    asked = []

    class Recording:
        def parse_location(self, text, **kw):
            asked.append(len(text))
            return real.parse_location(text, **kw)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(R, "_jio", lambda: Recording())
    long_name = "某地卫生健康" + "委员会办公室" * 5000
    R.locate(long_name)
    R.starts_with_place(long_name)
    assert asked and max(asked) <= R._PLACE_CHARS


def test_the_place_index_is_kept_on_disk_and_read_back_as_built(tmp_path, monkeypatch):
    """Building the index imports jionlp and loads its gazetteer (~0.8 s a process); a process
    that finds it on disk places most issuers without jionlp at all."""
    import subprocess
    import sys

    from policykg.loaders import regions as R
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path))
    R._place_index.cache_clear()
    built = R._place_index()
    written = R._index_cache_file()
    assert written.parent == tmp_path and written.exists()
    assert R._read_index(written) == built == R._build_place_index()
    probe = ("import sys\nfrom policykg.loaders.regions import locate\n"
             "print(locate('海东市人民政府').path, 'jionlp' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          env={**os.environ, "POLICYKG_CACHE": str(tmp_path)}, check=True)
    assert done.stdout.split() == ["['国家',", "'青海省',", "'海东市']", "False"]
    R._place_index.cache_clear()


@pytest.mark.parametrize("damage", ["not json", "[1, 2]", '{"海东市": ["青海省"]}', '{"海东市": [[null, null, null]]}'])
def test_a_damaged_place_index_on_disk_is_built_again(tmp_path, monkeypatch, damage):
    from policykg.loaders import regions as R
    monkeypatch.setenv("POLICYKG_CACHE", str(tmp_path))
    path = R._index_cache_file()
    path.write_text(damage, "utf-8")
    R._place_index.cache_clear()
    assert R._place_index() == R._build_place_index()
    assert R._read_index(path) == R._build_place_index()     # written anew
    R._place_index.cache_clear()


def _needing_patterns():
    from policykg.loaders import patterns as P
    for name, value in vars(P).items():
        for k, rx in enumerate(value if isinstance(value, tuple) else (value,)):
            if isinstance(rx, P.Needing):
                yield f"{name}[{k}]" if isinstance(value, tuple) else name, rx


# texts in the shapes each guarded pattern matches: every alternative of each, and texts it must
# not be fooled by (a 文号 by its year alone, an order, a lost bracket, a yearless one; dates, ages,
# ranges; pinyin glosses, tags and entities a mirror leaves; a contents line)
_GUARDED_TEXTS = [
    "根据《国务院办公厅关于印发深化医药卫生体制改革2024年重点工作任务的通知》（国办发〔2024〕29号）",
    "按照国发42号文件精神", "依据国令第722号", "国办发〔2018104号", "闽医改组[2024]1号、明医改组（2024）4号",
    "2024年6月28日", "二〇二四年六月二十八日", "到2025年底", "6月底前完成", "12月", "2021—2025年", "2023-24年",
    "60周岁以上", "18-59岁", "A12和12B", "3+2", "HPV疫苗", "發(fā)展地(dì / de)", "局(ju)(ju)",
    "<p>正文</p>&nbsp;&#12288;", "｜单元格|单元格||", "第一章 总则……………3", "附件....12", "·····5",
    "2024年第3号公告", "建成20至25所社区医院", "一、二、三", "号召", "年度", "岁末",
]


@pytest.mark.parametrize("name,guarded", list(_needing_patterns()), ids=lambda v: v if isinstance(v, str) else "")
def test_a_guarded_pattern_finds_what_its_pattern_finds(name, guarded):
    """patterns.Needing skips texts without what every match holds: each match of the pattern
    holds it, and the guarded pattern answers as the pattern does (a guard naming a character some
    matches lack would lose those matches: 〔 for CITED_NUMBER loses 国发42号文件)."""
    matched = 0
    for text in _GUARDED_TEXTS + [t + "。" + u for t in _GUARDED_TEXTS[:6] for u in _GUARDED_TEXTS[6:12]]:
        for m in guarded.compiled.finditer(text):
            matched += 1
            assert guarded.may_match(m.group(0)), (name, m.group(0))
        spans = lambda found: [x.span() for x in found]
        assert spans(guarded.finditer(text)) == spans(guarded.compiled.finditer(text)), (name, text)
        got, want = guarded.search(text), guarded.compiled.search(text)
        assert (got and got.span()) == (want and want.span()), (name, text)
        assert guarded.sub("＿", text) == guarded.compiled.sub("＿", text), (name, text)
        assert bool(guarded.match(text)) == bool(guarded.compiled.match(text)), (name, text)
    assert matched, f"{name}: no text of the table matches it; add one in its shape"


def test_the_characters_normalise_does_not_look_up_are_its_own_normal_form():
    """normalise looks up only the characters outside its class of kept ones: each kept one must
    be what the character table gives for it (every code point is tried)."""
    from policykg.loaders import normal
    kept = [chr(c) for c in range(0x110000) if not normal._CHANGED.match(chr(c))]
    assert len(kept) > 20000
    assert [c for c in kept if normal._normal_char(c) != c] == []
    # and the lookups of the others give what a whole-text translate gives
    text = "衛生健康委員會(2023),醫療保障局:1,000人；８５％以上，①②　ＡＢＣ﹝2024﹞<附件>"
    assert normal._CHANGED.sub(normal._normal_of, text) == text.translate(normal._TABLE)
