"""The office's day (#13 §3): batch 签收, batch decisions in 待审核, and an extension granted to another date."""

from datetime import date

import pytest

from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import Assignment, ClosureRequest, Decision, ExtensionRequest, Task, TimelineEntry
from luoshi.work.tests.service_helpers import Action, Status, create, entries, refused, signed

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- Batch 签收 -----------------------------------------------------------------


def test_a_liaison_signs_every_waiting_task_at_once_with_one_timeline_entry_each(client, personas, clock):
    tasks = [create(personas, title=f"事项{n}") for n in range(3)]
    client.force_login(personas.liaison)
    page = client.get("/work/inbox/")
    assert "全部签收(3 项)" in page.content.decode()
    response = client.post("/work/sign/", {"scope": "all"}, follow=True)
    assert "已签收 3 个事项" in _messages(response)
    for task in tasks:
        task.refresh_from_db()
        assert task.status == Status.IN_PROGRESS
        assert [e.actor for e in entries(task, Action.SIGN)] == [personas.liaison]
    # A second submit signs nothing twice and says so.
    again = client.post("/work/sign/", {"scope": "all"}, follow=True)
    assert "请勾选要签收的事项" in _messages(again)
    assert TimelineEntry.objects.filter(action=Action.SIGN).count() == 3


def test_a_liaison_signs_only_the_ticked_tasks(client, personas, clock):
    first, second, third = (create(personas, title=f"事项{n}") for n in range(3))
    client.force_login(personas.liaison)
    response = client.post("/work/sign/", {"scope": "selected", "task": [first.pk, third.pk]}, follow=True)
    assert "已签收 2 个事项" in _messages(response)
    statuses = dict(Task.objects.values_list("pk", "status"))
    assert statuses == {first.pk: Status.IN_PROGRESS, second.pk: Status.ASSIGNED, third.pk: Status.IN_PROGRESS}


def test_ticked_tasks_signed_meanwhile_are_counted_not_signed_twice(client, personas, clock):
    first = create(personas, title="事项一")
    second = signed(personas, title="事项二")
    client.force_login(personas.liaison)
    response = client.post("/work/sign/", {"task": [first.pk, second.pk]}, follow=True)
    assert "已签收 1 个事项" in _messages(response)
    assert "另有 1 个事项此前已签收" in _messages(response)
    assert len(entries(second, Action.SIGN)) == 1


def test_batch_sign_ignores_another_units_tasks(client, personas, clock):
    mine = create(personas, title="本单位事项")
    theirs = create(personas, title="住建局事项", lead=personas.housing)
    client.force_login(personas.liaison)
    client.post("/work/sign/", {"task": [mine.pk, theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.status == Status.ASSIGNED
    assert not entries(theirs, Action.SIGN)
    # "All" means all of the liaison's own unit.
    client.post("/work/sign/", {"scope": "all"})
    theirs.refresh_from_db()
    assert theirs.status == Status.ASSIGNED


def test_batch_sign_is_all_or_nothing(personas, clock):
    first = create(personas, title="事项一")
    paused = create(personas, title="已暂停的事项")
    work_office.task_pause(task=paused, by=personas.office, reason="等待上级政策")
    refused(
        lambda: services.task_sign_many(tasks=[first, paused], by=personas.liaison),
        status=409,
        says=("已暂停的事项", "本次没有签收任何事项"),
    )
    first.refresh_from_db()
    assert first.status == Status.ASSIGNED
    assert not Assignment.objects.filter(task=first, signed_at__isnull=False).exists()


def test_a_supporting_unit_signs_in_batch_without_starting_the_task(client, personas, clock):
    task = create(personas, title="配合事项", lead=personas.housing, supporting=[personas.finance])
    client.force_login(personas.liaison)
    response = client.post("/work/sign/", {"scope": "all"}, follow=True)
    assert "已签收 1 个事项" in _messages(response)
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED
    assert Assignment.objects.get(task=task, unit=personas.finance).signed_by == personas.liaison


def test_batch_sign_is_for_liaisons_and_the_office_signs_only_what_it_ticks(client, personas, clock):
    task = create(personas)
    client.force_login(personas.leader)
    assert client.post("/work/sign/", {"scope": "all"}).status_code == 403
    # The office signs on a unit's behalf only the rows it ticked and confirmed (test_sign_on_behalf.py).
    client.force_login(personas.office)
    client.post("/work/sign/", {"scope": "all"})
    task.refresh_from_db()
    assert task.status == Status.ASSIGNED


# --- Batch decisions -------------------------------------------------------------


def _closure(personas, title):
    task = signed(personas, title=title)
    return services.task_closure_ask(task=task, by=personas.liaison, summary="已完成全部工作")


def _extension(personas, title, new=date(2026, 4, 30)):
    task = signed(personas, title=title, deadline=date(2026, 3, 27))
    return services.task_extension_ask(task=task, by=personas.liaison, reason="设备到货推迟", new_deadline=new)


def test_the_office_closes_the_ticked_closures_at_once(client, personas, clock):
    one, two, three = (_closure(personas, f"事项{n}") for n in range(3))
    client.force_login(personas.office)
    page = client.get("/work/pending/").content.decode()
    assert 'form="batch-closure"' in page
    response = client.post(
        "/work/pending/decide/", {"kind": "closure", "approve": "1", "request": [one.pk, two.pk]}, follow=True
    )
    assert "已办结销号 2 项" in _messages(response)
    assert Task.objects.get(pk=one.task_id).status == Status.DONE
    assert Task.objects.get(pk=two.task_id).status == Status.DONE
    assert Task.objects.get(pk=three.task_id).status == Status.CLOSURE_ASKED
    assert len(entries(one.task, Action.CLOSE)) == 1
    # The same ticks again: nothing decided twice, and the user is told who decided them.
    again = client.post("/work/pending/decide/", {"kind": "closure", "approve": "1", "request": [one.pk]}, follow=True)
    assert "已由" in _messages(again)
    assert len(entries(one.task, Action.CLOSE)) == 1


def test_returning_in_batch_needs_a_reason_and_then_returns_each(client, personas, clock):
    one, two = (_closure(personas, f"事项{n}") for n in range(2))
    client.force_login(personas.office)
    response = client.post(
        "/work/pending/decide/", {"kind": "closure", "approve": "0", "request": [one.pk, two.pk]}, follow=True
    )
    assert "请填写退回理由" in _messages(response)
    assert ClosureRequest.objects.filter(status=Decision.PENDING).count() == 2
    client.post(
        "/work/pending/decide/",
        {"kind": "closure", "approve": "0", "note": "请补充验收材料", "request": [one.pk, two.pk]},
    )
    assert set(Task.objects.values_list("status", flat=True)) == {Status.RETURNED}


def test_a_batch_with_one_request_decided_meanwhile_decides_none(personas, clock):
    one, two = (_extension(personas, f"事项{n}") for n in range(2))
    work_office.extension_decide(request=two, approve=True, by=personas.office)
    refused(
        lambda: work_office.extension_decide_many(requests=[one, two], approve=True, by=personas.office),
        status=409,
        says="本次勾选的申请均未处理",
    )
    one.refresh_from_db()
    assert one.status == Decision.PENDING
    assert Task.objects.get(pk=one.task_id).deadline == date(2026, 3, 27)


def test_the_office_approves_ticked_extensions_at_the_dates_asked(client, personas, clock):
    one = _extension(personas, "事项一", new=date(2026, 4, 30))
    two = _extension(personas, "事项二", new=date(2026, 5, 15))
    client.force_login(personas.office)
    response = client.post(
        "/work/pending/decide/", {"kind": "extension", "approve": "1", "request": [one.pk, two.pk]}, follow=True
    )
    assert "已同意延期 2 项" in _messages(response)
    assert Task.objects.get(pk=one.task_id).deadline == date(2026, 4, 30)
    assert Task.objects.get(pk=two.task_id).deadline == date(2026, 5, 15)


def test_batch_decisions_leave_another_offices_invisible_requests_alone(client, personas, clock):
    one = _closure(personas, "事项一")
    client.force_login(personas.liaison)
    response = client.post("/work/pending/decide/", {"kind": "closure", "approve": "1", "request": [one.pk]})
    assert response.status_code == 403
    one.refresh_from_db()
    assert one.status == Decision.PENDING


# --- An extension granted to another date ------------------------------------------


def test_the_office_grants_an_earlier_date_than_asked_with_a_reason(client, personas, clock):
    request = _extension(personas, "事项一", new=date(2026, 5, 31))
    client.force_login(personas.office)
    response = client.post(
        f"/work/extensions/{request.pk}/decide/",
        {"approve": "1", "deadline": "2026-04-30", "note": "给一个月足够,请倒排工期"},
        follow=True,
    )
    assert "完成时限延至 2026-04-30" in _messages(response)
    request.refresh_from_db()
    assert (request.new_deadline, request.granted_deadline, request.status) == (
        date(2026, 5, 31),
        date(2026, 4, 30),
        Decision.APPROVED,
    )
    task = Task.objects.get(pk=request.task_id)
    assert task.deadline == date(2026, 4, 30)
    entry = entries(task, Action.EXTENSION_APPROVE)[-1]
    assert "申请延至 2026-05-31,批准延至 2026-04-30" in entry.note
    assert (entry.before["deadline"], entry.after["deadline"]) == ("2026-03-27", "2026-04-30")
    # The unit is told the date granted, not the date asked.
    from luoshi.notify.models import Event

    assert "2026-04-30" in Event.objects.filter(task_id=task.pk).order_by("-id").first().title


def test_a_different_date_needs_a_reason(personas, clock):
    request = _extension(personas, "事项一", new=date(2026, 5, 31))
    refused(
        lambda: work_office.extension_decide(
            request=request, approve=True, by=personas.office, deadline=date(2026, 4, 30)
        ),
        says="请在审核意见中写明理由",
    )
    request.refresh_from_db()
    assert request.status == Decision.PENDING


def test_a_granted_date_not_after_the_old_deadline_is_refused(personas, clock):
    request = _extension(personas, "事项一", new=date(2026, 5, 31))
    refused(
        lambda: work_office.extension_decide(
            request=request, approve=True, by=personas.office, deadline=date(2026, 3, 20), note="提前"
        ),
        says="应晚于原完成时限 2026-03-27",
    )
    assert ExtensionRequest.objects.get(pk=request.pk).status == Decision.PENDING


def test_the_date_asked_granted_as_is_keeps_no_separate_date(personas, clock):
    request = _extension(personas, "事项一", new=date(2026, 5, 31))
    work_office.extension_decide(request=request, approve=True, by=personas.office, deadline=date(2026, 5, 31))
    request.refresh_from_db()
    assert request.granted_deadline is None
    assert Task.objects.get(pk=request.task_id).deadline == date(2026, 5, 31)


def test_an_unreadable_granted_date_is_refused_in_chinese(client, personas, clock):
    request = _extension(personas, "事项一")
    client.force_login(personas.office)
    response = client.post(
        f"/work/extensions/{request.pk}/decide/", {"approve": "1", "deadline": "2026-02-30"}, follow=True
    )
    assert "批准延至的日期无法识别" in _messages(response)
    request.refresh_from_db()
    assert request.status == Decision.PENDING


# --- 长期坚持 + 不定期 at registration ------------------------------------------------


def test_a_standing_task_with_no_cadence_is_flagged_at_registration(client, personas, clock):
    from luoshi.work.tests.test_views import _create_form

    client.force_login(personas.office)
    form = _create_form(personas, deadline="", standing="on", cadence="none", cadence_day="")
    response = client.post("/work/new/", form)
    assert response.status_code == 200
    errors = response.context["form"].errors["cadence"]
    assert "永远不会亮红灯" in errors[0]
    assert not Task.objects.exists()
    # Said on purpose, it is registered.
    client.post("/work/new/", {**form, "never_red": "on"})
    task = Task.objects.get()
    assert task.standing and task.cadence == "none"
    # A standing task with a cadence needs no confirmation.
    client.post("/work/new/", _create_form(personas, title="长期事项", deadline="", standing="on", token="t2"))
    assert Task.objects.filter(title="长期事项", cadence="monthly").exists()


# --- The task page marks the ledger that last changed it ------------------------------


def test_the_task_page_names_the_ledger_import_that_last_changed_it(client, personas, clock):
    from luoshi.ledger.models import LedgerImport, LedgerReport

    task = signed(personas)
    services.task_report(task=task, by=personas.liaison, report=services.ReportInput(done_text="网上填报"))
    services.task_report(
        task=task, by=personas.office, report=services.ReportInput(done_text="台账填报", imported=True)
    )
    record = LedgerImport.objects.create(name="财政局台账3月.xlsx", sha256="0" * 64, size=1, created_by=personas.office)
    report = task.reports.get(done_text="台账填报")
    LedgerReport.objects.create(report=report, ledger=record, ledger_date=date(2026, 3, 10), conflict=True)
    client.force_login(personas.leader)
    html = client.get(f"/work/{task.pk}/").content.decode()
    assert "最近一次由《财政局台账3月.xlsx》导入进展:2026年3月10日的台账" in html
    assert "与较新进展冲突,经确认导入" in html
    assert "台账导入 · 2026年3月10日台账(冲突确认)" in html
