"""How fast the explorer (`policykg serve`) answers on a big store: time to open the store, first
paint of the home page, a search, each view of a national and a provincial document (server time,
page size, time until the browser has drawn it) and expanding a node (a click on a document, then
on its lineage link). For comparison, `policykg viz --trace` of the same document as a whole
command (it reads the same neighbourhood), and the whole-store read a whole-graph view needs.
Writes benchmarks/serve_speed.md.

    python benchmarks/make_corpus.py --provinces 31 --cities 99 --counties 99 --years 3 --seed 1 --out /tmp/corpus
    policykg ingest /tmp/corpus --db /tmp/bench10k.lbug
    python benchmarks/serve_speed.py --db /tmp/bench10k.lbug
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

CHROMIUM = os.environ.get("POLICYKG_CHROMIUM", "/usr/bin/chromium")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", required=True, help="an embedded store (e.g. the 10k benchmark corpus)")
    parser.add_argument("--out", default=str(Path(__file__).with_name("serve_speed.md")))
    args = parser.parse_args()

    import uvicorn
    from playwright.sync_api import sync_playwright
    from policykg.api import open_store
    from policykg.viz.serve import app

    t0 = time.perf_counter()
    store = open_store(args.db, read_only=True)
    opened = time.perf_counter() - t0
    count = store.rows("MATCH (d:Document) RETURN count(d) AS n")[0]["n"]
    national = store.rows("MATCH (c:Document)-[:IMPLEMENTS]->(p:Document) WHERE p.level = 'national' "
                          "RETURN p.id AS id, count(c) AS k ORDER BY k DESC, id LIMIT 1")[0]["id"]
    province = store.rows("MATCH (c:Document)-[:IMPLEMENTS]->(p:Document) WHERE p.level = 'province' "
                          "RETURN p.id AS id, count(c) AS k ORDER BY k DESC, id LIMIT 1")[0]["id"]
    port = _port()
    t0 = time.perf_counter()
    server = uvicorn.Server(uvicorn.Config(app(store), host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.01)
    started = time.perf_counter() - t0
    base = f"http://127.0.0.1:{port}"
    rows = [("open the store (read-only)", f"{opened * 1000:.0f} ms", ""),
            ("start the server (routes, home page)", f"{started * 1000:.0f} ms", "")]

    def fetch(path, **params):
        url = f"{base}{path}?{urllib.parse.urlencode(params)}"
        t = time.perf_counter()
        with urllib.request.urlopen(url) as response:
            body = response.read()
        return time.perf_counter() - t, body

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        page = browser.new_page(viewport={"width": 1600, "height": 900})

        def paint(url):
            t = time.perf_counter()
            page.goto(url)
            page.wait_for_selector("body[data-drawn=yes]", timeout=600000)
            return time.perf_counter() - t

        rows.append(("home page, first paint", f"{paint(base + '/') * 1000:.0f} ms", ""))
        seconds, body = fetch("/api/search", q=national.split(":", 2)[2])
        rows.append(("search by 文号", f"{seconds * 1000:.0f} ms", f"{len(json.loads(body))} hits"))
        seconds, body = fetch("/api/search", q="卫生健康委员会")
        rows.append(("search by department name", f"{seconds * 1000:.0f} ms", f"{len(json.loads(body))} hits"))
        for name, doc in (("national", national), ("provincial", province)):
            for view, depth in (("cascade", 1), ("cascade", 2), ("coverage", 1)):
                params = {"doc": doc, "depth": depth}
                seconds, body = fetch(f"/view/{view}", **params)
                if body.startswith(b"{"):
                    rows.append((f"{view} of the {name} plan, depth {depth}", "refused", body.decode("utf-8")[:120]))
                    continue
                drawn = paint(f"{base}/view/{view}?{urllib.parse.urlencode(params)}")
                boxes = body.count(b'class="box ')
                rows.append((f"{view} of the {name} plan, depth {depth}",
                             f"server {seconds * 1000:.0f} ms, drawn {drawn * 1000:.0f} ms",
                             f"{len(body) / 1e6:.2f} MB, {boxes} boxes"))
        seconds, body = fetch("/view/alignment", parent=national, child=province)
        drawn = paint(f"{base}/view/alignment?{urllib.parse.urlencode({'parent': national, 'child': province})}")
        rows.append(("alignment provincial → national", f"server {seconds * 1000:.0f} ms, drawn {drawn * 1000:.0f} ms",
                     f"{len(body) / 1e6:.2f} MB"))
        # expanding a node: from the national cascade, click the provincial plan, then its lineage link
        paint(f"{base}/view/cascade?{urllib.parse.urlencode({'doc': national, 'depth': 1})}")
        t = time.perf_counter()
        page.locator(f'#picture g.box[data-id="{province}"] rect').click()
        page.click("#open >> text=谱系 lineage")
        page.wait_for_selector("body[data-drawn=yes]", timeout=600000)
        rows.append(("expand: click a document, open its lineage", f"{(time.perf_counter() - t) * 1000:.0f} ms", ""))
        browser.close()
    server.should_exit = True
    store.close()

    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "policykg.cli", "viz", "--trace", national.split(":", 2)[2], "--depth", "1",
                    "--out", "/tmp/serve_speed_viz.html", "--db", args.db], check=True, capture_output=True)
    rows.append(("for comparison: the command `policykg viz --trace` national, depth 1",
                 f"{time.perf_counter() - t:.1f} s", "a process: start, neighbourhood read, page written"))
    t = time.perf_counter()
    with open_store(args.db, read_only=True) as again:
        whole = again.read_graph()
    rows.append(("for comparison: reading the whole store (what a whole-graph view needs)",
                 f"{time.perf_counter() - t:.1f} s", f"{whole.number_of_nodes():,} nodes"))

    lines = ["# Explorer speed (`policykg serve`)", "",
             f"`python benchmarks/serve_speed.py --db {args.db}`: a store of {count:,} documents; "
             f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, headless Chromium "
             "at 1600 × 900. One run; server times are the HTTP request as a client sees it, "
             "`drawn` from navigation until the page has drawn.", "",
             "| step | time | what |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
