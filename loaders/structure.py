"""From cleaned blocks to documents: segmentation (a gazette holds several notices), metadata,
the numbered task tree, responsibility lists, targets, citations and task ledgers."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import patterns as P
from .citations import doc_number_key, find_citations, title_key
from .clean import Block, is_doc_number_line, is_org_list_line, label_of, normalise
from .departments import find_in_text, parse_list, split_names
from .models import Department, Document, LedgerRow, Span, Target, Task
from .regions import locate, starts_with_place
from .targets import cn_number, find_targets, may_hold_target

# ---------------------------------------------------------------- segmentation

def is_toc(block: Block) -> bool:
    return bool(P.TOC_ENTRY.search(block.norm))


def is_addressee(block: Block) -> bool:
    n = block.norm
    return len(n) <= 80 and n.endswith("：") and ("各" in n or "部门" in n or "单位" in n or "政府" in n)


def is_notice_title(blocks: list[Block], i: int) -> bool:
    b = blocks[i]
    n = b.norm
    if is_toc(b) or len(n) > 150 or label_of(n) or "。" in n:
        return False
    if not (P.NOTICE_TITLE.search(n) or P.NOTICE_TYPE_END.search(n)):
        return False
    # a notice title is followed closely by its 文号 or addressee
    for j in range(i + 1, min(i + 4, len(blocks))):
        if is_addressee(blocks[j]) or is_doc_number_line(blocks[j].norm):
            return True
        if is_toc(blocks[j]):
            return False
    return False


def is_issuer_line(block: Block) -> bool:
    n = block.norm
    return (len(n) <= 30 and not re.search(r"[，。：；《]", n) and bool(P.ORG_SUFFIX.search(n))
            and not P.DATE.search(n) and "关于" not in n)


def segment(blocks: list[Block]) -> list[tuple[int, int, int]]:
    """(first block, title block, end block) of every document in the file."""
    titles = [i for i in range(len(blocks)) if is_notice_title(blocks, i)]
    docs = []
    for k, t in enumerate(titles):
        start = t
        # the issuer heading and a 文号 printed above the title belong to the document
        for _ in range(2):
            if start - 1 >= 0 and (is_issuer_line(blocks[start - 1]) or is_doc_number_line(blocks[start - 1].norm)) \
                    and (k == 0 or start - 1 > titles[k - 1]):
                start -= 1
            else:
                break
        docs.append([start, t, len(blocks)])
    for k in range(len(docs) - 1):
        docs[k][2] = docs[k + 1][0]
    for d in docs:
        d[2] = _document_end(blocks, d[1], d[2])
    return [tuple(d) for d in docs]


def _document_end(blocks: list[Block], title: int, end: int) -> int:
    """A heading after the signature date that is neither the attachment nor a numbered section
    closes the document (a gazette's chronicle, an editorial page)."""
    seen_date = False
    after_attachment_mark = False
    cited = _cited_titles(blocks, title, end)
    for i in range(title + 1, end):
        b = blocks[i]
        if P.DATE_LINE.match(b.norm):
            seen_date = True
            continue
        if P.ATTACHMENT.match(b.norm):
            after_attachment_mark = True
            continue
        if P.NOT_DOCUMENT_HEADINGS.search(b.norm) and (b.heading or len(b.norm) < 30):
            return i
        if seen_date and b.heading and not label_of(b.norm):
            if after_attachment_mark or title_key(b.norm) in cited or _similar_to_title(blocks[title].norm, b.norm):
                continue
            return i
    return end


def _cited_titles(blocks, a, b) -> set[str]:
    out = set()
    for i in range(a, b):
        for m in P.TITLE.finditer(blocks[i].norm):
            out.add(title_key(m.group(1)))
    return out


def _similar_to_title(notice_title: str, heading: str) -> bool:
    from rapidfuzz import fuzz
    core = re.sub(r"^.*?关于(?:印发|转发)?|的通知$", "", notice_title)
    return fuzz.ratio(title_key(core), title_key(heading)) >= 80


# ---------------------------------------------------------------- metadata

def _date(m: re.Match) -> str | None:
    y, mo, d = m.group(1), m.group(2), m.group(3)
    try:
        year = int(y) if y.isdigit() else int("".join(str(int(cn_number(c) or 0)) for c in y.replace("○", "〇").replace("Ｏ", "〇")))
        month = int(mo) if mo.isdigit() else int(cn_number(mo))
        day = int(d) if d.isdigit() else int(cn_number(d))
    except (TypeError, ValueError):
        return None
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def metadata(blocks: list[Block], start: int, title_i: int, end: int) -> Document:
    tb = blocks[title_i]
    title = tb.text
    issuer = None
    m = re.match(r"^(.{2,40}?)关于", tb.norm)
    if m and P.ORG_SUFFIX.search(m.group(1)):
        issuer = title[:m.end(1)]
    elif title_i - 1 >= start and is_issuer_line(blocks[title_i - 1]) and tb.norm.startswith("关于"):
        issuer = blocks[title_i - 1].text
        title = issuer + title
    doc_number = None
    date = published = None
    first_label = next((i for i in range(title_i + 1, end) if label_of(blocks[i].norm)), end)
    date_i = None
    for i in range(start, min(end, max(first_label, title_i + 12))):
        n = blocks[i].norm
        if doc_number is None and is_doc_number_line(n):
            dm = P.DOC_NUMBER.search(n)
            doc_number = blocks[i].text[dm.start():dm.end()]
        if published is None:
            pm = P.PUBLISHED.search(n)
            if pm:
                published = f"{int(pm.group(1)):04d}-{int(pm.group(2)):02d}-{int(pm.group(3)):02d}"
                continue
    for i in range(title_i + 1, end):
        dm = P.DATE_LINE.match(blocks[i].norm)
        if dm:
            date = _date(P.DATE.search(blocks[i].norm))
            date_i = i
            break
    if issuer is None and date_i is not None:
        before_date = blocks[date_i].norm[:P.DATE.search(blocks[date_i].norm).start()]
        if before_date:
            issuer = blocks[date_i].text[:len(before_date)]
        elif is_issuer_line(blocks[date_i - 1]):
            issuer = blocks[date_i - 1].text
    if issuer is None:
        for i in range(start, min(end, title_i + 12)):
            if blocks[i].norm.endswith("文件") and is_issuer_line(blocks[i]):
                issuer = blocks[i].text[:-2]
    if issuer is None and title_i > start and is_issuer_line(blocks[title_i - 1]):
        issuer = blocks[title_i - 1].text
    attachment = _attachment_title(blocks, title_i, end, date_i, first_label)
    loc = locate(issuer or title)
    return Document(doc_number=doc_number, doc_number_key=doc_number_key(doc_number), title=title,
                    attachment_title=attachment, issuer=issuer, date=date, published=published,
                    level=loc.level, region=loc.region, region_path=loc.path,
                    span=Span(blocks[start].start, blocks[end - 1].end))


def _attachment_title(blocks, title_i, end, date_i, first_label) -> str | None:
    """The plan the notice issues: the title after a 附件 mark, else the first title-like block
    after the signature date (skipping the 文号 and '…文件' lines a PDF puts there)."""
    notice_norm = blocks[title_i].norm
    cited = _cited_titles(blocks, title_i + 1, first_label)
    printed_issue = re.search(r"印发《?(.+?)》?的通知$", notice_norm)

    def title_like(n: str) -> bool:
        return len(n) <= 60 and "。" not in n and "，" not in n and not P.DATE.search(n) and (
            title_key(n) in cited or bool(P.DOC_TYPE_END.search(n))
            or bool(printed_issue and _similar_to_title(notice_norm, n)))

    for i in range(title_i + 1, first_label):
        am = P.ATTACHMENT.match(blocks[i].norm)
        if am:
            if am.group(1) and title_like(am.group(1)):
                return blocks[i].text[len(blocks[i].norm) - len(am.group(1)):]
            nxt = i + 1
            if nxt < end and title_like(blocks[nxt].norm):
                return blocks[nxt].text
    if date_i is None:
        return None
    for i in range(date_i + 1, min(first_label, date_i + 6)):
        n = blocks[i].norm
        if is_doc_number_line(n) or n.endswith("文件") or re.match(r"^[（(]此件", n) or is_issuer_line(blocks[i]):
            continue
        return blocks[i].text if title_like(n) else None
    return None


# ---------------------------------------------------------------- the task tree

@dataclass
class Node:
    style: str
    number: int
    label: str
    block: int
    title: str = ""
    parts: list[tuple[str, str]] = field(default_factory=list)  # (printed text, normalised text)
    children: list["Node"] = field(default_factory=list)
    parent: "Node | None" = None
    fields: list[Department] = field(default_factory=list)
    cells: list[Department] = field(default_factory=list)
    deadline_field: str | None = None
    spans: list[tuple[int, int]] = field(default_factory=list)
    printed_label: str = ""

    @property
    def path(self) -> list[str]:
        out, n = [], self
        while n is not None and n.style != "root":
            out.append(n.label)
            n = n.parent
        return out[::-1]

    def own_text(self) -> tuple[str, str]:
        return "".join(p[0] for p in self.parts), "".join(p[1] for p in self.parts)


def _label_display(style: str, num: str) -> str:
    if style == "pcn":
        return f"（{num}）"
    if style == "parabic":
        return f"（{num}）"
    if style == "article":
        return f"第{num}条"
    if style == "chapter":
        return f"第{num}章"
    return num


def _label_value(num: str) -> int:
    if len(num) == 1 and 0x2460 <= ord(num) <= 0x2473:   # ① .. ⑳ (str.isdigit is true for them)
        return ord(num) - 0x2460 + 1
    if num.isascii() and num.isdigit():
        return int(num)
    v = cn_number(num)
    return int(v) if v is not None else 0


def is_table_header(block: Block) -> bool:
    return sum(1 for c in P.TABLE_COLUMNS if c in block.norm) >= 2


def build_tree(blocks: list[Block], start: int, end: int, table_mode: bool) -> Node:
    root = Node("root", 0, "", start)
    stack: list[Node] = [root]
    last_value: dict[str, int] = {}
    current: Node | None = None
    for i in range(start, end):
        b = blocks[i]
        n = b.norm
        if b.lines[0].cells is not None:
            continue  # a table row read with its cells: tasks_and_ledger_from_tables reads it
        if is_table_header(b) or (table_mode and len(n) <= 4 and any(n in c for c in P.TABLE_COLUMNS)):
            continue
        if P.ATTACHMENT.match(n):
            current = None  # an attachment marker closes the running item (a ledger follows)
            stack, last_value = [root], {}
            continue
        if P.DATE_LINE.match(n):
            current = None
            continue
        lab = label_of(n)
        if lab:
            style, num, text_label = lab
            value = _label_value(num)
            styles = [s.style for s in stack]
            accepted = False
            if style in styles:
                k = styles.index(style)
                sib = stack[k]
                if value == sib.number and _title(b.text[len(text_label):]) == sib.title:
                    # the same item printed again at the top of a table page: carry on inside it
                    # (its numbered children come next and are repeats too, so the stack stays)
                    current = sib
                    _add_text(current, b, len(text_label), skip_title=True)
                    continue
                if value == sib.number + 1:
                    stack = stack[:k]
                    accepted = True
            else:
                if value == 1 or value == last_value.get(style, 0) + 1:
                    accepted = True
            if accepted:
                parent = stack[-1]
                node = Node(style, value, _label_display(style, num), i, parent=parent,
                            printed_label=b.text[:len(text_label)])
                node.title = _title(b.text[len(text_label):])
                parent.children.append(node)
                stack.append(node)
                last_value[style] = value
                current = node
                _add_text(node, b, len(text_label), span_from=0)
                continue
        if current is None:
            continue
        fm = P.DEPT_FIELD.match(n)
        if fm:
            key = fm.group(1)
            body = b.text[fm.end():]
            owner = _task_owner(current)
            if key in P.FIELD_ROLE:
                owner.fields.extend(parse_list(body, P.FIELD_ROLE[key]))
            else:
                owner.deadline_field = body
            continue
        if table_mode and is_org_list_line_block(b):
            owner = _task_owner(current)
            owner.cells.extend(parse_list(b.text, "responsible"))
            continue
        _add_text(current, b, 0)
    return root


def is_org_list_line_block(b: Block) -> bool:
    """A whole block that is a table's responsibility cell (市卫健委、教育局，各县（市、区）)."""
    if len(b.norm) <= 40:
        return is_org_list_line(b.norm, partial_last=False)
    items = split_names(b.norm, trim=False)
    return len(items) >= 2 and all(P.ORG_SUFFIX.search(x) or x.startswith("各") for x in items)


def _task_owner(node: Node) -> Node:
    """Responsibility cells belong to the numbered task, not to its ①② sub-measures."""
    while node.parent is not None and node.style in ("circled", "parabic") and node.parent.style != "root":
        node = node.parent
    return node


def _title(rest: str) -> str:
    m = re.search(r"[。；！？]", rest)
    title = rest[:m.start()] if m else rest
    return title.strip().rstrip("：:")


def _add_text(node: Node, b: Block, offset: int, skip_title: bool = False, span_from: int | None = None):
    """Append a block's text (from `offset`) to a node; its source span, from `span_from` when the
    label should be inside the span, goes with it."""
    if skip_title:
        m = re.search(r"[。；]", b.norm[offset:])
        offset = offset + m.end() if m else len(b.norm)
    if offset < len(b.text):
        node.parts.append((b.text[offset:], b.norm[offset:]))
    node.spans.append(b.span_of(offset if span_from is None else span_from, len(b.text)))


def _all_nodes(node: Node):
    for c in node.children:
        yield c
        yield from _all_nodes(c)


def tasks_from_tree(root: Node, doc_title: str, attachment: str | None) -> list[Task]:
    # each node's own responsibilities: parenthesised lists, 牵头单位 fields, table cells
    own: dict[int, list[Department]] = {}
    for node in _all_nodes(root):
        text, norm = node.own_text()
        depts = []
        for found, _, _ in find_in_text(norm, text):
            depts.extend(found)
        depts.extend(node.fields)
        depts.extend(node.cells)
        own[id(node)] = _dedupe(depts)

    def subtree_has(node):
        return any(own[id(c)] or subtree_has(c) for c in node.children)

    candidates: list[tuple[Node, list[Node]]] = []

    def walk(node):
        for c in node.children:
            if c.children and subtree_has(c):
                walk(c)
            elif c.children and not own[id(c)] and _children_are_items(c):
                walk(c)
            else:
                candidates.append((c, list(_all_nodes(c))))

    walk(root)
    any_depts = any(own[id(n)] for n, _ in candidates)
    plan_like = bool(P.PLAN_TITLE.search(doc_title or "") or P.PLAN_TITLE.search(attachment or ""))
    tasks = []
    for node, absorbed in candidates:
        depts = own[id(node)] + [d for a in absorbed for d in own[id(a)]]
        if not depts:
            if not any_depts and not plan_like:
                continue
            if any_depts and not _section_has_depts(_top(node), own):
                continue
            if P.SUPPORT_SECTIONS.search(_top(node).title) or P.SUPPORT_SECTIONS.search(node.title):
                continue
        # sub-items (①②, (1)(2)) keep their labels inside the task's text
        text = node.own_text()[0] + "".join(a.printed_label + a.own_text()[0] for a in absorbed)
        norm = node.own_text()[1] + "".join(a.printed_label + a.own_text()[1] for a in absorbed)
        targets = _targets(text, norm)
        spans = node.spans + [s for a in absorbed for s in a.spans]
        span = Span(min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        tasks.append(Task(path=node.path, title=node.title, text=text, departments=_dedupe(depts),
                          targets=targets, deadline=_deadline(node.deadline_field, norm), span=span))
    return tasks


def _children_are_items(node: Node) -> bool:
    return all(c.style in ("circled", "parabic") for c in node.children)


def _top(node: Node) -> Node:
    while node.parent is not None and node.parent.style != "root":
        node = node.parent
    return node


def _section_has_depts(top: Node, own) -> bool:
    return bool(own[id(top)]) or any(own[id(n)] for n in _all_nodes(top))


def _dedupe(depts: list[Department]) -> list[Department]:
    seen, out = set(), []
    for d in depts:
        key = (d.name, d.role)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _targets(text: str, norm: str) -> list[Target]:
    if not may_hold_target(norm):
        return []
    # responsibility lists hold no targets; blank them out, keeping offsets
    masked = norm
    for _, a, b in find_in_text(norm, text):
        masked = masked[:a] + "＿" * (b - a) + masked[b:]
    return [t for t, _, _ in find_targets(text, masked)]


def _deadline(field_text: str | None, norm: str) -> str | None:
    for source in (field_text, norm):
        if not source:
            continue
        m = P.MONTH_DEADLINE.search(source)
        if m and (source is field_text or re.search(r"(前|底|末)", source[m.end() - 2:m.end() + 1])):
            y, mo, d = m.group(1), int(m.group(2)), m.group(3)
            if 1 <= mo <= 12:
                return f"{y}-{mo:02d}-{int(d):02d}" if d else f"{y}-{mo:02d}"
        m = P.YEAR_FRAME.search(source)
        if m:
            return f"{m.group(1)}-12"
    return None


# ---------------------------------------------------------------- ledgers (台账)

def ledger_rows(source: str, doc_span: Span) -> list[LedgerRow]:
    """Rows of a 台账 table read from PDF text where each cell's lines come one after another.
    Cell boundaries survive only as layout: names on one line with a space are in different
    columns, and a single line break (not a blank line) also moves to the next column."""
    text = source[doc_span.start:doc_span.end]
    hm = None
    for m in re.finditer(r"[^\n]*\n", text):
        compact = re.sub(r"\s+", "", m.group(0))
        if P.LEDGER_HEADER.search(compact):
            hm = m
            break
    if hm is None:
        return []
    body_start = hm.end()
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
    deadline_parts = []
    while cells and P.LEDGER_DEADLINE.match(cells[-1][0]):
        deadline_parts.insert(0, cells.pop())
    empty_coop = any(c[0] in ("—", "-") for c in deadline_parts)
    deadline_parts = [c for c in deadline_parts if c[0] not in ("—", "-")]
    deadline = "".join(c[0] for c in deadline_parts) or None
    last_shares_line = bool(deadline_parts) and deadline_parts[0][1] == "space"
    names: list[tuple[str, str]] = []
    for cell, s in cells:
        if names and not P.NAME_START.match(cell) and not starts_with_place(cell) and (
                not P.LEDGER_NAME_END.search(names[-1][0]) or not P.ORG_SUFFIX.search(cell) or len(cell) <= 3
                or not P.LEDGER_NAME_END.search(cell[:-1])):
            names[-1] = (names[-1][0] + cell, names[-1][1])
        else:
            names.append((cell, s))
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


# ---------------------------------------------------------------- one document

def document(blocks: list[Block], source: str, start: int, title_i: int, end: int) -> Document:
    doc = metadata(blocks, start, title_i, end)
    table_mode = any(is_table_header(blocks[i]) and "责任单位" in blocks[i].norm for i in range(start, end))
    root = build_tree(blocks, title_i + 1, end, table_mode)
    doc.tasks = tasks_from_tree(root, doc.title or "", doc.attachment_title)
    table_tasks, table_ledger = tasks_and_ledger_from_tables(blocks, start, end)
    known = {tuple(t.path) for t in doc.tasks}
    doc.tasks += [t for t in table_tasks if tuple(t.path) not in known]
    doc.ledger = table_ledger or ledger_rows(source, doc.span)
    for t in doc.tasks:
        for d in t.departments:
            d.region = department_region(d.canonical, doc)
    own_titles = {title_key(t) for t in (doc.title, doc.attachment_title) if t}
    doc.citations, doc.repeals = find_citations(blocks, start, end, doc, own_titles)
    return doc


# ---------------------------------------------------------------- tables read with their cells

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
            rows, row_blocks = [], []
            j = i + 1
            while j < end and blocks[j].lines[0].cells is not None:
                row = blocks[j].lines[0].cells
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
                group_label = _label_display(lab[0], lab[1]) if lab else group_label
            task_cell = get("task")
            if not task_cell:
                continue
            lab = label_of(normalise(task_cell))
            label = _label_display(lab[0], lab[1]) if lab else (get("number") or str(n))
            title_text = task_cell[len(lab[2]):] if lab else task_cell
            path = ([group_label] if group_label else []) + [label]
            title = _title(title_text)
            depts = []
            for role in ("lead", "responsible", "cooperate"):
                if get(role):
                    depts.extend(parse_list(get(role), role))
            text = title_text + get("measures")
            key = (tuple(path), title)
            if key in seen:   # the same task continued on the next page
                t = seen[key]
                t.text += get("measures")
                t.departments = _dedupe(t.departments + depts)
                t.span = Span(t.span.start, rb.end)
                continue
            t = Task(path=path, title=title, text=text, departments=_dedupe(depts),
                     deadline=_deadline(get("deadline") or None, normalise(text)),
                     span=Span(rb.start, rb.end))
            seen[key] = t
            tasks.append(t)
    for t in tasks:   # after continuation rows have been merged in
        t.targets = [x for x, _, _ in find_targets(t.text, normalise(t.text))]
    return tasks, ledger


_PREFIX_LEVEL = {"省": 1, "自治区": 1, "市": 2, "州": 2, "自治州": 2, "盟": 2, "县": 3, "区": 3, "旗": 3}


def department_region(canonical: str, doc: Document) -> str | None:
    """The region a department belongs to: its level prefix (省/市/县) read against the issuing
    document's region path, so 市卫生健康委员会 in a Haidong notice is Haidong's."""
    if re.match(r"^(国家|国务院|中央|中共中央|全国)", canonical) or doc.level == "national":
        return "国家"
    path = doc.region_path or []
    m = re.match(r"^(自治区|自治州|省|市|州|盟|县|区|旗)", canonical)
    if m and _PREFIX_LEVEL[m.group(1)] < len(path):
        depth = _PREFIX_LEVEL[m.group(1)]
        return doc.region if depth == len(path) - 1 else path[depth]
    return doc.region
