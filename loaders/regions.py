"""Level and region of an issuing body, from jionlp's administrative-division gazetteer."""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

NATIONAL = re.compile(r"^(国务院|国家|中共中央|中央|全国|国办|中华人民共和国|[^省市县区]{1,6}部$)")
# the printed form of the place at the start of an issuer: 海东市, 互助县, 青海省
PRINTED_PLACE = re.compile(r"^(.{1,12}?(?:自治区|自治州|自治县|特别行政区|省|市|州|盟|县|区|旗))")


@dataclass
class Location:
    level: str | None
    region: str | None
    path: list[str] = field(default_factory=list)


@lru_cache(maxsize=1)
def _jio():
    import io
    import contextlib
    with contextlib.redirect_stdout(io.StringIO()):  # jionlp prints a banner on import
        import jionlp
    return jionlp


@lru_cache(maxsize=4096)
def locate(issuer: str | None) -> Location:
    if not issuer:
        return Location(None, None)
    if NATIONAL.match(issuer):
        return Location("national", "国家", ["国家"])
    parsed = _jio().parse_location(issuer, town_village=False)
    province, city, county = parsed.get("province"), parsed.get("city"), parsed.get("county")
    path = [p for p in (province, city, county) if p]
    if not path:
        return Location(None, None)
    level = "county" if county else "city" if city else "province"
    full = county or city or province
    printed = PRINTED_PLACE.match(issuer)
    region = full
    if printed:
        name = printed.group(1)
        # keep the printed short form (互助县) when it names the same place as the gazetteer's full one
        if name == full or name[:2] == full[:2]:
            region = name
    return Location(level, region, ["国家"] + path)


@lru_cache(maxsize=4096)
def starts_with_place(name: str) -> bool:
    """海东银保监分局 starts with a place name; 保障局 and 秘书处 do not."""
    parsed = _jio().parse_location(name, town_village=False)
    for key in ("county", "city", "province"):
        full = parsed.get(key)
        if full and name[:2] == full[:2]:
            return True
    return False
