"""The draft, its corrections, and the confirmation into tasks: all or nothing, never twice."""

from datetime import date

import pytest

from luoshi.intake import services
from luoshi.intake.models import Decomposition, DecompositionRow
from luoshi.intake.reading import read_text, read_upload
from luoshi.lib.errors import ActionError
from luoshi.org.models import Unit, User
from luoshi.work.models import Task

from .conftest import DOCX

pytestmark = pytest.mark.usefixtures("clock")


@pytest.fixture
def office(demo_county):
    return User.objects.get(username="office")


def _sample(office) -> Decomposition:
    return services.decomposition_create(document=read_upload(DOCX.name, DOCX.read_bytes()), by=office)


def test_it_drafts_the_sample_with_spans_units_and_why(office):
    decomposition = _sample(office)
    assert decomposition.source_date == date(2022, 3, 15)
    assert "按今天" in decomposition.date_how
    rows = list(decomposition.rows.all())
    assert len(rows) >= 30
    for row in rows:
        text = decomposition.paragraphs[row.paragraph]
        if row.paragraph == row.paragraph_end:
            assert text[row.start : row.end] == row.source
        assert row.why
    plans = next(row for row in rows if "各单位一定要滚动编制三年行动计划" in row.source)
    assert plans.lead_group == "township" or plans.lead_group == "department" or plans.lead_group == "all"
    finance = next(row for row in rows if "保障房中心" in row.source)
    assert finance.lead.name == "投资集团有限公司"
    assert {"自然资源局", "住房和城乡建设局"} <= {u.name for u in finance.supporting.all()}


def test_a_non_office_user_cannot_draft(demo_county):
    liaison = User.objects.filter(role=User.Role.UNIT).first()
    with pytest.raises(ActionError) as raised:
        services.decomposition_create(document=read_text("各单位要抓好落实。"), by=liaison)
    assert raised.value.status == 403
    assert not Decomposition.objects.exists()


def test_the_office_corrects_a_row(office):
    decomposition = services.decomposition_create(document=read_text("各乡镇要抓好秸秆禁烧。"), by=office)
    row = decomposition.rows.get()
    change = services.RowChange(
        text="抓好秸秆禁烧工作", lead="国土局", supporting="住建局、各乡镇", leader="常务副县长", deadline="6月底前"
    )
    services.row_update(row=row, change=change, by=office)
    row.refresh_from_db()
    assert row.lead.name == "自然资源局" and row.lead_group == ""
    assert row.deadline == date(2022, 6, 30) and row.accepted and row.edited
    assert row.leader.title == "常务副县长"
    supporting = {u.name for u in row.supporting.all()}
    assert "住房和城乡建设局" in supporting and len(supporting) == 1 + Unit.objects.filter(kind="township").count()


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("lead", "不存在局", "不在单位名录"),
        ("deadline", "2月30日", "无法识别"),
        ("leader", "王五", "无法确定"),
        ("text", " ", "不能为空"),
    ],
)
def test_a_bad_correction_is_refused_and_changes_nothing(office, field, value, message):
    decomposition = services.decomposition_create(document=read_text("各乡镇要抓好秸秆禁烧。"), by=office)
    row = decomposition.rows.get()
    change = services.RowChange(text="抓好秸秆禁烧")
    setattr(change, field, value)
    with pytest.raises(ActionError, match=message):
        services.row_update(row=row, change=change, by=office)
    row.refresh_from_db()
    assert row.text == "各乡镇要抓好秸秆禁烧。" and not row.edited


def test_merge_split_delete_and_add(office):
    text = "第一,各单位要抓好安全生产。要排查隐患。\n第二,各乡镇要做好防汛。"
    decomposition = services.decomposition_create(document=read_text(text), by=office)
    first, _ = decomposition.rows.all()
    merged = services.row_merge(row=first, by=office)
    assert decomposition.rows.count() == 1
    assert merged.source == "第一,各单位要抓好安全生产。要排查隐患。\n第二,各乡镇要做好防汛。"
    services.row_split(row=merged, by=office)
    assert decomposition.rows.count() == 2
    services.row_delete(row=decomposition.rows.last(), by=office)
    added = services.row_add(decomposition=decomposition, by=office, paragraph=1, start=3, end=12)
    assert added.source == "各乡镇要做好防汛。" and added.accepted
    with pytest.raises(ActionError, match="位置有误"):
        services.row_add(decomposition=decomposition, by=office, paragraph=1, start=5, end=500)


def test_confirm_creates_the_tasks_with_their_quotes_all_or_nothing_and_once(office):
    decomposition = _sample(office)
    before = Task.objects.count()
    top = Task.objects.filter(parent__isnull=True).count()
    services.rows_accept_all(decomposition=decomposition, by=office)
    with pytest.raises(ActionError, match="请填写牵头单位"):
        services.decomposition_confirm(decomposition=decomposition, by=office, token="t1")
    assert Task.objects.count() == before
    services.rows_fill(decomposition=decomposition, by=office, lead="各单位", deadline="长期坚持")
    first = decomposition.rows.first()
    services.row_update(
        row=first,
        change=services.RowChange(text="经济指标不进全市后三名", lead="发改委", supporting="统计局", deadline="年底前"),
        by=office,
    )
    tasks = services.decomposition_confirm(decomposition=decomposition, by=office, token="t2")
    assert len(tasks) == decomposition.rows.count()
    assert Task.objects.filter(parent__isnull=True).count() == top + len(tasks)
    task = Task.objects.get(title="经济指标不进全市后三名")
    assert task.lead_unit.name == "发展和改革委员会" and task.deadline == date(2022, 12, 31)
    assert task.source_quote == "经济指标原则上在全市X县(市)处于中游偏上位次,但是不能进后三名。"
    assert task.source_title == "在政府系统全体人员工作部署会议上的讲话"
    assert DecompositionRow.objects.get(pk=first.pk).task == task
    count = Task.objects.count()
    for token in ("t2", "t3", None):  # a double click, a second form, a script
        with pytest.raises(ActionError, match="已经确认过") as raised:
            services.decomposition_confirm(decomposition=decomposition, by=office, token=token)
        assert raised.value.status == 409
    with pytest.raises(ActionError, match="不能再修改"):
        services.row_delete(row=first, by=office)
    assert Task.objects.count() == count


def test_changing_the_date_reads_the_deadlines_again(office):
    decomposition = services.decomposition_create(document=read_text("各乡镇要在年底前完成改厕。"), by=office)
    assert decomposition.rows.get().deadline == date(2022, 12, 31)
    services.decomposition_date_set(decomposition=decomposition, by=office, day=date(2023, 2, 1))
    assert decomposition.rows.get().deadline == date(2023, 12, 31)
