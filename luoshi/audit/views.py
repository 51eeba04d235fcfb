"""The auditor's pages (安全审计员): read the trail and the login log, export them, verify the chain.

Only the auditor enters: the system administrator and the security officer act, the auditor checks what
they did (三员分立), and nobody changes a line of either log.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from luoshi.lib.http import BadInput, query_int
from luoshi.lib.xlsx import write_table, xlsx_response
from luoshi.org.models import LoginEvent, User

from .models import AuditArchive, AuditEntry
from .services import audit_record, verify_chain

# Exports stop here: a larger range is asked for in parts, so that one download never holds a worker long.
EXPORT_LIMIT = 100_000


def _require_auditor(request) -> None:
    if request.user.role != User.Role.AUDITOR:
        raise PermissionDenied("审计日志仅限安全审计员查看。")


def _date(request, name: str, label: str):
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%d").date()
    except ValueError:
        raise BadInput(f"{label}“{raw[:20]}”不是日期,请写成 2026-11-30。") from None


def _filtered(request, rows, *, at: str, text_fields: list[str]):
    start, end = _date(request, "from", "起始日期"), _date(request, "to", "截止日期")
    zone = timezone.get_current_timezone()
    if start:
        rows = rows.filter(**{f"{at}__gte": datetime.combine(start, time.min, zone)})
    if end:
        rows = rows.filter(**{f"{at}__lt": datetime.combine(end + timedelta(days=1), time.min, zone)})
    q = request.GET.get("q", "").strip()[:100]
    if q:
        condition = Q()
        for field in text_fields:
            condition |= Q(**{f"{field}__icontains": q})
        rows = rows.filter(condition)
    return rows, {"from": start, "to": end, "q": q}


def _entries(request):
    entries = AuditEntry.objects.select_related("content_type").order_by("-seq")
    entries, filters = _filtered(request, entries, at="at", text_fields=["actor_name", "note", "action"])
    action = request.GET.get("action", "").strip()[:40]
    if action:
        entries = entries.filter(action=action)
    filters["action"] = action
    return entries, filters


def index(request):
    """The trail, newest first, with filters; the chain's last verification; the archives."""
    _require_auditor(request)
    entries, filters = _entries(request)
    page_number = query_int(request, "page", label="页码", default=1, minimum=1, maximum=1_000_000)
    page = Paginator(entries, 50).get_page(page_number)
    actions = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
    context = {
        "page": page,
        "filters": filters,
        "actions": list(actions),
        "archives": AuditArchive.objects.order_by("-upto_seq")[:10],
        "retention_days": settings.LUOSHI_AUDIT_RETENTION_DAYS,
        "query": request.GET.urlencode(),
    }
    return render(request, "audit/index.html", context)


def logins(request):
    """The login log, newest first, with filters."""
    _require_auditor(request)
    events, filters = _filtered(
        request, LoginEvent.objects.select_related("user"), at="at", text_fields=["username", "ip", "user_agent"]
    )
    kind = request.GET.get("kind", "").strip()
    if kind:
        events = events.filter(kind=kind)
    filters["kind"] = kind
    page_number = query_int(request, "page", label="页码", default=1, minimum=1, maximum=1_000_000)
    page = Paginator(events, 50).get_page(page_number)
    return render(
        request, "audit/logins.html",
        {"page": page, "filters": filters, "kinds": LoginEvent.Kind.choices, "query": request.GET.urlencode()},
    )  # fmt: skip


def _too_many(count: int) -> None:
    if count > EXPORT_LIMIT:
        raise BadInput(f"所选范围共 {count} 条,超过单次导出上限 {EXPORT_LIMIT} 条,请缩小日期范围分次导出。")


def export(request):
    """The filtered trail as the .xlsx an auditor files; the export itself is traced."""
    _require_auditor(request)
    entries, filters = _entries(request)
    _too_many(entries.count())
    rows = [
        [
            entry.seq, timezone.localtime(entry.at).strftime("%Y-%m-%d %H:%M:%S"), entry.actor_name, entry.action,
            entry.content_type.name, entry.object_id, entry.note,
            "；".join(f"{label}:{before} → {after}" for label, before, after in entry.changes()), entry.hash,
        ]
        for entry in entries.iterator(chunk_size=2000)
    ]  # fmt: skip
    workbook = Workbook()
    write_table(
        workbook.active,
        title=f"{settings.LUOSHI_COUNTY_NAME}落实系统操作审计日志({timezone.localdate():%Y年%m月%d日}导出)",
        headers=[
            "序号",
            "时间",
            "操作人",
            "操作",
            "对象类型",
            "对象编号",
            "说明",
            "变更内容(修改前 → 修改后)",
            "本条摘要",
        ],
        rows=rows,
        widths=[8, 20, 14, 18, 14, 10, 40, 60, 20],
    )
    workbook.active.title = "审计日志"
    audit_record(obj=request.user, action="audit_export", by=request.user, note=f"导出审计日志 {len(rows)} 条",
                 after={key: str(value) for key, value in filters.items() if value})  # fmt: skip
    return xlsx_response(workbook, f"审计日志-{timezone.localdate():%Y%m%d}.xlsx")


def logins_export(request):
    _require_auditor(request)
    events, filters = _filtered(
        request, LoginEvent.objects.select_related("user"), at="at", text_fields=["username", "ip", "user_agent"]
    )
    _too_many(events.count())
    rows = [
        [timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M:%S"), event.get_kind_display(), event.username,
         str(event.user or ""), event.ip or "", event.user_agent]
        for event in events.iterator(chunk_size=2000)
    ]  # fmt: skip
    workbook = Workbook()
    write_table(
        workbook.active,
        title=f"{settings.LUOSHI_COUNTY_NAME}落实系统登录日志({timezone.localdate():%Y年%m月%d日}导出)",
        headers=["时间", "事件", "用户名", "用户", "IP 地址", "浏览器"],
        rows=rows,
        widths=[20, 16, 16, 14, 18, 60],
    )
    workbook.active.title = "登录日志"
    audit_record(obj=request.user, action="audit_export", by=request.user, note=f"导出登录日志 {len(rows)} 条",
                 after={key: str(value) for key, value in filters.items() if value})  # fmt: skip
    return xlsx_response(workbook, f"登录日志-{timezone.localdate():%Y%m%d}.xlsx")


@require_POST
def verify(request):
    """Walk the chain now and say whether it holds, or which entry first does not."""
    _require_auditor(request)
    checked, problem = verify_chain()
    if problem:
        messages.error(request, f"校验未通过:{problem}(此前 {checked} 条完好)")
    else:
        messages.success(request, f"校验通过:共 {checked} 条,哈希链完整。")
    audit_record(obj=request.user, action="audit_verify", by=request.user,
                 note="校验留痕哈希链:" + ("通过" if not problem else "未通过," + problem))  # fmt: skip
    return redirect("audit:index")
