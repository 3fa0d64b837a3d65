"""How long a big interactive page takes: build the HTML for a generated lineage graph of about
5,000 nodes, open it in headless Chromium (network cut off), and time the first drawing, a filter
change and a click. Writes benchmarks/viz_speed.md.

    python benchmarks/viz_speed.py [--nodes 5000] [--out benchmarks/viz_speed.md]
"""
from __future__ import annotations

import argparse
import os
import platform
import random
import time
from pathlib import Path

from policykg.graph.build import build
from policykg.loaders.models import Department, Document, Extraction, Target, Task
from policykg.viz import write_html

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
DEPARTMENTS = ["卫生健康委员会", "医疗保障局", "财政局", "发展和改革委员会", "人力资源和社会保障局", "市场监督管理局"]


def corpus(n_docs: int, tasks_per_doc: int, seed: int = 7) -> list[Extraction]:
    """A cascade: one national plan, then provinces, cities and counties under them."""
    rng = random.Random(seed)
    levels = [("national", "国家", "国", ["国家"])]
    provinces = [(f"省{i}", "省") for i in range(max(1, n_docs // 12))]
    out = []
    places = [("national", ["国家"], "国务院办公厅")]
    for p, _ in provinces:
        places.append(("province", ["国家", p + "省"], f"{p}省人民政府办公厅"))
    while len(places) < n_docs:
        parent = places[rng.randrange(1, len(places))]
        if parent[0] == "county":
            continue
        level = {"province": "city", "city": "county"}[parent[0]]
        name = f"{parent[1][-1][:2]}{len(places)}{'市' if level == 'city' else '县'}"
        places.append((level, parent[1] + [name], f"{name}人民政府办公室"))
    del levels
    for i, (level, path, issuer) in enumerate(places):
        prefix = {"national": "国家", "province": "省", "city": "市", "county": "县"}[level]
        tasks = []
        for j in range(tasks_per_doc):
            depts = [Department(name=prefix + d, role=rng.choice(["lead", "responsible", "cooperate"]),
                                canonical=prefix + d) for d in rng.sample(DEPARTMENTS, 2)]
            targets = [Target(text=f"指标{j}达到{rng.randint(10, 90)}%以上", value=float(rng.randint(10, 90)), unit="%",
                              comparator=">=", measure=f"指标{j}")] if j % 2 == 0 else []
            tasks.append(Task(path=[str(j + 1)], title=f"任务{j}", text=f"推进第{j}项改革任务。", departments=depts,
                              targets=targets))
        doc = Document(doc_number=f"测发〔2024〕{i + 1}号", doc_number_key=f"测发〔2024〕{i + 1}号",
                       title=f"{issuer}关于印发2024年重点任务的通知", attachment_title=None, issuer=issuer,
                       date="2024-06-01", published=None, level=level, region=path[-1], region_path=path,
                       tasks=tasks)
        out.append(Extraction(source=f"doc{i}.txt", documents=[doc]))
    return out


def link_cascade(G, extractions) -> None:
    """Each document implements the document of its parent region; task j implements task j."""
    by_path = {tuple(x.documents[0].region_path): f"doc:n:{x.documents[0].doc_number}" for x in extractions}
    for path, doc in by_path.items():
        parent = by_path.get(path[:-1])
        if parent:
            G.add_edge(doc, parent, key="IMPLEMENTS", method="inferred", score=0.8, evidence="{}")
            for t in [u for u, _, k in G.in_edges(doc, keys=True) if k == "PART_OF"]:
                p = "task:" + parent[4:] + t[t.index("#"):]
                if p in G:
                    G.add_edge(t, p, key="IMPLEMENTS", method="aligned", score=0.5, evidence="{}")


def in_page(page, action: str) -> float:
    """Seconds from an action in the page until the browser has painted its result (two frames),
    timed inside the page so the driver's own overhead is not counted."""
    ms = page.evaluate("() => new Promise(done => { const t0 = performance.now(); " + action +
                       " requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now() - t0))); })")
    return ms / 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--nodes", type=int, default=5000)
    ap.add_argument("--out", default=str(Path(__file__).with_name("viz_speed.md")))
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    tasks_per_doc = 30
    n_docs = max(2, args.nodes // (tasks_per_doc * 1.6))
    extractions = corpus(int(n_docs), tasks_per_doc)
    G = build(extractions)
    link_cascade(G, extractions)
    t = time.perf_counter()
    page_file = write_html(G, Path("/tmp/policykg-viz-bench.html"), "benchmark")
    build_s = time.perf_counter() - t
    size_mb = page_file.stat().st_size / 1e6
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 900})
        page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:") else r.abort())
        t = time.perf_counter()
        page.goto(page_file.as_uri())
        page.wait_for_selector("body[data-drawn=yes]", timeout=120000)
        load_s = time.perf_counter() - t
        filter_s = in_page(page, 'const el = document.getElementById("level"); el.value = "county"; '
                                 'el.dispatchEvent(new Event("input"));')
        in_page(page, 'const el = document.getElementById("level"); el.value = ""; el.dispatchEvent(new Event("input"));')
        search_s = in_page(page, 'const el = document.getElementById("search"); el.value = "测发〔2024〕3号"; '
                                 'el.dispatchEvent(new Event("input"));')
        click_s = in_page(page, 'policykg.network.selectNodes(["doc:n:测发〔2024〕2号"]); showDetails("doc:n:测发〔2024〕2号");')
        browser.close()
    lines = [
        "# Interactive page speed",
        "",
        f"`python benchmarks/viz_speed.py --nodes {args.nodes}` on this machine ({os.cpu_count()} cores, "
        f"{platform.machine()}, Python {platform.python_version()}), headless Debian Chromium, network cut off.",
        "A generated cascade (national → provinces → cities → counties, 30 tasks each). The interaction",
        "times are measured inside the page, from the event to the second painted frame.",
        "",
        "| measure | value |",
        "|---|---|",
        f"| nodes / edges | {G.number_of_nodes()} / {G.number_of_edges()} |",
        f"| build the HTML (layout + render) | {build_s:.2f} s |",
        f"| page size | {size_mb:.1f} MB |",
        f"| open until first drawn | {load_s:.2f} s |",
        f"| filter by level, until painted | {filter_s:.2f} s |",
        f"| search and focus a document, until painted | {search_s:.2f} s |",
        f"| select a node and show its details, until painted | {click_s:.2f} s |",
        "",
    ]
    Path(args.out).write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
