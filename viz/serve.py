"""`policykg serve`: a local explorer over the store that reads neighbourhoods on demand.

Nothing of the whole graph goes to the browser: a search asks the store for matching documents, and
each view reads only the documents a few links from the one asked for (GraphStore.read_lineage),
lays them out with the same scenes as `policykg viz` and sends that page. The server listens on the
loopback interface unless told otherwise (the store may hold documents not meant for the network).
Starlette routes, uvicorn serves; the store is opened once, read-only, and used under a lock (an
embedded store's connection is not shared between threads).
"""
from __future__ import annotations

import csv
import io
import json
import threading

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..errors import NotFoundError, PolicykgError, ViewError, first_line
from ..graph import cypher as C
from .alignment import alignment_scene
from .cascade import cascade_scene
from .coverage import coverage_scene
from .page import render_page, templates

MAX_CASCADE_DOCUMENTS = 3000     # as viz: past this a page takes minutes to open

LOOPBACK = ("127.0.0.1", "localhost", "::1")
SEARCH_LIMIT = 50


class Explorer:
    """The store behind the routes, and the answers they give."""

    def __init__(self, store):
        self.store = store
        self.lock = threading.Lock()

    def rows(self, query: str, params: dict) -> list[dict]:
        with self.lock:
            return self.store.rows(query, params)

    def document(self, value: str | None, what: str = "doc") -> str:
        from ..api import document_id
        if not value:
            raise ViewError(f"give a document: ?{what}=文号, title or id")
        with self.lock:
            return document_id(self.store, value)

    def search(self, q: str) -> list[dict]:
        if not q.strip():
            raise ViewError("give words to search for: ?q=文号, title, department or target words")
        params = {"q": q.strip(), "limit": SEARCH_LIMIT}
        found: dict[str, str] = {}
        for query, why in ((C.SEARCH_DOCUMENTS, "文号 or title"), (C.SEARCH_DEPARTMENTS, "department"),
                           (C.SEARCH_TARGETS, "target")):
            for row in self.rows(query, params):
                found.setdefault(row["id"], why if why == "文号 or title" else f"{why}: {row['found']}")
        labels = {r["id"]: r for r in self.rows(C.DOCUMENT_LABELS, {"ids": sorted(found)})} if found else {}
        return [{**labels[i], "found": why} for i, why in found.items() if i in labels][:SEARCH_LIMIT]

    def lineage(self, doc: str, depth: int):
        with self.lock:
            return self.store.read_lineage(doc, depth)

    def view(self, kind: str, params) -> str:
        depth = _depth(params.get("depth"))
        if kind == "cascade":
            doc = self.document(params.get("doc"))
            G = self.lineage(doc, depth)
            d = G.nodes[doc]
            docs = {n for n, x in G.nodes(data=True) if x["label"] == "Document"}
            if len(docs) > MAX_CASCADE_DOCUMENTS:
                raise ViewError(f"{len(docs)} documents are more than one page can show (at most "
                                f"{MAX_CASCADE_DOCUMENTS}): ask for a smaller depth (&depth=1), or open a "
                                "document further down")
            scene = cascade_scene(G, docs, f"policykg · {d.get('doc_number') or d.get('title')} · lineage",
                                  task_details=False)
        elif kind == "coverage":
            doc = self.document(params.get("doc"))
            scene = coverage_scene(self.lineage(doc, depth), doc, depth)
        elif kind == "alignment":
            parent, child = self.document(params.get("parent"), "parent"), self.document(params.get("child"), "child")
            scene = alignment_scene(self.lineage(child, 1), parent, child)
        else:
            raise NotFoundError(f"no view {kind!r}; the views are cascade, alignment and coverage")
        return render_page(scene, f"{len(scene.boxes)} boxes, {len(scene.links)} links", served=True)

    def details(self, node: str | None) -> dict:
        """What a click on a task shows, read when it is clicked."""
        from . import details
        if not node:
            raise ViewError("give a task: ?id=…")
        rows = self.rows("MATCH (t:Task) WHERE t.id = $id RETURN t.document AS document", {"id": node})
        if not rows:
            raise NotFoundError(f"no task {node!r} in the store")
        with self.lock:
            G = self.store.read_around({rows[0]["document"]})
        return details.task(G, node)

    def query(self, name: str, params: dict) -> tuple[list[str], list[list]]:
        from ..api import query_on
        with self.lock:
            return query_on(self.store, name, params)


def _depth(value) -> int:
    try:
        depth = int(value or 3)
    except ValueError:
        raise ViewError(f"depth must be a number from 1 to 4, not {value!r}") from None
    if not 1 <= depth <= 4:
        raise ViewError(f"depth must be a number from 1 to 4, not {depth}")
    return depth


def _error(error: Exception) -> JSONResponse:
    """A PolicykgError as the JSON answer {"error": its first line}: 404 for what the store does not
    hold, 400 for a mistake in the request. Anything else is a bug and propagates (a 500)."""
    if not isinstance(error, PolicykgError):
        raise error
    return JSONResponse({"error": first_line(error)}, status_code=404 if isinstance(error, NotFoundError) else 400)


def _home_page() -> str:
    from ..queries import named_queries
    queries = [{"name": q.name, "description": q.description,
                "params": [{"name": p.name, "example": p.example, "help": p.help} for p in q.params]}
               for q in named_queries().values()]
    return templates().get_template("explorer.html").render(queries=queries)


def app(store) -> Starlette:
    """The explorer's routes over an open store."""
    explorer = Explorer(store)
    home = _home_page()

    def index(request: Request):
        return HTMLResponse(home)

    def search(request: Request):
        try:
            return JSONResponse(explorer.search(request.query_params.get("q", "")))
        except Exception as error:
            return _error(error)

    def view(request: Request):
        try:
            return HTMLResponse(explorer.view(request.path_params["kind"], request.query_params))
        except Exception as error:
            return _error(error)

    def task_details(request: Request):
        try:
            return JSONResponse(explorer.details(request.query_params.get("id")))
        except Exception as error:
            return _error(error)

    def query(request: Request):
        name = request.path_params["name"]
        as_csv = name.endswith(".csv")
        name = name[:-4] if as_csv else name
        try:
            columns, rows = explorer.query(name, dict(request.query_params))
        except Exception as error:
            return _error(error)
        if as_csv:
            out = io.StringIO()
            writer = csv.writer(out)
            writer.writerow(columns)
            writer.writerows([["；".join(map(str, v)) if isinstance(v, list) else v for v in row] for row in rows])
            # a BOM, so Excel (what many researchers open a CSV with) reads the Chinese as UTF-8
            return Response("\ufeff" + out.getvalue(), media_type="text/csv; charset=utf-8",
                            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
        return Response(json.dumps({"columns": columns, "rows": rows}, ensure_ascii=False, default=str),
                        media_type="application/json")

    return Starlette(routes=[Route("/", index), Route("/api/search", search), Route("/view/{kind}", view),
                             Route("/api/details", task_details),
                             Route("/api/query/{name}", query)])


def serve(store, host: str = "127.0.0.1", port: int = 8765, on_ready=None) -> None:
    """Serve the explorer until interrupted."""
    import uvicorn
    config = uvicorn.Config(app(store), host=host, port=port, log_level="warning")
    server = uvicorn.Server(config)
    if on_ready:
        on_ready(f"http://{'[' + host + ']' if ':' in host else host}:{port}/")
    server.run()
