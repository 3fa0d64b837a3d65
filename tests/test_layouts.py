"""The shapes real documents take, table-driven (eyecite-style): each row is a text written here in
the shape of a real page or file (web pages with navigation and metadata tables, traditional-script
mirrors with pinyin glosses, plans with no notice around them, flattened tables, PDF text layers)
and what the extractor must read from it. No text is copied from a real document."""
import re

import pytest
from policykg.loaders.extraction import extract_text
from policykg.loaders.normal import normalise


def one(text: str):
    docs = extract_text(text).documents
    assert len(docs) == 1, [d.title for d in docs]
    return docs[0]


def roles(task) -> list[tuple[str, str]]:
    return [(d.name, d.role) for d in task.departments]


# ---------------------------------------------------------------- every file yields its document

METADATA_PAGES = [
    # a site's 索引号 table above the notice, 文号 only in the table
    ("索引号：000123/2024-00001 主题分类：综合政务\n发文机关：某某市人民政府办公室\n成文日期：2024年03月05日\n"
     "文号：某政办发〔2024〕7号\n\n某某市人民政府办公室关于印发某某市营商环境提升方案的通知\n\n各县（市、区）人民政府，市直各部门：\n"
     "现将《某某市营商环境提升方案》印发给你们，请认真贯彻执行。\n",
     {"doc_number": "某政办发〔2024〕7号", "date": "2024-03-05", "issuer": "某某市人民政府办公室"}),
    # a page that starts at its 文号, a breadcrumb above it
    ("当前位置：首页 > 政务公开 > 文件\n\n鲁政办字〔2023〕9号\n山东省人民政府办公厅关于加强农田建设的通知\n各市人民政府：\n"
     "为做好农田建设工作，现通知如下。\n山东省人民政府办公厅\n2023年4月1日\n",
     {"doc_number": "鲁政办字〔2023〕9号", "title": "山东省人民政府办公厅关于加强农田建设的通知",
      "date": "2023-04-01", "level": "province", "region": "山东省"}),
    # a traditional-script mirror with pinyin glosses, the 文号 printed before the title on one line
    ("閩政發(fā)〔2022〕3號 福建省人民政府關(guān)于促進(jìn)就業(yè)的若干意見\n各設(shè)區(qū)市人民政府：\n"
     "現(xiàn)提出如下意見。\n一、穩(wěn)定崗位。（省人社廳牽頭，省財政廳配合）\n",
     {"doc_number": "閩政發〔2022〕3號", "level": "province", "region": "福建省"}),
    # a wiki mirror: its issuer line, and the 文号 of the notice that issued the text (發布於…)
    ("某某省人民政府辦公廳工作規則\n\n維基文庫,自由的圖書館\n發布機關:某某省人民政府辦公廳\n"
     "發布於某政辦發〔2021〕12號《通知》\n\n第一條 為規範工作，制定本規則。\n",
     {"doc_number": "某政辦發〔2021〕12號", "issuer": "某某省人民政府辦公廳"}),
    # a news report of the document: its lead names the issuer and the title
    ("某某日报讯 据某某省人民政府网消息，日前，江西省人民政府办公厅印发关于推进数字乡村建设的实施方案。\n"
     "方案提出，到2025年建成一批数字乡村示范县。\n一、夯实基础\n1.建设网络。牵头单位：省通信管理局。\n",
     {"title": "关于推进数字乡村建设的实施方案", "issuer": "江西省人民政府办公厅", "level": "province", "region": "江西省"}),
    # an issuer named without its place: the site's 发布机构 gives the place, at the issuer's level
    ("索引号：001/2021-00012 发布机构：余杭区政府办公室\n区人民政府办公室关于印发重点工作责任分解的通知\n"
     "各镇人民政府、街道办事处：\n现将重点工作责任分解印发给你们。\n",
     {"issuer": "区人民政府办公室", "level": "county", "region": "余杭区"}),
    # a page's key/value lines run into the title with no sentence end between them, and its
    # signature date lost its 年月日
    ("  • 统一编号:\n\n    ABCD01-2023-0006\n\n宁海县人民政府办公室关于印发宁海县养老服务实施办法的通知\n\n"
     "各乡镇人民政府：\n\n宁海县养老服务实施办法已经县政府同意，现印发给你们。\n\n宁海县人民政府办公室\n\n2023626\n\n"
     "宁海县养老服务实施办法\n\n一、总体要求\n\n",
     {"title": "宁海县人民政府办公室关于印发宁海县养老服务实施办法的通知", "issuer": "宁海县人民政府办公室",
      "attachment_title": "宁海县养老服务实施办法", "region": "宁海县", "date": "2023-06-26"}),
    # a garbled date that reads two ways (1月16日 or 11月6日) is no date
    ("某某市人民政府办公厅关于印发若干措施的通知\n\n各区人民政府：\n现将若干措施印发给你们。\n\n某某市人民政府办公厅\n\n2019116\n",
     {"date": None}),
    # a mirror's 文号 line with the date printed beside it, no signature
    ("江蘇省政府關于優化政務服務的實施意見\n蘇政發〔2024〕65號 2024-08-09\n各市、縣(市、區)人民政府：\n一、總體要求\n",
     {"doc_number": "蘇政發〔2024〕65號", "date": "2024-08-09"}),
    # an app's article preview: the whole page on one line, its line breaks left as single spaces
    ("文章预览\n了解更多政策资讯 ● 点击蓝字关注我们 ● 浙江省人民政府办公厅关于印发《浙江省养老服务行动方案(2024—2027年)》的通知 "
     "浙政办发〔2024〕8号 各市、县（市、区）人民政府，省政府直属各单位： 现将《浙江省养老服务行动方案(2024—2027年)》印发给你们，"
     "请认真贯彻执行。 浙江省人民政府办公厅 2024年6月13日 浙江省养老服务行动方案(2024—2027年) 为推进本省养老服务发展，制定本行动方案。"
     " 一、主要目标 到2027年，建成养老服务体系。\n",
     {"doc_number": "浙政办发〔2024〕8号", "issuer": "浙江省人民政府办公厅", "date": "2024-06-13",
      "title": "浙江省人民政府办公厅关于印发《浙江省养老服务行动方案(2024—2027年)》的通知",
      "attachment_title": "浙江省养老服务行动方案(2024—2027年)"}),
    # the heading printed alone as the page's title, then a 日期 line, then again under its issuer
    ("关于加快服务业发展的实施意见（试行）\n\n日期:2012-10-11 16:17 来源:本网\n\n尤溪县人民政府\n\n"
     "关于加快服务业发展的实施意见（试行）\n\n各乡（镇）人民政府：\n为加快发展，提出如下意见。\n",
     {"title": "尤溪县人民政府关于加快服务业发展的实施意见（试行）", "issuer": "尤溪县人民政府", "region": "尤溪县",
      "published": "2012-10-11"}),
    # the notice, its signature and the plan's opening run together on one line, single spaces
    # left where the lines broke, the plan's heading glued to its first sentence
    ("某某市乡村振兴领导小组办公室关于印发2023年某某市乡村振兴工作推进方案的通知\n"
     "各乡镇（街道）、部门（单位）： 为贯彻落实市委市政府“全力推进乡村振兴”的决策部署，根据省农业农村厅《关于做好2023年乡村振兴重点工作的通知》文件要求，结合我市实际，现将《2023年某某市乡村振兴工作推进方案》印发给你们，"
     "请你们结合实际，认真组织实施，确保各项目标任务按期完成。 某某市乡村振兴领导小组办公室 2023年3月30日 2023年某某市乡村振兴工作推进方案为认真贯彻落实"
     "中央决策部署，制定本方案。\n",
     {"date": "2023-03-30", "issuer": "某某市乡村振兴领导小组办公室",
      "attachment_title": "2023年某某市乡村振兴工作推进方案"}),
    # a title that counts its joint issuers (…等3部门): the signature names them
    ("某某市卫生健康委等3部门关于印发家庭医生签约服务实施方案的通知\n各区卫生健康局：\n现将实施方案印发给你们。\n"
     "某某市卫生健康委员会            某某市财政局\n某某市医疗保障局\n2023年10月19日\n",
     {"issuer": "某某市卫生健康委员会、某某市财政局、某某市医疗保障局"}),
    # many joint signers and the date on one line
    ("中国人民银行 国家发展改革委 工业和信息化部 公安部 市场监管总局 金融监管总局关于防范交易风险的通知\n"
     "各省、自治区、直辖市有关部门：\n一、加强监测。\n"
     "中国人民银行  国家发展改革委  工业和信息化部  公安部  市场监管总局  金融监管总局  2026年2月6日\n",
     {"date": "2026-02-06", "level": "national"}),
    # a plan with no notice around it: its own heading is the title, the place in it gives the region
    ("广东省推进数字政府建设三年行动计划\n为加快数字政府建设，制定本计划。\n一、完善基础设施\n"
     "（一）建设政务云。（省政务服务数据管理局负责）\n",
     {"title": "广东省推进数字政府建设三年行动计划", "level": "province", "region": "广东省"}),
    # the notice without its title (the page starts at its addressee): the plan it issues
    ("各省、自治区、直辖市人民政府，国务院各部委、各直属机构：\n现将《全国冬春农田水利建设方案》印发给你们，请认真贯彻执行。\n",
     {"title": None, "attachment_title": "全国冬春农田水利建设方案", "level": "national", "region": "国家"}),
    # joint issuers printed as a header, several to a line with spaces between them
    ("甲部 乙部\n丙总局\n关于印发《某某工作要点》的通知\n各省、自治区、直辖市有关部门：\n现将《某某工作要点》印发给你们。\n",
     {"issuer": "甲部、乙部、丙总局", "title": "关于印发《某某工作要点》的通知", "level": "national"}),
    # a 文号 whose closing bracket the copy lost, alone on its line
    ("沙县人民政府\n关于加快服务业发展的实施意见\n沙政〔2012478\n各乡（镇）人民政府：\n为加快发展，提出如下意见。\n",
     {"doc_number": "沙政〔2012478", "title": "沙县人民政府关于加快服务业发展的实施意见", "level": "county"}),
    # a heading fragment printed twice on the title line; the page's 发布时间 between title and addressee
    ("国务院办公厅关于发展冰雪经济 国务院办公厅关于发展冰雪经济增进群众福祉的意见\n\n发布时间:2024-01-23\n\n"
     "信息来源：国务院办公厅\n\n各省、自治区、直辖市人民政府，国务院各部委：\n现提出如下意见。\n",
     {"title": "国务院办公厅关于发展冰雪经济增进群众福祉的意见", "issuer": "国务院办公厅", "level": "national"}),
    # a normative document's 文号 (…办规) printed before its title on one line
    ("津政办规[2023]4号 天津市人民政府办公厅关于印发若干措施的通知\n各区人民政府：\n现将《若干措施》印发给你们。\n",
     {"doc_number": "津政办规[2023]4号", "title": "天津市人民政府办公厅关于印发若干措施的通知", "level": "province",
      "region": "天津市"}),
    # a 自治州 by its short name is the 自治州, not a county of the same name
    ("红河州人民政府办公室关于印发工作任务清单的通知\n各县市人民政府：\n现将清单印发给你们。\n",
     {"level": "city", "region": "红河州"}),
    # rules with no notice, their heading opening with the issuer, a site's "返回顶部" above it and the
    # 文号 in a bullet list of metadata fields, one value a line under its key
    ("返回顶部\n\n宁强县人民政府工作规则\n\n  • 索引号:\n\n    000/2024-001\n  • 发文字号:\n\n    宁政发〔2024〕7号\n"
     "\n第一章 总则\n\n一、根据《某某法》，制定本规则。\n",
     {"title": "宁强县人民政府工作规则", "issuer": "宁强县人民政府", "doc_number": "宁政发〔2024〕7号", "level": "county"}),
    # a metadata line whose value is the title is not a second notice; the signature's date is the
    # 成文日期 where the table gives only a 发文日期
    ("索引号: 003/2019-00336 信息分类: 通知\n发文日期: 2019-01-23 废止时间: 2020-01-23 名称: 望江县人民政府关于印发《工作规则》的通知\n\n"
     "望江县人民政府关于印发《工作规则》的通知\n\n各乡、镇人民政府：\n\n《工作规则》已经县政府通过，现予印发。\n\n望江县人民政府\n2019年1月17日\n",
     {"title": "望江县人民政府关于印发《工作规则》的通知", "date": "2019-01-17", "level": "county"}),
    # joint issuers a title runs together, told apart by the signature; a Word file's „ ‟ brackets
    ("中共某某市委办公室某某市人民政府办公室印发《关于推进政务公开的实施意见》的通知（岳办发„2017‟2号）\n"
     "各县市区委、人民政府：\n现印发给你们。\n中共某某市委办公室\n\n某某市人民政府办公室\n\n2017年1月10日\n",
     {"issuer": "中共某某市委办公室、某某市人民政府办公室", "doc_number": "岳办发„2017‟2号"}),
    # a district name several cities share, told apart by the city the text names
    ("和平区人民政府关于印发工作方案的通知\n和政发〔2024〕3号\n各街道办事处：\n"
     "为贯彻落实《沈阳市人民政府关于加快发展的意见》，现印发给你们。\n",
     {"level": "county", "region": "和平区", "region_path": ["国家", "辽宁省", "沈阳市", "和平区"]}),
    # a page that starts at the notice's title and stops before the plan: the plan the title issues
    ("某某市发展和改革委员会关于印发某某市社区服务设施建设方案的通知\n\n各区县政府：\n\n经市领导同意，现印发给你们。\n",
     {"attachment_title": "某某市社区服务设施建设方案"}),
    ("關于印發《2030年全國種子執法工作要點》的通知\n各省、自治區農業農村廳：\n現印發你們，請認真落實。\n",
     {"attachment_title": "2030年全國種子執法工作要點"}),
    # a 转发 notice: the notice it forwards is its plan, named in the body with other papers
    ("某某省财政厅关于转发加大投入的通知\n各市财政局：\n为落实有关精神，现将《财政部关于加大投入支持托育发展的通知》"
     "（财社〔2030〕5号）及三个专题文件印发你们，请认真贯彻执行。\n",
     {"attachment_title": "财政部关于加大投入支持托育发展的通知"}),
    # the excerpt starts at the addressee; the notice names the plan with 的, its heading is printed
    # over two lines without it; the heading as printed is the plan's title
    ("各县（区）人民政府，市政府各部门：\n现将《某某市推动“一件事”改革的实施方案》印发给你们，请抓好落实。\n"
     "一、提高认识。认真落实。\n某某市推动\n“一件事”改革实施方案\n为推动改革，制定本方案。\n一、工作目标\n",
     {"title": None, "attachment_title": "某某市推动“一件事”改革实施方案"}),
    # the plan's heading with its edition on the line under it
    ("某卫〔2031〕9号\n各乡镇人民政府：\n市卫生健康委制定了《某某市医疗补偿方案（2032版）》，现印发给你们，请遵照执行。\n"
     "某某市卫生健康委员会\n2031年11月23日\n某某市医疗补偿方案\n（2032版）\n一、指导思想\n坚持以收定支。\n",
     {"attachment_title": "某某市医疗补偿方案（2032版）"}),
    # a sentence that cites a 文号 with no brackets around the title before it is not the document's own
    # 文号, and the words before the cited number are not part of its code
    ("为贯彻落实 国办发〔2031〕1号 和 实施意见 国发〔2031〕3号 精神，结合本县实际，制定本方案。\n"
     "一、加强领导。各乡镇负责。\n",
     {"doc_number": None}),
    # a news page: the document's heading (its year in Chinese numerals), then a lead naming who
    # issued it by the title others cite
    ("推进乡村数字治理二〇三一年重点工作任务\n\n发布时间:2031-11-25 11:43:37 来源: 某某网\n\n"
     "新华社北京6月6日电 日前，国务院办公厅印发《推进乡村数字治理2031年重点工作任务》（以下简称《任务》）。\n\n"
     "《任务》提出5方面重点工作。\n\n《 人民日报 》( 2031年06月07日 04 版)\n",
     {"issuer": "国务院办公厅", "level": "national", "region": "国家"}),
    # a 街道 issues: recorded as county, its region the 街道 itself
    ("某某市某某区竹林街道办事处关于开展安全检查的通知\n各社区：\n现将有关事项通知如下。\n",
     {"level": "county", "region": "竹林街道"}),
]


@pytest.mark.parametrize("text,fields", METADATA_PAGES, ids=range(len(METADATA_PAGES)))
def test_metadata_found_wherever_the_page_prints_it(text, fields):
    doc = one(text)
    for key, want in fields.items():
        got = getattr(doc, key)
        if isinstance(want, str) and got is not None:
            got, want = re.sub(r"\s", "", normalise(got)), re.sub(r"\s", "", normalise(want))
        assert got == want, (key, getattr(doc, key))


@pytest.mark.parametrize("text", [
    "加强农村公路养护，提高通行能力。",
    "一、总体要求\n坚持问题导向。\n二、主要任务\n（一）完善机制。",
    "关于做好春耕工作的意见\n各地要抓好春耕。",
])
def test_every_text_is_at_least_one_document(text):
    assert len(extract_text(text).documents) == 1


def test_a_title_printed_twice_is_one_document():
    text = ("某县人民政府关于印发年度重点工作分工方案的通知\n\n"
            "某政发〔2023〕2号某县人民政府关于印发年度重点工作分工方案的通知\n\n各乡镇人民政府：\n现将方案印发给你们。\n")
    assert len(extract_text(text).documents) == 1


# ---------------------------------------------------------------- responsibility layouts

LISTS = [
    ("1.推进项目建设。（牵头单位：市发展改革委；责任单位：市财政局、各县区政府）",
     [("市发展改革委", "lead"), ("市财政局", "responsible"), ("各县区政府", "responsible")]),
    ("1.推进项目建设。〔市交通局牵头，市公安局配合〕",
     [("市交通局", "lead"), ("市公安局", "cooperate")]),
    ("1.推进项目建设。[牵头单位:区卫健局;责任单位:各街道]",
     [("区卫健局", "lead"), ("各街道", "responsible")]),
    ("1.推进项目建设。(由市公安局负责,市交通局配合)",
     [("市公安局", "lead"), ("市交通局", "cooperate")]),
    ("1.推进项目建设。(由团市委负责)", [("团市委", "responsible")]),
    ("1.推进项目建设。（市科委、市商务局牵头，各区政府负责落实，完成时限：2022年10月）",
     [("市科委", "lead"), ("市商务局", "lead"), ("各区政府", "responsible")]),
    ("1.推进项目建设。（市交通委牵头、各区政府负责落实）",
     [("市交通委", "lead"), ("各区政府", "responsible")]),
    ("1.加快铁路建设。（省发改委、相关市、县政府负责）",
     [("省发改委", "responsible"), ("相关市、县政府", "responsible")]),
    # traditional script with ASCII punctuation
    ("1.穩定就業崗位。(市發展改革委、市財政局等負責,列第一位者為牽頭單位,下同)",
     [("市發展改革委", "lead"), ("市財政局", "responsible")]),
    # fields on the lines under the item, a person's field left out
    ("1.全市生产总值增长6%左右。\n牵头负责领导：张三。\n牵头责任单位：市发展改革委。\n协同责任单位：市统计局、市财政局。",
     [("市发展改革委", "lead"), ("市统计局", "cooperate"), ("市财政局", "cooperate")]),
]


@pytest.mark.parametrize("text,expected", LISTS, ids=range(len(LISTS)))
def test_responsibility_layouts(text, expected):
    doc = one("某某工作方案\n" + text)
    assert [roles(t) for t in doc.tasks] == [expected]


def test_first_is_lead_holds_for_the_lists_that_follow():
    text = ("某某实施意见\n一、稳定就业\n（一）扩大岗位。（市人社局、市财政局负责，列第一位者为牵头单位，下同）\n"
            "（二）支持创业。（市商务局、市税务局负责）\n")
    assert [roles(t) for t in one(text).tasks] == [
        [("市人社局", "lead"), ("市财政局", "responsible")],
        [("市商务局", "lead"), ("市税务局", "responsible")]]


def test_work_assigned_in_prose_where_a_document_has_no_lists():
    text = ("某某部门关于防范风险的通知\n一、工作分工\n（一）加强监测。甲银行会同乙委、丙和丁部等部门健全机制。\n"
            "（二）强化落实。具体由地方金融管理部门牵头，电信主管部门参加，形成合力。\n")
    doc = one(text)
    assert roles(doc.tasks[0]) == [("甲银行", "lead"), ("乙委", "cooperate"), ("丙和丁部", "cooperate")]
    assert roles(doc.tasks[1]) == [("地方金融管理部门", "lead"), ("电信主管部门", "cooperate")]


def test_an_excerpt_cut_inside_a_bracket_keeps_the_bodies_printed():
    doc = one("某某分工方案\n1.推进项目。（牵头单位：市发展改革委；责任单位：市财政局、市商")
    assert roles(doc.tasks[0])[:2] == [("市发展改革委", "lead"), ("市财政局", "responsible")]


def test_a_page_that_starts_mid_list():
    doc = one("6.开展宣传活动。（由市文明办负责）\n7.开展整治活动。（由市公安局负责）\n")
    assert [t.path for t in doc.tasks] == [["6"], ["7"]]


def test_a_plan_that_left_an_item_out_keeps_numbering_its_tasks():
    text = "某某工作方案\n一、主要任务\n1.完善机制。（市财政局负责）\n3.推进建设。（市住建局负责）\n4.强化监管。（市监局负责）\n"
    assert [t.path for t in one(text).tasks] == [["一", "1"], ["一", "3"], ["一", "4"]]


def test_duties_in_rules_are_not_tasks_even_in_prose():
    text = ("某某州政务数据资源管理暂行办法\n\u3000第一章\u3000总则\u3000\u3000第一条\u3000为规范管理，制定本办法。\n"
            "\u3000\u3000第二条\u3000州数据资源主管部门应当会同有关部门建立基础数据资源库。\n")
    assert one(text).tasks == []


def test_a_notice_issuing_two_plans_with_no_attachment_mark_between_them():
    text = ("某某省人民政府办公厅关于印发支持产业发展若干政策和某某省行动计划的通知\n"
            "某某省人民政府办公厅关于印发支持产业发展若干政策和某某省行动计划的通知\n（某政办秘〔2021〕82号）\n"
            "各市人民政府：\n《支持产业发展若干政策》《某某省行动计划》已经省政府同意，现印发给你们。\n某某省人民政府办公厅\n"
            "2021年9月2日\n支持产业发展若干政策\n一、支持平台建设\n培育平台。（责任单位：省经济和信息化厅）\n"
            "某某省行动计划\n一、总体要求\n（一）指导思想\n以新发展理念为指导。\n二、行动步骤\n（一）网络强基行动。\n"
            "1．推进外网建设。建设宽带网络。（责任单位：省通信管理局）\n专栏1  网络互联互通工程\n每年遴选20家企业。\n"
            "（二）基础支撑行动。\n2．加快标识解析。（责任单位：省通信管理局）\n")
    docs = extract_text(text).documents
    assert len(docs) == 1
    doc = docs[0]
    assert doc.attachment_title == "支持产业发展若干政策"
    assert [t.path for t in doc.tasks] == [["一"], ["二", "（一）", "1"], ["二", "（二）", "2"]]
    assert doc.tasks[1].targets == []         # the 专栏 box's 20家 is not the task's


def test_rules_are_not_tasks():
    text = "某某市公共租赁住房管理办法\n第一章 总则\n第一条 为规范管理，制定本办法。\n第二条 本办法适用于全市。\n"
    assert one(text).tasks == []


def test_a_group_heading_with_children_is_a_path():
    text = "某某行动方案\n一、主要任务\n（一）完善设施。建设一批设施。\n（二）优化服务。提升服务水平。\n"
    assert [t.path for t in one(text).tasks] == [["一", "（一）"], ["一", "（二）"]]


def test_a_notices_own_items_are_procedure_and_its_rule_for_lists_holds_in_the_plan():
    text = ("某某市人民政府办公厅关于印发年度重点工作责任分解的通知\n各区人民政府：\n现将《年度重点工作责任分解》印发给你们。\n"
            "一、提高站位，强化责任。各级各部门要抓好落实。\n二、责任分解中，列第一位的责任单位为牵头单位。\n"
            "某某市人民政府办公厅\n2020年5月20日\n年度重点工作责任分解\n一、扩大有效投资\n"
            "1.完成固定资产投资增长6%。（市发改委、市建委、市财政局）\n")
    doc = one(text)
    assert [t.path for t in doc.tasks] == [["一", "1"]]
    assert roles(doc.tasks[0]) == [("市发改委", "lead"), ("市建委", "responsible"), ("市财政局", "responsible")]


def test_a_notice_copied_without_its_signature_still_ends_at_the_plans_heading():
    # the page dropped the signature and date, so the plan's heading (broken over two lines) is
    # the only mark where the notice's own items end; the plan names no bodies, so nothing else
    # tells its tasks from the notice's procedure
    text = ("某某市人民政府办公厅关于印发推进数字经济发展工作方案的通知\n各区人民政府：\n"
            "现将《某某市推进数字经济发展工作方案》印发给你们，请认真贯彻执行。\n"
            "一、细化任务抓落实。各区要明确量化目标。\n二、明确责任抓落实。各牵头单位要履行职责。\n"
            "某某市推进数字经济\n发展工作方案\n一、夯实基础\n（一）建设算力中心。到2025年建成3个。\n")
    doc = one(text)
    assert [t.path for t in doc.tasks] == [["一", "（一）"]]


def test_a_responsibility_field_run_on_after_the_tasks_sentence():
    doc = one("某某工作方案\n一、夯实基础\n（一）建设算力中心。责任单位：市发改委、市数据局\n"
              "（二）完善网络。[牵头单位：市通信管理局；配合单位：市住建局]\n")
    assert [roles(t) for t in doc.tasks] == [[("市发改委", "responsible"), ("市数据局", "responsible")],
                                             [("市通信管理局", "lead"), ("市住建局", "cooperate")]]


def test_a_bracket_of_names_inside_a_sentence_is_not_a_list():
    doc = one("某某工作方案\n1.由市发改委（以下简称市发改委）统筹，各区（含开发区）落实。\n")
    assert roles(doc.tasks[0]) == []


# ---------------------------------------------------------------- tables flattened one cell a line

def test_a_table_printed_one_cell_a_line():
    text = "\n\n".join([
        "某区2025年重点工作任务分解表", "序号", "重点工作任务", "主要责任单位", "协同配合单位",
        "一、主要预期目标", "3", "固定资产投资增长7.5%左右。", "区发改委", "区工信局、区住建局",
        "4", "社会消费品零售总额增长6%。", "区商务局", "区市场监管局",
        "5", "城镇新增就业2000"]) + "\n"
    doc = one(text)
    assert [t.path for t in doc.tasks] == [["一", "3"], ["一", "4"], ["一", "5"]]
    assert roles(doc.tasks[0]) == [("区发改委", "lead"), ("区工信局", "cooperate"), ("区住建局", "cooperate")]
    assert [(x.value, x.unit) for x in doc.tasks[0].targets] == [(7.5, "%")]
    assert roles(doc.tasks[2]) == []          # the excerpt's last row, cut before its cells
    assert [r.row for r in doc.ledger] == [3, 4, 5]
    for task in doc.tasks:
        for d in task.departments:
            assert text[d.span.start:d.span.end] == d.name


def test_a_merged_cell_is_shared_by_the_rows_under_it():
    text = "\n".join(["某某行动重点任务清单", "序号", "工作任务", "推进单位",
                      "1", "完成老旧小区改造。", "区房管局、各街镇",
                      "2", "完成加装电梯100台。",
                      "3", "推进海绵城市建设。", "区建设管理委"]) + "\n"
    doc = one(text)
    assert [[d.name for d in t.departments] for t in doc.tasks] == [
        ["区房管局", "各街镇"], ["区房管局", "各街镇"], ["区建设管理委"]]


def test_a_task_table_that_restates_the_plans_items_gives_them_their_bodies():
    text = "\n".join(["某某实施方案", "二、主要任务", "（一）扩大服务", "1.有序扩大服务来源。推动各区增加人员。",
                      "2.优化服务团队。完善团队构成。", "附件2", "任务分工表", "序号", "工作事项", "牵头单位", "配合单位",
                      "1", "有序扩大服务来源。", "各区政府", "市卫生健康委、市人社局",
                      "2", "优化服务团队。", "市卫生健康委", "市医保局"]) + "\n"
    doc = one(text)
    assert [t.path for t in doc.tasks] == [["二", "（一）", "1"], ["二", "（一）", "2"]]
    assert roles(doc.tasks[0]) == [("各区政府", "lead"), ("市卫生健康委", "cooperate"), ("市人社局", "cooperate")]
    assert [r.row for r in doc.ledger] == [1, 2]


# ---------------------------------------------------------------- targets

TARGETS = [
    ("确保粮食产量稳定在1.3万亿斤以上。", [(1.3e12, "斤", ">=", None)]),
    ("今明两年投资530亿元。", [(5.3e10, "元", "=", None)]),
    ("对总投资5000万元以上的项目给予支持。", []),
    ("按设备投资额的10%给予补助，最高不超过500万元。", [(10.0, "%", "=", "instrument"), (5e6, "元", "<=", "instrument")]),
    ("改建9座左右口袋公园，完成应急避难场所建设144.45万平方米。", [(9.0, "座", "=", None), (1444500.0, "平方米", "=", None)]),
    ("压缩企业开办时间至1个工作日以内。", [(1.0, "个工作日", "<=", None)]),
]


@pytest.mark.parametrize("text,expected", TARGETS, ids=range(len(TARGETS)))
def test_targets_and_instruments(text, expected):
    doc = one("某某工作方案\n1." + text)
    got = [(t.value, t.unit, t.comparator, t.kind) for t in doc.tasks[0].targets]
    assert [(pytest.approx(v), u, c, k) for v, u, c, k in expected] == got


# ---------------------------------------------------------------- citations

def test_citation_forms():
    text = ("某某市人民政府关于优化营商环境的通知\n各区人民政府：\n"
            "根据《优化营商环境条例》（国令第722号）和《国务院办公厅关于聚焦企业关切的通知》（国办发〔2018104号），"
            "以及《关于做好就业工作的意见》（国发〔2015〕23号）、《关于做好就业工作的意见》（川府发〔2015〕38号），现通知如下。\n")
    doc = one(text)
    keys = [c.doc_number_key for c in doc.citations]
    assert keys == ["国令第722号", "国办发〔2018〕104号", "国发〔2015〕23号", "川府发〔2015〕38号"]
    assert all(c.basis for c in doc.citations)


def test_the_words_before_a_cited_number_are_not_its_issuer_code():
    text = ("某某县人民政府关于印发方案的通知\n各乡镇：\n为贯彻落实 国办发〔2031〕1号 和 实施意见 国发〔2031〕3号 精神，"
            "按照和政发〔2030〕2号要求，现通知如下。\n")
    assert [c.doc_number for c in one(text).citations] == ["国办发〔2031〕1号", "国发〔2031〕3号", "和政发〔2030〕2号"]


def test_a_short_name_a_newspaper_and_the_documents_own_heading_are_not_citations():
    text = ("推进乡村数字治理二〇三一年重点工作任务\n发布时间:2031-11-25\n"
            "新华社北京6月6日电 日前，国务院办公厅印发《推进乡村数字治理2031年重点工作任务》（以下简称《任务》）。\n"
            "《任务》提出5方面重点工作，落实《数字乡村发展战略纲要》。\n《 人民日报 》( 2031年06月07日 04 版)\n")
    assert [c.title for c in one(text).citations] == ["数字乡村发展战略纲要"]


def test_an_opinion_issued_directly_keeps_its_items_and_its_joint_national_signers():
    text = ("## 中国人民银行 金融监管总局 农业农村部印发《关于支持乡村振兴的意见》\n\n附件：\n\n"
            "**中国人民银行 金融监管总局 农业农村部关于支持乡村振兴的意见**\n\n按照《中共中央 国务院关于振兴乡村的意见》要求，现提出如下意见"
            "（以下简称《意见》）：\n\n**一、健全帮扶机制**\n\n（一）支持对象发展。优化信贷政策。\n\n"
            "（二）发挥带动作用。开发产业贷款。\n\n中国人民银行\n\n金融监管总局\n\n农业农村部\n\n2026年2月12日\n")
    doc = one(text)
    assert [t.path for t in doc.tasks] == [["一", "（一）"], ["一", "（二）"]]
    assert (doc.issuer, doc.level, doc.date) == ("中国人民银行、金融监管总局、农业农村部", "national", "2026-02-12")
    assert [c.title for c in doc.citations] == ["中共中央国务院关于振兴乡村的意见"]


def test_the_plans_a_notice_issues_are_not_its_citations():
    text = ("某某省人民政府办公厅关于印发〈甲办法〉和〈乙办法〉的通知\n各市人民政府：\n"
            "《甲办法》和《乙办法》已经省人民政府同意，现印发给你们。依据《某某省条例》执行。\n")
    doc = one(text)
    assert [c.title for c in doc.citations] == ["某某省条例"]


# ---------------------------------------------------------------- spans

def test_every_department_and_target_has_the_span_it_was_read_from():
    text = ("某某工作方案\n一、重点任务\n1.住院量占比达到70%以上。（牵头单位：市卫健委；配合单位：市医保局）\n"
            "2.建成6个示范中心。(由市財政局負責,市發改委配合)\n")
    doc = one(text)
    facts = [(d.name, d.span) for t in doc.tasks for d in t.departments] + \
            [(f"{t.value:g}", t.span) for task in doc.tasks for t in task.targets]
    assert facts and all(span is not None for _, span in facts)
    for name, span in facts:
        assert name in text[span.start:span.end], (name, text[span.start:span.end])
