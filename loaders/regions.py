"""Level and region of an issuing body, from jionlp's administrative-division gazetteer."""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import metadata
from pathlib import Path

from . import patterns as P
from .normal import normalise

# the printed form of the place at the start of an issuer: 海东市, 互助县, 青海省


# where each level stands in a region path (国家/province/city/county)
LEVEL_DEPTH = {"national": 0, "province": 1, "city": 2, "county": 3}


@dataclass
class Location:
    level: str | None
    region: str | None
    path: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _jio():
    import contextlib
    import io
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp
    return jionlp


_SUFFIXES = ("省", "市", "县", "区", "州", "旗", "盟")


@lru_cache(maxsize=1)
def _place_index() -> dict[str, list[tuple[str, str | None, str | None]]]:
    """The index of `_build_place_index`, kept on disk between processes: building it means
    importing jionlp and loading its gazetteer, about 0.8 s of a one-file ingest, where reading it
    back takes milliseconds (and most documents then need no jionlp at all)."""
    cache = _index_cache_file()
    index = _read_index(cache) if cache else None
    if index is None:
        index = _build_place_index()
        if cache:
            _write_index(cache, index)
    return index


def _index_cache_file() -> Path | None:
    """$POLICYKG_CACHE, else $XDG_CACHE_HOME/policykg, else ~/.cache/policykg; the file is named by
    jionlp's version and this module's bytes, so that a change to either builds a new one."""
    folder = os.environ.get("POLICYKG_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "policykg")
    try:
        version = metadata.version("jionlp")
        digest = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    except (OSError, metadata.PackageNotFoundError):
        return None
    return Path(folder) / f"places-jionlp{version}-{digest}.json"


def _read_index(path: Path) -> dict[str, list[tuple[str, str | None, str | None]]] | None:
    """The index written there, or None when there is none or it is not one (then it is rebuilt)."""
    try:
        raw = json.loads(path.read_text("utf-8"))
        entries = [e for es in raw.values() for e in es]
    except (OSError, ValueError, TypeError, AttributeError):
        return None
    if not raw or not all(isinstance(e, list) and len(e) == 3 and isinstance(e[0], str) and e[0]
                          and all(isinstance(x, str) or x is None for x in e[1:]) for e in entries):
        return None
    return {name: [(p, c, k) for p, c, k in es] for name, es in raw.items()}


def _write_index(path: Path, index: dict) -> None:
    """Written whole or not at all (a temporary file renamed); a folder that cannot be written
    only means the index is built again next time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(index, out, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        Path(temporary).unlink(missing_ok=True)


def _build_place_index() -> dict[str, list[tuple[str, str | None, str | None]]]:
    """Every printed form of every place in jionlp's gazetteer (full name, alias, alias + 县/区/…)
    -> the (province, city, county) it may be. jionlp's own parser scans the whole gazetteer on
    every call (~6 ms); a lookup in this index of the same data answers the common, unambiguous
    case, and jionlp still parses everything else. Where the two differ the index keeps the
    gazetteer's own entry as printed: 东营经济技术开发区 stays whole (jionlp gives 经济技术开发区), and
    a district printed by a name since merged away (湾里区) keeps it (jionlp gives its successor)."""
    index: dict[str, list] = {}

    def add(names, entry):
        for name in names:
            if name and entry not in index.setdefault(name, []):
                index[name].append(entry)

    def forms(node: dict, key: str, suffixes: tuple[str, ...]) -> list[str]:
        aliases = node.get("_alias") or []
        aliases = [aliases] if isinstance(aliases, str) else list(aliases)
        out = [key, node.get("_full_name") or key]
        for alias in aliases:
            out += [alias + suffix for suffix in suffixes]
        return out

    # a short name takes the suffixes of its own level only (红河州 is the 自治州, 红河县 the county)
    for p, pv in _jio().china_location_loader().items():
        add(forms(pv, p, ("省", "市")), (p, None, None))
        for c, cv in pv.items():
            if c.startswith("_") or not isinstance(cv, dict):
                continue
            add(forms(cv, c, ("市", "州", "盟", "区")), (p, c, None))
            for k, kv in cv.items():
                if not k.startswith("_") and isinstance(kv, dict):
                    add(forms(kv, k, ("县", "区", "市", "旗")), (p, c, k))
    return index


def _longest_place(text: str, index: dict, within: tuple | None = None):
    for end in range(min(len(text), 12), 1, -1):
        entries = index.get(text[:end])
        if not entries:
            continue
        if within:
            entries = [e for e in entries if e[:len([x for x in within if x])] == tuple(x for x in within if x)
                       and e != within]
        if entries:
            return end, entries
    return 0, []


def _fast_parse(issuer: str) -> tuple[str | None, str | None, str | None] | None:
    index = _place_index()
    end, entries = _longest_place(issuer, index)
    if len(entries) != 1:
        return None                      # unknown or ambiguous: jionlp decides
    place = entries[0]
    province, city, county = place
    if city == province or (county is None and city is None and index.get(province + "市")):
        return None                      # municipalities: leave their city level to jionlp
    if county is None:
        more, below = _longest_place(issuer[end:], index, place)
        if len(below) > 1:
            return None
        if below:
            place = below[0]
    rest = issuer[end:]
    if any(rest.startswith(x) for x in _SUFFIXES):
        return None                      # 海东市市… or other odd forms
    return place


# the gazetteer is asked about the start of a name only: the longest province + city + county
# (新疆维吾尔自治区伊犁哈萨克自治州伊宁市) is 19 characters, and jionlp's parser grows faster than the
# length of what it is given (a 280,000-character "issuer" took 2.6 s)
_PLACE_CHARS = 60


@lru_cache(maxsize=4096)
def locate(issuer: str | None) -> Location:
    """Level and region of an issuer named as printed (traditional script too: the gazetteer is
    read with the simplified name; the region keeps the printed form)."""
    if not issuer:
        return Location(None, None)
    printed_issuer = issuer
    issuer = normalise(issuer)
    if P.NATIONAL_ISSUER.match(issuer):
        return Location("national", "国家", ["国家"])
    fast = _fast_parse(issuer)
    if fast is not None:
        province, city, county = fast
    else:
        parsed = _jio().parse_location(issuer[:_PLACE_CHARS], town_village=False)
        province, city, county = parsed.get("province"), parsed.get("city"), parsed.get("county")
    if city and city == province:
        city = None                      # a municipality (直辖市) is a province (FORMAT.md)
    path = [p for p in (province, city, county) if p]
    if not path:
        return Location(None, None)
    level = "county" if county else "city" if city else "province"
    full = path[-1]     # the lowest of the three named
    printed = P.PRINTED_PLACE.match(issuer)
    region = full
    if issuer.startswith(full):
        printed = None
        region = printed_issuer[:len(full)] if len(printed_issuer) == len(issuer) else full
    if printed:
        name = printed.group(1)
        if len(printed_issuer) == len(issuer):
            name = printed_issuer[:len(name)]
        # keep the printed short form (互助县) when it names the same place as the gazetteer's full one
        if normalise(name) == full or normalise(name)[:2] == full[:2]:
            region = name
    return Location(level, region, ["国家"] + path)


@lru_cache(maxsize=4096)
def starts_with_place(name: str) -> bool:
    """海东银保监分局 starts with a place name; 保障局 and 秘书处 do not."""
    parsed = _jio().parse_location(name[:_PLACE_CHARS], town_village=False)
    for key in ("county", "city", "province"):
        full = parsed.get(key)
        if full and name[:2] == full[:2]:
            return True
    return False


def _level_of(entry: tuple[str, str | None, str | None]) -> str:
    province, city, county = entry
    return "county" if county else "city" if city and city != province else "province"


@lru_cache(maxsize=2048)
def _places_in(text: str) -> tuple[Location, ...]:
    index = _place_index()
    found: list[Location] = []
    seen = set()
    i = 0
    while i < len(text):
        hit = 0
        for end in range(min(len(text), i + 12), i + 2, -1):
            name = text[i:end]
            entries = index.get(name)
            if entries and name[-1] in "省市县区州旗盟":
                entry = entries[0]
                if name not in seen:
                    seen.add(name)
                    province, city, county = entry
                    path = ["国家"] + [p for p in (province, None if city == province else city, county) if p]
                    found.append(Location(_level_of(entry), name, path))
                hit = end - i
                break
        i += hit or 1
    return tuple(found)


def places_in(text: str) -> list[Location]:
    """Every place the text names (海东市, 嵊州市, 湘西自治州, 黑龍江省), in order, each once; read in
    the normalised text, named as printed."""
    printed = re.sub(r"\s", "", text or "")
    norm = normalise(printed)
    out = []
    for loc in _places_in(norm):
        if not loc.region:
            continue
        k = norm.find(loc.region)
        name = printed[k:k + len(loc.region)] if k >= 0 and len(norm) == len(printed) else loc.region
        out.append(Location(loc.level, name, loc.path))
    return out


# the one-character codes that open a province's 文号 (闽政〔…〕, 鄂政發〔…〕, 川财教〔…〕)
PROVINCE_CODES = {
    "京": "北京市", "津": "天津市", "沪": "上海市", "渝": "重庆市", "冀": "河北省", "晋": "山西省",
    "辽": "辽宁省", "吉": "吉林省", "黑": "黑龙江省", "苏": "江苏省", "浙": "浙江省", "皖": "安徽省",
    "闽": "福建省", "赣": "江西省", "鲁": "山东省", "豫": "河南省", "鄂": "湖北省", "湘": "湖南省",
    "粤": "广东省", "琼": "海南省", "川": "四川省", "黔": "贵州省", "滇": "云南省", "云": "云南省",
    "陕": "陕西省", "甘": "甘肃省", "青": "青海省", "蒙": "内蒙古自治区", "内": "内蒙古自治区",
    "桂": "广西壮族自治区", "藏": "西藏自治区", "宁": "宁夏回族自治区", "新": "新疆维吾尔自治区",
}


def place_from_code(doc_number: str, named: list[Location]) -> Location:
    """The issuer's place from its 文号: 国发/国办发 national; a code whose characters open the names
    of places the text names (菏政办字 → 菏泽市, 鞍立政发 → 立山区 of 鞍山市); a province's code."""
    from .citations import doc_number_code
    code = doc_number_code(doc_number)
    if not code:
        return Location(None, None)
    if P.NATIONAL_CODE.match(code):
        return Location("national", "国家", ["国家"])
    by_first = [p for p in named if p.region and normalise(p.region)[0] == code[0]]
    if len(code) > 1:
        for parent in by_first:
            for child in named:
                if child.region and normalise(child.region)[0] == code[1] and len(child.path) > len(parent.path) \
                        and child.path[:len(parent.path)] == parent.path:
                    return child
    if code[0] in PROVINCE_CODES:
        name = PROVINCE_CODES[code[0]]
        return Location("province", name, ["国家", name])
    if by_first:
        return by_first[0]
    return Location(None, None)


def disambiguate(loc: Location, named: list[Location], doc_number: str | None) -> Location | None:
    """Which of the places that share a printed name (和平区 of 天津市 or of 沈阳市) a document means:
    the one inside a province or city the document names, else the one in the province its 文号's
    code stands for (津和政发 → 天津市). None when nothing tells them apart."""
    entries = _place_index().get(normalise(loc.region or ""), [])
    if len(entries) < 2:
        return None
    wanted = {p for place in named for p in place.path[1:] if place.region != loc.region}
    from .citations import doc_number_code
    code = doc_number_code(doc_number) or ""
    by_code = PROVINCE_CODES.get(code[:1])
    for test in (lambda e: e[0] in wanted or (e[1] and e[1] in wanted), lambda e: by_code and e[0] == by_code):
        hits = [e for e in entries if test(e)]
        if len(hits) == 1:
            province, city, county = hits[0]
            path = ["国家"] + [x for x in (province, None if city == province else city, county) if x]
            return Location(_level_of(hits[0]), loc.region, path)
    return None
