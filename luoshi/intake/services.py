"""Writes of the document intake: a document into a draft 任务分解表, the office's corrections, and
the confirmation that turns the accepted rows into tasks through `work.services.task_create_many`.

Every write is office-only and refuses with an `ActionError` in Chinese. A confirmed table is
never changed again; a second confirmation creates nothing.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from luoshi.lib import deadlines
from luoshi.lib.errors import ActionError, AlreadySubmitted
from luoshi.org.models import CountySettings, Leader, Unit, User
from luoshi.org.services import HOW_FUZZY, UnitDirectory, leader_resolve, unit_resolve, unit_resolve_many
from luoshi.work.models import Cadence, Task
from luoshi.work.services import TaskSpec, task_create_many

from .extract import Row, find_when, propose
from .mentions import current_scanner
from .models import Decomposition, DecompositionRow
from .outline import sentence_spans
from .reading import SourceDocument

# A task's name is at most this long; the whole requirement goes into 具体要求.
TITLE_CHARS = 30
GROUP_LABELS = {"township": "各乡镇", "department": "县直各单位", "all": "各单位"}


def _require_office(by: User) -> None:
    if not by.is_office:
        raise ActionError("只有督查室可以分解文件。", status=403)


def _require_draft(decomposition: Decomposition) -> None:
    if not decomposition.is_draft:
        raise ActionError("这份分解表已经确认并生成了事项,不能再修改。请到督办事项中调整。", status=409)


def _require_open(row: DecompositionRow, what: str = "修改") -> None:
    """Refuse a row already confirmed into a task, as the database says (the caller holds the table's lock)."""
    if row.confirmed or DecompositionRow.objects.filter(pk=row.pk, task__isnull=False).exists():
        raise ActionError(f"“{(row.title or row.text)[:20]}”已确认并生成事项,不能再{what}。请到督办事项中调整。",
                          status=409)  # fmt: skip


_LEAD_IN = re.compile(
    r"^(?:[一二三四五六七八九十]+是|[(\uff08][一二三四五六七八九十\d]+[)\uff09]|\d+[.、\uff0e]|第[一二三四五六七八九十]+[,\uff0c、]?)"
)
_CLAUSE = re.compile(r"[,\uff0c;\uff1b。:\uff1a!\uff01?\uff1f]")
_MUST = re.compile(r"^.{0,12}?(?:一定要|必须|务必|要)")


def propose_title(text: str, *, limit: int = TITLE_CHARS) -> str:
    """A short 事项名称 from a requirement: its first clause, without 一是 or the subject before 要,
    at most `limit` characters. The office can rewrite it; the whole sentence stays the requirement."""
    words = re.sub(r"\s+", "", text or "")
    words = _LEAD_IN.sub("", words)
    clauses = [c for c in _CLAUSE.split(words) if c]
    title = next((c for c in clauses if len(c) >= 6), clauses[0] if clauses else "")
    if (must := _MUST.match(title)) and len(title) - must.end() >= 4:
        title = title[must.end() :]
    return title if len(title) <= limit else title[: limit - 1] + "…"


def _cadence(parsed: deadlines.Deadline | None, county: CountySettings, words: str = "") -> tuple[str, int]:
    """The row's own cadence, none when its deadline or its words say 不定期, else the county's default."""
    if parsed is None:
        return county.cadence_for("none", 0, words)
    return county.cadence_for(parsed.cadence, parsed.cadence_day, f"{parsed.text} {words}")


# --- Creating the draft -----------------------------------------------------


def decomposition_create(
    *, document: SourceDocument, by: User, source_date: date | None = None, source_kind: str = Task.SourceKind.SPEECH
) -> Decomposition:
    """Read a document into a draft: the outline and one proposed row per requirement.

    The date is the one given, else the document's own (a date line, a year in the title), else
    today, said so on the review page so that the office checks it.
    """
    _require_office(by)
    own = own_date(document)
    if source_date:
        base, how = source_date, "上传时填写"
    elif own:
        base, how = own
    elif document.date:
        base, how = document.date, document.date_how
    else:
        base, how = timezone.localdate(), "文件中未写日期,按今天计算,请核对"
    minutes = source_kind == Task.SourceKind.MINUTES
    proposal = propose(document, base=base, scanner=current_scanner(), minutes=minutes)
    with transaction.atomic():
        decomposition = Decomposition.objects.create(
            title=(document.title or document.name or "未命名文件")[:200],
            source_kind=source_kind,
            source_date=base,
            date_how=how[:100],
            file_name=document.name[:200],
            file_kind=document.kind,
            paragraphs=document.paragraphs,
            table_rows=sorted(document.table_rows),
            outline=[child.as_dict() for child in proposal.outline.children],
            notes=document.notes,
            created_by=by,
        )
        _rows_create(decomposition, proposal.rows)
        _rows_from_columns(decomposition, document)
    return decomposition


_ACCORDING_TO = re.compile(r"^根据.{0,120}?[(\uff08]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*[)\uff09]")


def own_date(document: SourceDocument) -> tuple[date, str] | None:
    """The date of the document a 任务分解表 decomposes, as its opening says (根据……(2022年3月15日)): the
    table's own date, not the date it was signed and sent."""
    for paragraph in document.paragraphs[:5]:
        if match := _ACCORDING_TO.match(paragraph.strip()):
            try:
                day = date(*(int(part) for part in match.groups()))
            except ValueError:
                continue
            return day, f"取自文首“{paragraph.strip()[: match.end()][:60]}”"
    return None


def _table_columns(document: SourceDocument) -> dict[int, dict[str, str]]:
    """The rows of a table whose header the ledger import knows (牵头单位, 配合单位, 责任领导, 完成时限 …), as
    field → the cell's text, by paragraph."""
    from luoshi.ledger.reader import header_key

    out: dict[int, dict[str, str]] = {}
    mapping: dict[str, int] | None = None
    for index in sorted(document.table_cells):
        cells = document.table_cells[index]
        if index - 1 not in document.table_cells:
            mapping = None  # a new table
        keys = [header_key(cell) for cell in cells]
        if {"lead", "deadline"} & set(keys) and {"title", "requirements"} & set(keys):
            mapping = {}
            for column, key in enumerate(keys):
                if key and key not in mapping:
                    mapping[key] = column
            continue
        if mapping is not None:
            out[index] = {key: cells[column] for key, column in mapping.items() if column < len(cells)}
    return out


@dataclass
class TableRow:
    """One row of a 任务分解表 inside a document, read by its columns."""

    paragraph: int
    title: str
    text: str
    lead: Unit | None = None
    lead_group: str = ""
    lead_text: str = ""
    supporting: list[Unit] = field(default_factory=list)
    leader: Leader | None = None
    deadline: deadlines.Deadline | None = None

    def as_dict(self) -> dict:
        d = self.deadline
        return {
            "paragraph": self.paragraph,
            "title": self.title,
            "text": self.text,
            "lead": self.lead.name if self.lead else GROUP_LABELS.get(self.lead_group, self.lead_text),
            "supporting": [unit.name for unit in self.supporting],
            "leader": self.leader.name if self.leader else None,
            "deadline": None if d is None else {"date": d.date.isoformat() if d.date else None, "standing": d.standing,
                                                "cadence": d.cadence, "cadence_day": d.cadence_day, "text": d.text},
        }  # fmt: skip


def table_rows(document: SourceDocument, *, base: date) -> list[TableRow]:
    """The rows of the document's 任务分解表, when it has one with 牵头单位 or 完成时限 columns: the columns say
    who does what by when, better than the units and dates found in the words. Empty when there is none."""
    directory = UnitDirectory.load()
    out = []
    for paragraph, cells in _table_columns(document).items():
        text = (cells.get("requirements") or cells.get("title") or "").strip()
        if not text:
            continue
        row = TableRow(paragraph, (cells.get("title") or "").strip()[:60] or propose_title(text), text)
        # A name not in the directory keeps what the words said, for the office to choose.
        row.lead_text = cells.get("lead", "").strip()
        with contextlib.suppress(ActionError):
            row.lead, row.lead_group = resolve_lead(row.lead_text, directory=directory)
        if leader_text := cells.get("leader", "").strip():
            row.leader = leader_resolve(leader_text)
        parsed = deadlines.parse(cells.get("deadline", ""), base=base)
        row.deadline = parsed if parsed.ok else None
        found = [u for r in unit_resolve_many(cells.get("supporting", ""), directory=directory) for u in r.units]
        row.supporting = [unit for unit in dict.fromkeys(found) if unit != row.lead]
        out.append(row)
    return out


def _rows_from_columns(decomposition: Decomposition, document: SourceDocument) -> None:
    """Rows of a 任务分解表 in the document take their units, leader and deadline from its columns. A table row
    the proposal passed over becomes a row too, and the words around the table (根据……, 请各单位……) are its
    covering note, not tasks."""
    rows_read = table_rows(document, base=decomposition.source_date)
    if not rows_read:
        return
    decomposition.rows.exclude(paragraph__in=[r.paragraph for r in rows_read]).delete()
    decomposition.notes = [
        *decomposition.notes,
        "文件中有任务分解表(牵头单位、完成时限等列),已按表格逐行读取;表格以外的文字未列为任务。",
    ]
    decomposition.save(update_fields=["notes"])
    county = CountySettings.load()
    rows = {row.paragraph: row for row in decomposition.rows.all()}
    for read in rows_read:
        row = rows.get(read.paragraph)
        if row is None:
            source = document.paragraphs[read.paragraph]
            row = DecompositionRow(decomposition=decomposition, order=0, source=source, paragraph=read.paragraph,
                                   start=0, paragraph_end=read.paragraph, end=len(source), why=["表格行"])  # fmt: skip
        row.text, row.title = read.text, read.title
        if read.lead or read.lead_group:
            row.lead, row.lead_group = read.lead, read.lead_group
        row.leader = read.leader or row.leader
        if read.deadline is not None:
            row.deadline_text = read.deadline.text[:100]
            row.deadline, row.standing = read.deadline.date, read.deadline.standing
            row.cadence, row.cadence_day = _cadence(read.deadline, county)
        row.save()
        lead_ids = _lead_ids(row)
        row.supporting.set([unit for unit in read.supporting if unit.pk not in lead_ids])
    ordered = sorted(decomposition.rows.all(), key=lambda r: (r.paragraph is None, r.paragraph or 0, r.start or 0))
    for order, row in enumerate(ordered, start=1):
        row.order = order * 10
    DecompositionRow.objects.bulk_update(ordered, ["order"])


def _rows_create(decomposition: Decomposition, rows: list[Row]) -> None:
    made = []
    supporting = []
    county = CountySettings.load()
    for order, row in enumerate(rows, start=1):
        deadline = row.deadline
        cadence, cadence_day = _cadence(deadline, county, row.text)
        item = DecompositionRow(
            decomposition=decomposition,
            order=order * 10,
            title=propose_title(row.text),
            text=row.text,
            section=row.section[:200],
            paragraph=row.paragraph,
            start=row.start,
            paragraph_end=row.paragraph_end,
            end=row.end,
            source=row.source,
            why=row.why,
            unit_mentions=list(dict.fromkeys([*(m.text for m in row.mentions), *row.unresolved])),
            unresolved_mentions=row.unresolved,
            leader=row.leader,
            deadline_text=row.when[:100],
            deadline=deadline.date if deadline else None,
            standing=bool(deadline and deadline.standing),
            milestones=_milestones_json(row.milestones),
            deadline_note=row.deadline_note[:300],
            cadence=cadence,
            cadence_day=cadence_day,
        )
        lead_mention = next((m for m in row.mentions if m.resolution.how != HOW_FUZZY), None)
        others: list[Unit] = []
        if lead_mention is not None:
            if lead_mention.group:
                item.lead_group = lead_mention.group
            else:
                item.lead = lead_mention.resolution.units[0]
            for mention in row.mentions:
                if mention is lead_mention or mention.resolution.how == HOW_FUZZY:
                    continue
                others += mention.resolution.units
        made.append(item)
        supporting.append(others)
    DecompositionRow.objects.bulk_create(made)
    nested = []
    for item, row in zip(made, rows, strict=True):
        if row.parent is not None:
            item.parent = made[row.parent]
            nested.append(item)
    DecompositionRow.objects.bulk_update(nested, ["parent"])
    through = DecompositionRow.supporting.through
    links = []
    for item, units in zip(made, supporting, strict=True):
        lead_ids = _lead_ids(item)
        for unit_id in dict.fromkeys(u.pk for u in units):
            if unit_id not in lead_ids:
                links.append(through(decompositionrow_id=item.pk, unit_id=unit_id))
    through.objects.bulk_create(links, batch_size=1000)


def _lead_ids(row: DecompositionRow) -> set[int]:
    """The units a supporting unit may not be. A group lead (县直各单位) keeps its supporting units: they
    support the group's tasks instead of getting one of their own."""
    return {row.lead_id} if row.lead_id else set()


# --- Corrections ------------------------------------------------------------


@dataclass
class RowChange:
    """A row as the office edits it on the review page; names are written as in a ledger."""

    text: str
    title: str = ""
    lead: str = ""
    supporting: str = ""
    leader: str = ""
    deadline: str = ""
    accepted: bool = True


def resolve_lead(text: str, *, directory: UnitDirectory | None = None) -> tuple[Unit | None, str]:
    """One unit or one group word (各乡镇, 县直各单位, 各单位) for the 牵头单位 column."""
    text = (text or "").strip()
    if not text:
        return None, ""
    for key, label in GROUP_LABELS.items():
        if text == label:
            return None, key
    resolution = unit_resolve(text, directory=directory)
    if not resolution.units:
        hint = "、".join(u.name for u in resolution.suggestions[:3])
        raise ActionError(f"牵头单位“{text}”不在单位名录中。" + (f"是否是:{hint}?" if hint else "请从名录中选择。"))
    if len(resolution.units) > 1:
        kinds = {unit.kind for unit in resolution.units}
        if kinds == {Unit.Kind.TOWNSHIP}:
            return None, "township"
        if kinds == {Unit.Kind.DEPARTMENT}:
            return None, "department"
        return None, "all"
    return resolution.units[0], ""


def resolve_supporting(text: str, *, directory: UnitDirectory | None = None) -> list[Unit]:
    units: list[Unit] = []
    for resolution in unit_resolve_many(text or "", directory=directory):
        if not resolution.units:
            hint = "、".join(u.name for u in resolution.suggestions[:3])
            raise ActionError(
                f"配合单位“{resolution.mention}”不在单位名录中。" + (f"是否是:{hint}?" if hint else "请检查名称。")
            )
        units += resolution.units
    return list(dict.fromkeys(units))


def resolve_leader(text: str) -> Leader | None:
    text = (text or "").strip()
    if not text:
        return None
    leader = leader_resolve(text)
    if leader is None:
        raise ActionError(f"责任领导“{text}”无法确定。请填写领导姓名(如张伟)或职务(如常务副县长)。")
    return leader


def _milestones_json(items: list[tuple[str, date]]) -> list[dict]:
    return [{"title": title, "due": due.isoformat()} for title, due in items]


def read_deadline(text: str, base: date) -> deadlines.Deadline | None:
    text = (text or "").strip()
    if not text:
        return None
    parsed = deadlines.parse(text, base=base)
    if not parsed.ok:
        raise ActionError(parsed.problem)
    return parsed


@transaction.atomic
def row_update(*, row: DecompositionRow, change: RowChange, by: User) -> DecompositionRow:
    _require_office(by)
    decomposition = Decomposition.objects.select_for_update().get(pk=row.decomposition_id)
    _require_draft(decomposition)
    _require_open(row)
    text = change.text.strip()
    if not text:
        raise ActionError(f"第{_number(row)}行:工作要求不能为空。不需要这一行请删除。")
    title = re.sub(r"\s+", " ", change.title).strip()
    if len(title) > 60:
        raise ActionError(f"第{_number(row)}行:事项名称不能超过60字(现有{len(title)}字),较长的内容请写在工作要求里。")
    directory = UnitDirectory.load()
    lead, group = resolve_lead(change.lead, directory=directory)
    supporting = resolve_supporting(change.supporting, directory=directory)
    leader = resolve_leader(change.leader)
    parsed = read_deadline(change.deadline, decomposition.source_date)
    # A name nobody wrote by hand follows the requirement when that is rewritten.
    if not title or (title == propose_title(row.text) and text != row.text):
        title = propose_title(text)
    row.title = title
    row.text = text
    row.lead, row.lead_group = lead, group
    row.leader = leader
    if change.deadline.strip() != row.deadline_text:
        row.milestones = _milestones_json(deadlines.milestones(change.deadline, base=decomposition.source_date))
        row.deadline_note = deadlines.note(parsed)[:300]
    row.deadline_text = change.deadline.strip()[:100]
    row.deadline = parsed.date if parsed else None
    row.standing = bool(parsed and parsed.standing)
    row.cadence, row.cadence_day = _cadence(parsed, CountySettings.load())
    row.accepted = change.accepted
    row.edited = True
    row.save()
    lead_ids = _lead_ids(row)
    row.supporting.set([unit for unit in supporting if unit.pk not in lead_ids])
    return row


def _number(row: DecompositionRow) -> int:
    return list(row.decomposition.rows.values_list("pk", flat=True)).index(row.pk) + 1


@transaction.atomic
def row_accept(*, row: DecompositionRow, by: User, accepted: bool = True) -> None:
    _require_office(by)
    _require_draft(Decomposition.objects.select_for_update().get(pk=row.decomposition_id))
    _require_open(row, "取消采纳" if not accepted else "修改")
    DecompositionRow.objects.filter(pk=row.pk).update(accepted=accepted)


@transaction.atomic
def rows_accept_all(*, decomposition: Decomposition, by: User) -> int:
    _require_office(by)
    _require_draft(Decomposition.objects.select_for_update().get(pk=decomposition.pk))
    return decomposition.rows.filter(accepted=False, task__isnull=True).update(accepted=True)


@transaction.atomic
def row_delete(*, row: DecompositionRow, by: User) -> None:
    _require_office(by)
    _require_draft(Decomposition.objects.select_for_update().get(pk=row.decomposition_id))
    _require_open(row, "删除")
    row.delete()


@transaction.atomic
def row_merge(*, row: DecompositionRow, by: User) -> DecompositionRow:
    """Merge a row with the next one: the texts joined, the source spanning both, the units of both."""
    _require_office(by)
    _require_draft(Decomposition.objects.select_for_update().get(pk=row.decomposition_id))
    _require_open(row, "合并")
    following = row.decomposition.rows.filter(order__gt=row.order).order_by("order", "id").first()
    if following is None:
        raise ActionError("这是最后一行,没有下一行可以合并。")
    _require_open(following, "合并")
    row.text = row.text.rstrip() + following.text.strip()
    row.title = propose_title(row.text)
    if row.has_source and following.has_source:
        row.paragraph_end, row.end = following.paragraph_end, following.end
        row.source = _span_text(row.decomposition, row.paragraph, row.start, row.paragraph_end, row.end)
    elif following.has_source:
        row.paragraph, row.start = following.paragraph, following.start
        row.paragraph_end, row.end, row.source = following.paragraph_end, following.end, following.source
    row.why = list(dict.fromkeys([*row.why, *following.why]))
    row.unit_mentions = list(dict.fromkeys([*row.unit_mentions, *following.unit_mentions]))
    row.unresolved_mentions = list(dict.fromkeys([*row.unresolved_mentions, *following.unresolved_mentions]))
    if not row.lead_id and not row.lead_group:
        row.lead, row.lead_group = following.lead, following.lead_group
    row.leader = row.leader or following.leader
    if not row.deadline and not row.standing and row.cadence == Cadence.NONE:
        row.deadline, row.standing, row.deadline_text = following.deadline, following.standing, following.deadline_text
        row.cadence, row.cadence_day = following.cadence, following.cadence_day
    row.edited = True
    row.save()
    lead_ids = _lead_ids(row)
    extra = [u for u in following.supporting.all() if u.pk not in lead_ids]
    if following.lead_id and following.lead_id not in lead_ids:
        extra.append(following.lead)
    row.supporting.add(*extra)
    # The rows the merged one headed now belong to the merged row (never to itself).
    following.children.exclude(pk=row.pk).update(parent=row)
    if row.parent_id == following.pk:
        row.parent = following.parent if following.parent_id != row.pk else None
        row.save(update_fields=["parent"])
    following.delete()
    return row


def _span_text(decomposition: Decomposition, paragraph: int, start: int, paragraph_end: int, end: int) -> str:
    paragraphs = decomposition.paragraphs
    if paragraph == paragraph_end:
        return paragraphs[paragraph][start:end]
    middle = paragraphs[paragraph + 1 : paragraph_end]
    return "\n".join([paragraphs[paragraph][start:], *middle, paragraphs[paragraph_end][:end]])


@transaction.atomic
def row_split(*, row: DecompositionRow, by: User) -> DecompositionRow:
    """Split a row in two: at a sentence break of its source when it has two, else into two copies to edit."""
    _require_office(by)
    decomposition = Decomposition.objects.select_for_update().get(pk=row.decomposition_id)
    _require_draft(decomposition)
    _require_open(row, "拆分")
    second = DecompositionRow.objects.get(pk=row.pk)
    second.pk = None
    DecompositionRow.objects.filter(decomposition=decomposition, order__gt=row.order).update(order=F("order") + 10)
    second.order = row.order + 5
    if row.has_source and row.paragraph == row.paragraph_end:
        paragraph = decomposition.paragraphs[row.paragraph]
        inner = [(row.start + s, row.start + e) for s, e in sentence_spans(paragraph[row.start : row.end])]
        if len(inner) >= 2:
            cut = inner[0][1]
            first_source, second_source = paragraph[row.start : cut], paragraph[cut : row.end]
            row.text, second.text = first_source.strip(), second_source.strip()
            row.title, second.title = propose_title(row.text), propose_title(second.text)
            row.source, second.source = first_source, second_source
            row.end, second.start = cut, cut
    row.edited = second.edited = True
    row.save()
    second.save()
    second.supporting.set(row.supporting.all())
    return second


@transaction.atomic
def row_add(
    *,
    decomposition: Decomposition,
    by: User,
    text: str = "",
    paragraph: int | None = None,
    start: int = 0,
    end: int = 0,
) -> DecompositionRow:
    """A row the proposal missed: typed, or taken from a passage the office selected in the document."""
    _require_office(by)
    decomposition = Decomposition.objects.select_for_update().get(pk=decomposition.pk)
    _require_draft(decomposition)
    source = ""
    if paragraph is not None:
        if not 0 <= paragraph < len(decomposition.paragraphs):
            raise ActionError("选中的段落不存在,请重新选择。")
        length = len(decomposition.paragraphs[paragraph])
        if not 0 <= start < end <= length:
            raise ActionError("选中的文字位置有误,请在左侧原文中重新选择。")
        source = decomposition.paragraphs[paragraph][start:end]
    text = (text or source).strip()
    if not text:
        raise ActionError("请填写工作要求,或先在左侧原文中选中一段文字。")
    last = decomposition.rows.aggregate(last=Max("order"))["last"] or 0
    when, parsed = find_when(source or text, decomposition.source_date)
    cadence, cadence_day = _cadence(parsed, CountySettings.load(), text)
    return DecompositionRow.objects.create(
        decomposition=decomposition,
        order=last + 10,
        title=propose_title(text),
        text=text,
        paragraph=paragraph,
        start=start if paragraph is not None else None,
        paragraph_end=paragraph,
        end=end if paragraph is not None else None,
        source=source,
        why=["手工添加"],
        deadline_text=when[:100],
        deadline=parsed.date if parsed else None,
        standing=bool(parsed and parsed.standing),
        milestones=_milestones_json(deadlines.milestones(source or text, base=decomposition.source_date)),
        deadline_note=deadlines.note(parsed)[:300],
        cadence=cadence,
        cadence_day=cadence_day,
        accepted=True,
        edited=True,
    )


@transaction.atomic
def rows_fill(*, decomposition: Decomposition, by: User, lead: str = "", deadline: str = "") -> int:
    """Fill in, at once, the rows the document left without a 牵头单位 or a 完成时限."""
    _require_office(by)
    decomposition = Decomposition.objects.select_for_update().get(pk=decomposition.pk)
    _require_draft(decomposition)
    changed = 0
    if lead.strip():
        unit, group = resolve_lead(lead)
        changed += decomposition.rows.filter(lead__isnull=True, lead_group="", task__isnull=True).update(
            lead=unit, lead_group=group, edited=True
        )
    if deadline.strip():
        parsed = read_deadline(deadline, decomposition.source_date)
        cadence, cadence_day = _cadence(parsed, CountySettings.load())
        changed += decomposition.rows.filter(deadline__isnull=True, standing=False, task__isnull=True).update(
            deadline_text=deadline.strip()[:100],
            deadline=parsed.date,
            standing=parsed.standing,
            cadence=cadence,
            cadence_day=cadence_day,
            edited=True,
        )
    return changed


@transaction.atomic
def decomposition_date_set(*, decomposition: Decomposition, by: User, day: date) -> None:
    """Change the document's date; the deadlines read from its words are read again against it."""
    _require_office(by)
    decomposition = Decomposition.objects.select_for_update().get(pk=decomposition.pk)
    _require_draft(decomposition)
    decomposition.source_date = day
    decomposition.date_how = "已人工核对"
    decomposition.save(update_fields=["source_date", "date_how", "updated_at"])
    county = CountySettings.load()
    for row in decomposition.rows.exclude(deadline_text="").filter(task__isnull=True):
        parsed = deadlines.parse(row.deadline_text, base=day)
        if parsed.ok:
            row.deadline, row.standing = parsed.date, parsed.standing
            row.cadence, row.cadence_day = _cadence(parsed, county)
            row.milestones = _milestones_json(deadlines.milestones(row.source or row.deadline_text, base=day))
            row.deadline_note = deadlines.note(parsed)[:300]
            row.save(update_fields=["deadline", "standing", "cadence", "cadence_day", "milestones", "deadline_note"])


# --- Confirming -------------------------------------------------------------


def _spec(decomposition: Decomposition, row: DecompositionRow, number: int, all_units: list[Unit]) -> TaskSpec:
    where = f"第{number}行"
    text = row.text.strip()
    title = row.title.strip() or propose_title(text)
    spec = TaskSpec(
        title=title,
        lead=row.lead,
        supporting=list(row.supporting.all()),
        requirements=text,
        category=row.section[:50],
        source_kind=decomposition.source_kind,
        source_title=decomposition.title[:200],
        source_date=decomposition.source_date,
        source_quote=row.source,
        leader=row.leader,
        deadline=row.deadline,
        standing=row.standing,
        cadence=row.cadence,
        cadence_day=row.cadence_day,
        milestones=[
            (item["title"], date.fromisoformat(item["due"]))
            for item in row.milestones
            if row.deadline and date.fromisoformat(item["due"]) < row.deadline
        ],
    )
    if row.lead_group == "all":
        spec.group_label = GROUP_LABELS["all"]
        spec.lead_group = all_units
    elif row.lead_group:
        spec.lead_by_group(row.lead_group)
    if spec.lead is None and not spec.lead_group:
        raise ActionError(f"{where}“{text[:20]}”:请填写牵头单位。可在表格上方一次为所有未指定的行填写。")
    if not spec.standing and spec.deadline is None:
        raise ActionError(f"{where}“{text[:20]}”:请填写完成时限,或填写“长期坚持”。")
    return spec


def decomposition_confirm(*, decomposition: Decomposition, by: User, token: str | None = None) -> list[Task]:
    """Create the tasks of the accepted rows not yet confirmed, all or nothing, each keeping its source passage.

    The rows not accepted stay editable for a later confirmation; the table is confirmed once every row is.

    1. lock the table; a confirmed one refuses, so that nothing is created twice;
    2. check every accepted open row (牵头单位, 完成时限), naming the row that lacks one;
    3. create the tasks through `task_create_many`, in the same transaction, a heading row's before the rows
       under it, whose tasks become its children;
    4. link each row to its task, and mark the table confirmed when no row is left open.
    """
    _require_office(by)
    with transaction.atomic():
        locked = Decomposition.objects.select_for_update().get(pk=decomposition.pk)
        if not locked.is_draft:
            raise ActionError("这份分解表已经确认过,事项已生成,没有重复生成。", status=409)
        rows = list(locked.rows.select_related("lead", "leader", "parent__task").prefetch_related("supporting"))
        numbered = [(number, row) for number, row in enumerate(rows, start=1) if row.accepted and not row.confirmed]
        if not numbered:
            raise ActionError("还没有采纳任何待确认的行。请逐行“采纳”,或点“全部采纳”后再确认。")
        all_units = list(Unit.objects.active().order_by("order", "id"))
        specs = {row.pk: _spec(locked, row, number, all_units) for number, row in numbered}
        # A heading row's task is the parent of the tasks of the rows under it: headings first, level by level.
        task_of = {row.parent_id: row.parent.task for _, row in numbered if row.parent_id and row.parent.task_id}
        waiting = [row for _, row in numbered]
        tasks_by_row: dict[int, Task] = {}
        try:
            while waiting:
                pending = {row.pk for row in waiting}
                ready = [row for row in waiting if row.parent_id not in pending] or waiting  # never stuck on a loop
                for row in ready:
                    specs[row.pk].parent = task_of.get(row.parent_id) if row.parent_id else None
                made = task_create_many(specs=[specs[row.pk] for row in ready], by=by, token=token)
                token = None  # one submission: the token is claimed by the first batch
                for row, task in zip(ready, made, strict=True):
                    tasks_by_row[row.pk] = task_of[row.pk] = task
                waiting = [row for row in waiting if row.pk not in tasks_by_row]
        except AlreadySubmitted:
            raise
        except ActionError as error:
            raise ActionError(f"未生成任何事项:{error.message}", status=error.status) from None
        tasks = []
        for _, row in numbered:
            row.task = tasks_by_row[row.pk]
            tasks.append(row.task)
        DecompositionRow.objects.bulk_update([row for _, row in numbered], ["task"])
        if all(row.confirmed for row in rows):
            locked.status = Decomposition.Status.CONFIRMED
            locked.confirmed_by = by
            locked.confirmed_at = timezone.now()
            locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
        else:
            locked.save(update_fields=["updated_at"])
    decomposition.refresh_from_db()
    return tasks
