"""manage.py reorg_unit: the same 机构改革 from the command line, previewed unless --apply."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from luoshi.audit.models import AuditEntry
from luoshi.org.models import Unit, UnitNameHistory
from luoshi.work import services as work_services
from luoshi.work.models import Task, TimelineEntry
from luoshi.work.tests import conftest as work_fixtures

pytestmark = pytest.mark.django_db

clock, rules = work_fixtures.clock, work_fixtures.rules


@pytest.fixture
def tasks(personas, clock):
    made = []
    for title in ("编制年度增收计划", "推进财政数字化改革"):
        spec = work_services.TaskSpec(title=title, lead=personas.finance, deadline=date(2026, 6, 30))
        made.append(work_services.task_create(spec=spec, by=personas.office))
    return made


def run(*args) -> str:
    out = StringIO()
    call_command("reorg_unit", *args, stdout=out)
    return out.getvalue()


def test_without_apply_it_only_previews(personas, tasks):
    out = run("merge", "财政局", "住建局", "--into", "财政和住房建设局", "--on", "2026-04-01", "--by", "erin")
    assert out.startswith("预览(未执行):“财政局”、“住房和城乡建设局”自 2026年04月01日 起并入新设的“财政和住房建设局”")
    assert "转移在办事项:2" in out and "加 --apply 执行" in out
    assert f"事项 {tasks[0].pk}“编制年度增收计划”:财政局(牵头)→ 财政和住房建设局" in out
    assert not Unit.objects.filter(name="财政和住房建设局").exists() and not AuditEntry.objects.exists()


def test_apply_merges_and_traces_it_in_the_administrators_name(personas, tasks):
    out = run(
        "merge", "财政局", "住建局", "--into", "财政和住房建设局", "--on", "2026-04-01", "--by", "erin", "--apply"
    )
    assert out.startswith("已执行:")
    merged = Unit.objects.get(name="财政和住房建设局")
    assert Task.objects.filter(lead_unit=merged).count() == 2
    assert TimelineEntry.objects.filter(note__startswith="机构改革", actor=personas.admin).count() == 2
    assert AuditEntry.objects.get(action="reorg_merge").actor == personas.admin


def test_rename_split_and_dissolve_from_the_command_line(personas, tasks):
    run("rename", "财政局", "--to", "财政金融局", "--on", "2026-04-01", "--by", "erin", "--apply")
    assert UnitNameHistory.objects.get(unit=personas.finance).name == "财政局"
    # The old name still finds the unit.
    run("split", "财政局", "--into", "财政事务中心", "--into", "城关镇", "--task", f"{tasks[1].pk}=2",
        "--on", "2026-05-01", "--by", "erin", "--apply")  # fmt: skip
    tasks[0].refresh_from_db()
    tasks[1].refresh_from_db()
    assert tasks[0].lead_unit.name == "财政事务中心" and tasks[1].lead_unit == personas.township
    out = run("dissolve", "住建局", "--on", "2026-05-01", "--by", "erin", "--apply")
    assert "留待处理的账号:钱进(dave" in out
    assert not Unit.objects.get(pk=personas.housing.pk).active


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["merge", "财政局", "--into", "财政局"], "不能把“财政局”并入它自己"),
        (["split", "财政局"], "拆分至少需要一个承接单位"),
        (["rename", "财政局", "--to", "住建局"], "已是单位“住房和城乡建设局”的简称"),
        (["rename", "财政局", "--to", "住房和城乡建设局"], "已是单位“住房和城乡建设局”的名称"),
        (["dissolve", "财政局"], "还有 2 项未办结的事项"),
        (["rename", "不存在局", "--to", "新局"], "找不到启用中的单位“不存在局”"),
        (["split", "财政局", "--into", "城关镇", "--task", "1=9"], "应写成“事项编号=第几个承接单位”"),
    ],
)
def test_bad_input_stops_with_a_chinese_message_and_writes_nothing(personas, tasks, args, words):
    with pytest.raises(CommandError, match=words):
        run(*args, "--on", "2026-04-01", "--by", "erin", "--apply")
    assert not AuditEntry.objects.exists()
    assert Task.objects.filter(lead_unit=personas.finance).count() == 2


@pytest.mark.parametrize(("by", "words"), [("alice", "仅限系统管理员"), ("nobody", "没有名为“nobody”的启用账号")])
def test_only_a_system_administrators_account_may_run_it(personas, tasks, by, words):
    with pytest.raises(CommandError, match=words):
        run("rename", "财政局", "--to", "财政金融局", "--on", "2026-04-01", "--by", by, "--apply")
    assert not AuditEntry.objects.exists()


def test_a_date_that_is_not_a_date_is_refused(personas, tasks):
    with pytest.raises(CommandError, match="生效日期“明年”无法识别"):
        run("rename", "财政局", "--to", "财政金融局", "--on", "明年", "--by", "erin")


def test_it_lists_the_requests_it_moves_and_whom_it_tells(personas, tasks):
    work_services.task_sign(task=tasks[0], by=personas.liaison)
    work_services.task_extension_ask(
        task=tasks[0], by=personas.liaison, reason="待批复", new_deadline=date(2026, 9, 30)
    )
    out = run("merge", "财政局", "--into", "住建局", "--on", "2026-04-01", "--by", "erin", "--apply")
    assert "  转移待审核申请:1\n" in out
    assert f"  转移申请:事项 {tasks[0].pk}“编制年度增收计划”的待审核延期申请:财政局 → 住建局\n" in out
    assert "  通知:“住建局”的 1 名联络员:承接在办事项 2 项\n" in out
    # One line each, in the order the administrator reads them: counts, moves, requests, …, and whom it told last.
    lines = out.splitlines()
    assert lines.index("  转移在办事项:2") < lines.index(f"  事项 {tasks[0].pk}“编制年度增收计划”:财政局(牵头)→ 住建局")
    assert lines[-1] == "  通知:“住建局”的 1 名联络员:承接在办事项 2 项"
