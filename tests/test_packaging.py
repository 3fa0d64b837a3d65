"""The declared dependencies are what the package imports: nothing imported that a fresh install
lacks, nothing declared that no code uses."""
import ast
import sys
import tomllib
from pathlib import Path

import pytest

from tests.conftest import ROOT, SAMPLES

# import name → distribution name, where they differ
DISTRIBUTION = {"docx": "python-docx", "charset_normalizer": "charset-normalizer", "sklearn": "scikit-learn",
                "rapidocr_onnxruntime": "rapidocr-onnxruntime", "PIL": "pillow"}
# optional features: their imports are declared in their extra, not in the core dependencies
FEATURE_EXTRAS = ("ocr",)
# declared but never imported by policykg's own code, and why
NEEDED_BY_OTHERS = {"lxml_html_clean": "trafilatura imports it with lxml >= 5.2"}
PACKAGE_DIRS = ["graph", "loaders", "ontology", "queries", "viz"]


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = set()
    specs = project["dependencies"] + [s for extra in FEATURE_EXTRAS for s in project["optional-dependencies"][extra]]
    for spec in specs:
        name = spec.split(";")[0]
        for stop in "<>=!~[ ":
            name = name.split(stop)[0]
        names.add(name.strip().lower())
    return names


def _imported() -> set[str]:
    files = [ROOT / f for f in ("__init__.py", "api.py", "cli.py")]
    files += [p for d in PACKAGE_DIRS for p in (ROOT / d).rglob("*.py")]
    found = set()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                found.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    third_party = found - set(sys.stdlib_module_names) - {"policykg", "__future__"}
    return {DISTRIBUTION.get(name, name).lower() for name in third_party}


def test_every_import_is_declared():
    assert _imported() - _declared() == set()


def test_every_declared_dependency_is_imported_or_says_why_not():
    assert _declared() - _imported() - set(NEEDED_BY_OTHERS) == set()


def test_no_package_attribute_hides_a_submodule_of_the_same_name():
    # `from .build import build` in a package's __init__ made policykg.graph.build the function,
    # so policykg.graph.build.new_graph raised AttributeError
    import importlib
    import pkgutil
    import types

    import policykg
    hidden = []
    for info in pkgutil.walk_packages(policykg.__path__, "policykg."):
        if info.name.startswith(("policykg.tests", "policykg.benchmarks")):
            continue
        importlib.import_module(info.name)
        parent, _, leaf = info.name.rpartition(".")
        if not isinstance(getattr(importlib.import_module(parent), leaf), types.ModuleType):
            hidden.append(info.name)
    assert hidden == []


def test_no_text_rule_outside_the_loaders():
    # the graph, queries, views and ontology read the records' fields; a regular expression with
    # Chinese in it, or the text normaliser, belongs to loaders/ (patterns.py and the modules that
    # apply its patterns), where a rule is one named thing in one place
    import re
    cjk = re.compile(r"[\u4e00-\u9fff]")
    regex_calls = {"compile", "sub", "subn", "search", "match", "fullmatch", "findall", "finditer", "split"}
    found = []
    files = [ROOT / "api.py", ROOT / "cli.py"] + [p for d in PACKAGE_DIRS if d != "loaders" for p in (ROOT / d).rglob("*.py")]
    for path in files:
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in regex_calls
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "re" and node.args
                    and isinstance(node.args[0], ast.Constant) and cjk.search(str(node.args[0].value))):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} regex {node.args[0].value[:30]}")
            if isinstance(node, ast.ImportFrom) and any(a.name == "normalise" for a in node.names):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports normalise")
    assert found == []


def test_the_tree_is_lint_clean():
    # ruff with the rules pyproject.toml names, over the package, its tests and benchmarks
    import shutil
    import subprocess
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is a test dependency: pip install -e '.[test]'"
    result = subprocess.run([ruff, "check", "--no-cache", str(ROOT)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_package_type_checks(tmp_path):
    # mypy with pyproject.toml's settings, over the package as `policykg` (the repository root is
    # the package: a link named policykg lets mypy see it by that name)
    import subprocess
    (tmp_path / "policykg").symlink_to(ROOT, target_is_directory=True)
    result = subprocess.run([sys.executable, "-m", "mypy", "-p", "policykg", "--config-file", str(ROOT / "pyproject.toml"),
                             "--cache-dir", str(tmp_path / "cache")], cwd=tmp_path, capture_output=True, text=True,
                            check=False)
    assert "No module named mypy" not in result.stderr, "mypy is a test dependency: pip install -e '.[test]'"
    assert result.returncode == 0, result.stdout[-3000:]


def test_every_error_is_a_policykg_error_and_an_unknown_document_is_one_kind_everywhere(tmp_path):
    import policykg
    from policykg import errors
    from policykg.graph import StoreError
    from policykg.loaders import ReadError
    from policykg.queries import QueryError
    from policykg.viz import FontError, ViewError
    for kind in (StoreError, ReadError, QueryError, ViewError, FontError, errors.ExportError, errors.NotFoundError):
        assert issubclass(kind, errors.PolicykgError) and kind.__module__ == "policykg.errors"
    db = tmp_path / "g.lbug"
    policykg.ingest([SAMPLES], db=db)
    for call in (lambda: policykg.trace("青政办〔1999〕1号", db=db),
                 lambda: policykg.query("trace-down", doc="青政办〔1999〕1号", db=db),
                 lambda: policykg.visualize(trace="青政办〔1999〕1号", out=tmp_path / "x.html", db=db)):
        with pytest.raises(errors.NotFoundError, match=r"^no document '青政办〔1999〕1号' in the store"):
            call()
