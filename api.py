"""Python equivalents of the CLI commands that are not plain extraction."""
from __future__ import annotations

from importlib import resources

from .loaders import extract


def sample_paths() -> list:
    """The bundled sample documents (copies of real notices shipped with the package)."""
    folder = resources.files("policykg.samples")
    return sorted(p for p in folder.iterdir() if p.name.endswith(".txt"))


def demo() -> list[str]:
    """Extract every bundled sample; return the printed summary lines."""
    from .cli import summary_lines
    lines = []
    for path in sample_paths():
        lines.extend(summary_lines(extract(path)))
    return lines
