"""Query results for people: tables whose columns line up with Chinese text, CSV, JSON, and the
lineage tree of a trace."""
from __future__ import annotations

import csv
import io
import json

from tabulate import tabulate
from wcwidth import wcswidth

from ..graph.schema import LEVEL_RANK

MAX_CELL = 48   # display columns; longer cells are cut with … in tables (CSV and JSON keep all)


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.2f}" if not value.is_integer() else str(int(value))
    if isinstance(value, list):
        return "；".join(_cell(v) for v in value)
    return str(value).replace("\n", " ")


def _width(text: str) -> int:
    w = wcswidth(text)
    return w if w >= 0 else len(text)


def _clip(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out, used = "", 0
    for ch in text:
        w = max(_width(ch), 0)
        if used + w > limit - 1:
            break
        out += ch
        used += w
    return out + "…"


def table(columns: list[str], rows: list[list]) -> str:
    """Columns padded by display width (tabulate's wide-character mode: a Chinese character takes
    two columns of a terminal), cells as printed (no number parsing), long cells cut."""
    cells = [[_clip(_cell(v), MAX_CELL) for v in row] for row in rows]
    body = tabulate(cells, headers=columns, tablefmt="simple", disable_numparse=True, stralign="left")
    lines = [line.rstrip() for line in body.splitlines()]
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines)


def to_csv(columns: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v for v in row])
    return buffer.getvalue()


def to_json(columns: list[str], rows: list[list]) -> str:
    return json.dumps([dict(zip(columns, r)) for r in rows], ensure_ascii=False, indent=1)


def _how(method, score) -> str:
    return f"{method} {score:.2f}" if score is not None else str(method)


def document_line(doc: dict) -> str:
    """The head line of a trace: 文号 and title, region, level, date."""
    facts = ", ".join(str(x) for x in (doc.get("region"), doc.get("level"), doc.get("date")) if x)
    if doc.get("placeholder"):
        facts = "cited, not ingested"
    head = " ".join(x for x in (doc.get("doc_number"), doc.get("title")) if x)
    return f"{head} ({facts})" if facts else head


def trace_down_tree(root: str, rows: list[dict], head: str | None = None) -> list[str]:
    """trace-down rows -> the document, the documents carrying it down and, under each, the
    parent's tasks with the child tasks that carry them."""
    children: dict[str, list[str]] = {}
    info: dict[str, dict] = {}
    pairs: dict[tuple[str, str], list[dict]] = {}
    for r in rows:
        key = (r["parent_document"], r["child_document"])
        if key not in pairs:
            pairs[key] = []
            children.setdefault(r["parent_document"], []).append(r["child_document"])
            info[r["child_document"]] = r
        if r.get("parent_task"):
            pairs[key].append(r)
    lines = [head or root]
    # a document carrying down several documents of the tree (a county plan naming the national,
    # provincial and city plans) is shown once, under the nearest of them (the lowest level),
    # and names the others there
    rank = lambda doc: LEVEL_RANK.get((info.get(doc) or {}).get("child_level") or "", -1)
    parents_of: dict[str, list[str]] = {}
    for parent, kids in children.items():
        for child in kids:
            parents_of.setdefault(child, []).append(parent)
    nearest = {child: max(ps, key=lambda p: (rank(p), -ps.index(p))) for child, ps in parents_of.items()}
    children = {parent: [c for c in kids if nearest[c] == parent] for parent, kids in children.items()}

    def describe(r: dict) -> str:
        name = r["child_document"]
        also = [p for p in parents_of.get(name, []) if p != nearest.get(name)]
        also_text = f"; also carries down {', '.join(also)}" if also else ""
        if r.get("child_placeholder"):
            return f"{name} (cited, not ingested{also_text})"
        facts = ", ".join(str(x) for x in (r.get("child_region"), r.get("child_level"), r.get("child_date")) if x)
        title = r.get("child_title") if r.get("child_title") != name else None
        return f"{name}{' ' + title if title else ''} ({facts}{also_text})"

    def walk(parent: str, prefix: str, seen: frozenset) -> None:
        kids = children.get(parent, [])
        for i, child in enumerate(kids):
            last = i == len(kids) - 1
            r = info[child]
            lines.append(f"{prefix}{'└─' if last else '├─'} {describe(r)} ← {_how(r['method'], r['score'])}")
            inner = prefix + ("   " if last else "│  ")
            grouped: dict[str, list[dict]] = {}
            for t in pairs[(parent, child)]:
                grouped.setdefault(f"{t['parent_task']} {t['parent_task_title'] or ''}".strip(), []).append(t)
            has_more_docs = bool(children.get(child)) and child not in seen
            for j, (parent_task, carried) in enumerate(grouped.items()):
                more = j < len(grouped) - 1 or has_more_docs
                lines.append(f"{inner}{'├─' if more else '└─'} {parent_task}")
                for k, t in enumerate(carried):
                    lines.append(f"{inner}{'│  ' if more else '   '}{'└─' if k == len(carried) - 1 else '├─'} "
                                 f"{t['child_task']} {t['child_task_title'] or ''} ← {_how('aligned', t['task_score'])}")
            if child not in seen:
                walk(child, inner, seen | {child})

    walk(root, "", frozenset({root}))
    return lines


def trace_up_tree(start: str, rows: list[dict], head: str | None = None) -> list[str]:
    """trace-up rows -> the document and, indented below it, what it carries down, level by level."""
    lines = [head or start]
    by_below: dict[str, list[dict]] = {}
    for r in rows:
        by_below.setdefault(r["implemented_by"], []).append(r)

    def walk(node: str, prefix: str, seen: frozenset) -> None:
        ups = by_below.get(node, [])
        for i, r in enumerate(ups):
            last = i == len(ups) - 1
            flag = " (cited, not ingested)" if r.get("placeholder") else ""
            facts = ", ".join(str(x) for x in (r.get("region"), r.get("level"), r.get("date")) if x)
            lines.append(f"{prefix}{'└─' if last else '├─'} implements {r['document']}{flag}"
                         f"{' (' + facts + ')' if facts else ''} ← {_how(r['method'], r['score'])}")
            if r["document"] not in seen:
                walk(r["document"], prefix + ("   " if last else "│  "), seen | {r["document"]})

    walk(start, "", frozenset({start}))
    return lines
