"""Python equivalents of the CLI commands that are not plain extraction."""
from __future__ import annotations

from importlib import resources

from .loaders import extract


def sample_paths() -> list:
    """The bundled sample documents (copies of real notices shipped with the package)."""
    folder = resources.files("policykg.samples")
    return sorted(p for p in folder.iterdir() if p.name.endswith(".txt"))


def summary_lines(result) -> list[str]:
    """What `policykg extract` prints for one file without --json."""
    lines = [f"{result.source}: {len(result.documents)} document(s)"]
    for d in result.documents:
        ndept = len({x.name for t in d.tasks for x in t.departments})
        ntarget = sum(len(t.targets) for t in d.tasks)
        lines.append(f"  {d.doc_number or '(no 文号)'}  {d.title}")
        lines.append(f"    issuer {d.issuer}  date {d.date}  level {d.level}  region {d.region}")
        lines.append(f"    {len(d.tasks)} tasks, {ndept} departments, {ntarget} targets, "
                     f"{len(d.citations)} citations, {len(d.ledger)} ledger rows")
    return lines


def demo() -> list[str]:
    """Extract every bundled sample; return the printed summary lines."""
    lines = []
    for path in sample_paths():
        lines.extend(summary_lines(extract(path)))
    return lines
