"""Attachment checks: by content, not by name, within the size limit (ARCHITECTURE.md, "Limits").

Accepted: pdf, doc, docx, xls, xlsx, wps, et, ofd, jpg, png, heic. The name's extension must
agree with what the bytes are, so that a renamed program is refused even where its name looks
harmless. Files are stored under random names and served as downloads, never executed.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from luoshi.lib.errors import ActionError

ALLOWED = ("pdf", "doc", "docx", "xls", "xlsx", "wps", "et", "ofd", "jpg", "jpeg", "png", "heic")
ACCEPT = ",".join(f".{ext}" for ext in ALLOWED)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"mif1", b"msf1", b"heim", b"heis"}


@dataclass(frozen=True)
class CheckedFile:
    name: str
    kind: str
    size: int
    content: bytes


def _zip_kind(content: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" in names:
        if "word/document.xml" in names:
            return "docx"
        if "xl/workbook.xml" in names:
            return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return None


def sniff(content: bytes) -> set[str]:
    """The extensions these bytes may rightly carry; empty when they are none of the accepted kinds."""
    if content.startswith(b"%PDF-"):
        return {"pdf"}
    if content.startswith(b"\xff\xd8\xff"):
        return {"jpg", "jpeg"}
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return {"png"}
    if len(content) >= 12 and content[4:8] == b"ftyp" and content[8:12] in _HEIC_BRANDS:
        return {"heic"}
    if content.startswith(_OLE):
        # Word 97, Excel 97 and their WPS twins share the OLE container; the name tells them apart.
        return {"doc", "xls", "wps", "et"}
    if content.startswith(b"PK\x03\x04"):
        kind = _zip_kind(content)
        if kind == "docx":
            return {"docx", "wps"}
        if kind == "xlsx":
            return {"xlsx", "et"}
        if kind == "ofd":
            return {"ofd"}
    return set()


# Parts a Word or Excel file never needs, that a browser or Windows would run or render: a "docx" holding
# them is a web page or a script in an Office wrapper.
# (An .svg is left alone: Office 365 stores inserted icons as SVG beside a PNG.)
_ACTIVE_PARTS = (".htm", ".html", ".xhtml", ".mht", ".mhtml", ".js", ".vbs", ".hta", ".exe", ".bat", ".cmd")
_ACTIVE_TYPES = (b"text/html", b"application/xhtml", b"javascript", b"message/rfc822")
_VBA_OLE = "_VBA_PROJECT".encode("utf-16-le")


def _package_problem(name: str, content: bytes) -> str | None:
    """What an Office file holds that a plain document must not: macros (含宏), or web and script parts.

    A workbook or document with macros is refused rather than stored flagged: a colleague who downloads
    it from a task opens it in Excel or WPS, where one click on "enable" runs it.
    """
    macro = (
        f"附件“{name}”含有宏(VBA 代码,含宏文件),为安全起见不能上传。"
        "请在 Excel、Word 或 WPS 中另存为不含宏的 .xlsx 或 .docx 后再上传。"
    )
    if content.startswith(_OLE):
        return macro if _VBA_OLE in content else None
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = archive.namelist()
            with archive.open("[Content_Types].xml") as handle:
                types = handle.read(1024 * 1024).lower()
    except (KeyError, zipfile.BadZipFile, ValueError, OSError, RuntimeError, EOFError):
        return f"附件“{name}”已损坏(缺少或无法读取其中的内容类型表),请重新保存后再上传。"
    if any(part.lower().endswith("vbaproject.bin") for part in names) or b"macroenabled" in types:
        return macro
    active = next((part for part in names if part.lower().endswith(_ACTIVE_PARTS)), None)
    if active or any(kind in types for kind in _ACTIVE_TYPES):
        where = f"(“{active}”)" if active else ""
        return (
            f"附件“{name}”不是普通的 Office 文档:其中含有网页或脚本部件{where},可能被改造用于攻击,"
            "不能上传。请用 Word、Excel 或 WPS 打开后另存,再上传。"
        )
    return None


def attachment_check(name: str, content: bytes) -> CheckedFile:
    name = PurePath(name or "附件").name[:200]
    limit = settings.LUOSHI_MAX_ATTACHMENT_BYTES
    if len(content) > limit:
        raise ActionError(
            f"附件“{name}”大小为 {filesizeformat(len(content))},超过 {filesizeformat(limit)} 的上限,请压缩或拆分后再上传。"
        )
    if not content:
        raise ActionError(f"附件“{name}”是空文件。")
    extension = PurePath(name).suffix.lower().lstrip(".")
    kinds = sniff(content)
    if extension not in ALLOWED:
        raise ActionError(
            f"附件“{name}”的类型不在允许范围内。可以上传:pdf、doc、docx、xls、xlsx、wps、et、ofd、jpg、png、heic。"
        )
    if extension not in kinds:
        raise ActionError(f"附件“{name}”的内容与扩展名“.{extension}”不符,可能已损坏或被改名,请检查后重新上传。")
    if extension in ("doc", "docx", "xls", "xlsx", "wps", "et") and (problem := _package_problem(name, content)):
        raise ActionError(problem)
    return CheckedFile(name=name, kind="jpg" if extension == "jpeg" else extension, size=len(content), content=content)


def attachments_from_request(files) -> list[CheckedFile]:
    """Check every uploaded file of a form; the first bad one refuses them all."""
    checked = []
    for upload in files:
        if upload.size > settings.LUOSHI_MAX_ATTACHMENT_BYTES:
            limit = filesizeformat(settings.LUOSHI_MAX_ATTACHMENT_BYTES)
            raise ActionError(f"附件“{upload.name}”超过 {limit} 的上限,请压缩或拆分后再上传。")
        checked.append(attachment_check(upload.name, upload.read()))
    return checked
