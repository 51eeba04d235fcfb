"""机构改革 and what hangs on a moved task: its pending 延期 and 办结 requests pass to the successor, and the
successor's liaisons are told, once, of the tasks they inherit."""

from datetime import date

import pytest
from django.urls import reverse

from luoshi.notify.models import Event, Message
from luoshi.org.reorg import NewUnit, ReorgResult, _notify_successors, reorg_merge, reorg_split
from luoshi.work import office as work_office
from luoshi.work import services as work_services
from luoshi.work.models import ClosureRequest, Decision, ExtensionRequest, Task, TimelineEntry
from luoshi.work.tests import conftest as work_fixtures

pytestmark = pytest.mark.django_db

clock, rules = work_fixtures.clock, work_fixtures.rules


def make_task(personas, title, lead, *, supporting=()) -> Task:
    spec = work_services.TaskSpec(title=title, lead=lead, supporting=list(supporting), deadline=date(2026, 6, 30))
    task = work_services.task_create(spec=spec, by=personas.office)
    work_services.task_sign(task=task, by=personas.liaison if lead == personas.finance else personas.outsider)
    return task


@pytest.fixture
def asked(personas, clock):
    """财政局 asked to extend one task and to close another; a third it asked to extend was already decided."""
    extend = make_task(personas, "编制年度增收计划", personas.finance)
    closing = make_task(personas, "推进财政数字化改革", personas.finance)
    decided = make_task(personas, "清理暂付款", personas.finance)
    work_services.task_extension_ask(
        task=extend, by=personas.liaison, reason="待省厅批复", new_deadline=date(2026, 9, 30)
    )
    work_services.task_closure_ask(task=closing, by=personas.liaison, summary="已全部完成")
    work_services.task_extension_ask(
        task=decided, by=personas.liaison, reason="需要更多时间", new_deadline=date(2026, 7, 31)
    )
    work_office.extension_decide(request=decided.extensions.get(), approve=False, by=personas.office, note="不同意")
    return {"extend": extend, "closing": closing, "decided": decided}


def test_a_merge_moves_the_pending_requests_to_the_successor_and_traces_it(personas, asked, client):
    result = reorg_merge(sources=[personas.finance], into=personas.housing, on=date(2026, 4, 1), by=personas.admin)

    extension = ExtensionRequest.objects.get(task=asked["extend"], status=Decision.PENDING)
    closure = ClosureRequest.objects.get(task=asked["closing"], status=Decision.PENDING)
    assert extension.unit == personas.housing and closure.unit == personas.housing
    # A decided request is history: it stays with the unit that asked.
    assert ExtensionRequest.objects.get(task=asked["decided"]).unit == personas.finance
    # What moved, who moved it, when, and the asker before: on the task's own timeline.
    entry = TimelineEntry.objects.filter(task=asked["extend"]).latest("id")
    assert entry.actor == personas.admin and entry.note.startswith("机构改革:")
    assert (entry.before["延期申请的申请单位"], entry.after["延期申请的申请单位"]) == ("财政局", "住建局")
    entry = TimelineEntry.objects.filter(task=asked["closing"]).latest("id")
    assert (entry.before["办结申请的申请单位"], entry.after["办结申请的申请单位"]) == ("财政局", "住建局")
    assert result.counts["转移待审核申请"] == 2
    assert result.requests == [
        f"事项 {asked['extend'].pk}“编制年度增收计划”的待审核延期申请:财政局 → 住建局",
        f"事项 {asked['closing'].pk}“推进财政数字化改革”的待审核办结申请:财政局 → 住建局",
    ]

    # The office sees the requests under the successor, and deciding them still works.
    client.force_login(personas.office)
    page = client.get(reverse("work:pending")).content.decode()
    assert "编制年度增收计划</strong></a> · 住建局" in page
    work_office.extension_decide(request=extension, approve=True, by=personas.office)
    asked["extend"].refresh_from_db()
    assert asked["extend"].deadline == date(2026, 9, 30) and asked["extend"].lead_unit == personas.housing


def test_a_split_moves_each_request_with_its_task(personas, asked):
    reorg_split(
        source=personas.finance, successors=[NewUnit(name="财政事务中心"), personas.township],
        choices={asked["closing"].pk: 1}, on=date(2026, 4, 1), by=personas.admin,
    )  # fmt: skip
    assert ExtensionRequest.objects.get(task=asked["extend"], status=Decision.PENDING).unit.name == "财政事务中心"
    assert ClosureRequest.objects.get(task=asked["closing"], status=Decision.PENDING).unit == personas.township


def test_a_preview_moves_no_request_and_tells_nobody(personas, asked):
    result = reorg_merge(
        sources=[personas.finance], into=personas.housing, on=date(2026, 4, 1), by=personas.admin, dry_run=True
    )
    assert len(result.requests) == 2 and result.notices == ["“住建局”的 1 名联络员:承接在办事项 3 项"]
    assert not ExtensionRequest.objects.filter(unit=personas.housing).exists()
    assert not Message.objects.filter(user=personas.outsider).exists()


def test_the_successors_liaisons_get_one_message_with_the_count_and_a_link(personas, clock, client):
    inherited = [make_task(personas, f"财政事项{n}", personas.finance) for n in range(3)]
    # A task 住建局 already supported is not news to it.
    make_task(personas, "老旧小区资金保障", personas.finance, supporting=[personas.housing])
    Message.objects.all().delete()

    result = reorg_merge(
        sources=[personas.finance], into=personas.housing, on=date(2026, 4, 1), by=personas.admin, move_users=False
    )

    message = Message.objects.get(user=personas.outsider)
    assert message.event.title == "机构改革:本单位承接在办事项 3 项"
    assert "原由“财政局”承办的 3 项在办事项自 2026年04月01日 起由本单位承办" in message.event.body
    assert all(task.title in message.event.body for task in inherited)
    assert "老旧小区资金保障" not in message.event.body
    # The accounts left with the old unit hear nothing; the office is not the addressee.
    assert not Message.objects.filter(user=personas.liaison).exists()
    assert result.notices == ["“住建局”的 1 名联络员:承接在办事项 3 项"]
    # The link opens the successor's open tasks, the inherited ones among them.
    client.force_login(personas.outsider)
    page = client.get(message.event.url).content.decode()
    assert all(task.title in page for task in inherited)


def test_a_retried_notice_is_not_sent_twice(personas, clock):
    tasks = [make_task(personas, f"财政事项{n}", personas.finance) for n in range(2)]
    result = reorg_merge(sources=[personas.finance], into=personas.housing, on=date(2026, 4, 1), by=personas.admin)
    assert Message.objects.filter(user=personas.outsider, event__title__startswith="机构改革").count() == 1

    # The same reorganisation's notice raised again (a retry after the merge had committed) sends nothing.
    again = ReorgResult(result.kind, result.summary, result.on)
    _notify_successors({personas.housing: tasks}, [personas.finance], result=again)
    assert again.notices == ["“住建局”已通知过,不再重复发送"]
    assert Message.objects.filter(user=personas.outsider, event__title__startswith="机构改革").count() == 1
    assert Event.objects.filter(key__startswith="reorg:").count() == 1


def test_a_successor_with_no_liaison_is_listed_for_the_administrator(personas, clock):
    make_task(personas, "财政事项", personas.finance)
    result = reorg_merge(
        sources=[personas.finance], into=NewUnit(name="财政事务中心"), on=date(2026, 4, 1), by=personas.admin,
        move_users=False,
    )  # fmt: skip
    assert result.notices == ["“财政事务中心”没有联络员账号,承接的 1 项事项未发通知"]
    assert not Event.objects.filter(key__startswith="reorg:").exists()


def test_when_the_office_turned_assignment_messages_off_the_administrator_is_told(personas, clock):
    from luoshi.notify.models import Kind
    from luoshi.notify.services import rule_save

    rule_save(kind=Kind.ASSIGNED, enabled=False, channels=[], days_ahead=3, by=personas.office)
    make_task(personas, "财政事项", personas.finance)
    result = reorg_merge(sources=[personas.finance], into=personas.housing, on=date(2026, 4, 1), by=personas.admin)
    assert result.notices == ["督查室已关闭“新交办事项”消息,承接单位未收到通知"]
    assert not Message.objects.filter(user=personas.outsider, event__title__startswith="机构改革").exists()
