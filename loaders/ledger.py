"""Task ledgers (台账) printed as tables in PDF text, where only layout tells the cells apart."""
from __future__ import annotations

import re

from rapidfuzz import fuzz

from . import patterns as P
from .models import Department, Document, LedgerRow, Span
from .regions import starts_with_place

LEDGER_MATCH = 80      # partial_ratio of a row's text to a task's text from which it restates that task


def ledger_rows(source: str, doc_span: Span) -> list[LedgerRow]:
    """Rows of a 台账 table read from PDF text where each cell's lines come one after another.
    Cell boundaries survive only as layout: names on one line with a space are in different
    columns, and a single line break (not a blank line) also moves to the next column."""
    text = source[doc_span.start:doc_span.end]
    if "配合" not in text:
        return []               # no 配合部门/配合单位 column, no ledger
    body_start, pos = None, 0
    # line by line (a regex for "a line and its break" rescans to the end from every position of
    # a text whose last line is long: quadratic)
    for line in text.splitlines(keepends=True):
        pos += len(line)
        if P.LEDGER_HEADER.search(re.sub(r"\s+", "", line)):
            body_start = pos
            break
    if body_start is None:
        return []
    body = text[body_start:]
    rows = []
    # a row starts with its number alone on a line or followed by the task text
    starts = []
    expected = 1
    for m in re.finditer(r"(?m)^\s?(\d{1,3})(?:[ \t]+(?=\S)|\s*$)", body):
        if int(m.group(1)) == expected:
            starts.append((expected, m.start(), m.end()))
            expected += 1
    for k, (num, s, e) in enumerate(starts):
        stop = starts[k + 1][1] if k + 1 < len(starts) else len(body)
        chunk = body[e:stop]
        row = _ledger_row(num, chunk)
        if row:
            a = doc_span.start + body_start + s
            row.span = Span(a, doc_span.start + body_start + stop)
            rows.append(row)
    return rows


_NAME_END_CHARS = 2     # the longest ending LEDGER_NAME_END knows (部门, 单位, 分局 …)


def _ledger_row(num: int, chunk: str) -> LedgerRow | None:
    # drop group headings (一 加大…) that sit between rows
    chunk = re.sub(r"\n\s*[一二三四五六七八九十]+\s+[^\n]{2,40}\n?\s*$", "\n", chunk)
    cut = chunk.rfind("。")
    task_text, tail = (chunk[:cut + 1], chunk[cut + 1:]) if cut >= 0 else ("", chunk)
    cells: list[tuple[str, str]] = []  # (text, separator before: space | nl | blank)
    sep = "blank"
    for line in tail.split("\n"):
        if not line.strip():
            sep = "blank" if cells else sep
            continue
        for j, cell in enumerate(line.split()):
            cells.append((cell, ("space" if j else sep)))
        sep = "nl"
    if not cells:
        return None
    deadline_parts: list[tuple[str, str]] = []
    while cells and P.LEDGER_DEADLINE.match(cells[-1][0]):
        deadline_parts.insert(0, cells.pop())
    empty_coop = any(c[0] in ("—", "-") for c in deadline_parts)
    deadline_parts = [c for c in deadline_parts if c[0] not in ("—", "-")]
    deadline = "".join(c[0] for c in deadline_parts) or None
    last_shares_line = bool(deadline_parts) and deadline_parts[0][1] == "space"
    # a name's pieces are gathered in a list and joined once, and only the last characters of
    # the name so far are asked whether it ended (its end is all LEDGER_NAME_END looks at):
    # joining and searching the growing name for every piece was quadratic in a long row
    pieces: list[tuple[list[str], str]] = []
    end = ""        # the last characters of the name being gathered
    for cell, s in cells:
        if pieces and not P.NAME_START.match(cell) and not starts_with_place(cell) and (
                not P.LEDGER_NAME_END.search(end) or not P.ORG_SUFFIX.search(cell) or len(cell) <= 3
                or not P.LEDGER_NAME_END.search(cell[:-1])):
            pieces[-1][0].append(cell)
            end = (end + cell[-_NAME_END_CHARS:])[-_NAME_END_CHARS:]
        else:
            pieces.append(([cell], s))
            end = cell[-_NAME_END_CHARS:]
    names = [("".join(parts), s) for parts, s in pieces]
    if not names:
        return None
    split = None
    if empty_coop:
        split = len(names)
    else:
        for sep_kind in ("space", "nl"):
            idx = next((k for k in range(1, len(names)) if names[k][1] == sep_kind), None)
            if idx is not None:
                split = idx
                break
        if split is None and last_shares_line and len(names) > 1:
            split = len(names) - 1
        if split is None:
            split = max(1, len(names) // 2) if len(names) > 1 else 1
    lead = [n for n, _ in names[:split]]
    coop = [n for n, _ in names[split:]]
    return LedgerRow(row=num, task=re.sub(r"\s+", "", task_text), lead=lead, cooperate=coop, deadline=deadline)


def assign_ledger(doc: Document, region_of) -> None:
    """Give each 任务台账 row the task it restates (the task whose text holds the row's text best,
    partial_ratio ≥ LEDGER_MATCH) and its 牵头/配合 bodies as departments of that task, with their
    canonical names (an elided 市/县 prefix carried from the row's previous name) and regions
    (region_of(canonical)); a task without a deadline takes the row's. The graph builds the
    responsibilities from these as they are."""
    from .departments import canonical
    if not doc.ledger or not doc.tasks:
        return
    texts = [re.sub(r"\s+", "", t.text or "") for t in doc.tasks]
    for row in doc.ledger:
        row_text = re.sub(r"\s+", "", row.task or "")
        if len(row_text) < 8:
            continue
        scores = [fuzz.partial_ratio(row_text, text) if text else 0 for text in texts]
        best = max(range(len(scores)), key=scores.__getitem__)
        if scores[best] < LEDGER_MATCH:
            continue
        row.task_index = best
        inherited = None
        row.departments = []
        for role, names in (("lead", row.lead), ("cooperate", row.cooperate)):
            for name in names:
                inherited = name[0] if name[:1] in "省市县区州" else inherited
                full = canonical(name, inherited)
                row.departments.append(Department(name=name, role=role, canonical=full, region=region_of(full),
                                                  span=row.span))
        task = doc.tasks[best]
        if row.deadline and not task.deadline:
            task.deadline = row.deadline
