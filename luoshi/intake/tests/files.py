"""Real files built inside the tests: Word documents with python-docx, hostile ones by hand."""

import io
import zipfile

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn


def docx_bytes(paragraphs: list[str], *, table: list[list[str]] | None = None, title: str = "") -> bytes:
    document = docx.Document()
    if title:
        document.core_properties.title = title
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, cells in enumerate(table):
            for c, value in enumerate(cells):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def numbered_docx(items: list[tuple[int, str]]) -> bytes:
    """Paragraphs numbered by Word itself: level 0 is 一、, level 1 is (一); the text has no marker."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    abstract = OxmlElement("w:abstractNum")
    abstract.set(qn("w:abstractNumId"), "90")
    for ilvl, (fmt, text) in enumerate([("chineseCounting", "%1、"), ("chineseCounting", "(%2)")]):
        lvl = OxmlElement("w:lvl")
        lvl.set(qn("w:ilvl"), str(ilvl))
        for tag, value in (("w:start", "1"), ("w:numFmt", fmt), ("w:lvlText", text)):
            element = OxmlElement(tag)
            element.set(qn("w:val"), value)
            lvl.append(element)
        abstract.append(lvl)
    numbering.insert(0, abstract)
    num = OxmlElement("w:num")
    num.set(qn("w:numId"), "90")
    ref = OxmlElement("w:abstractNumId")
    ref.set(qn("w:val"), "90")
    num.append(ref)
    numbering.append(num)
    for level, text in items:
        paragraph = document.add_paragraph(text)
        p_pr = paragraph._p.get_or_add_pPr()
        num_pr = OxmlElement("w:numPr")
        ilvl = OxmlElement("w:ilvl")
        ilvl.set(qn("w:val"), str(level))
        num_id = OxmlElement("w:numId")
        num_id.set(qn("w:val"), "90")
        num_pr.append(ilvl)
        num_pr.append(num_id)
        p_pr.append(num_pr)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def rewrite_part(content: bytes, name: str, data: bytes) -> bytes:
    """The same .docx with one part replaced."""
    source = zipfile.ZipFile(io.BytesIO(content))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, data if info.filename == name else source.read(info.filename))
    return buffer.getvalue()


def xxe_docx() -> bytes:
    content = docx_bytes(["第一,必须做好安全生产。"])
    document = zipfile.ZipFile(io.BytesIO(content)).read("word/document.xml")
    hostile = document.replace(
        b"?>", b'?>\n<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', 1
    ).replace("必须做好安全生产".encode(), b"&xxe;")
    return rewrite_part(content, "word/document.xml", hostile)


def zip_bomb_docx(unzipped_bytes: int) -> bytes:
    """A valid-looking .docx with one part that inflates to `unzipped_bytes` of zeros."""
    content = docx_bytes(["要抓好落实。"])
    buffer = io.BytesIO()
    source = zipfile.ZipFile(io.BytesIO(content))
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
        with target.open("word/media/padding.bin", "w", force_zip64=True) as member:
            chunk = b"\0" * (1 << 20)
            for _ in range(unzipped_bytes // len(chunk)):
                member.write(chunk)
    return buffer.getvalue()


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def encrypted_office() -> bytes:
    """What Word writes for a password-protected .docx: an OLE container holding EncryptedPackage."""
    return OLE + b"\0" * 512 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 512


def old_doc() -> bytes:
    return OLE + b"\0" * 512 + "WordDocument".encode("utf-16-le") + b"\0" * 512


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def text_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a real text layer (Latin text in Helvetica)."""
    content = "BT /F1 12 Tf 72 760 Td 14 TL " + " ".join(f"({line}) '" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(content)} >>\nstream\n{content}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode("latin-1")
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += "".join(f"{offset:010d} 00000 n \n" for offset in offsets).encode()
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def style_numbered_docx(texts: list[str]) -> bytes:
    """Numbering that comes from the paragraph style (as 标题 styles in a template do), not the paragraph."""
    from docx.enum.style import WD_STYLE_TYPE

    content = numbered_docx([])
    document = docx.Document(io.BytesIO(content))
    style = document.styles.add_style("要点", WD_STYLE_TYPE.PARAGRAPH)
    p_pr = style.element.get_or_add_pPr()
    num_pr = OxmlElement("w:numPr")
    num_id = OxmlElement("w:numId")
    num_id.set(qn("w:val"), "90")
    num_pr.append(num_id)
    p_pr.append(num_pr)
    for text in texts:
        document.add_paragraph(text, style="要点")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
