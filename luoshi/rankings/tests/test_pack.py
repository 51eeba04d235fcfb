"""An indicator that breaks its rule is heard at the next 常务会, as the pack froze it."""

from datetime import date

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
