"""The interactive page of a scene: its SVG inline, a side panel for what a click shows, search with
a hit count, zoom. One self-contained file (no script or font from elsewhere: government
intranets have no network)."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import jinja2

from .scene import Scene
from .svg import render_svg

HINT = "Click a document, task or link to see its details. 点击文件、任务或链接查看详情。"


@lru_cache(maxsize=1)
def templates() -> jinja2.Environment:
    """The pages' templates (viz/templates), escaping what they are given."""
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
                              autoescape=True)


def render_page(scene: Scene, counts: str = "", served: bool = False) -> str:
    """The page; `served` (by policykg serve) adds links from a document to its own views."""
    return templates().get_template("scene.html").render(
        title=scene.title, svg=render_svg(scene, standalone=False), details=scene.details,
        legend=scene.legend, counts=counts, hint=HINT, served=served)


def write_atomic(path: str | os.PathLike, text: str) -> Path:
    """Write a text file whole or not at all: never leave a half-written page behind."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    return path


def write_page(scene: Scene, path: str | os.PathLike, counts: str = "") -> Path:
    return write_atomic(path, render_page(scene, counts))
