"""Read a file into text. Tables from PDF, DOCX and HTML come out one row a line with the cells
separated by tabs, so the extractor can read their columns; prose comes out as printed."""
from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import ReadError
from . import ocr

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}     # page images: read by OCR (loaders.ocr)
# Word 97-2003, WPS Office, RTF and OpenDocument: LibreOffice turns them into DOCX, read as DOCX
OFFICE_SUFFIXES = {".doc", ".wps", ".rtf", ".odt"}
SUFFIXES = TEXT_SUFFIXES | IMAGE_SUFFIXES | OFFICE_SUFFIXES | {".pdf", ".docx", ".ofd", ".html", ".htm"}
OFFICE_TIMEOUT = 120          # seconds LibreOffice may take to convert one file
CELL_SEP = "\t"
# no policy document comes near these; a file over one is refused before it is read into memory
MAX_BYTES = 64_000_000
# a DOCX is a zip: what it says its parts inflate to (zipfile never inflates a part beyond the size
# it declares, so the declared sizes bound the memory), and how many parts it has
MAX_DOCX_INFLATED = 256_000_000
MAX_DOCX_PARTS = 10_000
MAX_PDF_PAGES = 2_000


@dataclass
class SourceText:
    path: str
    text: str
    encoding: str | None
    kind: str           # txt | pdf | docx | ofd | doc | wps | rtf | odt | html | ocr (a scanned PDF or an image)
    sha256: str = ""    # of the file's bytes, as read
    layout: list = field(default_factory=list)   # OCR: each line's page, box and offset (loaders.ocr.OcrLine)

    def where(self, offset: int):
        """The OCR line (page and box) holding a character offset of the text, or None."""
        import bisect
        if not self.layout:
            return None
        i = bisect.bisect_right([ln.offset for ln in self.layout], offset) - 1
        return self.layout[i] if i >= 0 else None


def read(path: str | Path) -> SourceText:
    path = Path(path)
    if not path.exists():
        raise ReadError(path, "no such file")
    if path.is_dir():
        raise ReadError(path, "is a folder, not a file")
    if not path.is_file():
        # a FIFO or a device (/dev/zero) would block or never end
        raise ReadError(path, "not a regular file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise ReadError(path, f"too large to be one document ({size / 1e6:.0f} MB; the limit is "
                              f"{MAX_BYTES / 1e6:.0f} MB)")
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise ReadError(path, f"unsupported file type '{suffix or '(none)'}' "
                              f"(readable: {', '.join(sorted(SUFFIXES))})")
    try:
        data = path.read_bytes()
    except OSError as exc:      # unreadable (permissions, a vanished file): one line, not a traceback
        raise ReadError(path, f"cannot be read ({exc.strerror or type(exc).__name__})") from None
    if not data.strip():
        raise ReadError(path, "empty file")
    enc: str | None = None
    layout: list = []           # OCR lines (loaders.ocr.OcrLine), where OCR read the text
    if suffix in TEXT_SUFFIXES:
        text, enc = decode_text(data, path)
        kind = "txt"
    elif suffix == ".pdf":
        text, layout = read_pdf(path)
        kind = "ocr" if layout else "pdf"      # no text layer: what OCR read
    elif suffix in IMAGE_SUFFIXES:
        text, layout = _ocr(path, "image", lambda: ocr.ocr_image(path))
        kind = "ocr"
    elif suffix == ".docx":
        text, kind = read_docx(path), "docx"
    elif suffix == ".ofd":
        text, kind = read_ofd(path), "ofd"
    elif suffix in OFFICE_SUFFIXES:
        text, kind = read_office(path), suffix[1:]
    else:
        text, enc = decode_text(data, path)
        text, kind = html_main_text(text, path), "html"
    if _ANY_CONTROL.search(text):
        text = text.translate(_CONTROL_AS_SPACE)
    if not text.strip():
        raise ReadError(path, "no text in file")
    return SourceText(str(path), text, enc, kind, hashlib.sha256(data).hexdigest(), layout)


def _ocr(path: Path, what: str, run) -> tuple[str, list]:
    """The text OCR read and its lines, or a one-line error: the engine missing (and how to
    install it), a file it cannot open."""
    if not ocr.available():
        raise ReadError(path, f"a {what} without a text layer needs OCR: {ocr.INSTALL}")
    try:
        lines = run()
    except ReadError:
        raise
    except Exception as exc:     # PIL, PDFium and onnxruntime raise many unrelated types for a bad file
        raise ReadError(path, f"not a readable {what} ({type(exc).__name__}: {str(exc)[:120]})") from None
    if not lines:
        raise ReadError(path, f"OCR found no text in the {what}")
    return ocr.assemble(lines), lines


# Control characters are never part of a document's words, and one of them makes RDF/XML
# ill-formed or a terminal obey it. Each becomes one space (a vertical tab or form feed a line
# break), so offsets into the text, and so every span, stay as they were.
_C0_CONTROLS = tuple(c for c in range(32) if c not in (9, 10, 13))   # all but tab and line breaks
_CONTROL_AS_SPACE = {c: " " for c in (*_C0_CONTROLS, 127, *range(0x80, 0xA0))} | {0x0B: "\n", 0x0C: "\n"}
# most texts hold none: found first, since translating a whole text looks up every character
_ANY_CONTROL = re.compile("[" + re.escape("".join(map(chr, _CONTROL_AS_SPACE))) + "]")


def decode_text(data: bytes, path: Path) -> tuple[str, str]:
    """UTF-8 (with or without BOM), UTF-16 (BOM or NUL pattern), else GB18030/GBK via
    charset-normalizer. A file that decodes as nothing plausible is refused, not guessed."""
    for bom, enc in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
                     (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as error:
                raise ReadError(path, f"starts like {enc.upper()} but is not: {error.reason} "
                                      f"at byte {error.start}") from None
    sample = data[:4096]
    if b"\x00" in sample and not _mostly_nul(sample):
        # a stray NUL in a UTF-8 file is not UTF-16: read it as UTF-8 without the NULs
        try:
            return data.replace(b"\x00", b"").decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    if b"\x00" in sample:
        # UTF-16 without BOM puts a NUL in every ASCII code unit; anything else with NULs is binary
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        for enc, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
            if zeros:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _looks_like_text(text):
                    return text, enc
        raise ReadError(path, "binary file, not text")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes
    best = from_bytes(data).best()
    if best is not None:
        enc = best.encoding
        # GB2312/GBK are subsets of GB18030: decode with the superset so rare characters survive
        if enc.replace("_", "").lower() in {"gb2312", "gbk", "gb18030", "hz"}:
            enc = "gb18030"
        try:
            guessed: str | None = data.decode(enc)
        except (UnicodeDecodeError, LookupError):
            guessed = None
        # a guessed single-byte encoding that yields no Chinese is a wrong guess, not a document
        if guessed is not None and _looks_like_text(guessed) and _cjk_share(guessed) >= 0.3:
            return guessed, enc
    raise ReadError(path, "cannot tell the text encoding (not UTF-8, UTF-16 or GB18030)")


def _mostly_nul(sample: bytes) -> bool:
    """UTF-16 text puts a NUL in most code units of ASCII and in some of CJK; a text file with a
    stray NUL has a handful."""
    return sample.count(0) >= max(4, len(sample) // 20)


def _cjk_share(text: str) -> float:
    sample = [ch for ch in text[:4000] if not ch.isspace()]
    if not sample:
        return 0.0
    return sum(1 for ch in sample if "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
               or "\uff00" <= ch <= "\uffef") / len(sample)


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    bad = sum(1 for ch in text[:4000] if (ord(ch) < 32 and ch not in "\r\n\t\f") or ch == "\ufffd")
    return bad / min(len(text), 4000) < 0.01


def read_pdf(path: Path) -> tuple[str, list]:
    """(text, []) from the text layer, pages without one read by OCR when it is installed; a PDF
    with no usable text layer at all gives (what OCR read, its lines)."""
    import pdfplumber
    try:
        pdf = pdfplumber.open(path)
    except Exception as exc:  # pdfminer raises several unrelated types for a broken file
        if any(type(a).__name__ == "PDFPasswordIncorrect" for a in exc.args):
            raise ReadError(path, "encrypted PDF: it opens only with its password") from None
        raise ReadError(path, f"not a readable PDF ({type(exc).__name__})") from None
    pages = []
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise ReadError(path, f"too many pages to be one document ({len(pdf.pages)}; "
                                  f"the limit is {MAX_PDF_PAGES})")
        for page in pdf.pages:
            tables = page.find_tables()
            if tables:
                outside = page
                for t in tables:
                    outside = outside.outside_bbox(t.bbox)
                parts = [outside.extract_text() or ""]
                for t in tables:
                    parts.append(table_lines(t.extract()))
                pages.append("\n".join(parts))
            else:
                pages.append(page.extract_text() or "")
    text = "\n".join(pages)
    if not text.strip():
        return _ocr(path, "scanned PDF", lambda: ocr.ocr_pdf(path))
    blank = [i for i, p in enumerate(pages) if not p.strip()]
    if blank and ocr.available():
        # a text PDF with some pages scanned (a signed page, an attachment): OCR just those
        by_page: dict[int, list] = {}
        for ln in ocr.ocr_pdf(path, blank):
            by_page.setdefault(ln.page - 1, []).append(ln.text)
        pages = [("\n".join(by_page.get(i, [])) if i in blank else p) for i, p in enumerate(pages)]
        text = "\n".join(pages)
    # pdfminer writes (cid:1234) for a glyph whose font has no map to Unicode (seen with
    # encrypted PDFs and with fonts embedded without one): such a text layer is not the words
    unmapped = sum(len(m) for m in _UNMAPPED_GLYPH.findall(text))
    if unmapped > len("".join(text.split())) / 2:
        if ocr.available():
            return _ocr(path, "PDF", lambda: ocr.ocr_pdf(path))
        raise ReadError(path, "PDF text layer cannot be decoded (its glyphs have no map to "
                              f"Unicode); it needs OCR: {ocr.INSTALL}")
    return text, []


_UNMAPPED_GLYPH = re.compile(r"\(cid:\d+\)")


def table_lines(rows: list[list[str | None]]) -> str:
    """One row a line, cells joined by a tab; a cell's own line breaks are wraps, so removed."""
    out = []
    for row in rows:
        cells = [(c or "").replace("\n", "").replace(CELL_SEP, " ").strip() for c in row]
        if any(cells):
            out.append(CELL_SEP.join(cells))
    return "\n".join(out)


def _check_zip_size(path: Path, what: str = "DOCX") -> list[str]:
    """A DOCX or an OFD is a zip package: refused before it is opened when its parts are too many
    or would inflate to too much. Returns the names of its parts."""
    import zipfile
    try:
        with zipfile.ZipFile(path) as z:
            parts = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(path, f"not a readable {what} ({type(exc).__name__})") from None
    if len(parts) > MAX_DOCX_PARTS:
        raise ReadError(path, f"not a plausible {what} ({len(parts)} parts; the limit is {MAX_DOCX_PARTS})")
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_DOCX_INFLATED:
        raise ReadError(path, f"too large to be one document once unzipped ({inflated / 1e6:.0f} MB; "
                              f"the limit is {MAX_DOCX_INFLATED / 1e6:.0f} MB)")
    return [part.filename for part in parts]


def read_docx(path: Path) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph
    _check_zip_size(path)
    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises zipfile/KeyError/ValueError for broken files
        raise ReadError(path, f"not a readable DOCX ({type(exc).__name__})") from None
    out = []
    # body order matters: a task table sits between the paragraphs that introduce it
    for child in document.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            out.append(Paragraph(child, document).text)
        elif tag == "tbl":
            table = Table(child, document)
            out.append(table_lines([[cell.text for cell in row.cells] for row in table.rows]))
    return "\n".join(out)


# ofdkit joins the pieces of a printed line with three spaces where the gap between them is wider
# than one and a half characters: the cells of a table row (or the columns of a 版记 line)
_OFD_PIECE_GAP = re.compile(r"(?<=\S) {3}(?=\S)")


def read_ofd(path: Path) -> str:
    """An OFD file (GB/T 33190, the fixed-layout format many agencies publish in): each page's text
    in reading order by ofdkit, which places every text object by its position and glyph advances
    and reads the files of 数科 (Suwell), iOFD and WPS writers; a table row is one line with its
    cells separated by tabs, as read_docx gives it. Page numbers (— 1 —) stay, for the cleaning
    to drop as a PDF's."""
    import zipfile

    import ofdkit
    with path.open("rb") as f:
        head = f.read(4)
    if head != b"PK\x03\x04":
        raise ReadError(path, "not an OFD file (an OFD is a zip package; its first bytes are not one's)")
    # GB/T 33190's encryption puts Encryptions.xml beside OFD.xml and enciphers the parts
    if any(name.lower().lstrip("/") == "encryptions.xml" for name in _check_zip_size(path, "OFD file")):
        raise ReadError(path, "encrypted OFD: it opens only with its key")
    try:
        with ofdkit.open(path) as document:
            if len(document.pages) > MAX_PDF_PAGES:
                raise ReadError(path, f"too many pages to be one document ({len(document.pages)}; "
                                      f"the limit is {MAX_PDF_PAGES})")
            pages = [page.text() for page in document.pages]
    except ofdkit.OFDLimitError as exc:
        raise ReadError(path, f"too large to be one document ({exc})") from None
    except (ofdkit.OFDError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise ReadError(path, f"not a readable OFD file ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__})") from None
    return "\n".join(_OFD_PIECE_GAP.sub(CELL_SEP, line) for page in pages for line in page.splitlines())


# the first bytes of each office format: Word 97 and WPS are OLE compound files, ODF is a zip
_OFFICE_MAGIC = {".doc": b"\xd0\xcf\x11\xe0", ".wps": b"\xd0\xcf\x11\xe0", ".odt": b"PK\x03\x04", ".rtf": b"{\\rtf"}


def read_office(path: Path) -> str:
    """A .doc, .wps, .rtf or .odt file: LibreOffice (headless, a profile of its own so a desktop
    LibreOffice left open does not block it) converts it to DOCX, which read_docx reads, tables
    as rows. Written by hand around the soffice command because no maintained Python library
    reads Word 97 binaries with their tables."""
    import shutil
    import subprocess
    import tempfile
    with path.open("rb") as f:
        head = f.read(8)
    if not head.startswith(_OFFICE_MAGIC[path.suffix.lower()]):
        # LibreOffice opens almost anything (plain text too): a file must be what its name says
        raise ReadError(path, f"not a {path.suffix.lower()} file (its first bytes are not that format's)")
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice:
        raise ReadError(path, f"a {path.suffix.lower()} file needs LibreOffice to be read: "
                              "apt install libreoffice-writer-nogui (Debian/Ubuntu), or install LibreOffice")
    with tempfile.TemporaryDirectory(prefix="policykg-office-") as work:
        out = Path(work)
        # the input is copied under a plain name: LibreOffice reads a leading "-" as an option
        plain = out / f"in{path.suffix.lower()}"
        shutil.copyfile(path, plain)
        try:
            run = subprocess.run([soffice, f"-env:UserInstallation=file://{out / 'profile'}", "--headless",
                                  "--norestore", "--convert-to", "docx", "--outdir", str(out / "docx"), str(plain)],
                                 capture_output=True, text=True, timeout=OFFICE_TIMEOUT, check=False)
        except subprocess.TimeoutExpired:
            raise ReadError(path, f"LibreOffice did not convert it within {OFFICE_TIMEOUT} s") from None
        converted = out / "docx" / "in.docx"
        if run.returncode != 0 or not converted.exists():
            # LibreOffice says nothing useful for a file it cannot open; its format is the likely cause
            raise ReadError(path, f"not a readable {path.suffix.lower()} file (LibreOffice could not open it)")
        return read_docx(converted)


_CONTROL = dict.fromkeys(_C0_CONTROLS)
_CONTROL_REF = re.compile(r"&#(?:[xX]0*([0-9a-fA-F]{1,2})|0*(\d{1,2}));")


def _no_control(html: str) -> str:
    """The page without control characters, written or as references (&#x1b;): one of them makes
    the HTML parser refuse the whole page."""
    def ref(m: re.Match) -> str:
        code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
        return "" if code in _CONTROL else m.group(0)
    return _CONTROL_REF.sub(ref, html.translate(_CONTROL))


def html_main_text(html: str, path: Path) -> str:
    import trafilatura
    html = _no_control(html)
    text = trafilatura.extract(html, include_tables=True, include_comments=False,
                               favor_recall=True)
    if not text:
        raise ReadError(path, "no main text found in the HTML page")
    # trafilatura renders table rows as '| a | b |'; turn them into tab-separated cells
    lines = []
    for line in text.splitlines():
        s = line.strip()
        if s.startswith("|") and s.endswith("|") and s.count("|") >= 3:
            if set(s) <= set("|-: "):
                continue
            lines.append(CELL_SEP.join(c.strip() for c in s.strip("|").split("|")))
        else:
            lines.append(line)
    return "\n".join(lines)
