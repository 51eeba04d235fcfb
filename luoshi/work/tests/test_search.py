"""Searching tasks in Chinese: on PostgreSQL's full-text index and on SQLite's FTS5 table alike."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from luoshi.lib import workdays
from luoshi.work import services
from luoshi.work.models import Task
from luoshi.work.search import task_search_text
from luoshi.work.selectors import TaskFilter

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(datetime(2026, 3, 16, 10, tzinfo=TZ), tick=False)


def create(personas, title, **fields) -> Task:
    fields.setdefault("lead", personas.finance)
    fields.setdefault("deadline", date(2026, 6, 30))
    return services.task_create(spec=services.TaskSpec(title=title, **fields), by=personas.office)


def found(q: str, queryset=None) -> set[str]:
    queryset = Task.objects.all() if queryset is None else queryset
    return set(queryset.search(q).values_list("title", flat=True))


@pytest.fixture
def tasks(personas):
    create(personas, "全县河湖保洁专项行动", requirements="开展河道垃圾清理,建立河长制巡查台账")
    create(personas, "河湖治理与城区道路保洁", lead=personas.housing)
    create(personas, "5G基站建设三年行动", category="数字经济")
    create(personas, "2026年PPP项目清理规范", source_title="县政府常务会议纪要")
    create(personas, "优化营商环境", requirements="压缩企业开办时间至1个工作日")


def test_a_phrase_finds_the_task_that_contains_it(tasks):
    assert found("河湖保洁") == {"全县河湖保洁专项行动"}


def test_a_phrase_that_is_not_in_the_title_finds_nothing(tasks):
    assert found("河湖清理") == set()


def test_the_characters_of_a_phrase_apart_do_not_match(tasks):
    # 河湖治理与城区道路保洁 has 河湖 and 保洁, but not 河湖保洁.
    assert "河湖治理与城区道路保洁" not in found("河湖保洁")
    assert found("道路保洁") == {"河湖治理与城区道路保洁"}


def test_a_two_character_word_finds_every_task_with_it(tasks):
    assert found("河湖") == {"全县河湖保洁专项行动", "河湖治理与城区道路保洁"}


def test_a_one_character_query_works(tasks):
    assert found("湖") == {"全县河湖保洁专项行动", "河湖治理与城区道路保洁"}
    assert found("江") == set()
    assert found("岗") == set()


def test_a_one_character_query_finds_the_requirements_too(tasks):
    assert found("账") == {"全县河湖保洁专项行动"}


def test_latin_words_and_numbers_are_found_whole_and_regardless_of_case(tasks):
    assert found("5G") == {"5G基站建设三年行动"}
    assert found("5g") == {"5G基站建设三年行动"}
    assert found("ppp") == {"2026年PPP项目清理规范"}
    assert found("PPP项目") == {"2026年PPP项目清理规范"}
    assert found("2026") == {"2026年PPP项目清理规范"}
    assert found("ＰＰＰ") == {"2026年PPP项目清理规范"}  # full-width, as a Chinese input method types it


def test_several_words_must_all_be_found(tasks):
    assert found("河湖 专项") == {"全县河湖保洁专项行动"}
    assert found("河湖 保洁") == {"全县河湖保洁专项行动", "河湖治理与城区道路保洁"}
    assert found("河湖 5G") == set()
    assert found("三年行动 基站") == {"5G基站建设三年行动"}


def test_requirements_category_and_source_are_searched(tasks):
    assert found("河长制") == {"全县河湖保洁专项行动"}
    assert found("数字经济") == {"5G基站建设三年行动"}
    assert found("常务会议") == {"2026年PPP项目清理规范"}
    assert found("企业开办") == {"优化营商环境"}


def test_an_empty_query_finds_everything(tasks):
    assert len(found("")) == len(found("   ")) == 5


def test_search_keeps_to_what_the_user_may_see(tasks, personas):
    visible = Task.objects.visible_to(personas.outsider)
    assert found("河湖", visible) == {"河湖治理与城区道路保洁"}
    assert found("保洁", Task.objects.visible_to(personas.liaison)) == {"全县河湖保洁专项行动"}


def test_the_task_list_filter_searches(tasks):
    rows = TaskFilter(q="河湖保洁").apply(Task.objects.all(), workdays.thresholds())
    assert [task.title for task in rows] == ["全县河湖保洁专项行动"]


def test_a_changed_title_is_found_by_its_new_words_only(personas):
    task = create(personas, "全县河湖保洁专项行动")
    assert found("河湖保洁") == {"全县河湖保洁专项行动"}
    task.title = "全县水库除险加固工程"
    task.search_text = task_search_text(task.title, task.requirements, task.category, task.source_title)
    task.save()
    assert found("水库除险") == {"全县水库除险加固工程"}
    assert found("河湖保洁") == set()
    assert found("河") == set()


def test_a_title_changed_through_a_queryset_update_is_found_too(personas):
    task = create(personas, "全县河湖保洁专项行动")
    Task.objects.filter(pk=task.pk).update(title="城区污水管网改造", search_text=task_search_text("城区污水管网改造"))
    assert found("污水管网") == {"城区污水管网改造"}
    assert found("河湖保洁") == set()


def test_a_number_with_a_measure_word_finds_the_task(personas):
    create(personas, "3号地块征迁安置")
    create(personas, "A区棚户区改造")
    assert found("3号") == {"3号地块征迁安置"}
    assert found("A区") == {"A区棚户区改造"}
