"""Writes of the library: a document in (read, proposed, confirmed), its HTML for reading online, key figures."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import transaction

from luoshi.audit.services import audit_record
from luoshi.intake.outline import find_marker
from luoshi.intake.reading import SourceDocument
from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, User
from luoshi.work.services import _claim_token

from .models import Document, KeyFigure
from .search import document_search_text, extract_keywords, number_key

# 豫政办〔2022〕12号 in a document's head; brackets as offices type them.
_NUMBER_IN_HEAD = re.compile(r"[\u4e00-\u9fff]{1,12}\s*[〔\[【(((]\s*(?:19|20)\d{2}\s*[〕\]】)))]\s*第?\s*\d{1,5}\s*号")
# The 落款: an issuing body's name on its own line, just before the date line.
_ISSUER = re.compile(r"^[\u4e00-\u9fff()()]{3,40}(?:人民政府|办公室|委员会|局|委|办|厅|部|院|中心|政府|党委|县委)$")
_LEVEL_WORDS = [
    (Document.Level.CENTRAL, ("国务院", "中共中央", "国家", "部")),
    (Document.Level.PROVINCE, ("省",)),
    (Document.Level.CITY, ("市",)),
]


@dataclass
class Proposal:
    number: str = ""
    issuer: str = ""
    issued_on: date | None = None
    level: str = Document.Level.COUNTY


def document_propose(source: SourceDocument) -> Proposal:
    """文号 from the head, issuer from the 落款 (or the 文号's prefix), date as the intake reads it."""
    proposal = Proposal(issued_on=source.date)
    head = "\n".join([source.title, *source.paragraphs[:6]])
    if match := _NUMBER_IN_HEAD.search(head):
        proposal.number = re.sub(r"\s+", "", match.group(0))
    tail = [paragraph.strip() for paragraph in source.paragraphs[-6:]]
    for paragraph in reversed(tail):
        if _ISSUER.match(paragraph):
            proposal.issuer = paragraph
            break
    who = proposal.issuer or proposal.number
    for level, words in _LEVEL_WORDS:
        if who and any(word in who[:4] for word in words):
            proposal.level = level
            break
    return proposal


def _index(document: Document) -> None:
    document.search_text = document_search_text(document.title, document.number, document.issuer, document.body)
    document.number_key = number_key(document.number)
    document.keywords = " ".join(extract_keywords(document.title, document.body))


def document_create(
    *, source: SourceDocument, by: User, content: bytes | None = None, token: str | None = None
) -> Document:
    """Keep a read document with its proposed 文号, issuer and date, to be confirmed on its form."""
    if not by.is_office:
        raise ActionError("只有督查室可以向文件库上传文件。", status=403)
    proposal = document_propose(source)
    with transaction.atomic():
        _claim_token(token, by)
        document = Document(
            title=(source.title or "未命名文件")[:300], number=proposal.number[:100], issuer=proposal.issuer[:200],
            level=proposal.level, issued_on=proposal.issued_on, kind=source.kind if source.kind in Document.Kind.values
            else Document.Kind.TEXT, file_name=source.name[:200], body="\n".join(source.paragraphs), created_by=by,
        )  # fmt: skip
        if content is not None and source.name:
            document.file.save(source.name, ContentFile(content), save=False)
        _index(document)
        document.save()
        audit_record(obj=document, action="create", by=by, after={"标题": document.title, "文号": document.number})
    return document


@dataclass
class DocumentInput:
    title: str
    number: str
    issuer: str
    level: str
    issued_on: date | None
    validity: str
    replaced_by: Document | None
    fields: str
    units: list[Unit]
    internal: bool


def document_update(*, document: Document, data: DocumentInput, by: User) -> Document:
    """The office confirms or corrects a document's particulars; the index follows."""
    if not by.is_office:
        raise ActionError("只有督查室可以修改文件库的文件信息。", status=403)
    if not data.title.strip():
        raise ActionError("标题:不能为空,请填写文件标题。")
    if data.replaced_by is not None and data.replaced_by.pk == document.pk:
        raise ActionError("替代文件:不能是本文件自己,请选择新的文件。")
    if data.validity == Document.Validity.CURRENT and data.replaced_by is not None:
        raise ActionError("替代文件:只有“已废止”的文件才有替代文件,请把效力改为“已废止”或清空替代文件。")
    if data.number.strip() and not number_key(data.number):
        raise ActionError(f"文号:“{data.number}”不像文号,请写成“豫政办〔2022〕12号”的样子,或留空。")
    before = {"标题": document.title, "文号": document.number, "效力": document.get_validity_display()}
    with transaction.atomic():
        document.title = data.title.strip()[:300]
        document.number = data.number.strip()[:100]
        document.issuer = data.issuer.strip()[:200]
        document.level, document.issued_on, document.validity = data.level, data.issued_on, data.validity
        document.replaced_by, document.fields, document.internal = data.replaced_by, data.fields.strip(), data.internal
        document.confirmed = True
        _index(document)
        document.save()
        document.units.set(data.units)
        audit_record(
            obj=document, action="update", by=by, before=before,
            after={"标题": document.title, "文号": document.number, "效力": document.get_validity_display()},
        )  # fmt: skip
    return document


def same_number(document: Document):
    """Other documents already in the library under the same 文号."""
    if not document.number_key:
        return Document.objects.none()
    return Document.objects.filter(number_key=document.number_key).exclude(pk=document.pk)


# --- Reading online ----------------------------------------------------------

_UNSAFE_HREF = re.compile(r'\s(href|src)="(?!https?://|#)[^"]*"', re.IGNORECASE)
_IMAGE = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_BLOCK = re.compile(r"<(h[1-6]|p)(?: id=\"s\d+\")?>(.*?)</\1>", re.DOTALL)
_TAGS = re.compile(r"<[^>]+>")


def document_html(document: Document) -> str:
    """The .docx as clean HTML (headings, lists, tables), written once at the first reading and kept."""
    if document.html:
        return document.html
    if document.kind != Document.Kind.DOCX or not document.file:
        return ""
    import mammoth

    try:
        with document.file.open("rb") as handle:
            result = mammoth.convert_to_html(io.BytesIO(handle.read()))
    except Exception:  # noqa: BLE001 - a file that python-docx read but mammoth cannot: the text is still shown
        return ""
    # Images are left out, and a link that is not a web address is dropped: nothing here runs script.
    html = _UNSAFE_HREF.sub("", _IMAGE.sub("", result.value))
    html = _anchor_headings(html)
    Document.objects.filter(pk=document.pk).update(html=html)
    document.html = html
    return html


def _anchor_headings(html: str) -> str:
    count = 0

    def add_id(match):
        nonlocal count
        text = _TAGS.sub("", match.group(2))
        if _heading_level(text) is None:
            return match.group(0)
        count += 1
        return f'<{match.group(1)} id="s{count}">{match.group(2)}</{match.group(1)}>'

    return _BLOCK.sub(add_id, html)


_LEVELS = {"cn_dun": 1, "cn_paren": 2, "num_dot": 3}


def _heading_level(text: str) -> int | None:
    marker = find_marker(text)
    if marker is None or marker.kind not in _LEVELS:
        return None
    return _LEVELS[marker.kind]


def document_outline(document: Document) -> list[dict]:
    """The side table of contents: 一、 / (一) / 1. headings, each with its anchor in the page."""
    import html as html_lib

    if document_html(document):
        texts = [html_lib.unescape(_TAGS.sub("", m.group(2))) for m in _BLOCK.finditer(document.html)]
    else:
        texts = document.body.split("\n")
    outline = []
    for text in texts:
        level = _heading_level(text)
        if level is None:
            continue
        title = re.split(r"[。;;::]", text.strip(), maxsplit=1)[0][:40]
        outline.append({"anchor": f"s{len(outline) + 1}", "level": level, "title": title})
    return outline


def document_paragraphs(document: Document) -> list[dict]:
    """The text, paragraph by paragraph, headings anchored as in the outline (for .txt, .pdf and pasted text)."""
    rows, count = [], 0
    for text in document.body.split("\n"):
        level = _heading_level(text)
        anchor = ""
        if level is not None:
            count += 1
            anchor = f"s{count}"
        rows.append({"text": text, "level": level, "anchor": anchor})
    return rows


# --- Key figures -------------------------------------------------------------


def parse_value(text: str, *, where: str = "数值") -> Decimal:
    cleaned = (text or "").strip().replace(",", "").replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ActionError(f"{where}:“{text}”不是数字,请只填写数字(如 12.5),计量单位填在“计量单位”一栏。") from None
    if not value.is_finite():
        raise ActionError(f"{where}:“{text}”不是数字,请只填写数字。")
    return value


def key_figure_save(
    *, owner: Unit, name: str, value: str, measure: str, period: str, source: str, cadence: str, by: User
) -> KeyFigure:
    """Record a unit's figure; the same figure in another unit of measure is refused, not converted."""
    if not (by.is_office or by.unit_id == owner.pk):
        raise ActionError("只能填写本单位的一口清数据。", status=403)
    name, measure, period = name.strip(), measure.strip(), period.strip()
    if not name or not period:
        raise ActionError("名称和时期:都必须填写。")
    amount = parse_value(value)
    earlier = KeyFigure.objects.filter(owner=owner, name=name).exclude(measure=measure).first()
    if earlier is not None:
        raise ActionError(
            f"计量单位:“{name}”此前以“{earlier.measure or '无单位'}”填报,本次为“{measure or '无单位'}”。"
            "请换算成同一计量单位后再填。"
        )
    with transaction.atomic():
        figure, created = KeyFigure.objects.update_or_create(
            owner=owner, name=name, period=period,
            defaults={"value": amount, "measure": measure, "source": source.strip(), "cadence": cadence.strip()},
        )  # fmt: skip
        audit_record(obj=figure, action="create" if created else "update", by=by, after={"数值": figure.display_value})
    return figure


# --- The drill (一口清 练习) ---------------------------------------------------


def drill_score(figure: KeyFigure, typed: str) -> str:
    """exact, close (within 5% of the figure) or wrong; text that is not a number is wrong, not an error."""
    from .models import DrillAnswer

    try:
        value = parse_value(typed)
    except ActionError:
        return DrillAnswer.Result.WRONG
    if value == figure.value:
        return DrillAnswer.Result.EXACT
    if figure.value != 0 and abs(value - figure.value) <= abs(figure.value) * Decimal("0.05"):
        return DrillAnswer.Result.CLOSE
    return DrillAnswer.Result.WRONG


def drill_answer(*, user: User, figure: KeyFigure, typed: str, session: str):
    """Score one answer and keep it in the user's own history; a second answer in a session is refused."""
    from .models import DrillAnswer

    if not KeyFigure.objects.visible_to(user).filter(pk=figure.pk).exists():
        raise ActionError("没有这项数据。", status=404)
    if not typed.strip():
        raise ActionError(f"“{figure.name}”:请填写数值。")
    if DrillAnswer.objects.filter(user=user, session=session, figure=figure).exists():
        raise ActionError(f"“{figure.name}”本轮已经答过了,请开始新一轮练习。", status=409)
    return DrillAnswer.objects.create(
        user=user, session=session, figure=figure, typed=typed.strip()[:40], result=drill_score(figure, typed)
    )


def drill_history(user: User) -> list[dict]:
    """The user's sessions, newest first, each with its answers counted by result."""
    from .models import DrillAnswer

    sessions: dict[str, dict] = {}
    for answer in DrillAnswer.objects.filter(user=user).order_by("-answered_at", "-id"):
        row = sessions.setdefault(
            answer.session, {"session": answer.session, "at": answer.answered_at, "exact": 0, "close": 0, "wrong": 0}
        )
        row[answer.result] += 1
    for row in sessions.values():
        total = row["exact"] + row["close"] + row["wrong"]
        # An exact answer counts one point, one within 5% half a point.
        row["total"], row["score"] = total, round(100 * (row["exact"] + row["close"] / 2) / total) if total else 0
    return list(sessions.values())


# --- 调研 and 典型 -------------------------------------------------------------


def finding_add(*, visit, place: str, text: str, figures: str = "", kind: str = "finding", by: User):
    from .models import FieldVisit, Finding

    if not FieldVisit.objects.visible_to(by).filter(pk=visit.pk).exists():
        raise ActionError("没有这项调研。", status=404)
    if place.strip() not in visit.place_list:
        raise ActionError(f"地点:“{place}”不在本次调研的地点中,请从“{'、'.join(visit.place_list)}”中选择。")
    if not text.strip():
        raise ActionError("发现:不能为空,请写明在这里发现了什么。")
    with transaction.atomic():
        finding = Finding.objects.create(
            visit=visit, place=place.strip(), text=text.strip(), figures=figures.strip(), kind=kind
        )
        audit_record(obj=visit, action="finding", by=by, after={"地点": finding.place, "发现": finding.text})
    return finding


def finding_to_task(*, finding, lead: Unit, deadline: date | None, by: User, token: str | None = None):
    """Turn a finding into a 督办 task through the one bulk writer of tasks; a finding becomes one task at most."""
    from luoshi.work.models import Task
    from luoshi.work.services import TaskSpec, task_create_many

    if finding.task_id:
        raise ActionError("这条发现已经转为督办事项了。", status=409)
    if finding.kind != finding.Kind.FINDING:
        raise ActionError("政策建议不转为督办事项,已作为建议记录在调研报告中。")
    visit = finding.visit
    spec = TaskSpec(
        title=f"{finding.place}:{finding.text}"[:200], lead=lead, requirements=finding.text, deadline=deadline,
        source_kind=Task.SourceKind.OTHER, source_title=f"调研:{visit.title}", source_quote=finding.text[:500],
    )  # fmt: skip
    with transaction.atomic():
        (task,) = task_create_many(specs=[spec], by=by, token=token)
        finding.task = task
        finding.save(update_fields=["task"])
        audit_record(obj=visit, action="finding_to_task", by=by, after={"发现": finding.text, "事项": task.title})
    return task


def case_step_add(*, case, stage: str, day: date, what: str, by: User):
    """Record a promotion step; the steps go 发现 → 培育 → 推广 and none is recorded before the one it follows."""
    from .models import PromotionStep

    order = [choice.value for choice in PromotionStep.Stage]
    if stage not in order:
        raise ActionError("阶段:应为发现、培育或推广。")
    done = set(case.steps.values_list("stage", flat=True))
    missing = [s for s in order[: order.index(stage)] if s not in done]
    if missing:
        label = PromotionStep.Stage(missing[0]).label
        raise ActionError(f"阶段:还没有记录“{label}”,请先记录“{label}”再记录“{PromotionStep.Stage(stage).label}”。")
    if not what.strip():
        raise ActionError("做了什么:不能为空。")
    with transaction.atomic():
        step = PromotionStep.objects.create(case=case, stage=stage, day=day, what=what.strip())
        audit_record(obj=case, action="step", by=by, after={"阶段": step.get_stage_display(), "日期": day})
    return step
