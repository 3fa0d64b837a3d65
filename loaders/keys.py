"""How documents are named for matching and compared for lineage: the keys a 文号 and titles name
a document by (a citation finds the document it names through them), a plan's subject, and the
parts of a task that alignment compares. Text rules, so they live here beside the extractor; the
graph calls them on the records' fields (graph/build.py, graph/link.py)."""
from __future__ import annotations

from functools import lru_cache

from . import patterns as P
from .citations import doc_number_key, title_key
from .normal import normalise

MIN_TITLE_KEY = 6  # shorter titles (工作方案) are too generic to identify a document


def title_variants(title: str | None, issuerless: bool = True) -> list[str]:
    """A title as printed, the X of 关于印发X的通知, and (issuerless) the title from 关于 on."""
    if not title:
        return []
    t = normalise(P.SPACES.sub("", title))
    out = [t]
    m = P.NOTICE_OF.search(t)
    if m:
        out.append(m.group(1))
    i = t.find("关于")
    if issuerless and i > 0:
        out.append(t[i:])   # the title without its issuer: 关于印发…的通知
    return out


def title_keys(*titles: str | None, issuerless: bool = True) -> list[str]:
    keys: list[str] = []
    for title in titles:
        for variant in title_variants(title, issuerless):
            k = title_key(variant)
            if len(k) >= MIN_TITLE_KEY and k not in keys:
                keys.append(k)
    return keys


def mention_keys(doc_number: str | None, *titles: str | None, issuerless: bool = False) -> list[str]:
    """The keys a 文号 and titles name a document by. A title is taken as printed: a citation with
    its issuer (兰州市人民政府关于推进X的实施方案) does not name every 关于推进X的实施方案 of
    other places; a document's own keys add its title without the issuer (`issuerless`) so that
    a citation printed without one (省政府《关于推进X的实施意见》) still finds it."""
    keys = []
    n = doc_number_key(doc_number)
    if n:
        keys.append("n:" + n)
    keys.extend("t:" + k for k in title_keys(*titles, issuerless=issuerless))
    return keys


def subject(title: str | None, attachment_title: str | None, places: list[str]) -> str:
    """What a plan is about: its attachment title (or the X of 关于印发X的通知) without place names
    and years, so 青海省2022年综合医改重点工作任务 and 海东市2023年综合医改重点工作任务 compare equal."""
    # simplified script, so a traditional-script mirror has the subject of the simplified original
    text = normalise(attachment_title or title or "")
    places = [normalise(p) for p in places]
    m = P.NOTICE_OF.search(text)
    if m and not attachment_title:
        text = m.group(1)
    text = P.SUBJECT_MARKS.sub("", text)
    text = P.ISSUER_ABOUT.sub("", text)      # 山西省人民政府关于进一步… → 进一步…
    for place in sorted(places, key=len, reverse=True):
        if place and place != "国家":
            text = text.replace(place, "")
            if len(place) > 2:
                text = text.replace(place[:2] + place[-1], "").replace(place[:2], "")
    return P.TITLE_YEARS.sub("", text)


def task_text(title: str | None, text: str | None) -> str:
    """A task as alignment compares it: title and text, in simplified script (a traditional-script
    mirror's tasks share their n-grams with the original's)."""
    return normalise(f"{title or ''}。{text or ''}")


def department_core(name: str) -> str:
    """A department's name without its level: 省卫生健康委员会 and 市卫生健康委员会 do one job."""
    return P.DEPARTMENT_LEVEL.sub("", name)


def task_numbers(text: str | None) -> set[str]:
    """The numbers a task's text states (35%, 1.5)."""
    return set(P.TASK_NUMBER.findall(text or ""))


@lru_cache(maxsize=65536)
def measure_core(measure: str | None) -> str:
    """A target's measure without its numbers and the words around them: 年内…达到35%左右 → …"""
    return P.MEASURE_NOISE.sub("", measure or "")
