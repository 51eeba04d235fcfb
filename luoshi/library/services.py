"""Writes of the library: a document in (read, proposed, confirmed), its HTML for reading online, key figures."""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.files.base import ContentFile
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from luoshi.audit.services import audit_record
from luoshi.intake.outline import find_marker
from luoshi.intake.reading import SourceDocument
from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, User
from luoshi.work.steps import _claim_token

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
    """Keep a read document with its proposed 文号, issuer and date, to be confirmed on its form.

    A .docx also gets its reading HTML written by the worker (tasks.document_html_prepare), so that its
    first reader does not wait for mammoth."""
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
        if document.kind == Document.Kind.DOCX and document.file:
            from .tasks import document_html_prepare

            # The worker writes the reading HTML ahead of the first reader; a reader who comes first has it
            # written by document_html, as before. Enqueued in the transaction: no task for a document rolled back.
            document_html_prepare.enqueue(document.pk)
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
        document.changed_at = timezone.now()
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
    linked = KeyFigure.objects.filter(owner=owner, name=name).exclude(indicator=None, plan_item=None).first()
    if linked is not None:
        raise ActionError(
            f"“{name}”取自{linked.link_label},数值随来源自动更新,不需要再填。如需更正,请在来源处修改。", status=409
        )
    amount = parse_value(value)
    # A figure updated within its period is due again the period after; a late one, the period in progress.
    current = KeyFigure.objects.filter(owner=owner, name=name).aggregate(due=models.Max("next_due"))["due"]
    next_due = cadence_next_due(cadence, current=current)
    earlier = KeyFigure.objects.filter(owner=owner, name=name).exclude(measure=measure).first()
    if earlier is not None:
        raise ActionError(
            f"计量单位:“{name}”此前以“{earlier.measure or '无单位'}”填报,本次为“{measure or '无单位'}”。"
            "请换算成同一计量单位后再填。"
        )
    with transaction.atomic():
        figure, created = KeyFigure.objects.update_or_create(
            owner=owner, name=name, period=period,
            defaults={"value": amount, "measure": measure, "source": source.strip(), "cadence": cadence.strip(),
                      "next_due": next_due},
        )  # fmt: skip
        # The earlier periods of the same figure are superseded: only the newest is reminded of.
        KeyFigure.objects.filter(owner=owner, name=name).exclude(pk=figure.pk).update(next_due=None)
        audit_record(obj=figure, action="create" if created else "update", by=by, after={"数值": figure.display_value})
    return figure


def cadence_next_due(cadence: str, *, current: date | None = None) -> date | None:
    """The next update a figure's cadence asks for (每月 → the 25th, 每季度 → the quarter's last day, …),
    moved off days off like a report's; no cadence, no due date. An unreadable cadence is refused."""
    from luoshi.lib import workdays
    from luoshi.lib.deadlines import NONE, parse
    from luoshi.work.cadence import next_due_after_report

    cadence = (cadence or "").strip()
    if not cadence:
        return None
    today = timezone.localdate()
    reading = parse(cadence, base=today)
    if reading.cadence == NONE:
        raise ActionError(f"更新周期:“{cadence}”无法识别,请写成“每月”“每季度”“每年”或“每月25日前”,或留空。")
    return next_due_after_report(
        reading.cadence, reading.cadence_day, current=current, today=today, cal=workdays.calendar()
    )


def _source_reading(figure: KeyFigure) -> tuple[Decimal, str, str] | None:
    """(value, period, measure) from the figure's source in rankings or plans, or None when it has none yet."""
    if figure.indicator_id:
        from luoshi.rankings.models import IndicatorValue

        row = (
            IndicatorValue.objects.filter(indicator_id=figure.indicator_id, county__is_ours=True, value__isnull=False)
            .order_by("-period")
            .first()
        )
        if row is None:
            return None
        return row.value, f"{row.period // 100}年{row.period % 100}月", figure.indicator.measure
    if figure.plan_item_id:
        item = figure.plan_item
        actual = item.actuals.filter(value__isnull=False).order_by("-month").first()
        if actual is None:
            return None
        return Decimal(str(actual.value)), f"{item.plan.year}年1-{actual.month}月", item.measure
    return None


def key_figure_link(*, figure: KeyFigure, indicator=None, plan_item=None, by: User) -> KeyFigure:
    """Make a figure read its value from a ranking indicator or a plan item's actuals, so it is never typed twice."""
    if not (by.is_office or by.unit_id == figure.owner_id):
        raise ActionError("只能修改本单位的一口清数据。", status=403)
    if (indicator is None) == (plan_item is None):
        raise ActionError("来源:请在排名指标和计划事项中选择一项。")
    if plan_item is not None and plan_item.plan.unit_id != figure.owner_id:
        raise ActionError("来源:只能关联本单位计划中的事项。")
    before = {"来源": figure.link_label or figure.source}
    with transaction.atomic():
        figure.indicator, figure.plan_item = indicator, plan_item
        figure.source = "县统计局(排名指标)" if indicator is not None else "本单位计划完成情况"
        key_figure_sync(figure, save=False)
        figure.save()
        audit_record(obj=figure, action="link", by=by, before=before,
                     after={"来源": figure.link_label, "数值": figure.display_value})  # fmt: skip
    return figure


def key_figure_sync(figure: KeyFigure, *, save: bool = True) -> bool:
    """Copy the source's newest value and period into a linked figure; True when it changed."""
    reading = _source_reading(figure)
    if reading is None:
        return False
    value, period, measure = reading
    if (figure.value, figure.period, figure.measure) == (value, period, measure or figure.measure):
        return False
    figure.value, figure.period, figure.measure = value, period, measure or figure.measure
    if save:
        KeyFigure.objects.filter(pk=figure.pk).update(
            value=value, period=period, measure=figure.measure, updated_at=timezone.now()
        )
    return True


def key_figures_remind(day: date) -> int:
    """Remind each unit of the figures its cadence says are due (within the report rule's days ahead),
    once per due date, through the notify app's events. Linked figures are refreshed first."""
    from luoshi.lib import workdays
    from luoshi.notify import services as notify
    from luoshi.notify.models import Kind

    for figure in KeyFigure.objects.exclude(indicator=None, plan_item=None).select_related("indicator", "plan_item"):
        key_figure_sync(figure)
    horizon = workdays.calendar().add(day, notify.rules()[Kind.REPORT_DUE].days_ahead)
    due = list(
        KeyFigure.objects.filter(next_due__lte=horizon, indicator=None, plan_item=None)
        .exclude(reminded_for=models.F("next_due"))
        .select_related("owner")
        .order_by("owner_id", "next_due", "name")
    )
    if not due:
        return 0
    grouped: dict[int, list[KeyFigure]] = {}
    for figure in due:
        grouped.setdefault(figure.owner_id, []).append(figure)
    people = notify.liaisons_of(grouped)
    url = reverse("library:figures")
    specs = []
    for unit_id, figures in grouped.items():
        lines = [f"{f.name}({f.period},{f.cadence}):应于{f.next_due:%Y-%m-%d}前更新" for f in figures]
        specs.append(notify.EventSpec(
            kind=Kind.REPORT_DUE, title=f"一口清数据待更新:{figures[0].name}" + (f"等{len(figures)}项" if len(figures) > 1
            else ""), body="\n".join(lines) + "\n请更新本单位的一口清数据。", url=url, users=people.get(unit_id, []),
            robot_units=[unit_id], unit_id=unit_id,
            key="key_figures:" + hashlib.sha1(",".join(str(f.pk) for f in figures).encode()).hexdigest()[:16]
            + f":{figures[0].next_due}",
        ))  # fmt: skip
    with transaction.atomic():
        notify.events_raise(specs)
        for figure in due:
            KeyFigure.objects.filter(pk=figure.pk).update(reminded_for=figure.next_due)
    return len(due)


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


def visit_create(
    *, title: str, unit: Unit, purpose: str, places: str, members: str, questions: str, document: Document | None,
    visit_on: date | None, by: User, token: str | None = None,
):  # fmt: skip
    """Plan a field visit: where, who, the questions, the policy whose arrival it checks."""
    from .models import FieldVisit

    if not (by.is_office or (by.role == "unit" and by.unit_id == unit.pk)):
        raise ActionError("只能为本单位安排调研。", status=403)
    if not title.strip():
        raise ActionError("调研题目:不能为空。")
    place_list = [line.strip() for line in places.splitlines() if line.strip()]
    if not place_list:
        raise ActionError("调研地点:请至少填写一个地点,每行一个(乡镇、村或企业)。")
    if len(set(place_list)) != len(place_list):
        raise ActionError("调研地点:有重复的地点,请每个地点只写一次。")
    if any(len(place) > 100 for place in place_list):
        raise ActionError("调研地点:每个地点不超过100个字,请每行只写一个地点。")
    if document is not None and not Document.objects.visible_to(by).filter(pk=document.pk).exists():
        raise ActionError("要检查落实的政策:没有这份文件。", status=404)
    with transaction.atomic():
        _claim_token(token, by)
        visit = FieldVisit.objects.create(
            title=title.strip()[:200], unit=unit, purpose=purpose.strip(), places="\n".join(place_list),
            members=members.strip()[:300], questions=questions.strip(), document=document, visit_on=visit_on,
            created_by=by,
        )  # fmt: skip
        audit_record(obj=visit, action="create", by=by, after={"题目": visit.title, "地点": "、".join(place_list)})
    return visit


def case_create(
    *, title: str, kind: str, field: str, unit: Unit, actions: str, results: str, source: str, visit=None,
    initiative=None, practices=(), found_on: date, by: User, token: str | None = None,
):  # fmt: skip
    """Record a typical case with its first step, 发现, dated."""
    from .models import FieldVisit, PromotionStep, TypicalCase

    if not (by.is_office or (by.role == "unit" and by.unit_id == unit.pk)):
        raise ActionError("只能登记本单位的典型。", status=403)
    if not title.strip():
        raise ActionError("名称:不能为空。")
    if kind not in TypicalCase.Kind.values:
        raise ActionError("类型:请选择先进典型或后进典型。")
    if not actions.strip():
        raise ActionError("主要做法:不能为空,请写明做了什么(后进典型写明存在的问题)。")
    if visit is not None and not FieldVisit.objects.visible_to(by).filter(pk=visit.pk).exists():
        raise ActionError("来源调研:没有这项调研。", status=404)
    if found_on > timezone.localdate():
        raise ActionError(f"发现日期:{found_on:%Y-%m-%d} 还没有到,请填写实际发现的日期。")
    with transaction.atomic():
        _claim_token(token, by)
        case = TypicalCase.objects.create(
            title=title.strip()[:200], kind=kind, field=field.strip()[:50], unit=unit, actions=actions.strip(),
            results=results.strip(), source=source.strip()[:200] or ("调研" if visit else ""), visit=visit,
            initiative=initiative, created_by=by,
        )  # fmt: skip
        case.practices.set(practices)
        PromotionStep.objects.create(
            case=case, stage=PromotionStep.Stage.FOUND, day=found_on, what=f"{case.source}中发现"
        )
        audit_record(obj=case, action="create", by=by, after={"名称": case.title, "类型": case.get_kind_display()})
    return case


# --- Links from tasks, briefs, problems and practices (相关文件) -----------------------

# The objects that may cite a document, as app_label.model; each is looked up through its own visible_to.
LINKABLE = {
    "work.task": "督办事项",
    "reports.brief": "汇报",
    "problems.problem": "遗留问题",
    "rankings.peerpractice": "学左右案例",
    "library.fieldvisit": "调研",
    "library.typicalcase": "典型",
}


def _visible(model, user):
    manager = model._default_manager
    if hasattr(manager, "visible_to"):
        return manager.visible_to(user)
    # A model without its own scoping (peer practices) is read by every logged-in user, as its pages are.
    return manager.all() if user.is_authenticated else manager.none()


def can_link(obj, user: User) -> bool:
    """Whoever may see the object and acts on work (the office, a unit's liaison) may cite a document from it."""
    label = obj._meta.label_lower
    if label not in LINKABLE or not user.is_authenticated:
        return False
    if not (user.is_office or user.role == "unit"):
        return False
    if not hasattr(type(obj)._default_manager, "visible_to") and not user.is_office:
        # Peer practices are read by all but kept by the office: only the office cites documents from them.
        return False
    return _visible(type(obj), user).filter(pk=obj.pk).exists()


def document_link(*, document: Document, obj, by: User, note: str = ""):
    """Cite a document from a task, brief, problem or practice; recorded on the object's trace."""
    from django.contrib.contenttypes.models import ContentType

    from .models import DocumentLink

    if obj._meta.label_lower not in LINKABLE:
        raise ActionError("这类内容不能关联文件。")
    if not can_link(obj, by):
        raise ActionError("没有权限为这项内容关联文件。", status=404)
    if not Document.objects.visible_to(by).filter(pk=document.pk).exists():
        raise ActionError("没有这份文件。", status=404)
    content_type = ContentType.objects.get_for_model(obj)
    if DocumentLink.objects.filter(document=document, content_type=content_type, object_id=obj.pk).exists():
        raise ActionError(f"已经关联过“{document.title}”了。", status=409)
    with transaction.atomic():
        link = DocumentLink.objects.create(
            document=document, content_type=content_type, object_id=obj.pk, note=note.strip()[:200], created_by=by
        )
        audit_record(obj=obj, action="document_link", by=by,
                     after={"相关文件": document.title, "文号": document.number, "说明": link.note})  # fmt: skip
    return link


def document_unlink(*, link, by: User) -> None:
    obj = link.obj
    if obj is None or not can_link(obj, by):
        raise ActionError("没有权限取消这项关联。", status=404)
    with transaction.atomic():
        audit_record(obj=obj, action="document_unlink", by=by,
                     before={"相关文件": link.document.title, "文号": link.document.number})  # fmt: skip
        link.delete()


def document_find(text: str, user: User) -> Document:
    """The one document a user means by a 文号 (any spelling), a title, or a link's number (#12)."""
    text = (text or "").strip()
    visible = Document.objects.visible_to(user)
    if not text:
        raise ActionError("相关文件:请填写文号或标题。")
    if text.lstrip("#").isdigit():
        found = visible.filter(pk=int(text.lstrip("#"))).first()
        if found:
            return found
    key = number_key(text)
    matches = list(visible.filter(number_key=key)[:2]) if key else []
    if not matches:
        matches = list(visible.filter(title=text)[:2]) or list(visible.filter(title__icontains=text)[:6])
    if not matches:
        raise ActionError(f"相关文件:文件库中没有“{text}”,请核对文号或标题,或先把文件上传到文件库。")
    if len(matches) > 1:
        titles = "、".join(f"“{m.title}”" for m in matches[:5])
        raise ActionError(f"相关文件:“{text}”对应多份文件({titles}),请写完整的文号或标题。")
    return matches[0]


# --- What a unit follows (盯上) ---------------------------------------------------------


def followed_fields_save(*, unit: Unit, fields: list[str], by: User) -> list[str]:
    """Set the fields a unit follows; its feed brings new and changed documents of those fields."""
    from .models import FollowedField

    if not (by.is_office or (by.role == "unit" and by.unit_id == unit.pk)):
        raise ActionError("只能设置本单位关注的领域。", status=403)
    cleaned = list(dict.fromkeys(f.strip() for f in fields if f.strip()))
    if any(len(f) > 50 for f in cleaned):
        raise ActionError("关注领域:每个领域不超过50个字,请用顿号分隔。")
    before = sorted(FollowedField.objects.filter(unit=unit).values_list("field", flat=True))
    with transaction.atomic():
        FollowedField.objects.filter(unit=unit).exclude(field__in=cleaned).delete()
        for field in cleaned:
            FollowedField.objects.get_or_create(unit=unit, field=field)
        audit_record(obj=unit, action="library_follow", by=by, before={"关注领域": "、".join(before)},
                     after={"关注领域": "、".join(cleaned)})  # fmt: skip
    return cleaned


def feed_seen(*, user: User, at=None) -> None:
    from .models import FeedSeen

    FeedSeen.objects.update_or_create(user=user, defaults={"seen_at": at or timezone.now()})


def finding_propose(*, finding, by: User):
    """A unit's liaison asks the office to make a finding a 督办 task; the office sees it on the visits page."""
    from .models import FieldVisit

    if not FieldVisit.objects.visible_to(by).filter(pk=finding.visit_id).exists():
        raise ActionError("没有这项调研。", status=404)
    if finding.task_id:
        raise ActionError("这条发现已经转为督办事项了。", status=409)
    if finding.kind != finding.Kind.FINDING:
        raise ActionError("政策建议不转为督办事项,已作为建议记录在调研报告中。")
    if finding.proposed_at:
        raise ActionError("这条发现已经提请督查室转办,请等待督查室处理。", status=409)
    with transaction.atomic():
        finding.proposed_by, finding.proposed_at = by, timezone.now()
        finding.save(update_fields=["proposed_by", "proposed_at"])
        audit_record(obj=finding.visit, action="finding_propose", by=by, after={"发现": finding.text})
    return finding
