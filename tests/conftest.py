import os
import tempfile
from pathlib import Path

import pytest

# the tests' own cache of the place index (loaders/regions.py), not the user's
os.environ.setdefault("POLICYKG_CACHE", os.path.join(tempfile.gettempdir(), "policykg-test-cache"))

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLES = ROOT / "samples"
ALIGNMENT_GOLD = SHARED / "gold" / "alignment_000_001.json"
# tests that read the public gold skip, saying why, in a clone with nothing beside it
needs_alignment_gold = pytest.mark.skipif(
    not (ALIGNMENT_GOLD.exists() and (SHARED / "tools" / "score.py").exists()),
    reason="../shared (the 000→001 alignment gold and its scorer) is not beside the project")


@pytest.fixture(scope="session")
def seeds():
    """The five real documents shipped as samples, extracted once."""
    import policykg
    return {p.stem[:3]: policykg.extract(p) for p in sorted(SAMPLES.glob("*.txt"))}


LINT_DIR = ROOT / "tests" / "cypher_lint"


@pytest.fixture(scope="session")
def cypher_lint():
    """lint(queries, parameters) -> one list of diagnostics per query, from Neo4j's own Cypher front
    end (npm @neo4j-cypher/language-support, run with node). Installed on first use; the test fails
    rather than skips when node or npm is missing, so CI cannot go green without it."""
    import json
    import shutil
    import subprocess

    from policykg.graph.schema import NODES, RELS

    node, npm = shutil.which("node"), shutil.which("npm")
    assert node and npm, "the Cypher lint tests need node and npm on PATH (Debian: apt install nodejs npm)"
    if not (LINT_DIR / "node_modules" / "@neo4j-cypher" / "language-support").exists():
        subprocess.run([npm, "ci", "--silent", "--no-audit", "--no-fund"], cwd=LINT_DIR, check=True)
    schema = {
        "labels": list(NODES),
        "relationshipTypes": list(RELS),
        # src and dst are keys of the edge rows passed as $rows (r.src); the linter cannot tell a
        # map key from a property key, so it is told about them too
        "propertyKeys": sorted({p for props in NODES.values() for p in props}
                               | {p for spec in RELS.values() for p in spec["props"]} | {"src", "dst"}),
    }

    def lint(queries: list[str], parameters: dict | None = None) -> list[list[dict]]:
        payload = json.dumps({"queries": queries, "schema": {**schema, "parameters": parameters or {}}})
        done = subprocess.run([node, "lint.mjs"], cwd=LINT_DIR, input=payload, capture_output=True,
                              text=True, check=True)
        return [item["diagnostics"] for item in json.loads(done.stdout)]

    return lint


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def browser():
    """Headless Debian chromium driven by Playwright. Fails, not skips, when it is missing: .ci/run
    installs it (apt install chromium fonts-noto-cjk)."""
    import os
    import shutil

    from playwright.sync_api import sync_playwright
    executable = os.environ.get("POLICYKG_CHROMIUM") or shutil.which("chromium") or CHROMIUM
    assert Path(executable).exists(), "the browser tests need chromium: apt install chromium fonts-noto-cjk"
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def offline_page(browser):
    """A page with the network cut off: any request that is not for a local file is aborted and
    recorded, as are failed requests and script errors."""
    context = browser.new_context(viewport={"width": 1600, "height": 900})
    page = context.new_page()
    page.blocked, page.failed, page.errors, page.dialogs = [], [], [], []

    def route(r):
        if r.request.url.startswith(("file:", "data:", "about:")):
            r.continue_()
        else:
            page.blocked.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page.on("requestfailed", lambda req: page.failed.append(req.url))
    page.on("pageerror", lambda e: page.errors.append(str(e)))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    yield page
    context.close()


@pytest.fixture(scope="session")
def pictures(tmp_path_factory):
    """Where the test run leaves its screenshot and PNG: $POLICYKG_PICTURES (to refresh the README's
    images) or a temporary folder."""
    folder = os.environ.get("POLICYKG_PICTURES")
    path = Path(folder) if folder else tmp_path_factory.mktemp("pictures")
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture(scope="session")
def cascade_files(tmp_path_factory):
    """A synthetic cascade (benchmarks/make_corpus.py) of 137 documents: enough tasks restating
    the same measures that the matching of their targets can go either way, and parents with more
    children than a linking worker's chunk of tests/test_graph.py holds."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import make_corpus
    out = tmp_path_factory.mktemp("cascade")
    make_corpus.make(5, 5, 19, 1, seed=5, out=out)
    return sorted(out.rglob("*.txt"))


@pytest.fixture(scope="session")
def linked_seeds(seeds):
    """The samples built into one graph and linked (the views and pages read it, never change it)."""
    from policykg.graph.build import build
    from policykg.graph.link import link
    graph = build(seeds.values())
    link(graph)
    return graph


# markup in document text: a page or picture that shows it must show these characters and run nothing
HOSTILE = '<script>window.__xss = 1</script><img src=x onerror="window.__xss = 2">'


def hostile_extraction(source: str = "evil.txt", task_text: str = f"内容 {HOSTILE}",
                       attachment_title: str | None = None):
    """One provincial notice (青政办〔2024〕1号) whose title, task, department and file name hold HOSTILE."""
    from policykg.loaders.models import Department, Document, Extraction, Span, Task
    span = Span(0, 10)
    task = Task(path=["一"], title=f"任务{HOSTILE}", text=task_text,
                departments=[Department(name=f"局{HOSTILE}", role="lead", canonical=f"局{HOSTILE}", span=span)],
                span=span)
    doc = Document(doc_number="青政办〔2024〕1号", doc_number_key="青政办〔2024〕1号",
                   title=f"关于{HOSTILE}的通知", attachment_title=attachment_title, issuer="青海省人民政府办公厅",
                   date="2024-01-02", published=None, level="province", region="青海省",
                   region_path=["国家", "青海省"], tasks=[task], span=span)
    return Extraction(source=source, documents=[doc])


def open_page(page, path) -> None:
    """Open a written page in the browser and wait until it has drawn (it sets body[data-drawn])."""
    page.goto(path.resolve().as_uri())
    page.wait_for_selector("body[data-drawn=yes]", timeout=30000)


def killed_run(patch: str, code: str) -> int:
    """The return code of a Python process that runs `patch` then `code`; the patch calls die()
    (SIGKILL: no cleanup, no finally) at the moment a test kills it."""
    import subprocess
    import sys
    import textwrap
    script = "import os, signal\ndef die():\n    os.kill(os.getpid(), signal.SIGKILL)\n"
    script += textwrap.dedent(patch) + "\n" + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, timeout=300).returncode


def ingest_code(files, db) -> str:
    """The code of an ingest of `files` into `db`, one worker, for killed_run."""
    return f"import policykg\npolicykg.ingest({[str(f) for f in files]!r}, db={str(db)!r}, workers=1)\n"
