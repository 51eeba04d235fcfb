"""One set of numbers: every surface counts the same live set, and the leader's cockpit.

The demo county (with carried-over, paused, extended and supporting tasks) is loaded once per
test; each demo persona's red, yellow, green and total counts are read from the home page,
the task list, the API list, the cockpit and its API, the meeting pack, the circular and the
ledger's summary, and must agree.
"""

from datetime import date

import pytest
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.org.models import Unit, User
from luoshi.reports.selectors import circular_compute, pack_compile
from luoshi.work.models import Task
from luoshi.work.selectors import unit_stats

pytestmark = pytest.mark.django_db

KEYS = ("red", "yellow", "green", "total")


def _pick(counts: dict) -> dict:
    return {key: counts[key] for key in KEYS}


def _api_counts(client) -> dict:
    data = client.get("/api/work/tasks?page_size=1").json()
    counts = _pick(data["light_counts"])
    for light in ("red", "yellow", "green"):
        assert client.get(f"/api/work/tasks?light={light}&page_size=1").json()["count"] == counts[light]
    return counts


@pytest.fixture
def county(demo):
    """The demo county has carried-over tasks (结转), paused, extended and supporting ones: check it does."""
    this_year = timezone.localdate().year
    assert Task.objects.filter(year__lt=this_year, status__in=Task.LIT_STATUSES).exists()
    assert Task.objects.filter(status=Task.Status.PAUSED).exists()
    assert Task.objects.filter(extensions__status="approved").exists()
    assert Task.objects.filter(assignments__role="support").exists()
    return {user.username: user for user in User.objects.filter(username__in=["office", "leader", "unit", "unit2"])}


def test_every_surface_gives_each_persona_the_same_counts(client, county):
    t = workdays.thresholds()
    today = t.today
    pack = pack_compile(today, t)
    circular = circular_compute(date(today.year, 1, 1), today)
    circular_assigned = {
        row["unit"]: row["assigned"] for group in circular["groups"] for row in [*group["rows"], *group["unranked"]]
    }
    by_unit = {row["unit_id"]: row for row in pack["by_unit"]}

    for username, user in county.items():
        client.force_login(user)
        home = client.get("/").context
        listed = _pick(client.get("/work/").context["counts"])
        api = _api_counts(client)
        home_counts = home["counts"] if user.role == User.Role.LEADER else home["task_counts"]
        assert _pick(home_counts) == listed == api, username
        assert listed["total"] > listed["red"] + listed["yellow"] + listed["green"], "done tasks are 无灯"

        if user.role in (User.Role.LEADER, User.Role.OFFICE):
            cockpit = client.get("/cockpit/").context
            assert _pick(cockpit["counts"]) == listed, username
            # The units' rows add up to the same total.
            assert sum(row["red"] for row in cockpit["units"]) == listed["red"]
            assert sum(row["total"] for row in cockpit["units"]) == listed["total"]
            cockpit_api = client.get("/api/cockpit").json()
            assert _pick(cockpit_api["counts"]) == listed
            assert len(cockpit_api["red"]) == listed["red"]
        if user.role == User.Role.OFFICE:
            assert _pick(pack["counts"]) == listed
            ledger = unit_stats(Unit.objects.all(), (date(today.year, 1, 1), today))
            assert sum(row.assigned for row in ledger) == listed["total"]
            assert sum(circular_assigned.values()) == listed["total"]
        if user.role == User.Role.LEADER:
            row = next(r for r in pack["leaders"] if r["name"] == user.leader.name)
            assert _pick(row) == listed
        if user.role == User.Role.UNIT:
            # Lead tasks only: the unit filter, the pack's row, the circular, the ledger summary.
            led = _pick(client.get(f"/work/?unit={user.unit_id}").context["counts"])
            assert _pick(by_unit[user.unit_id]) == led
            assert circular_assigned[user.unit.display_name] == led["total"]
            (stats,) = unit_stats([user.unit], (date(today.year, 1, 1), today))
            assert stats.assigned == led["total"]
