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
        if any(name.startswith("word/") for name in names):
            return "docx"
        if any(name.startswith("xl/") for name in names):
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
