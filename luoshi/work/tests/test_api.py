"""The 督办 JSON API: lists, details, and every action, through tokens and sessions."""

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from luoshi.org.services import api_token_create
from luoshi.work import services
from luoshi.work.models import ClosureRequest, ExtensionRequest, ProgressReport, Task, TimelineEntry, Urge
from luoshi.work.services import TaskSpec

pytestmark = pytest.mark.django_db

NOT_FOUND = {"detail": "事项不存在或无权查看。"}


@pytest.fixture(autouse=True)
def _monday_in_march():
    # 2026-03-16 is a Monday with no holiday near: three working days ahead is Thursday the 19th.
    with time_machine.travel("2026-03-16 10:00 +0800", tick=False):
        yield


def make_task(personas, title="全县河湖保洁专项行动", *, lead=None, deadline=date(2026, 6, 30), **extra) -> Task:
    spec = TaskSpec(title=title, lead=lead or personas.finance, deadline=deadline, **extra)
    return services.task_create(spec=spec, by=personas.office)


def post(client, url, data=None, **extra):
    return client.post(url, data or {}, content_type="application/json", **extra)


def actions(task: Task) -> list[str]:
    return list(TimelineEntry.objects.filter(task=task).order_by("at", "id").values_list("action", flat=True))


@pytest.fixture
def liaison_api(personas):
    """The finance liaison, calling with an API token and no session, as a script would."""
    _, secret = api_token_create(user=personas.liaison, name="统计脚本")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


@pytest.fixture
def office_api(personas):
    _, secret = api_token_create(user=personas.office, name="督查室大屏")
    return Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {secret}"})


# --- Lists ------------------------------------------------------------------


def test_the_list_shows_the_users_tasks_with_lights_and_light_counts(client, personas):
    red = make_task(personas, "补录的旧任务", deadline=date(2026, 3, 10), backfill=True)
    yellow = make_task(personas, "本周到期的任务", deadline=date(2026, 3, 18))
    green = make_task(personas, "年中完成的任务", deadline=date(2026, 6, 30))
    make_task(personas, "住建局的任务", lead=personas.housing)
    client.force_login(personas.liaison)

    data = client.get("/api/work/tasks").json()

    assert data["count"] == 3
    counts = {key: data["light_counts"][key] for key in ("red", "yellow", "green", "none", "carried", "total")}
    assert counts == {"red": 1, "yellow": 1, "green": 1, "none": 0, "carried": 0, "total": 3}
    assert [(item["id"], item["light"]) for item in data["items"]] == [
        (red.pk, "red"),
        (yellow.pk, "yellow"),
        (green.pk, "green"),
    ]
    first = data["items"][0]
    assert first["lead_unit"] == {"id": personas.finance.pk, "name": "财政局", "short_name": "财政局"}
    assert first["status"] == "assigned"
    assert first["status_label"] == "待签收"
    assert first["light_label"] == "红灯"
    assert first["deadline"] == "2026-03-10"
    assert {"priority", "next_report_due", "percent", "urge_count", "standing", "leader"} <= first.keys()


def test_the_list_filters_as_the_page_does(client, personas):
    make_task(personas, "补录的旧任务", deadline=date(2026, 3, 10), backfill=True)
    yellow = make_task(personas, "本周到期的任务", deadline=date(2026, 3, 18), leader=personas.leader_row)
    make_task(personas, "全县河湖保洁专项行动")
    housing = make_task(personas, "老旧小区改造", lead=personas.housing, supporting=[personas.finance])
    client.force_login(personas.office)

    by_light = client.get("/api/work/tasks", {"light": "yellow"}).json()
    assert [item["id"] for item in by_light["items"]] == [yellow.pk]
    assert by_light["count"] == 1
    assert by_light["light_counts"]["total"] == 4

    by_unit = client.get("/api/work/tasks", {"unit": personas.housing.pk}).json()
    assert [item["id"] for item in by_unit["items"]] == [housing.pk]
    by_leader = client.get("/api/work/tasks", {"leader": personas.leader_row.pk}).json()
    assert [item["id"] for item in by_leader["items"]] == [yellow.pk]
    by_text = client.get("/api/work/tasks", {"q": "河湖保洁"}).json()
    assert [item["title"] for item in by_text["items"]] == ["全县河湖保洁专项行动"]
    by_deadline = client.get("/api/work/tasks", {"deadline_from": "2026-03-11", "deadline_to": "2026-03-31"}).json()
    assert [item["id"] for item in by_deadline["items"]] == [yellow.pk]
    assert client.get("/api/work/tasks", {"archive": "true"}).json()["count"] == 0
    assert client.get("/api/work/tasks", {"year": 2025}).json()["count"] == 0


def test_the_list_pages_and_sorts(client, personas):
    for day in range(20, 27):
        make_task(personas, f"三月{day}日到期", deadline=date(2026, 3, day))
    client.force_login(personas.office)

    data = client.get("/api/work/tasks", {"page": 2, "page_size": 3, "sort": "-deadline"}).json()

    assert data["count"] == 7
    assert data["pages"] == 3
    assert [item["title"] for item in data["items"]] == ["三月23日到期", "三月22日到期", "三月21日到期"]


def test_the_list_refuses_a_page_size_over_200_in_chinese(client, personas):
    client.force_login(personas.office)

    response = client.get("/api/work/tasks", {"page_size": 500, "light": "purple"})

    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail.startswith("请求参数有误:")
    assert "每页条数(page_size):不能大于 200" in detail
    assert "灯色(light):应为以下之一" in detail
    assert response.json()["errors"]


def test_the_list_costs_the_same_queries_for_5_and_50_tasks(client, personas):
    client.force_login(personas.office)

    def queries_for_list() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get("/api/work/tasks", {"page_size": 200})
        assert response.status_code == 200
        return len(captured.captured_queries)

    leaders = [personas.leader_row, None]
    specs = [
        TaskSpec(title=f"任务{n}", lead=personas.finance, deadline=date(2026, 4, 1), leader=leaders[n % 2])
        for n in range(5)
    ]
    services.task_create_many(specs=specs, by=personas.office)
    with_5 = queries_for_list()
    services.task_create_many(specs=specs * 9, by=personas.office)
    with_50 = queries_for_list()

    assert client.get("/api/work/tasks", {"page_size": 200}).json()["count"] == 50
    assert with_50 == with_5


# --- One task ---------------------------------------------------------------


def test_the_detail_has_assignments_milestones_reports_and_the_timeline(client, personas):
    task = make_task(
        personas,
        supporting=[personas.housing],
        milestones=[("完成方案", date(2026, 4, 15))],
        leader=personas.leader_row,
    )
    services.task_report(
        task=task, by=personas.liaison, report=services.ReportInput(done_text="已制定方案", percent=20)
    )
    client.force_login(personas.leader)

    data = client.get(f"/api/work/tasks/{task.pk}").json()

    assert data["title"] == "全县河湖保洁专项行动"
    assert data["leader"] == {"id": personas.leader_row.pk, "name": "李强", "title": "常务副县长"}
    assert [(a["unit"]["name"], a["role"], a["role_label"]) for a in data["assignments"]] == [
        ("财政局", "lead", "牵头"),
        ("住房和城乡建设局", "support", "配合"),
    ]
    assert data["assignments"][0]["signed_at"] == "2026-03-16T10:00:00+08:00"
    assert data["milestones"] == [{"title": "完成方案", "due": "2026-04-15", "done_on": None}]
    assert [(r["done_text"], r["percent"], r["created_by"]) for r in data["reports"]] == [("已制定方案", 20, "赵敏")]
    assert [(e["action"], e["action_label"], e["actor"]) for e in data["timeline"]] == [
        ("create", "登记交办", "督查室刘洋"),
        ("report", "进展反馈", "赵敏"),
    ]
    report_entry = data["timeline"][1]
    assert report_entry["before"]["status"] == "待签收"
    assert report_entry["after"]["status"] == "办理中"
    assert {"field": "percent", "label": "完成进度", "before": None, "after": 20} in report_entry["changes"]
    assert data["light"] == "green"
    assert data["percent"] == 20


def test_it_answers_404_for_another_units_task(client, personas):
    task = make_task(personas)
    client.force_login(personas.outsider)

    response = client.get(f"/api/work/tasks/{task.pk}")

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert client.get("/api/work/tasks/999999").json() == NOT_FOUND


# --- Registering ------------------------------------------------------------


def test_the_office_registers_a_task_through_the_api(office_api, personas):
    response = post(
        office_api,
        "/api/work/tasks",
        {
            "title": "推进财政预算绩效管理",
            "lead": personas.finance.pk,
            "supporting": [personas.housing.pk],
            "leader": personas.leader_row.pk,
            "deadline": "2026-09-30",
            "cadence": "monthly",
            "cadence_day": 25,
            "priority": 1,
            "source_kind": "minutes",
            "source_title": "县政府常务会议纪要〔2026〕3号",
            "milestones": [{"title": "出台办法", "due": "2026-05-31"}],
        },
    )

    assert response.status_code == 201, response.content
    data = response.json()
    assert data["detail"] == "已登记并交办:推进财政预算绩效管理"
    task = Task.objects.get(pk=data["id"])
    assert task.lead_unit == personas.finance
    assert task.next_report_due == date(2026, 3, 25)
    assert list(task.assignments.values_list("unit__short_name", "role")) == [("财政局", "lead"), ("住建局", "support")]
    assert data["task"]["priority_label"] == "急办"
    assert data["task"]["milestones"] == [{"title": "出台办法", "due": "2026-05-31", "done_on": None}]
    assert actions(task) == ["create"]


def test_the_office_registers_one_task_per_township(office_api, personas):
    response = post(
        office_api, "/api/work/tasks", {"title": "秸秆禁烧", "lead_group": "township", "deadline": "2026-06-30"}
    )

    assert response.status_code == 201
    parent = Task.objects.get(pk=response.json()["id"])
    assert parent.group_label == "各乡镇"
    assert [child["lead_unit"]["name"] for child in response.json()["task"]["children"]] == ["城关镇"]


def test_a_liaison_may_not_register_a_task(liaison_api, personas):
    response = post(
        liaison_api,
        "/api/work/tasks",
        {"title": "自己登记的任务", "lead": personas.finance.pk, "deadline": "2026-06-30"},
    )

    assert response.status_code == 403
    assert response.json() == {"detail": "只有督查室可以进行此操作。"}
    assert not Task.objects.exists()


def test_registering_refuses_an_unknown_unit_and_a_past_deadline_in_chinese(office_api, personas):
    unknown = post(office_api, "/api/work/tasks", {"title": "任务", "lead": 424242, "deadline": "2026-06-30"})
    past = post(office_api, "/api/work/tasks", {"title": "任务", "lead": personas.finance.pk, "deadline": "2026-03-01"})

    assert unknown.status_code == 400
    assert unknown.json()["detail"] == "牵头单位:找不到编号为 424242 的单位,或该单位已停用。"
    assert past.status_code == 400
    assert "早于今天" in past.json()["detail"]


def test_registering_refuses_a_malformed_milestone_with_422(office_api, personas):
    response = post(
        office_api,
        "/api/work/tasks",
        {"title": "任务", "lead": personas.finance.pk, "deadline": "2026-06-30", "milestones": [{"title": "x"}]},
    )

    assert response.status_code == 422
    assert "第1项的节点日期(due):必须填写" in response.json()["detail"]


# --- Acting on a task -------------------------------------------------------


def test_a_liaison_signs_through_the_api_with_a_token_and_no_csrf(liaison_api, personas):
    task = make_task(personas)

    response = post(liaison_api, f"/api/work/tasks/{task.pk}/sign")

    assert response.status_code == 200, response.content
    assert response.json()["detail"] == "已签收。"
    assert response.json()["task"]["status"] == "in_progress"
    assert actions(task) == ["create", "sign"]


def test_signing_twice_answers_409_in_chinese(liaison_api, personas):
    task = make_task(personas)
    post(liaison_api, f"/api/work/tasks/{task.pk}/sign")

    response = post(liaison_api, f"/api/work/tasks/{task.pk}/sign")

    assert response.status_code == 409
    assert response.json()["detail"] == "本单位已于 2026-03-16 10:00 签收。"


def test_the_office_signs_for_a_supporting_unit(office_api, personas):
    task = make_task(personas, supporting=[personas.housing])

    response = post(office_api, f"/api/work/tasks/{task.pk}/sign", {"unit": personas.housing.pk})

    assert response.status_code == 200
    signed = {a["unit"]["short_name"]: a["signed_at"] for a in response.json()["task"]["assignments"]}
    assert signed == {"财政局": None, "住建局": "2026-03-16T10:00:00+08:00"}


def test_a_liaison_reports_progress_through_the_api(liaison_api, personas):
    task = make_task(personas, cadence="monthly", cadence_day=20)

    response = post(
        liaison_api,
        f"/api/work/tasks/{task.pk}/report",
        {"done_text": "已完成摸底", "problems": "资金缺口", "next_steps": "争取专项债", "percent": 30},
    )

    assert response.status_code == 201, response.content
    report = ProgressReport.objects.get(pk=response.json()["id"])
    assert (report.done_text, report.percent, report.on_behalf) == ("已完成摸底", 30, False)
    assert response.json()["task"]["percent"] == 30
    assert response.json()["task"]["next_report_due"] == "2026-04-20"  # this period's report is in: the next one
    assert actions(task) == ["create", "report"]


def test_the_office_reports_on_behalf_of_the_unit(office_api, personas):
    task = make_task(personas)

    response = post(office_api, f"/api/work/tasks/{task.pk}/report", {"done_text": "电话了解:已启动"})

    assert response.status_code == 201
    assert response.json()["detail"] == "进展已反馈(代报)。"
    assert ProgressReport.objects.get().on_behalf is True


def test_a_repeated_idempotency_key_does_not_report_twice(liaison_api, personas):
    task = make_task(personas)
    body = {"done_text": "已完成摸底", "token": "weekly-2026-12"}

    first = post(liaison_api, f"/api/work/tasks/{task.pk}/report", body)
    second = post(liaison_api, f"/api/work/tasks/{task.pk}/report", body)

    assert first.status_code == 201
    assert second.status_code == 409
    assert "已经处理过" in second.json()["detail"]
    assert ProgressReport.objects.count() == 1


def test_an_idempotency_key_belongs_to_its_user(liaison_api, office_api, personas):
    task = make_task(personas)
    body = {"done_text": "已完成摸底", "token": "same-key"}

    assert post(liaison_api, f"/api/work/tasks/{task.pk}/report", body).status_code == 201
    assert post(office_api, f"/api/work/tasks/{task.pk}/report", body).status_code == 201


def test_a_report_without_text_is_refused_in_chinese(liaison_api, personas):
    task = make_task(personas)

    response = post(liaison_api, f"/api/work/tasks/{task.pk}/report", {"percent": 10})

    assert response.status_code == 400
    assert response.json()["detail"] == "“全县河湖保洁专项行动”:请填写“已完成”情况。"


def test_an_extension_is_asked_and_approved_through_the_api(liaison_api, office_api, personas):
    task = make_task(personas, deadline=date(2026, 4, 30))

    asked = post(
        liaison_api,
        f"/api/work/tasks/{task.pk}/extension",
        {"reason": "用地审批未完成", "new_deadline": "2026-05-31"},
    )
    assert asked.status_code == 201, asked.content
    assert asked.json()["task"]["status"] == "extension_asked"
    extension_id = asked.json()["id"]
    assert asked.json()["task"]["extensions"][0]["id"] == extension_id

    decided = post(office_api, f"/api/work/extensions/{extension_id}/decision", {"approve": True, "note": "同意"})

    assert decided.status_code == 200, decided.content
    assert decided.json()["task"]["deadline"] == "2026-05-31"
    assert decided.json()["task"]["status"] == "assigned"
    assert ExtensionRequest.objects.get().status == "approved"
    assert actions(task) == ["create", "extension_ask", "extension_approve"]
    approve = decided.json()["task"]["timeline"][-1]
    assert approve["before"]["deadline"] == "2026-04-30"
    assert approve["after"]["deadline"] == "2026-05-31"


def test_an_extension_after_the_deadline_is_refused_with_409_in_chinese(liaison_api, personas):
    task = make_task(personas, deadline=date(2026, 3, 10), backfill=True)

    response = post(
        liaison_api, f"/api/work/tasks/{task.pk}/extension", {"reason": "来不及", "new_deadline": "2026-04-30"}
    )

    assert response.status_code == 409
    assert response.json() == {"detail": "完成时限 2026-03-10 已过,不能再申请延期,该事项按原时限考核。"}
    assert actions(task) == ["create"]


def test_an_extension_with_a_date_that_is_not_a_date_is_refused_with_422_in_chinese(liaison_api, personas):
    task = make_task(personas)

    response = post(liaison_api, f"/api/work/tasks/{task.pk}/extension", {"reason": "来不及", "new_deadline": "下个月"})

    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误:申请延至(new_deadline):日期应写成 2026-06-30"
    assert response.json()["errors"][0]["loc"] == ["body", "new_deadline"]


def test_a_body_that_is_not_json_is_refused_in_chinese(liaison_api, personas):
    task = make_task(personas)

    response = liaison_api.post(f"/api/work/tasks/{task.pk}/report", "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"detail": "请求体不是合法的 JSON。"}


def test_a_closure_is_asked_and_closed_through_the_api(liaison_api, office_api, personas):
    task = make_task(personas)

    asked = post(liaison_api, f"/api/work/tasks/{task.pk}/closure", {"summary": "已全部完成,验收合格"})
    assert asked.status_code == 201, asked.content
    assert asked.json()["task"]["held_green"] is True

    decided = post(office_api, f"/api/work/closures/{asked.json()['id']}/decision", {"approve": True})

    assert decided.status_code == 200, decided.content
    assert decided.json()["detail"] == "已办结销号。"
    assert decided.json()["task"]["status"] == "done"
    assert decided.json()["task"]["light"] == ""
    assert ClosureRequest.objects.get().status == "approved"
    assert actions(task) == ["create", "closure_ask", "close"]


def test_returning_a_closure_without_a_reason_is_refused(liaison_api, office_api, personas):
    task = make_task(personas)
    closure_id = post(liaison_api, f"/api/work/tasks/{task.pk}/closure", {"summary": "已完成"}).json()["id"]

    response = post(office_api, f"/api/work/closures/{closure_id}/decision", {"approve": False})

    assert response.status_code == 400
    assert response.json() == {"detail": "退回重办时请填写退回理由,告诉单位还需要做什么。"}


def test_a_liaison_may_not_decide_a_request(liaison_api, personas):
    task = make_task(personas)
    closure_id = post(liaison_api, f"/api/work/tasks/{task.pk}/closure", {"summary": "已完成"}).json()["id"]

    response = post(liaison_api, f"/api/work/closures/{closure_id}/decision", {"approve": True})

    assert response.status_code == 403
    assert response.json() == {"detail": "只有督查室可以进行此操作。"}


def test_the_office_urges_through_the_api(office_api, personas):
    task = make_task(personas)

    response = post(office_api, f"/api/work/tasks/{task.pk}/urge", {"message": "请于本周五前反馈"})

    assert response.status_code == 200, response.content
    assert response.json()["detail"] == "已催办财政局。"
    assert response.json()["task"]["urge_count"] == 1
    assert Urge.objects.get().message == "请于本周五前反馈"
    assert actions(task) == ["create", "urge"]


def test_a_liaison_may_not_urge(liaison_api, personas):
    task = make_task(personas)

    response = post(liaison_api, f"/api/work/tasks/{task.pk}/urge", {"message": "催一下自己"})

    assert response.status_code == 403
    assert response.json() == {"detail": "只有督查室可以进行此操作。"}


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("tasks/{task}/sign", {}),
        ("tasks/{task}/report", {"done_text": "已完成"}),
        ("tasks/{task}/extension", {"reason": "来不及", "new_deadline": "2026-07-31"}),
        ("tasks/{task}/closure", {"summary": "已完成"}),
        ("tasks/{task}/urge", {"message": "请抓紧"}),
        ("extensions/{extension}/decision", {"approve": True}),
        ("closures/{closure}/decision", {"approve": True}),
    ],
)
def test_every_action_on_another_units_task_answers_404(personas, path, body):
    task = make_task(personas)
    other = make_task(personas, "另一项任务")
    extension = services.task_extension_ask(
        task=task, by=personas.liaison, reason="来不及", new_deadline=date(2026, 7, 31)
    )
    closure = services.task_closure_ask(task=other, by=personas.liaison, summary="已完成")
    _, secret = api_token_create(user=personas.outsider, name="住建局脚本")
    outsider = Client(headers={"Authorization": f"Bearer {secret}"})
    before = TimelineEntry.objects.count()

    url = "/api/work/" + path.format(task=task.pk, extension=extension.pk, closure=closure.pk)
    response = post(outsider, url, body)

    assert response.status_code == 404
    assert response.json() == NOT_FOUND
    assert TimelineEntry.objects.count() == before


# --- Logging in -------------------------------------------------------------


def test_a_session_post_without_csrf_is_refused_in_chinese(personas):
    task = make_task(personas)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.liaison)

    response = post(browser, f"/api/work/tasks/{task.pk}/sign")

    assert response.status_code == 403
    assert response.json()["detail"].startswith("CSRF 校验失败")
    assert actions(task) == ["create"]


def test_a_session_post_with_csrf_works(personas):
    task = make_task(personas)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(personas.liaison)
    browser.get("/org/")  # any page sets the CSRF cookie
    csrf = browser.cookies["csrftoken"].value

    response = post(browser, f"/api/work/tasks/{task.pk}/sign", headers={"X-CSRFToken": csrf})

    assert response.status_code == 200, response.content


def test_the_work_api_answers_401_in_chinese_without_a_login(client, personas):
    task = make_task(personas)

    for response in (client.get("/api/work/tasks"), post(client, f"/api/work/tasks/{task.pk}/sign")):
        assert response.status_code == 401
        assert response.json() == {"detail": "未登录或 API 令牌无效。"}


def test_the_schema_lists_the_work_endpoints_and_the_bearer_scheme(client, personas):
    client.force_login(personas.liaison)
    schema = client.get("/api/openapi.json").json()

    assert {"/api/work/tasks", "/api/work/tasks/{task_id}", "/api/work/closures/{request_id}/decision"} <= set(
        schema["paths"]
    )
    assert schema["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}


def test_an_extension_with_no_body_names_the_missing_date(liaison_api, personas):
    task = make_task(personas)

    response = liaison_api.post(f"/api/work/tasks/{task.pk}/extension", "", content_type="application/json")

    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数有误:申请延至(new_deadline):必须填写"


def test_a_task_the_user_may_not_see_answers_404_before_its_body_is_read(personas):
    task = make_task(personas)
    _, secret = api_token_create(user=personas.outsider, name="住建局脚本")
    outsider = Client(headers={"Authorization": f"Bearer {secret}"})

    for body in ("{not json", '{"new_deadline": "下个月"}', ""):
        response = outsider.post(f"/api/work/tasks/{task.pk}/extension", body, content_type="application/json")
        assert response.status_code == 404
        assert response.json() == NOT_FOUND
