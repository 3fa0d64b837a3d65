"""The extraction API: read a file, clean it, find its documents and their records."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from .clean import clean
from .models import Extraction
from .readers import SUFFIXES, ReadError, read
from .structure import document, segment


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Records of every document in `text` (already decoded)."""
    blocks = clean(text)
    docs = [document(blocks, text, start, title, end) for start, title, end in segment(blocks)]
    return Extraction(source=source, documents=docs)


def extract(path: str | Path) -> Extraction:
    """Records of every document in one file. Raises ReadError (one line: file and reason)."""
    src = read(path)
    result = extract_text(src.text, Path(path).name)
    result.encoding = src.encoding
    return result


def iter_paths(paths: Iterable[str | Path]) -> Iterator[Path]:
    """Files named, and the readable files of folders named (sorted, not recursive into hidden)."""
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(p).parts):
                    if child.suffix.lower() in SUFFIXES:
                        yield child
        else:
            yield p


def extract_many(paths: Iterable[str | Path]) -> Iterator[tuple[Path, Extraction | None, ReadError | None]]:
    """Extract each file; a bad file yields its error and the rest go on."""
    for p in iter_paths(paths):
        try:
            yield p, extract(p), None
        except ReadError as err:
            yield p, None, err
