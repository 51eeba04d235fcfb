"""The meeting pack hears the problems whose level ran out of time, and the risks at the pack's score."""

from datetime import date
from io import BytesIO

import docx

from luoshi.problems.models import Risk
from luoshi.problems.risks import risk_create
from luoshi.problems.services import problem_escalate
from luoshi.reports.documents import pack_docx
from luoshi.reports.services import pack_issue
from luoshi.testing import PASSWORD


def test_the_pack_lists_a_problem_past_its_level_and_a_high_risk_and_keeps_them(problem, personas, clock, client):
    problem_escalate(problem=problem, reason="交专业小组研究", by=personas.office)  # level 1, due 14 April
    clock(date(2026, 4, 15))
    pack = pack_issue(meeting_date=date(2026, 4, 15), by=personas.office)

    assert [(r["title"], r["level"], r["level_due"]) for r in pack.snapshot["overdue_problems"]] == [
        ("城南安置小区办证难", "一级:专业小组", "2026-04-14")
    ]
    client.login(username=personas.office.username, password=PASSWORD)
    page = client.get(f"/reports/packs/{pack.pk}/").content.decode()
    assert "七、待升级的遗留问题(1 个)" in page and "城南安置小区办证难" in page
    text = "\n".join(p.text for p in docx.Document(BytesIO(pack_docx(pack))).paragraphs)
    assert "待升级的遗留问题" in text and "重大风险" in text


def test_a_risk_at_the_packs_score_is_in_the_pack(personas, clock, settings):
    settings.LUOSHI_RISK_PACK_SCORE = 15
    for title, likelihood in (("隐性债务集中到期", 4), ("汛期山洪", 2)):
        risk_create(title=title, kind=Risk.Kind.values[0], field="债务", likelihood=likelihood, impact=5,
                    owner_unit=personas.finance, by=personas.office)  # fmt: skip
    pack = pack_issue(meeting_date=date(2026, 3, 16), by=personas.office)
    assert [(r["title"], r["score"]) for r in pack.snapshot["risks"]] == [("隐性债务集中到期", 20)]
