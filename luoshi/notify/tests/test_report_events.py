"""The reports app's events: a brief submitted and decided, a meeting pack and a circular issued."""

from datetime import date

import pytest

from luoshi.notify import delivery
from luoshi.notify.models import Channel, Delivery, Kind, Message, RobotChannel
from luoshi.reports import services as reports
from luoshi.reports.models import Circular
from luoshi.reports.tests.helpers import submitted_brief

from .fakes import SECRET

pytestmark = pytest.mark.django_db


def test_a_submitted_brief_reaches_its_leader_and_the_decision_reaches_the_unit(personas, clock, robot):
    RobotChannel.objects.create(unit=personas.finance, kind=Channel.DINGTALK, webhook=robot.dingtalk_url(),
                                secret=SECRET)  # fmt: skip
    brief = submitted_brief(personas)
    [asked] = Message.objects.filter(user=personas.leader, kind=Kind.BRIEF)
    assert asked.event.title == "待决定汇报:城区老旧小区改造资金筹措"
    assert asked.event.url == f"/reports/briefs/{brief.pk}/"
    assert not Message.objects.filter(user=personas.liaison, kind=Kind.BRIEF).exists()
    reports.brief_decide(brief=brief, by=personas.leader, chosen=2, note="先引入社会资本")
    [decided] = Message.objects.filter(user=personas.liaison, kind=Kind.BRIEF)
    assert "已决定" in decided.event.title and "先引入社会资本" in decided.event.body
    delivery.deliver_due()
    [ding] = [b for b in robot.of("dingtalk") if "汇报" in b["markdown"]["title"]]
    assert "城区老旧小区改造资金筹措" in ding["markdown"]["text"]
    assert Delivery.objects.filter(channel=Channel.DINGTALK, status=Delivery.Status.SENT).count() == 1


def test_a_returned_brief_reaches_the_unit(personas, clock):
    brief = submitted_brief(personas)
    reports.brief_return(brief=brief, by=personas.leader, note="补充乙县的做法")
    [returned] = Message.objects.filter(user=personas.liaison, kind=Kind.BRIEF)
    assert "被退回完善" in returned.event.title and "补充乙县" in returned.event.body


def test_a_pack_and_a_circular_issued_reach_the_leaders(personas, clock):
    pack = reports.pack_issue(meeting_date=date(2026, 3, 17), by=personas.office)
    [message] = Message.objects.filter(user=personas.leader, kind=Kind.ISSUED)
    assert message.event.url == f"/reports/packs/{pack.pk}/"
    circular = reports.circular_create(kind=Circular.PeriodKind.MONTH, year=2026, number=2, by=personas.office)
    reports.circular_issue(circular=circular, by=personas.office)
    titles = sorted(m.event.title for m in Message.objects.filter(user=personas.leader, kind=Kind.ISSUED))
    assert titles[1].startswith("督查通报已印发") and len(titles) == 2
    assert not Message.objects.filter(user=personas.liaison, kind=Kind.ISSUED).exists()
