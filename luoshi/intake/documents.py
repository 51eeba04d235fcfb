"""The 任务分解表 as an official Word document (through `lib/officedoc`)."""

from __future__ import annotations

import re

from django.conf import settings
from django.utils import timezone

from luoshi.lib.officedoc import OfficeDoc, official_date

from .models import Decomposition

# "张三同志在全县经济工作会议上的讲话" → who, where; the speaker is often left out of the title.
_SPEECH_TITLE = re.compile(r"^(?P<who>.*?)在(?P<where>.+?)上的(?P<what>讲话|发言|致辞|总结讲话|主持讲话)$")
# A speaker's line under the title: "县长 张三", "——张三同志", "张三".
_SPEAKER_LINE = re.compile(
    r"^[—\-\s]*(?P<who>(?:[\u4e00-\u9fff]{0,6}(?:书记|县长|主任|局长)\s*)?[\u4e00-\u9fff]{2,3})(?:同志)?$"
)


def _quoted(title: str) -> str:
    title = title.strip()
    return title if title.startswith("《") else f"《{title}》"


def speaker(decomposition: Decomposition) -> str:
    """Who gave the speech: from its title, else a line under the title naming a county leader."""
    match = _SPEECH_TITLE.match(decomposition.title.strip())
    if match and match["who"]:
        return match["who"].removesuffix("同志")
    from luoshi.org.services import leader_resolve

    for text in (decomposition.paragraphs or [])[:4]:
        line = _SPEAKER_LINE.match(str(text).strip())
        if line:
            leader = leader_resolve(line["who"].replace(" ", ""))
            if leader is not None:
                return f"{leader.title}{leader.name}"
    return ""


def opening(decomposition: Decomposition) -> str:
    """The first paragraph: whose speech (or which document) and when, then what the table asks."""
    when = official_date(decomposition.source_date)
    ask = "现将有关工作任务分解如下,请各牵头单位会同配合单位认真抓好落实,按时限要求报送进展情况。"
    match = _SPEECH_TITLE.match(decomposition.title.strip())
    if match:
        who = speaker(decomposition) or "县领导同志"
        return f"{when},{who}在{match['where']}上作了{match['what']},对有关工作提出了明确要求。{ask}"
    return f"根据{_quoted(decomposition.title)}({when}),{ask}"


def decomposition_docx(decomposition: Decomposition, rows: list[list[str]] | None = None) -> bytes:
    """The table in official format: the quoted title, the opening, the table and the office's 落款.

    `rows` default to the draft's own rows, in the columns of the Excel export that the Word table keeps;
    `decompose` reads the table back by its 牵头单位/配合单位/责任领导/完成时限 columns.
    """
    from .export import export_rows

    if rows is None:
        rows = [[r[0], r[1], r[2], r[4], r[5], r[6], r[7]] for r in export_rows(decomposition)]
    doc = OfficeDoc(title=f"{_quoted(decomposition.title)}任务分解表")
    doc.paragraph(opening(decomposition))
    doc.table(
        ["序号", "事项名称", "工作要求", "牵头单位", "配合单位", "责任领导", "完成时限"],
        rows,
        widths_cm=[1.0, 2.8, 4.6, 2.1, 2.0, 1.4, 1.7],  # the 15.6 cm between the margins
        font_pt=10.5,
    )
    doc.signature(f"{settings.LUOSHI_COUNTY_NAME}人民政府督查室", timezone.localdate())
    return doc.to_bytes()
