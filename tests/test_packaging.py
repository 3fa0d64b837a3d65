"""The declared dependencies are what the package imports: nothing imported that a fresh install
lacks, nothing declared that no code uses."""
import ast
import sys
import tomllib

from tests.conftest import ROOT

# import name → distribution name, where they differ
DISTRIBUTION = {"docx": "python-docx", "charset_normalizer": "charset-normalizer", "sklearn": "scikit-learn"}
# declared but never imported by policykg's own code, and why
NEEDED_BY_OTHERS = {"lxml_html_clean": "trafilatura imports it with lxml >= 5.2"}
PACKAGE_DIRS = ["graph", "loaders", "ontology", "queries", "viz"]


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]
    names = set()
    for spec in project["dependencies"]:
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
