"""Write a synthetic policy cascade for benchmarks: every year one national plan becomes a plan per
province, per city and per county, each carrying down its parent's tasks the way real ones do
(reworded, split, merged, dropped, with target values changed and local tasks added), with a
ground-truth file of which document and task implements which.

    python benchmarks/make_corpus.py --provinces 31 --cities 99 --counties 99 --years 3 --seed 1 --out /tmp/corpus

Places are real (jionlp's gazetteer, so the extractor can place them); task texts, target measures
and the notice layout are drawn from the bundled sample documents. Deterministic for a seed.
"""
from __future__ import annotations

import argparse
import contextlib
import io
import json
import random
import re
from dataclasses import dataclass, field
from pathlib import Path

import cn2an
from policykg.api import sample_paths
from policykg.loaders import extract

SECTIONS = ["加强医改组织领导", "深化公立医院改革", "健全医疗保障体系", "促进药品供应保障", "提升基层服务能力",
            "推进中医药传承创新", "强化公共卫生体系"]
SYNONYMS = [("加强", "强化"), ("推进", "推动"), ("完善", "健全"), ("提升", "提高"), ("进一步", "持续"),
            ("全面", "深入"), ("建立", "构建"), ("开展", "组织开展"), ("落实", "抓好")]
DEPARTMENTS = ["卫生健康委", "医保局", "财政局", "发展改革委", "人力资源社会保障局", "市场监管局", "教育局",
               "民政局", "药监局", "中医药管理局"]
LEVEL_PREFIX = {"province": "省", "city": "市", "county": "县"}
RESP = re.compile(r"[（(][^（）()]*(?:负责|牵头|配合|责任单位)[^（）()]*[）)]")


@dataclass
class Plan:
    file: str
    doc_number: str
    title: str
    level: str
    region: list[str]
    parent: Plan | None
    tasks: list[dict] = field(default_factory=list)    # {"path", "title", "text", "targets", "parents"}


def task_pool() -> tuple[list[tuple[str, str]], list[str]]:
    """(title, text) of the sample documents' tasks, and the measures of their targets."""
    pool, measures = [], set()
    for path in sample_paths():
        for doc in extract(path).documents:
            for t in doc.tasks:
                text = RESP.sub("", re.sub(r"\s+", "", t.text or ""))
                if t.title and 30 <= len(text) <= 600 and len(t.title) <= 20:
                    pool.append((t.title, text))
                for g in t.targets:
                    m = re.sub(r"[\d.%％、，,和及]+|达到|以上|以下|左右|年内|不低于|不少于", "", g.measure or "")
                    if g.unit == "%" and 4 <= len(m) <= 16:
                        measures.add(m)
    return sorted(set(pool)), sorted(measures)


def gazetteer() -> dict:
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp
    loc = jionlp.china_location_loader()
    out = {}
    for p, pv in sorted(loc.items()):
        if p in ("香港特别行政区", "澳门特别行政区", "台湾省"):
            continue
        out[p] = {c: sorted(k for k in cv if not k.startswith("_"))
                  for c, cv in sorted(pv.items()) if not c.startswith("_") and isinstance(cv, dict)}
    return out


def chinese_date(y: int, m: int, d: int) -> str:
    return f"{y}年{m}月{d}日"


class Writer:
    def __init__(self, rng: random.Random, pool, measures, out: Path):
        self.rng, self.pool, self.measures, self.out = rng, pool, measures, out
        self.numbers: dict[tuple[str, int], int] = {}
        self.plans: list[Plan] = []

    def number(self, code: str, year: int) -> str:
        key = (code, year)
        self.numbers[key] = self.numbers.get(key, 0) + 1
        return f"{code}〔{year}〕{self.numbers[key]}号"

    def reword(self, text: str, place: str) -> str:
        rng = self.rng
        sentences = [s for s in re.split(r"(?<=。)", text) if s]
        if len(sentences) > 2:
            head, rest = sentences[0], sentences[1:]
            rng.shuffle(rest)
            if len(rest) > 2 and rng.random() < 0.5:
                rest.pop()
            sentences = [head] + rest
        text = "".join(sentences)
        for a, b in SYNONYMS:
            if a in text and rng.random() < 0.5:
                text = text.replace(a, b, 1)
        if rng.random() < 0.3:
            text = f"{place}要结合实际，" + text
        return text

    def departments(self, level: str) -> str:
        names = self.rng.sample(DEPARTMENTS, self.rng.randint(1, 3))
        prefix = LEVEL_PREFIX.get(level, "国家")
        return "、".join(prefix + n for n in names) + "按职责分工负责"

    def target(self, measures_used: set) -> dict:
        m = self.rng.choice([x for x in self.measures if x not in measures_used] or self.measures)
        measures_used.add(m)
        return {"measure": m, "value": self.rng.randrange(30, 90, 5)}

    def national(self, year: int, n_tasks: int = 24) -> Plan:
        number = self.number("国办发", year)
        title = f"国务院办公厅关于印发深化医药卫生体制改革{year}年重点工作任务的通知"
        plan = Plan(f"{year}-national.txt", number, title, "national", ["国家"], None)
        used: set = set()
        for title_, text in self.rng.sample(self.pool, n_tasks):
            targets = [self.target(used)] if self.rng.random() < 0.4 else []
            plan.tasks.append({"title": title_, "text": text, "targets": targets, "parents": []})
        return plan

    def child(self, parent: Plan, level: str, region: list[str], year: int, code: str) -> Plan:
        rng = self.rng
        place = region[-1]
        office = "人民政府办公厅" if level == "province" else "人民政府办公室"
        number = self.number(code, year)
        title = f"{place}{office}关于印发{place}深化医药卫生体制改革{year}年重点工作任务的通知"
        plan = Plan("", number, title, level, region, parent)
        parents = list(parent.tasks)
        i = 0
        while i < len(parents):
            p = parents[i]
            pid = [parent.doc_number, p["path"]]
            roll = rng.random()
            targets = [{"measure": g["measure"], "value": max(5, g["value"] + rng.choice([-5, 0, 0, 5, 10]))}
                       for g in p["targets"]]
            if roll < 0.12:                                     # dropped
                pass
            elif roll < 0.22 and len(re.findall("。", p["text"])) >= 3:   # split in two
                sentences = [s for s in re.split(r"(?<=。)", p["text"]) if s]
                half = len(sentences) // 2
                plan.tasks.append({"title": p["title"], "text": self.reword("".join(sentences[:half]), place),
                                   "targets": targets, "parents": [pid]})
                plan.tasks.append({"title": rng.choice(["深化", "细化", "抓实"]) + p["title"][2:],
                                   "text": self.reword("".join(sentences[half:]), place), "targets": [],
                                   "parents": [pid]})
            elif roll < 0.29 and i + 1 < len(parents):          # merged with the next
                q = parents[i + 1]
                plan.tasks.append({"title": p["title"], "text": self.reword(p["text"], place) +
                                   self.reword(q["text"], place), "targets": targets,
                                   "parents": [pid, [parent.doc_number, q["path"]]]})
                i += 1
            else:                                               # carried, reworded
                plan.tasks.append({"title": self.reword(p["title"], place).replace(f"{place}要结合实际，", ""),
                                   "text": self.reword(p["text"], place), "targets": targets, "parents": [pid]})
            i += 1
        for title_, text in rng.sample(self.pool, rng.randint(1, 3)):   # local tasks
            at = rng.randrange(len(plan.tasks) + 1)
            plan.tasks.insert(at, {"title": title_, "text": text, "targets": [], "parents": []})
        return plan

    def write(self, plan: Plan, date: tuple[int, int, int], folder: str) -> None:
        rng = self.rng
        level = plan.level
        issuer = plan.title.split("关于")[0]
        attachment = f"{plan.region[-1] if level != 'national' else ''}深化医药卫生体制改革{date[0]}年重点工作任务"
        lines = [f"{issuer}文件", "", plan.doc_number, "", plan.title, ""]
        addressees = {"national": "各省、自治区、直辖市人民政府，国务院各部委、各直属机构：",
                      "province": "各市州人民政府，省政府各委、办、厅、局：",
                      "city": "各县区人民政府，市政府各部门：",
                      "county": "各乡镇人民政府，县政府各部门："}[level]
        lines.append(addressees)
        if plan.parent:
            lines.append(f"为贯彻落实《{plan.parent.title}》（{plan.parent.doc_number}）精神，进一步深化医药卫生体制改革，"
                         f"经{'省' if level == 'province' else '市' if level == 'city' else '县'}政府同意，现将《{attachment}》"
                         "印发给你们，请结合实际认真贯彻落实。")
        else:
            lines.append(f"《{attachment}》已经国务院同意，现印发给你们，请认真贯彻执行。")
        lines += ["", issuer, chinese_date(*date), "", attachment, ""]
        per_section = max(1, -(-len(plan.tasks) // rng.randint(4, 6)))
        for i, task in enumerate(plan.tasks):
            section = cn2an.an2cn(i // per_section + 1)
            item = f"（{cn2an.an2cn(i + 1)}）"
            if i % per_section == 0:
                lines.append(f"{section}、{SECTIONS[(i // per_section) % len(SECTIONS)]}")
            task["path"] = [section, item]
            text = task["text"]
            for g in task["targets"]:
                text += f"{g['measure']}达到{g['value']}%以上。"
            if rng.random() < 0.3:
                text += f"{date[0]}年12月底前完成。"
            lines.append(f"{item}{task['title']}。{text}（{self.departments(level)}）")
        plan.file = f"{folder}/{plan.doc_number}.txt".replace("〔", "-").replace("〕", "-")
        path = self.out / plan.file
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        self.plans.append(plan)


def code_for(place: str, level: str) -> str:
    short = re.sub(r"(省|市|自治区|壮族|回族|维吾尔|特别行政区|自治州|地区|盟|县|区|旗|自治县)$", "", place) or place
    return short[:2] + "政办"     # several places may share it: numbers run on per code, so 文号 stay unique


def make(provinces: int, cities: int, counties: int, years: int, seed: int, out: Path) -> dict:
    rng = random.Random(seed)
    pool, measures = task_pool()
    places = gazetteer()
    writer = Writer(rng, pool, measures, out)
    for y in range(years):
        year = 2021 + y
        national = writer.national(year)
        writer.write(national, (year, 3, rng.randint(1, 28)), f"{year}")
        for p in list(places)[:provinces]:
            prov = writer.child(national, "province", ["国家", p], year, code_for(p, "province"))
            writer.write(prov, (year, 5, rng.randint(1, 28)), f"{year}/{p}")
            for c in list(places[p])[:cities]:
                if c == p:      # municipalities: the city level is the province itself
                    continue
                city = writer.child(prov, "city", ["国家", p, c], year, code_for(c, "city"))
                writer.write(city, (year, 7, rng.randint(1, 28)), f"{year}/{p}/{c}")
                for k in places[p][c][:counties]:
                    county = writer.child(city, "county", ["国家", p, c, k], year, code_for(k, "county"))
                    writer.write(county, (year, 9, rng.randint(1, 28)), f"{year}/{p}/{c}")
    truth = {
        "documents": [{"file": pl.file, "doc_number": pl.doc_number, "title": pl.title, "level": pl.level,
                       "region": pl.region, "parent": pl.parent.doc_number if pl.parent else None}
                      for pl in writer.plans],
        "task_links": [{"child": {"doc": pl.doc_number, "path": t["path"]}, "parent": {"doc": pd, "path": pp}}
                       for pl in writer.plans for t in pl.tasks for pd, pp in t["parents"]],
    }
    (out / "truth.json").write_text(json.dumps(truth, ensure_ascii=False), encoding="utf-8")
    return truth


NOTICE_COUNTIES = ["尤溪县", "将乐县", "泰宁县", "建宁县", "宁化县", "清流县", "明溪县", "大田县", "沙县区", "永安市"]
NOTICE_TASKS = ["加强基层服务", "推进家庭医生签约", "提升医疗服务能力", "做好疾病预防", "完善药品供应"]


def same_subject_notices(n: int, seed: int = 1) -> dict[str, str]:
    """n short notices of one city (三明市) and its counties on one subject (做好医疗卫生服务工作),
    over three years, every second one with two tasks: the shape that made linking quadratic, since
    every county notice has every city notice of its years as a candidate parent. File name → text."""
    rng = random.Random(seed)
    out = {}
    for i in range(n):
        year, month, day = rng.choice([2022, 2023, 2024]), rng.randint(1, 12), rng.randint(1, 28)
        if i % 3 == 0:
            issuer, code, lead, to = "三明市卫生健康委员会", "明卫", "市卫生健康委员会", "各县（市、区）卫生健康局："
        else:
            county = rng.choice(NOTICE_COUNTIES)
            issuer, code, lead, to = f"{county}卫生健康局", county[0] + "卫", "县卫生健康局", "各乡镇卫生院："
        tasks = ""
        if i % 2 == 0:
            for k, topic in enumerate(rng.sample(NOTICE_TASKS, 2)):
                tasks += (f"{'一二'[k]}、{topic}\n（{'一二'[k]}）{topic}，到{year + 1}年，覆盖率达到"
                          f"{rng.randint(50, 99)}%。（{lead}牵头）\n")
        out[f"notice-{i:05d}.txt"] = (f"{issuer}关于做好{year}年医疗卫生服务工作的通知\n{code}〔{year}〕{i + 1}号\n{to}\n"
                                      f"为做好医疗卫生服务工作，现通知如下。\n{tasks}{issuer}\n{year}年{month}月{day}日\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--provinces", type=int, default=31)
    ap.add_argument("--cities", type=int, default=99, help="at most this many cities per province")
    ap.add_argument("--counties", type=int, default=99, help="at most this many counties per city")
    ap.add_argument("--years", type=int, default=1, help="one cascade per year")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args()
    truth = make(args.provinces, args.cities, args.counties, args.years, args.seed, args.out)
    print(f"{len(truth['documents'])} documents, {len(truth['task_links'])} task links -> {args.out}")


if __name__ == "__main__":
    main()
