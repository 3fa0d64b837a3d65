"""Node ids: how they are made and read back, in one place (graph.build makes them, the ontology
turns them into IRIs, canonicalise_ids moves a document's tasks and targets with it).

    doc:n:青政办〔2023〕73号               a document by its normalised 文号
    doc:t:<title key>[@date]              a document without one, by its title (and date)
    task:n:青政办〔2023〕73号#一/（一）     a task: its document's key, then its path
    target:n:青政办〔2023〕73号#一/（一）#2  a target: its task, then its number in the task
    dept:国家/青海省:省卫生健康委员会        a department: the region path it belongs to, its name
    region:国家/青海省/海东市                a region: its path
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NodeId:
    kind: str                       # doc | task | target | dept | region
    form: str | None = None         # doc/task/target: n (文号), t (title) or another key form
    key: str | None = None          # doc/task/target: the document's key
    path: tuple[str, ...] = ()      # task: its path; target: its task's path; dept/region: region path
    number: int | None = None       # target: its number in the task
    name: str | None = None         # dept: its name


def document_id(key: str) -> str:
    """key: a document key as graph.build makes them ('n:青政办〔2023〕73号', 't:…')."""
    return "doc:" + key


def document_key(doc_id: str) -> str:
    return doc_id[len("doc:"):]


def task_id(doc_id: str, path: list[str] | tuple[str, ...] | str) -> str:
    p = path if isinstance(path, str) else "/".join(path)
    return f"task:{document_key(doc_id)}#{p}"


def target_id(task: str, number: int) -> str:
    return f"target:{task[len('task:'):]}#{number}"


def region_id(path: list[str]) -> str:
    return "region:" + "/".join(path)


def department_id(region_path: list[str], name: str) -> str:
    return f"dept:{'/'.join(region_path)}:{name}"


def moved(node_id: str, old_doc: str, new_doc: str) -> str:
    """A task's or target's id once its document's id changes from old_doc to new_doc."""
    kind, _, rest = node_id.partition(":")
    old_key, new_key = document_key(old_doc), document_key(new_doc)
    if kind not in ("task", "target") or not rest.startswith(old_key + "#"):
        raise ValueError(f"{node_id!r} is not a task or target of {old_doc!r}")
    return f"{kind}:{new_key}{rest[len(old_key):]}"


def parse(node_id: str) -> NodeId:
    """What an id says; ValueError for a string that is no policykg node id."""
    kind, sep, rest = node_id.partition(":")
    if not sep:
        raise ValueError(f"{node_id!r} is not a policykg node id")
    if kind in ("doc", "task", "target"):
        head, _, tail = rest.partition("#")
        form, _, key = head.partition(":")
        number = None
        if kind == "target":
            tail, _, n = tail.rpartition("#")
            number = int(n)
        return NodeId(kind, form, key, tuple(tail.split("/")) if tail else (), number)
    if kind == "dept":
        region, _, name = rest.rpartition(":")
        return NodeId(kind, path=tuple(region.split("/")), name=name)   # "dept::X" (no region) keeps its empty part
    if kind == "region":
        return NodeId(kind, path=tuple(rest.split("/")))
    raise ValueError(f"{node_id!r} is not a policykg node id")
