"""Quantitative targets: 住院量占比达到70%以上, 不低于25%、47%、50%, 建成20至25所社区医院.

A number with a unit becomes a target when its clause commits to it (a comparator or a verb of
building, training, reaching); ages, years, dates, grades, quoted slogans, numbers inside document
titles and counts that only describe a programme's existing scope are left out."""
from __future__ import annotations

import re
from functools import lru_cache

from . import patterns as P
from .models import Target


@lru_cache(maxsize=8192)
def cn_number(s: str) -> float | None:
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        return float(s)
    try:
        import cn2an
        return float(cn2an.cn2an(s, "smart"))
    except Exception:  # cn2an raises ValueError or its own errors on non-numerals
        return None


# scope words: a count right after them describes who takes part, not what is to be achieved
_LIST_JOIN = re.compile(r"^[、和及与,，]?$|^、$")


def _masked(norm: str) -> str:
    """Hide spans whose numbers are never targets: 《titles》, “quotes”, 文号, dates, ages."""
    return mask_spans(norm, [m.span() for rx in P.NEVER_TARGET for m in rx.finditer(norm)])


def mask_spans(norm: str, spans: list[tuple[int, int]]) -> str:
    """norm with the union of the spans (overlapping ones included) blanked out as ＿, keeping
    every offset; the pieces are joined once, so many spans cost no more than one."""
    if not spans:
        return norm
    out: list[str] = []
    done = 0
    for a, b in sorted(spans):
        a = max(a, done)
        if b > a:
            out += (norm[done:a], "＿" * (b - a))
            done = b
    out.append(norm[done:])
    return "".join(out)


_MAY_HOLD_TARGET = re.compile(r"[0-9]|级")   # Arabic digits, or a Chinese numeral level (达到四级)


def may_hold_target(norm: str) -> bool:
    """False when the text cannot hold a target, so callers can skip their own preparation."""
    return _MAY_HOLD_TARGET.search(norm) is not None


def find_targets(text: str, norm: str) -> list[tuple[Target, int, int]]:
    if not may_hold_target(norm):
        return []
    masked = _masked(norm)
    out: list[tuple[Target, int, int]] = []
    # work sentence by sentence so a time frame (到2025年) carries to its clauses
    for s_start, s_end in _spans(norm, "。；！？"):
        if not _MAY_HOLD_TARGET.search(masked, s_start, s_end):
            continue     # no clause of it can hold one (_clause_targets asks the same of each)
        sentence = norm[s_start:s_end]
        frame = None
        fm = P.YEAR_FRAME.search(sentence)
        if fm:
            frame = fm.group(1)
        elif P.WITHIN_YEAR.search(sentence):
            frame = "年内"
        for c_start, c_end in _spans(norm, "，：。；！？", s_start, s_end):
            found = _clause_targets(text, norm, masked, c_start, c_end, frame)
            if not found:
                continue
            # subsidy, award, tax and fee amounts or rates are the policy's instruments, not its
            # targets (FORMAT.md): kept, and said to be so (asked once per clause, not per target)
            amounts = any(t.unit == "元" for t, _, _ in found) and P.INSTRUMENT.search(norm, c_start, c_end)
            rates = any(t.unit == "%" for t, _, _ in found) and P.INSTRUMENT_RATE.search(norm, c_start, c_end)
            for t, _, _ in found:
                if (t.unit == "元" and amounts) or (t.unit == "%" and rates):
                    t.kind = "instrument"
            out.extend(found)
    return out


@lru_cache(maxsize=8)
def _separator(seps: str) -> re.Pattern:
    return re.compile("[" + re.escape(seps) + "]")


def _spans(norm: str, seps: str, start: int = 0, end: int | None = None):
    end = len(norm) if end is None else end
    if "（" not in norm[start:end]:      # no brackets to stay outside of: split with the regex engine
        a = start
        for m in _separator(seps).finditer(norm, start, end):
            if m.start() > a:
                yield a, m.start()
            a = m.end()
        if end > a:
            yield a, end
        return
    depth, a = 0, start
    for k in range(start, end):
        ch = norm[k]
        if ch == "（":
            depth += 1
        elif ch == "）":
            depth = max(0, depth - 1)
        elif ch in seps and depth == 0:
            if k > a:
                yield a, k
            a = k + 1
    if end > a:
        yield a, end


# how much of its clause around a number the rules look at: every cue they know stands within a
# few characters of it; the whole clause each time made a clause of many numbers quadratic
_CONTEXT = 200
_LONG_CLAUSE = 1000


def _clause_targets(text, norm, masked, a, b, frame):
    if not _MAY_HOLD_TARGET.search(masked, a, b):
        return []
    clause_m = masked[a:b]
    hits = []
    for m in P.TARGET_NUMBER.finditer(clause_m):
        range_start, num, mult, approx, unit = m.groups()
        if "＿" in m.group(0):
            continue
        n_start = m.start(2)
        after = clause_m[m.end():m.end() + _CONTEXT]
        before_end = n_start if range_start is None else m.start()
        before = clause_m[max(0, before_end - _CONTEXT):before_end]
        is_cn = not num[0].isdigit()
        if unit == "年" and not re.search(r"每$", before):
            continue  # a year count is a target only as a cycle (每5年)
        if unit == "级" and re.match(r"^(?:医院|公立|医疗|甲等|乙等|及以上|以下|综合|中医|以上医院)", after):
            continue  # hospital grades are categories
        if unit in ("岁",) or re.match(r"^大", after):
            continue
        if re.search(r"第$", before) or re.search(r"[\d.]$", before):
            continue
        if is_cn:
            # Chinese numerals are targets only as levels reached (达到四级) or in a list after one
            if unit != "级" or not (re.search(r"(达到|达|分别达到)$", before) or (
                    hits and _LIST_JOIN.match(clause_m[hits[-1][3]:m.start()]))):
                continue
        value = cn_number(num)
        if value is None:
            continue
        scale = {"万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}.get(mult, 1)
        if unit == "％":
            unit = "%"
        own_cmp = ">=" if approx else None
        if range_start is not None:
            hits.append((float(range_start) * scale, unit, m.start(), m.start(2), before, ">="))
            own_cmp = "<="
        hits.append((value * scale, unit, n_start, m.end(), before, own_cmp))
    if not hits:
        return []
    clause = norm[a:b]
    if P.ELIGIBILITY.search(clause):
        return []       # 对总投资5000万元以上的项目 / 亩产税收在平均200%以上的: who qualifies, not a goal
    has_percent = any(h[1] in PERCENT_UNITS for h in hits)
    commit = P.CMP_BEFORE_GE.search(clause) or P.CMP_BEFORE_LE.search(clause) or P.COMMITMENT.search(clause)
    if not commit and not has_percent and not any(h[1] == "年" for h in hits):
        return []
    out = []
    counted = None
    groups = _list_groups(clause_m, hits)
    for group in groups:
        first_before = group[0][4]
        last_end = group[-1][3]
        cmp_after = _after_cmp(clause_m[last_end:last_end + _CONTEXT])
        cmp_before = _before_cmp(first_before)
        for value, unit, s, e, before, own_cmp in group:
            cycle = unit == "年"
            if unit not in RATE_UNITS and not cycle:
                if P.SCOPE_BEFORE.search(before.rstrip("0123456789.")):
                    continue
                # a count is a target only as the object of a verb of building or reaching
                if not P.COUNT_VERB.search(before) and own_cmp is None and not cmp_after:
                    continue
                if re.match(r"(?:以上|以下|及以上|及以下)?的", clause_m[e:e + 4]):
                    continue  # 服务人口超过1万人的乡镇卫生院: a qualifier, not a commitment
            if not commit and not cycle and unit not in RATE_UNITS:
                continue
            comparator = None if cycle else own_cmp or _after_cmp(clause_m[e:e + _CONTEXT]) or cmp_after or cmp_before
            if comparator is None and not cycle:
                if counted is None:
                    counted = bool(P.COUNT_VERB.search(clause))    # once per clause
                if counted:
                    comparator = "="
            # no real clause is longer than _LONG_CLAUSE: in one that is, each target keeps its own
            # context, not all of the clause
            lo, hi = (0, b - a) if b - a <= _LONG_CLAUSE else (max(0, s - _CONTEXT), min(b - a, e + _CONTEXT))
            measure = re.sub(r"\s+", "", (clause[lo:s] + clause[e:hi]))
            printed = text[a + lo:a + hi].strip()
            t = Target(text=printed, value=value, unit=unit, comparator=comparator,
                       measure=measure, by=frame)
            out.append((t, a + s, a + e))
    return out


PERCENT_UNITS = ("%", "‰", "个百分点", "百分点")
RATE_UNITS = PERCENT_UNITS + ("级",)   # shares and levels need no verb to be a target


def _list_groups(clause_m, hits):
    """Numbers joined by 、 / 和 / 及 share the comparator around the list."""
    groups = []
    for h in hits:
        if groups:
            gap = clause_m[groups[-1][-1][3]:h[2]]
            if re.fullmatch(r"[、和及与]|和|及|、|以上、|至|到|—|-", gap or "x") or gap in ("", "、"):
                groups[-1].append(h)
                continue
        groups.append([h])
    return groups


def _after_cmp(after: str) -> str | None:
    if P.CMP_AFTER_GE.match(after):
        return ">="
    if P.CMP_AFTER_LE.match(after):
        return "<="
    if P.CMP_AFTER_EQ.match(after):
        return "="
    return None


def _before_cmp(before: str) -> str | None:
    b = before[-8:]
    for rx, cmp in ((P.CMP_BEFORE_GE, ">="), (P.CMP_BEFORE_LE, "<=")):
        if rx.search(b):
            return cmp
    m = P.CMP_CUE.search(before)
    if m:
        word = m.group(1)
        return ">=" if word in P.CMP_CUE_GE else "<=" if word in P.CMP_CUE_LE else "="
    return None
