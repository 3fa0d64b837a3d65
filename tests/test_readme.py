"""The README's Python examples run, and print what the README says they print (the comment line
under each print)."""
import contextlib
import io
import re

from tests.conftest import ROOT

PYTHON_BLOCK = re.compile(r"```python\n(.*?)```", re.DOTALL)


def test_every_python_example_prints_what_the_readme_shows(tmp_path, monkeypatch):
    blocks = PYTHON_BLOCK.findall((ROOT / "README.md").read_text("utf-8"))
    assert blocks
    monkeypatch.chdir(ROOT)          # the examples name samples/… relative to a clone's root
    for block in blocks:
        lines = block.splitlines()
        expected = [lines[i + 1][2:] for i, line in enumerate(lines[:-1])
                    if line.startswith("print(") and lines[i + 1].startswith("# ")]
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(block, "README.md", "exec"), {"__name__": "readme"})
        assert out.getvalue().splitlines() == expected, block
