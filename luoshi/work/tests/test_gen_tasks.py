"""The benchmark data generator: a small run has the shape of a real county."""

import datetime as dt
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.org.models import Leader, Unit, User
from luoshi.work.models import Assignment, Light, ProgressReport, Task, TimelineEntry, Urge

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(capsys):
    call_command("gen_tasks", "--tasks", "300", "--units", "20", "--seed", "7")
    return capsys.readouterr().out


def test_it_writes_the_units_leaders_and_logins(county):
    assert Unit.objects.count() == 20
    assert Unit.objects.filter(name="第0001号单位").exists()
    townships = Unit.objects.filter(kind=Unit.Kind.TOWNSHIP).count()
    assert 4 <= townships <= 8
    assert Leader.objects.filter(supervises__isnull=False).distinct().count() >= 2
    office = User.objects.get(username="gen-office")
    liaison = User.objects.get(username="gen-unit-0001")
    assert office.role == User.Role.OFFICE and office.check_password("luoshi2026")
    assert liaison.unit.name == "第0001号单位" and liaison.check_password("luoshi2026")
    assert "完成" in county


def test_the_tasks_have_the_promised_distributions(county):
    tasks = Task.objects.all()
    total = tasks.count()
    assert total == 300
    done = tasks.filter(status=Task.Status.DONE)
    assert 0.60 <= done.count() / total <= 0.80
    assert not done.filter(Q(done_on__isnull=True) | Q(done_on_time__isnull=True) | Q(workdays_to_done__isnull=True))
    assert done.filter(done_on_time=False).exists()

    reports = ProgressReport.objects.count()
    assert 6 <= reports / total <= 10
    assert ProgressReport.objects.filter(late=True).exists()

    urged = tasks.filter(urge_count__gt=0).count()
    assert 0.08 <= urged / total <= 0.22
    assert sum(tasks.values_list("urge_count", flat=True)) == Urge.objects.count()
    assert not tasks.annotate(n=Count("urges")).exclude(n=F("urge_count")).exists()

    years = set(tasks.values_list("year", flat=True))
    this_year = timezone.localdate().year
    assert min(years) == this_year - 9 and max(years) == this_year


def test_every_status_and_every_light_occur_this_year(county):
    t = workdays.thresholds()
    this_year = Task.objects.filter(year=timezone.localdate().year)
    assert set(this_year.values_list("status", flat=True)) == set(Task.Status.values)
    lights = set(this_year.with_light(t).values_list("light", flat=True))
    assert {Light.RED, Light.YELLOW, Light.GREEN} <= lights
    # Every row's light agrees with the one the model computes for it.
    for task in this_year.with_light(t):
        assert task.light == task.light_for(t)


@pytest.mark.parametrize("day", ["2027-01-01", "2026-06-15", "2026-12-31"])
def test_this_years_statuses_and_lights_hold_on_any_day_of_the_year(day):
    moment = dt.datetime.fromisoformat(f"{day}T10:00").replace(tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        call_command("gen_tasks", "--tasks", "300", "--units", "20", "--seed", "3", stdout=StringIO())
        t = workdays.thresholds()
        this_year = Task.objects.filter(year=t.today.year)
        assert set(this_year.values_list("status", flat=True)) == set(Task.Status.values)
        assert {Light.RED, Light.YELLOW, Light.GREEN} <= set(this_year.with_light(t).values_list("light", flat=True))
        assert not ProgressReport.objects.filter(created_at__gt=timezone.now()).exists()
        assert not Task.objects.filter(done_on__gt=t.today).exists()


def test_each_task_has_one_lead_some_support_and_one_create_entry(county):
    leads = Assignment.objects.filter(role=Assignment.Role.LEAD)
    assert leads.count() == 300
    assert not Task.objects.annotate(n=Count("assignments", filter=Q(assignments__role="lead"))).exclude(n=1)
    supported = Assignment.objects.filter(role=Assignment.Role.SUPPORT).values("task").distinct().count()
    assert 0.2 <= supported / 300 <= 0.4
    assert TimelineEntry.objects.filter(action=TimelineEntry.Action.CREATE).count() == 300


def test_a_few_units_carry_most_of_the_work(county):
    counts = sorted(Task.objects.values("lead_unit").annotate(n=Count("pk")).values_list("n", flat=True))
    assert counts[-1] >= 4 * counts[len(counts) // 2]
    busiest = Task.objects.values("lead_unit__name").annotate(n=Count("pk")).order_by("-n").first()
    assert busiest["lead_unit__name"] == "第0001号单位"


def test_the_full_text_index_finds_a_small_fraction(county):
    found = list(Task.objects.search("河湖保洁"))
    assert 0 < len(found) < 30
    assert all("河湖保洁" in task.title + task.requirements for task in found)
    assert Task.objects.filter(title__contains="河湖保洁").count() == len(found)


def test_it_refuses_a_database_with_tasks_unless_told_to_append(county):
    with pytest.raises(CommandError, match="--append"):
        call_command("gen_tasks", "--tasks", "10", "--units", "20")
    call_command("gen_tasks", "--tasks", "10", "--units", "20", "--append")
    assert Task.objects.count() == 310
    assert Unit.objects.count() == 20
    # New rows take ids after the old ones, and the database hands out the next one after both.
    task = Task.objects.order_by("id").last()
    created = Task.objects.create(
        year=task.year, title="手工登记", lead_unit=task.lead_unit, deadline=task.deadline, created_by=task.created_by
    )
    assert created.pk > task.pk
