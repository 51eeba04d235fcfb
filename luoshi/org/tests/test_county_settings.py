"""督办设置: the office sets the default feedback cadence; everyone else is refused."""

import pytest

from luoshi.audit.models import AuditEntry
from luoshi.lib.errors import ActionError
from luoshi.org.models import CountySettings
from luoshi.org.services import county_settings_update
from luoshi.testing import PASSWORD


def test_a_county_that_never_saved_it_reports_monthly_by_the_25th(db):
    county = CountySettings.load()

    assert (county.default_cadence, county.default_cadence_day) == ("monthly", 25)
    assert county.default_cadence_label == "每月25日前"


def test_the_office_changes_it_on_its_page_and_the_change_is_kept(client, personas):
    assert client.login(username="alice", password=PASSWORD)
    assert "每月25日前" in client.get("/org/settings/").content.decode()

    response = client.post("/org/settings/", {"default_cadence": "weekly", "default_cadence_day": "5"})

    assert response.status_code == 302
    assert CountySettings.load().default_cadence_label == "每周五前"
    entry = AuditEntry.objects.for_object(CountySettings.load()).get()
    assert entry.note == "修改默认反馈周期:“每月25日前”→“每周五前”"
    assert (entry.before, entry.after) == ({"默认反馈周期": "每月25日前"}, {"默认反馈周期": "每周五前"})
    assert entry.actor == personas.office


def test_a_day_that_does_not_fit_the_cadence_is_refused_beside_the_field(client, personas):
    assert client.login(username="alice", password=PASSWORD)

    page = client.post("/org/settings/", {"default_cadence": "weekly", "default_cadence_day": "25"}).content.decode()

    assert "反馈日:每周反馈请填1-7(周一至周日)。" in page
    assert CountySettings.load().default_cadence == "monthly"


@pytest.mark.parametrize("username", ["charlie", "bob", "dave"])
def test_units_and_leaders_may_not_change_it(client, personas, username):
    assert client.login(username=username, password=PASSWORD)

    assert client.post("/org/settings/", {"default_cadence": "none"}).status_code == 403
    with pytest.raises(ActionError, match="只有督查室可以修改督办设置"):
        county_settings_update(cadence="none", day=0, by=personas.liaison)
    assert CountySettings.load().default_cadence == "monthly"


def test_no_fixed_cadence_needs_no_day(personas):
    county_settings_update(cadence="none", day=25, by=personas.office)

    county = CountySettings.load()
    assert (county.default_cadence, county.default_cadence_day, county.default_cadence_label) == ("none", 0, "不定期")
    assert county.cadence_for("none", 0, "年底前") == ("none", 0)
