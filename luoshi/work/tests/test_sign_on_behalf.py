"""督查室代签收 (#13 §3): the office signs a set of units' tasks on their behalf, right after an import, through
the same service as a unit's own batch sign; the page confirms the list first, the API does it in one call,
and the API shows and takes an extension granted to another date than asked."""

from datetime import date

import pytest
from django.test import Client

from luoshi.org.services import api_token_create
from luoshi.work import services
from luoshi.work.models import Assignment, ExtensionRequest, Task, TimelineEntry
from luoshi.work.tests.service_helpers import Action, Status, create, entries, refused, signed

pytestmark = pytest.mark.django_db


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


def _api(user) -> Client:
    _, secret = api_token_create(user=user, name="测试脚本")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


# --- The service ----------------------------------------------------------------


def test_the_office_signs_for_the_lead_units_and_the_timeline_says_so(personas, clock):
    finance = create(personas, title="财政局事项")
    housing = create(personas, title="住建局事项", lead=personas.housing)
    assert services.task_sign_many(tasks=[finance, housing], by=personas.office, on_behalf=True) == (2, 0)
    for task, unit in ((finance, personas.finance), (housing, personas.housing)):
        task.refresh_from_db()
        assert task.status == Status.IN_PROGRESS
        [entry] = entries(task, Action.SIGN)
        assert (entry.actor, entry.unit, entry.on_behalf, entry.note) == (personas.office, unit, True, "督查室代签收")
        assignment = Assignment.objects.get(task=task, role=Assignment.Role.LEAD)
        assert assignment.signed_by == personas.office
    # A second submit signs nothing twice.
    assert services.task_sign_many(tasks=[finance, housing], by=personas.office, on_behalf=True) == (0, 2)
    assert TimelineEntry.objects.filter(action=Action.SIGN).count() == 2


def test_a_liaison_may_not_sign_on_behalf_nor_another_units_tasks(personas, clock):
    theirs = create(personas, title="住建局事项", lead=personas.housing)
    refused(
        lambda: services.task_sign_many(tasks=[theirs], by=personas.liaison, on_behalf=True),
        status=403,
        says="只有督查室可以代单位签收",
    )
    refused(
        lambda: services.task_sign_many(tasks=[theirs], by=personas.liaison),
        status=404,
        says=("住建局事项", "本次没有签收任何事项"),
    )
    refused(lambda: services.task_sign_many(tasks=[theirs], by=personas.leader, on_behalf=True), status=403)
    theirs.refresh_from_db()
    assert theirs.status == Status.ASSIGNED
    assert not entries(theirs, Action.SIGN)


# --- The office's list: tick, confirm, sign ------------------------------------


def test_the_office_ticks_rows_confirms_the_list_and_signs_them(client, personas, clock):
    first = create(personas, title="导入的事项一")
    second = create(personas, title="导入的事项二", lead=personas.housing)
    untouched = create(personas, title="没有勾选的事项")
    already = signed(personas, title="单位已签收的事项")
    client.force_login(personas.office)
    page = client.get("/work/").content.decode()
    assert "代为签收勾选的事项" in page
    # The first post only lists what will be signed, and signs nothing yet.
    ticked = [first.pk, second.pk, already.pk]
    confirm = client.post("/work/sign/", {"task": ticked, "query": "status=assigned"})
    html = confirm.content.decode()
    assert confirm.status_code == 200
    assert "确认代为签收" in html and "导入的事项一" in html and "导入的事项二" in html
    assert "单位已签收的事项" not in html and "没有勾选的事项" not in html
    assert "另 1 个事项已签收、已办结或已暂停" in html
    assert not entries(first, Action.SIGN)
    # Confirmed: the form posts back the listed tasks.
    form = {"task": [first.pk, second.pk], "confirmed": "1", "next": "/work/?status=assigned"}
    done = client.post("/work/sign/", form)
    assert done.status_code == 302 and done.url == "/work/?status=assigned"
    assert "已代为签收 2 个事项" in _messages(client.get(done.url))
    assert dict(Task.objects.filter(pk__in=[first.pk, second.pk, untouched.pk]).values_list("pk", "status")) == {
        first.pk: Status.IN_PROGRESS, second.pk: Status.IN_PROGRESS, untouched.pk: Status.ASSIGNED,
    }  # fmt: skip
    # The task page names the office user and the unit signed for.
    detail = client.get(f"/work/{second.pk}/").content.decode()
    assert "督查室 督查室刘洋(代住建局)" in detail and "代签收" in detail and "督查室代签收" in detail
    # A second submit of the confirmation signs nothing twice, and says so.
    again = client.post("/work/sign/", form, follow=True)
    assert "另有 2 个事项此前已签收,未重复签收" in _messages(again)
    assert TimelineEntry.objects.filter(action=Action.SIGN, on_behalf=True).count() == 2


def test_the_office_is_told_when_nothing_ticked_needs_signing(client, personas, clock):
    already = signed(personas, title="单位已签收的事项")
    client.force_login(personas.office)
    nothing = client.post("/work/sign/", {}, follow=True)
    assert "请先勾选要代为签收的事项" in _messages(nothing)
    none_waiting = client.post("/work/sign/", {"task": [already.pk]}, follow=True)
    assert "都不需要签收" in _messages(none_waiting)
    assert len(entries(already, Action.SIGN)) == 1


def test_a_liaison_posting_another_units_tasks_signs_nothing(client, personas, clock):
    theirs = create(personas, title="住建局事项", lead=personas.housing)
    client.force_login(personas.liaison)
    response = client.post("/work/sign/", {"task": [theirs.pk], "confirmed": "1"}, follow=True)
    assert "请勾选要签收的事项" in _messages(response)
    theirs.refresh_from_db()
    assert theirs.status == Status.ASSIGNED and not entries(theirs, Action.SIGN)
    client.force_login(personas.leader)
    assert client.post("/work/sign/", {"task": [theirs.pk], "confirmed": "1"}).status_code == 403


# --- The API --------------------------------------------------------------------


def test_the_api_signs_in_batch_for_the_office_on_behalf_and_for_a_liaison(personas, clock):
    first = create(personas, title="导入的事项一")
    second = create(personas, title="导入的事项二", lead=personas.housing)
    office = _api(personas.office)
    answer = office.post("/api/work/batch/sign", {"task_ids": [first.pk, second.pk]}, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json() == {"detail": "已代为签收 2 个事项。", "signed": [first.pk, second.pk], "already_signed": []}
    assert [e.note for e in entries(second, Action.SIGN)] == ["督查室代签收"]
    detail = office.get(f"/api/work/tasks/{second.pk}").json()
    sign = next(entry for entry in detail["timeline"] if entry["action"] == "sign")
    assert sign["on_behalf"] and sign["note"] == "督查室代签收"
    again = office.post("/api/work/batch/sign", {"task_ids": [first.pk]}, content_type="application/json")
    assert again.json()["already_signed"] == [first.pk] and again.json()["signed"] == []
    assert len(entries(first, Action.SIGN)) == 1
    # A liaison signs its own; another unit's task in the batch is a 404 and nothing is signed.
    mine = create(personas, title="本单位的事项")
    theirs = create(personas, title="住建局的事项", lead=personas.housing)
    liaison = _api(personas.liaison)
    refused_answer = liaison.post(
        "/api/work/batch/sign", {"task_ids": [mine.pk, theirs.pk]}, content_type="application/json"
    )
    assert refused_answer.status_code == 404
    assert str(theirs.pk) in refused_answer.json()["detail"] and "没有签收任何事项" in refused_answer.json()["detail"]
    assert not entries(mine, Action.SIGN) and not entries(theirs, Action.SIGN)
    own = liaison.post("/api/work/batch/sign", {"task_ids": [mine.pk]}, content_type="application/json")
    assert own.json() == {"detail": "已签收 1 个事项。", "signed": [mine.pk], "already_signed": []}
    assert [(e.actor, e.on_behalf, e.note) for e in entries(mine, Action.SIGN)] == [(personas.liaison, False, "")]


def test_the_api_refuses_an_empty_or_impossible_batch_in_chinese(personas, clock):
    office = _api(personas.office)
    for ids in ([], [0], [2**70], ["第一项"], list(range(1, 502))):
        answer = office.post("/api/work/batch/sign", {"task_ids": ids}, content_type="application/json")
        assert answer.status_code == 422, (ids, answer.content)
        assert "事项编号" in answer.json()["detail"]
    missing = office.post("/api/work/batch/sign", {"task_ids": [2**62]}, content_type="application/json")
    assert missing.status_code == 404 and "没有签收任何事项" in missing.json()["detail"]


# --- An extension granted to another date, in the API (#13 §3) -------------------------


def _asked(personas, office, clock):
    task = signed(personas, title="河湖保洁", deadline=date(2026, 3, 27))
    liaison = _api(personas.liaison)
    asked = liaison.post(
        f"/api/work/tasks/{task.pk}/extension",
        {"reason": "汛期施工受限", "new_deadline": "2026-05-29"},
        content_type="application/json",
    )
    assert asked.status_code == 201, asked.content
    return task, asked.json()["id"]


def test_the_api_grants_another_date_with_a_reason_and_shows_it(personas, clock):
    office = _api(personas.office)
    task, extension_id = _asked(personas, office, clock)
    url = f"/api/work/extensions/{extension_id}/decision"
    # Another date without a reason is refused, in Chinese, and nothing changes.
    no_reason = office.post(url, {"approve": True, "granted_deadline": "2026-04-30"}, content_type="application/json")
    assert no_reason.status_code == 400
    assert "请在审核意见中写明理由" in no_reason.json()["detail"]
    before_old = office.post(
        url, {"approve": True, "granted_deadline": "2026-03-20", "note": "x"}, content_type="application/json"
    )
    assert before_old.status_code == 400 and "应晚于原完成时限" in before_old.json()["detail"]
    not_a_date = office.post(url, {"approve": True, "granted_deadline": "五月底"}, content_type="application/json")
    assert not_a_date.status_code == 422 and "批准延至" in not_a_date.json()["detail"]
    assert ExtensionRequest.objects.get(pk=extension_id).status == "pending"
    # With a reason: the task's deadline is the date granted, and the detail shows both dates.
    granted = office.post(
        url, {"approve": True, "granted_deadline": "2026-04-30", "note": "五月有专项检查,须提前完成"},
        content_type="application/json",
    )  # fmt: skip
    assert granted.status_code == 200, granted.content
    body = granted.json()
    assert body["detail"] == "已同意延期,批准延至 2026-04-30。"
    assert body["task"]["deadline"] == "2026-04-30"
    [extension] = body["task"]["extensions"]
    assert extension["new_deadline"] == "2026-05-29"
    assert extension["granted_deadline"] == "2026-04-30"
    assert extension["deadline_granted"] == "2026-04-30"
    assert extension["decision_note"] == "五月有专项检查,须提前完成"
    approve = next(entry for entry in body["task"]["timeline"] if entry["action"] == "extension_approve")
    assert "申请延至 2026-05-29,批准延至 2026-04-30" in approve["note"]
    # The same as the page shows for it.
    task.refresh_from_db()
    assert task.deadline == date(2026, 4, 30)


def test_the_api_approves_the_date_asked_when_none_is_granted(personas, clock):
    office = _api(personas.office)
    _task, extension_id = _asked(personas, office, clock)
    answer = office.post(
        f"/api/work/extensions/{extension_id}/decision", {"approve": True}, content_type="application/json"
    )
    [extension] = answer.json()["task"]["extensions"]
    assert (extension["granted_deadline"], extension["deadline_granted"]) == (None, "2026-05-29")
    assert answer.json()["task"]["deadline"] == "2026-05-29"
