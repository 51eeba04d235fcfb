import pytest
from django.core.management import CommandError, call_command

from luoshi.lib import workdays
from luoshi.org.demo import DEMO_PASSWORD
from luoshi.org.models import Leader, Unit, UnitAlias, User
from luoshi.work.models import Light, Task
from luoshi.work.selectors import unit_inbox, week_tasks

pytestmark = pytest.mark.django_db


def test_load_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG=1"):
        call_command("load_demo")
    assert not Unit.objects.exists()


def test_load_demo_runs_with_debug_off_only_with_the_explicit_demo_site_flag(settings, capsys):
    settings.DEBUG = False
    call_command("load_demo", "--demo-site", "--if-empty")
    assert Unit.objects.exists()
    assert set(User.objects.filter(username__in=["security", "auditor"]).values_list("role", flat=True)) == {
        "security",
        "auditor",
    }


def test_load_demo_builds_the_demo_county_and_can_run_again(settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    counts = (Unit.objects.count(), UnitAlias.objects.count(), Leader.objects.count(), User.objects.count())
    tasks = Task.objects.count()
    call_command("load_demo")
    assert (Unit.objects.count(), UnitAlias.objects.count(), Leader.objects.count(), User.objects.count()) == counts
    assert Task.objects.count() == tasks

    kinds = {kind: Unit.objects.filter(kind=kind).count() for kind in Unit.Kind.values}
    assert 40 <= kinds["department"] <= 50
    assert kinds["township"] == 12
    assert kinds["enterprise"] == 4
    assert Leader.objects.count() == 8
    assert Leader.objects.filter(is_principal=True).count() == 1
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out and "unit2" in out

    # The county's tasks of the year so far: about 150, every status, every light.
    assert 140 <= tasks <= 170
    assert set(Task.objects.values_list("status", flat=True)) == set(Task.Status.values)
    t = workdays.thresholds()
    assert {Light.RED, Light.YELLOW, Light.GREEN} <= set(Task.objects.with_light(t).values_list("light", flat=True))

    # The finance liaison's week page is full, and the inbox has something of every kind.
    finance = User.objects.get(username="unit").unit
    assert len(week_tasks(finance, t)) >= 10
    inbox = unit_inbox(finance, t)
    assert inbox.to_sign and inbox.returned and inbox.urged
    housing = User.objects.get(username="unit2").unit
    assert Task.objects.filter(lead_unit=housing).count() >= 5
    assert week_tasks(housing, t)


def test_the_demo_logins_are_bound_as_the_readme_says(settings):
    settings.DEBUG = True
    call_command("load_demo")
    users = {user.username: user for user in User.objects.select_related("unit", "leader")}
    assert users["office"].role == "office"
    assert users["admin"].role == "admin" and users["admin"].is_staff
    assert users["unit"].unit.name == "财政局"
    assert users["unit2"].unit.name == "住房和城乡建设局"
    leader = users["leader"].leader
    assert "副县长" in leader.title
    supervised = set(leader.supervises.values_list("name", flat=True))
    assert "财政局" in supervised and "住房和城乡建设局" not in supervised
    for user in users.values():
        assert user.check_password(DEMO_PASSWORD), user.username
        assert not user.must_change_password


def test_load_demo_if_empty_leaves_an_existing_county_alone(settings, capsys):
    settings.DEBUG = True
    Unit.objects.create(name="本县自己的单位")
    call_command("load_demo", "--if-empty")
    assert Unit.objects.count() == 1
    assert "跳过" in capsys.readouterr().out


def test_load_demo_keeps_a_changed_password(settings):
    settings.DEBUG = True
    call_command("load_demo")
    office = User.objects.get(username="office")
    office.set_password("Changed2026x")
    office.save()
    call_command("load_demo")
    office.refresh_from_db()
    assert office.check_password("Changed2026x")
