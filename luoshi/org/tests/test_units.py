import pytest
from django.urls import reverse

from luoshi.audit.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_a_liaison_changes_their_own_units_contacts_and_it_is_traced(client, personas):
    client.force_login(personas.liaison)
    url = reverse("org:unit_edit", args=[personas.finance.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"liaison_name": "孙丽", "liaison_phone": "0371-62111222", "liaison_mobile": "139 1234 5678"}
    )
    assert response.status_code == 302
    personas.finance.refresh_from_db()
    assert (personas.finance.liaison_name, personas.finance.liaison_mobile) == ("孙丽", "13912345678")
    entry = AuditEntry.objects.for_object(personas.finance).get()
    assert entry.actor == personas.liaison
    assert "“赵敏”→“孙丽”" in entry.note
    assert (entry.before["联络员"], entry.after["联络员"]) == ("赵敏", "孙丽")
    assert (entry.before["手机"], entry.after["手机"]) == ("13900000001", "13912345678")


def test_a_liaison_cannot_change_another_units_details(client, personas):
    client.force_login(personas.outsider)
    url = reverse("org:unit_edit", args=[personas.finance.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"liaison_name": "冒名", "liaison_phone": "", "liaison_mobile": ""})
    assert response.status_code == 404
    personas.finance.refresh_from_db()
    assert personas.finance.liaison_name == "赵敏"
    assert not AuditEntry.objects.exists()


def test_a_leader_reads_but_does_not_edit_unit_details(client, personas):
    client.force_login(personas.leader)
    assert client.get(reverse("org:unit", args=[personas.finance.pk])).status_code == 200
    assert client.get(reverse("org:unit_edit", args=[personas.finance.pk])).status_code == 404


def test_the_office_edits_any_units_contacts(client, personas):
    client.force_login(personas.office)
    url = reverse("org:unit_edit", args=[personas.housing.pk])
    response = client.post(url, {"liaison_name": "钱进", "liaison_phone": "0371-62333444", "liaison_mobile": ""})
    assert response.status_code == 302
    personas.housing.refresh_from_db()
    assert personas.housing.liaison_phone == "0371-62333444"


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [("liaison_phone", "12345", "办公电话格式不对"), ("liaison_mobile", "2391234567", "手机号应为 11 位数字")],
)
def test_a_bad_phone_number_is_refused_and_nothing_changes(client, personas, field, value, words):
    client.force_login(personas.liaison)
    data = {"liaison_name": "赵敏", "liaison_phone": "0371-62000001", "liaison_mobile": "13900000001", field: value}
    response = client.post(reverse("org:unit_edit", args=[personas.finance.pk]), data)
    assert response.status_code == 200
    assert words in response.content.decode()
    personas.finance.refresh_from_db()
    assert personas.finance.liaison_phone == "0371-62000001"
    assert personas.finance.liaison_mobile == "13900000001"


def test_saving_unchanged_details_records_nothing(client, personas):
    client.force_login(personas.liaison)
    data = {"liaison_name": "赵敏", "liaison_phone": "0371-62000001", "liaison_mobile": "13900000001"}
    client.post(reverse("org:unit_edit", args=[personas.finance.pk]), data)
    assert not AuditEntry.objects.exists()


def test_an_inactive_unit_is_not_found(client, personas):
    personas.housing.active = False
    personas.housing.save()
    client.force_login(personas.office)
    assert client.get(reverse("org:unit", args=[personas.housing.pk])).status_code == 404
