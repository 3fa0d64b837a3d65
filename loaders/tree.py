"""The numbered task tree of a document and the tasks it holds: numbering labels, responsibility
lists attached to items, targets and deadlines."""
from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass, field

from . import patterns as P
from .cleaning import Block, is_org_list_line, label_of, normalise
from .departments import (
    field_role,
    find_in_prose,
    find_lists,
    list_spans,
    parse_list,
    split_names,
)
from .models import Department, Span, Target, Task
from .targets import cn_number, find_targets, mask_spans, may_hold_target


@dataclass
class Node:
    style: str
    number: int
    label: str
    block: int
    title: str = ""
    parts: list[tuple[str, str]] = field(default_factory=list)  # (printed text, normalised text)
    children: list[Node] = field(default_factory=list)
    parent: Node | None = None
    fields: list[Department] = field(default_factory=list)
    cells: list[Department] = field(default_factory=list)
    deadline_field: str | None = None
    first_is_lead: bool = False     # 第一责任单位为牵头单位 printed with its list
    spans: list[tuple[int, int]] = field(default_factory=list)
    printed_label: str = ""
    offsets: list[int] = field(default_factory=list)        # source offset of each character of parts
    label_offsets: list[int] = field(default_factory=list)  # … and of the printed label

    @property
    def path(self) -> list[str]:
        out: list[str] = []
        n: Node | None = self
        while n is not None and n.style != "root":
            out.append(n.label)
            n = n.parent
        return out[::-1]

    def own_text(self) -> tuple[str, str]:
        return "".join(p[0] for p in self.parts), "".join(p[1] for p in self.parts)


def label_display(style: str, num: str) -> str:
    if style == "pcn":
        return f"（{num}）"
    if style == "parabic":
        return f"（{num}）"
    if style == "article":
        return f"第{num}条"
    if style == "chapter":
        return f"第{num}章"
    return num


def label_value(num: str) -> int:
    if len(num) == 1 and 0x2460 <= ord(num) <= 0x2473:   # ① .. ⑳ (str.isdigit is true for them)
        return ord(num) - 0x2460 + 1
    if num.isascii() and num.isdigit():
        return int(num)
    v = cn_number(num)
    return int(v) if v is not None else 0


def is_table_header(block: Block) -> bool:
    """A table's header row: column names and little else (a task's text may name them too)."""
    n = block.norm
    hits = [c for c in P.TABLE_COLUMNS if c in n]
    return len(hits) >= 2 and len(n) - sum(map(len, hits)) <= max(12, len(n) // 3)


def build_tree(blocks: list[Block], start: int, end: int, table_mode: bool, skip: Set[int] = frozenset()) -> Node:
    root = Node("root", 0, "", start)
    stack: list[Node] = [root]
    last_value: dict[str, int] = {}
    current: Node | None = None
    for i in range(start, end):
        b = blocks[i]
        n = b.norm
        if b.lines[0].cells is not None or i in skip:
            continue  # a table row (read with its cells, or one cell a line): the table readers read it
        if is_table_header(b) or (table_mode and len(n) <= 4 and any(n in c for c in P.TABLE_COLUMNS)):
            continue
        if P.ATTACHMENT.match(n):
            current = None  # an attachment marker closes the running item (a ledger follows)
            stack, last_value = [root], {}
            continue
        if P.BOX_HEADING.match(n):
            current = None  # a 专栏 box beside the tasks is not part of the task above it
            continue
        if P.DATE_LINE.match(n):
            current = None  # a signature: what follows (the plan a notice issues) numbers afresh
            stack, last_value = [root], {}
            continue
        lab = label_of(n)
        if lab:
            style, num, text_label = lab
            value = label_value(num)
            styles = [s.style for s in stack]
            accepted = False
            if style in styles and value == 1 and styles.index(style) == 1 and label_value(
                    stack[1].label) != 1:
                # the top numbering starts again at 一: the next plan a notice issues (no 附件 mark
                # between them) numbers afresh
                stack, last_value = [root], {}
                styles = ["root"]
            if style in styles:
                k = styles.index(style)
                sib = stack[k]
                if value == sib.number and heading_of(b.text[len(text_label):]) == sib.title:
                    # the same item printed again at the top of a table page: carry on inside it
                    # (its numbered children come next and are repeats too, so the stack stays)
                    current = sib
                    _add_text(current, b, len(text_label), skip_title=True)
                    continue
                # the next number, or one a little further on: a plan that left an item out
                # (1, 3, 4 …) goes on numbering its siblings
                if sib.number < value <= sib.number + 3:
                    stack = stack[:k]
                    accepted = True
            else:
                # the first item of a page that starts in the middle of a list (6. 7. 8. …) is
                # accepted at any number: nothing numbered came before it
                if value == 1 or value == last_value.get(style, 0) + 1 or not last_value:
                    accepted = True
            if accepted:
                parent = stack[-1]
                node = Node(style, value, label_display(style, num), i, parent=parent,
                            printed_label=b.text[:len(text_label)], label_offsets=b.offsets[:len(text_label)])
                node.title = heading_of(b.text[len(text_label):])
                parent.children.append(node)
                stack.append(node)
                last_value[style] = value
                current = node
                _add_text(node, b, len(text_label), span_from=0)
                continue
        if current is None:
            continue
        if P.PERSON_FIELD.match(n):
            continue        # 牵头负责领导：… names a person, not a body
        fm = P.DEPT_FIELD.match(n)
        if fm:
            key = fm.group(1)
            body = b.text[fm.end():]
            owner = _task_owner(current)
            if P.DEADLINE_FIELD.match(n):
                owner.deadline_field = body
            else:
                for f in find_lists(normalise(body), body):
                    owner.first_is_lead = owner.first_is_lead or f.first_is_lead
                bare = P.RESP_BRACKET.sub("", body) if P.FIRST_IS_LEAD.search(n) else body
                owner.fields.extend(at_source(parse_list(bare, field_role(key)), b.offsets[fm.end():]))
            continue
        if table_mode and is_org_list_line_block(b):
            owner = _task_owner(current)
            owner.cells.extend(at_source(parse_list(b.text, "responsible"), b.offsets))
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


def heading_of(rest: str) -> str:
    """An item's heading: its text up to the first sentence end (read in the normalised view, so a
    PDF's '.' ends it too)."""
    m = re.search(r"[。；！？]", normalise(rest))
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
        node.offsets.extend(b.offsets[offset:])
    node.spans.append(b.span_of(offset if span_from is None else span_from, len(b.text)))


def _all_nodes(node: Node):
    for c in node.children:
        yield c
        yield from _all_nodes(c)


def tasks_from_tree(root: Node, doc_title: str, attachment: str | None, notice_end: int | None = None,
                    first_is_lead: bool = False) -> list[Task]:
    """`notice_end`: the block of the notice's signature date; numbered items before it that name
    no body are the notice's own procedure (一、提高认识 …), not the plan's tasks. `first_is_lead`:
    the document says elsewhere that the first body of each list leads (列第一位的为牵头单位)."""
    # each node's own responsibilities: parenthesised lists, 牵头单位 fields, table cells
    own: dict[int, list[Department]] = {}
    lists: dict[int, list] = {}
    for node in _all_nodes(root):
        text, norm = node.own_text()
        lists[id(node)] = find_lists(norm, text)
    # 列第一位者为牵头单位，下同: said once, it holds for every list of the document
    first_is_lead = first_is_lead or any(f.first_is_lead for fs in lists.values() for f in fs) or \
        any(n.first_is_lead for n in _all_nodes(root))
    no_lists = not any(lists.values()) and not any(n.fields or n.cells for n in _all_nodes(root))
    for node in _all_nodes(root):
        text, norm = node.own_text()
        # a document with no lists assigns its work in prose; its 工作要求/组织保障 sections and the
        # articles of rules (州数据资源主管部门应当会同有关部门建立…: a duty, not a task) do not
        prose = no_lists and not (P.SUPPORT_SECTIONS.search(normalise(node.title))
                                  or P.SUPPORT_SECTIONS.search(normalise(_top(node).title))
                                  or any(n.style in ("article", "chapter") for n in _ancestry(node)))
        found = lists[id(node)] or (find_in_prose(norm, text) if prose else [])
        depts: list[Department] = []
        for f in found:
            at_source(f.departments, node.offsets)
            if first_is_lead and all(d.role == "responsible" for d in f.departments):
                f.departments[0].role = "lead"
            depts.extend(f.departments)
            if f.deadline and not node.deadline_field:
                node.deadline_field = f.deadline
        fields = node.fields
        if first_is_lead and fields and all(d.role == "responsible" for d in fields):
            fields[0].role = "lead"
        depts.extend(fields)
        depts.extend(node.cells)
        own[id(node)] = dedupe(depts)

    def subtree_has(node):
        return any(own[id(c)] or subtree_has(c) for c in node.children)

    candidates: list[tuple[Node, list[Node]]] = []

    def walk(node):
        for c in node.children:
            if c.children and subtree_has(c):
                walk(c)
            elif c.children and not own[id(c)]:
                walk(c)     # a group heading: its numbered children are the tasks (FORMAT.md)
            else:
                candidates.append((c, list(_all_nodes(c))))

    walk(root)
    any_depts = any(own[id(n)] for n, _ in candidates)
    # a page that shows no title (an excerpt from the middle of a plan) is read as a plan
    # a notice's own numbered items (一、提高认识 …) are procedure, not tasks, unless it issues a plan;
    # a plan, 意见, 细则 or 规定 numbers its tasks
    plan_like = (not doc_title or not P.NOTICE_ONLY_END.search(normalise(doc_title))
                 or bool(P.PLAN_TITLE.search(normalise(doc_title)) or P.PLAN_TITLE.search(normalise(attachment or ""))))
    tasks = []
    for node, absorbed in candidates:
        depts = own[id(node)] + [d for a in absorbed for d in own[id(a)]]
        if not depts:
            if not any_depts and not plan_like:
                continue
            if notice_end is not None and node.block < notice_end:
                continue    # the notice's own numbered items, above its signature
            if any(n.style in ("article", "chapter") for n in _ancestry(node)):
                continue    # 第X章/第X条 of rules (办法, 规定, 条例) that name no body are rules, not tasks
            if any_depts and not _section_has_depts(_top(node), own):
                continue
            if P.SUPPORT_SECTIONS.search(normalise(_top(node).title)) or P.SUPPORT_SECTIONS.search(normalise(node.title)):
                continue
        # sub-items (①②, (1)(2)) keep their labels inside the task's text
        text = node.own_text()[0] + "".join(a.printed_label + a.own_text()[0] for a in absorbed)
        norm = node.own_text()[1] + "".join(a.printed_label + a.own_text()[1] for a in absorbed)
        offsets = node.offsets + [o for a in absorbed for o in a.label_offsets + a.offsets]
        targets = _targets(text, norm, offsets)
        spans = node.spans + [s for a in absorbed for s in a.spans]
        span = Span(min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        tasks.append(Task(path=node.path, title=node.title, text=text, departments=dedupe(depts),
                          targets=targets, deadline=deadline_of(node.deadline_field, norm), span=span))
    return tasks


def _ancestry(node: Node | None):
    while node is not None and node.style != "root":
        yield node
        node = node.parent


def _top(node: Node) -> Node:
    while node.parent is not None and node.parent.style != "root":
        node = node.parent
    return node


def _section_has_depts(top: Node, own) -> bool:
    return bool(own[id(top)]) or any(own[id(n)] for n in _all_nodes(top))


def dedupe(depts: list[Department]) -> list[Department]:
    seen, out = set(), []
    for d in depts:
        key = (d.name, d.role)
        if key not in seen:
            seen.add(key)
            out.append(d)
    return out


def _targets(text: str, norm: str, offsets: list[int]) -> list[Target]:
    if not may_hold_target(norm):
        return []
    # responsibility lists hold no targets; blank them out, keeping offsets
    masked = mask_spans(norm, list_spans(norm))
    out = []
    for t, a, b in find_targets(text, masked):
        t.span = source_span(offsets, a, b)
        out.append(t)
    return out


def source_span(offsets: list[int], a: int, b: int) -> Span | None:
    """The source span of characters a..b of a text whose characters stand at `offsets`."""
    if not offsets or a >= len(offsets):
        return None
    b = max(a + 1, min(b, len(offsets)))
    return Span(offsets[a], offsets[b - 1] + 1)


def at_source(depts: list[Department], offsets: list[int]) -> list[Department]:
    """Departments whose spans index a text: their spans in the source, through its offsets."""
    for d in depts:
        if d.span is not None and d.span.end <= len(offsets):
            d.span = source_span(offsets, d.span.start, d.span.end)
    return depts


def deadline_of(field_text: str | None, norm: str) -> str | None:
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
