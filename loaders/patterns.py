"""Every document rule of the extractor, in one place: the regular expressions and word tables that
say how Chinese official documents are printed. They run on the *normalised* view of
the text (see cleaning.py): brackets, colons and commas full-width, simplified characters, no spaces
between Chinese characters. Written by hand because no library knows the shapes of Chinese
official documents (文号, numbering schemes, responsibility lists)."""
from __future__ import annotations

import re


class Needing:
    """A compiled pattern every match of which holds a match of `needs` (a regular expression that
    starts with a character or a class, which the regex engine scans for quickly): a text without
    one is not searched. Python's regex engine tries a pattern at each position of a text, and a
    文号's code (up to ten Chinese characters before its bracket) costs up to ten steps at every
    Chinese character of a line that holds none. The answers are the pattern's own: a text with
    nothing `needs` matches holds no match anywhere in it (tests/test_patterns.py checks each)."""

    def __init__(self, pattern: re.Pattern, needs: str):
        self.compiled, self.pattern = pattern, pattern.pattern
        self.may_match = re.compile(needs).search

    def search(self, text: str, *pos) -> re.Match | None:
        return self.compiled.search(text, *pos) if self.may_match(text) else None

    def match(self, text: str, *pos) -> re.Match | None:
        return self.compiled.match(text, *pos) if self.may_match(text) else None

    def fullmatch(self, text: str, *pos) -> re.Match | None:
        return self.compiled.fullmatch(text, *pos) if self.may_match(text) else None

    def finditer(self, text: str, *pos):
        return self.compiled.finditer(text, *pos) if self.may_match(text) else iter(())

    def sub(self, repl, text: str, count: int = 0) -> str:
        return self.compiled.sub(repl, text, count) if self.may_match(text) else text


CN_NUM = "一二三四五六七八九十百零〇两"
CIRCLED = "".join(chr(0x2460 + i) for i in range(20))          # ① .. ⑳

# ---------------------------------------------------------------- noise inside printed lines
_PINYIN_LETTER = r"[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüńňǹḿ]"
_PINYIN_SYLLABLE = _PINYIN_LETTER + "{1,7}"
# dropped from a line (cleaning.py): pinyin glosses after a character (發(fā), 地(dì / de), 局(ju)(ju)),
# HTML tags and entities left in a page's text, runs of '|' that separate flattened cells
MARKUP_NOISE = Needing(re.compile(
    rf"(?<=[\u3400-\u9fff])(?:[(（]{_PINYIN_SYLLABLE}(?:\s*/\s*{_PINYIN_SYLLABLE})*[)）])+"
    r"|</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>"
    r"|&(?:nbsp|ensp|emsp|amp|lt|gt|quot|#\d{2,5});"
    r"|\|+"), rf"[(（]{_PINYIN_LETTER}|[<&|]")
# the red header of an official document: 贵州省人民政府文件
# how an issuing body's name ends, for the rules that find an issuer by its place in a line (a red
# header, a signature, a title, a news lead)
ISSUER_END = r"(?:办公厅|办公室|人民政府|委员会|领导小组|小组|局|厅|委|部|府)"
RED_HEADER = re.compile(rf"^[\u4e00-\u9fff（）]{{2,30}}{ISSUER_END}文件$")
# a web page's navigation: breadcrumbs (当前位置：首页 > 政务公开), site menus
PAGE_FURNITURE = re.compile(r"当前位置|您的位置|你的位置|您现在的位置|所在位置|无障碍浏览|首页\s*[>〉»/]|https?：?//|"
                            r"【法宝引证码】|原文链接|^来源：|^字号|打印本页|关闭窗口|^返回顶部|^返回首页|【字体|^字体：|"
                            r"^分享到|扫一扫|点击蓝字关注|^文章预览$|^上一篇|^下一篇|^相关文章|^相关链接|^浏览量|^浏览次数|^访问量|^阅读量|^点击量")
# a sentence end, then the two em spaces that indent the next paragraph, inside one line (or the
# spaces before an article a law database runs on after its chapter: 第一章　总则　　第一条 …)
INDENT_BREAK = re.compile(r"(?<=[。；！？：])[\u2003\u3000]{2,}|[\u2003\u3000]{2,}(?=第[一二三四五六七八九十百零〇\d]+[条章])")
# a page flattened to one long line (an app's article preview) keeps its line breaks only as single
# spaces between Chinese characters, which Chinese prose never prints
FLAT_BREAK = re.compile(r"(?<=[\u4e00-\u9fff。；：，）)》”〕●]) (?=[\u4e00-\u9fff（《“]|\d{1,2}[.、．]|(?:19|20)\d{2}年)")
FLAT_LINE_MIN = 200     # characters: shorter lines are ordinary lines
# HTML tags after which a page starts a new line
HTML_BREAK = re.compile(r"</(?:p|div|li|tr|h[1-6]|table)>|<br\s*/?>", re.IGNORECASE)

# ---------------------------------------------------------------- numbering labels
# name -> regex matching at the start of a block; group 1 is the number
LABELS: list[tuple[str, re.Pattern]] = [
    ("chapter", re.compile(rf"^第([{CN_NUM}\d]+)[章节](?=\s|[^\w]|[\u4e00-\u9fff])")),
    ("article", re.compile(rf"^第([{CN_NUM}\d]+)条")),
    ("cn", re.compile(rf"^([{CN_NUM}]+)[、．.](?![{CN_NUM}]+级)")),
    ("pcn", re.compile(rf"^（([{CN_NUM}]+)）")),
    ("arabic", re.compile(r"^(\d{1,3})(?:[．、]|\.(?!\d))")),
    ("parabic", re.compile(r"^（(\d{1,3})）")),
    ("circled", re.compile(rf"^([{CIRCLED}])")),
]

# ---------------------------------------------------------------- document numbers (文号)
# („ ‟ are how a Word file's 〔 〕 come out of some converters)
OPEN_BR = "〔［\\[（【{｛„"
CLOSE_BR = "〕］\\]）】}｝‟"
DOC_NUMBER = Needing(re.compile(
    rf"([\u4e00-\u9fff]{{1,10}})[{OPEN_BR}]((?:19|20)\d{{2}})[{CLOSE_BR}](?:第)?(\d{{1,4}})号"), "号")
# words that can stand right before a 文号 and are not part of the issuer code (citations.
# issuer_code_start): up to the first of them, then up to the last of the longer ones (为贯彻落实国办发
# 〔2024〕1号 → 国办发; 和实施意见国发〔2024〕3号 → 国发: a title printed without brackets ends at its
# document type). One-character words count only first, since they can begin a code (和政县: 和政发).
_LEAD_LONG = "根据|依据|按照|参照|落实|印发|执行|贯彻|转发|详见|发布于|通知|意见|方案|办法|规定|决定|规划|纲要"
DOC_NUMBER_LEAD = re.compile(rf"^(?:.*?(?:{_LEAD_LONG}|为|见|的|和|及|与|或|于))")
DOC_NUMBER_LEAD_LONG = re.compile(rf".*(?:{_LEAD_LONG})")
# the code part must look like one: it ends in a document-type character
DOC_CODE_END = re.compile(r"[发办函字秘组令文通电函复批呈报告示知决议纪要号厅委局府部规]$")

# 《人民日报》, 《求是》: a newspaper or journal a page credits, not a document it cites
PRESS_TITLE = re.compile(r"^\s*(?:[\u4e00-\u9fff]{1,8}(?:日报|晚报|时报|周报|杂志|新闻)|求是)\s*$")
# （以下简称《任务》）: the short name a text gives a document it has just named
SHORT_NAME = re.compile(r"简称为?《([^《》]{1,20})》")
# 《…》 titles; nested 〈…〉 or 《…》 inside stays part of the title
TITLE = re.compile(r"《((?:[^《》]|《[^《》]*》){2,200}?)》")
# what usually follows a citation: its 文号 in brackets
# a cited document's number in any of the forms a text gives it: a 文号; an order (国令第722号); a 文号
# whose closing bracket was lost (国办发〔2018104号); a 文号 cited without its year, as texts name
# well-known documents (按照国发42号文件精神): only with 文件/精神/要求 after it, so that a count
# (印发2号) is not read as one. Groups: code, year, number | code, number | code, year, number |
# code, number.
CITED_NUMBER = Needing(re.compile(
    rf"{DOC_NUMBER.pattern}|([\u4e00-\u9fff]{{1,8}}令)第(\d{{1,4}})号"
    rf"|([\u4e00-\u9fff]{{1,10}})[{OPEN_BR}]((?:19|20)\d{{2}})(\d{{1,4}})号"
    rf"|([\u4e00-\u9fff]{{1,8}}[发函字])(\d{{1,4}})号(?=文件|精神|的?要求|的?规定)"), "号")
# a yearless 文号 on its own, as a citation's number is kept once found (国发42号)
YEARLESS_NUMBER = re.compile(r"([\u4e00-\u9fff]{1,8}[发函字])(\d{1,4})号(?:文件)?")
TRAILING_DOC_NUMBER = re.compile(rf"^[（(]?\s*({CITED_NUMBER.pattern})\s*[）)]?")

# words that make a citation the document's basis
BASIS_CUE = re.compile(r"(根据|依据|按照|对照|为(?:深入|全面|认真|进一步)?(?:贯彻落实|贯彻|落实)|贯彻落实|为落实|"
                       r"(?:认真|全面|深入|坚决)(?:贯彻)?落实|(?:深入|认真|全面)贯彻)")
# every cue word, basis or not: the one nearest before a citation decides
CUE = re.compile(BASIS_CUE.pattern + r"|参照|参考|比照")
# a site's note inside a document's text: 【已废止，最新为：《…》】
SITE_NOTE = re.compile(r"【[^【】]*(?:废止|失效|最新|修订|有效)[^【】]*】")
REPEAL_CUE = re.compile(r"(同时废止|予以废止|即行废止|废止|停止执行|不再执行)")

# ---------------------------------------------------------------- dates
DATE = Needing(re.compile(
    r"((?:19|20)\d{2}|[一二三四五六七八九〇零○Ｏ]{4})\s*年\s*"
    r"(\d{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(\d{1,2}|[一二三四五六七八九十]{1,3})\s*日"), "年")
# a signature date alone on its line, or after the issuer on the same line (web pages print
# '青海省人民政府办公厅 2023年10月25日' as one line)
SIGNATURE_ISSUER = rf"[\u4e00-\u9fff（）]{{2,30}}?{ISSUER_END}"
DATE_LINE = re.compile(rf"^(?:{SIGNATURE_ISSUER})?(?:[（(]?)({DATE.pattern})(?:[）)]?)(?:印发|发布|起施行)?$")
# joint signers and the date on one line: 中国人民银行  国家发展改革委  …  国家外汇局  2026年2月6日
JOINT_SIGNATURE_DATE = re.compile(rf"^[\u4e00-\u9fff]{{4,200}}?[行会局厅委部府署办室]({DATE.pattern})$")
PUBLISHED = re.compile(r"(?:发布日期|发布时间|公开日期)[：:]\s*((?:19|20)\d{2})[-年./](\d{1,2})[-月./](\d{1,2})")

# a 文号 printed in front of the title on one line (津政办规〔2023〕4号 天津市…的通知); group 2: the code
DOC_NUMBER_TITLE_HEAD = re.compile(
    rf"^(([\u4e00-\u9fff]{{1,10}})[{OPEN_BR}](?:19|20)\d{{2}}[{CLOSE_BR}](?:第)?\d{{1,4}}号)(?=[\u4e00-\u9fff《“])")
# …的通知（国办发〔2024〕29号）: the 文号 printed after the title
TITLE_TRAILING_DOC_NUMBER = re.compile(rf"[（(]\s*({DOC_NUMBER.pattern})\s*[）)]$")
# a 文号 whose closing bracket or 号 was lost (沙政〔2012478, 衢政办发〔202316号), alone on its line
GARBLED_DOC_NUMBER_LINE = re.compile(rf"^[\u4e00-\u9fff]{{1,8}}[{OPEN_BR}](?:19|20)\d{{2}}\d{{1,4}}号?$")
# dates in metadata fields: 2023-03-28, 2023.3.28, 2023/03/28
ISO_DATE = re.compile(r"((?:19|20)\d{2})[-./](\d{1,2})[-./](\d{1,2})")

# ---------------------------------------------------------------- a site's metadata table
# key -> field; the keys of 索引号 tables on government sites, law databases and wiki mirrors
META_FIELDS = {
    "标题": "title", "发文标题": "title", "文件名称": "title", "名称": "title", "文件标题": "title",
    "文号": "doc_number", "发文字号": "doc_number", "发文文号": "doc_number", "文件编号": "doc_number",
    "发文机关": "issuer", "发文单位": "issuer", "发文部门": "issuer", "制发机关": "issuer",
    "发布机关": "issuer", "制定机关": "issuer",     # a wiki mirror's and a law database's words
    "成文日期": "date", "发文日期": "issued", "发文时间": "issued", "印发日期": "issued",
    "发布日期": "published", "发布时间": "published", "日期": "published", "公开日期": "published", "时间": "published",
    "索引号": None, "主题分类": None, "生效日期": None,
    # the office whose site published the page: a place's evidence only (it may republish others')
    "发布机构": "publisher", "发布单位": "publisher",
    "实施日期": None, "废止日期": None, "时效性": None, "时效": None, "有效性": None, "效力级别": None,
    "公文种类": None, "主题词": None, "信息来源": None, "来源": None, "体裁分类": None,
    "组配分类": None, "统一编号": None, "登记号": None, "所属机构": None, "浏览次数": None,
    "公开方式": None, "公开范围": None, "信息分类": None, "有效期": None, "所属单位": None,
    "文件类型": None, "发布部门": None, "发文机构": None, "废止时间": None, "生成日期": None,
    "生效时间": None, "归档时间": None, "关键词": None, "内容概述": None, "视力保护色": None,
}
# a wiki mirror's header line naming the notice that issued the text: 發布於國辦發〔2008〕60號《通知》
ISSUED_BY_NUMBER = re.compile(r"^发布于\s*")
# a news report's lead naming the document it reports: …近日，安徽省人民政府发布关于…的通知。
# Groups: issuer, title.
NEWS_REPORT = re.compile(rf"(?:^|[，,、。：:]|近日|日前)([\u4e00-\u9fff]{{2,30}}?{ISSUER_END})"
                         r"(?:近日|日前|近期)?(?:正式)?(?:发布|印发|出台|下发)了?《?(关于[^。，,《》“”]{2,80}?的(?:通知|意见|决定|实施方案|方案|办法))")
# …and naming it by its 《title》 (日前，国务院办公厅印发《X》). Groups: issuer, title.
NEWS_REPORT_TITLED = re.compile(rf"(?:^|[，,、。：:\s]|近日|日前|电)([\u4e00-\u9fff]{{2,30}}?{ISSUER_END})"
                                r"(?:近日|日前|近期)?(?:正式)?(?:发布|印发|出台|下发)了?《([^《》]{4,80})》")
META_KEY = re.compile("(" + "|".join(sorted(META_FIELDS, key=len, reverse=True)) + r")\s*(?:：|(?=\s*\|))")

# ---------------------------------------------------------------- document titles
DOC_TYPES = ("通知", "意见", "方案", "办法", "决定", "规定", "批复", "复函", "函", "公告", "通告",
             "通报", "纲要", "规划", "计划", "细则", "任务", "清单", "措施", "要点", "报告",
             "条例", "标准", "分解表", "台账", "指南", "指引", "规则", "章程", "制度", "准则", "守则", "规范",
             "若干政策", "政策措施")
# (with the qualifier a title may end in: （2024—2027年）, （试行）, （2023年版）)
_DOC_TYPE_ALT = "|".join(sorted(DOC_TYPES, key=len, reverse=True))
DOC_TYPE_END = re.compile(rf"(?:{_DOC_TYPE_ALT})(?:[（(][^（）()]{{1,16}}[）)])?$")
# a page's header line that is a whole title in 《》, with or without its 文号 before it
TITLE_ALONE = re.compile(rf"^(?:[\u4e00-\u9fff]{{1,10}}[{OPEN_BR}](?:19|20)\d{{2}}[{CLOSE_BR}]\d{{1,4}}号)?"
                         rf"《[^《》]{{4,150}}(?:{_DOC_TYPE_ALT})》$")
# the plan a notice's title issues or forwards (group 1): 关于印发《X》的通知, 关于转发X的通知
NOTICE_ISSUES = re.compile(r"(?:印发|转发)(.{4,120}?)的通知$")
NOTICE_TITLE = re.compile(r"(?:关于.{2,120}?|(?:印发|转发)《.{2,120}》)的(?:通知|意见|决定|批复|复函|通报|报告|函)$")
# a title's count of its joint issuers: 广州市卫生健康委等4部门, 市发展改革委等十部门
ISSUER_COUNT = re.compile(r"等(?:\d{1,2}|[一二三四五六七八九十]{1,3})(?:个)?(?:部门|单位|部委)$")
# a whole notice title on its own line, its issuer first: a line of its own even where a page's
# key/value lines run into it (统一编号： / HCSD01-2023-0006 / 常山县人民政府办公室关于…的通知)
ISSUER_NOTICE_TITLE = re.compile(rf"^[\u4e00-\u9fff、]{{2,60}}?{ISSUER_END}"
                                 r"关于.{2,150}的(?:通知|意见|决定|批复|通报)$")
# a signature date whose 年月日 a page lost: 2023626, 20191016
GARBLED_DATE_LINE = re.compile(r"^(?:19|20)\d{2}(?:0?[1-9]|1[0-2])(?:0?[1-9]|[12]\d|3[01])$")
ATTACHMENT = re.compile(r"^附件\s*\d*\s*[：:]?\s*(.*)$")
ATTACHMENT_MARK = re.compile(r"^附件\s*\d*[：]?$")          # the mark alone on its line
NOTICE_TYPE_END = re.compile(r"(通知|通报|决定|意见|批复|公告|通告|复函|命令)$")
TOC_ENTRY = Needing(re.compile(r"(\.{3,}|…{2,}|·{3,})\s*[（(]?\d+[）)]?$"), r"\.{3}|…{2}|·{3}")
# gazette pages that are not documents: chronicle, editorial board, contents
NOT_DOCUMENT_HEADINGS = re.compile(r"(大事记|编辑委员会|目\s*录|人\s*事\s*任\s*免|政府公报|传达政令)")
# sections that hold goals or arrangements rather than assigned work (FORMAT.md)
# (a heading that opens with one of these, not one that mentions it: 加强组织领导 is one, 加强医改组织领导
# is not; the heading may run on into its text where a page joins the lines)
SUPPORT_SECTIONS = re.compile(r"^(?:切实|进一步)?(?:加强|强化|做好|完善|健全|明确)?(?:总体要求|指导思想|基本原则|主要目标|"
                              r"工作目标|目标任务|组织保障|保障措施|组织实施|实施步骤|工作要求|工作步骤|进度安排|组织领导|"
                              r"主要职责|组成人员|工作制度|督导考核|督促检查|总体目标|发展目标)")
PLAN_TITLE = re.compile(r"(方案|任务|计划|要点|意见|规划|措施|清单|分解表|台账|纲要|办法|细则|分工)")
NOTICE_ONLY_END = re.compile(r"(通知|通报|函|批复|公告|通告)$")
# a notice's words that it issues or forwards a plan: 现印发给你们, 予以分解印发, 转发给你们
ISSUE_CUE = re.compile(r"(?:印发|转发)给你们|予以(?:分解)?印发|现予印发|现印发|印发你们|转发你们")

# a heading fragment a page prints twice before the whole title
DOUBLED_HEADING = re.compile(r"^(.{6,60}?)\1")
# a site's note before a title: （转载） 【转载】 [原创] 转载：
TITLE_SITE_NOTE = re.compile(r"^(?:[（【\[［](?:转载|转发|原创|置顶|推荐|热点|最新)[）】\]］]|转载[：:]|“[^”]{2,12}”)?")
# a plan's heading that opens with its issuer: 镇巴县人民政府工作规则, 谯城区教育局2025年…分解表
TITLE_ISSUER = re.compile(r"^(.{2,30}?(?:人民政府办公厅|人民政府办公室|人民政府|行政公署|办公厅|办公室|委员会|领导小组|"
                          r"局|厅|委))(?=[\u4e00-\u9fff\d“《]{4})(?!关于)")
# (试行) (暂行) (修订版) after a plan's name
# a line under a heading that is only its bracketed note: （2016版）, （2022—2025年）, （试行）
HEADING_NOTE_LINE = re.compile(r"^（(?:(?:19|20)\d{2}(?:[—\-－～至](?:19|20)\d{2})?年?(?:版|度)?|试行|暂行|修订|修订版|征求意见稿|送审稿)）$")
TITLE_SUFFIX_NOTE = re.compile(r"（(?:试行|暂行|修订|修订版|征求意见稿|送审稿)）$")
# 现将《X》印发给你们 / 现将X转发给你们: the plan a notice issues
ISSUES_PLAN = re.compile(r"现将《([^《》]{4,80})》(?:（[^（）]*）)?(?:[和及][^。《》]{0,12}?)?(?:印发|转发)")
# 现将《X》和《Y》印发给你们 / 《X》已经市政府同意，现印发给你们: every plan it names is its own
ISSUES_PLAN_ALL = re.compile(
    r"(?:现将|^|制定了|制定)((?:《(?:[^《》]|《[^《》]*》){4,120}》(?:（[^（）]*）)?[和、及]?)+)"
    r"(?:已经[^。]{0,20}同意，?|[^。《》]{0,20}?)?(?:现)?(?:予以)?(?:印发|转发)")
# the statement of purpose of a plan or rules, wherever it stands (第一条 of rules too): 根据…，制定本办法
PURPOSE_CLAUSE = re.compile(r"(?:制定|修订|形成)(?:了)?本(?:实施|行动|工作|若干)?(?:办法|规则|规定|细则|方案|意见|措施|计划|"
                            r"条例|规划|制度|要点|清单)")
# a 街道 or 镇 that issues: 竹岛街道办事处, 某某镇人民政府
SUBDISTRICT = re.compile(r"(?:市|区|县|旗)([^市区县旗、]{2,5}?(?:街道|镇|乡))(?:办事处|人民政府|政府|党工委|党委)")
# a national issuer or a national document named without one: 中共中央…, 中央八项规定, 国务院…
NATIONAL_CUE = re.compile(r"^(?:中共中央|中央|国务院|全国|国家)")
# whom a notice writes to says who writes it
ADDRESSEE_LEVEL = [
    ("national", re.compile(r"各省、自治区、直辖市|国务院各部委")),
    ("province", re.compile(r"^各(?:市|地级以上市|设区市|市州|市（州）|州、市|盟)")),
    ("city", re.compile(r"^各(?:县|区|县区|县（市、区）|县市区|县（区）|区县)")),
    ("county", re.compile(r"^各(?:乡|镇|街道|乡镇|镇街)")),
]
# ---------------------------------------------------------------- the level prefix, one way
# 省卫生健康委, 市财政局, 区政府办公室: the level a body's or an issuer's own prefix names where it
# names no place (national bodies: 国家/国务院/中央). Used for departments' regions, for an issuer
# named without its place and for a plan's level from its own departments.
PREFIX_LEVEL = {"国家": "national", "国务院": "national", "中央": "national", "中共中央": "national",
                "全国": "national", "自治区": "province", "省": "province", "自治州": "city", "市": "city",
                "州": "city", "盟": "city", "县": "county", "区": "county", "旗": "county",
                "镇": "county", "乡": "county"}
LEVEL_PREFIX = re.compile("^(" + "|".join(sorted(PREFIX_LEVEL, key=len, reverse=True)) + ")")
# a prefix of a body's name, with the name going on after it (市卫健委, not 市委)
NAME_LEVEL_PREFIX = re.compile(r"^(省|市|县|区|州|自治区|自治州|盟|旗|镇|乡)(?=[\u4e00-\u9fff]{2})")

# ---------------------------------------------------------------- departments
# the keys of a responsibility field: 牵头单位：… 责任单位：… 协同责任单位：… 配合部门：… 推进单位：…
_LEAD_KEY = r"(?:牵头(?:责任|考核|负责)?|主责|主办|承办|主要责任)(?:单位|部门|科室|处室)"
_COOP_KEY = r"(?:配合|协同(?:责任|配合)?|协办|参与|参加|主要协作|协作)(?:单位|部门|科室|处室)"
_RESP_KEY = r"(?:责任|推进|实施|落实|承担|负责)(?:单位|部门|科室|处室|主体)"
FIELD_KEY = rf"(?:{_LEAD_KEY}|{_COOP_KEY}|{_RESP_KEY})"
LEAD_KEY = re.compile(rf"^{_LEAD_KEY}$|^责任部门$")     # 责任部门 is the lead column (FORMAT.md)
COOP_KEY = re.compile(rf"^{_COOP_KEY}$")
# a field that names people, not bodies: 牵头负责领导：刘惠。 责任人：
PERSON_FIELD = re.compile(r"^(?:牵头负责领导|牵头领导|责任领导|分管领导|负责领导|分管省领导|分管市领导|责任人|联系人)[：:]")
DEADLINE_KEY = r"(?:完成时限|完成时间|时间节点|时限要求|时限)"
DEADLINE_FIELD = re.compile(rf"^({DEADLINE_KEY})[：:]")
# a field at the start of a line (a task's own line under it)
_LINE_FIELD_KEY = rf"(?:{FIELD_KEY}|完成时限|完成时间|时间节点|时限要求)"
DEPT_FIELD = re.compile(rf"^({_LINE_FIELD_KEY})[：:]")
RESP_FIELD = re.compile(rf"({FIELD_KEY})[：:]")
# a field run on after a task's sentence on its line (…建设算力中心。责任单位：市发改委): it starts a
# line of its own, as it does where a page keeps its lines
FIELD_BREAK = re.compile(rf"(?<=[。；;])[ \t\u3000\u2003]*(?={_LINE_FIELD_KEY}[：:])")
# a bracketed list: （…） with one level of nesting, 〔…〕, [ … ] / ［…］
RESP_BRACKET = re.compile(r"（((?:[^（）]|（[^（）]*）)*)）|〔([^〔〕]*)〕|[\[［]([^\[\]［］]*)[\]］]")
# a bracket that names bodies but is not a list of who does the work: （以下简称市发改委） （含市直单位）
NOT_A_LIST = re.compile(r"^(?:以下简称|简称|含|包括|包含|即|如|例如|不含|除)")
# words without which a bracket holds no list of bodies
LIST_CUE = re.compile(r"负责|牵头|配合|参与|参加|协办|落实|单位|部门|科室|处室|主体")
# an unclosed bracket that a page's excerpt cuts off: （牵头单位：市发
RESP_BRACKET_CUT = re.compile(rf"[（〔\[［](({FIELD_KEY})[：:][^（）〔〕\[\]［］]*)$")
# 列第一位者为牵头单位 / 第一责任单位为牵头单位 / 排在首位的为牵头单位 (, 下同)
FIRST_IS_LEAD = re.compile(r"(?:列|排在|排)?(?:第一位|首位|第一)(?:者|的)?(?:责任单位)?(?:为|是)牵头(?:单位|部门)")
# the end of a bracket that is not a name: 下同, a deadline (6月底完成, 年内持续推进, 长期坚持)
NOT_A_NAME = re.compile(rf"^(?:下同|{DEADLINE_KEY}：.*|(?:\d{{4}}年)?\d{{1,2}}月(?:底|末|中旬|上旬|下旬)?(?:前|之前)?(?:完成|前完成)?|年内.*|年底前?.*|"
                        r"持续推进|长期坚持|长期|\d{4}年(?:底|末)?(?:前)?(?:完成)?|按时序推进|逐年推进)$")
# a role word that ends a name inside a group: 市交通委牵头、各区政府负责落实 (、 between roles)
NAME_ROLE_END = re.compile(r"(?:牵头|配合|参与|参加|负责落实|负责)$")
# a group's own role word at its end: 省卫生健康委牵头，省财政厅配合
GROUP_LEAD = re.compile(r"(?:牵头(?:负责)?|为牵头单位)$")
GROUP_COOP = re.compile(r"(?:按职责分工)?(?:配合|参与|参加|协助|协同|协办|联动配合)$")
# …and the bodies it works with: ，与网信部门、人民法院联动配合
PROSE_ALSO_WITH = re.compile(r"(?:参加|参与|配合)?，?与([^，。；：（）]{2,80}?)(?:联动配合|协同配合|配合)")
# work assigned in prose: 中国人民银行会同国家发展改革委、公安部等部门健全…; 由地方金融管理部门牵头，
# A、B等部门参加; 由X负责，Y配合. Group 1 the lead (a clause's names), group 2 who works with it.
PROSE_LEAD_WITH = re.compile(
    r"(?:^|(?<=[，。；：]))(?:具体)?(?:(?:由)?([^，。；：（）由]{2,60}?)会同|由([^，。；：（）由]{2,60}?)(?:牵头|负责)，)"
    r"([^。；：（）]{2,200}?等(?:有关|相关)?(?:部门|单位|机构)?|[^，。；：（）]{2,200}?)"
    r"(?=参加|配合|参与|共同|健全|研究|负责|制定|提出|落实|推进|组织|开展|做好|加强|建立|完善|按照|依法|，)")
ORG_SUFFIX = re.compile(
    r"(?:委员会|委|局|厅|办公室|办|政府|府|部|院|会|处|室|中心|组|所|站|队|行|社|联|司|署|团|馆|台|"
    r"机构|单位|部门|公司|分局|支行|监局|区）|市）|县）|集团|医院|党委|工委|法院|检察院|银行|指挥部|中央|"
    r"街道|街镇|镇|乡|专班|工作组|小组)$")
# how a body's name starts: a level (市/省/县 …) or 各 for a collective
NAME_START = re.compile(r"^(?:[市省县区各州盟旗镇乡]|自治区|国家|中央)")
COLLECTIVE = re.compile(r"^(?:各|全)|(?:相关部门|相关单位|有关部门|有关单位|各部门|成员单位|各级.*)$")

# ---------------------------------------------------------------- targets
# 万/亿/万亿 before a unit are read as multipliers (1.3万亿斤 → 1.3e12 斤), so no unit carries them
UNITS = ("个百分点", "百分点", "人次", "元", "%", "％", "‰",
         "个", "家", "所", "次", "人", "名", "位", "张", "项", "台", "辆", "床", "种", "类", "支", "套",
         "座", "条", "户", "头只", "头", "只", "公里", "平方公里", "平方米", "平米", "立方米", "公顷", "亩",
         "吨", "斤", "倍", "级", "年一遇", "年", "天", "小时", "分钟", "间", "处", "批", "支队", "场", "兆",
         "千瓦", "千瓦时", "标准箱", "艘", "架次", "篇", "册", "本", "部", "期", "个工作日", "工作日")
NUMBER = r"\d+(?:\.\d+)?"
CN_NUMBER = r"[一二三四五六七八九十百千两]+"
_UNIT_ALT = "|".join(sorted(map(re.escape, UNITS), key=len, reverse=True))
# groups: range start (20至25所), number, 万/亿, 余/多, unit
# A number starts where its run of digits (or numerals) starts: tried at every digit of a long run,
# the pattern was quadratic; a match from inside a run was dropped by its caller anyway.
_NUMBER_START = r"(?<![\d.])"
_CN_NUMBER_START = r"(?<![一二三四五六七八九十百千两])"
TARGET_NUMBER = re.compile(
    rf"(?:{_NUMBER_START}({NUMBER})(?:至|到|—|～|~|-))?({_NUMBER_START}{NUMBER}|{_CN_NUMBER_START}{CN_NUMBER})"
    rf"(万亿|万|亿)?(余|多)?({_UNIT_ALT})")
# verbs whose object is a count to be reached: 建成6个, 培训3.3万人, 安排1名
COUNT_VERB = re.compile(r"(建成|建设|新增|培训|培养|组建|创建|打造|配备|安排|遴选|招聘|达到|达|不少于|至少|不低于|投资|稳定在|"
                        r"完成|开展|覆盖|实现|增加|提高|提升|扩大|突破|超过|引进|设立|建立|举办|推出|发放|改造|"
                        r"新建|续建|落实|控制在|不超过|降低|减少|下降)")
CMP_BEFORE_GE = re.compile(r"(不少于|不低于|不得低于|至少|突破|(?<!不)(?<!不得)超过|(?<!不)高于|多于|(?<!不)大于|不小于)$")
CMP_BEFORE_LE = re.compile(r"(不超过|不高于|低于|控制在|少于|小于|不得超过|不大于|压缩到|压缩至|降至|缩短至|缩短到)$")
# a comparator or target verb up to 20 characters before the number: 不低于25%、50%
CMP_CUE = re.compile(r"(不少于|不低于|不得低于|至少|突破|超过|高于|不超过|不高于|低于|控制在|达到|达|提高到|降低到|"
                     r"提升到|增加到|下降到|为)[^，；。]{0,20}$")
CMP_CUE_GE = ("不少于", "不低于", "不得低于", "至少", "突破", "超过", "高于")
CMP_CUE_LE = ("不超过", "不高于", "低于", "控制在")
# a clause commits to its numbers when it has one of these
COMMITMENT = re.compile(r"(投资|稳定在|不少于|不低于|至少|以上|以下|以内|左右|余|达到|达|提高|降低|控制在|建成|建设|新增|培训|培养|"
                        r"完成|组建|创建|打造|配备|安排|遴选|招聘|覆盖|实现|突破|超过|低于|增加|减少|提升|下降|成为|开展)")
# spans whose numbers are never targets: 《titles》, “quotes”, 文号, dates, year ranges, ages, codes
NEVER_TARGET = (re.compile(r"《[^《》]*》"), re.compile(r"“[^“”]{0,20}”"), DOC_NUMBER, DATE,
                Needing(re.compile(r"(?:19|20)\d{2}(?:—|-|－|至|~)(?:19|20)?\d{2}年?"), "[—\\-－至~]"),
                Needing(re.compile(r"(?:19|20)\d{2}年(?:\d{1,2}月)?(?:底|末)?"), "年"),
                Needing(re.compile(r"\d{1,2}月(?:\d{1,2}日)?(?:底|末|前|中旬|上旬|下旬)?"), "月"),
                # each starts only where its run of digits or letters starts: tried at every digit of
                # a long number, they were quadratic (the same matches either way)
                Needing(re.compile(r"(?<!\d)\d+(?:—|-|－|至|~)\d+周?岁"), "岁"),
                Needing(re.compile(r"(?<!\d)\d+周?岁"), "岁"),
                Needing(re.compile(r"(?<![A-Za-z])[A-Za-z]+\d+|(?<!\d)\d+[A-Za-z]+"), "[A-Za-z]"),
                Needing(re.compile(r"(?<!\d)\d+\+\d+"), r"\+"))
# a clause that says who qualifies: 对总投资5000万元以上…的 / 对亩产税收在…100%以上的
ELIGIBILITY = re.compile(r"^(?:对|凡|对于)[^，；。]*(?:以上|以下|以内|超过|达到|不低于|不少于)[^，；。]*的")
# a sentence that sets a subsidy, award, tax, fee or loan: its amounts and rates are instruments
INSTRUMENT = re.compile(r"(补助|补贴|奖励|奖补|资助|贴息|一次性给予|给予[^，。；]{0,12}(?:支持|扶持)|减免|减按|减征|免征|"
                        r"税额|税率|费率|返还|贷款|担保|融资|上限|最高不超过|最高|租金|收费|罚款|处以)")
# … and a clause that sets a rate of one: 按计税价格的30%给予补助, 减按50%征收, 补助比例不超过30%
INSTRUMENT_RATE = re.compile(r"(按[^，。；]{0,15}?的\d+(?:\.\d+)?[%％]|给予|减按|减征|免征|税率|税额|费率|上限|最高|"
                             r"(?:补助|补贴|奖励|奖补|资助|贴息)(?:比例|标准)|返还)")
CMP_AFTER_GE = re.compile(r"^(以上|及以上|余|多)")
CMP_AFTER_LE = re.compile(r"^(以下|以内|及以下)")
CMP_AFTER_EQ = re.compile(r"^(左右)")
YEAR_FRAME = re.compile(r"(?:到|至|截至|截止到?|力争到?)((?:19|20)\d{2})年(?:底|末)?")
WITHIN_YEAR = re.compile(r"(年内|年底前|年底|当年)")
MONTH_DEADLINE = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(?:(\d{1,2})日)?(?:底|末)?(?:前|之前|以前)?")

# a box printed beside a plan's tasks: 专栏1  工业互联网网络互联互通工程
BOX_HEADING = re.compile(r"^专栏\s*[\d一二三四五六七八九十]+")

# ---------------------------------------------------------------- tables
TABLE_COLUMNS = ("工作任务", "主要目标", "细化措施", "责任单位", "工作进展", "备注", "序号", "重点任务",
                 "责任部门", "配合部门", "配合单位", "牵头单位", "时限要求", "完成时限", "具体措施", "任务分工")
# a 台账 header in PDF text: the lead column followed by the cooperate column
LEDGER_HEADER = re.compile(r"(责任部门|牵头单位|牵头部门)\s*(配合部门|配合单位)")
LEDGER_DEADLINE = re.compile(r"^(?:\d{1,2}月(?:底|前|中旬|上旬|下旬|末)?|(?:19|20)\d{2}年\d{1,2}月(?:底|前)?|"
                             r"年底前?|长期|持续推进|按时序完成|相关工作|—|-)$")
# a name ending like this is complete, so the next line of a ledger cell starts another name
LEDGER_NAME_END = re.compile(r"(局|委|府|办|厅|部门|单位|分局|支行|中心|院|联)$")

# column name -> what the column holds, first match wins
COLUMN_ROLES = [
    ("number", re.compile(r"^(序号|编号)$")),
    ("lead", re.compile(r"(牵头单位|牵头部门|责任部门|主责单位|主要责任单位|牵头责任单位)")),
    ("cooperate", re.compile(r"(配合单位|配合部门|协办单位|参与单位|协同单位|协同责任单位)")),
    ("responsible", re.compile(r"(责任单位|责任主体|推进单位|实施单位|落实单位)")),
    ("office", re.compile(r"(处室|科室)")),
    ("deadline", re.compile(r"(完成时限|时限要求|完成时间|时间节点|时限)")),
    ("measures", re.compile(r"(细化措施|具体措施|工作措施|主要举措)")),
    ("group", re.compile(r"(重点领域|类别|工作任务|任务类别|任务类型)")),
    ("task", re.compile(r"(重点任务|具体任务|主要任务|任务内容|工作内容|主要目标|工作事项|重点内容|任务)")),
    ("content", re.compile(r"(主要内容|具体内容|工作措施|主要措施)")),
]
# a table flattened one cell a line: its row number alone on a line
ROW_NUMBER = re.compile(r"^\d{1,3}$")

# ---------------------------------------------------------------- names in lists, national issuers, scope
# what ends a name in a list but is not part of it: 等部门, 按职责分工负责, 牵头
NAME_TRIM_END = re.compile(r"(?:等(?:有关|相关)?(?:单位|部门)?|按(?:照)?职责(?:分工)?(?:分别|共同)?(?:负责|牵头|落实|配合)?(?:落实)?|"
                           r"分别负责(?:落实)?|共同负责|负责落实|负责|牵头|配合|参与|参加|协办|落实)$")
# a text layer repeats a name's last character across a page break: 财政局局
DOUBLED_END = re.compile(r"([委局厅办府部院会])\1$")
# an issuer that is national by its name: 国务院…, 国家…局, …部
NATIONAL_ISSUER = re.compile(r"^(国务院|国家|中共中央|中央|全国|国办|中华人民共和国|中国人民银行$|中国证监会|中国银保监会|"
                             r"[^省市县区州旗]{1,6}部$|[^省市县区州旗]{1,8}(?:总局|总署)$)")
# the printed form of the place at the start of an issuer: 海东市, 互助县, 青海省
PRINTED_PLACE = re.compile(r"^(.{1,12}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗))")
# the 文号 codes of the national organs: 国发, 国办发, 国函, 中发, 中办发
NATIONAL_CODE = re.compile(r"^(?:国|中发|中办|中委)")
# scope words: a count right after them describes who takes part, not what is to be achieved
SCOPE_BEFORE = re.compile(r"((?<!稳定)(?<!控制)(?<!保持)在|国家|我省|我市|支持|帮扶|支援|对口|推动|包括|其中|涉及|依托|以|"
                          r"选取|确定|遴选出|共有|现有|全省|全市)$")

# ---------------------------------------------------------------- keys and subjects (loaders/keys.py)
SPACES = re.compile(r"\s+")
# 关于印发《X》的通知 / 关于印发X的通知: X is what other documents cite
NOTICE_OF = re.compile(r"关于(?:印发|转发|公布)(.+?)的(?:通知|函)$")
# what a subject is said without: the issuer before 关于 (山西省人民政府关于进一步… → 进一步…) and
# the 的 before the kind of document (…建设的实施意见 → …建设实施意见)
ISSUER_ABOUT = re.compile(r"^.{0,40}?关于|的(?=(?:实施)?(?:意见|方案|办法|措施)$)")
SUBJECT_MARKS = re.compile(r"[《》〈〉“”\s]")
# a year or span of years in a title: 2022年, 2021—2025年, （2023-2025年）
TITLE_YEARS = re.compile(r"(?:19|20)\d{2}(?:[—–-](?:19|20)\d{2})?年度?|[（(](?:19|20)\d{2}[—–-](?:19|20)\d{2}年?[)）]")
# the numbers a task states (35%, 1.5), compared between a task and the task it carries down
TASK_NUMBER = re.compile(r"\d+(?:\.\d+)?%?")
# the level a department's name starts with: 省卫生健康委员会 and 市卫生健康委员会 do one job
DEPARTMENT_LEVEL = re.compile(r"^(省|市|县|区|州)")
# what a target's measure says without its numbers and the words around them (达到, 以上, 左右 …):
# two measures restate each other when what remains is alike
MEASURE_NOISE = re.compile(r"年内|到\d{4}年|达到|提高到|降低到|以上|以下|左右|不低于|不少于|不超过|超过|力争|"
                           r"[\d.]+\s*[%％]?|[、，,和及与]")
