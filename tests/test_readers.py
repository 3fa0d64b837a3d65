"""Readers: encodings detected (not guessed wrong silently), PDF/DOCX/HTML generated inside the
tests, and bad input refused with one line naming the file and the reason."""
import policykg
import pytest
from policykg.loaders import ReadError, read

NOTICE = ("海东市人民政府办公室关于印发测试工作任务的通知\n东政办〔2023〕47号\n各县区人民政府，市政府各部门：\n"
          "现印发给你们。\n2023年6月7日\n测试工作任务\n一、工作任务\n"
          "（一）完善机制。年内覆盖率达到70%以上。（市卫生健康委、市医保局，各县区政府按职责分工负责）\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16", "utf-16-le", "utf-16-be"])
def test_text_encodings(tmp_path, encoding):
    path = tmp_path / f"notice_{encoding}.txt"
    path.write_bytes(NOTICE.encode(encoding))
    src = read(path)
    assert src.text.lstrip("\ufeff") == NOTICE
    doc = policykg.extract(path).documents[0]
    assert doc.doc_number == "东政办〔2023〕47号"
    assert [d.name for d in doc.tasks[0].departments] == ["市卫生健康委", "市医保局", "各县区政府"]


@pytest.mark.parametrize("name,content,reason", [
    ("empty.txt", b"", "empty file"),
    ("blank.txt", b" \n\n\t ", "empty file"),
    ("binary.txt", bytes(range(256)) * 8, "binary file"),
    ("notes.xlsx", b"PK\x03\x04", "unsupported file type '.xlsx'"),
    ("broken.pdf", b"%PDF-1.4 this is not a pdf", "not a readable PDF"),
    ("broken.docx", b"PK\x03\x04 not a zip", "not a readable DOCX"),
    ("truncated.txt", b"\xff\xfe\x00", "starts like UTF-16 but is not"),
])
def test_bad_input_is_one_line_with_file_and_reason(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ReadError) as err:
        policykg.extract(path)
    message = str(err.value)
    assert "\n" not in message and str(path) in message and reason in message


def test_non_chinese_single_byte_text_is_not_guessed(tmp_path):
    # Latin-1 bytes also decode as GB18030 gibberish; refusing beats a silent wrong guess
    path = tmp_path / "latin.txt"
    path.write_bytes("café naïve résumé déjà vu, über straße. ".encode("latin-1") * 40)
    with pytest.raises(ReadError, match="encoding"):
        read(path)


def _pdf(path, lines, table=None, text_layer=True):
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK")
    story = [Paragraph(line, style) for line in lines] if text_layer else []
    if table:
        t = Table([[Paragraph(c, style) for c in row] for row in table], colWidths=[40, 200, 120, 100])
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
        story.append(t)
    if not story:
        from reportlab.platypus import Spacer
        story = [Spacer(10, 10)]
    SimpleDocTemplate(str(path), pagesize=A4).build(story)


def test_pdf_text_and_table(tmp_path):
    path = tmp_path / "plan.pdf"
    _pdf(path, NOTICE.strip().split("\n"), table=[
        ["序号", "重点任务", "责任部门", "配合部门"],
        ["1", "完善机制", "市卫生健康委", "市医保局"],
    ])
    src = read(path)
    assert "东政办〔2023〕47号" in src.text
    assert "1\t完善机制\t市卫生健康委\t市医保局" in src.text     # table rows keep their cells
    doc = policykg.extract(path).documents[0]
    assert doc.title == "海东市人民政府办公室关于印发测试工作任务的通知"
    assert doc.tasks[0].targets[0].value == 70


def test_pdf_without_text_layer_needs_ocr(tmp_path):
    path = tmp_path / "scan.pdf"
    _pdf(path, [], text_layer=False)
    with pytest.raises(ReadError, match="scanned PDF"):
        read(path)


def test_docx_paragraphs_and_tables(tmp_path):
    import docx
    document = docx.Document()
    for line in NOTICE.strip().split("\n"):
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([["序号", "责任单位", "完成时限"], ["1", "市财政局", "2024年12月底"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    path = tmp_path / "plan.docx"
    document.save(path)
    src = read(path)
    assert "1\t市财政局\t2024年12月底" in src.text
    doc = policykg.extract(path).documents[0]
    assert doc.doc_number == "东政办〔2023〕47号" and len(doc.tasks) == 1


def test_html_main_text(tmp_path):
    body = "".join(f"<p>{line}</p>" for line in NOTICE.strip().split("\n"))
    html = (f"<html><head><title>x</title></head><body><nav>首页 | 政务公开 | 联系我们</nav>"
            f"<article>{body}</article><footer>版权所有 网站标识码</footer></body></html>")
    path = tmp_path / "notice.html"
    path.write_text(html, encoding="utf-8")
    src = read(path)
    assert "东政办〔2023〕47号" in src.text and "版权所有" not in src.text
    assert policykg.extract(path).documents[0].tasks[0].path == ["一", "（一）"]


def test_a_read_error_survives_the_trip_from_a_worker_process():
    import pickle
    err = pickle.loads(pickle.dumps(ReadError("a/b.txt", "binary file, not text")))
    assert (err.path, err.reason, str(err)) == ("a/b.txt", "binary file, not text", "a/b.txt: binary file, not text")


def test_a_folder_with_one_bad_file_extracts_the_rest_in_worker_processes(tmp_path):
    from policykg.loaders import extract_many
    for k in range(9):
        (tmp_path / f"{k}.txt").write_text(f"某某工作方案\n1.推进工作{k}。（市财政局负责）\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    results = list(extract_many([tmp_path], workers=2))
    assert len(results) == 10
    assert [p.name for p, _, err in results if err] == ["bad.txt"]


def test_an_unreadable_file_is_one_line(tmp_path):
    import os
    path = tmp_path / "locked.txt"
    path.write_text("关于做好工作的通知", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK):
            pytest.skip("running as a user who can read any file (root)")
        with pytest.raises(ReadError, match="cannot be read"):
            read(path)
    finally:
        path.chmod(0o644)


def test_a_stray_nul_does_not_make_utf8_text_utf16(tmp_path):
    path = tmp_path / "nul.txt"
    path.write_bytes("某某市人民政府关于做好工作的通知\n".encode() + b"\x00" + "各县区：\n".encode())
    src = read(path)
    assert src.encoding == "utf-8" and "关于做好工作的通知" in src.text


def test_a_fifo_is_refused_not_waited_on(tmp_path):
    import os
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ReadError, match="not a regular file"):
        read(fifo)


def test_a_control_character_does_not_lose_a_page(tmp_path):
    path = tmp_path / "page.html"
    body = "<p>某某县人民政府关于做好春耕工作的通知</p>" + "<p>各乡镇人民政府：现将有关事项通知如下。&#x1b;</p>" * 5
    path.write_text(f"<html><body><article>{body}</article></body></html>", encoding="utf-8")
    assert "关于做好春耕工作的通知" in read(path).text


def test_control_characters_become_spaces_so_spans_stay_where_they_were(tmp_path):
    path = tmp_path / "notice.txt"
    text = NOTICE.replace("测试工作任务的通知", "测试\x1b[31m工作任务\x07的通知", 1).replace("现印发", "现\x0c印发")
    path.write_text(text, encoding="utf-8")
    read_back = read(path).text
    assert len(read_back) == len(text)
    assert not [c for c in read_back if ord(c) < 32 and c not in "\t\n\r"]
    [doc] = policykg.extract(path).documents
    assert "\x1b" not in doc.title and "\x07" not in doc.title
    start, end = doc.tasks[0].span.start, doc.tasks[0].span.end
    assert text[start:end] == read_back[start:end]


def test_a_docx_that_inflates_past_the_limit_is_refused_before_it_is_unzipped(tmp_path, monkeypatch):
    import zipfile

    import docx
    from policykg.loaders import readers
    path = tmp_path / "bomb.docx"
    document = docx.Document()
    document.add_paragraph(NOTICE)
    document.save(path)
    with zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/media/padding.bin", b"\0" * 3_000_000)     # deflates to a few KB
    assert path.stat().st_size < 100_000
    monkeypatch.setattr(readers, "MAX_DOCX_INFLATED", 2_000_000)
    with pytest.raises(ReadError, match=r"bomb.docx: too large to be one document once unzipped \(4 MB; the limit is 2 MB\)"):
        read(path)
    monkeypatch.setattr(readers, "MAX_DOCX_INFLATED", 8_000_000)
    assert "东政办〔2023〕47号" in read(path).text


def test_a_pdf_with_more_pages_than_any_document_is_refused(tmp_path, monkeypatch):
    from policykg.loaders import readers
    from reportlab.pdfgen import canvas
    path = tmp_path / "long.pdf"
    c = canvas.Canvas(str(path))
    for i in range(3):
        c.drawString(72, 720, f"page {i}")
        c.showPage()
    c.save()
    monkeypatch.setattr(readers, "MAX_PDF_PAGES", 2)
    with pytest.raises(ReadError, match=r"long.pdf: too many pages to be one document \(3; the limit is 2\)"):
        read(path)


def _encrypted_pdf(path, user_password):
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), encrypt=StandardEncryption(user_password, "owner-secret", canCopy=0))
    c.setFont("STSong-Light", 12)
    for i, line in enumerate(NOTICE.strip().split("\n")):
        c.drawString(72, 760 - 18 * i, line)
    c.save()


def test_an_encrypted_pdf_is_one_line_not_an_empty_document(tmp_path):
    """Before: a PDF with only an owner password gave one document with no title and no tasks
    (its text came out as (cid:…) glyph numbers), exit 0."""
    owner_only, with_password = tmp_path / "owner.pdf", tmp_path / "user.pdf"
    _encrypted_pdf(owner_only, "")
    _encrypted_pdf(with_password, "reader")
    from policykg.loaders import ocr
    if ocr.available():
        # PDFium decrypts what only an owner password guards: OCR reads the page drawn
        assert "海东市人民政府办公室" in read(owner_only).text.replace(" ", "")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ocr, "available", lambda: False)
        with pytest.raises(ReadError, match=r"owner.pdf: PDF text layer cannot be decoded .*needs OCR: pip install"):
            read(owner_only)
    with pytest.raises(ReadError, match=r"user.pdf: encrypted PDF: it opens only with its password"):
        read(with_password)
