"""相关文件 links from other apps' objects, the unit's 盯上 feed, key figures read from rankings and plans
with their reminders, and the pages that create visits and typical cases."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from luoshi.audit.models import AuditEntry
from luoshi.intake.reading import read_text
from luoshi.lib.errors import ActionError
from luoshi.library import selectors, services
from luoshi.library.models import Document, DocumentLink, FieldVisit, KeyFigure, TypicalCase
from luoshi.notify.models import Event, Message
from luoshi.work.models import Task
from luoshi.work.services import TaskSpec, task_create_many


def _document(personas, title, *, number="", fields="", units=(), internal=False):
    document = services.document_create(
        source=read_text(f"{title}\n一、总体要求\n做好{title}工作。"), by=personas.office
    )
    return services.document_update(
        document=document,
        data=services.DocumentInput(
            title=title, number=number, issuer="县政府办公室", level="county", issued_on=date(2026, 3, 1),
            validity="current", replaced_by=None, fields=fields, units=list(units), internal=internal,
        ),
        by=personas.office,
    )  # fmt: skip


@pytest.fixture
def task(personas):
    (made,) = task_create_many(
        specs=[TaskSpec(title="河湖保洁经费落实", lead=personas.finance, deadline=date(2030, 6, 30))],
        by=personas.office,
    )
    return made


@pytest.fixture
def river(personas):
    return _document(personas, "关于深入开展河湖保洁专项行动的通知", number="示政办〔2026〕8号", fields="生态环境")


# --- 相关文件 -----------------------------------------------------------------------


def test_a_liaison_links_a_document_to_its_task_by_number_and_the_document_shows_it(client, personas, task, river):
    client.force_login(personas.liaison)
    response = client.post(
        "/library/links/",
        {"content_type": _ct(task), "object_id": task.pk, "document": "示政办[2026]8号", "note": "依据第二条",
         "next": "/library/"},
    )  # fmt: skip
    assert response.status_code == 302 and response["Location"] == "/library/"
    link = DocumentLink.objects.get()
    assert (link.document, link.obj, link.note) == (river, task, "依据第二条")
    entry = AuditEntry.objects.filter(action="document_link").get()
    assert entry.after["相关文件"] == river.title and entry.actor_id == personas.liaison.pk
    detail = client.get(f"/library/{river.pk}/").content.decode()
    assert "引用本文件的" in detail and "河湖保洁经费落实" in detail
    task_page = client.get(task.get_absolute_url()).content.decode()  # the block the work page includes
    assert "相关文件" in task_page and river.title in task_page and "依据第二条" in task_page
    cited = client.get(f"/api/library/documents/{river.pk}").json()["cited_by"]
    assert cited == [{"kind": "督办事项", "title": str(task), "url": task.get_absolute_url(), "note": "依据第二条"}]
    client.force_login(personas.outsider)  # another unit reads the document, not the task that cites it
    assert client.get(f"/api/library/documents/{river.pk}").json()["cited_by"] == []


def test_the_related_block_lists_the_links_and_offers_the_form_only_to_who_may_link(rf, personas, task, river):
    from django.template import engines

    services.document_link(document=river, obj=task, by=personas.office)
    template = engines["django"].from_string('{% include "library/_related.html" with object=task %}')
    request = rf.get(f"/work/{task.pk}/")
    request.user = personas.liaison
    html = template.render({"task": task}, request)
    assert river.title in html and "关联文件" in html and "取消关联" in html
    request.user = personas.leader  # a leader reads, does not link
    html = template.render({"task": task}, request)
    assert river.title in html and "关联文件</button>" not in html


def test_another_units_task_cannot_be_linked_and_gets_a_404(client, personas, task, river):
    with pytest.raises(ActionError) as refused:
        services.document_link(document=river, obj=task, by=personas.outsider)
    assert refused.value.status == 404
    client.force_login(personas.outsider)
    response = client.post(
        "/library/links/", {"content_type": _ct(task), "object_id": task.pk, "document": river.title}
    )
    assert response.status_code == 404
    assert not DocumentLink.objects.exists()


def test_a_second_link_of_the_same_document_is_refused_and_an_unknown_number_says_what_to_do(personas, task, river):
    services.document_link(document=river, obj=task, by=personas.office)
    with pytest.raises(ActionError, match="已经关联过"):
        services.document_link(document=river, obj=task, by=personas.office)
    with pytest.raises(ActionError, match="文件库中没有“示政办〔2026〕99号”"):
        services.document_find("示政办〔2026〕99号", personas.office)
    assert DocumentLink.objects.count() == 1


def test_an_internal_document_cannot_be_linked_by_a_unit_and_stays_hidden_from_it(personas, task):
    secret = _document(personas, "督查室内部工作规程", internal=True)
    with pytest.raises(ActionError):
        services.document_find(secret.title, personas.liaison)
    services.document_link(document=secret, obj=task, by=personas.office)
    assert selectors.related_documents(task, personas.liaison) == []
    assert [link.document for link in selectors.related_documents(task, personas.office)] == [secret]


def test_unlinking_is_traced_with_what_was_linked(client, personas, task, river):
    link = services.document_link(document=river, obj=task, by=personas.liaison)
    client.force_login(personas.outsider)
    assert client.post(f"/library/links/{link.pk}/remove/").status_code == 404
    client.force_login(personas.liaison)
    assert client.post(f"/library/links/{link.pk}/remove/", {"next": "https://evil.example/"})["Location"] == "/"
    assert not DocumentLink.objects.exists()
    assert AuditEntry.objects.get(action="document_unlink").before["文号"] == "示政办〔2026〕8号"


def _ct(obj):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(obj).pk


# --- 盯上 ------------------------------------------------------------------------------


def test_the_feed_brings_documents_of_the_units_fields_and_those_naming_it_then_marks_them_read(client, personas):
    services.followed_fields_save(unit=personas.finance, fields=["财政", "乡村振兴"], by=personas.liaison)
    with time_machine.travel(timezone.now() - timedelta(days=3)):
        old = _document(personas, "关于加强预算绩效管理的意见", fields="财政")
        services.feed_seen(user=personas.liaison)
    farmland = _document(personas, "关于高标准农田建设的通知", fields="乡村振兴、土地")
    named = _document(personas, "关于专项债券项目的通知", fields="项目建设", units=[personas.finance])
    _document(personas, "关于城市更新的通知", fields="住房", units=[personas.housing])
    client.force_login(personas.liaison)
    home = client.get("/").content.decode()
    assert "盯上" in home and farmland.title in home and named.title in home and "关于城市更新" not in home
    assert old.title not in home  # seen before the last visit
    page = client.get("/library/feed/").content.decode()
    assert farmland.title in page and "新文件" in page
    assert "没有本单位关注领域的新文件" in client.get("/").content.decode()
    # A change to a followed document (repealed) comes back into the feed.
    data = services.DocumentInput(
        title=old.title, number="", issuer="", level="county", issued_on=None, validity="repealed", replaced_by=None,
        fields="财政", units=[], internal=False,
    )  # fmt: skip
    services.document_update(document=old, data=data, by=personas.office)
    items = selectors.feed_for(personas.liaison)
    assert [(item.document.title, item.change) for item in items] == [(old.title, "已废止")]


def test_a_unit_sets_its_followed_fields_on_the_feed_page_and_the_office_has_no_feed(client, personas):
    client.force_login(personas.liaison)
    client.post("/library/feed/", {"fields": "财政、 营商环境,财政"})
    assert sorted(selectors.followed_fields(personas.finance.pk)) == sorted(["营商环境", "财政"])
    assert AuditEntry.objects.filter(action="library_follow").count() == 1
    assert selectors.feed_for(personas.office) is None


# --- Key figures from rankings and plans, and their reminders ---------------------------------


def test_a_figure_linked_to_an_indicator_takes_its_value_and_is_never_typed_again(client, personas):
    from luoshi.rankings.models import County, Indicator, IndicatorValue

    ours = County.objects.create(name="示范县", is_ours=True)
    other = County.objects.create(name="东山县")
    revenue = Indicator.objects.create(name="一般公共预算收入", measure="亿元", responsible_unit=personas.finance)
    IndicatorValue.objects.create(indicator=revenue, county=ours, period=202609, value=Decimal("11.2"))
    IndicatorValue.objects.create(indicator=revenue, county=other, period=202610, value=Decimal("30"))
    figure = services.key_figure_save(
        owner=personas.finance, name="一般公共预算收入", value="10", measure="亿元", period="2026年1-8月",
        source="", cadence="", by=personas.liaison,
    )  # fmt: skip
    services.key_figure_link(figure=figure, indicator=revenue, by=personas.liaison)
    figure.refresh_from_db()
    assert (figure.value, figure.period) == (Decimal("11.2"), "2026年9月")
    with pytest.raises(ActionError, match="不需要再填"):
        services.key_figure_save(
            owner=personas.finance, name="一般公共预算收入", value="12", measure="亿元", period="2026年1-10月",
            source="", cadence="", by=personas.liaison,
        )  # fmt: skip
    IndicatorValue.objects.create(indicator=revenue, county=ours, period=202610, value=Decimal("12.6"))
    client.force_login(personas.liaison)
    page = client.get("/library/figures/").content.decode()
    assert "12.6亿元" in page and "取自排名指标“一般公共预算收入”" in page
    assert AuditEntry.objects.filter(action="link").count() == 1


def test_a_figure_cannot_take_another_units_plan_item(personas):
    from luoshi.plans.models import Plan, PlanItem

    plan = Plan.objects.create(unit=personas.housing, horizon="annual", year=2026, title="住建局2026年计划",
                               created_by=personas.office)  # fmt: skip
    item = PlanItem.objects.create(plan=plan, order=1, name="棚改开工", measure="套", target=1000)
    figure = services.key_figure_save(
        owner=personas.finance, name="棚改", value="1", measure="套", period="2026年", source="", cadence="",
        by=personas.liaison,
    )  # fmt: skip
    with pytest.raises(ActionError, match="只能关联本单位计划"):
        services.key_figure_link(figure=figure, plan_item=item, by=personas.office)


def test_a_plan_items_actual_becomes_the_figure(personas):
    from luoshi.plans.models import Plan, PlanActual, PlanItem

    plan = Plan.objects.create(unit=personas.finance, horizon="annual", year=2026, title="财政局2026年计划",
                               created_by=personas.office)  # fmt: skip
    item = PlanItem.objects.create(plan=plan, order=1, name="税收收入", measure="亿元", target=10)
    PlanActual.objects.create(item=item, month=10, value=8.1, entered_by=personas.liaison)
    figure = services.key_figure_save(
        owner=personas.finance, name="税收收入", value="7", measure="亿元", period="2026年1-9月", source="",
        cadence="", by=personas.liaison,
    )  # fmt: skip
    services.key_figure_link(figure=figure, plan_item=item, by=personas.liaison)
    figure.refresh_from_db()
    assert (figure.value, figure.period) == (Decimal("8.1"), "2026年1-10月")


@time_machine.travel("2026-11-20 09:00 +0800")
def test_a_figures_cadence_sets_its_due_date_and_the_unit_is_reminded_once(personas):
    figure = services.key_figure_save(
        owner=personas.finance, name="民生支出", value="28.4", measure="亿元", period="2026年1-10月", source="",
        cadence="每月25日前", by=personas.liaison,
    )  # fmt: skip
    assert figure.next_due == date(2026, 11, 25)
    with pytest.raises(ActionError, match="更新周期"):
        services.key_figure_save(
            owner=personas.finance, name="x", value="1", measure="", period="2026年", source="", cadence="偶尔",
            by=personas.liaison,
        )  # fmt: skip
    assert services.key_figures_remind(date(2026, 11, 20)) == 1
    event = Event.objects.get()
    assert "民生支出" in event.title and "2026-11-25" in event.body
    assert Message.objects.filter(user=personas.liaison, event=event).exists()
    assert services.key_figures_remind(date(2026, 11, 21)) == 0  # one reminder per due date
    services.key_figure_save(
        owner=personas.finance, name="民生支出", value="31.0", measure="亿元", period="2026年1-11月", source="",
        cadence="每月25日前", by=personas.liaison,
    )  # fmt: skip
    assert KeyFigure.objects.get(period="2026年1-11月").next_due == date(2026, 12, 25)


# --- Pages that create visits and cases ------------------------------------------------------


def test_a_liaison_plans_a_visit_on_its_page_and_a_second_submit_makes_nothing(client, personas, river):
    client.force_login(personas.liaison)
    form = client.get("/library/visits/new/")
    token = form.context["form"].fields["token"].initial
    data = {
        "token": token, "title": "河湖保洁经费到村情况", "unit": personas.finance.pk, "visit_on": "2026-11-10",
        "places": "城关镇\n城关镇东村\n", "members": "财政局 赵敏", "purpose": "看经费是否到村",
        "questions": "经费是否拨付\n保洁员是否到岗", "document": "示政办〔2026〕8号",
    }  # fmt: skip
    response = client.post("/library/visits/new/", data)
    visit = FieldVisit.objects.get()
    assert response["Location"] == f"/library/visits/{visit.pk}/"
    assert visit.place_list == ["城关镇", "城关镇东村"] and visit.document == river
    client.post("/library/visits/new/", data)
    assert FieldVisit.objects.count() == 1
    assert AuditEntry.objects.filter(action="create", after__题目="河湖保洁经费到村情况").count() == 1


def test_a_visit_for_another_unit_or_without_places_is_refused(client, personas):
    client.force_login(personas.liaison)
    data = {"title": "x", "unit": personas.housing.pk, "places": "城关镇"}
    assert "unit" in client.post("/library/visits/new/", data).context["form"].errors
    data = {"title": "x", "unit": personas.finance.pk, "places": "城关镇\n城关镇"}
    assert "重复的地点" in client.post("/library/visits/new/", data).content.decode()
    assert not FieldVisit.objects.exists()


def test_a_liaisons_finding_is_proposed_and_the_office_turns_it_into_a_task(client, personas):
    visit = services.visit_create(
        title="补助资金到户", unit=personas.finance, purpose="", places="城关镇", members="", questions="",
        document=None, visit_on=None, by=personas.liaison,
    )  # fmt: skip
    finding = services.finding_add(visit=visit, place="城关镇", text="补助资金拨付滞后", by=personas.liaison)
    client.force_login(personas.liaison)
    client.post(f"/library/visits/{visit.pk}/", {"propose": finding.pk})
    client.post(f"/library/visits/{visit.pk}/", {"propose": finding.pk})  # a second click
    finding.refresh_from_db()
    assert finding.proposed_by == personas.liaison
    client.force_login(personas.office)
    assert "补助资金拨付滞后" in client.get("/library/visits/").content.decode()
    client.post(
        f"/library/visits/{visit.pk}/",
        {"finding": finding.pk, "lead": personas.finance.pk, "token": "t1", "deadline": "2030-06-30"},
    )
    task = Task.objects.get()
    assert task.title == "城关镇:补助资金拨付滞后"
    assert "提请转为督办事项的发现" not in client.get("/library/visits/").content.decode()


def test_a_case_is_recorded_on_its_page_then_cultivated_and_promoted_in_order(client, personas):
    from luoshi.rankings.models import PeerPractice

    practice = PeerPractice.objects.create(
        county="封丘县", title="河长+保洁员", field="生态环境", money="县财政", people="村级保洁员", mechanism="周巡河",
        problems="约谈", created_by=personas.office,
    )  # fmt: skip
    client.force_login(personas.liaison)
    token = client.get("/library/cases/new/").context["form"].fields["token"].initial
    data = {
        "token": token, "title": "财政资金直达到户", "kind": "advanced", "field": "财政", "unit": personas.finance.pk,
        "actions": "一卡通发放", "results": "到户时间由30天缩短到5天", "source": "汇报", "found_on": "2026-10-01",
        "practices": [practice.pk],
    }  # fmt: skip
    response = client.post("/library/cases/new/", data)
    case = TypicalCase.objects.get()
    assert response["Location"] == f"/library/cases/{case.pk}/"
    assert list(case.practices.all()) == [practice]
    assert [s.stage for s in case.steps.all()] == ["found"]
    page = client.post(f"/library/cases/{case.pk}/", {"stage": "promoted", "day": "2026-11-01", "what": "全县推广"})
    assert "还没有记录“培育”" in page.content.decode()
    client.post(f"/library/cases/{case.pk}/", {"stage": "cultivated", "day": "2026-10-15", "what": "督查室跟踪"})
    client.post(f"/library/cases/{case.pk}/", {"stage": "promoted", "day": "2026-11-01", "what": "全县推广"})
    assert [s.stage for s in case.steps.all()] == ["found", "cultivated", "promoted"]
    client.force_login(personas.outsider)
    assert client.get(f"/library/cases/{case.pk}/").status_code == 404


def test_a_case_found_in_the_future_is_refused(personas):
    with pytest.raises(ActionError, match="还没有到"):
        services.case_create(
            title="x", kind="advanced", field="", unit=personas.finance, actions="做法", results="", source="",
            found_on=timezone.localdate() + timedelta(days=3), by=personas.liaison,
        )  # fmt: skip
    assert not TypicalCase.objects.exists()


def test_nothing_here_runs_for_documents_the_user_cannot_see(personas):
    assert Document.objects.visible_to(personas.liaison).count() == 0


def test_the_notify_scheduler_enqueues_the_key_figure_pass_once_a_working_day(personas, time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from django_tasks_db.models import DBTaskResult

    from luoshi.notify import scheduler

    time_machine.move_to(datetime(2026, 3, 16, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    assert "key_figures" in scheduler.tick()
    assert "key_figures" not in scheduler.tick()
    result = DBTaskResult.objects.get(task_path="luoshi.library.tasks.key_figures_remind")
    assert result.args_kwargs["args"] == ["2026-03-16"]


def test_only_the_office_cites_documents_from_a_peer_practice_which_everyone_reads(personas, river):
    from luoshi.rankings.models import PeerPractice

    practice = PeerPractice.objects.create(
        county="封丘县", title="河长+保洁员", field="生态环境", money="县财政", people="村级保洁员", mechanism="周巡河",
        problems="约谈", created_by=personas.office,
    )  # fmt: skip
    assert not services.can_link(practice, personas.liaison)
    with pytest.raises(ActionError):
        services.document_link(document=river, obj=practice, by=personas.liaison)
    services.document_link(document=river, obj=practice, by=personas.office)
    assert [row["kind"] for row in selectors.citing_objects(river, personas.liaison)] == ["学左右案例"]
