"""Task tables whose rows came with their cells (PDF, DOCX, HTML tables)."""
from __future__ import annotations

import re

from . import patterns as P
from .cleaning import Block, column_role, label_of, normalise
from .departments import parse_list
from .models import LedgerRow, Span, Task
from .targets import find_targets
from .tree import (
    at_source,
    deadline_of,
    dedupe,
    heading_of,
    is_table_header,
    label_display,
)


def column_roles(header: list[str]) -> dict[int, str]:
    roles: dict[int, str] = {}
    for k, cell in enumerate(header):
        c = re.sub(r"\s+", "", cell)
        for role, rx in P.COLUMN_ROLES:
            if rx.search(c) and role not in roles.values():
                roles[k] = role
                break
    if "task" not in roles.values() and "group" in roles.values():
        # a single 工作任务 column holds the tasks themselves
        k = next(k for k, r in roles.items() if r == "group")
        roles[k] = "task"
    return roles


def cell_tables(blocks: list[Block], start: int, end: int) -> list[tuple[dict[int, str], list[list[str]], list[Block]]]:
    """Tables whose rows came with their cells (PDF, DOCX, HTML): (column roles, rows, row blocks)."""
    tables = []
    i = start
    while i < end:
        b = blocks[i]
        cells = b.lines[0].cells if b.lines and b.lines[0].cells is not None else None
        if cells is not None and sum(1 for c in P.TABLE_COLUMNS if c in "".join(cells)) >= 2:
            roles = column_roles(cells)
            rows: list[list[str]] = []
            row_blocks: list[Block] = []
            j = i + 1
            while j < end and (row := blocks[j].lines[0].cells) is not None:
                if not is_table_header(blocks[j]):   # a header repeated on a new page
                    rows.append(row)
                    row_blocks.append(blocks[j])
                j += 1
            tables.append((roles, rows, row_blocks))
            i = j
        else:
            i += 1
    return tables


def tasks_and_ledger_from_tables(blocks, start, end) -> tuple[list[Task], list[LedgerRow]]:
    tasks: list[Task] = []
    ledger: list[LedgerRow] = []
    for roles, rows, row_blocks in cell_tables(blocks, start, end):
        by_role = {r: k for k, r in roles.items()}
        is_ledger = "lead" in by_role and "cooperate" in by_role
        group_label = None
        seen: dict[tuple, Task] = {}
        for n, (row, rb) in enumerate(zip(rows, row_blocks), 1):
            get = lambda role: (row[by_role[role]] if role in by_role and by_role[role] < len(row) else "").strip()
            if is_ledger:
                number = get("number")
                if not number.isdigit():
                    continue
                ledger.append(LedgerRow(row=int(number), task=get("task"),
                                        lead=[d.name for d in parse_list(get("lead"), "lead")],
                                        cooperate=[d.name for d in parse_list(get("cooperate"), "cooperate")],
                                        deadline=get("deadline") or None, span=Span(rb.start, rb.end)))
                continue
            group = get("group") if "group" in by_role and by_role["group"] != by_role.get("task") else ""
            if group:
                lab = label_of(normalise(group))
                group_label = label_display(lab[0], lab[1]) if lab else group_label
            task_cell = get("task")
            if not task_cell:
                continue
            lab = label_of(normalise(task_cell))
            label = label_display(lab[0], lab[1]) if lab else (get("number") or str(n))
            title_text = task_cell[len(lab[2]):] if lab else task_cell
            path = ([group_label] if group_label else []) + [label]
            title = heading_of(title_text)
            depts = []
            for role in ("lead", "responsible", "cooperate"):
                if get(role):
                    # a cell was cleaned on its own, so its names are placed at their row
                    depts.extend(_at_row(parse_list(get(role), role), rb))
            text = title_text + get("measures")
            key = (tuple(path), title)
            if key in seen:   # the same task continued on the next page
                t = seen[key]
                t.text += get("measures")
                t.departments = dedupe(t.departments + depts)
                t.span = Span(t.span.start if t.span else rb.start, rb.end)
                continue
            t = Task(path=path, title=title, text=text, departments=dedupe(depts),
                     deadline=deadline_of(get("deadline") or None, normalise(text)),
                     span=Span(rb.start, rb.end))
            seen[key] = t
            tasks.append(t)
    for t in tasks:   # after continuation rows have been merged in
        t.targets = [x for x, _, _ in find_targets(t.text, normalise(t.text))]
        for x in t.targets:
            x.span = Span(t.span.start, t.span.end) if t.span else None
    return tasks, ledger


def _at_row(depts, row: Block):
    for d in depts:
        d.span = Span(row.start, row.end)
    return depts


# ---------------------------------------------------------------- tables flattened one cell a line

def _is_name_cell(norm: str) -> bool:
    """A cell of body names: 区规划资源局、区建设管理委、各相关街镇 ('/' or '—' for none)."""
    from .departments import looks_like_org, split_names
    if norm in ("/", "—", "-", "无"):
        return True
    names = split_names(norm.rstrip("。"))
    return bool(names) and len(norm) <= 300 and all(looks_like_org(n) for n in names)


def line_cell_tables(blocks: list[Block], start: int, end: int) -> tuple[list[Task], list[LedgerRow], set[int]]:
    """Task tables that lost their layout and print one cell a line (a web page's table turned to
    text): a header of column names (序号 / 重点工作任务 / 主要责任单位 / 协同配合单位), then for each
    row its number alone on a line, its task, and its name cells. A row that prints no names
    shares the cell above it (a merged cell). Returns the tasks, the ledger rows and the blocks
    the tables cover (the numbered tree leaves those to the table)."""
    tasks: list[Task] = []
    ledger: list[LedgerRow] = []
    covered: set[int] = set()
    i = start
    while i < end:
        k, roles = i, []
        while k < end and blocks[k].lines[0].cells is None and column_role(blocks[k].norm):
            roles.append(column_role(blocks[k].norm))
            k += 1
        name_roles = [r for r in roles if r in ("lead", "cooperate", "responsible")]
        if len(roles) < 3 or "number" not in roles or not name_roles:
            # no run starting inside this one is a header either (fewer lines, a subset of roles)
            i = max(i + 1, k)
            continue
        if "lead" not in name_roles and "responsible" in name_roles and "cooperate" in name_roles:
            # 主要责任单位 beside 协同配合单位: the responsible column leads (a ledger's first column)
            name_roles = ["lead" if r == "responsible" else r for r in name_roles]
        covered.update(range(i, k))
        group = None
        row: dict | None = None
        previous_names: list[tuple[str, str]] = []
        j = k

        def close(row, at_end: bool):
            if row is None:
                return
            names = row["names"]
            if not names and (not at_end or re.search(r"[。；]$", row["task"] + "".join(row["more"]))):
                names = previous_names      # a merged cell: the row above's bodies (an excerpt's
                                            # last row, cut mid-sentence, shares nothing)
            depts = []
            for (role, cell) in names:
                if cell.text.strip() not in ("/", "—", "-", "无"):
                    # each name at its place in the cell (a merged cell's names stay where printed)
                    depts.extend(at_source(parse_list(cell.text, role), cell.offsets))
            text = row["task"] + "".join(row["more"])
            span = Span(row["block"].start, row["last"].end)
            t = Task(path=([group] if group else []) + [row["number"]], title=heading_of(row["task"]),
                     text=text, departments=dedupe(depts), span=span,
                     deadline=deadline_of(row.get("deadline"), normalise(text)))
            t.targets = [x for x, _, _ in find_targets(text, normalise(text))]
            for x in t.targets:
                x.span = span
            tasks.append(t)
            lead = [d.name for d in t.departments if d.role in ("lead", "responsible")]
            coop = [d.name for d in t.departments if d.role == "cooperate"]
            ledger.append(LedgerRow(row=int(row["number"]), task=row["task"], lead=lead, cooperate=coop,
                                    deadline=row.get("deadline"), span=span))
            return names

        while j < end:
            b = blocks[j]
            n = b.norm
            if b.lines[0].cells is not None or P.ATTACHMENT.match(n) or (len(n) > 400):
                break
            if P.ROW_NUMBER.match(n):
                kept = close(row, at_end=False)
                previous_names = kept if kept is not None else previous_names
                row = {"number": n, "task": "", "more": [], "names": [], "block": b, "last": b}
            elif row is not None and not row["task"]:
                row["task"] = b.text
                row["last"] = b
            elif row is not None and _is_name_cell(n):
                slot = len(row["names"])
                if slot < len(name_roles):
                    row["names"].append((name_roles[slot], b))
                row["last"] = b
            elif label_of(n) and not P.ROW_NUMBER.match(n):
                kept = close(row, at_end=False)
                previous_names = kept if kept is not None else previous_names
                row = None
                style, number, _ = label_of(n) or ("", "", "")
                group = label_display(style, number)
            elif row is not None and P.DEADLINE_FIELD.match(n) is None and "deadline" in roles \
                    and P.LEDGER_DEADLINE.match(n):
                row["deadline"] = b.text
            elif row is not None and len(row["names"]) == 0:
                row["more"].append(b.text)      # a 主要内容 cell
                row["last"] = b
            else:
                # a sub-heading of the table (旧区改造, 行动一：…) or a cell of a column not read
                pass
            covered.add(j)
            j += 1
        close(row, at_end=True)
        i = j
    return tasks, ledger, covered
