"""Reading the text of an .ofd file (GB/T 33190-2016, China's format for official e-documents).

An OFD is a zip of XML: OFD.xml names each document's root (Document.xml), which lists the pages;
each page's Content.xml holds TextObjects (a Boundary "x y w h" in millimetres) with TextCode runs
(X, Y within the object). The text is read with the standard library: no well-kept Python OFD
package exists (the few on PyPI are single-author, unmaintained and pull in image and PDF
renderers), and text is all the library needs. The intake's hostile-file rules apply: the
upload's size limit, no encrypted members, the unzipped-size limit against zip bombs, every XML part
refused if it declares a DTD or entity (intake.reading._check_part), and the text limit.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from pathlib import PurePath
from xml.etree import ElementTree

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from luoshi.intake.reading import SourceDocument, _check_part, _finish, _join_wrapped, _limit_text
from luoshi.lib.errors import ActionError

NS = "{http://www.ofdspec.org/2016}"
# More members than any real document has (a page is a few parts): a zip of thousands is refused unread.
MAX_MEMBERS = 20_000
# Runs on one baseline within this many millimetres are one line.
LINE_TOLERANCE_MM = 1.5


def is_ofd(name: str, content: bytes) -> bool:
    return PurePath(name or "").suffix.lower() == ".ofd"


def read_ofd(name: str, content: bytes) -> SourceDocument:
    """The text of an .ofd, page by page and line by line, joined into paragraphs as a PDF's lines are."""
    name = PurePath(name or "文件.ofd").name[:200]
    limit = settings.LUOSHI_MAX_DOCUMENT_BYTES
    if len(content) > limit:
        raise ActionError(f"文件“{name}”大小为 {filesizeformat(len(content))},超过 {filesizeformat(limit)} 的上限。")
    if not content.strip():
        raise ActionError(f"文件“{name}”是空的,没有可读取的文字。")
    if not content.startswith(b"PK\x03\x04"):
        raise ActionError(f"文件“{name}”的内容不是 OFD 版式文件,与扩展名不符,可能已损坏或被改名。")
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, ValueError, OSError):
        raise ActionError(f"文件“{name}”已损坏,无法作为 OFD 文件打开。请重新导出后再上传。") from None
    with archive:
        infos = archive.infolist()
        if len(infos) > MAX_MEMBERS:
            raise ActionError(f"文件“{name}”包含 {len(infos):,} 个部件,不像正常的 OFD 文件,已拒绝。")
        if any(info.flag_bits & 0x1 for info in infos):
            raise ActionError(f"文件“{name}”设置了密码,无法读取。请取消密码后再上传。")
        names = {info.filename for info in infos}
        if "OFD.xml" not in names:
            raise ActionError(f"文件“{name}”不是 OFD 版式文件(缺少 OFD.xml),可能已损坏或被改名。")
        unzipped = sum(info.file_size for info in infos)
        if unzipped > settings.LUOSHI_MAX_DOCUMENT_UNZIPPED_BYTES:
            raise ActionError(
                f"文件“{name}”解压后达 {filesizeformat(unzipped)},超过 "
                f"{filesizeformat(settings.LUOSHI_MAX_DOCUMENT_UNZIPPED_BYTES)} 的上限,"
                "可能是恶意构造的压缩包(“压缩炸弹”),已拒绝。"
            )
        for info in infos:
            if info.filename.lower().endswith(".xml"):
                _check_part(name, archive, info)
        try:
            lines = _lines(archive, names)
        except (ElementTree.ParseError, KeyError, ValueError, zipfile.BadZipFile, zlib.error, OSError):
            raise ActionError(f"文件“{name}”的结构已损坏,无法读取其中的文字。请重新导出后再上传。") from None
    if not lines:
        raise ActionError(
            f"文件“{name}”里没有文字层(可能是扫描件,只有图片)。请上传有文字的版本,或把文字粘贴到下面的文本框。"
        )
    text = "\n".join(lines)
    _limit_text(text, f"文件“{name}”")
    return _finish(SourceDocument(title="", paragraphs=_join_wrapped(lines), kind="ofd", name=name))


def _xml(archive: zipfile.ZipFile, path: str) -> ElementTree.Element:
    return ElementTree.fromstring(archive.read(path))


def _resolve(base_dir: str, loc: str) -> str:
    loc = (loc or "").strip()
    path = loc.lstrip("/") if loc.startswith("/") else posixpath.join(base_dir, loc)
    path = posixpath.normpath(path)
    if path.startswith("..") or path.startswith("/"):
        raise ValueError("a path outside the package")
    return path


def _lines(archive: zipfile.ZipFile, names: set[str]) -> list[str]:
    root = _xml(archive, "OFD.xml")
    lines: list[str] = []
    for doc_root in root.iter(f"{NS}DocRoot"):
        document_path = _resolve("", doc_root.text or "")
        document = _xml(archive, document_path)
        base_dir = posixpath.dirname(document_path)
        for page in document.iter(f"{NS}Page"):
            page_path = _resolve(base_dir, page.get("BaseLoc", ""))
            if page_path not in names:
                continue
            lines += _page_lines(_xml(archive, page_path))
    return lines


def _page_lines(content: ElementTree.Element) -> list[str]:
    runs: list[tuple[float, float, str]] = []
    for obj in content.iter(f"{NS}TextObject"):
        box = [float(v) for v in (obj.get("Boundary") or "0 0 0 0").split()[:2]] + [0.0, 0.0]
        for code in obj.iter(f"{NS}TextCode"):
            text = (code.text or "").strip()
            if not text:
                continue
            x = box[0] + float(code.get("X") or 0)
            y = box[1] + float(code.get("Y") or 0)
            runs.append((y, x, text))
    runs.sort()
    lines: list[list[tuple[float, str]]] = []
    last_y = None
    for y, x, text in runs:
        if last_y is None or abs(y - last_y) > LINE_TOLERANCE_MM:
            lines.append([])
            last_y = y
        lines[-1].append((x, text))
    return ["".join(text for _, text in sorted(line)) for line in lines]
