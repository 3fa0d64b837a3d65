"""The `policykg` command: a thin shell over the Python API (every command has a Python twin)."""
from __future__ import annotations

import json
import sys
from contextlib import nullcontext
from pathlib import Path

import click

from .api import summary_lines
from .loaders import extract_many
from .loaders.extract import iter_paths


def _dump(obj) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=1)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="policykg")
def main():
    """Trace policy lineage in Chinese government documents."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print records as JSON (the gold format plus spans).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write one JSON file per input file into this folder.")
def extract(paths, as_json, out_dir):
    """Extract documents, tasks, departments, targets and citations from files or folders.

    Python: policykg.extract(path) for one file, policykg.extract_many(paths) for several.
    """
    files = list(iter_paths(paths))
    results, failed = [], 0
    show_progress = len(files) > 1 and sys.stderr.isatty()
    with click.progressbar(files, label="extracting", file=sys.stderr) if show_progress else nullcontext(files) as bar:
        for path, result, error in extract_many(bar):
            if error is not None:
                failed += 1
                click.echo(f"policykg: error: {error}", err=True)
                continue
            results.append(result)
            if out_dir:
                out_dir.mkdir(parents=True, exist_ok=True)
                target = out_dir / (path.stem + ".json")
                tmp = target.with_suffix(".json.part")
                tmp.write_text(_dump(result.to_dict()), encoding="utf-8")
                tmp.replace(target)  # never leave a half-written file behind
    if not out_dir:
        if as_json:
            dicts = [r.to_dict() for r in results]
            single = len(paths) == 1 and Path(paths[0]).is_file()
            click.echo(_dump(dicts[0] if single and dicts else dicts))
        else:
            for r in results:
                click.echo("\n".join(summary_lines(r)))
    if failed:
        click.echo(f"policykg: {failed} of {len(files)} file(s) failed", err=True)
        sys.exit(1)


@main.command()
def demo():
    """Extract the bundled sample documents and print what was found.

    Python: policykg.demo()
    """
    from .api import demo as run_demo
    for line in run_demo():
        click.echo(line)


if __name__ == "__main__":
    main()
