"""Where 争先进位 reaches people: the next 常务会's pack, the leader's cockpit, and the unit's home."""

from datetime import date

from luoshi.rankings.models import PeerPractice
from luoshi.reports.services import pack_issue
from luoshi.testing import PASSWORD

from .test_services import _import


def test_investment_at_rank_four_is_in_the_next_pack_under_zheng_xian_jin_wei(city, november_2026, client):
    _import(city)
    pack = pack_issue(meeting_date=date(2026, 11, 16), by=city["p"].office)
    assert [(a["name"], a["rank"], a["status"]) for a in pack.snapshot["rank_alerts"]] == [
        ("实际利用省外资金", 4, "broken")
    ]
    client.login(username=city["p"].office.username, password=PASSWORD)
    page = client.get(f"/reports/packs/{pack.pk}/").content.decode()
    assert "六、争先进位" in page and "第4名/9" in page and "距第3名西河县差1.2个百分点" in page


def test_the_responsible_leaders_cockpit_shows_the_broken_rule_and_another_leaders_does_not(
    city, november_2026, client
):
    _import(city)
    client.login(username=city["p"].leader.username, password=PASSWORD)
    page = client.get("/").content.decode()
    section = page.split('id="rank-alerts-title"')[1].split("</section>")[0]
    assert "实际利用省外资金" in section and "第4名/9" in section
    city["investment"].leader = None
    city["investment"].save()
    page = client.get("/").content.decode()
    assert "实际利用省外资金" not in page.split('id="rank-alerts-title"')[1].split("</section>")[0]


def test_a_unit_sees_the_peer_practices_of_its_field_on_its_home(city, client):
    PeerPractice.objects.create(
        county="封丘县", title="十联户百联户", field="招商引资", indicator=city["investment"], money="县财政与社会资本",
        people="十联户、百联户与网格长", mechanism="联户包保", problems="专班化解", created_by=city["p"].office,
    )  # fmt: skip
    client.login(username=city["p"].liaison.username, password=PASSWORD)
    assert "封丘县:十联户百联户" in client.get("/").content.decode()
    client.login(username=city["p"].outsider.username, password=PASSWORD)
    assert "十联户百联户" not in client.get("/").content.decode()
