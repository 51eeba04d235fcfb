"""The brief pages: who may open them, the form's refusals in Chinese, the leader's decision."""

from datetime import date
from io import BytesIO

import docx
import pytest

from luoshi.lib.officedoc import BODY_FONT
from luoshi.reports import services
from luoshi.reports.models import Brief
from luoshi.testing import PASSWORD
from luoshi.work.models import Task

from .helpers import brief_input, submitted_brief, task

pytestmark = pytest.mark.django_db


def login(client, username):
    assert client.login(username=username, password=PASSWORD)
    return client


def form_data(**overrides):
    data = {
        "token": overrides.pop("token", "t-1"),
        "subject": "城区老旧小区改造资金筹措",
        "requirements": "省住建厅要求年底前完成改造。",
        "situation": "已开工12个。",
        "peers": "甲县用专项债。",
        "question": "请决定资金筹措方式。",
        "option1_title": "申请专项债券",
        "option1_pros": "成本低",
        "option1_cons": "额度有限",
        "option2_title": "引入社会资本",
        "option2_pros": "到位快",
        "option2_cons": "让渡收益",
        "recommended": "1",
        "action": "submit",
    }
    data.update(overrides)
    return data


def test_a_unit_opening_another_units_brief_gets_a_404(personas, client):
    brief = submitted_brief(personas)
    login(client, "dave")
    for url in [
        f"/reports/briefs/{brief.pk}/",
        f"/reports/briefs/{brief.pk}/edit/",
        f"/reports/briefs/{brief.pk}/docx/",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "老旧小区" not in response.content.decode()
    assert client.post(f"/reports/briefs/{brief.pk}/decide/", {"chosen": 1}).status_code == 404
    assert "老旧小区" not in client.get("/reports/briefs/").content.decode()


def test_a_leader_sees_the_briefs_of_the_units_they_supervise_only(personas, client):
    brief = submitted_brief(personas)
    login(client, "bob")
    assert client.get(f"/reports/briefs/{brief.pk}/").status_code == 200
    Brief.objects.filter(pk=brief.pk).update(unit=personas.housing, leader=None)
    assert client.get(f"/reports/briefs/{brief.pk}/").status_code == 404


def test_a_leader_does_not_see_a_units_draft(personas, client):
    draft = services.brief_save(by=personas.liaison, data=brief_input())
    login(client, "bob")
    assert client.get(f"/reports/briefs/{draft.pk}/").status_code == 404
    login(client, "alice")
    assert client.get(f"/reports/briefs/{draft.pk}/").status_code == 200


def test_the_form_refuses_a_brief_with_one_option_and_says_what_is_missing(personas, client):
    login(client, "charlie")
    response = client.post("/reports/briefs/new/", form_data(option2_title="", option2_pros="", option2_cons=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "还不能呈报" in page and "至少要提出两个方案供领导选择(现有1个)" in page
    assert not Brief.objects.exists()
    response = client.post("/reports/briefs/new/", form_data(option2_cons="", recommended=""))
    page = response.content.decode()
    assert "方案二:请写明“弊”" in page and "请选择推荐方案" in page
    # What was typed comes back in the form.
    assert "引入社会资本" in page


def test_a_recommendation_on_a_blank_option_row_is_refused(personas, client):
    login(client, "charlie")
    page = client.post("/reports/briefs/new/", form_data(recommended="3")).content.decode()
    assert "不在所列方案之中" in page


def test_blank_option_rows_are_dropped_and_the_rest_renumbered(personas, client):
    login(client, "charlie")
    data = form_data(option1_title="", option1_pros="", option1_cons="", option3_title="方案丙", option3_pros="利丙",
                     option3_cons="弊丙", recommended="3")  # fmt: skip
    response = client.post("/reports/briefs/new/", data)
    brief = Brief.objects.get()
    assert response.url == f"/reports/briefs/{brief.pk}/"
    assert [o.title for o in brief.options.all()] == ["引入社会资本", "方案丙"]
    assert brief.recommended == 2 and brief.status == Brief.Status.SUBMITTED


def test_a_double_submit_creates_one_brief(personas, client):
    login(client, "charlie")
    client.post("/reports/briefs/new/", form_data())
    again = client.post("/reports/briefs/new/", form_data(), follow=True)
    assert "已经提交过" in again.content.decode()
    assert Brief.objects.count() == 1


def test_a_draft_is_saved_then_submitted_from_its_page(personas, client):
    login(client, "charlie")
    client.post("/reports/briefs/new/", form_data(action="save", peers=""))
    brief = Brief.objects.get()
    assert brief.status == Brief.Status.DRAFT
    refused = client.post(f"/reports/briefs/{brief.pk}/submit/", {"token": "s1"}, follow=True).content.decode()
    assert "兄弟县情况" in refused
    client.post(f"/reports/briefs/{brief.pk}/edit/", form_data(token="t-2", action="save"))
    client.post(f"/reports/briefs/{brief.pk}/submit/", {"token": "s2"})
    brief.refresh_from_db()
    assert brief.status == Brief.Status.SUBMITTED


def test_the_live_summary_gives_the_units_tasks_and_lights(personas, clock, client):
    task(personas, "推进财政数字化改革", deadline=date(2026, 3, 18))
    task(personas, "老旧小区改造资金拨付", deadline=date(2026, 6, 30))
    task(personas, "城区排水管网改造", lead=personas.housing, deadline=date(2026, 3, 18))
    clock(date(2026, 3, 25))
    login(client, "charlie")
    text = client.get("/reports/briefs/summary/", {"subject": "老旧小区改造"}).content.decode()
    assert text.startswith("截至2026年3月25日,财政局牵头办理中的督办事项2项,其中红灯1项")
    assert "与本事项相关的督办事项:" in text and "老旧小区改造资金拨付" in text
    assert "城区排水管网" not in text
    generic = client.get("/reports/briefs/summary/").content.decode()
    assert "需重点关注的督办事项:\n1. 推进财政数字化改革(完成时限2026-03-18,红灯)" in generic
    login(client, "alice")
    assert client.get("/reports/briefs/summary/").status_code == 404


def test_the_leader_decides_and_creates_a_follow_up_task_in_one_step(personas, clock, client):
    brief = submitted_brief(personas)
    login(client, "bob")
    page = client.get(f"/reports/briefs/{brief.pk}/").content.decode()
    assert "作出决定" in page and "方案一(推荐)" in page
    response = client.post(
        f"/reports/briefs/{brief.pk}/decide/",
        {"token": "d1", "chosen": "2", "note": "同意引入社会资本。", "follow1_title": "拟定社会资本合作方案",
         "follow1_lead": str(personas.finance.pk), "follow1_deadline": "2026-05-31"},
        follow=True,
    )  # fmt: skip
    assert "已决定采用方案二,并交办后续事项1项" in response.content.decode()
    follow_up = Task.objects.get(title="拟定社会资本合作方案")
    assert follow_up.lead_unit == personas.finance and follow_up.deadline == date(2026, 5, 31)
    brief.refresh_from_db()
    assert brief.chosen == 2 and list(brief.follow_ups.all()) == [follow_up]


def test_a_follow_up_without_a_deadline_is_refused_on_the_form(personas, clock, client):
    brief = submitted_brief(personas)
    login(client, "bob")
    response = client.post(
        f"/reports/briefs/{brief.pk}/decide/",
        {"token": "d1", "chosen": "1", "follow1_title": "拟定方案", "follow1_lead": str(personas.finance.pk)},
    )
    assert response.status_code == 400
    assert "后续事项1:请填写完成时限" in response.content.decode()
    brief.refresh_from_db()
    assert brief.status == Brief.Status.SUBMITTED


def test_the_brief_downloads_as_an_official_document(personas, clock, client):
    brief = submitted_brief(personas)
    services.brief_decide(brief=brief, by=personas.leader, chosen=1, note="同意。")
    login(client, "charlie")
    response = client.get(f"/reports/briefs/{brief.pk}/docx/")
    assert "filename*=utf-8''" in response["Content-Disposition"]
    document = docx.Document(BytesIO(b"".join(response.streaming_content)))
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "关于城区老旧小区改造资金筹措的汇报"
    assert "一、上级要求" in texts and "（一）方案一：申请专项债券（推荐方案）" in texts
    assert "利：成本低、期限长" in texts
    assert any(t.startswith("李强于") and "决定采用方案一" in t for t in texts)
    body = next(p for p in document.paragraphs if p.text == "利：成本低、期限长")
    assert (
        body.runs[0]._r.rPr.rFonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == BODY_FONT
    )
    assert brief_input().subject in texts[0]
