"""One set of numbers: every surface counts the same live set, and the leader's cockpit.

The demo county (with carried-over, paused, extended and supporting tasks) is loaded once per
test; each demo persona's red, yellow, green and total counts are read from the home page,
the task list, the API list, the cockpit and its API, the meeting pack, the circular and the
ledger's summary, and must agree.
"""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.utils import timezone

from luoshi.lib import workdays
from luoshi.org.models import Unit, User
from luoshi.reports.selectors import circular_compute, pack_compile
from luoshi.work import office as work_office
from luoshi.work import services
from luoshi.work.models import Task, UnitSnapshot
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
            cockpit_api = client.get("/api/cockpit").json()
            assert _pick(cockpit_api["counts"]) == listed
            # The 50 most overdue by default (the page's count), every one on asking.
            assert len(cockpit_api["red"]) == min(listed["red"], 50)
            assert len(client.get("/api/cockpit?limit=1000").json()["red"]) == listed["red"]
            # Every unit's row, added up, gives the same counts; the page lists the reddest first.
            assert sum(row["red"] for row in cockpit_api["units"]) == listed["red"]
            assert sum(row["total"] for row in cockpit_api["units"]) == listed["total"]
            assert cockpit["units"] == cockpit_api["units"][: len(cockpit["units"])]
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


# --- The cockpit on a small county of its own ------------------------------------

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def clock(time_machine):
    def go(day: date, hour: int = 10):
        time_machine.move_to(datetime(day.year, day.month, day.day, hour, tzinfo=TZ), tick=False)

    go(date(2026, 3, 16))
    return go


@pytest.fixture
def small(personas, clock, settings):
    """财政局: one red task reported and urged, one carried over from 2025 (red), one green, one paused;
    城关镇: one green; 住建局 (not the leader's): one red."""
    settings.LUOSHI_WARNING_WORKDAYS = 3
    office = personas.office

    def make(title, lead, deadline, **extra):
        spec = services.TaskSpec(title=title, lead=lead, deadline=deadline, backfill=deadline < date(2026, 3, 16),
                                 **extra)  # fmt: skip
        return services.task_create(spec=spec, by=office)

    red = make("财政收入组织", personas.finance, date(2026, 3, 10))
    services.task_report(task=red, by=personas.liaison,
                         report=services.ReportInput(done_text="已完成一季度入库\n第二行不显示", percent=50))  # fmt: skip
    work_office.task_urge(tasks=[red], message="请抓紧", by=office)
    carried = make("上年度库款整改", personas.finance, date(2026, 2, 27), year=2025)
    green = make("预算绩效评价", personas.finance, date(2026, 6, 30))
    paused = make("暂缓的事项", personas.finance, date(2026, 6, 30))
    work_office.task_pause(task=paused, by=office, reason="政策调整")
    town = make("城关镇人居环境", personas.township, date(2026, 6, 30))
    other = make("住建局燃气整治", personas.housing, date(2026, 3, 2))
    return {"red": red, "carried": carried, "green": green, "paused": paused, "town": town, "other": other}


def test_the_leaders_cockpit_lists_their_units_red_first_and_each_red_task_in_one_line(client, personas, small):
    client.force_login(personas.leader)
    response = client.get("/")
    page = response.content.decode()
    counts = response.context["counts"]
    assert (counts["red"], counts["yellow"], counts["green"], counts["carried"], counts["total"]) == (2, 0, 2, 1, 4)
    assert "红灯2 + 黄灯0 + 绿灯2 + 无灯0(本年已办结)= 共4项;含往年结转未办结1项" in page
    units = response.context["units"]
    assert [(row["unit"], row["red"], row["carried"]) for row in units] == [("财政局", 2, 1), ("城关镇", 0, 0)]
    assert "住建局" not in page and "住建局燃气整治" not in page
    # Tapping a unit lists its tasks, filtered.
    assert f'href="/work/?unit={personas.finance.pk}"' in page
    listed = client.get(f"/work/?unit={personas.finance.pk}").content.decode()
    assert "财政收入组织" in listed and "城关镇人居环境" not in listed
    # Each red task in one line: days overdue, the last report's date and first line, urged or not.
    (first, second) = response.context["red"]
    assert first["title"] == "上年度库款整改" and first["why"] == "已逾期 17 天" and first["carried"]
    assert first["report_on"] is None and first["urged"] == 0
    assert second["why"] == "已逾期 6 天" and second["report_line"] == "已完成一季度入库" and second["urged"] == 1
    assert "尚无反馈" in page and "未催办" in page and "已催办 1 次" in page
    assert f'href="/work/{small["red"].pk}/"' in page


def test_the_office_sees_the_county_and_switches_to_each_leader(client, personas, small):
    client.force_login(personas.office)
    county = client.get("/cockpit/").context
    assert county["counts"]["red"] == 3 and county["units"][0]["unit"] in ("财政局", "住房和城乡建设局")
    switched = client.get(f"/cockpit/?leader={personas.leader_row.pk}").context
    client.force_login(personas.leader)
    own = client.get("/cockpit/").context
    assert _pick(switched["counts"]) == _pick(own["counts"])
    assert [row["unit"] for row in switched["units"]] == [row["unit"] for row in own["units"]]


def test_a_liaison_has_no_cockpit_and_another_units_task_stays_hidden(client, personas, small):
    client.force_login(personas.liaison)
    assert client.get("/cockpit/").status_code == 403
    data = client.get("/api/cockpit").json()
    assert [row["unit"] for row in data["units"]] == ["财政局"]
    client.force_login(personas.leader)
    assert client.get(f"/work/{small['other'].pk}/").status_code == 404
    assert client.get(f"/api/cockpit?leader={personas.leader_row.pk}").status_code == 404


def test_the_cockpit_api_agrees_with_the_task_list_for_every_light(client, personas, small):
    for user in (personas.office, personas.leader, personas.liaison, personas.outsider):
        client.force_login(user)
        cockpit = client.get("/api/cockpit").json()
        for light in ("red", "yellow", "green"):
            listed = client.get(f"/api/work/tasks?light={light}&page_size=100").json()
            assert cockpit["counts"][light] == listed["count"], (user.username, light)
            if light == "red":
                assert sorted(row["id"] for row in cockpit["red"]) == sorted(row["id"] for row in listed["items"])
        assert cockpit["counts"]["total"] == client.get("/api/work/tasks").json()["count"]
        assert sum(row["total"] for row in cockpit["units"]) == cockpit["counts"]["total"]


def test_the_snapshot_is_taken_once_a_day_kept_and_read_by_the_trend(client, personas, small, clock):
    out = StringIO()
    call_command("snapshot_units", stdout=out)
    assert "已生成 3 个单位" in out.getvalue()
    finance = UnitSnapshot.objects.get(day=date(2026, 3, 16), unit=personas.finance)
    assert (finance.red, finance.green, finance.carried, finance.total) == (2, 1, 1, 3)
    # A second run the same day writes nothing, whatever changed since: the past is never recomputed.
    work_office.task_pause(task=small["green"], by=personas.office, reason="暂缓")
    call_command("snapshot_units", stdout=StringIO())
    assert UnitSnapshot.objects.filter(day=date(2026, 3, 16)).count() == 3
    assert UnitSnapshot.objects.get(pk=finance.pk).green == 1
    with pytest.raises(TypeError):
        finance.save()
    with pytest.raises(TypeError):
        UnitSnapshot.objects.filter(pk=finance.pk).update(red=0)
    clock(date(2026, 3, 23))
    call_command("snapshot_units", stdout=StringIO())
    client.force_login(personas.leader)
    response = client.get("/cockpit/")
    trend = response.context["trend"]
    # A week later the paused task has left the green, and 城关镇's unsigned task turned yellow.
    assert [(row["day"], row["red"], row["yellow"], row["green"]) for row in trend] == [
        (date(2026, 3, 16), 2, 0, 2),
        (date(2026, 3, 23), 2, 1, 0),
    ]
    page = response.content.decode()
    assert 'id="trend-chart"' in page and '<td data-label="周(截至)">03-23</td>' in page
    assert "vendor/echarts/echarts.min" in page


def test_deadlines_say_how_late_or_how_long_is_left(client, personas, small):
    client.force_login(personas.office)
    page = client.get("/work/").content.decode()
    assert "已逾期 6 天" in page
    # 16 March to 30 June 2026: working days, holidays off (the calendar knows 2026).
    left = workdays.calendar().between(date(2026, 3, 16), date(2026, 6, 30))
    assert f"剩 {left} 个工作日" in page
    detail = client.get(f"/work/{small['red'].pk}/").content.decode()
    assert "已逾期 6 天" in detail and "结转" not in detail
    assert "结转" in client.get(f"/work/{small['carried'].pk}/").content.decode()


def test_no_extension_is_offered_past_the_deadline(client, personas, small):
    client.force_login(personas.liaison)
    late = client.get(f"/work/{small['red'].pk}/").content.decode()
    on_time = client.get(f"/work/{small['green'].pk}/").content.decode()
    assert f"/work/{small['red'].pk}/extension/" not in late and "申请办结" in late
    assert f"/work/{small['green'].pk}/extension/" in on_time


def test_closure_evidence_stays_on_the_task_after_it_is_closed_and_the_office_is_named(client, personas, small):
    from luoshi.work.attachments import attachment_check

    task = small["green"]
    pdf = attachment_check("验收报告.pdf", b"%PDF-1.7\n" + b"0" * 100)
    request = services.task_closure_ask(task=task, by=personas.liaison, summary="已完成全部评价", files=[pdf])
    work_office.closure_decide(request=request, approve=True, by=personas.office, note="同意销号")
    client.force_login(personas.liaison)
    page = client.get(f"/work/{task.pk}/").content.decode()
    assert "办结情况" in page and "已完成全部评价" in page and "验收报告.pdf" in page and "同意销号" in page
    # The office's steps are the office's (督查室), not the unit's, on the page and in the API.
    assert "督查室 督查室刘洋" in page
    timeline = client.get(f"/api/work/tasks/{task.pk}").json()["timeline"]
    close = next(entry for entry in timeline if entry["action"] == "close")
    assert close["actor_side"] == "督查室"
    assert next(entry for entry in timeline if entry["action"] == "closure_ask")["actor_side"] == "财政局"


def test_a_leader_reads_issued_circulars_but_not_drafts(client, personas, small):
    from luoshi.reports import services as report_services

    draft = report_services.circular_create(kind="month", year=2026, number=2, by=personas.office)
    issued = report_services.circular_create(kind="month", year=2026, number=3, by=personas.office)
    report_services.circular_issue(circular=issued, by=personas.office)
    client.force_login(personas.leader)
    assert client.get(f"/reports/circulars/{draft.pk}/").status_code == 404
    page = client.get(f"/reports/circulars/{issued.pk}/").content.decode()
    assert issued.title in page and "印发</button>" not in page
    assert client.post(f"/reports/circulars/{issued.pk}/", {"title": "改"}).status_code == 200
    issued.refresh_from_db()
    assert issued.title != "改"
    assert client.get(f"/reports/circulars/{issued.pk}/docx/").status_code == 200
    assert issued.title in client.get("/cockpit/").content.decode()
    client.force_login(personas.liaison)
    assert client.get(f"/reports/circulars/{issued.pk}/").status_code == 404
