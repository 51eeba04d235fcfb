"""机构改革 (issue 20 §5): units renamed, merged, split or dissolved; open tasks move with a timeline entry,
closed ones stay, old names become aliases, and past periods are still reported under the names of that time."""

from datetime import date, timedelta

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.audit.services import verify_chain
from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, UnitAlias, UnitNameHistory, User
from luoshi.org.reorg import NewUnit, reorg_dissolve, reorg_merge, reorg_rename, reorg_split, unit_name_on
from luoshi.org.services import unit_resolve
from luoshi.work import office as work_office
from luoshi.work import services as work_services
from luoshi.work.models import Assignment, Task, TimelineEntry
from luoshi.work.tests import conftest as work_fixtures

pytestmark = pytest.mark.django_db

# The 督办 tests' rules and county clock (pytest finds fixtures by name).
clock, rules = work_fixtures.clock, work_fixtures.rules


def make_task(personas, title, lead, *, supporting=(), deadline=date(2026, 6, 30)) -> Task:
    spec = work_services.TaskSpec(title=title, lead=lead, supporting=list(supporting), deadline=deadline)
    return work_services.task_create(spec=spec, by=personas.office)


def close(personas, task):
    work_services.task_closure_ask(task=task, by=personas.office, summary="已完成")
    work_office.closure_decide(request=task.closures.get(), approve=True, by=personas.office)


def parts(task) -> list[tuple[str, str]]:
    return sorted(Assignment.objects.filter(task=task).values_list("unit__name", "role"))


def written() -> tuple[int, int, int, int, int]:
    """Everything a reorganisation writes, counted: nothing must change when it is refused or previewed."""
    return (
        AuditEntry.objects.count(),
        TimelineEntry.objects.count(),
        Unit.objects.filter(active=True).count(),
        UnitAlias.objects.count(),
        UnitNameHistory.objects.count(),
    )


@pytest.fixture
def county(personas, clock):
    """财政局 leads two open tasks (one supported by 住建局) and one done; 住建局 leads one open task."""
    tasks = {
        "open_finance": make_task(personas, "编制年度增收计划", personas.finance, supporting=[personas.housing]),
        "open_finance_2": make_task(personas, "推进财政数字化改革", personas.finance),
        "done_finance": make_task(personas, "清理暂付款", personas.finance),
        "open_housing": make_task(personas, "推进老旧小区改造", personas.housing, supporting=[personas.finance]),
    }
    close(personas, tasks["done_finance"])
    return tasks


# --- Rename -----------------------------------------------------------------------------


def test_a_rename_keeps_the_former_name_as_history_and_as_an_alias(personas, county):
    finance = personas.finance
    result = reorg_rename(unit=finance, name="财政金融局", short_name="财金局", on=date(2026, 4, 1), by=personas.admin)

    assert result.applied and "更名为“财政金融局”" in result.summary
    finance.refresh_from_db()
    assert (finance.name, finance.short_name, finance.active) == ("财政金融局", "财金局", True)
    row = UnitNameHistory.objects.get(unit=finance)
    assert (row.name, row.valid_from, row.valid_to) == ("财政局", None, date(2026, 3, 31))
    assert unit_name_on(finance, date(2026, 3, 31)) == "财政局"
    assert unit_name_on(finance, date(2026, 4, 1)) == "财政金融局"
    # A document that still says 财政局 resolves to the renamed unit.
    assert unit_resolve("财政局").units == [finance]
    # Its tasks, open or closed, stay with it.
    assert Task.objects.filter(lead_unit=finance).count() == 3
    entry = AuditEntry.objects.get(action="reorg_rename")
    assert entry.actor == personas.admin
    assert (entry.before["单位全称"], entry.after["单位全称"]) == ("财政局", "财政金融局")
    assert verify_chain()[1] is None


def test_a_second_rename_starts_where_the_first_ended(personas, county):
    reorg_rename(unit=personas.finance, name="财政金融局", on=date(2026, 4, 1), by=personas.admin)
    reorg_rename(unit=personas.finance, name="财政和金融工作局", on=date(2026, 9, 1), by=personas.admin)
    personas.finance.refresh_from_db()
    names = [unit_name_on(personas.finance, day) for day in (date(2026, 1, 5), date(2026, 5, 5), date(2026, 9, 1))]
    assert names == ["财政局", "财政金融局", "财政和金融工作局"]
    assert set(UnitAlias.objects.filter(unit=personas.finance).values_list("alias", flat=True)) == {
        "财政", "财政局", "财政金融局",
    }  # fmt: skip


def test_renaming_to_its_own_alias_makes_the_alias_its_name(personas, county):
    reorg_rename(unit=personas.finance, name="财政", on=date(2026, 4, 1), by=personas.admin)
    personas.finance.refresh_from_db()
    assert personas.finance.name == "财政"
    assert not UnitAlias.objects.filter(alias="财政").exclude(unit=personas.finance).exists()
    assert UnitAlias.objects.filter(unit=personas.finance, alias="财政局").exists()


# --- Merge ------------------------------------------------------------------------------


def test_a_merge_into_a_new_unit_moves_open_tasks_keeps_closed_ones_and_traces_it(personas, county):
    result = reorg_merge(
        sources=[personas.finance, personas.housing], into=NewUnit(name="财政和住房建设局", short_name="财建局"),
        on=date(2026, 4, 1), by=personas.admin,
    )  # fmt: skip

    merged = Unit.objects.get(name="财政和住房建设局")
    assert (merged.short_name, merged.kind, merged.established_on) == ("财建局", "department", date(2026, 4, 1))
    assert result.counts["转移在办事项"] == 3 and result.counts["保留原单位的已办结(已关闭)事项"] == 1
    # The task 财政局 led and 住建局 supported: one lead left, the successor.
    assert parts(county["open_finance"]) == [("财政和住房建设局", "lead")]
    assert parts(county["open_housing"]) == [("财政和住房建设局", "lead")]
    for key in ("open_finance", "open_finance_2", "open_housing"):
        county[key].refresh_from_db()
        assert county[key].lead_unit == merged
        entry = TimelineEntry.objects.filter(task=county[key]).latest("id")
        assert entry.action == TimelineEntry.Action.EDIT and entry.actor == personas.admin
        assert entry.note.startswith("机构改革:") and entry.unit == merged
        assert entry.after["lead_unit"] == "财政和住房建设局"
    first = TimelineEntry.objects.filter(task=county["open_finance"]).latest("id")
    assert (first.before["lead_unit"], first.before["supporting"], first.after["supporting"]) == (
        "财政局",
        "住建局",
        "",
    )
    # History is kept: the done task stays with 财政局, which is inactive, not deleted.
    county["done_finance"].refresh_from_db()
    assert county["done_finance"].lead_unit == personas.finance
    for old in (personas.finance, personas.housing):
        old.refresh_from_db()
        assert (old.active, old.dissolved_on) == (False, date(2026, 4, 1))
    # Old names, short names and aliases name the successor now.
    for name in ("财政局", "财政", "住房和城乡建设局", "住建局"):
        assert unit_resolve(name).units == [merged], name
    # The liaisons move with their units, and see the tasks; the leader who 分管 财政局 分管 the successor.
    personas.liaison.refresh_from_db()
    personas.outsider.refresh_from_db()
    assert personas.liaison.unit == merged and personas.outsider.unit == merged
    assert Task.objects.visible_to(personas.liaison).filter(pk=county["open_housing"].pk).exists()
    assert merged in personas.leader_row.supervises.all()
    assert Task.objects.visible_to(personas.leader).filter(pk=county["open_finance"].pk).exists()
    # Traced: the merger, the new unit, each unit retired, each account and leader changed.
    actions = sorted(AuditEntry.objects.values_list("action", flat=True))
    assert actions.count("reorg_merge") == 1 and actions.count("reorg_create") == 1
    assert actions.count("reorg_retire") == 2 and actions.count("reorg_user_move") == 2
    assert actions.count("reorg_leader") == 1
    merger = AuditEntry.objects.get(action="reorg_merge")
    assert merger.before == {"并入单位": ["财政局", "住房和城乡建设局"]} and merger.actor == personas.admin
    assert verify_chain()[1] is None


def test_a_merge_into_an_existing_unit_makes_a_supporting_successor_the_lead(personas, county):
    reorg_merge(sources=[personas.housing], into=personas.finance, on=date(2026, 4, 1), by=personas.admin,
                move_users=False)  # fmt: skip
    # 住建局 led it and 财政局 supported it: 财政局 now leads, alone.
    assert parts(county["open_housing"]) == [("财政局", "lead")]
    county["open_housing"].refresh_from_db()
    assert county["open_housing"].lead_unit == personas.finance
    # 财政局 led it and 住建局 supported it: 住建局's part is gone, 财政局 still leads.
    assert parts(county["open_finance"]) == [("财政局", "lead")]
    # Accounts left where they were, listed for the administrator.
    personas.outsider.refresh_from_db()
    assert personas.outsider.unit == personas.housing
    assert UnitAlias.objects.filter(alias="住房和城乡建设局", unit=personas.finance).exists()


def test_a_preview_shows_what_moves_where_and_writes_nothing(personas, county):
    before = written()
    result = reorg_merge(sources=[personas.finance, personas.housing], into=NewUnit(name="财建局"),
                         on=date(2026, 4, 1), by=personas.admin, move_users=False, dry_run=True)  # fmt: skip
    assert not result.applied
    assert {(m.title, m.from_unit, m.to_unit) for m in result.moves} >= {
        ("编制年度增收计划", "财政局", "财建局"), ("推进老旧小区改造", "住建局", "财建局"),
    }  # fmt: skip
    assert any("charlie" in line for line in result.users_left)
    assert written() == before
    assert not Unit.objects.filter(name="财建局").exists()
    assert parts(county["open_finance"]) == [("住房和城乡建设局", "support"), ("财政局", "lead")]


# --- Split ------------------------------------------------------------------------------


def test_a_split_sends_each_open_task_where_the_administrator_chose(personas, county):
    result = reorg_split(
        source=personas.finance, successors=[NewUnit(name="财政事务中心"), personas.township],
        choices={county["open_finance_2"].pk: 1}, on=date(2026, 4, 1), by=personas.admin,
    )  # fmt: skip
    centre = Unit.objects.get(name="财政事务中心")
    assert result.targets == ["财政事务中心", "城关镇"]
    county["open_finance"].refresh_from_db()
    county["open_finance_2"].refresh_from_db()
    assert county["open_finance"].lead_unit == centre  # the first successor by default
    assert county["open_finance_2"].lead_unit == personas.township
    assert parts(county["open_housing"]) == [("住房和城乡建设局", "lead"), ("财政事务中心", "support")]
    assert TimelineEntry.objects.filter(task=county["open_finance_2"], note__contains="拆分").count() == 1
    county["done_finance"].refresh_from_db()
    assert county["done_finance"].lead_unit == personas.finance
    personas.finance.refresh_from_db()
    assert not personas.finance.active
    personas.liaison.refresh_from_db()
    assert personas.liaison.unit == centre
    assert set(personas.leader_row.supervises.all()) >= {centre, personas.township}
    assert AuditEntry.objects.get(action="reorg_split").after["承接单位"] == ["财政事务中心", "城关镇"]


# --- Dissolve ---------------------------------------------------------------------------


def test_a_unit_without_open_tasks_is_dissolved_and_its_accounts_listed(personas, clock):
    result = reorg_dissolve(unit=personas.housing, on=date(2026, 3, 16), by=personas.admin)
    personas.housing.refresh_from_db()
    assert (personas.housing.active, personas.housing.dissolved_on) == (False, date(2026, 3, 16))
    assert any("dave" in line for line in result.users_left)
    assert AuditEntry.objects.get(action="reorg_dissolve").actor == personas.admin


# --- Bad input: a clear Chinese error, nothing written ----------------------------------------


BAD = {
    "merge_into_itself": (lambda p: reorg_merge(sources=[p.finance], into=p.finance, on=date(2026, 4, 1), by=p.admin),
                          "不能把“财政局”并入它自己"),
    "merge_nothing": (lambda p: reorg_merge(sources=[], into=p.finance, on=date(2026, 4, 1), by=p.admin),
                      "请选择要合并的单位"),
    "split_into_nothing": (lambda p: reorg_split(source=p.finance, successors=[], on=date(2026, 4, 1), by=p.admin),
                           "拆分至少需要一个承接单位"),
    "split_into_itself": (lambda p: reorg_split(source=p.finance, successors=[p.finance], on=date(2026, 4, 1),
                                                by=p.admin), "承接单位不能是“财政局”本身"),
    "rename_to_another_units_name": (
        lambda p: reorg_rename(unit=p.finance, name="住房和城乡建设局", on=date(2026, 4, 1), by=p.admin),
        "已是单位“住房和城乡建设局”的名称"),
    "rename_to_another_units_alias": (
        lambda p: reorg_rename(unit=p.housing, name="财政", on=date(2026, 4, 1), by=p.admin),
        "已是单位“财政局”的别名"),
    "rename_to_another_units_short_name": (
        lambda p: reorg_rename(unit=p.finance, name="住建局", on=date(2026, 4, 1), by=p.admin),
        "已是单位“住房和城乡建设局”的简称"),
    "a_short_name_taken_by_another_unit": (
        lambda p: reorg_rename(unit=p.finance, name="财政金融局", short_name="城关镇", on=date(2026, 4, 1), by=p.admin),
        "“城关镇”已是单位“城关镇”的名称"),
    "rename_to_the_same_name": (
        lambda p: reorg_rename(unit=p.finance, name="财政局", on=date(2026, 4, 1), by=p.admin), "无需更名"),
    "rename_to_nothing": (lambda p: reorg_rename(unit=p.finance, name="  ", on=date(2026, 4, 1), by=p.admin),
                          "请填写新名称"),
    "new_unit_named_like_an_alias": (
        lambda p: reorg_merge(sources=[p.housing], into=NewUnit(name="财政"), on=date(2026, 4, 1), by=p.admin),
        "已是单位“财政局”的别名"),
    "new_unit_named_like_a_merged_unit": (
        lambda p: reorg_merge(sources=[p.finance, p.housing], into=NewUnit(name="财政局"), on=date(2026, 4, 1),
                              by=p.admin), "已是单位“财政局”的名称"),
    "more_than_a_year_ahead": (
        lambda p: reorg_rename(unit=p.finance, name="财政金融局", on=date(2027, 3, 17), by=p.admin),
        "晚于一年以后"),
    "no_date": (lambda p: reorg_rename(unit=p.finance, name="财政金融局", on=None, by=p.admin), "请填写生效日期"),
    "dissolve_with_open_tasks": (lambda p: reorg_dissolve(unit=p.finance, on=date(2026, 4, 1), by=p.admin),
                                 "还有 3 项未办结的事项"),
    "split_choice_out_of_range": (
        lambda p: reorg_split(source=p.finance, successors=[p.township], choices={1: 5}, on=date(2026, 4, 1),
                              by=p.admin), "不在承接单位之中"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_bad_input_is_refused_in_chinese_and_nothing_is_written(personas, county, case):
    call, words = BAD[case]
    before = written()
    with pytest.raises(ActionError) as refused:
        call(personas)
    assert words in refused.value.message
    assert written() == before
    assert parts(county["open_finance"]) == [("住房和城乡建设局", "support"), ("财政局", "lead")]
    personas.finance.refresh_from_db()
    assert (personas.finance.name, personas.finance.active) == ("财政局", True)


def test_a_date_before_the_unit_existed_is_refused(personas, county):
    reorg_merge(sources=[personas.housing], into=NewUnit(name="住房和城乡建设管理局"), on=date(2026, 3, 1),
                by=personas.admin)  # fmt: skip
    new = Unit.objects.get(name="住房和城乡建设管理局")
    before = written()
    with pytest.raises(ActionError, match="早于“住房和城乡建设管理局”的设立日期 2026-03-01,该单位当时尚未设立"):
        reorg_rename(unit=new, name="住建管理局", on=date(2026, 2, 1), by=personas.admin)
    with pytest.raises(ActionError, match="设立日期"):
        reorg_merge(sources=[personas.finance], into=new, on=date(2026, 2, 1), by=personas.admin)
    assert written() == before


def test_a_rename_dated_before_the_last_rename_is_refused(personas, county):
    reorg_rename(unit=personas.finance, name="财政金融局", on=date(2026, 4, 1), by=personas.admin)
    with pytest.raises(ActionError, match="上一次更名的生效日期 2026-04-01"):
        reorg_rename(unit=personas.finance, name="财政和金融局", on=date(2026, 3, 1), by=personas.admin)


def test_a_merged_unit_cannot_be_merged_again(personas, county):
    reorg_merge(sources=[personas.housing], into=personas.finance, on=date(2026, 4, 1), by=personas.admin)
    with pytest.raises(ActionError, match="已停用"):
        reorg_merge(sources=[personas.housing], into=personas.township, on=date(2026, 4, 1), by=personas.admin)


@pytest.mark.parametrize("who", ["office", "liaison", "leader", "security", "auditor"])
def test_only_the_system_administrator_reorganises(personas, county, who):
    before = written()
    with pytest.raises(ActionError) as refused:
        reorg_rename(unit=personas.finance, name="财政金融局", on=date(2026, 4, 1), by=getattr(personas, who))
    assert refused.value.status == 403 and "仅限系统管理员" in refused.value.message
    assert written() == before


def test_a_disabled_administrator_cannot_reorganise(personas, county):
    User.objects.filter(pk=personas.admin.pk).update(is_active=False)
    personas.admin.refresh_from_db()
    with pytest.raises(ActionError):
        reorg_rename(unit=personas.finance, name="财政金融局", on=date.today() + timedelta(days=1), by=personas.admin)


def test_the_admin_form_does_not_deactivate_a_unit_with_open_tasks(personas, county, client):
    client.force_login(personas.admin)
    url = f"/admin/org/unit/{personas.finance.pk}/change/"
    data = {"name": "财政局", "short_name": "财政局", "kind": "department", "order": 10}
    page = client.get(url).content.decode()
    # Whatever inline formsets the admin page has, sent back empty.
    import re

    for prefix in set(re.findall(r'name="([\w-]+)-TOTAL_FORMS"', page)):
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    response = client.post(url, data)  # "active" left unticked
    assert response.status_code == 200
    assert "还有 3 项未办结的事项,不能直接停用" in response.content.decode()
    personas.finance.refresh_from_db()
    assert personas.finance.active
    # A unit with nothing open may be made inactive there as before.
    reorg_merge(sources=[personas.housing], into=personas.finance, on=date(2026, 4, 1), by=personas.admin)
    personas.township.active = False
    personas.township.full_clean()


def test_the_org_import_does_not_deactivate_a_unit_with_open_tasks(personas, county):
    from luoshi.lib.sheets import Sheet
    from luoshi.org.imports import TEMPLATE, org_import

    rows = [TEMPLATE["单位"], ["财政局", "财政局", "", "县直单位", "", 10, "赵敏", "", "", "否"]]
    report = org_import([Sheet(name="单位", rows=rows)], dry_run=False, by=personas.admin)
    assert not report.ok
    assert any("不能直接停用" in str(problem) for problem in report.problems)
    personas.finance.refresh_from_db()
    assert personas.finance.active
