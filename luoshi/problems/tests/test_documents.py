"""依据文件: a problem linked to the library documents it rests on, traced, and shown to those who see both."""

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.intake.reading import read_text
from luoshi.lib.errors import ActionError
from luoshi.library import services as library
from luoshi.library.models import Document
from luoshi.problems.models import ProblemDocument
from luoshi.problems.services import problem_document_link, problem_document_unlink

REGULATION = """信访工作条例
中办发〔2022〕2号
第一章 总则
第一条 为了坚持和加强党对信访工作的全面领导,做好新时代信访工作,制定本条例。
第三十一条 对信访人反映的诉求,应当依法按政策及时就地解决。
中共中央办公厅 国务院办公厅
2022年1月24日"""

NOTICE = """县人民政府办公室关于规范不动产登记历史遗留问题处置的通知
县政办〔2023〕7号
对安置小区因开发企业欠缴土地出让金无法办证的,可先行分割登记。
县人民政府办公室
2023年6月1日"""


@pytest.fixture
def regulation(personas):
    return library.document_create(source=read_text(REGULATION), by=personas.office)


@pytest.fixture
def notice(personas):
    return library.document_create(source=read_text(NOTICE), by=personas.office)


def test_the_office_links_a_document_with_its_article_and_the_trace_records_it(problem, personas, regulation):
    link = problem_document_link(problem=problem, document=regulation, article="第三十一条", by=personas.office)
    assert (link.document, link.article, link.linked_by) == (regulation, "第三十一条", personas.office)
    entry = AuditEntry.objects.for_object(problem).get(action="link_document")
    assert entry.after == {"依据文件": "信访工作条例(中办发〔2022〕2号)", "依据条款": "第三十一条"}


def test_the_same_document_twice_is_refused(problem, personas, regulation):
    problem_document_link(problem=problem, document=regulation, article="", by=personas.office)
    with pytest.raises(ActionError, match="已是该问题的依据文件"):
        problem_document_link(problem=problem, document=regulation, article="第一条", by=personas.office)
    assert ProblemDocument.objects.count() == 1


def test_only_the_office_links_documents(problem, personas, regulation):
    for who in (personas.leader, personas.liaison):
        with pytest.raises(ActionError, match="只有督查室"):
            problem_document_link(problem=problem, document=regulation, article="", by=who)


def test_unlinking_keeps_what_was_linked_on_the_trace(problem, personas, regulation):
    problem_document_link(problem=problem, document=regulation, article="第一条", by=personas.office)
    problem_document_unlink(problem=problem, document=regulation, by=personas.office)
    assert not ProblemDocument.objects.exists()
    entry = AuditEntry.objects.for_object(problem).get(action="unlink_document")
    assert entry.before["依据文件"] == "信访工作条例(中办发〔2022〕2号)" and entry.actor == personas.office
    with pytest.raises(ActionError, match="无需移除"):
        problem_document_unlink(problem=problem, document=regulation, by=personas.office)


def test_a_linked_document_cannot_be_deleted_from_the_library_under_the_problem(problem, personas, regulation):
    from django.db.models import ProtectedError

    problem_document_link(problem=problem, document=regulation, article="", by=personas.office)
    with pytest.raises(ProtectedError):
        regulation.delete()


def test_the_office_finds_a_document_by_its_number_and_links_it_from_the_page(client, personas, problem, notice):
    client.force_login(personas.office)
    url = f"/problems/{problem.pk}/documents/"
    page = client.get(url, {"q": "县政办[2023]7号"}).content.decode()
    assert "县人民政府办公室关于规范不动产登记历史遗留问题处置的通知" in page and ">链接</button>" in page
    response = client.post(url, {"document": notice.pk, "article": "第二段"})
    assert response.status_code == 302
    page = client.get(url, {"q": "不动产登记"}).content.decode()
    assert "已链接" in page
    detail = client.get(f"/problems/{problem.pk}/").content.decode()
    assert f'href="/library/{notice.pk}/"' in detail and "依据条款:第二段" in detail


def test_a_one_character_query_gets_the_librarys_hint(client, personas, problem, notice):
    client.force_login(personas.office)
    page = client.get(f"/problems/{problem.pk}/documents/", {"q": "证"}).content.decode()
    assert "只有一个字" in page


def test_a_repealed_document_is_flagged_with_what_replaced_it(client, personas, problem, regulation, notice):
    Document.objects.filter(pk=notice.pk).update(validity=Document.Validity.REPEALED, replaced_by=regulation)
    problem_document_link(problem=problem, document=notice, article="", by=personas.office)
    client.force_login(personas.leader)
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "已废止" in page and "《信访工作条例》</a>替代,请核对依据" in page


def test_an_internal_document_stays_hidden_from_the_unit_that_sees_the_problem(client, personas, problem, notice):
    Document.objects.filter(pk=notice.pk).update(internal=True)
    problem_document_link(problem=problem, document=notice, article="", by=personas.office)
    client.force_login(personas.liaison)
    page = client.get(f"/problems/{problem.pk}/").content.decode()
    assert "规范不动产登记历史遗留问题" not in page
    assert client.get(f"/api/problems/{problem.pk}").json()["documents"] == []
    client.force_login(personas.office)
    [document] = client.get(f"/api/problems/{problem.pk}").json()["documents"]
    assert document["number"] == "县政办〔2023〕7号"


def test_a_unit_and_a_leader_cannot_link_and_another_unit_gets_404(client, personas, problem, regulation):
    url = f"/problems/{problem.pk}/documents/"
    for who in (personas.liaison, personas.leader):
        client.force_login(who)
        assert client.get(url).status_code == 200
        assert client.post(url, {"document": regulation.pk}).status_code == 404
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    assert not ProblemDocument.objects.exists()
