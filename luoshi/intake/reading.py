"""Reading a document into paragraphs of plain text: .docx, .txt, .pdf with a text layer, or pasted text.

Every refusal is an `ActionError` in Chinese that says what to do; nothing here writes to the database.
The checks look at the bytes, never only at the file name (as work/attachments.py does):

- a .docx is a zip of XML; it is opened only after its declared unzipped size is within the limit
  (a zip bomb cannot inflate past what its directory declares: zipfile stops at that size) and
  after every XML part is checked to declare no DTD or entity (XXE, "billion laughs");
- an encrypted Office file is an OLE container holding an `EncryptedPackage`; an old .doc is an
  OLE container holding a `WordDocument`;
- a .txt is UTF-8 (with or without BOM), UTF-16 with a BOM, or GB18030 (which covers GBK);
- a scraped preview of a document-sharing site loses its header, footer and page markers here,
  so that the outline and the sentences are read on the speech's own words.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from docx.enum.style import WD_STYLE_TYPE

from luoshi.lib.errors import ActionError

ACCEPT = ".docx,.txt,.pdf"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# Tables carry decisions in minutes: their cells are joined with this, and a row is one "sentence".
CELL_SEPARATOR = " | "


@dataclass
class SourceDocument:
    """A document as plain paragraphs; offsets of requirements are counted in these strings."""

    title: str
    paragraphs: list[str]
    kind: str
    name: str = ""
    # Paragraph indexes that are rows of a table.
    table_rows: set[int] = field(default_factory=set)
    # What the reading removed or noticed, shown on the review page.
    notes: list[str] = field(default_factory=list)
    date: date | None = None
    date_how: str = ""
    # A table row's cells column by column, blanks kept: which column a unit or a date is in.
    table_cells: dict[int, list[str]] = field(default_factory=dict)

    @property
    def chars(self) -> int:
        return sum(len(p) for p in self.paragraphs)


def _limit_text(text: str, where: str) -> None:
    limit = settings.LUOSHI_MAX_TEXT_CHARS
    if len(text) > limit:
        raise ActionError(
            f"{where}共 {len(text):,} 字,超过 {limit:,} 字的上限。请只上传需要分解的讲话或纪要,或拆成几份分别上传。"
        )


# --- Sniffing ---------------------------------------------------------------


def _ole_kind(content: bytes) -> str:
    """What an OLE container holds: an encrypted Office file or an old binary document."""
    if "EncryptedPackage".encode("utf-16-le") in content:
        return "encrypted"
    return "ole"


def read_upload(name: str, content: bytes, *, kind_hint: str = "") -> SourceDocument:
    """Read an uploaded file, by what its bytes are, after checking that they agree with its name."""
    name = PurePath(name or "文件").name[:200]
    limit = settings.LUOSHI_MAX_DOCUMENT_BYTES
    if len(content) > limit:
        raise ActionError(
            f"文件“{name}”大小为 {filesizeformat(len(content))},超过 {filesizeformat(limit)} 的上限。"
            "请删去图片后另存,或只上传讲话正文。"
        )
    if not content.strip():
        raise ActionError(f"文件“{name}”是空的,没有可分解的文字。")
    extension = PurePath(name).suffix.lower().lstrip(".")
    if content.startswith(_OLE):
        if _ole_kind(content) == "encrypted":
            raise ActionError(
                f"文件“{name}”设置了打开密码,无法读取。请在 Word 中取消密码(文件→信息→保护文档)后再上传。"
            )
        raise ActionError(
            f"文件“{name}”是旧版 Word 97-2003 格式(.doc)。请在 Word 或 WPS 中“另存为”.docx 格式后再上传。"
        )
    if extension in ("doc", "wps"):
        raise ActionError(f"文件“{name}”的扩展名是“.{extension}”,请另存为 .docx 格式后再上传。")
    if extension == "docx":
        if not content.startswith(b"PK\x03\x04"):
            raise ActionError(f"文件“{name}”的内容不是 Word 文档(.docx),与扩展名不符,可能已损坏或被改名。")
        return read_docx(name, content)
    if extension == "pdf":
        if not content.startswith(b"%PDF-"):
            raise ActionError(f"文件“{name}”的内容不是 PDF,与扩展名不符,可能已损坏或被改名。")
        return read_pdf(name, content)
    if extension in ("txt", "text", ""):
        if content.startswith((b"PK\x03\x04", b"%PDF-", b"\x89PNG", b"\xff\xd8\xff")):
            raise ActionError(f"文件“{name}”的内容不是纯文本,与扩展名“.{extension or 'txt'}”不符,请检查后重新上传。")
        return read_text_bytes(name, content)
    raise ActionError(f"不支持“.{extension}”文件。请上传 Word(.docx)、PDF 或纯文本(.txt),或直接粘贴文字。")


# --- .docx ------------------------------------------------------------------


def _check_zip(name: str, content: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ActionError(f"文件“{name}”已损坏,无法作为 Word 文档打开。请用 Word 打开后重新保存再上传。") from None
    with archive:
        infos = archive.infolist()
        if any(info.flag_bits & 0x1 for info in infos):
            raise ActionError(f"文件“{name}”设置了密码,无法读取。请取消密码后再上传。")
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names or "word/document.xml" not in names:
            raise ActionError(f"文件“{name}”不是 Word 文档(.docx),与扩展名不符,可能已损坏或被改名。")
        unzipped = sum(info.file_size for info in infos)
        limit = settings.LUOSHI_MAX_DOCUMENT_UNZIPPED_BYTES
        if unzipped > limit:
            raise ActionError(
                f"文件“{name}”解压后达 {filesizeformat(unzipped)},超过 {filesizeformat(limit)} 的上限,"
                "可能是恶意构造的压缩包(“压缩炸弹”),已拒绝。"
            )
        for info in infos:
            if info.filename.endswith((".xml", ".rels")):
                _check_part(name, archive, info)


# A DTD can come after a comment of any length: every XML part is read through, streaming, with a tail
# kept so that a marker split between two pieces is still seen.
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
_TAG = re.compile(rb"<[^>]*>")


def _check_part(name: str, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Refuse a part that declares a DTD, that does not unpack, or (the body) whose text is past the limit.

    The body's characters are counted before python-docx builds a tree of it: a 66-million-character
    document would cost far more than the text itself once parsed.
    """
    counting = info.filename == "word/document.xml"
    limit = settings.LUOSHI_MAX_TEXT_CHARS
    chars, tail, pending = 0, b"", b""
    try:
        with archive.open(info) as member:
            while chunk := member.read(1024 * 1024):
                window = tail + chunk
                if any(marker in window.upper() for marker in _DTD_MARKERS):
                    raise ActionError(
                        f"文件“{name}”含有外部实体声明(DTD/ENTITY),存在安全风险,已拒绝。请用 Word 另存后再上传。"
                    )
                tail = chunk[-16:]
                if not counting:
                    continue
                # The text is what lies outside the tags; a tag cut at the end of a piece waits for the next.
                text = pending + chunk
                cut = text.rfind(b"<")
                if cut != -1 and text.find(b">", cut) == -1:
                    text, pending = text[:cut], text[cut:]
                    if len(pending) > 1024 * 1024:
                        raise ValueError("a tag that never closes")
                else:
                    pending = b""
                body = _TAG.sub(b"", text)
                # UTF-8: every byte but a continuation byte (0x80-0xBF) starts a character.
                chars += len(body) - sum(body.count(bytes([byte])) for byte in range(0x80, 0xC0))
                if chars > limit:
                    raise ActionError(
                        f"文件“{name}”的正文超过 {limit:,} 字的上限。请只上传需要分解的讲话或纪要,或拆成几份分别上传。"
                    )
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError, zlib.error):
        raise ActionError(f"文件“{name}”已损坏(其中的“{info.filename}”无法解压)。请重新保存后再上传。") from None


_CHINESE_DIGITS = "〇一二三四五六七八九"


def chinese_numeral(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 21 → 二十一 (Word's chineseCounting up to 99)."""
    if n < 10:
        return _CHINESE_DIGITS[n]
    tens, ones = divmod(n, 10)
    if n < 100:
        return ("" if tens == 1 else _CHINESE_DIGITS[tens]) + "十" + (_CHINESE_DIGITS[ones] if ones else "")
    return str(n)


def _format_number(value: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "chineseLegalSimplified", "ideographTraditional"):
        return chinese_numeral(value)
    if fmt in ("lowerLetter", "upperLetter"):
        letter = chr(ord("a") + (value - 1) % 26)
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman"):
        numerals = [(10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
        out, rest = "", value
        for number, letters in numerals:
            while rest >= number:
                out, rest = out + letters, rest - number
        return out.upper() if fmt == "upperRoman" else out
    if fmt == "decimalEnclosedCircle" and 1 <= value <= 20:
        return chr(0x245F + value)
    if fmt in ("bullet", "none"):
        return ""
    return str(value)


class _Numbering:
    """Word's automatic numbering, resolved as Word shows it: 一、 (一) 1. (1).

    python-docx leaves these generated markers out of `paragraph.text`; without them the
    outline of a typed speech is invisible.
    """

    def __init__(self, document) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self.counters: dict[str, list[int]] = {}
        self.abstract_of: dict[str, str] = {}
        self._style_cache: dict = {}
        try:
            part = document.part.numbering_part
        except (NotImplementedError, KeyError, AttributeError):
            return
        root = part.element
        abstracts = {}
        for abstract in root.findall(f"{_W}abstractNum"):
            abstract_id = abstract.get(f"{_W}abstractNumId")
            lvls = {}
            for lvl in abstract.findall(f"{_W}lvl"):
                ilvl = int(lvl.get(f"{_W}ilvl", "0"))
                fmt = lvl.find(f"{_W}numFmt")
                text = lvl.find(f"{_W}lvlText")
                start = lvl.find(f"{_W}start")
                lvls[ilvl] = (
                    fmt.get(f"{_W}val") if fmt is not None else "decimal",
                    text.get(f"{_W}val") if text is not None else "",
                    int(start.get(f"{_W}val")) if start is not None else 1,
                )
            abstracts[abstract_id] = lvls
        for num in root.findall(f"{_W}num"):
            num_id = num.get(f"{_W}numId")
            ref = num.find(f"{_W}abstractNumId")
            if ref is None:
                continue
            abstract_id = ref.get(f"{_W}val")
            self.abstract_of[num_id] = abstract_id
            for ilvl, spec in abstracts.get(abstract_id, {}).items():
                self.levels[(num_id, ilvl)] = spec

    def marker(self, paragraph) -> str:
        num_pr = self._num_pr(paragraph)
        if num_pr is None:
            return ""
        num_id, ilvl = num_pr
        if num_id == "0" or (num_id, ilvl) not in self.levels:
            return ""
        key = self.abstract_of.get(num_id, num_id)
        counters = self.counters.setdefault(key, [0] * 9)
        ilvl = min(ilvl, 8)
        counters[ilvl] += 1
        for deeper in range(ilvl + 1, 9):
            counters[deeper] = 0
        text = self.levels[(num_id, ilvl)][1]

        def level_value(match: re.Match) -> str:
            level = int(match.group(1)) - 1
            if not 0 <= level <= 8:
                return ""
            spec = self.levels.get((num_id, level), ("decimal", "", 1))
            value = max(counters[level], 1) + spec[2] - 1
            return _format_number(value, spec[0])

        return re.sub(r"%(\d)", level_value, text)

    def _num_pr(self, paragraph) -> tuple[str, int] | None:
        p_pr = paragraph._p.pPr
        num_pr = p_pr.numPr if p_pr is not None else None
        if num_pr is None:
            style_id = p_pr.pStyle.val if p_pr is not None and p_pr.pStyle is not None else None
            num_pr = self._style_num_pr(paragraph, style_id)
        if num_pr is None or num_pr.numId is None:
            return None
        ilvl = num_pr.ilvl.val if num_pr.ilvl is not None else 0
        return str(num_pr.numId.val), int(ilvl)

    def _style_num_pr(self, paragraph, style_id):
        """The numbering a paragraph style (or the style it is based on) gives; looked up once per style.

        python-docx's `paragraph.style` scans every style on each call, too slow for a long speech.
        """
        if style_id in self._style_cache:
            return self._style_cache[style_id]
        styles = paragraph.part.document.styles.element
        element = styles.get_by_id(style_id) if style_id else styles.default_for(WD_STYLE_TYPE.PARAGRAPH)
        num_pr = None
        for _ in range(10):  # a chain of basedOn, never a loop
            if element is None or num_pr is not None:
                break
            style_ppr = element.pPr
            num_pr = style_ppr.numPr if style_ppr is not None else None
            based = element.basedOn_val
            element = styles.get_by_id(based) if based else None
        self._style_cache[style_id] = num_pr
        return num_pr


def read_docx(name: str, content: bytes) -> SourceDocument:
    _check_zip(name, content)
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(content))
    except Exception:  # noqa: BLE001 - python-docx raises many kinds on a broken package; all mean the same to the user
        raise ActionError(f"文件“{name}”已损坏,无法作为 Word 文档打开。请用 Word 打开后重新保存再上传。") from None
    numbering = _Numbering(document)
    paragraphs: list[str] = []
    table_rows: set[int] = set()
    table_cells: dict[int, list[str]] = {}
    for block in document.element.body.iterchildren():
        if block.tag == f"{_W}p":
            paragraph = Paragraph(block, document)
            text = paragraph.text.strip()
            if text:
                paragraphs.append(numbering.marker(paragraph) + text)
        elif block.tag == f"{_W}tbl":
            for row in Table(block, document).rows:
                cells: list[str] = []
                for cell in row.cells:
                    text = re.sub(r"\s*\n\s*", "、", cell.text.strip())
                    if text and (not cells or cells[-1] != text):  # merged cells repeat their text
                        cells.append(text)
                if cells:
                    table_rows.add(len(paragraphs))
                    table_cells[len(paragraphs)] = [re.sub(r"\s*\n\s*", "、", c.text.strip()) for c in row.cells]
                    paragraphs.append(CELL_SEPARATOR.join(cells))
    _limit_text("".join(paragraphs), f"文件“{name}”")
    if not "".join(paragraphs).strip():
        raise ActionError(f"文件“{name}”中没有文字。如果是扫描后插入的图片,请先做文字识别(OCR)。")
    title = document.core_properties.title or ""
    return _finish(SourceDocument(title=title, paragraphs=paragraphs, kind="docx", name=name, table_rows=table_rows,
                                  table_cells=table_cells))  # fmt: skip


# --- .pdf -------------------------------------------------------------------

_PAGE_NUMBER_LINE = re.compile(r"^[\s\-—–_·]*(第\s*\d+\s*页.*|\d+\s*/\s*\d+|\d+)[\s\-—–_·]*$")


def read_pdf(name: str, content: bytes) -> SourceDocument:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(content))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ActionError(f"文件“{name}”设置了密码,无法读取。请取消密码后再上传。")
        if len(reader.pages) > 2000:
            raise ActionError(f"文件“{name}”超过 2000 页,请只上传需要分解的部分。")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ActionError:
        raise
    except LimitReachedError:
        # pypdf stops a stream at 75 MB unpacked: a page that inflates past that is a "PDF bomb".
        raise ActionError(
            f"文件“{name}”中有内容解压后过大(可能是恶意构造的 PDF),已拒绝。请重新导出 PDF 后再上传。"
        ) from None
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError):
        raise ActionError(f"文件“{name}”已损坏,无法作为 PDF 打开。请重新导出后再上传。") from None
    except Exception:  # noqa: BLE001 - pypdf has many failure modes on a hostile file; all mean "unreadable"
        raise ActionError(f"文件“{name}”无法读取,请重新导出 PDF 后再上传。") from None
    if not "".join(pages).strip():
        raise ActionError(f"文件“{name}”是扫描件或图片,没有文字层,无法分解。请先做文字识别(OCR),或上传 Word 原稿。")
    lines = []
    for page in pages:
        lines += [line for line in page.splitlines() if line.strip() and not _PAGE_NUMBER_LINE.match(line)]
    text = "\n".join(lines)
    _limit_text(text, f"文件“{name}”")
    return _finish(SourceDocument(title="", paragraphs=_join_wrapped(lines), kind="pdf", name=name))


def _join_wrapped(lines: list[str]) -> list[str]:
    """PDF lines are wrapped by width: join a line to the next unless it ends a sentence or a heading follows."""
    from .outline import starts_with_marker

    paragraphs: list[str] = []
    current = ""
    for raw in lines:
        line = raw.strip()
        if current and (current[-1] in "。!?:;!?:;" or starts_with_marker(line) or len(current) < 30):
            paragraphs.append(current)
            current = ""
        current += line
    if current:
        paragraphs.append(current)
    return paragraphs


# --- Text -------------------------------------------------------------------


def decode_text(content: bytes, name: str) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="replace")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16", errors="replace")
    if b"\x00" in content[:4096]:
        raise ActionError(f"文件“{name}”的内容不是纯文本,与扩展名不符,请检查后重新上传。")
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ActionError(f"文件“{name}”的文字编码无法识别。请另存为 UTF-8 或 GBK 编码的文本后再上传。")


def read_text_bytes(name: str, content: bytes) -> SourceDocument:
    # Bytes first: a 10 MB file is refused before it is decoded in full.
    if len(content) > settings.LUOSHI_MAX_TEXT_CHARS * 4:
        _limit_text("x" * (settings.LUOSHI_MAX_TEXT_CHARS + 1), f"文件“{name}”")
    text = decode_text(content, name)
    return read_text(text, name=name, kind="txt")


def read_text(text: str, *, name: str = "", kind: str = "text") -> SourceDocument:
    """Pasted text or a decoded .txt: lines are paragraphs, unless it is a scraped preview."""
    where = f"文件“{name}”" if name else "粘贴的文字"
    _limit_text(text, where)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\ufeff", "")
    lines = [line.strip() for line in text.split("\n")]
    # Lines a scraping site adds at the top (source: …, query: …, 来源:…, 关键词:…) are not the document's text.
    head = 0
    while head < min(len(lines), 12) and (not lines[head] or _SCRAPER_FIELD.match(lines[head])):
        head += 1
    notes_head = [line for line in lines[:head] if line]
    lines = [line for line in lines[head:] if line]
    if not lines:
        raise ActionError(f"{where}是空的,没有可分解的文字。")
    title = ""
    notes: list[str] = []
    scraped = _unscrape(lines)
    if scraped is not None:
        title, lines, notes = scraped
    from .outline import split_flat

    paragraphs = split_flat(lines)
    if not title and paragraphs and _looks_like_title(paragraphs[0]):
        title = paragraphs[0]
    notes = [*notes_head, *notes]
    return _finish(SourceDocument(title=title, paragraphs=paragraphs, kind=kind, name=name, notes=notes))


_SCRAPER_FIELD = re.compile(
    r"^(?:source|query|url|title|date|来源|关键词|关键字|标签|网址|链接|原文链接|搜索词)\s*[::]", re.I
)


def _looks_like_title(text: str) -> bool:
    return len(text) <= 60 and not re.search(r"[。!?;,,!?;]", text)


# A document-sharing site's preview: "1、" … "14、" opening each page, its chrome around them.
_PAGE_MARKER = re.compile(r"^(\d{1,3})、")
_SITE_HEADER = re.compile(r"由会员分享|可在线阅读|请在.{0,30}上搜索|珍藏版|文档分享|文库|下载.{0,6}文档")
_FILE_NAME = re.compile(r"^(?P<stem>.{2,120})\.(docx?|pdf|pptx?|wps|txt)$", re.I)
# The footer: labelled lines such as "- 配套讲稿:", "- 特殊限制:", "- 关 键 词:".
_SITE_FOOTER = re.compile(r"^[-—•·]\s*\S[^::]{0,12}[::]\s*$|^限制\d+内$|^关\s*键\s*词")


_RUN_IN_TITLE = re.compile(r"^([^。!?;,,!?;\n]{4,60}?(?:讲话|报告|纪要|通知|意见|方案|发言|决定))(?=[^\s。!?;,,])")


def _unscrape(lines: list[str]) -> tuple[str, list[str], list[str]] | None:
    """Rejoin the preview pages of a document-sharing site; None when the text is not one.

    The pages are numbered lines 1、2、3… in order; a page break may cut a word, so pages join
    with nothing between them. Lines before page 1 that look like the site's header, and the
    labelled lines after the last page, are the site's, not the document's.
    """
    numbered = [(i, int(m.group(1))) for i, line in enumerate(lines) if (m := _PAGE_MARKER.match(line))]
    pages: list[int] = []
    expected = 1
    for index, number in numbered:
        if number == expected:
            pages.append(index)
            expected += 1
    if len(pages) < 2:
        return None
    header = lines[: pages[0]]
    header_is_site = any(_SITE_HEADER.search(line) or _FILE_NAME.match(line) for line in header)
    # Real numbered lists are short items; preview pages are long and break mid-sentence.
    body_lengths = [len(lines[i]) for i in pages[:-1]]
    cut = sum(1 for i in pages[:-1] if lines[i][-1] not in "。!?!?”;;:")
    if not header_is_site and not (sum(body_lengths) / len(body_lengths) > 200 and cut >= max(1, len(pages) // 3)):
        return None
    footer_start = len(lines)
    for i in range(pages[-1] + 1, len(lines)):
        if _SITE_FOOTER.match(lines[i]):
            footer_start = i
            break
    kept_header = [line for line in header if not (_SITE_HEADER.search(line) or _FILE_NAME.match(line))]
    file_stem = ""
    for line in header:
        if match := _FILE_NAME.match(line):
            file_stem = match.group("stem")
            break
    body = ""
    page_of = set(pages)
    for i in range(pages[0], footer_start):
        line = lines[i]
        if i in page_of:
            body += _PAGE_MARKER.sub("", line, count=1)
        else:
            body += "\n" + line
    title = ""
    if file_stem and body.startswith(file_stem):
        # The site repeats the file name as the first words of page 1.
        body = body[len(file_stem) :]
        title = file_stem
    # The preview runs the document's own title into its first sentence: give the title its line.
    if match := _RUN_IN_TITLE.match(body):
        body = match.group(1) + "\n" + body[match.end(1) :]
    notes = [
        f"识别为文档网站的预览文本:去除了网站页眉 {len(header) - len(kept_header)} 行、页脚 {len(lines) - footer_start} 行"
        f"和 {len(pages)} 个分页标记(1、至 {len(pages)}、),并把被分页截断的句子接了回去。"
    ]
    return title, [*kept_header, *body.split("\n")], notes


# --- Dates ------------------------------------------------------------------

_DATE_LINE = re.compile(r"^[((]?\s*(\d{4}|[二〇零一三四五六七八九]{4})\s*年\s*(\S{1,3})\s*月\s*(\S{1,3})\s*日\s*[))]?$")
_TITLE_YEAR = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")


def _cn_int(text: str) -> int | None:
    text = unicodedata.normalize("NFKC", text)
    if text.isdigit():
        return int(text)
    digits = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0}
    if all(c in digits for c in text):
        return int("".join(str(digits[c]) for c in text))
    if re.fullmatch(r"[一二三]?十[一二三四五六七八九]?", text):
        tens = digits.get(text[0], 1) if text[0] != "十" else 1
        ones = digits.get(text[-1], 0) if text[-1] != "十" else 0
        return tens * 10 + ones
    return None


def find_date(document: SourceDocument) -> tuple[date | None, str]:
    """The document's own date: a date line (2022年3月15日), else a year in its title."""
    for paragraph in document.paragraphs[:8] + document.paragraphs[-8:]:
        match = _DATE_LINE.match(paragraph.strip())
        if not match:
            continue
        year, month, day = (_cn_int(part) for part in match.groups())
        try:
            return date(year, month, day), f"取自文中日期“{paragraph.strip()}”"
        except (TypeError, ValueError):
            continue
    for text in (document.title, *(document.paragraphs[:1])):
        if text and (match := _TITLE_YEAR.search(text)):
            year = int(match.group(1))
            # A title gives only the year: within that year the day is today, before it the year's start.
            today = timezone.localdate()
            day = today if today.year == year else date(year, 1, 1)
            return day, f"取自标题中的年份“{year}”"
    return None, ""


def _finish(document: SourceDocument) -> SourceDocument:
    if not document.paragraphs:
        where = f"文件“{document.name}”" if document.name else "粘贴的文字"
        raise ActionError(f"{where}是空的,没有可分解的文字。")
    document.date, document.date_how = find_date(document)
    if not document.title:
        first = document.paragraphs[0]
        document.title = first if _looks_like_title(first) else (PurePath(document.name).stem if document.name else "")
    return document
