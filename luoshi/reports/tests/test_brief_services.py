"""The brief's workflow: what a submit requires, where it goes, one decision, the timeline."""

from datetime import date

import pytest

from luoshi.lib.errors import ActionError
from luoshi.reports import services
from luoshi.reports.models import Brief, BriefEvent
from luoshi.reports.services import FollowUp, OptionInput
from luoshi.work.models import Task

from .helpers import brief_input, submitted_brief

pytestmark = pytest.mark.django_db


def refused(call, *says, status=None):
    with pytest.raises(ActionError) as caught:
        call()
    for words in says:
        assert words in caught.value.message, caught.value.message
    if status is not None:
        assert caught.value.status == status
    return caught.value


def test_a_complete_brief_goes_to_the_leader_who_supervises_the_unit(personas, clock):
    brief = submitted_brief(personas)
    assert brief.status == Brief.Status.SUBMITTED
    assert brief.leader == personas.leader_row
    assert [o.position for o in brief.options.all()] == [1, 2]
    actions = list(brief.events.values_list("action", flat=True))
    assert actions == [BriefEvent.Action.CREATE, BriefEvent.Action.SUBMIT]


def test_it_refuses_a_brief_with_one_option(personas):
    data = brief_input(options=[OptionInput("申请专项债券", "成本低", "额度有限")])
    refused(lambda: services.brief_save(by=personas.liaison, data=data, submit=True), "至少要提出两个方案", "现有1个")
    assert not Brief.objects.exists()


def test_it_refuses_an_option_with_no_pros_or_no_cons(personas):
    options = [OptionInput("申请专项债券", "", "额度有限"), OptionInput("引入社会资本", "到位快", " ")]
    data = brief_input(options=options)
    error = refused(lambda: services.brief_save(by=personas.liaison, data=data, submit=True))
    assert "方案一:请写明“利”" in error.message
    assert "方案二:请写明“弊”" in error.message


def test_it_refuses_a_recommendation_that_is_not_one_of_the_options(personas):
    refused(
        lambda: services.brief_save(by=personas.liaison, data=brief_input(recommended=3), submit=True),
        "推荐方案(方案三)不在所列方案之中",
    )
    refused(
        lambda: services.brief_save(by=personas.liaison, data=brief_input(recommended=None), submit=True),
        "请选择推荐方案",
    )
    # Not even a draft keeps a recommendation outside its options.
    refused(lambda: services.brief_save(by=personas.liaison, data=brief_input(recommended=5)), "不在所列方案之中")


def test_a_draft_may_be_incomplete_and_is_submitted_once_complete(personas):
    draft = services.brief_save(by=personas.liaison, data=brief_input(options=[], recommended=None, peers=""))
    assert draft.status == Brief.Status.DRAFT
    refused(lambda: services.brief_submit(brief=draft, by=personas.liaison), "兄弟县情况", "至少要提出两个方案")
    services.brief_save(by=personas.liaison, brief=draft, data=brief_input())
    services.brief_submit(brief=draft, by=personas.liaison)
    draft.refresh_from_db()
    assert draft.status == Brief.Status.SUBMITTED
    edit = draft.events.get(action=BriefEvent.Action.EDIT)
    assert edit.before["peers"] == "" and edit.after["peers"].startswith("甲县")


def test_only_a_liaison_writes_for_their_own_unit(personas):
    refused(lambda: services.brief_save(by=personas.office, data=brief_input()), "联络员", status=403)
    brief = services.brief_save(by=personas.liaison, data=brief_input())
    refused(lambda: services.brief_save(by=personas.outsider, brief=brief, data=brief_input()), status=404)


def test_a_unit_with_no_supervising_leader_is_told_so(personas):
    data = brief_input()
    refused(lambda: services.brief_save(by=personas.outsider, data=data, submit=True), "没有设置分管县领导")


def test_the_leader_may_pick_an_option_that_was_not_recommended(personas, clock):
    brief = submitted_brief(personas)
    services.brief_decide(brief=brief, by=personas.leader, chosen=2, note="先引入社会资本,同步申报专项债。")
    brief.refresh_from_db()
    assert (brief.status, brief.chosen, brief.decided_by) == (Brief.Status.DECIDED, 2, personas.leader)
    event = brief.events.get(action=BriefEvent.Action.DECIDE)
    assert event.note == "选定方案二(非推荐方案)"
    assert event.before == {"status": "待领导决定"}
    assert event.after["chosen"] == "方案二"


def test_deciding_twice_gives_one_decision(personas, clock):
    brief = submitted_brief(personas)
    stale = Brief.objects.get(pk=brief.pk)
    services.brief_decide(brief=brief, by=personas.leader, chosen=1)
    refused(
        lambda: services.brief_decide(brief=stale, by=personas.leader, chosen=2), "已由", "本次操作未生效", status=409
    )
    brief.refresh_from_db()
    assert brief.chosen == 1
    assert brief.events.filter(action=BriefEvent.Action.DECIDE).count() == 1


def test_a_double_submitted_decision_form_does_nothing_twice(personas, clock):
    brief = submitted_brief(personas)
    services.brief_decide(brief=brief, by=personas.leader, chosen=1, token="tok-1")
    refused(lambda: services.brief_decide(brief=brief, by=personas.leader, chosen=1, token="tok-1"), "已经提交过")
    assert brief.events.filter(action=BriefEvent.Action.DECIDE).count() == 1


def test_the_decision_creates_follow_up_tasks_through_the_work_services(personas, clock):
    brief = submitted_brief(personas)
    follow = FollowUp(title="制定专项债申报方案", lead=personas.finance, deadline=date(2026, 4, 30))
    services.brief_decide(brief=brief, by=personas.leader, chosen=1, follow_ups=[follow])
    task = Task.objects.get(title="制定专项债申报方案")
    assert task.lead_unit == personas.finance
    assert task.leader == personas.leader_row
    assert task.source_kind == Task.SourceKind.INSTRUCTION
    assert "老旧小区" in task.source_title
    assert list(brief.follow_ups.all()) == [task]
    assert task.timeline.filter(action="create").exists()
    assert "制定专项债申报方案" in brief.events.get(action=BriefEvent.Action.DECIDE).after["follow_ups"]


def test_a_refused_follow_up_leaves_the_brief_undecided(personas, clock):
    brief = submitted_brief(personas)
    late = FollowUp(title="补录", lead=personas.finance, deadline=date(2020, 1, 1))
    refused(lambda: services.brief_decide(brief=brief, by=personas.leader, chosen=1, follow_ups=[late]), "早于今天")
    brief.refresh_from_db()
    assert brief.status == Brief.Status.SUBMITTED
    assert not brief.events.filter(action=BriefEvent.Action.DECIDE).exists()


def test_only_the_supervising_leader_decides(personas, clock):
    brief = submitted_brief(personas)
    refused(lambda: services.brief_decide(brief=brief, by=personas.office, chosen=1), status=403)
    refused(lambda: services.brief_decide(brief=brief, by=personas.liaison, chosen=1), status=403)
    refused(lambda: services.brief_decide(brief=brief, by=personas.leader, chosen=7), "请从方案一、方案二中选择")


def test_a_returned_brief_is_completed_and_submitted_again(personas, clock):
    brief = submitted_brief(personas)
    refused(lambda: services.brief_return(brief=brief, by=personas.leader, note=" "), "写明需要补充")
    services.brief_return(brief=brief, by=personas.leader, note="补充兄弟县资金来源。")
    brief.refresh_from_db()
    assert brief.status == Brief.Status.RETURNED
    services.brief_save(by=personas.liaison, brief=brief, data=brief_input(peers="甲县专项债3亿元。"), submit=True)
    brief.refresh_from_db()
    assert brief.status == Brief.Status.SUBMITTED
    actions = list(brief.events.values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "edit", "submit"]


def test_the_timeline_of_a_brief_is_never_rewritten(personas):
    brief = services.brief_save(by=personas.liaison, data=brief_input())
    event = brief.events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        BriefEvent.objects.filter(pk=event.pk).update(note="x")
    with pytest.raises(TypeError):
        event.delete()


def test_the_database_refuses_to_rewrite_a_brief_event(personas):
    from django.db import DatabaseError, connection, transaction

    brief = services.brief_save(by=personas.liaison, data=brief_input())
    event = brief.events.get()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE reports_briefevent SET note = 'x' WHERE id = %s", [event.pk])
