"""The extraction API: read a file, clean it, find its documents and their records."""
from __future__ import annotations

import gc
import hashlib
import os
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from .cleaning import clean
from .document import document
from .models import Extraction
from .readers import SUFFIXES, ReadError, read
from .segment import head_of, segment


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """Records of every document in `text` (already decoded)."""
    blocks = clean(text)
    parts = segment(blocks)
    docs = [document(blocks, text, start, title, end, head_of(blocks, start) if k == 0 else start)
            for k, (start, title, end) in enumerate(parts)]
    return Extraction(source=source, documents=docs)


def extract(path: str | Path) -> Extraction:
    """Records of every document in one file. Raises ReadError (one line: file and reason)."""
    src = read(path)
    result = extract_text(src.text, source_name(path))
    result.encoding = src.encoding
    result.content_hash = _with_rules(src.sha256)     # the bytes read once, for both
    return result


@lru_cache(maxsize=1)
def _rules_fingerprint() -> bytes:
    """What the extractor's rules are: the text of every loaders module. Records read by other
    rules are not the records these rules read, so a file is read again when they change."""
    digest = hashlib.sha256()
    for module in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.digest()


def _with_rules(bytes_sha256: str) -> str:
    return hashlib.sha256(_rules_fingerprint() + bytes_sha256.encode()).hexdigest()


def content_hash(path: str | Path) -> str | None:
    """A hash of a file's bytes and the extractor's rules: equal hashes, equal records (what
    extract() gives its Extraction). None for a file that cannot be read (its read reports why)."""
    digest = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                digest.update(chunk)
    except OSError:
        return None
    return _with_rules(digest.hexdigest())


def source_name(path: str | Path) -> str:
    """How a file is named in records and in the graph (`source`): its path, relative to the
    working folder when it lies inside it, so that two notice.txt in two folders stay apart and a
    store built in a project folder does not carry the user's home directory into what it
    publishes."""
    path = Path(path)
    if path.is_absolute():
        try:
            return path.relative_to(Path.cwd()).as_posix()
        except ValueError:
            return path.as_posix()
    return path.as_posix()


def iter_paths(paths: Iterable[str | os.PathLike] | str | os.PathLike) -> Iterator[Path]:
    """Files named, and the readable files of folders named (sorted, not recursive into hidden).
    One path alone is one path (a string is not read as its characters, each a path)."""
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for child in sorted(p.rglob("*")):
                if child.is_file() and not any(part.startswith(".") for part in child.relative_to(p).parts):
                    if child.suffix.lower() in SUFFIXES:
                        yield child
        else:
            yield p


def _extract_one(path: Path) -> tuple[Path, Extraction | None, ReadError | None]:
    try:
        return path, extract(path), None
    except ReadError as err:
        return path, None, err


def extract_many(paths: Iterable[str | os.PathLike] | str | os.PathLike, workers: int | None = 1
                 ) -> Iterator[tuple[Path, Extraction | None, ReadError | None]]:
    """Extract each file, in order; a bad file yields its error and the rest go on. workers > 1
    (None: one per core) extracts in that many processes, for big folders."""
    files = list(iter_paths(paths))
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers <= 1 or len(files) < 4 * workers:
        for p in files:
            yield _extract_one(p)
        return
    import multiprocessing
    # fork shares the loaded gazetteer and OpenCC with the workers; spawn would load them again
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else None
    # A worker forked while the parent has paused its garbage collector (graph.collector) turns
    # it back on: the extractor makes short-lived reference cycles. What the worker inherits is
    # frozen first, so its collector does not walk (and so copy) the parent's memory.
    gc.freeze()
    try:
        pool = multiprocessing.get_context(method).Pool(workers, initializer=gc.enable)
    finally:
        gc.unfreeze()
    with pool:
        yield from pool.imap(_extract_one, files, chunksize=16)
